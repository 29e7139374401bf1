// protokoll: the one script of the web app. Pages work without it; it only adds a
// button that copies a ready citation.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-kopiera]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-kopiera"));
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = "Kopierad";
        setTimeout(function () { button.textContent = "Kopiera"; }, 2000);
      });
    });
  });
});

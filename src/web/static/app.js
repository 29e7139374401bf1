// protokoll: the one script of the web app. Pages work without it; it adds a button
// that copies a ready citation, and opens the page of text a link points to.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && target.tagName === "DETAILS") target.open = true;
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

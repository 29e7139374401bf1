#!/usr/bin/env python3
"""Renders the invented protocols of the layout test suite (tests/layouts/).

How to regenerate (from the repository root):

    python3 tools/layouts/render.py            # all protocols
    python3 tools/layouts/render.py lidaholm   # those whose source name contains "lidaholm"
    python3 tools/layouts/render.py --only word   # only the word shape (other renderings untouched)

What it needs installed:
  - Python 3 with `reportlab` and `python-docx` (pip install reportlab python-docx);
  - LibreOffice Writer for the Word-like PDFs (Debian: apt-get install libreoffice-writer-nogui)
    and the Liberation and DejaVu fonts (fonts-liberation2, fonts-dejavu);
  - `pdftotext` from poppler-utils, for the `text/` renderings (pdftotext -raw) and the
    page-per-line `flat/` renderings.

The rendered files under tests/layouts/ are committed; CI never runs this script. The
output of LibreOffice and ReportLab carries creation dates, so a re-run changes the PDF
bytes but not their text.

Inputs, one protocol each:
  src/<name>.proto   the protocol: a JSON configuration between two `%%` lines, then the
                     text in the small markup described in `parse_markup` below;
  keys/<name>.json   the answer key, written by hand from the protocol (never from a
                     parser's output). It is copied to tests/layouts/gold/<stem>.json for
                     every rendering of the protocol, with `source` set to that rendering.

Shapes (LAYOUTS.md §7) and where they go:
  pdf    tests/layouts/pdf/<base>.pdf         LibreOffice (engine "lo", via .docx) or ReportLab
                                              (engine "rl"), running header and footer on
                                              every page
  text   tests/layouts/text/<base>-raw.txt    `pdftotext -raw` of the PDF; for a protocol
         tests/layouts/text/<base>-text.txt   without PDF, the text as written, wrapped at 78
  pre    tests/layouts/text/<base>-pre.html   that text inside <pre> on a bare page
  html   tests/layouts/html/<base>-portal.html  a meeting-portal page with site boilerplate
                                              (templates: accordion, blocks, bullets)
  flat   tests/layouts/flat/<base>-flat.txt   line breaks lost: mode "page" (each page one
                                              line), "page-num" (the same, page number
                                              first), "para" (each heading with the text
                                              under it one line)
  word   tests/layouts/word/<base>-docx.docx  the protocol as a Word file (python-docx): real
         tests/layouts/word/<base>-odt.odt    tables, Word bullets, the title in the Title
                                              style, running header and footer; with
                                              "numbered": true the item headings ("1.",
                                              "1)", "4.1", "a)") are Word auto-numbered list
                                              items whose typed numbers are removed. The
                                              .odt is LibreOffice's conversion of that .docx
                                              (soffice --convert-to odt). "formats" picks
                                              ["docx", "odt"] or one of them.
All names, places, numbers and sentences in the sources are invented.
"""
import html as htmlmod
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "tests", "layouts")


# ---------------------------------------------------------------------------------------
# Markup
# ---------------------------------------------------------------------------------------
def parse_markup(text):
    """Turns the body of a .proto file into blocks.

    One line is one block:
      T: text             document title (large, bold)
      H: text             heading line (bold), e.g. "§ 108   Dnr IFU 2021/452"
      S: text             subheading (bold), e.g. "Socialnämndens beslut"
      I: text             indented paragraph (a quoted proposal)
      B: text             bullet
      C: text             small centred line
      | a | b |           table row; consecutive rows form one table; " // " breaks a line
                          inside a cell
      @table k=v ...      options of the next table: widths=20,80 grid=1 head=1 bold1=1
      @page               page break
      @space              vertical space
      @item NR | TITLE [| DNR]   start of an agenda item (used by the HTML renderer only)
      @end                end of the items (what follows is back matter)
      % ...               comment
      anything else       a paragraph
    """
    blocks = []
    table = None
    topts = {}
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.startswith("%"):
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if table is None:
                table = {"kind": "table", "rows": [], "opts": topts}
                topts = {}
                blocks.append(table)
            table["rows"].append(cells)
            continue
        table = None
        if not line.strip():
            continue
        if line.startswith("@table"):
            topts = dict(kv.split("=", 1) for kv in line.split()[1:])
            continue
        if line == "@page":
            blocks.append({"kind": "page"})
            continue
        if line == "@space":
            blocks.append({"kind": "space"})
            continue
        if line == "@end":
            blocks.append({"kind": "end"})
            continue
        if line.startswith("@item"):
            parts = [p.strip() for p in line[len("@item"):].split("|")]
            blocks.append({"kind": "item", "nr": parts[0], "title": parts[1], "dnr": parts[2] if len(parts) > 2 else None})
            continue
        m = re.match(r"^([THSIBC]): ?(.*)$", line)
        if m:
            blocks.append({"kind": m.group(1), "text": m.group(2)})
        else:
            blocks.append({"kind": "P", "text": line.strip()})
    return blocks


def read_proto(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    _, conf, body = text.split("%%\n", 2)
    return json.loads(conf), parse_markup(body)


def cell_lines(cell):
    return [x.strip() for x in cell.split("//")]


def fill(s, page, pages):
    return s.replace("{page}", str(page)).replace("{pages}", str(pages))


def find_font(file):
    for d, _, files in os.walk("/usr/share/fonts"):
        if file in files:
            return os.path.join(d, file)
    raise FileNotFoundError(f"font {file}: install fonts-liberation2 and fonts-dejavu")


# ---------------------------------------------------------------------------------------
# ReportLab
# ---------------------------------------------------------------------------------------
def render_reportlab(conf, blocks, out_pdf):
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = conf.get("font", "Helvetica")
    bold = conf.get("font_bold", "Helvetica-Bold")
    if font.endswith(".ttf"):
        reg, bd = os.path.basename(font)[:-4], os.path.basename(bold)[:-4]
        for name, file in ((reg, font), (bd, bold)):
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, find_font(file)))
        font, bold = reg, bd
    size = conf.get("size", 10.5)
    st = {
        "P": ParagraphStyle("P", fontName=font, fontSize=size, leading=size * 1.3, spaceAfter=size * 0.6),
        "T": ParagraphStyle("T", fontName=bold, fontSize=size + 5, leading=(size + 5) * 1.3, spaceAfter=size),
        "H": ParagraphStyle("H", fontName=bold, fontSize=size + 1.5, leading=(size + 1.5) * 1.3, spaceBefore=size * 0.4, spaceAfter=size * 0.3),
        "S": ParagraphStyle("S", fontName=bold, fontSize=size, leading=size * 1.3, spaceBefore=size * 0.5, spaceAfter=size * 0.2),
        "I": ParagraphStyle("I", fontName=font, fontSize=size, leading=size * 1.3, leftIndent=12 * mm, spaceAfter=size * 0.6),
        "B": ParagraphStyle("B", fontName=font, fontSize=size, leading=size * 1.3, leftIndent=8 * mm, bulletIndent=3 * mm, spaceAfter=size * 0.2),
        "C": ParagraphStyle("C", fontName=font, fontSize=size - 1.5, leading=(size - 1.5) * 1.3, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=size, leading=size * 1.25),
        "cellb": ParagraphStyle("cellb", fontName=bold, fontSize=size, leading=size * 1.25),
    }
    left, right, top, bottom = 25 * mm, 20 * mm, 32 * mm, 25 * mm
    width = A4[0] - left - right

    def esc(s):
        # a run of 3+ spaces (a tab in the original) stays a visible gap
        return re.sub(r" {3,}", "&nbsp;" * 8, htmlmod.escape(s))

    def flow(pages_total):
        story = []
        for b in blocks:
            k = b["kind"]
            if k in ("item", "end"):
                continue
            if k == "page":
                story.append(PageBreak())
            elif k == "space":
                story.append(Spacer(1, 6 * mm))
            elif k == "table":
                o = b["opts"]
                ncol = max(len(r) for r in b["rows"])
                ws = [float(x) for x in o.get("widths", ",".join(["1"] * ncol)).split(",")]
                ws = [width * w / sum(ws) for w in ws]
                data = []
                for ri, r in enumerate(b["rows"]):
                    row = []
                    for ci in range(ncol):
                        c = r[ci] if ci < len(r) else ""
                        isb = (o.get("head") == "1" and ri == 0) or (o.get("bold1") == "1" and ci == 0)
                        row.append(Paragraph("<br/>".join(esc(x) for x in cell_lines(c)), st["cellb" if isb else "cell"]))
                    data.append(row)
                t = Table(data, colWidths=ws, hAlign="LEFT")
                style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
                if o.get("grid") == "1":
                    style.append(("GRID", (0, 0), (-1, -1), 0.5, "#444444"))
                if o.get("lines") == "1":
                    style.append(("LINEBELOW", (0, 0), (-1, -1), 0.4, "#888888"))
                t.setStyle(TableStyle(style))
                story.append(t)
                story.append(Spacer(1, 3 * mm))
            elif k == "B":
                story.append(Paragraph(esc(b["text"]), st["B"], bulletText="•"))
            else:
                story.append(Paragraph(esc(b["text"]), st[k]))
        return story

    def furniture(canvas, doc, pages_total):
        canvas.saveState()
        page = canvas.getPageNumber()
        h = conf.get("header", [])
        y = A4[1] - 14 * mm
        for row in h:
            l, c, r = (row + ["", "", ""])[:3]
            canvas.setFont(bold if conf.get("header_bold") else font, size - 1)
            canvas.drawString(left, y, fill(l, page, pages_total))
            canvas.drawCentredString(A4[0] / 2, y, fill(c, page, pages_total))
            canvas.drawRightString(A4[0] - right, y, fill(r, page, pages_total))
            y -= (size + 2)
        if h:
            canvas.setLineWidth(0.4)
            canvas.line(left, y + size * 0.4, A4[0] - right, y + size * 0.4)
        f = conf.get("footer", [])
        y = 12 * mm + (len(f) - 1) * (size + 1)
        for row in f:
            l, c, r = (row + ["", "", ""])[:3]
            canvas.setFont(font, size - 2)
            canvas.drawString(left, y, fill(l, page, pages_total))
            canvas.drawCentredString(A4[0] / 2, y, fill(c, page, pages_total))
            canvas.drawRightString(A4[0] - right, y, fill(r, page, pages_total))
            y -= (size + 1)
        if conf.get("sign_boxes"):
            canvas.setLineWidth(0.5)
            canvas.rect(left, 16 * mm, 40 * mm, 9 * mm)
            canvas.rect(A4[0] - right - 40 * mm, 16 * mm, 40 * mm, 9 * mm)
        canvas.restoreState()

    pages_total = 1
    for _ in range(2):
        doc = SimpleDocTemplate(out_pdf, pagesize=A4, leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom,
                                title=conf.get("pdf_title", ""), author="", creator="")
        counter = {"n": 0}

        def on_page(canvas, doc, _t=pages_total):
            counter["n"] += 1
            furniture(canvas, doc, _t)

        doc.build(flow(pages_total), onFirstPage=on_page, onLaterPages=on_page)
        pages_total = counter["n"]


# ---------------------------------------------------------------------------------------
# LibreOffice (via .docx)
# ---------------------------------------------------------------------------------------
def render_libreoffice(conf, blocks, out_pdf, workdir):
    d = build_docx(conf, blocks)
    stem = os.path.splitext(os.path.basename(out_pdf))[0]
    docx_path = os.path.join(workdir, stem + ".docx")
    d.save(docx_path)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", workdir, docx_path],
                   check=True, capture_output=True, timeout=300)
    shutil.move(os.path.join(workdir, stem + ".pdf"), out_pdf)


WORD_FONTS = {"DejaVuSans.ttf": "DejaVu Sans", "DejaVuSerif.ttf": "DejaVu Serif", "LiberationSans-Regular.ttf": "Liberation Sans",
              "LiberationSerif-Regular.ttf": "Liberation Serif", "Times-Roman": "Liberation Serif"}


def build_docx(conf, blocks, word=None):
    """The protocol as a python-docx Document: the intermediate of the LibreOffice PDFs, or
    with `word` (the options of the word shape) the Word rendering itself."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    d = Document()
    font = conf.get("font", "Arial")
    if word:
        # the ReportLab protocols name font files or PostScript fonts; Word wants families
        font = WORD_FONTS.get(font, "Arial" if font.endswith(".ttf") or font.startswith("Helvetica") else font)
    size = conf.get("size", 11)
    normal = d.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(size)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), font)
    normal.paragraph_format.space_after = Pt(size * 0.5)
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin, sec.right_margin = Mm(25), Mm(20)
    sec.top_margin, sec.bottom_margin = Mm(30), Mm(25)
    sec.header_distance, sec.footer_distance = Mm(10), Mm(10)
    width_mm = 165

    def add_text_with_fields(par, s, bold=False, sz=None):
        # {page} and {pages} become PAGE / NUMPAGES fields
        for part in re.split(r"(\{page\}|\{pages\})", s):
            if not part:
                continue
            if part in ("{page}", "{pages}"):
                fld = OxmlElement("w:fldSimple")
                fld.set(qn("w:instr"), "PAGE" if part == "{page}" else "NUMPAGES")
                r = OxmlElement("w:r")
                t = OxmlElement("w:t")
                t.text = "1"
                r.append(t)
                fld.append(r)
                par._p.append(fld)
            else:
                run = par.add_run(part)
                run.bold = bold
                if sz:
                    run.font.size = Pt(sz)

    def borderless(table):
        tbl = table._tbl
        tblPr = tbl.tblPr
        borders = OxmlElement("w:tblBorders")
        for e in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{e}")
            el.set(qn("w:val"), "nil")
            borders.append(el)
        tblPr.append(borders)

    def set_widths(table, widths_mm):
        # LibreOffice reads the grid, Word the cells: set both
        grid = table._tbl.tblGrid
        for i, gc in enumerate(grid.findall(qn("w:gridCol"))):
            if i < len(widths_mm):
                gc.set(qn("w:w"), str(int(widths_mm[i] * 56.7)))
        for row in table.rows:
            for i, c in enumerate(row.cells):
                if i < len(widths_mm):
                    c.width = Mm(widths_mm[i])

    def furniture_table(container, rows, sz, boldfirst=False, widths=None):
        ncol = max(len(r) for r in rows)
        t = container.add_table(rows=len(rows), cols=ncol, width=Mm(width_mm))
        borderless(t)
        if widths:
            set_widths(t, [width_mm * w / sum(widths) for w in widths])
        for ri, r in enumerate(rows):
            for ci in range(ncol):
                c = t.cell(ri, ci)
                p = c.paragraphs[0]
                if ci == ncol - 1 and ncol > 1:
                    p.alignment = 2  # right
                elif ci > 0 and ncol == 3:
                    p.alignment = 1  # centre
                add_text_with_fields(p, r[ci] if ci < len(r) else "", bold=boldfirst and ri == 0, sz=sz)
        return t

    if conf.get("header"):
        furniture_table(sec.header, conf["header"], size - 1, boldfirst=conf.get("header_bold", False), widths=conf.get("header_widths"))
        sec.header.paragraphs[0].text = ""
    if conf.get("footer"):
        furniture_table(sec.footer, conf["footer"], size - 2, widths=conf.get("footer_widths"))
        sec.footer.paragraphs[0].text = ""

    lists = WordLists(d) if word and word.get("numbered") else None
    for b in blocks:
        k = b["kind"]
        if k in ("item", "end"):
            continue
        numbered = lists.number_of(b) if lists else None
        if word and k in ("T", "B") or numbered:
            add_word_paragraph(d, b, size, numbered)
            continue
        if k == "page":
            d.add_page_break()
        elif k == "space":
            d.add_paragraph("")
        elif k == "table":
            o = b["opts"]
            ncol = max(len(r) for r in b["rows"])
            ws = [float(x) for x in o.get("widths", ",".join(["1"] * ncol)).split(",")]
            ws = [width_mm * w / sum(ws) for w in ws]
            t = d.add_table(rows=len(b["rows"]), cols=ncol)
            t.alignment = WD_TABLE_ALIGNMENT.LEFT
            if o.get("grid") == "1":
                t.style = d.styles["Table Grid"]
            else:
                borderless(t)
            for ri, r in enumerate(b["rows"]):
                for ci in range(ncol):
                    c = t.cell(ri, ci)
                    lines = cell_lines(r[ci] if ci < len(r) else "")
                    isb = (o.get("head") == "1" and ri == 0) or (o.get("bold1") == "1" and ci == 0)
                    p = c.paragraphs[0]
                    for li, x in enumerate(lines):
                        if li:
                            p = c.add_paragraph()
                        run = p.add_run(x)
                        run.bold = isb
                        p.paragraph_format.space_after = Pt(1)
            set_widths(t, ws)
            d.add_paragraph("").paragraph_format.space_after = Pt(2)
        else:
            p = d.add_paragraph()
            if k == "B":
                p.paragraph_format.left_indent = Mm(8)
                p.paragraph_format.first_line_indent = Mm(-5)
                p.add_run("•\t" + b["text"])
                p.paragraph_format.space_after = Pt(1)
            elif k == "I":
                p.paragraph_format.left_indent = Mm(12)
                p.add_run(b["text"])
            elif k == "C":
                p.alignment = 1
                p.add_run(b["text"]).font.size = Pt(size - 2)
            else:
                text = re.sub(r" {3,}", "\t", b["text"])
                if "\t" in text:
                    p.paragraph_format.tab_stops.add_tab_stop(Mm(40))
                run = p.add_run(text)
                if k in ("T", "H", "S"):
                    run.bold = True
                if k == "T":
                    run.font.size = Pt(size + 5)
                elif k == "H":
                    run.font.size = Pt(size + 1.5)
                    p.paragraph_format.space_before = Pt(size * 0.6)
                    p.paragraph_format.keep_with_next = True
                elif k == "S":
                    p.paragraph_format.space_before = Pt(size * 0.4)
                    p.paragraph_format.space_after = Pt(1)
                    p.paragraph_format.keep_with_next = True
    d.core_properties.author = ""
    d.core_properties.title = conf.get("pdf_title", "")
    return d


class WordLists:
    """Word auto-numbering for numbered minnesanteckningar: one multilevel list for the
    items ("%1." or "%1)" at level 0, "%1.%2" at level 1) and a letter list ("%1)") that
    restarts, through a new list instance with a start override, under each item."""

    ITEM = re.compile(r"^(\d+)([.)])\s+(.*)$")
    SUB = re.compile(r"^(\d+)\.(\d+)\s+(.*)$")
    LETTER = re.compile(r"^([a-z])\)\s+(.*)$")

    def __init__(self, d):
        from docx.oxml.ns import qn
        self.qn = qn
        self.root = d.part.numbering_part.element
        used_abs = [int(a.get(qn("w:abstractNumId"))) for a in self.root.findall(qn("w:abstractNum"))]
        used_num = [int(n.get(qn("w:numId"))) for n in self.root.findall(qn("w:num"))]
        self.next_abs = max(used_abs, default=0) + 1
        self.next_num = max(used_num, default=0) + 1
        self.items = None        # (numId, item suffix) once the first item is seen
        self.letters_abs = None
        self.letters_num = None  # numId of the current run of letter items
        self.expect = {"item": 0, "sub": 0, "letter": 0}

    def _el(self, tag, **attrs):
        from docx.oxml import OxmlElement
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(self.qn(k), str(v))
        return el

    def _abstract(self, levels):
        aid = self.next_abs
        self.next_abs += 1
        an = self._el("w:abstractNum", **{"w:abstractNumId": aid})
        an.append(self._el("w:multiLevelType", **{"w:val": "multilevel"}))
        for i, (fmt, text) in enumerate(levels):
            lvl = self._el("w:lvl", **{"w:ilvl": i})
            lvl.append(self._el("w:start", **{"w:val": 1}))
            lvl.append(self._el("w:numFmt", **{"w:val": fmt}))
            lvl.append(self._el("w:lvlText", **{"w:val": text}))
            lvl.append(self._el("w:lvlJc", **{"w:val": "left"}))
            ppr = self._el("w:pPr")
            ppr.append(self._el("w:ind", **{"w:left": 425 * (i + 1), "w:hanging": 425}))
            lvl.append(ppr)
            an.append(lvl)
        first_num = self.root.find(self.qn("w:num"))
        if first_num is not None:
            first_num.addprevious(an)
        else:
            self.root.append(an)
        return aid

    def _num(self, aid, restart=False):
        nid = self.next_num
        self.next_num += 1
        num = self._el("w:num", **{"w:numId": nid})
        num.append(self._el("w:abstractNumId", **{"w:val": aid}))
        if restart:
            o = self._el("w:lvlOverride", **{"w:ilvl": 0})
            o.append(self._el("w:startOverride", **{"w:val": 1}))
            num.append(o)
        self.root.append(num)
        return nid

    def number_of(self, b):
        """(numId, level, text without its typed number) for a numbered block, else None.
        The typed numbers must be the ones Word will count, or the rendering would lie."""
        k, text = b["kind"], b.get("text", "")
        m = self.SUB.match(text) if k in ("S", "P") else None
        if m and self.items:
            assert int(m.group(1)) == self.expect["item"] and int(m.group(2)) == self.expect["sub"] + 1, text
            self.expect["sub"] += 1
            return self.items[0], 1, m.group(3)
        m = self.ITEM.match(text) if k == "H" else None
        if m:
            if self.items is None:
                aid = self._abstract([("decimal", "%1" + m.group(2)), ("decimal", "%1.%2")])
                self.items = (self._num(aid), m.group(2))
            assert int(m.group(1)) == self.expect["item"] + 1 and m.group(2) == self.items[1], text
            self.expect.update(item=self.expect["item"] + 1, sub=0, letter=0)
            self.letters_num = None
            return self.items[0], 0, m.group(3)
        m = self.LETTER.match(text) if k == "S" else None
        if m:
            if self.letters_abs is None:
                self.letters_abs = self._abstract([("lowerLetter", "%1)")])
            if self.letters_num is None:
                self.letters_num = self._num(self.letters_abs, restart=True)
            assert ord(m.group(1)) - ord("a") == self.expect["letter"], text
            self.expect["letter"] += 1
            return self.letters_num, 0, m.group(2)
        return None


def add_word_paragraph(d, b, size, numbered):
    """A block of the word shape: the title in Word's Title style, a bullet in List Bullet,
    a numbered heading or sub-item as an auto-numbered list paragraph."""
    from docx.shared import Pt
    k = b["kind"]
    if k == "T":
        d.add_paragraph(b["text"], style="Title")
        return
    if k == "B":
        p = d.add_paragraph(b["text"], style="List Bullet")
        p.paragraph_format.space_after = Pt(1)
        return
    num_id, level, text = numbered
    p = d.add_paragraph()
    ppr = p._p.get_or_add_pPr()
    num_pr = ppr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id
    run = p.add_run(text)
    if k in ("H", "S"):
        run.bold = True
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_before = Pt(size * (0.6 if k == "H" else 0.4))
    if k == "H":
        run.font.size = Pt(size + 1.5)


def render_word(conf, blocks, opts, workdir):
    """The word shape: tests/layouts/word/<base>-docx.docx and/or <base>-odt.odt."""
    base = conf["base"]
    formats = opts.get("formats", ["docx", "odt"])
    out_dir = os.path.join(OUT, "word")
    os.makedirs(out_dir, exist_ok=True)
    d = build_docx(conf, blocks, word=opts)
    docx_path = os.path.join(out_dir, base + "-docx.docx")
    sources = []
    if "docx" in formats:
        d.save(docx_path)
        sources.append(f"word/{base}-docx.docx")
    if "odt" in formats:
        tmp = os.path.join(workdir, base + "-odt.docx")
        d.save(tmp)
        subprocess.run(["soffice", "--headless", "--convert-to", "odt", "--outdir", workdir, tmp],
                       check=True, capture_output=True, timeout=300)
        shutil.move(os.path.join(workdir, base + "-odt.odt"), os.path.join(out_dir, base + "-odt.odt"))
        sources.append(f"word/{base}-odt.odt")
    return sources


# ---------------------------------------------------------------------------------------
# Text shapes
# ---------------------------------------------------------------------------------------
def pdftotext_raw(pdf):
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"], check=True, capture_output=True).stdout.decode("utf-8")


def blocks_text_lines(blocks, table_sep="  ", wrap=None):
    """The protocol as plain lines, one block a line (tables: one row a line); with `wrap`,
    paragraphs are wrapped at that many columns as a text editor would."""
    import textwrap
    lines = []
    for b in blocks:
        k = b["kind"]
        if k in ("item", "end", "space"):
            continue
        if k == "page":
            lines.append("\f")
        elif k == "table":
            for r in b["rows"]:
                lines.append(table_sep.join(" ".join(cell_lines(c)) for c in r if c.strip()))
        elif k == "B":
            lines.append("• " + b["text"])
        elif wrap and k in ("P", "I"):
            ind = "    " if k == "I" else ""
            lines.extend(textwrap.wrap(b["text"], wrap, initial_indent=ind, subsequent_indent=ind))
        else:
            lines.append(b["text"])
    return lines


def flat_pages(raw, numbered):
    pages = [p for p in raw.split("\f") if p.strip()]
    out = []
    for i, p in enumerate(pages, 1):
        line = re.sub(r"\s+", " ", p).strip()
        out.append((f"{i} " if numbered else "") + line)
    return "\n".join(out) + "\n"


def flat_paragraphs(blocks):
    """Line breaks lost inside sections, as a copy from a web viewer gives them: a new line
    starts at each heading (H, S); the paragraphs, lists and tables under a heading run on
    in its line. Before the first heading each block keeps a line of its own."""
    out = []
    seen_heading = False
    for b in blocks:
        k = b["kind"]
        if k == "end":  # back matter starts a line of its own
            seen_heading = False
            continue
        if k in ("item", "space", "page"):
            continue
        if k == "table":
            text = " ".join(" ".join(cell_lines(c)) for r in b["rows"] for c in r if c.strip())
        elif k == "B":
            text = "• " + b["text"]
        else:
            text = b["text"]
        if k in ("H", "S", "T"):
            seen_heading = seen_heading or k != "T"
            out.append(text)
        elif seen_heading and out:
            out[-1] += " " + text
        else:
            out.append(text)
    return "\n".join(re.sub(r"\s+", " ", x).strip() for x in out) + "\n"


# ---------------------------------------------------------------------------------------
# HTML shapes
# ---------------------------------------------------------------------------------------
def h(s):
    return htmlmod.escape(s, quote=True)


def blocks_html(blocks, item_heading_kinds=("H",)):
    """Content blocks as HTML; item heading lines (H:) are left out, the portal makes its own."""
    out = []
    for b in blocks:
        k = b["kind"]
        if k in ("item", "end", "space", "page"):
            continue
        if k in item_heading_kinds:
            continue
        if k == "table":
            o = b["opts"]
            rows = []
            for ri, r in enumerate(b["rows"]):
                tag = "th" if (o.get("head") == "1" and ri == 0) else "td"
                rows.append("<tr>" + "".join(f"<{tag}>" + "<br>".join(h(x) for x in cell_lines(c)) + f"</{tag}>" for c in r) + "</tr>")
            out.append('<table class="protokoll-tabell">\n' + "\n".join(rows) + "\n</table>")
        elif k == "T":
            out.append(f"<h2>{h(b['text'])}</h2>")
        elif k == "S":
            out.append(f"<h4>{h(b['text'])}</h4>")
        elif k == "H":
            out.append(f"<h3>{h(b['text'])}</h3>")
        elif k == "B":
            out.append(f"<ul><li>{h(b['text'])}</li></ul>")
        elif k == "I":
            out.append(f"<blockquote><p>{h(b['text'])}</p></blockquote>")
        else:
            out.append(f"<p>{h(b['text'])}</p>")
    # merge adjacent single-item lists
    s = "\n".join(out)
    return s.replace("</li></ul>\n<ul><li>", "</li>\n<li>")


def split_items(blocks):
    front, items, back = [], [], []
    cur = None
    state = "front"
    for b in blocks:
        if b["kind"] == "item":
            cur = {"nr": b["nr"], "title": b["title"], "dnr": b["dnr"], "blocks": []}
            items.append(cur)
            state = "items"
            continue
        if b["kind"] == "end":
            state = "back"
            continue
        if state == "front":
            front.append(b)
        elif state == "items":
            cur["blocks"].append(b)
        else:
            back.append(b)
    return front, items, back


def render_portal(conf, blocks, template):
    site = conf["site"]
    front, items, back = split_items(blocks)
    menu = "".join(f'<li><a href="/{re.sub(r"[^a-z]+", "-", m.lower())}">{h(m)}</a></li>' for m in site["menu"])
    crumbs = ' <span aria-hidden="true">/</span> '.join(f'<a href="#">{h(c)}</a>' for c in site["breadcrumbs"])
    parts = []
    label = conf.get("item_label", "§ {nr}")
    for it in items:
        lab = h(label.replace("{nr}", it["nr"]))
        dnr = f'<p class="arende-dnr">Diarienummer: {h(it["dnr"])}</p>\n' if it["dnr"] else ""
        body = blocks_html(it["blocks"])
        if template == "accordion":
            parts.append(f'<details class="arende" id="p{h(it["nr"])}">\n<summary><span class="nr">{lab}</span> '
                         f'<span class="rubrik">{h(it["title"])}</span></summary>\n<div class="arende-innehall">\n{dnr}{body}\n</div>\n</details>')
        elif template == "blocks":
            parts.append(f'<section class="arende" id="p{h(it["nr"])}">\n<h2>{lab} {h(it["title"])}</h2>\n{dnr}{body}\n'
                         f'<p class="till-toppen"><a href="#main">Till toppen av sidan</a></p>\n</section>')
        elif template == "bullets":
            parts.append(f'<li class="agenda-item">\n<div class="agenda-item__number">• {lab}</div>\n'
                         f'<div class="agenda-item__title">{h(it["title"])}</div>\n<div class="agenda-item__body">\n{dnr}{body}\n</div>\n</li>')
    if template == "bullets":
        content = '<ul class="agenda">\n' + "\n".join(parts) + "\n</ul>"
    else:
        content = "\n".join(parts)
    related = "".join(f'<li><a href="#">{h(r)}</a></li>' for r in site.get("related", []))
    return f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>{h(site["title"])}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/main.css">
<script src="/assets/analytics.js" defer></script>
</head>
<body>
<a class="skip" href="#main">{h(site.get("skip", "Gå direkt till innehåll"))}</a>
<div class="cookie-banner" role="dialog"><p>{h(site.get("cookie", "Webbplatsen använder kakor för att förbättra din upplevelse."))}</p><button>Jag förstår</button></div>
<header class="site-header">
<a class="logo" href="/">{h(site["name"])}</a>
<nav aria-label="Huvudmeny"><ul>{menu}</ul></nav>
<form class="sok" action="/sok"><label for="q">Sök</label><input id="q" name="q"><button>Sök</button></form>
</header>
<nav class="breadcrumbs" aria-label="Brödsmulor">{crumbs}</nav>
<main id="main">
<h1>{h(site["h1"])}</h1>
{blocks_html(front, item_heading_kinds=())}
{content}
{blocks_html(back, item_heading_kinds=())}
</main>
<aside class="relaterat"><h2>{h(site.get("related_title", "Andra sammanträden"))}</h2><ul>{related}</ul></aside>
<footer class="site-footer">
{"".join(f"<p>{h(x)}</p>" for x in site["footer"])}
</footer>
</body>
</html>
"""


def render_pre(conf, text):
    title = conf.get("pre_title", conf["base"])
    return f"""<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><title>{h(title)}</title></head>
<body>
<pre>
{h(text)}
</pre>
</body>
</html>
"""


# ---------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------
def write(path, content):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(content)


def render_one(name, workdir, only=None):
    conf, blocks = read_proto(os.path.join(HERE, "src", name + ".proto"))
    with open(os.path.join(HERE, "keys", name + ".json"), encoding="utf-8") as f:
        key = json.load(f)
    base = conf["base"]
    pdf_path = os.path.join(OUT, "pdf", base + ".pdf")
    raw = None
    sources = []
    for r in conf["renders"]:
        shape = r["shape"]
        if only and shape not in only:
            continue
        if shape == "word":
            sources.extend(render_word(conf, blocks, r, workdir))
        elif shape == "pdf":
            if conf["engine"] == "rl":
                render_reportlab(conf, blocks, pdf_path)
            else:
                render_libreoffice(conf, blocks, pdf_path, workdir)
            raw = pdftotext_raw(pdf_path)
            sources.append(f"pdf/{base}.pdf")
        elif shape == "text":
            # pdftotext -raw of the PDF where there is one, else the text as written
            suffix = "-raw" if raw is not None else "-text"
            text = raw if raw is not None else "\n".join(blocks_text_lines(blocks, wrap=conf.get("wrap", 78))) + "\n"
            write(os.path.join(OUT, "text", base + suffix + ".txt"), text)
            sources.append(f"text/{base}{suffix}.txt")
        elif shape == "pre":
            text = raw if raw is not None else "\n".join(blocks_text_lines(blocks, wrap=conf.get("wrap", 78))) + "\n"
            write(os.path.join(OUT, "text", base + "-pre.html"), render_pre(conf, text))
            sources.append(f"text/{base}-pre.html")
        elif shape == "html":
            write(os.path.join(OUT, "html", base + "-portal.html"), render_portal(conf, blocks, r["template"]))
            sources.append(f"html/{base}-portal.html")
        elif shape == "flat":
            mode = r.get("mode", "page")
            if mode == "para":
                text = flat_paragraphs(blocks)
            else:
                assert raw is not None, f"{name}: flat mode {mode} needs a PDF rendered before it"
                text = flat_pages(raw, numbered=(mode == "page-num"))
            write(os.path.join(OUT, "flat", base + "-flat.txt"), text)
            sources.append(f"flat/{base}-flat.txt")
        else:
            raise ValueError(shape)
    for src in sources:
        stem = os.path.splitext(os.path.basename(src))[0]
        g = {"source": src}
        g.update({k: v for k, v in key.items() if k != "source"})
        write(os.path.join(OUT, "gold", stem + ".json"), json.dumps(g, ensure_ascii=False, indent=1) + "\n")
    return sources


def main():
    args = sys.argv[1:]
    only = None
    if "--only" in args:
        i = args.index("--only")
        only = set(args[i + 1].split(","))
        del args[i:i + 2]
    names = sorted(f[:-6] for f in os.listdir(os.path.join(HERE, "src")) if f.endswith(".proto"))
    if args:
        names = [n for n in names if any(a in n for a in args)]
    with tempfile.TemporaryDirectory() as work:
        for n in names:
            srcs = render_one(n, work, only)
            if srcs:
                print(f"{n}: {', '.join(srcs)}")


if __name__ == "__main__":
    main()

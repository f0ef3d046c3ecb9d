"""Low-level python-docx / lxml helpers for the Word report, and the names of the template's styles.

`word.py` decides what goes where; the look of every paragraph lives in the named styles of
`templates_docx/bao_cao_cchc_xa.docx` (built by `templates_docx/build_template.py`), so a province
can restyle the report in Word. What python-docx has no API for (borders, fields, repeated header
rows, page-number restart) is written here as OOXML, each child inserted in schema order: Word
refuses a file whose `w:pPr` / `w:tblPr` children are out of order.
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length
from lxml.etree import SubElement

from cchc_desktop.core.limits import printable

FONT = "Times New Roman"
# the letterhead's two columns (Decree 30: about 6.75 cm + 10 cm); the right one holds
# "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" at 13 pt bold (9.75 cm) on one line with room to spare
LETTERHEAD_COLUMNS = (Cm(6.5), Cm(10.25))


class S:
    """Style names in the template (ASCII, so Word keeps the style ids as they are)."""

    HEADER = "Header"  # page number / "DỰ THẢO" in the top margin
    AGENCY_PARENT = "CCHC Agency Parent"
    AGENCY = "CCHC Agency"
    AGENCY_RULE = "CCHC Agency Rule"
    NUMBER = "CCHC Number"
    NATIONAL = "CCHC National"
    MOTTO = "CCHC Motto"
    MOTTO_RULE = "CCHC Motto Rule"
    PLACE_DATE = "CCHC Place Date"
    TITLE = "CCHC Title"
    SUBJECT = "CCHC Subject"
    SUBJECT_RULE = "CCHC Subject Rule"
    RECIPIENTS = "CCHC Recipients"
    BODY = "CCHC Body"
    HEADING1 = "Heading 1"
    HEADING2 = "Heading 2"
    CC_LABEL = "CCHC CC Label"
    CC_LIST = "CCHC CC List"
    SIGNER = "CCHC Signer"
    SIGNER_NAME = "CCHC Signer Name"
    APPENDIX_LABEL = "CCHC Appendix Label"
    APPENDIX_TITLE = "CCHC Appendix Title"
    APPENDIX_REF = "CCHC Appendix Reference"
    FORM_TITLE = "CCHC Form Title"
    CELL_HEAD = "CCHC Table Head"
    CELL_TEXT = "CCHC Table Text"
    CELL_CENTER = "CCHC Table Center"
    CELL_NUMBER = "CCHC Table Number"
    SECTION_BREAK = "CCHC Section Break"  # the near-invisible paragraph that carries a section break
    DRAFT = "CCHC Draft Mark"  # character style
    LAYOUT_TABLE = "CCHC Layout Table"  # borderless: letterhead, signature block
    DATA_TABLE = "CCHC Data Table"  # bordered: the Biểu mẫu tables

    @classmethod
    def all(cls) -> list[str]:
        return [v for k, v in vars(cls).items() if k.isupper()]


class StyleIds:
    """A paragraph style set by name, its id looked up once per export: python-docx resolves a
    name by scanning every style of the document (twice: for the name and for the default), on
    each of the ~1,000 paragraphs of a report — two thirds of the export's time, measured."""

    _UNKNOWN = object()

    def __init__(self, doc):
        self.part = doc.part
        self.ids: dict[str, str | None] = {}

    def id(self, name: str) -> str | None:
        style_id = self.ids.get(name, self._UNKNOWN)
        if style_id is self._UNKNOWN:  # None is an answer: the default style, written as no w:pStyle
            style_id = self.ids[name] = self.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
        return style_id

    def apply(self, paragraph, name: str) -> None:
        paragraph._p.style = self.id(name)  # what python-docx's Paragraph.style setter does with the id


# ---------------------------------------------------------------- schema order of children
_SEQ = {
    "w:pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "w:rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
    "vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "w:tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "w:trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden",
    "w:tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
    "w:sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
    "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid "
    "printerSettings",
}
_ORDER = {parent: [f"w:{t}" for t in seq.split()] for parent, seq in _SEQ.items()}


def _parent_key(parent) -> str:
    tag = parent.tag.split("}")[1]
    # a style's rPr/pPr follow the same order as a paragraph's
    return f"w:{tag}"


def put(parent, child):
    """Insert `child` into `parent` in schema order, replacing an existing child with its tag."""
    order = _ORDER[_parent_key(parent)]
    tag = child.tag
    name = "w:" + tag.split("}")[1]
    for old in parent.findall(tag):
        parent.remove(old)
    later = order[order.index(name) + 1 :]
    for existing in parent:
        if existing.tag in {qn(t) for t in later}:
            existing.addprevious(child)
            return child
    parent.append(child)
    return child


def el(tag: str, **attrs) -> OxmlElement:
    """`el("w:pgNumType", start=1)` -> <w:pgNumType w:start="1"/>"""
    elm = OxmlElement(tag)
    for key, value in attrs.items():
        elm.set(qn(f"w:{key}"), str(value))
    return elm


def twips(length: Length) -> int:
    return int(round(length / 635))  # 1 twip = 635 EMU


# ---------------------------------------------------------------- fonts and borders
def set_fonts(rpr, name: str = FONT) -> None:
    """All four script slots named, no theme font: Word would otherwise swap in Calibri / MS Mincho."""
    put(rpr, el("w:rFonts", ascii=name, hAnsi=name, eastAsia=name, cs=name))


def border_set(tag: str, edges: dict[str, tuple[str, int, int]]):
    """`edges` maps "top"/"bottom"/... to (val, size in eighths of a point, space in points)."""
    box = OxmlElement(tag)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if edge in edges:
            val, size, space = edges[edge]
            box.append(el(f"w:{edge}", val=val, sz=size, space=space, color="000000" if val != "nil" else "auto"))
    return box


def no_borders(tag: str = "w:tblBorders"):
    return border_set(tag, {e: ("nil", 0, 0) for e in ("top", "left", "bottom", "right", "insideH", "insideV")})


def cell_margins(tag: str = "w:tblCellMar", **sides: Length):
    box = OxmlElement(tag)
    for side in ("top", "left", "bottom", "right"):
        if side in sides:
            box.append(el(f"w:{side}", w=twips(sides[side]), type="dxa"))
    return box


# ---------------------------------------------------------------- tables
def table_layout(table, widths: list[Length], *, centred: bool = False, borderless: bool = False) -> None:
    """Fixed column widths written in the grid and in every cell (Word reads tcW, LibreOffice the grid)."""
    tblPr = table._tbl.tblPr
    put(tblPr, el("w:tblW", w=sum(twips(w) for w in widths), type="dxa"))
    if centred:
        put(tblPr, el("w:jc", val="center"))
    if borderless:
        put(tblPr, no_borders())
    put(tblPr, el("w:tblLayout", type="fixed"))
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(twips(width)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def data_row(cells, *, bold: bool = False, keep_next: bool = False):
    """One body row of a data table — `cells`: (text, style id, width in twips, left indent in
    twips or None) — as a <w:tr> element, byte for byte what python-docx writes for add_row,
    row_flags, the style, a run (bold), keep_with_next, left_indent, the width and a centred
    vAlign, at a tenth of the cost. The text is made xml_safe here; its tabs and line breaks go
    through python-docx's own run text."""
    tr = OxmlElement("w:tr")
    SubElement(SubElement(tr, qn("w:trPr")), qn("w:cantSplit"))
    for text, style_id, width, indent in cells:
        tc = SubElement(tr, qn("w:tc"))
        tcPr = SubElement(tc, qn("w:tcPr"))
        SubElement(tcPr, qn("w:tcW"), {qn("w:type"): "dxa", qn("w:w"): str(width)})
        SubElement(tcPr, qn("w:vAlign"), {qn("w:val"): "center"})
        p = SubElement(tc, qn("w:p"))
        pPr = SubElement(p, qn("w:pPr"))
        if style_id is not None:
            SubElement(pPr, qn("w:pStyle"), {qn("w:val"): style_id})
        if keep_next:
            SubElement(pPr, qn("w:keepNext"))
        if indent is not None:
            SubElement(pPr, qn("w:ind"), {qn("w:left"): str(indent)})
        if text:  # a run even when xml_safe leaves nothing of the text, as add_run did
            r = SubElement(p, qn("w:r"))
            if bold:
                SubElement(SubElement(r, qn("w:rPr")), qn("w:b"))
            text = xml_safe(text)
            if "\t" in text or "\n" in text or "\r" in text:
                r.text = text  # python-docx: <w:tab/>, <w:br/> between the pieces
            elif text:
                SubElement(r, qn("w:t")).text = text
    return tr


def row_flags(row, *, header: bool = False, cant_split: bool = True) -> None:
    trPr = row._tr.get_or_add_trPr()
    if cant_split:
        put(trPr, el("w:cantSplit"))
    if header:
        put(trPr, el("w:tblHeader"))


# ---------------------------------------------------------------- paragraphs and fields
def add_field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A real field (begin / instrText / separate / result / end) that Word and LibreOffice update."""
    def run_with(child):
        r = paragraph.add_run()._r
        r.append(child)
        return r

    run_with(el("w:fldChar", fldCharType="begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    run_with(el("w:fldChar", fldCharType="separate"))
    paragraph.add_run(placeholder)
    run_with(el("w:fldChar", fldCharType="end"))


# XML cannot hold C0 controls or lone surrogates, and text stored before the session refused
# them (or pasted from Word: \x0b is its manual line break) may still have some
xml_safe = printable


def preserve_spaces(root) -> None:
    """xml:space="preserve" on every w:t, so "Số:      /BC-UBND" keeps its blank for the pen."""
    for t in root.iter(qn("w:t")):
        t.set(qn("xml:space"), "preserve")


def style_font(doc, name: str, default_size: float = 13.0) -> tuple[float, bool]:
    """(size in pt, bold) of paragraph style `name`, following its base styles as Word does."""
    size = bold = None
    try:
        style = doc.styles[name]
    except KeyError:
        style = None
    while style is not None and (size is None or bold is None):
        font = style.font
        if size is None and font.size is not None:
            size = font.size.pt
        if bold is None and font.bold is not None:
            bold = font.bold
        style = style.base_style
    return size or default_size, bool(bold)


# ---------------------------------------------------------------- sections
def set_page_number_start(section, start: int = 1) -> None:
    put(section._sectPr, el("w:pgNumType", start=start))


def text_width(section) -> Length:
    return Length(section.page_width - section.left_margin - section.right_margin)

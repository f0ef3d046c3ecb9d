"""The printed report as a Word file (Decree 30/2020/NĐ-CP, Appendix I, model form 1.4).

Approach: the template `templates_docx/bao_cao_cchc_xa.docx` is the style sheet and page set-up.
It is opened with python-docx, its body (a specimen of the styles) is emptied, and the report is
written paragraph by paragraph with the template's NAMED styles ("CCHC Body", "Heading 1",
"CCHC Agency", …), so restyling a style in Word restyles every report. Direct formatting is kept
to what depends on the content (a depth indent and bold heading rows in the appendix, a centred
single recipient, air above the signature block). Everything printed comes from the `PrintedReport`;
no report logic lives here.
"""

from __future__ import annotations

import datetime as dt

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT as VALIGN
from docx.enum.text import WD_ALIGN_PARAGRAPH as AL
from docx.enum.text import WD_TAB_ALIGNMENT as TAB
from docx.shared import Cm, Length, Mm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from cchc_desktop.formats.docx_parts import (
    LETTERHEAD_COLUMNS,
    S,
    StyleIds,
    add_field,
    data_row,
    preserve_spaces,
    row_flags,
    set_page_number_start,
    style_font,
    table_layout,
    text_width,
    twips,
    xml_safe,
)
from cchc_desktop.formats.printed import PrintedForm, PrintedParagraph, PrintedReport
from cchc_desktop.formats.text_metrics import text_width_pt
from cchc_desktop.system.shipped import PROJECT_ROOT, find
from cchc_desktop.core.vocabulary import FORM_COLUMNS


TEMPLATE_NAME = "bao_cao_cchc_xa.docx"


def _default_template() -> Path:
    """templates_docx/ of the project, a frozen bundle or an installed prefix (see locations)."""
    try:
        return find("templates_docx", TEMPLATE_NAME)
    except FileNotFoundError:
        return PROJECT_ROOT / "templates_docx" / TEMPLATE_NAME  # _open_template names it as missing


DEFAULT_TEMPLATE: Path = _default_template()

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
TITLE = "BÁO CÁO"
CC_LABEL = "Nơi nhận:"
APPENDIX_LABEL = "Phụ lục"
DRAFT_MARK = "DỰ THẢO"

CC_COLUMN = Cm(7.0)  # "Nơi nhận" on the left, the signer on the right of the rest
APPENDIX_COLUMNS = (1.7, 13.0, 4.4, 2.8, 3.8)  # FORM_COLUMNS' proportions, scaled to the text width
APPENDIX_MARGINS = {"top": Mm(25), "bottom": Mm(20), "left": Mm(20), "right": Mm(20)}
AGENCY_RULE_SHARE = 5 / 12  # between 1/3 and 1/2 of the name's line, Decree 30
DEPTH_INDENT = Cm(0.4)  # "Chỉ tiêu" indented by level: 1.3 → 1.3.2 → 1.3.2.1


def write_docx(
    view: PrintedReport,
    path: Path,
    *,
    draft: bool = False,
    appendix: bool = True,
    template: Path | None = None,
) -> None:
    """Write the report to `path` (directly: temp files and replacing are the caller's business).

    draft: "DỰ THẢO" in the page header of every page. appendix: the Biểu mẫu tables after the
    signature, on landscape pages numbered on their own."""
    doc = _open_template(Path(template) if template else DEFAULT_TEMPLATE)
    writer = _Writer(doc, view, draft)
    writer.report()
    if appendix:
        writer.appendix()
    preserve_spaces(doc.element.body)
    _properties(doc, view, draft)
    doc.save(str(path))


def _open_template(template: Path):
    if not template.is_file():
        raise FileNotFoundError(f"Không tìm thấy tệp mẫu Word: {template}")
    doc = Document(str(template))
    doc.element.body.clear_content()  # the specimen goes; the page set-up (w:sectPr) stays
    present = {s.name for s in doc.styles}
    for name in S.all():  # a template restyled by hand may have lost a style: plain beats a crash
        if name not in present:
            kind = WD_STYLE_TYPE.TABLE if name.endswith("Table") else WD_STYLE_TYPE.PARAGRAPH
            doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER if name == S.DRAFT else kind)
    return doc


class _Writer:
    def __init__(self, doc, view: PrintedReport, draft: bool):
        self.doc = doc
        self.view = view
        self.draft = draft
        self.styles = StyleIds(doc)

    # ------------------------------------------------------------------ small pieces
    def para(self, text: str, style: str):
        p = self.doc.add_paragraph(xml_safe(text))
        self.styles.apply(p, style)
        return p

    def body_para(self, p: PrintedParagraph):
        # "- " and "+ " lines are typed characters, not Word bullets: that is how the documents look
        return self.para(f"{p.bullet} {p.text}" if p.bullet else p.text, S.BODY)

    def cell_lines(self, cell, lines: list[tuple[str, str]]) -> list:
        out = []
        for n, (text, style) in enumerate(lines):
            p = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
            self.styles.apply(p, style)
            if text:
                p.add_run(xml_safe(text))
            out.append(p)
        return out

    def line_width(self, text: str, style: str) -> Length:
        """The width of `text` set on one line in paragraph style `style` (its size and weight as
        the template gives them), Times New Roman's metrics (formats.text_metrics)."""
        size, bold = style_font(self.doc, style)
        return Pt(text_width_pt(text, size, bold))

    @staticmethod
    def rule_under(paragraph, column: Length, length: Length) -> None:
        """The rule paragraph's bottom border `length` long, centred in its `column` (the layout
        table's cells have no margins): equal left and right indents, direct on the paragraph."""
        length = min(int(length), int(column))
        pf = paragraph.paragraph_format
        pf.left_indent = pf.right_indent = Length((int(column) - length) // 2)

    def layout_table(self, rows: int, widths: tuple[Length, ...], *, centred: bool):
        table = self.doc.add_table(rows=rows, cols=len(widths))
        table.style = self.doc.styles[S.LAYOUT_TABLE]
        table_layout(table, list(widths), centred=centred, borderless=True)
        return table

    # ------------------------------------------------------------------ the report
    def report(self) -> None:
        v = self.view
        self.page_headers(self.doc.sections[0])
        self.letterhead()
        self.para(TITLE, S.TITLE)
        self.para(v.trich_yeu(), S.SUBJECT)
        self.para("", S.SUBJECT_RULE)
        self.recipients()
        for p in v.opening():
            self.body_para(p)
        for block in v.body():
            self.para(block.heading, S.HEADING1 if block.level == 1 else S.HEADING2)
            for p in block.paragraphs:
                self.body_para(p)
        closing = [self.body_para(p) for p in v.closing()]
        if closing:
            closing[-1].paragraph_format.keep_with_next = True  # never a signature alone on a page
        self.signature()

    def letterhead(self) -> None:
        v = self.view
        table = self.layout_table(2, LETTERHEAD_COLUMNS, centred=True)
        agency, national = table.rows[0].cells
        names = [(text, S.AGENCY if bold else S.AGENCY_PARENT) for text, bold in v.agency_lines()]
        *_, agency_rule = self.cell_lines(agency, names + [("", S.AGENCY_RULE)])
        *_, motto_rule = self.cell_lines(national, [(NATIONAL_TITLE, S.NATIONAL), (MOTTO, S.MOTTO), ("", S.MOTTO_RULE)])
        # Decree 30: the line under the agency's name 1/3–1/2 as long as that line of text, the
        # motto's as long as the motto; measured from the text, so it follows the name's length
        last, style = names[-1]
        self.rule_under(agency_rule, LETTERHEAD_COLUMNS[0], self.line_width(last, style) * AGENCY_RULE_SHARE)
        self.rule_under(motto_rule, LETTERHEAD_COLUMNS[1], self.line_width(MOTTO, S.MOTTO))
        number, place_date = table.rows[1].cells
        self.cell_lines(number, [(v.number_line(), S.NUMBER)])
        self.cell_lines(place_date, [(v.place_date_line(), S.PLACE_DATE)])
        for cell in (number, place_date):  # "Số: …" and the date on one baseline
            cell.vertical_alignment = VALIGN.BOTTOM

    def recipients(self) -> None:
        lines = self.view.kinh_gui_lines()
        if len(lines) == 1:  # "Kính gửi: X." on one centred line
            pf = self.para(lines[0], S.RECIPIENTS).paragraph_format
            pf.alignment, pf.left_indent, pf.first_line_indent = AL.CENTER, Cm(0), Cm(0)
        else:  # one paragraph: "Kính gửi:" hangs out, the recipients stand one under the other
            self.para(lines[0] + "\t" + "\n".join(lines[1:]), S.RECIPIENTS)

    def signature(self) -> None:
        v = self.view
        width = text_width(self.doc.sections[-1])
        table = self.layout_table(1, (CC_COLUMN, Length(width - CC_COLUMN)), centred=False)
        row_flags(table.rows[0], cant_split=True)
        cc, signer = table.rows[0].cells
        self.cell_lines(cc, [(CC_LABEL, S.CC_LABEL)] + [(line, S.CC_LIST) for line in v.cc_lines()])
        lines, name = v.signer()
        signed = self.cell_lines(signer, [(line, S.SIGNER) for line in lines] + [(name, S.SIGNER_NAME)])
        for first in (cc.paragraphs[0], signed[0]):  # a little air under the closing sentence, both level
            first.paragraph_format.space_before = Pt(6)

    # ------------------------------------------------------------------ page headers
    def page_headers(self, section) -> None:
        """Page number centred in the top margin, none on the first page; "DỰ THẢO" on every page
        of a draft (right-aligned, boxed)."""
        section.different_first_page_header_footer = True
        first = _fresh_paragraph(section.first_page_header)
        if self.draft:
            first.alignment = AL.RIGHT
            first.add_run(DRAFT_MARK, style=S.DRAFT)
        other = _fresh_paragraph(section.header)
        if self.draft:
            width = text_width(section)
            other.alignment = AL.LEFT
            other.paragraph_format.tab_stops.add_tab_stop(Length(width // 2), TAB.CENTER)
            other.paragraph_format.tab_stops.add_tab_stop(width, TAB.RIGHT)
            other.add_run("\t")
            add_field(other, "PAGE")
            other.add_run("\t")
            other.add_run(DRAFT_MARK, style=S.DRAFT)
        else:
            add_field(other, "PAGE")
        for p in (first, other):
            preserve_spaces(p._p)

    # ------------------------------------------------------------------ the appendix
    def appendix(self) -> None:
        v = self.view
        portrait = self.doc.sections[-1]
        long_side, short_side = max(portrait.page_width, portrait.page_height), min(portrait.page_width, portrait.page_height)
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        # the paragraph that now carries the portrait section's properties: as thin as possible
        breaker = self.doc.element.body.xpath("./w:p[w:pPr/w:sectPr]")[-1]
        DocxParagraph(breaker, self.doc._body).style = S.SECTION_BREAK
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = long_side, short_side
        for side, length in APPENDIX_MARGINS.items():
            setattr(section, f"{side}_margin", length)
        set_page_number_start(section, 1)  # an appendix is numbered on its own
        self.page_headers(section)

        self.para(APPENDIX_LABEL, S.APPENDIX_LABEL)
        self.para(v.appendix_title(), S.APPENDIX_TITLE)
        self.para(v.appendix_reference(), S.APPENDIX_REF)
        width = text_width(section)
        total = sum(APPENDIX_COLUMNS)
        widths = [Length(int(width * part / total)) for part in APPENDIX_COLUMNS]
        for form in v.forms():
            self.para(form.title, S.FORM_TITLE)
            self.form_table(form, widths)

    def form_table(self, form: PrintedForm, widths: list[Length]) -> None:
        table = self.doc.add_table(rows=1, cols=len(FORM_COLUMNS))
        table.style = self.doc.styles[S.DATA_TABLE]
        head = table.rows[0]
        row_flags(head, header=True)  # repeated at the top of every page
        for cell, text in zip(head.cells, FORM_COLUMNS):
            self.cell_lines(cell, [(text, S.CELL_HEAD)])
        _keep_with_next(head)
        table_layout(table, widths, centred=True)
        for cell in head.cells:
            cell.vertical_alignment = VALIGN.CENTER
        # the body rows built directly (docx_parts.data_row), to the same XML: python-docx's
        # add_row, cells, width and bold setters cost ~2 ms a row, most of an export's time
        widths_twips = [twips(w) for w in widths]
        styles = [self.styles.id(s) for s in (S.CELL_CENTER, S.CELL_TEXT, S.CELL_CENTER, S.CELL_NUMBER, S.CELL_TEXT)]
        for n, row in enumerate(form.rows):
            texts = (row.stt, row.label, row.unit, row.text, row.note)
            indents = [None, twips(Length(DEPTH_INDENT * (row.depth - 1))) if row.depth > 1 else None, None, None, None]
            # the form's title, its head and first rows on one page; a group heading with its first row
            keep = (n < 2 or row.is_heading) and n < len(form.rows) - 1
            table._tbl.append(data_row(zip(texts, styles, widths_twips, indents), bold=row.bold, keep_next=keep))


def _keep_with_next(row) -> None:
    for cell in row.cells:
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True


def _fresh_paragraph(header) -> DocxParagraph:
    """The header of this section alone (not the previous one's), emptied, with one paragraph."""
    header.is_linked_to_previous = False
    element = header._element
    for child in list(element):
        element.remove(child)
    return header.add_paragraph(style=S.HEADER)


def _properties(doc, view: PrintedReport, draft: bool) -> None:
    cp = doc.core_properties
    agency = xml_safe(view.unit.get("agency_name") or " ".join(text for text, _ in view.agency_lines()))
    subject = xml_safe(view.trich_yeu())
    cp.title = f"Báo cáo {subject[:1].lower()}{subject[1:]}"
    cp.subject = "Báo cáo công tác cải cách hành chính"
    cp.author = cp.last_modified_by = agency
    cp.comments = DRAFT_MARK.capitalize() if draft else ""
    cp.keywords = "CCHC"
    cp.category = "Báo cáo"
    cp.language = "vi-VN"
    cp.revision = 1
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    cp.created = cp.modified = now

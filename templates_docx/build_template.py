"""Builds templates_docx/bao_cao_cchc_xa.docx, the style sheet and page set-up of the Word report.

    python templates_docx/build_template.py          # rewrites the template next to this file

Decree 30/2020/NĐ-CP, Appendix I and model form 1.4: A4 portrait, margins 25/20/35/20 mm
(top/bottom/left/right), Times New Roman everywhere (all four script slots, no theme fonts),
black text. Every piece of the report has a named style ("CCHC Body", "Heading 1", "CCHC Agency",
…): `cchc_desktop/export/word.py` opens this file, empties its body and writes the report with
these styles, so a province that restyles a style in Word restyles every report made from it.
The body of the template is a specimen of each style, to click on and restyle.

The output is byte-for-byte reproducible (fixed dates in the properties and the zip).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH as AL
from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from lxml import etree

from cchc_desktop.formats.docx_parts import (
    FONT,
    LETTERHEAD_COLUMNS,
    S,
    border_set,
    cell_margins,
    el,
    no_borders,
    put,
    set_fonts,
    table_layout,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "bao_cao_cchc_xa.docx"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)
KEEP = {"Normal", "Default Paragraph Font", "Normal Table", "No List", "heading 1", "heading 2", "header", "footer"}

# the short lines drawn in the letterhead's columns and under the trích yếu
AGENCY_COL, NATIONAL_COL = LETTERHEAD_COLUMNS
AGENCY_RULE = Cm(2.2)  # about a third of the column, half of "ỦY BAN NHÂN DÂN"
MOTTO_RULE = Cm(6.3)  # as long as "Độc lập - Tự do - Hạnh phúc" at 14 pt bold
SUBJECT_RULE = Cm(3.5)
TEXT_WIDTH = Mm(210 - 35 - 20)
RULE = ("single", 6, 1)  # 0.75 pt solid line, 1 pt below


def _rule_indent(column, rule):
    return Cm((column - rule) / 2 / 360000)


# style name -> its look: sizes in pt, lengths in cm; based on Normal unless "base" says otherwise;
# "rule": an empty 3-pt paragraph whose bottom border is a short centred line (renders in LibreOffice too)
PARAGRAPH_STYLES = {
    S.HEADER: dict(align=AL.CENTER),
    "Footer": dict(align=AL.CENTER),
    S.AGENCY_PARENT: dict(size=13, align=AL.CENTER),
    S.AGENCY: dict(size=13, bold=True, align=AL.CENTER),
    S.AGENCY_RULE: dict(rule=True, indent=_rule_indent(AGENCY_COL, AGENCY_RULE)),
    S.NUMBER: dict(size=13, align=AL.CENTER, before=6),
    S.NATIONAL: dict(size=13, bold=True, align=AL.CENTER),
    S.MOTTO: dict(size=14, bold=True, align=AL.CENTER),
    S.MOTTO_RULE: dict(rule=True, indent=_rule_indent(NATIONAL_COL, MOTTO_RULE)),
    S.PLACE_DATE: dict(size=14, italic=True, align=AL.CENTER, before=6),
    S.TITLE: dict(size=14, bold=True, align=AL.CENTER, before=24, keep_next=True),
    S.SUBJECT: dict(size=14, bold=True, align=AL.CENTER, left=1.0, right=1.0, keep_next=True),
    S.SUBJECT_RULE: dict(rule=True, indent=_rule_indent(TEXT_WIDTH, SUBJECT_RULE), after=12, keep_next=True),
    S.RECIPIENTS: dict(size=14, left=5.25, first=-2.25, tabs=(5.25,), line=1.15, after=12),
    S.BODY: dict(size=14, align=AL.JUSTIFY, first=1.0, after=6, line=1.2),
    S.HEADING1: dict(size=14, bold=True, align=AL.LEFT, first=1.0, before=6, after=6, line=1.2,
                     keep_next=True, outline=0, next=S.BODY),
    S.HEADING2: dict(size=14, bold=True, align=AL.LEFT, first=1.0, before=3, after=6, line=1.2,
                     keep_next=True, outline=1, next=S.BODY),
    S.CC_LABEL: dict(size=12, bold=True, italic=True),
    S.CC_LIST: dict(size=11),
    S.SIGNER: dict(size=14, bold=True, align=AL.CENTER),
    S.SIGNER_NAME: dict(size=14, bold=True, align=AL.CENTER, before=72),
    S.APPENDIX_LABEL: dict(size=14, bold=True, align=AL.CENTER),
    S.APPENDIX_TITLE: dict(size=14, bold=True, align=AL.CENTER, keep_next=True),
    S.APPENDIX_REF: dict(size=14, italic=True, align=AL.CENTER, after=12),
    S.FORM_TITLE: dict(size=13, bold=True, before=12, after=6, keep_next=True),
    S.CELL_TEXT: dict(size=12, before=2, after=2),
    S.CELL_HEAD: dict(base=S.CELL_TEXT, bold=True, align=AL.CENTER),
    S.CELL_CENTER: dict(base=S.CELL_TEXT, align=AL.CENTER),
    S.CELL_NUMBER: dict(base=S.CELL_TEXT, align=AL.RIGHT),
    S.SECTION_BREAK: dict(size=1, exact=1),
}

# the template's body: what a report looks like, one example of every style (word.py replaces it)
LETTERHEAD = [
    [[(S.AGENCY, "ỦY BAN NHÂN DÂN"), (S.AGENCY, "XÃ BÌNH PHƯỚC"), (S.AGENCY_RULE, "")],
     [(S.NATIONAL, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), (S.MOTTO, "Độc lập - Tự do - Hạnh phúc"), (S.MOTTO_RULE, "")]],
    [[(S.NUMBER, "Số:      /BC-UBND")], [(S.PLACE_DATE, "Bình Phước, ngày      tháng 12 năm 2025")]],
]
MIDDLE = [
    (S.TITLE, "BÁO CÁO"),
    (S.SUBJECT, "Kết quả thực hiện công tác cải cách hành chính năm 2025"),
    (S.SUBJECT_RULE, ""),
    (S.RECIPIENTS, "Kính gửi:\t- Ủy ban nhân dân tỉnh;\n- Sở Nội vụ tỉnh."),
    (S.BODY, "Tệp này là mẫu định dạng của báo cáo công tác cải cách hành chính cấp xã. Khi xuất báo "
             "cáo, phần nội dung này được thay bằng báo cáo thật; định dạng lấy từ các kiểu (Style) của "
             "tệp. Muốn đổi định dạng, sửa kiểu tương ứng (Home > Styles > Modify), không sửa trực tiếp "
             "từng đoạn."),
    (S.HEADING1, "I. TIÊU ĐỀ MỤC LỚN (KIỂU Heading 1)"),
    (S.HEADING2, "1. Tiêu đề mục nhỏ (kiểu Heading 2)"),
    (S.BODY, "- Đoạn gạch đầu dòng: gõ dấu \"-\" hoặc \"+\" ở đầu đoạn, cùng kiểu CCHC Body."),
]
SIGNATURE = [[
    [(S.CC_LABEL, "Nơi nhận:"), (S.CC_LIST, "- Như trên;"), (S.CC_LIST, "- Lưu: VT.")],
    [(S.SIGNER, "TM. ỦY BAN NHÂN DÂN"), (S.SIGNER, "CHỦ TỊCH"), (S.SIGNER_NAME, "Nguyễn Văn A")],
]]
APPENDIX = [
    (S.APPENDIX_LABEL, "Phụ lục"),
    (S.APPENDIX_TITLE, "BIỂU MẪU THỐNG KÊ SỐ LIỆU CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2025"),
    (S.APPENDIX_REF, "(Kèm theo Báo cáo số      /BC-UBND ngày      của Ủy ban nhân dân xã)"),
    (S.FORM_TITLE, "Biểu mẫu 3. Cải cách thủ tục hành chính (TTHC)"),
]
FORM = [
    [(S.CELL_HEAD, "STT"), (S.CELL_HEAD, "Chỉ tiêu"), (S.CELL_HEAD, "Đơn vị tính"), (S.CELL_HEAD, "Số liệu"), (S.CELL_HEAD, "Ghi chú")],
    [(S.CELL_CENTER, "3.3.1"), (S.CELL_TEXT, "Tổng số hồ sơ tiếp nhận"), (S.CELL_CENTER, "Hồ sơ"), (S.CELL_NUMBER, "1.962"), (S.CELL_TEXT, "")],
    [(S.CELL_CENTER, "3.3.5"), (S.CELL_TEXT, "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn"), (S.CELL_CENTER, "%"), (S.CELL_NUMBER, "99,05%"), (S.CELL_TEXT, "")],
]


def _rpr_defaults(rpr, size: float | None = None) -> None:
    set_fonts(rpr)
    put(rpr, el("w:color", val="000000"))
    if size:
        put(rpr, el("w:sz", val=int(size * 2)))
        put(rpr, el("w:szCs", val=int(size * 2)))
    put(rpr, el("w:lang", val="vi-VN", eastAsia="vi-VN", bidi="ar-SA"))


def _reset(style) -> None:
    for tag in ("w:pPr", "w:rPr", "w:tblPr", "w:link", "w:next", "w:rsid"):
        for child in style.element.findall(qn(tag)):
            style.element.remove(child)


def _paragraph_style(doc, name: str, p: dict) -> None:
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    _reset(style)
    style.base_style = doc.styles[p.get("base", "Normal")]
    style.quick_style = True
    style.hidden = False
    if p.get("next"):
        style.next_paragraph_style = doc.styles[p["next"]]
    if p.get("rule"):  # an empty paragraph 3 pt high whose bottom border is the line
        p = {**p, "size": 2, "exact": 3, "align": AL.CENTER}
        put(style.element.get_or_add_pPr(), border_set("w:pBdr", {"bottom": RULE}))
        style.paragraph_format.left_indent = style.paragraph_format.right_indent = p["indent"]
    f, pf = style.font, style.paragraph_format
    _rpr_defaults(style.element.get_or_add_rPr(), p.get("size"))
    if "bold" in p:
        f.bold = p["bold"]
    if "italic" in p:
        f.italic = p["italic"]
    if "align" in p:
        pf.alignment = p["align"]
    for key, attr in (("left", "left_indent"), ("right", "right_indent"), ("first", "first_line_indent")):
        if key in p:
            setattr(pf, attr, Cm(p[key]))
    pf.space_before, pf.space_after = Pt(p.get("before", 0)), Pt(p.get("after", 0))
    if "exact" in p:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(p["exact"])
    else:
        pf.line_spacing = p.get("line", 1.0)
    pf.widow_control = True
    if p.get("keep_next"):
        pf.keep_with_next = True
        pf.keep_together = True
    for pos in p.get("tabs", ()):
        pf.tab_stops.add_tab_stop(Cm(pos), WD_TAB_ALIGNMENT.LEFT)
    if "outline" in p:
        put(style.element.get_or_add_pPr(), el("w:outlineLvl", val=p["outline"]))


def _table_style(doc, name: str, borders, margins) -> None:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.TABLE)
    style.base_style = doc.styles["Normal Table"]
    style.quick_style = True
    _rpr_defaults(style.element.get_or_add_rPr())
    tblPr = etree.SubElement(style.element, qn("w:tblPr"))
    tblPr.append(borders)
    tblPr.append(margins)


def _styles(doc) -> None:
    root = doc.styles.element
    for style in list(root.findall(qn("w:style"))):
        name = style.find(qn("w:name")).get(qn("w:val"))
        if name not in KEEP:
            root.remove(style)
    defaults = root.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    _rpr_defaults(rpr, 14)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(ppr):
        ppr.remove(child)
    ppr.append(el("w:spacing", after=0, line=240, lineRule="auto"))

    normal = doc.styles["Normal"]
    _reset(normal)
    _rpr_defaults(normal.element.get_or_add_rPr(), 14)
    normal.paragraph_format.widow_control = True
    normal.element.get_or_add_pPr().append(el("w:spacing", after=0, line=240, lineRule="auto"))

    _table_style(doc, S.LAYOUT_TABLE, no_borders(), cell_margins(left=Cm(0), right=Cm(0), top=Cm(0), bottom=Cm(0)))
    _table_style(
        doc,
        S.DATA_TABLE,
        border_set("w:tblBorders", {e: ("single", 4, 0) for e in ("top", "left", "bottom", "right", "insideH", "insideV")}),
        cell_margins(left=Cm(0.15), right=Cm(0.15), top=Cm(0), bottom=Cm(0)),
    )
    for name, props in PARAGRAPH_STYLES.items():
        _paragraph_style(doc, name, props)

    draft = doc.styles.add_style(S.DRAFT, WD_STYLE_TYPE.CHARACTER)
    draft.quick_style = True
    rpr = draft.element.get_or_add_rPr()
    _rpr_defaults(rpr, 14)
    draft.font.bold = True
    put(rpr, el("w:bdr", val="single", sz=8, space=1, color="000000"))  # boxed, like a stamp

    for style in root.findall(qn("w:style")):  # every style names the font, none a theme font
        if style.get(qn("w:type")) in ("paragraph", "character", "table") and style.get(qn("w:default")) != "1" or (
            style.get(qn("w:styleId")) == "TableNormal"
        ):
            rpr = style.find(qn("w:rPr"))
            if rpr is None:
                rpr = etree.SubElement(style, qn("w:rPr"))
                tblPr = style.find(qn("w:tblPr"))
                if tblPr is not None:
                    tblPr.addprevious(rpr)
            set_fonts(rpr)


def _page_setup(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(20)
    section.left_margin, section.right_margin = Mm(35), Mm(20)
    section.header_distance, section.footer_distance = Mm(12), Mm(10)
    section.gutter = 0


def _package(doc) -> None:
    """Drop what the python-docx seed carries and a report does not need (a thumbnail of another
    document, the Word 2010 styles copy, custom XML, list numbering in Symbol); set the compatibility mode of Word 2013+."""
    pkg = doc.part.package
    for rId, rel in list(pkg.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg.rels.pop(rId)
    for rId, rel in list(doc.part.rels.items()):
        if rel.reltype in (STYLES_WITH_EFFECTS, RT.CUSTOM_XML, RT.NUMBERING):  # Word bullets: unused
            doc.part.drop_rel(rId)
    settings = doc.settings.element
    for cs in settings.iter(qn("w:compatSetting")):
        if cs.get(qn("w:name")) == "compatibilityMode":
            cs.set(qn("w:val"), "15")
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "vi-VN")
        lang.attrib.pop(qn("w:eastAsia"), None)
    for part in pkg.iter_parts():
        name = str(part.partname)
        if name == "/word/theme/theme1.xml":  # theme fonts too, for styles a user adds later
            theme = etree.fromstring(part.blob)
            a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
            for font in theme.iter(f"{a}majorFont", f"{a}minorFont"):
                font.find(f"{a}latin").set("typeface", FONT)
            part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)
        elif name == "/docProps/app.xml":
            part._blob = (
                b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                b"<Template>Normal.dotm</Template><Application>CCHC Desktop</Application></Properties>"
            )


def _table(doc, rows, widths, style: str, borderless: bool) -> None:
    table = doc.add_table(rows=len(rows), cols=len(widths))
    table.style = doc.styles[style]
    table_layout(table, widths, centred=True, borderless=borderless)
    for row, cells in zip(table.rows, rows):
        for cell, lines in zip(row.cells, cells):
            for n, (style_name, text) in enumerate(lines if isinstance(lines, list) else [lines]):
                p = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
                p.style = style_name
                if text:
                    p.add_run(text)


def _specimen(doc) -> None:
    _table(doc, LETTERHEAD, list(LETTERHEAD_COLUMNS), S.LAYOUT_TABLE, True)
    for style, text in MIDDLE:
        doc.add_paragraph(text, style=style)
    _table(doc, SIGNATURE, [Cm(7.0), TEXT_WIDTH - Cm(7.0)], S.LAYOUT_TABLE, True)
    doc.add_page_break()
    for style, text in APPENDIX:
        doc.add_paragraph(text, style=style)
    _table(doc, FORM, [Cm(w) for w in (1.3, 7.7, 2.3, 2.2, 2.0)], S.DATA_TABLE, False)
    for t in doc.element.body.iter(qn("w:t")):
        t.set(qn("xml:space"), "preserve")


def _core(doc) -> None:
    cp = doc.core_properties
    cp.title = "Mẫu báo cáo công tác cải cách hành chính cấp xã"
    cp.subject = "Báo cáo công tác cải cách hành chính (Nghị định 30/2020/NĐ-CP, mẫu 1.4)"
    cp.author = cp.last_modified_by = "CCHC Desktop"
    cp.comments = "Mẫu định dạng: sửa các kiểu (Style) để đổi định dạng báo cáo."
    cp.keywords = "CCHC; báo cáo; mẫu"
    cp.language = "vi-VN"
    cp.revision = 1
    cp.created = cp.modified = FIXED_TIME


def _fixed_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def build_bytes() -> bytes:
    doc = Document()
    _package(doc)
    _page_setup(doc.sections[0])
    _styles(doc)
    _specimen(doc)
    _core(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue())


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    out.write_bytes(build_bytes())
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

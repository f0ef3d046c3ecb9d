"""The roll-up as a Word appendix for the province's own report (`rollup --docx`, issue 12 §4):
the Decree 30 layout of the commune report's appendix (landscape A4, the template's named
styles), with what a Sở Nội vụ cites — each Biểu mẫu with the province's total of every row and
how many communes gave it, then the communes that sent, did not send, or were refused.

One column per commune belongs in the Excel appendix (rollup --xlsx); on paper 60–160 columns do
not fit, so Word carries the totals. Totals are the roll-up's: counts and money summed exactly,
percentages recomputed from the summed operands, flags and choices counted.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.section import WD_ORIENT
from docx.shared import Length, Mm

from cchc_desktop.core.numbers import format_count
from cchc_desktop.core.periods import period_words
from cchc_desktop.core.vocabulary import status_label
from cchc_desktop.formats.docx_parts import S, preserve_spaces, row_flags, table_layout, text_width
from cchc_desktop.formats.word import DEFAULT_TEMPLATE, _open_template
from cchc_desktop.services.rollup import Rollup

FORM_HEAD = ("STT", "Chỉ tiêu", "Đơn vị tính", "Tổng hợp", "Số đơn vị có số liệu")
FORM_PARTS = (1.6, 12.0, 3.2, 4.6, 2.8)
UNIT_HEAD = ("STT", "Đơn vị", "Mã đơn vị", "Trạng thái", "Lỗi", "Cảnh báo", "Đúng hạn")
UNIT_PARTS = (1.3, 8.0, 2.2, 3.6, 1.6, 2.0, 3.0)
MARGINS = {"top": Mm(20), "bottom": Mm(15), "left": Mm(20), "right": Mm(15)}


def write_rollup_docx(r: Rollup, path: Path, template: Path | None = None) -> None:
    """The appendix of the province's report, written to `path` (temp files and replacing are
    the caller's: system/atomic.write_atomically)."""
    doc = _open_template(Path(template) if template else DEFAULT_TEMPLATE)
    section = doc.sections[-1]
    long_side, short_side = max(section.page_width, section.page_height), min(section.page_width, section.page_height)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = long_side, short_side
    for side, length in MARGINS.items():
        setattr(section, f"{side}_margin", length)
    width = text_width(section)
    deadline = r.deadline()

    def para(text: str, style: str):
        return doc.add_paragraph(text, style=style)

    def table(head, parts, rows):
        t = doc.add_table(rows=1, cols=len(head))
        t.style = doc.styles[S.DATA_TABLE]
        row_flags(t.rows[0], header=True)
        for cell, text in zip(t.rows[0].cells, head):
            cell.paragraphs[0].text = text
            cell.paragraphs[0].style = doc.styles[S.CELL_HEAD]
        for values, styles, bold in rows:
            cells = t.add_row().cells
            for cell, text, style in zip(cells, values, styles):
                p = cell.paragraphs[0]
                run = p.add_run(text)
                run.bold = bold or None
                p.style = doc.styles[style]
        total = sum(parts)
        table_layout(t, [Length(int(width * part / total)) for part in parts], centred=True)

    para("Phụ lục", S.APPENDIX_LABEL)
    para(f"TỔNG HỢP KẾT QUẢ CÔNG TÁC CẢI CÁCH HÀNH CHÍNH CẤP XÃ {period_words(r.period, r.year).upper()}", S.APPENDIX_TITLE)
    para("(Kèm theo Báo cáo số        /BC-SNV ngày      tháng      năm       của Sở Nội vụ)", S.APPENDIX_REF)
    late = sum(1 for u in r.units if r.on_time(u) == "Trễ hạn")
    complete = sum(1 for u in r.units if u.status == "complete")
    n = format_count  # 3.321 communes, as every figure is written
    para(f"Số liệu tổng hợp từ {n(len(r.units))} báo cáo cấp xã ({n(complete)} đã hoàn thành, "
         f"{n(len(r.units) - complete)} còn là dự thảo; {n(late)} gửi sau hạn {deadline:%d/%m/%Y}); "
         f"{n(len(r.missing))} đơn vị chưa gửi; {n(len(r.refused))} tệp không nhận. Số lượng và kinh phí là tổng "
         "cộng; tỷ lệ tính lại từ các tổng, không lấy trung bình tỷ lệ của các xã.", S.BODY)

    catalog = r.catalog
    for number, form in sorted(catalog.forms.items()):
        para(f"Biểu mẫu {number}\n{form.title}", S.FORM_TITLE)
        cells = (S.CELL_CENTER, S.CELL_TEXT, S.CELL_CENTER, S.CELL_NUMBER, S.CELL_CENTER)
        rows = [(row.texts, cells, row.bold) for row in r.form_rows(number)]
        table(FORM_HEAD, FORM_PARTS, rows)

    para("Các đơn vị cấp xã", S.FORM_TITLE)
    unit_rows = []
    styles = (S.CELL_CENTER, S.CELL_TEXT, S.CELL_CENTER, S.CELL_CENTER, S.CELL_CENTER, S.CELL_CENTER, S.CELL_CENTER)
    for n, u in enumerate(r.units, 1):
        unit_rows.append(((str(n), u.name, u.code, status_label(u.status), str(u.errors), str(u.warnings),
                           r.on_time(u)), styles, False))
    for name in r.missing:
        unit_rows.append((("", name, "", "chưa gửi", "", "", ""), styles, False))
    table(UNIT_HEAD, UNIT_PARTS, unit_rows)
    if r.refused:
        para("Tệp không nhận", S.FORM_TITLE)
        for f in r.refused:
            para(f"{Path(f.file).name}: {f.reason}", S.BODY)
    preserve_spaces(doc.element.body)
    doc.save(str(path))

"""The provincial appendix of a roll-up: the unit table, then each Biểu mẫu with one column per
commune and the total — what a Sở Nội vụ pastes into its own report or reads commune by commune.

Totals are the roll-up's (summed exactly, percentages recomputed from the sums); a commune's own
percentage is its own state's. Text stays text (a unit named "=…" is not a formula).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from cchc_desktop.core.periods import get_period
from cchc_desktop.core.vocabulary import FORM_COLUMNS, status_label
from cchc_desktop.formats.xlsx_cells import put
from cchc_desktop.services.rollup import Rollup

UNIT_COLUMNS = ("STT", "Đơn vị", "Mã đơn vị", "Trạng thái", "Lỗi", "Cảnh báo", "Ngày gửi", "Đúng hạn", "Tệp")


def _put(ws, row: int, col: int, value, bold: bool = False):
    from openpyxl.styles import Font

    cell = put(ws, row, col, value)
    if bold:
        cell.font = Font(bold=True)
    return cell


def _number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    return value


def write_rollup_xlsx(r: Rollup, path: Path, today: dt.date | None = None) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    catalog = r.catalog
    period = get_period(r.period)
    deadline = r.deadline()
    wb = Workbook()
    ws = wb.active
    ws.title = "Đơn vị"
    _put(ws, 1, 1, f"TỔNG HỢP BÁO CÁO CẢI CÁCH HÀNH CHÍNH CẤP XÃ — {period.label.upper()} {r.year}", bold=True)
    counts = r.counts_text()
    _put(ws, 2, 1, f"{counts[:1].upper()}{counts[1:]}. Hạn gửi {deadline:%d/%m/%Y}.")
    for c, title in enumerate(UNIT_COLUMNS, 1):
        _put(ws, 4, c, title, bold=True)
    row = 5
    for n, u in enumerate(r.units, 1):
        sent, how = u.sent()
        for c, v in enumerate((n, u.name, u.code, status_label(u.status), u.errors, u.warnings,
                               f"{sent:%d/%m/%Y} ({how})" if sent else "", r.on_time(u), Path(u.file).name), 1):
            _put(ws, row, c, v)
        row += 1
    for name in r.missing:
        _put(ws, row, 2, name)
        _put(ws, row, 4, "chưa gửi")
        row += 1
    for f in r.refused:
        _put(ws, row, 4, "không nhận")
        _put(ws, row, 9, Path(f.file).name)
        _put(ws, row, 10, f.reason)
        row += 1
    for c, w in enumerate((6, 28, 10, 14, 6, 9, 20, 10, 28, 60), 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    # printed on A4 landscape, every column on the page's width (the reasons run long)
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.freeze_panes = "A5"

    for number, form in sorted(catalog.forms.items()):
        fs = wb.create_sheet(f"Biểu mẫu {number}")
        _put(fs, 1, 1, f"Biểu mẫu {number}. {form.title}", bold=True)
        head = [FORM_COLUMNS[0], FORM_COLUMNS[1], FORM_COLUMNS[2], "Tổng"] + [u.name for u in r.units]
        for c, title in enumerate(head, 1):
            _put(fs, 3, c, title, bold=True)
        for i, ident in enumerate(form.indicators, start=4):
            ind = catalog.indicators[ident]
            _put(fs, i, 1, ind.stt, bold=ind.kind == "heading")
            _put(fs, i, 2, ind.label, bold=ind.kind == "heading")
            _put(fs, i, 3, ind.unit)
            if ind.kind == "heading":
                continue
            if ind.kind in ("flag", "choice"):
                _put(fs, i, 4, r.total_text(ident))
            elif ident in r.totals or ident in r.derived:
                _put(fs, i, 4, _number(r.totals.get(ident, r.derived.get(ident))))
            for c, u in enumerate(r.units, start=5):
                value = u.parsed.get(ident)
                if value is not None:
                    _put(fs, i, c, _number(value))
        fs.column_dimensions["A"].width, fs.column_dimensions["B"].width = 9, 60
        fs.column_dimensions["C"].width, fs.column_dimensions["D"].width = 14, 14
        for c in range(5, 5 + len(r.units)):
            fs.column_dimensions[get_column_letter(c)].width = 12
        fs.freeze_panes = "E4"
    wb.save(path)


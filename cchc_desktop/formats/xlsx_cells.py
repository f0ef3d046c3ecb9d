"""Writing a cell of any workbook the program makes (the appendix, the province kit, the roll-up):
text always as text. openpyxl would store "=1+1" as a formula, and Excel would re-read "+84 912"
or "-3 hồ sơ" as one when the cell is edited, so the type is forced and quotePrefix set; a
control character stored before today's limits would make openpyxl raise, so it is dropped."""

from __future__ import annotations

from cchc_desktop.core.limits import printable

FORMULA_CHARS = ("=", "+", "-", "@")


def put_text(cell, text: str):
    text = printable(text)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_CHARS):
        cell.quotePrefix = True
    return cell


def put(ws, row: int, col: int, value):
    """A value at (row, col): numbers as numbers, None as empty, any text as text."""
    cell = ws.cell(row, col)
    if isinstance(value, str):
        return put_text(cell, value)
    cell.value = value
    return cell

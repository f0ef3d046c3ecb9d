"""The Excel appendix: Biểu mẫu 1–7 laid out like the real appendices, the same columns as the Word tables.

Sheets: "Phụ lục", the printable whole — the agency, ONE appendix title and ONE "(Kèm theo Báo cáo
số …)" line, then each Biểu mẫu as its own table under its own two-line title ("Biểu mẫu 1" /
"Công tác chỉ đạo, điều hành CCHC") with the two-level header of the real forms ("Kết quả thống
kê" over "Đơn vị tính | Số liệu"; STT, Chỉ tiêu and Ghi chú spanning both levels); one print
command, pages numbered at the top centre as the Word report (none on page 1), a form continued
on the next page repeated there under "Biểu mẫu N (tiếp theo)" and its header. Then one sheet per
form ("Biểu mẫu 1" … "Biểu mẫu 7"), each a single table a reviewer selects and pastes into the
province's summary in one go. Page breaks of the printable sheet are set here, so that a form's
title never ends a page and a heading row stays with the next; the columns fit A4 portrait at
100 % (fit-to-width only shrinks the print when the clerk's notes or figures need wider columns).

Values come from `PrintedReport` exactly as the Word report prints them; nothing is computed
here except what Excel itself computes: the percentages are live formulas over their count
cells of the same sheet, so a reader who checks the arithmetic in Excel finds it right.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from cchc_desktop.core.expressions import Linear
from cchc_desktop.core.limits import printable
from cchc_desktop.formats.appendix_data import embed
from cchc_desktop.formats.printed import PrintedForm, PrintedReport, Row
from cchc_desktop.formats.text_metrics import text_width_pt
from cchc_desktop.formats.xlsx_cells import put_text
from cchc_desktop.core.vocabulary import FORM_COLUMNS, NOTE_COLUMN, RESULTS_COLUMN, VALUE_COLUMN

FONT = "Times New Roman"
SIZE = 12
DRAFT = "DỰ THẢO"
SHEET = "Phụ lục"  # the printable whole; each form's own sheet is named by PrintedForm.label
RESULTS = RESULTS_COLUMN  # over Đơn vị tính and Số liệu, as on the real forms
CONTINUED = "(tiếp theo)"
# (header, width in Excel character units). The five add up to TABLE_UNITS, what A4 portrait holds
# between the margins at 100 %; Số liệu and Ghi chú widen for long figures and notes, taken from
# Chỉ tiêu down to LABEL_MIN (beyond that the print scales down).
COLUMNS = tuple(zip(FORM_COLUMNS, (6.5, 36.5, 16, 10.5, 12.5)))
TABLE_UNITS = 82
LABEL_MIN = 30
MAX_UNITS = 86.5  # the widest table printed at 95 % or more between the margins
PX_PER_UNIT = 8  # width unit = the widest digit of the default font, Times New Roman 12 pt at 96 dpi
VALUE = "D"

# ---------------------------------------------------------------- number formats
# Excel draws "#,##0" with the separators of the viewer's Windows locale: on the many Vietnamese
# PCs set to English (United States) 1962 would read "1,962". Literal, escaped dots in
# conditional sections print '.' groups on every locale (LibreOffice renders "24.694", "1.962",
# "5.158.000", "0"). An Excel format has at most two conditions, which covers < 10^9; a cell
# whose value is larger when written gets the format for the next bands (15 digits at most).
COUNT_FORMAT = r"[>=1000000]#\.###\.##0;[>=1000]#\.##0;0"
COUNT_FORMAT_BIG = r"[>=1000000000000]#\.###\.###\.###\.##0;[>=1000000000]#\.###\.###\.##0;#\.###\.##0"
# Percent cells hold the percentage in points, as the view does (99.05 for 99,05 %; the unit
# column says "%"). The '%' in the format multiplies by 100 for display (9905), and the escaped
# comma is a literal placed before the last two digits: "99,05%" on every locale, one section
# so that a negative ratio (inconsistent data) still shows its minus sign.
PERCENT_FORMAT = r"0\,00%"
# Money with decimals cannot look Vietnamese on every locale: a literal comma only sits between
# whole-number digits, and only '%' scales a value for display. So a non-integral amount uses
# the locale's own separators ("1.029,7" on Vietnamese Windows, "1,029.7" on English), with the
# significant decimals only (as the Word report); a whole amount uses the count format.
MONEY_FORMATS = {1: "#,##0.0", 2: "#,##0.00", 3: "#,##0.000"}

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

PT_PER_LINE = 15.6  # Times New Roman 12 pt, one wrapped line (Excel's own line, a little more than LibreOffice's)
ROW_PAD_PT = 4
MAX_ROW_PT = 409  # Excel's limit; a longer note is cut on paper (the Word report has it whole)
GAP_PT = 12  # the blank line between one form's table and the next form's title


def write_xlsx(view: PrintedReport, path: Path, *, draft: bool = False) -> None:
    wb = Workbook()
    # The default font sets Excel's column-width unit: Times New Roman here, so that Excel and
    # LibreOffice (Liberation Serif, same metrics) lay out the same widths; Calibri is not on
    # every machine that renders the file.
    default = Font(name=FONT, size=SIZE)
    wb._fonts = IndexedList([default])  # font 0: unstyled cells
    wb._named_styles["Normal"].font = default
    ws = wb.active
    ws.title = SHEET
    wb.properties.title = printable(view.appendix_title())
    wb.properties.subject = printable(view.appendix_reference().strip("()"))
    wb.properties.creator = "CCHC Desktop"
    wb.properties.lastModifiedBy = "CCHC Desktop"
    wb.calculation.fullCalcOnLoad = True  # openpyxl stores no cached results: compute on opening

    forms = view.forms()
    widths = _widths(forms)
    refs = _printable_sheet(ws, view, forms, widths, draft)
    copies = {}
    for form in forms:
        sheet = wb.create_sheet(form.label)
        copies[sheet.title] = _form_sheet(sheet, view, form, widths, draft)
    # the same file carries the data: import and the province's roll-up read this very .xlsx
    typed = [item.id for form in forms for item in form.rows if not item.is_heading and item.kind != "percent"]
    embed(wb, ws, view.doc, refs, typed, copies={title: {i: r[i] for i in typed if i in r} for title, r in copies.items()})
    wb.save(path)


# ---------------------------------------------------------------- cells
def _col(n: int) -> str:
    return "ABCDE"[n - 1]


def _font(bold: bool = False, italic: bool = False, size: float = SIZE, color: str | None = None) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic, color=color)


def _text(ws: Worksheet, ref: str, text: str, **style):
    cell = put_text(ws[ref], text)  # text as text (formats/xlsx_cells)
    for key, value in style.items():
        setattr(cell, key, value)
    return cell


def _merged(ws: Worksheet, row: int, text: str, *, first: int = 1, last: int = 5, align: str = "center", **style):
    _text(ws, f"{_col(first)}{row}", text, alignment=Alignment(horizontal=align, vertical="center", wrap_text=True), **style)
    if last > first:
        ws.merge_cells(f"{_col(first)}{row}:{_col(last)}{row}")


def _widths_units(widths) -> float:
    return sum(w for _, w in widths)


# ---------------------------------------------------------------- the printable sheet
@dataclass(frozen=True)
class _Line:
    """One row of the printable sheet's plan: what it holds, its height, and how many of the
    following lines must stay on its page."""

    kind: str  # "gap", "label" (Biểu mẫu N), "name", "more" (Biểu mẫu N (tiếp theo)), "head", "row"
    form: PrintedForm
    height: float
    item: Row | None = None
    keep: int = 0


def _form_lines(form: PrintedForm, widths) -> list[_Line]:
    full = _widths_units(widths)
    head = _head_heights(widths)
    rows = [_Line("row", form, _row_height(item, widths), item, keep=int(item.is_heading and n + 1 < len(form.rows)))
            for n, item in enumerate(form.rows)]
    return [
        _Line("label", form, _height(form.label, full, bold=True), keep=3 + min(3, len(rows))),
        _Line("name", form, _height(form.name or form.title, full, bold=True)),
        _Line("head", form, head[0]),
        _Line("head", form, head[1]),
        *rows,
    ]


def _printable_sheet(ws: Worksheet, view: PrintedReport, forms: list[PrintedForm], widths, draft: bool) -> dict[str, str]:
    for n, (_, w) in enumerate(widths, 1):
        ws.column_dimensions[_col(n)].width = w
    row = _title_block(ws, view, widths, draft)
    used = sum(ws.row_dimensions[r].height or PT_PER_LINE for r in range(1, row))

    # the plan: every line's sheet row, the page breaks, a form's title and header repeated where
    # the form goes on over a page; every indicator's cell is known before a formula is written
    page_pt = _page_pt(widths)
    plan: list[tuple[int, _Line]] = []
    breaks: list[int] = []
    at_top = False
    lines: list[_Line] = []
    for form in forms:  # a blank line above each form's title, the first one's too
        lines += [_Line("gap", form, GAP_PT)] + _form_lines(form, widths)
    for i, line in enumerate(lines):
        block = sum(lines[i + k].height for k in range(line.keep + 1) if i + k < len(lines))
        if not at_top and used + block > page_pt:
            breaks.append(row - 1)
            used, at_top = 0.0, True
            if line.kind == "gap":
                continue  # no blank line at the top of a page
            if line.kind == "row":  # the form goes on: its title "(tiếp theo)" and its header again
                head = _head_heights(widths)
                more = _Line("more", line.form, _height(f"{line.form.label} {CONTINUED}", _widths_units(widths), bold=True))
                for extra in (more, _Line("head", line.form, head[0]), _Line("head", line.form, head[1])):
                    plan.append((row, extra))
                    used += extra.height
                    row += 1
        plan.append((row, line))
        used += line.height
        at_top = False
        row += 1

    refs = {line.item.id: f"{VALUE}{r}" for r, line in plan if line.kind == "row"}
    first_head = True
    for r, line in plan:
        if line.kind == "label":
            _merged(ws, r, line.form.label, font=_font(bold=True))
        elif line.kind == "name":
            _merged(ws, r, line.form.name or line.form.title, font=_font(bold=True))
        elif line.kind == "more":
            _merged(ws, r, f"{line.form.label} {CONTINUED}", align="left", font=_font(bold=True, italic=True))
        elif line.kind == "head":
            if first_head:
                _header(ws, r)
            first_head = not first_head
        elif line.kind == "row":
            _write_row(ws, r, view, line.item, refs)
        ws.row_dimensions[r].height = line.height
    ws.row_breaks = RowBreak()
    for b in breaks:
        ws.row_breaks.append(Break(id=b))
    _page_setup(ws, draft, last_row=row - 1)
    return refs


def _title_block(ws: Worksheet, view: PrintedReport, widths, draft: bool) -> int:
    """Agency lines (left), DỰ THẢO (right), "Phụ lục", the title, "(Kèm theo …)"; returns the
    first free row."""
    row = 1
    left = widths[0][1] + widths[1][1]
    for text, bold in view.agency_lines():
        _merged(ws, row, text, last=2, font=_font(bold=bold))
        ws.row_dimensions[row].height = _height(text, left, bold=bold)
        row += 1
    if draft:
        _merged(ws, 1, DRAFT, first=4, font=_font(bold=True, size=14, color="C00000"))
    full = _widths_units(widths)
    row += 1
    for text, font in (
        ("Phụ lục", _font(bold=True, size=14)),
        (view.appendix_title(), _font(bold=True, size=13)),
        (view.appendix_reference(), _font(italic=True)),
    ):
        _merged(ws, row, text, font=font)
        ws.row_dimensions[row].height = _height(text, full, bold=font.b, size=font.sz)
        row += 1
    return row


# ---------------------------------------------------------------- one form per sheet
def _form_sheet(ws: Worksheet, view: PrintedReport, form: PrintedForm, widths, draft: bool) -> dict[str, str]:
    """One form as one table: the agency and the report it belongs to above it, then the form's
    title, the two-level header and its rows, nothing else, so that the header and the rows are
    selected and pasted in one go. Printed with its header on every page."""
    for n, (_, w) in enumerate(widths, 1):
        ws.column_dimensions[_col(n)].width = w
    full = _widths_units(widths)
    _merged(ws, 1, view.agency, last=3, align="left", font=_font(bold=True))
    ws.row_dimensions[1].height = _height(view.agency, sum(w for _, w in widths[:3]), bold=True)
    # a draft: DỰ THẢO in the page header of every page of this sheet (_page_setup), not in a cell,
    # so that it is never pasted with the table nor printed twice
    reference = view.appendix_reference()
    for r, text, font in ((2, form.label, _font(bold=True)), (3, form.name or form.title, _font(bold=True)),
                          (4, reference, _font(italic=True))):
        _merged(ws, r, text, font=font)
        ws.row_dimensions[r].height = _height(text, full, bold=font.b)
    head = 6
    _header(ws, head)
    for k, h in enumerate(_head_heights(widths)):
        ws.row_dimensions[head + k].height = h
    refs = {item.id: f"{VALUE}{head + 2 + n}" for n, item in enumerate(form.rows)}
    for n, item in enumerate(form.rows):
        r = head + 2 + n
        _write_row(ws, r, view, item, refs)
        ws.row_dimensions[r].height = _row_height(item, widths)
    _page_setup(ws, draft, last_row=head + 1 + len(form.rows), titles=(head, head + 1), first_page=False)
    return refs


# ---------------------------------------------------------------- the table's pieces
def _header(ws: Worksheet, r: int) -> None:
    """The real forms' two-level header: STT | Chỉ tiêu | Kết quả thống kê (Đơn vị tính | Số liệu) | Ghi chú."""
    stt, label, unit, value, note = FORM_COLUMNS
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for ref, text in ((f"A{r}", stt), (f"B{r}", label), (f"C{r}", RESULTS), (f"E{r}", note),
                      (f"C{r + 1}", unit), (f"D{r + 1}", value)):
        _text(ws, ref, text, font=_font(bold=True), alignment=centre)
    for rng in (f"A{r}:A{r + 1}", f"B{r}:B{r + 1}", f"C{r}:D{r}", f"E{r}:E{r + 1}"):
        ws.merge_cells(rng)
    for rr in (r, r + 1):  # every cell of a merged range carries the border, or the box has gaps
        for c in range(1, 6):
            ws.cell(rr, c).border = BOX
            ws.cell(rr, c).alignment = centre
            ws.cell(rr, c).font = _font(bold=True)


def _head_heights(widths) -> tuple[float, float]:
    stt, label, unit, value, note = FORM_COLUMNS
    top = max(_height(RESULTS, widths[2][1] + widths[3][1], bold=True), _height(note, widths[4][1], bold=True))
    bottom = max(_height(unit, widths[2][1], bold=True), _height(value, widths[3][1], bold=True))
    return top, bottom


def _write_row(ws: Worksheet, r: int, view: PrintedReport, item: Row, refs: dict[str, str]) -> None:
    bold = item.bold  # the one rule, Word's too (PrintedReport's Row): the whole row, as Word sets it
    indent = max(item.depth - 1, 0)
    font = _font(bold=bold)
    _text(ws, f"A{r}", item.stt, font=font, border=BOX, alignment=Alignment(horizontal="center", vertical="center"))
    _text(ws, f"B{r}", item.label, font=font, border=BOX,
          alignment=Alignment(horizontal="left", vertical="center", wrap_text=True, indent=indent))
    _text(ws, f"C{r}", item.unit, font=font, border=BOX,
          alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
    _text(ws, f"E{r}", item.note, font=font, border=BOX, alignment=Alignment(vertical="center", wrap_text=True))
    cell = ws[f"{VALUE}{r}"]
    cell.border = BOX
    cell.font = _font(bold=bold)
    cell.alignment = Alignment(horizontal="right", vertical="center", wrap_text=True, indent=1)
    if not item.is_heading:
        _write_value(ws, cell, view, item, refs)


def _row_height(item: Row, widths) -> float:
    indent = max(item.depth - 1, 0)
    return max(
        _height(item.label, widths[1][1], bold=item.bold, indent=indent),
        _height(item.unit, widths[2][1], bold=item.bold),
        _height(item.note, widths[4][1], bold=item.bold),
        _height(item.text if item.invalid else "", widths[3][1]),
    )


def _write_value(ws: Worksheet, cell, view: PrintedReport, item: Row, refs: dict[str, str]) -> None:
    if item.invalid:
        # only a draft contains it: the clerk's text as typed, visibly not a number
        _text(ws, cell.coordinate, item.text, font=_font(italic=True, color="C00000"))
        return
    if item.kind == "percent":
        formula = _percent_formula(view, item, refs)
        cell.value = formula if formula else (float(item.value) if item.value is not None else None)
        cell.number_format = PERCENT_FORMAT
        return
    value = item.value
    if value is None:
        return
    if item.kind == "money":
        decimals = _decimals(value)
        cell.value = float(value) if decimals else int(value)  # the parsed value, nearest double
        cell.number_format = MONEY_FORMATS.get(decimals, "#,##0.0##") if decimals else _count_format(value)
    elif item.kind == "count":
        cell.value = int(value)
        cell.number_format = _count_format(value)
    else:  # flag, choice: the code; the unit column explains it
        cell.value = int(value)
        cell.number_format = "0"


def _decimals(value) -> int:
    if not isinstance(value, Decimal):
        return 0
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _count_format(value) -> str:
    return COUNT_FORMAT_BIG if value >= 1_000_000_000 else COUNT_FORMAT


# ---------------------------------------------------------------- percent formulas
def _percent_formula(view: PrintedReport, item: Row, refs: dict[str, str]) -> str | None:
    """=IF(COUNT(<operands>)<n,"",IF(<den>=0,"",ROUND(100*<num>/<den>,2))).

    Row.formula names the operands but not their signs (bm3.3.6 divides by bm3.3.1 − bm3.3.1.1),
    so the sides are read from the catalog's parsed formula, the one the view's value came from.
    Blank as in the view: an operand that is not a number (blank, or a draft's invalid text)
    makes the cell blank, as does a zero denominator. ROUND goes half away from zero, which is
    the view's half-up for these non-negative ratios.
    """
    indicator = view.catalog.indicators.get(item.id)
    ratio = getattr(indicator, "formula", None)
    if ratio is None or item.formula is None or (ratio.numerator.ids, ratio.denominator.ids) != tuple(item.formula):
        return None
    operands = list(dict.fromkeys(ratio.numerator.ids + ratio.denominator.ids))
    if any(i not in refs for i in operands):
        return None
    num, den = _side(ratio.numerator, refs), _side(ratio.denominator, refs)
    den_paren = den if _simple(den) else f"({den})"
    num_paren = num if _simple(num) else f"({num})"
    cells = ",".join(refs[i] for i in operands)
    return f'=IF(COUNT({cells})<{len(operands)},"",IF({den_paren}=0,"",ROUND(100*{num_paren}/{den_paren},2)))'


def _side(linear: Linear, refs: dict[str, str]) -> str:
    parts = []
    for ident, coef in linear.terms:
        term = refs[ident] if abs(coef) == 1 else f"{abs(coef)}*{refs[ident]}"
        parts.append(("-" if coef < 0 else "+") + term)
    if linear.const:
        parts.append(("-" if linear.const < 0 else "+") + str(abs(linear.const)))
    return "".join(parts).lstrip("+") or "0"


def _simple(expr: str) -> bool:
    return expr.isalnum()


# ---------------------------------------------------------------- sizes and pages
CELL_PAD_PX = 5  # the cell's own margins and grid line (LibreOffice and Excel: 2-3 px a side)
INDENT_PX = 10  # one indent level (Excel: one digit, 8 px; LibreOffice ~10 px at 96 dpi)
FIT = 0.99  # to spare: a renderer's hinting may break a line a little earlier than the metrics say


def _px(text: str, bold: bool = False, size: float = SIZE) -> float:
    return text_width_pt(text, size, bold) * 96 / 72


def _widths(forms: list[PrintedForm]):
    """The columns, TABLE_UNITS in all: Số liệu widened when a figure would not fit (Excel would
    print "###"), Ghi chú when the clerk wrote longer notes, both taken from Chỉ tiêu."""
    rows = [r for f in forms for r in f.rows]
    figure = max((_px(r.text, r.bold) for r in rows if not r.invalid), default=0)
    figure_units = (figure + CELL_PAD_PX + INDENT_PX) / PX_PER_UNIT + 0.5
    note = max((len(r.note) for r in rows), default=0)
    wanted = {VALUE_COLUMN: figure_units, NOTE_COLUMN: min(22, 12.5 + max(0, note - 40) / 4)}
    widths = dict((t, max(w, wanted.get(t, 0))) for t, w in COLUMNS)
    label = FORM_COLUMNS[1]
    widths[label] = max(LABEL_MIN, TABLE_UNITS - sum(w for t, w in widths.items() if t != label))
    # past MAX_UNITS the print would go below 95 %: Ghi chú gives back what it took (its text wraps)
    excess = sum(widths.values()) - MAX_UNITS
    if excess > 0:
        widths[NOTE_COLUMN] = max(dict(COLUMNS)[NOTE_COLUMN], widths[NOTE_COLUMN] - excess)
    return list(widths.items())


def _text_width(text: str, bold: bool, size: float) -> float:
    """Width of text in column units (digits of the default font), Times New Roman's metrics."""
    return _px(text, bold, size) / PX_PER_UNIT


def _height(text: str, width: float, *, bold: bool = False, size: float = SIZE, indent: int = 0) -> float:
    """Row height in points for the text wrapped by words in a column `width` units wide.
    Rows get an explicit height: Excel never fits merged cells, and this way Excel and
    LibreOffice print the same lines. The text is measured with the font's own widths
    (formats.text_metrics): the per-letter averages used before counted a line too many on
    rows such as 1.6, 5.2.1 or 6.4.4 that fit on one."""
    room = (width * PX_PER_UNIT - CELL_PAD_PX - INDENT_PX * indent) * FIT
    space = _px(" ", bold, size)
    lines = 0
    for para in (text or " ").split("\n"):
        lines += 1
        used = 0.0
        for word in para.split(" "):
            w = _px(word, bold, size)
            if used and used + space + w > room:
                lines += 1
                used = 0.0
            if w > room:  # a word longer than the line is broken where it reaches the edge
                lines += int(w // room)
                w = w % room
            used += (space if used else 0.0) + w
    return min(round(lines * PT_PER_LINE * size / SIZE + ROW_PAD_PT, 1), MAX_ROW_PT)


PAPER_MM = (210, 297)
MARGINS_IN = dict(left=0.79, right=0.59, top=0.75, bottom=0.75, header=0.3, footer=0.3)


def print_scale(widths) -> float:
    """The scale a fit-to-width print uses: 1.0 when the table fits between the margins (Excel
    scales in whole per cent)."""
    table_px = sum(PX_PER_UNIT * w for _, w in widths)
    printable_w = (PAPER_MM[0] / 25.4 - MARGINS_IN["left"] - MARGINS_IN["right"]) * 96
    return min(100, math.floor(100 * printable_w / table_px)) / 100


def _page_pt(widths) -> float:
    """A page's height in sheet points at the print scale, 3 % spare so that the printer never
    adds a break of its own."""
    return (PAPER_MM[1] / 25.4 - MARGINS_IN["top"] - MARGINS_IN["bottom"]) * 72 / print_scale(widths) * 0.97


def _page_setup(ws: Worksheet, draft: bool, *, last_row: int, titles: tuple[int, int] | None = None,
                first_page: bool = True) -> None:
    """first_page: the sheet prints page 1 of the appendix (no page number, DỰ THẢO in its title
    block); a form's own sheet is printed on its own and numbers and marks every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages as needed, scaled to the width only
    for side, inches in MARGINS_IN.items():
        setattr(ws.page_margins, side, inches)
    ws.print_options.horizontalCentered = True
    if titles:
        ws.print_title_rows = f"{titles[0]}:{titles[1]}"
        ws.freeze_panes = f"A{titles[1] + 1}"
    ws.print_area = f"A1:E{last_row}"
    # the page number centred in the top margin as in the Word report, none on page 1; page 1's
    # title block already says DỰ THẢO in a cell (what shows on screen), so not twice there
    ws.HeaderFooter.differentFirst = first_page
    header = ws.oddHeader.center
    header.text, header.font, header.size = "&P", f"{FONT},Regular", 13
    if draft:
        for place in (ws.oddHeader.right,) + (() if first_page else (ws.firstHeader.right,)):
            place.text, place.font, place.size, place.color = DRAFT, f"{FONT},Bold", 14, "C00000"

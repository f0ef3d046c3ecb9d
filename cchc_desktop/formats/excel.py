"""The Excel appendix: Biểu mẫu 1–7 as one printable sheet, the same columns as the Word tables.

Layout: ONE sheet ("Phụ lục") holding the title block and the seven forms one after another.
The province receives the appendix as one printed document: one title block, page numbers
running "Trang 1/N" … "Trang N/N" across all forms, the column header repeated on every page,
and one print command. The forms are short (15–35 rows), so seven sheets would mostly mean
seven title blocks and seven separately numbered print jobs; a form title row (bold, shaded)
starts each form; page breaks are set so that no form title or heading row ends a page.

Values come from `PrintedReport` exactly as the Word report prints them; nothing is computed
here except what Excel itself computes: the percentages are live formulas over their count
cells, so a reader who checks the arithmetic in Excel finds it right.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from cchc_desktop.core.expressions import Linear
from cchc_desktop.core.limits import printable
from cchc_desktop.formats.appendix_data import embed
from cchc_desktop.formats.xlsx_cells import put_text
from cchc_desktop.formats.printed import PrintedForm, PrintedReport, Row
from cchc_desktop.core.vocabulary import FORM_COLUMNS, NOTE_COLUMN, VALUE_COLUMN

FONT = "Times New Roman"
SIZE = 12
DRAFT = "DỰ THẢO"
# (header, width in Excel character units); D is widened for very long figures.
COLUMNS = tuple(zip(FORM_COLUMNS, (7.5, 44, 15.5, 11, 14)))
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
SHADE = PatternFill("solid", fgColor="E7E6E6")

PT_PER_LINE = 15.6  # Times New Roman 12 pt, one wrapped line
MAX_ROW_PT = 409  # Excel's limit; a longer note is cut on paper (the Word report has it whole)


def write_xlsx(view: PrintedReport, path: Path, *, draft: bool = False) -> None:
    wb = Workbook()
    # The default font sets Excel's column-width unit: Times New Roman here, so that Excel and
    # LibreOffice (Liberation Serif, same metrics) lay out the same widths; Calibri is not on
    # every machine that renders the file.
    default = Font(name=FONT, size=SIZE)
    wb._fonts = IndexedList([default])  # font 0: unstyled cells
    wb._named_styles["Normal"].font = default
    ws = wb.active
    ws.title = "Phụ lục"
    wb.properties.title = printable(view.appendix_title())
    wb.properties.subject = printable(view.appendix_reference().strip("()"))
    wb.properties.creator = "CCHC Desktop"
    wb.properties.lastModifiedBy = "CCHC Desktop"
    wb.calculation.fullCalcOnLoad = True  # openpyxl stores no cached results: compute on opening

    forms = view.forms()
    widths = _widths(forms)
    for n, (_, w) in enumerate(widths, 1):
        ws.column_dimensions[_col(n)].width = w
    header_row = _title_block(ws, view, widths, draft)
    refs = _table(ws, view, forms, widths, header_row)
    _page_setup(ws, view, header_row, draft)
    # the same file carries the data: import and the province's roll-up read this very .xlsx
    typed = [item.id for form in forms for item in form.rows if not item.is_heading and item.kind != "percent"]
    embed(wb, ws, view.doc, refs, typed)
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


# ---------------------------------------------------------------- title block
def _title_block(ws: Worksheet, view: PrintedReport, widths, draft: bool) -> int:
    """Agency lines (left), DỰ THẢO (right), "Phụ lục", the title, "(Kèm theo …)"; returns the
    row of the column header."""
    row = 1
    left = widths[0][1] + widths[1][1]
    for text, bold in view.agency_lines():
        _merged(ws, row, text, last=2, font=_font(bold=bold))
        ws.row_dimensions[row].height = _height(text, left, bold=bold)
        row += 1
    if draft:
        _merged(ws, 1, DRAFT, first=4, font=_font(bold=True, size=14, color="C00000"))
    full = sum(w for _, w in widths)
    row += 1
    for text, font in (
        ("Phụ lục", _font(bold=True, size=14)),
        (view.appendix_title(), _font(bold=True, size=13)),
        (view.appendix_reference(), _font(italic=True)),
    ):
        _merged(ws, row, text, font=font)
        ws.row_dimensions[row].height = _height(text, full, bold=font.b, size=font.sz)
        row += 1
    return row + 1


# ---------------------------------------------------------------- the table
def _table(ws: Worksheet, view: PrintedReport, forms: list[PrintedForm], widths, header_row: int) -> dict[str, str]:
    for n, (title, w) in enumerate(widths, 1):
        _text(ws, f"{_col(n)}{header_row}", title, font=_font(bold=True), border=BOX, fill=SHADE,
              alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
    ws.row_dimensions[header_row].height = PT_PER_LINE + 6

    # every indicator's row, known before any formula is written (formulas may point forward)
    refs, r = {}, header_row + 1
    for form in forms:
        r += 1
        for item in form.rows:
            refs[item.id] = f"{VALUE}{r}"
            r += 1

    r = header_row + 1
    heights = {}
    keep = {}  # a form title stays with 3 rows, a heading row with the next one
    for form in forms:
        keep[r] = min(3, len(form.rows))
        _merged(ws, r, form.title, align="left", font=_font(bold=True), fill=SHADE)
        for n in range(1, 6):
            ws.cell(r, n).border = BOX
        heights[r] = _height(form.title, sum(w for _, w in widths), bold=True)
        r += 1
        for n, item in enumerate(form.rows):
            heights[r] = _write_row(ws, r, view, item, refs, widths)
            if item.is_heading and n + 1 < len(form.rows):
                keep[r] = 1
            r += 1
    for row, h in heights.items():
        ws.row_dimensions[row].height = h
    _paginate(ws, widths, header_row, heights, keep)
    return refs


def _write_row(ws: Worksheet, r: int, view: PrintedReport, item: Row, refs: dict[str, str], widths) -> float:
    bold = item.is_heading or item.depth <= 1
    indent = max(item.depth - 1, 0)
    font = _font(bold=bold)
    _text(ws, f"A{r}", item.stt, font=font, border=BOX, alignment=Alignment(horizontal="center", vertical="center"))
    _text(ws, f"B{r}", item.label, font=font, border=BOX,
          alignment=Alignment(horizontal="left", vertical="center", wrap_text=True, indent=indent))
    _text(ws, f"C{r}", item.unit, font=_font(), border=BOX,
          alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
    _text(ws, f"E{r}", item.note, font=_font(), border=BOX, alignment=Alignment(vertical="center", wrap_text=True))
    cell = ws[f"{VALUE}{r}"]
    cell.border = BOX
    cell.font = _font(bold=bold)
    cell.alignment = Alignment(horizontal="right", vertical="center", wrap_text=True, indent=1)
    if not item.is_heading:
        _write_value(ws, cell, view, item, refs)
    return max(
        _height(item.label, widths[1][1], bold=bold, indent=indent),
        _height(item.unit, widths[2][1]),
        _height(item.note, widths[4][1]),
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
def _widths(forms: list[PrintedForm]):
    """The columns; Số liệu widened when a figure would not fit (Excel would print "###"),
    Ghi chú when the clerk wrote longer notes (fit-to-width then prints a little smaller)."""
    rows = [r for f in forms for r in f.rows]
    figure = max((len(r.text) for r in rows if not r.invalid), default=0) + 3
    note = max((len(r.note) for r in rows), default=0)
    note_width = min(24, 14 + max(0, note - 30) / 3)
    wanted = {VALUE_COLUMN: figure, NOTE_COLUMN: note_width}
    return [(t, max(w, wanted.get(t, 0))) for t, w in COLUMNS]


WIDE = {" ": 0.25, "%": 0.83, "=": 0.56, "m": 0.78, "w": 0.72, "M": 0.89, "W": 0.94}


def _text_width(text: str, bold: bool, size: float) -> float:
    """Estimated width of Times New Roman text in column units (digits of the default font);
    per-character widths averaged from the font's metrics over the catalog's labels."""
    em = 0.0
    for ch in text:
        if ch in WIDE:
            em += WIDE[ch]
        elif ch.isupper():
            em += 0.67
        elif ch.isdigit():
            em += 0.5
        elif ch.isalpha():
            em += 0.44
        else:
            em += 0.33
    return em * (1.07 if bold else 1.0) * size * 4 / 3 / PX_PER_UNIT  # pt -> px at 96 dpi


def _height(text: str, width: float, *, bold: bool = False, size: float = SIZE, indent: int = 0) -> float:
    """Row height in points for the text wrapped by words in a column `width` units wide.
    Rows get an explicit height: Excel never fits merged cells, and this way Excel and
    LibreOffice print the same lines."""
    # cell padding; an indent level is 1.3-1.6 units (2 to spare); LibreOffice breaks lines a little
    # earlier than the font metrics say (hinting at the print scale): 8 % to spare
    room = (width - 1 - 2 * indent) * 0.92
    lines = 0
    for para in (text or " ").split("\n"):
        lines += 1
        used = 0.0
        for word in para.split(" "):
            w = _text_width(word, bold, size)
            gap = _text_width(" ", bold, size) if used else 0.0
            if used and used + gap + w > room:
                lines += 1 + int(w // room)
                used = w % room
            else:
                used += gap + w
    return min(round(lines * PT_PER_LINE * size / SIZE + 4, 1), MAX_ROW_PT)


PAPER_MM = (210, 297)
MARGINS_IN = dict(left=0.79, right=0.59, top=0.75, bottom=0.75, header=0.3, footer=0.3)


def _paginate(ws: Worksheet, widths, header_row: int, heights: dict[int, float], keep: dict[int, int]) -> None:
    """Every page break is set here, so that a form title or a heading row never ends a page
    (`keep`: row -> how many following rows stay on its page). The pages are measured as a
    fit-to-width print scales them; the row heights are ours, the scale follows from the column
    widths, and 3 % of each page is left spare so that the printer never adds a break of its own."""
    table_px = sum(PX_PER_UNIT * w for _, w in widths)
    printable_w = (PAPER_MM[0] / 25.4 - MARGINS_IN["left"] - MARGINS_IN["right"]) * 96
    scale = min(100, math.floor(100 * printable_w / table_px)) / 100  # Excel scales in whole %
    page_pt = (PAPER_MM[1] / 25.4 - MARGINS_IN["top"] - MARGINS_IN["bottom"]) * 72 / scale * 0.97
    repeat = ws.row_dimensions[header_row].height
    used = sum(ws.row_dimensions[r].height or PT_PER_LINE for r in range(1, header_row + 1))
    breaks = ws.row_breaks = RowBreak()
    for r in sorted(heights):
        block = sum(heights.get(r + k, 0) for k in range(keep.get(r, 0) + 1))
        if used + block > page_pt and used > repeat:
            breaks.append(Break(id=r - 1))
            used = repeat
        used += heights[r]


def _page_setup(ws: Worksheet, view: PrintedReport, header_row: int, draft: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages as needed, scaled to the width only
    for side, inches in MARGINS_IN.items():
        setattr(ws.page_margins, side, inches)
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:E{ws.max_row}"
    ws.freeze_panes = f"A{header_row + 1}"
    # page 1 has its own header and footer: its title block already says DỰ THẢO in a cell
    # (which is what shows on screen), so the printed page 1 must not say it twice
    ws.HeaderFooter.differentFirst = True
    for footer in (ws.oddFooter.center, ws.firstFooter.center):
        footer.text, footer.font, footer.size = "Trang &P/&N", f"{FONT},Regular", 11
    if draft:
        header = ws.oddHeader.right
        header.text, header.font, header.size, header.color = DRAFT, f"{FONT},Bold", 14, "C00000"

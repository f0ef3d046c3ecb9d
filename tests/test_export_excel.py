"""The Excel appendix, read back with openpyxl: title block, every indicator's value and type,
number formats, live percent formulas (their cell references and, with a tiny evaluator, their
results), clerk text never turned into a formula, print setup, the draft marker. Where
LibreOffice is installed, the file is also rendered (CSV as shown, PDF) and the text checked."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.formats import excel
from cchc_desktop.formats.excel import COUNT_FORMAT, COUNT_FORMAT_BIG, PERCENT_FORMAT, write_xlsx
from cchc_desktop.formats.printed import PrintedReport
from cchc_desktop.core.expressions import parse_sum
from cchc_desktop.services.sample import sample_doc

# comma, '"', UTF-8, from line 1, …, 9th token true = "save cell contents as shown" (formatted).
# No 12th token: the workbook has one sheet, and "-1" (all sheets) names the files after the
# sheet, which LibreOffice cannot do for "Phụ lục" under a locale it does not have installed.
CSV_AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false"
CLERK_TEXT = {"bm3.3.1": "=1+1", "bm3.3.2": "+84 912", "bm3.3.3": "-3 hồ sơ", "bm3.3.4": "@abc"}


def make_view(edit=None) -> PrintedReport:
    registry = CatalogRegistry()
    doc = sample_doc(registry)
    if edit:
        edit(doc)
    return PrintedReport.from_doc(doc, registry)


def write(view: PrintedReport, path: Path, draft: bool = False):
    write_xlsx(view, path, draft=draft)
    wb = openpyxl.load_workbook(path)
    # one visible, printable sheet; the report's data rides in a very hidden one (appendix_data)
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"] == ["Phụ lục"]
    assert [ws.sheet_state for ws in wb.worksheets[1:]] == ["veryHidden"]
    return wb, wb.worksheets[0]


def rows_by_stt(ws) -> dict[str, int]:
    return {str(ws.cell(r, 1).value): r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value is not None}


def all_rows(view):
    return [row for form in view.forms() for row in form.rows]


@pytest.fixture
def sample(tmp_path):
    view = make_view()
    wb, ws = write(view, tmp_path / "phu_luc.xlsx")
    return view, wb, ws


# ---------------------------------------------------------------- a tiny evaluator
_TOKEN = re.compile(r'\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<ref>[A-Z]+\d+)|(?P<fn>[A-Z]+)\(|(?P<str>"[^"]*")|(?P<op><=|>=|<>|[-+*/(),=<>]))')


def evaluate(formula: str, ws):
    """Excel semantics for the shapes the writer emits (IF, COUNT, OR, NOT, ISNUMBER, ROUND,
    + - * /, comparisons), exact arithmetic: a number is a Fraction, text a str, blank None."""
    assert formula.startswith("=")
    toks, pos, text = [], 0, formula[1:]
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        assert m, f"cannot read {text[pos:]!r}"
        kind = m.lastgroup
        toks.append((kind, m.group(kind)))
        pos = m.end()
    toks.append(("end", ""))
    i = 0

    def peek():
        return toks[i]

    def take(expected=None):
        nonlocal i
        tok = toks[i]
        assert expected is None or tok[1] == expected, (tok, expected, formula)
        i += 1
        return tok

    def cell(ref):
        v = ws[ref].value
        if isinstance(v, bool) or v is None or isinstance(v, str):
            return v
        return Fraction(repr(v)) if isinstance(v, float) else Fraction(v)

    def num(v):
        if isinstance(v, str):
            raise ValueError("#VALUE!")
        return Fraction(0) if v is None else v

    def comparison():
        left = additive()
        if peek()[1] in ("=", "<", ">", "<=", ">=", "<>"):
            op = take()[1]
            right = additive()
            if isinstance(left, str) or isinstance(right, str) or left is None or right is None:
                a, b = ("" if left is None else left), ("" if right is None else right)
                if type(a) is not type(b):
                    return op == "<>"
            else:
                a, b = left, right
            return {"=": a == b, "<>": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
        return left

    def additive():
        v = term()
        while peek()[1] in ("+", "-"):
            op = take()[1]
            w = term()
            v = num(v) + num(w) if op == "+" else num(v) - num(w)
        return v

    def term():
        v = unary()
        while peek()[1] in ("*", "/"):
            op = take()[1]
            w = unary()
            if op == "/" and num(w) == 0:
                raise ZeroDivisionError("#DIV/0!")
            v = num(v) * num(w) if op == "*" else num(v) / num(w)
        return v

    def unary():
        if peek()[1] == "-":
            take()
            return -num(unary())
        return primary()

    def args_raw():
        # argument token ranges, so that IF can skip the branch it does not take
        depth, start, spans, j = 0, i, [], i
        while True:
            k, t = toks[j]
            if t == "(" or k == "fn":
                depth += 1
            elif t == ")" and depth == 0:
                spans.append((start, j))
                return spans, j
            elif t == ")":
                depth -= 1
            elif t == "," and depth == 0:
                spans.append((start, j))
                start = j + 1
            j += 1

    def run_span(span):
        nonlocal i
        i = span[0]
        v = comparison()
        assert i == span[1], formula
        return v

    def primary():
        nonlocal i
        kind, t = take()
        if kind == "num":
            return Fraction(t)
        if kind == "str":
            return t[1:-1]
        if kind == "ref":
            return cell(t)
        if t == "(":
            v = comparison()
            take(")")
            return v
        assert kind == "fn", (kind, t, formula)
        spans, close = args_raw()
        if t == "IF":
            cond = run_span(spans[0])
            v = run_span(spans[1] if cond else spans[2])
        elif t == "COUNT":
            v = sum(1 for s in spans if len(range(*s)) == 1 and toks[s[0]][0] == "ref"
                    and isinstance(cell(toks[s[0]][1]), Fraction))
        elif t == "OR":
            v = any(run_span(s) for s in spans)
        elif t == "NOT":
            v = not run_span(spans[0])
        elif t == "ISNUMBER":
            v = isinstance(run_span(spans[0]), Fraction)
        elif t == "ROUND":
            x, digits = num(run_span(spans[0])), int(run_span(spans[1]))
            scaled = abs(x) * 10**digits
            whole = int(scaled + Fraction(1, 2))  # half away from zero, as Excel's ROUND
            v = (1 if x >= 0 else -1) * Fraction(whole, 10**digits)
        else:
            raise AssertionError(f"unexpected function {t} in {formula}")
        i = close + 1
        return v

    value = comparison()
    assert peek()[0] == "end", formula
    return value


def as_view_value(result):
    """The evaluator's result the way the view holds a percent: Decimal points, or None."""
    if result == "":
        return None
    return (Decimal(result.numerator) / Decimal(result.denominator)).quantize(Decimal("0.01"))


def check_formulas_evaluate_to_view(view, ws):
    stt = rows_by_stt(ws)
    checked = 0
    for row in all_rows(view):
        if row.kind != "percent":
            continue
        formula = ws[f"D{stt[row.stt]}"].value
        assert isinstance(formula, str) and formula.startswith("="), (row.id, formula)
        assert as_view_value(evaluate(formula, ws)) == row.value, (row.id, formula)
        checked += 1
    return checked


# ---------------------------------------------------------------- the workbook
def test_title_block_and_properties(sample):
    view, wb, ws = sample
    texts = [ws.cell(r, c).value for r in range(1, 9) for c in range(1, 6)]
    for text, _bold in view.agency_lines():
        assert text in texts
    assert view.appendix_title() in texts
    assert "NĂM 2023" in view.appendix_title()
    assert "(Kèm theo Báo cáo số 278/BC-UBND ngày 03/11/2023 của Ủy ban nhân dân xã Bình Phước)" in texts
    assert "Phụ lục" in texts
    header = rows_by_stt(ws)["STT"]
    assert [ws.cell(header, c).value for c in range(1, 6)] == ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"]
    assert wb.properties.creator == "CCHC Desktop"
    assert wb.properties.title == view.appendix_title()
    assert ws.title == "Phụ lục"


def test_every_indicator_in_its_cell_with_the_right_value_and_type(sample):
    view, _, ws = sample
    stt = rows_by_stt(ws)
    for form in view.forms():
        assert form.title in stt, form.title  # the form's title row, in column A (merged A:E)
        for row in form.rows:
            r = stt[row.stt]
            assert ws[f"B{r}"].value == row.label and ws[f"C{r}"].value == (row.unit or None)
            cell = ws[f"D{r}"]
            if row.kind == "heading" or (row.value is None and row.kind != "percent"):
                assert cell.value is None, row.id
            elif row.kind == "percent":
                assert cell.data_type == "f", row.id
            elif row.kind == "money":
                assert isinstance(cell.value, (int, float)) and cell.value == float(row.value), row.id
                assert Decimal(repr(cell.value)) == row.value, row.id  # exactly the parsed value
            else:  # count, flag, choice: whole numbers
                assert type(cell.value) is int and cell.value == row.value, row.id
            assert cell.data_type in ("n", "f") or cell.value is None


def test_sample_figures_spot_check(sample):
    _, _, ws = sample
    stt = rows_by_stt(ws)
    assert ws[f"D{stt['3.3.1']}"].value == 1962
    assert ws[f"D{stt['7.5.2']}"].value == 5158000
    assert ws[f"D{stt['6.1.1']}"].value == pytest.approx(1029.7) and isinstance(ws[f"D{stt['6.1.1']}"].value, float)
    assert ws[f"D{stt['6.2.2']}"].value == 6648  # a whole amount of money
    assert ws[f"D{stt['1.6']}"].value == 1 and ws[f"D{stt['1.6.2']}"].value == 1 and ws[f"D{stt['5.9']}"].value == 0


def test_number_formats(sample):
    view, _, ws = sample
    stt = rows_by_stt(ws)
    for row in all_rows(view):
        fmt = ws[f"D{stt[row.stt]}"].number_format
        if row.kind == "count" and row.value is not None:
            assert fmt == COUNT_FORMAT, row.id
        elif row.kind == "percent":
            assert fmt == PERCENT_FORMAT, row.id
        elif row.kind in ("flag", "choice") and row.value is not None:
            assert fmt == "0", row.id
    assert ws[f"D{stt['6.1.1']}"].number_format == "#,##0.0"
    assert ws[f"D{stt['6.2.2']}"].number_format == COUNT_FORMAT
    # the formats print '.' groups and ',' decimals as literals, whatever the viewer's locale
    assert r"#\.##0" in COUNT_FORMAT and "," not in COUNT_FORMAT and PERCENT_FORMAT == r"0\,00%"


def test_percent_formulas_reference_exactly_their_count_cells(sample):
    view, _, ws = sample
    stt = rows_by_stt(ws)
    id_of_row = {stt[row.stt]: row.id for row in all_rows(view)}
    percents = [row for row in all_rows(view) if row.kind == "percent"]
    assert len(percents) == 16
    for row in percents:
        formula = ws[f"D{stt[row.stt]}"].value
        refs = {id_of_row[int(n)] for n in re.findall(r"\bD(\d+)\b", formula)}
        assert refs == set(row.formula[0]) | set(row.formula[1]), (row.id, formula)
        assert not re.search(r"\b[ABCE]\d+\b", formula), formula  # only Số liệu cells
    # a difference in the denominator keeps its sign: bm3.3.1.3 / (bm3.3.1 − bm3.3.1.1)
    f336 = ws[f"D{stt['3.3.6']}"].value
    assert f"ROUND(100*D{stt['3.3.1.3']}/(D{stt['3.3.1']}-D{stt['3.3.1.1']}),2)" in f336


def test_percent_formulas_evaluate_to_the_views_values(sample):
    view, _, ws = sample
    assert check_formulas_evaluate_to_view(view, ws) == 16
    stt = rows_by_stt(ws)
    got = {s: as_view_value(evaluate(ws[f"D{stt[s]}"].value, ws)) for s in ("3.3.5", "3.3.6", "6.1", "7.3.5", "1.3.2")}
    assert got == {"3.3.5": Decimal("99.05"), "3.3.6": Decimal("43.60"), "6.1": Decimal("97.68"),
                   "7.3.5": Decimal("53.28"), "1.3.2": None}


@pytest.mark.parametrize(
    "values",
    [
        {"bm1.2.1": "0", "bm1.2.2": "0"},  # zero denominator: blank
        {"bm1.2.1": "8", "bm1.2.2": "1"},  # 12,50
        {"bm7.3.3": "20000", "bm7.3.4": "2469"},  # 12,345 -> 12,35: half-up
        {"bm7.3.3": "3", "bm7.3.4": "2", "bm3.3.1": "17", "bm3.3.1.1": "17"},  # 66,67; 3.3.6 divides by 0
        {"bm3.3.2": "abc", "bm6.1.1": "3", "bm6.1.2": "1,001"},  # invalid operand: blank; money 33,37
        {"bm3.3.1.1": "", "bm6.1.1": "0,003", "bm6.1.2": "0,002"},  # blank operand; 66,67
    ],
)
def test_formulas_match_the_view_on_other_figures(tmp_path, values):
    view = make_view(lambda doc: doc["values"].update(values))
    _, ws = write(view, tmp_path / "x.xlsx", draft=True)
    assert check_formulas_evaluate_to_view(view, ws) == 16


def test_formula_sides_with_coefficients_and_constants():
    refs = {"bm1.1": "D5", "bm1.2": "D6", "bm1.3": "D7"}
    assert excel._side(parse_sum("bm1.1 - bm1.2 + 2"), refs) == "D5-D6+2"
    assert excel._side(parse_sum("bm1.1 + bm1.1 - bm1.3"), refs) == "2*D5-D7"
    assert excel._side(parse_sum("bm1.3 - (bm1.1 + bm1.2)"), refs) == "D7-D5-D6"


def test_clerk_text_is_never_a_formula(tmp_path):
    def edit(doc):
        doc["notes"].update(CLERK_TEXT)
        doc["values"]["bm3.3.7"] = "=SUM(A1)"

    view = make_view(edit)
    assert any(r.invalid and r.text == "=SUM(A1)" for r in all_rows(view))
    _, ws = write(view, tmp_path / "x.xlsx", draft=True)
    stt = rows_by_stt(ws)
    for ident, text in CLERK_TEXT.items():
        cell = ws[f"E{stt[ident[2:]]}"]
        assert cell.value == text and cell.data_type == "s", ident
    invalid = ws[f"D{stt['3.3.7']}"]
    assert invalid.value == "=SUM(A1)" and invalid.data_type == "s"
    assert invalid.quotePrefix and ws[f"E{stt['3.3.1']}"].quotePrefix
    # and in the file itself: no <f> element but the 16 percent formulas
    import zipfile

    sheet = zipfile.ZipFile(tmp_path / "x.xlsx").read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count("<f>") == 16 and "SUM(A1)</f>" not in sheet


def test_large_counts_get_the_format_for_their_size(tmp_path):
    view = make_view(lambda doc: doc["values"].update({"bm7.5.2": "1.234.567.890", "bm7.1.4": "24.694"}))
    _, ws = write(view, tmp_path / "x.xlsx")
    stt = rows_by_stt(ws)
    assert ws[f"D{stt['7.5.2']}"].value == 1234567890 and ws[f"D{stt['7.5.2']}"].number_format == COUNT_FORMAT_BIG
    assert ws[f"D{stt['7.1.4']}"].number_format == COUNT_FORMAT


def test_print_setup(sample):
    _, _, ws = sample
    header = rows_by_stt(ws)["STT"]
    assert ws.page_setup.paperSize in (9, "9")
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == f"${header}:${header}"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws.print_options.horizontalCentered
    assert ws.freeze_panes == f"A{header + 1}"
    assert ws.page_margins.left >= 0.7 and ws.page_margins.top >= 0.7
    for col in "ABCDE":
        assert ws.column_dimensions[col].width >= 7
    assert ws.row_breaks.brk, "page breaks keep form titles with their rows"


def test_layout_styles(sample):
    view, _, ws = sample
    stt = rows_by_stt(ws)
    heading = next(r for r in all_rows(view) if r.kind == "heading")
    assert ws[f"B{stt[heading.stt]}"].font.b
    deep = next(r for r in all_rows(view) if r.depth == 3)
    assert ws[f"B{stt[deep.stt]}"].alignment.indent == 2 and ws[f"B{stt[deep.stt]}"].alignment.wrap_text
    assert ws[f"D{stt['3.3.1']}"].border.left.style == "thin"


def test_draft_marker_only_in_a_draft(tmp_path):
    view = make_view()

    def marker_cells(ws):
        return [c.coordinate for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "DỰ THẢO" in c.value]

    _, ws = write(view, tmp_path / "draft.xlsx", draft=True)
    assert marker_cells(ws) and all(int(re.sub(r"\D", "", c)) < rows_by_stt(ws)["STT"] for c in marker_cells(ws))
    assert "DỰ THẢO" in (ws.oddHeader.right.text or "")
    # page 1 says it once, in its title block, not again in a page header
    assert ws.HeaderFooter.differentFirst and "DỰ THẢO" not in (ws.firstHeader.right.text or "")
    assert ws.firstFooter.center.text == ws.oddFooter.center.text == "Trang &P/&N"
    _, ws = write(view, tmp_path / "final.xlsx", draft=False)
    assert not marker_cells(ws)
    assert "DỰ THẢO" not in (ws.oddHeader.right.text or "") + (ws.oddHeader.center.text or "")


# ---------------------------------------------------------------- rendered by LibreOffice
def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        pytest.skip("LibreOffice (soffice) is not installed: the rendered appendix is not checked "
                    "(apt-get install libreoffice-calc-nogui poppler-utils)")
    return exe


def convert(xlsx: Path, target: str, outdir: Path, locale: str = "en_US.UTF-8") -> Path:
    """LibreOffice headless, its own profile (parallel runs do not collide), a given locale."""
    env = {**os.environ, "LC_ALL": locale, "LANG": locale}
    profile = outdir / f"profile-{locale}"
    subprocess.run(
        [_soffice(), "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", target,
         "--outdir", str(outdir), str(xlsx)],
        check=True, capture_output=True, timeout=240, env=env,
    )
    return outdir


def csv_rows(outdir: Path) -> list[list[str]]:
    import csv

    files = sorted(outdir.glob("*.csv"))
    assert files, "LibreOffice wrote no CSV"
    return [row for f in files for row in csv.reader(f.read_text(encoding="utf-8").splitlines())]


@pytest.fixture(scope="module")
def rendered_csv(tmp_path_factory):
    _soffice()
    out = tmp_path_factory.mktemp("csv")
    view = make_view(lambda doc: doc["values"].update({"bm7.1.4": "24.694", "bm7.1.1": "1.234.567.890",
                                                       "bm7.3.3": "20000", "bm7.3.4": "2469"}))
    write_xlsx(view, out / "phu_luc.xlsx")
    convert(out / "phu_luc.xlsx", CSV_AS_SHOWN, out / "en")
    convert(out / "phu_luc.xlsx", CSV_AS_SHOWN, out / "vi", locale="vi_VN.UTF-8")
    shown = lambda d: {r[0]: r[3] for r in csv_rows(d) if len(r) >= 4}  # noqa: E731  STT -> Số liệu
    return shown(out / "en"), shown(out / "vi")


def test_libreoffice_shows_vietnamese_numbers_on_an_english_locale(rendered_csv):
    en, _ = rendered_csv
    assert en["3.3.5"] == "99,05%" and en["3.3.6"] == "43,60%" and en["6.1"] == "97,68%"
    assert en["1.2"] == "100,00%" and en["1.3.2"] == ""  # blank operands: blank
    assert en["7.3.5"] == "12,35%"  # 2469 / 20000 = 12,345 %: half-up
    assert en["3.3.1"] == "1.962" and en["7.5.2"] == "5.158.000" and en["7.1.4"] == "24.694"
    assert en["7.1.1"] == "1.234.567.890" and en["3.3.1.4"] == "0" and en["2.3.1"] == "1"
    assert en["6.2.2"] == "6.648"  # a whole amount of money looks Vietnamese everywhere
    assert en["1.6.2"] == "1" and en["5.9"] == "0"  # codes
    assert en["6.1.1"] == "1,029.7"  # decimals follow the viewer's locale (see excel.py)
    assert not any("#" in v for v in en.values())


def test_libreoffice_money_decimals_on_a_vietnamese_locale(rendered_csv):
    _, vi = rendered_csv
    assert vi["6.1.1"] == "1.029,7" and vi["6.1.2"] == "1.005,8" and vi["6.1"] == "97,68%"
    assert vi["3.3.1"] == "1.962"


@pytest.fixture(scope="module")
def rendered_pdf(tmp_path_factory):
    _soffice()
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdfinfo, pdftotext) are not installed: the PDF is not checked")
    out = tmp_path_factory.mktemp("pdf")
    view = make_view()
    for name, draft in (("final", False), ("draft", True)):
        write_xlsx(view, out / f"{name}.xlsx", draft=draft)
        convert(out / f"{name}.xlsx", "pdf", out)
    breaks = len(openpyxl.load_workbook(out / "final.xlsx").worksheets[0].row_breaks.brk)
    return out, breaks


def pdf_pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    n = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout for p in range(1, n + 1)]


def test_rendered_pdf_pages(rendered_pdf):
    out, breaks = rendered_pdf
    pages = pdf_pages(out / "final.pdf")
    # our page breaks are the only ones: the printer never had to add one of its own
    assert len(pages) == breaks + 1
    assert 4 <= len(pages) <= 8
    text = "\n".join(pages)
    for needle in ("BIỂU MẪU THỐNG KÊ SỐ LIỆU CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2023", "Biểu mẫu 1. Công tác chỉ đạo",
                   "Biểu mẫu 7. Xây dựng và phát triển Chính quyền điện tử", "99,05%", "43,60%", "97,68%", "53,28%",
                   "1.962", "5.158.000", "Tổ công nghệ số cộng đồng"):
        assert needle in text, needle
    assert "###" not in text and "DỰ THẢO" not in text
    for n, page in enumerate(pages, 1):
        assert "Chỉ tiêu" in page and "Đơn vị tính" in page and "Số liệu" in page, n  # header repeated
        assert f"Trang {n}/{len(pages)}" in page
    # every indicator's STT is printed
    for row in all_rows(make_view()):
        assert re.search(rf"(?m)^\s*{re.escape(row.stt)}\s", text), row.stt


def test_rendered_draft_has_the_marker_on_every_page(rendered_pdf):
    out, _ = rendered_pdf
    pages = pdf_pages(out / "draft.pdf")
    assert all("DỰ THẢO" in page for page in pages)

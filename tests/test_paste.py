"""Pasting a block copied from a spreadsheet or a Word table into a form (core: no Qt)."""

from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.core.numbers import format_count, format_money
from cchc_desktop.core.paste import (Fill, clipboard_rows, is_block, plan_paste, rows_as_tsv, split_tsv,
                                     table_from_html)
from cchc_desktop.core.vocabulary import FORM_COLUMNS
from cchc_desktop.formats.excel import write_xlsx
from cchc_desktop.formats.printed import PrintedReport
from cchc_desktop.services.sample import sample_doc


@pytest.fixture(scope="module")
def catalog():
    return CatalogRegistry().latest()


def test_a_column_of_figures_fills_the_inputs_below_skipping_headings(catalog):
    rows = clipboard_rows("12\n0\n1.097\n")
    assert rows == [["12"], ["0"], ["1.097"]]
    plan = plan_paste(catalog, 3, "bm3.1.4", rows)
    assert [f.ident for f in plan.fills] == ["bm3.1.4", "bm3.1.5", "bm3.2.1"]
    assert [f.value for f in plan.fills] == ["12", "0", "1.097"]
    assert plan.skipped == ["bm3.2"] and not plan.overflow and not plan.by_stt
    assert all(f.note is None for f in plan.fills)  # no second column: notes left as they are
    assert "Bỏ qua 1 dòng tiêu đề hoặc tự tính: 2." in plan.summary(catalog)  # bm3.2: STT 2 of Biểu mẫu 3


def test_a_value_and_note_row_puts_the_note_in_ghi_chu(catalog):
    rows = clipboard_rows("5\tTheo Kế hoạch số 15/KH-UBND\r\n")
    plan = plan_paste(catalog, 3, "bm3.1.1", rows)
    assert plan.fills == [Fill("bm3.1.1", "5", "Theo Kế hoạch số 15/KH-UBND")]
    # "1 <tab> text" is a figure and its note, never row 1 of the form
    plan = plan_paste(catalog, 3, "bm3.1.1", clipboard_rows("1\tTheo Quyết định 690/QĐ-UBND\n"))
    assert plan.fills == [Fill("bm3.1.1", "1", "Theo Quyết định 690/QĐ-UBND")] and not plan.by_stt


def test_lines_past_the_end_of_the_form_are_counted_not_written(catalog):
    form = catalog.forms[7]
    last = [i for i in form.indicators if catalog.indicators[i].is_input][-1]
    plan = plan_paste(catalog, 7, last, clipboard_rows("1\n2\n3\n"))
    assert [f.ident for f in plan.fills] == [last] and plan.overflow == 2
    assert "2 dòng vượt quá cuối biểu mẫu" in plan.summary(catalog)


def test_quoted_cells_keep_their_line_breaks_tabs_and_quotes():
    text = '1\t"dòng một\ndòng hai"\r\n2\t"có ""ngoặc"" và\ttab"\r\n3\t"Theo" kế hoạch\r\n'
    assert split_tsv(text) == [["1", "dòng một\ndòng hai"], ["2", 'có "ngoặc" và\ttab'], ["3", '"Theo" kế hoạch']]


def test_a_single_cell_is_not_a_block():
    assert not is_block(clipboard_rows("1.097"))
    assert is_block(clipboard_rows("1\n2")) and is_block(clipboard_rows("1\tghi chú"))


def test_a_word_table_on_the_clipboard_is_read_from_its_html(catalog):
    html = ("<html><body><p>Bảng</p><table><tr><td><p>3.1.1</p></td><td>Số TTHC</td><td>Thủ tục</td>"
            "<td>12</td><td>Theo&nbsp;QĐ <br>số 5</td></tr><tr><td>3.1.2</td><td>x</td><td>y</td><td>7</td>"
            "<td></td></tr></table><table><tr><td>khác</td></tr></table></body></html>")
    rows = clipboard_rows("tab-less text Word also puts there", html)
    assert rows == [["3.1.1", "Số TTHC", "Thủ tục", "12", "Theo QĐ\nsố 5"], ["3.1.2", "x", "y", "7", ""]]
    plan = plan_paste(catalog, 3, "bm3.1.1", rows)
    assert plan.by_stt and plan.fills == [Fill("bm3.1.1", "12", "Theo QĐ\nsố 5"), Fill("bm3.1.2", "7", "")]
    assert table_from_html("<table><tr><td>a") == [] or table_from_html("<table><tr><td>a") is None


def test_rows_are_matched_by_stt_in_either_numbering_and_unknown_lines_are_listed(catalog):
    ind = catalog.indicators["bm3.3.2.1"]
    # we print, as the real forms do, within the form: bm3.3.2.1 is "3.2.1" in Biểu mẫu 3; "3.2.1"
    # is also bm3.2.1 in the numbering across forms our older appendices used: the labels decide
    assert ind.stt == "3.2.1"
    rows = [["3.2.1", ind.label, ind.unit, "41", ""], ["9.9", "Dòng lạ", "", "3", ""]]
    plan = plan_paste(catalog, 3, "bm3.1.1", rows)
    assert plan.by_stt and [f.ident for f in plan.fills] == ["bm3.3.2.1"]
    assert plan.unmatched == [(2, "9.9 | Dòng lạ | 3")]
    assert "1 dòng không khớp chỉ tiêu nào" in plan.summary(catalog)
    other = catalog.indicators["bm3.2.1"]
    plan = plan_paste(catalog, 3, "bm3.1.1", [["3.2.1", other.label, other.unit, "4", ""]])
    assert [f.ident for f in plan.fills] == ["bm3.2.1"]
    # without labels a tie goes to the numbering we print
    assert [f.ident for f in plan_paste(catalog, 3, "bm3.1.1", [["3.2.1", "", "", "4", ""]]).fills] == ["bm3.3.2.1"]


def test_a_block_from_our_older_appendix_numbered_across_forms_still_pastes(catalog):
    """Appendices written before the STT was numbered per form say "3.3.2.1"; no row of Biểu
    mẫu 3 is "3.3.2.1" within the form, so the block is read in the old numbering."""
    form = catalog.forms[3]
    rows = [[ident.removeprefix("bm"), "", "", "7", ""] for ident in form.indicators]
    plan = plan_paste(catalog, 3, form.indicators[0], rows)
    assert plan.by_stt and not plan.unmatched
    assert [f.ident for f in plan.fills] == [i for i in form.indicators if catalog.indicators[i].is_input]
    # and a province's sheet numbered within the form, the same rows
    rows = [[catalog.indicators[ident].stt, "", "", "7", ""] for ident in form.indicators]
    assert [f.ident for f in plan_paste(catalog, 3, form.indicators[0], rows).fills] == [f.ident for f in plan.fills]


def test_the_two_level_header_of_our_appendix_names_the_columns(catalog):
    head = [["STT", "Chỉ tiêu", "Kết quả thống kê", "", "Ghi chú"], ["", "", "Đơn vị tính", "Số liệu", ""]]
    rows = head + [["1.1", "x", "Thủ tục", "12", "ghi"], ["1.2", "y", "Thủ tục", "8", ""]]
    plan = plan_paste(catalog, 3, "bm3.1.1", rows)
    assert plan.by_stt and plan.fills == [Fill("bm3.1.1", "12", "ghi"), Fill("bm3.1.2", "8", "")]
    # with the form's title lines copied above it, and lines counted from the block's first
    title = [["Biểu mẫu 3", "", "", "", ""], ["Cải cách thủ tục hành chính (TTHC)", "", "", "", ""]]
    plan = plan_paste(catalog, 3, "bm3.1.1", title + head + [["1.1", "", "", "5", ""], ["9.9", "lạ", "", "", ""]])
    assert plan.fills == [Fill("bm3.1.1", "5", "")] and plan.unmatched == [(6, "9.9 | lạ")]


def test_a_header_line_names_the_columns_in_any_order(catalog):
    rows = [["Số liệu", "STT", "Ghi chú"], ["12", "1.1", "ghi"], ["", "1.2", ""]]
    plan = plan_paste(catalog, 3, "bm3.1.1", rows)
    assert plan.by_stt and plan.fills == [Fill("bm3.1.1", "12", "ghi"), Fill("bm3.1.2", "", "")]
    rows = [["SO LIEU", "GHI CHU"], ["12", "a"], ["7", "b"]]  # without marks, any case
    plan = plan_paste(catalog, 3, "bm3.1.1", rows)
    assert not plan.by_stt and plan.fills == [Fill("bm3.1.1", "12", "a"), Fill("bm3.1.2", "7", "b")]


def _shown(ind, value) -> str:
    """What a spreadsheet shows for a figure in a Vietnamese-locale Excel: 1.097, 1.005,8."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and ind.kind == "count":
        return format_count(int(value))
    if isinstance(value, (int, float, Decimal)) and ind.kind == "money":
        return format_money(Decimal(str(value)))
    return str(value)


def excel_copy(path, sheet: str, catalog, form_number: int) -> str:
    """What Excel puts on the clipboard when the clerk selects one form's table on its own sheet
    of our appendix — the two header lines and every row, STT to Ghi chú — and copies: each
    cell's value as the sheet shows it (counts as 1.962 on a Vietnamese PC, a percentage
    formula as its result), tab-separated, each line ended by \r\n, a cell with a tab, a line
    break or a quote in quotes."""
    ws = openpyxl.load_workbook(path)[sheet]
    first = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == FORM_COLUMNS[0])
    form = catalog.forms[form_number]
    shown_percent = {ident: "" for ident in form.indicators}
    lines = []
    for r in range(first, first + 2 + len(form.indicators)):
        cells = []
        for c in range(1, 6):
            v = ws.cell(r, c).value
            if r >= first + 2 and c == 4:
                ind = catalog.indicators[form.indicators[r - first - 2]]
                v = shown_percent[ind.id] if isinstance(v, str) and v.startswith("=") else _shown(ind, v)
            text = "" if v is None else str(v)
            cells.append('"' + text.replace('"', '""') + '"' if any(ch in text for ch in '\t\r\n"') else text)
        lines.append("\t".join(cells))
    return "".join(line + "\r\n" for line in lines)


@pytest.mark.parametrize("form_number", range(1, 8))
def test_a_whole_form_copied_from_our_own_excel_appendix_fills_every_input_row(tmp_path, catalog, form_number):
    """Issue 10's done-when: a whole form, header and all, copied from the appendix the program
    itself wrote, pastes into that form by STT (the STT printed within the form)."""
    registry = CatalogRegistry()
    doc = sample_doc(registry)
    path = tmp_path / "PhuLuc.xlsx"
    write_xlsx(PrintedReport.from_doc(doc, registry), path)
    tsv = excel_copy(path, f"Biểu mẫu {form_number}", catalog, form_number)  # the form's own sheet, one table
    rows = clipboard_rows(tsv)
    assert rows[0] == [FORM_COLUMNS[0], FORM_COLUMNS[1], "Kết quả thống kê", "", FORM_COLUMNS[4]]
    assert rows[1] == ["", "", FORM_COLUMNS[2], FORM_COLUMNS[3], ""]
    by_stt = {catalog.indicators[i].stt: catalog.indicators[i] for i in catalog.forms[form_number].indicators}
    assert [r[0] for r in rows[2:]] == list(by_stt)  # numbered within the form: "1", "1.1" …
    plan = plan_paste(catalog, form_number, catalog.forms[form_number].indicators[0], rows)
    expected = {i.id: i.sample or "" for i in by_stt.values() if i.is_input}
    assert plan.by_stt and not plan.unmatched and not plan.overflow
    assert {f.ident for f in plan.fills} == set(expected)
    assert set(plan.skipped) == {i.id for i in by_stt.values() if not i.is_input}
    typed = {f.ident: f.value for f in plan.fills}
    from cchc_desktop.core.numbers import parse_value

    for ident, sample in expected.items():
        ind = catalog.indicators[ident]
        assert parse_value(ind.kind, typed[ident], ind.codes).value == parse_value(ind.kind, sample, ind.codes).value, ident


def test_copied_rows_paste_back_as_the_same_block(catalog):
    cells = [("bm3.1.1", "1.097", 'Theo "KH"\nsố 15'), ("bm3.1.2", "", "")]
    tsv = rows_as_tsv(catalog, cells)
    rows = clipboard_rows(tsv)
    assert rows[0] == list(FORM_COLUMNS)
    plan = plan_paste(catalog, 3, "bm3.1.1", rows)
    assert plan.by_stt and plan.fills == [Fill("bm3.1.1", "1.097", 'Theo "KH"\nsố 15'), Fill("bm3.1.2", "", "")]


_cell = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)


@given(st.lists(st.lists(_cell, min_size=2, max_size=5), min_size=1, max_size=6))
def test_split_tsv_reads_back_what_a_spreadsheet_writes(rows):
    """Excel's quoting: a cell with a tab, a line break or a quote is quoted, quotes doubled."""
    def cell(text):
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in '\t\r\n"') else text

    text = "".join("\t".join(cell(c) for c in r) + "\r\n" for r in rows)
    assert split_tsv(text) == rows

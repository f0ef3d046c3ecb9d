"""The Excel appendix carries the report's data: one file for the paper and the data."""

import json
import zipfile

import openpyxl
import pytest

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.formats.appendix_data import DATA_SHEET, AppendixError, canonical, read_appendix
from cchc_desktop.formats.excel import write_xlsx
from cchc_desktop.formats.printed import PrintedReport
from cchc_desktop.services.sample import sample_doc


@pytest.fixture(scope="module")
def registry():
    return CatalogRegistry()


@pytest.fixture
def appendix(tmp_path, registry):
    doc = sample_doc(registry)
    path = tmp_path / "PhuLuc.xlsx"
    write_xlsx(PrintedReport.from_doc(doc, registry), path)
    return path, doc


def test_the_appendix_gives_back_the_report_it_was_printed_from(appendix):
    path, doc = appendix
    back = read_appendix(path)
    assert back.doc == doc and back.differences == ()
    wb = openpyxl.load_workbook(path)
    assert wb[DATA_SHEET].sheet_state == "veryHidden" and wb.sheetnames[0] == "Phụ lục"


def test_a_figure_edited_after_export_is_reported_cell_by_cell(appendix, registry):
    path, doc = appendix
    wb = openpyxl.load_workbook(path)
    cells = json.loads("".join(r[0] for r in wb[DATA_SHEET].iter_rows(values_only=True)))["cells"]
    ident = "bm3.3.1"
    ws = wb["Phụ lục"]
    ws[cells[ident]] = 9999
    ws[cells["bm1.2.1"]] = 28.0  # Excel saving 28 as 28.0 is not an edit
    wb.save(path)
    back = read_appendix(path)
    assert [(d.ident, d.cell, d.shown) for d in back.differences] == [(ident, cells[ident], "9999")]
    text = back.differences_text(registry.latest())
    assert f"Ô {cells[ident]} (Biểu mẫu 3, dòng 3.1): bảng tính ghi “9999”" in text
    assert back.doc == doc  # the data itself is as exported; the reader decides which to trust


def test_the_hidden_data_edited_by_hand_is_refused(appendix):
    path, _ = appendix
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    ws["A1"] = ws["A1"].value.replace('"figures":{"bm1.1":', '"figures":{"bm1.1":"7","x":', 1)
    wb.save(path)
    with pytest.raises(AppendixError, match="bị sửa tay|bị hỏng"):
        read_appendix(path)


def test_a_workbook_not_written_by_the_program_says_what_to_send(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Biểu mẫu 1"
    wb.save(tmp_path / "tay.xlsx")
    with pytest.raises(AppendixError, match="không mang dữ liệu báo cáo"):
        read_appendix(tmp_path / "tay.xlsx")
    (tmp_path / "x.xlsx").write_bytes(b"garbage")
    with pytest.raises(AppendixError, match="không phải bảng tính Excel"):
        read_appendix(tmp_path / "x.xlsx")


def test_the_data_rides_in_chunks_below_excels_cell_limit(appendix):
    path, _ = appendix
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
    ws = openpyxl.load_workbook(path)[DATA_SHEET]
    assert all(len(r[0]) <= 32_767 for r in ws.iter_rows(values_only=True))


@pytest.mark.parametrize("value, said", [(12, "12"), (12.0, "12"), (1005.8, "1005.8"), (None, ""), ("1,2x", "1,2x"),
                                         (True, "1")])
def test_canonical_figures(value, said):
    assert canonical(value) == said


def test_a_figure_edited_on_a_forms_own_sheet_is_reported_too(appendix):
    """Issue 11 §4: each form has its own sheet besides the printable one; the data records the
    cells of both, so an edit on either is named with its sheet."""
    path, doc = appendix
    wb = openpyxl.load_workbook(path)
    payload = json.loads("".join(r[0] for r in wb[DATA_SHEET].iter_rows(values_only=True)))
    assert sorted(payload["copies"]) == [f"Biểu mẫu {n}" for n in range(1, 8)]
    for title, cells in payload["copies"].items():  # every figure of the form, where it stands on that sheet
        form = int(title.split()[-1])
        assert cells and all(i.startswith(f"bm{form}.") for i in cells)
        for ident, ref in cells.items():
            assert canonical(wb[title][ref].value) == payload["figures"][ident], (title, ident)
    assert set().union(*payload["copies"].values()) == set(payload["cells"])
    ref = payload["copies"]["Biểu mẫu 3"]["bm3.3.1"]
    wb["Biểu mẫu 3"][ref] = 1
    wb.save(path)
    back = read_appendix(path)
    assert [(d.ident, d.cell, d.shown) for d in back.differences] == [("bm3.3.1", f"{ref} trang “Biểu mẫu 3”", "1")]
    assert back.doc == doc


def test_an_appendix_written_before_the_form_sheets_still_reads(appendix):
    path, doc = appendix
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    text = "".join(r[0] for r in ws.iter_rows(values_only=True))
    payload = json.loads(text)
    del payload["copies"]
    for title in [t for t in wb.sheetnames if t.startswith("Biểu mẫu")]:
        del wb[title]
    ws.delete_rows(1, ws.max_row)
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    for n, start in enumerate(range(0, len(text), 30_000), start=1):
        ws.cell(n, 1).value = text[start:start + 30_000]
    wb.save(path)
    back = read_appendix(path)
    assert back.doc == doc and back.differences == ()

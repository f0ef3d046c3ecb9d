"""The Excel appendix is one file for the paper and the data (issue 12 §3): `import` and
`validate` read the same .xlsx the province receives, as real child processes; an appendix whose
figures were edited after export is refused, naming the cells, and nothing is imported."""

from __future__ import annotations

import json

import openpyxl

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.formats.appendix_data import DATA_SHEET
from cchc_desktop.formats.excel import write_xlsx
from cchc_desktop.formats.printed import PrintedReport
from cchc_desktop.services.sample import sample_doc
from cchc_desktop.storage.store import Store
from tests.conftest import run_cli


def _appendix(tmp_path):
    registry = CatalogRegistry()
    path = tmp_path / "PhuLuc_CCHC_Nam2023_XaBinhPhuoc.xlsx"
    write_xlsx(PrintedReport.from_doc(sample_doc(registry), registry), path)
    return path


def test_import_and_validate_read_the_appendix(tmp_path):
    path = _appendix(tmp_path)
    data = tmp_path / "data"
    checked = run_cli("validate", str(path))
    assert checked.returncode == 1 and "Tổng cộng: 1 lỗi" in checked.stdout  # the sample's one real error
    done = run_cli("--data-dir", str(data), "import", str(path))
    assert done.returncode == 0, done.stderr
    assert "Đã nhập báo cáo Năm 2023" in done.stdout
    with Store.open(data) as store:
        (report,) = store.list_reports()
        assert store.get_values(report["id"])["bm3.3.1"].raw == sample_doc(CatalogRegistry())["values"]["bm3.3.1"]


def test_an_appendix_edited_after_export_is_refused_with_its_cells(tmp_path):
    path = _appendix(tmp_path)
    wb = openpyxl.load_workbook(path)
    cells = json.loads("".join(r[0] for r in wb[DATA_SHEET].iter_rows(values_only=True)))["cells"]
    sheet, ref = next(iter(cells["bm3.3.1"])) if isinstance(cells["bm3.3.1"], list) else ("Phụ lục", cells["bm3.3.1"])
    wb[sheet][ref] = 9999
    wb.save(path)
    data = tmp_path / "data"
    done = run_cli("--data-dir", str(data), "import", str(path))
    assert done.returncode == 2 and "Bảng tính đã bị sửa sau khi xuất" in done.stderr + done.stdout
    assert ref in done.stderr + done.stdout
    with Store.open(data) as store:
        assert store.list_reports() == []

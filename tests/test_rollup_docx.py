"""The roll-up's Word appendix for the province's own report (issue 12 §4, --docx): real
exchange files rolled up, the .docx read back with python-docx and the CLI run as a process."""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT

from cchc_desktop.formats.exchange import write_exchange_file
from cchc_desktop.services.rollup import rollup
from cchc_desktop.services.rollup_docx import FORM_HEAD, UNIT_HEAD, write_rollup_docx
from tests.conftest import run_cli
from tests.test_rollup import CATALOG, REGISTRY, commune


def _files(folder):
    write_exchange_file(commune("Thử 01", {"bm1.2.1": "2", "bm1.2.2": "1", "bm1.4": "1"}), folder / "a.json")
    write_exchange_file(commune("Thử 02", {"bm1.2.1": "100", "bm1.2.2": "99", "bm1.4": "0"}), folder / "b.json")
    write_exchange_file(commune("Thử 03", {"bm1.2.1": "1.000", "bm1.2.2": "900"}), folder / "c.json")


def _rows(table):
    return [[c.text for c in row.cells] for row in table.rows]


def test_each_form_carries_the_totals_and_the_communes_are_listed(tmp_path):
    _files(tmp_path)
    r = rollup([tmp_path], REGISTRY, units=[("Xã Thử 01", ""), ("Xã Thử 02", ""), ("Xã Thử 03", ""), ("Xã Vắng", "")])
    out = tmp_path / "phu-luc.docx"
    write_rollup_docx(r, out)
    doc = Document(str(out))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "TỔNG HỢP KẾT QUẢ CÔNG TÁC CẢI CÁCH HÀNH CHÍNH CẤP XÃ NĂM 2023\n" in text
    assert "từ 3 báo cáo cấp xã" in text and "1 đơn vị chưa gửi" in text
    assert len(doc.tables) == len(CATALOG.forms) + 1
    form1 = _rows(doc.tables[0])
    assert tuple(form1[0]) == FORM_HEAD
    by_label = {row[1]: row for row in form1[1:]}
    planned = by_label[CATALOG.indicators["bm1.2.1"].label]
    assert planned[0] == CATALOG.indicators["bm1.2.1"].stt and planned[3] == "1.102" and planned[4] == "3"
    rate = by_label[CATALOG.indicators["bm1.2"].label]
    assert rate[3] == "90,74%" and rate[4] == ""  # 1000/1102 recomputed, never the mean of the communes' rates
    assert by_label[CATALOG.indicators["bm1.4"].label][3] == "Có: 1; Không: 1; để trống: 1"
    units = _rows(doc.tables[-1])
    assert tuple(units[0]) == UNIT_HEAD
    assert [u[1] for u in units[1:]] == ["Xã Thử 01", "Xã Thử 02", "Xã Thử 03", "Xã Vắng"]
    assert units[-1][3] == "chưa gửi"
    assert doc.tables[0].style.name == "CCHC Data Table"


def test_the_command_writes_it(tmp_path):
    (tmp_path / "in").mkdir()
    _files(tmp_path / "in")
    out = tmp_path / "tong-hop.docx"
    done = run_cli("rollup", str(tmp_path / "in"), "--docx", str(out))
    assert done.returncode == 0, done.stderr
    assert f"Đã ghi {out}" in done.stdout
    assert len(Document(str(out)).tables) == len(CATALOG.forms) + 1

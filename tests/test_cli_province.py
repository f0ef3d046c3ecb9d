"""The province's commands: the kit out to Excel and back, and the roll-up (real processes)."""

import json
import tomllib

from cchc_desktop.core.catalog import BUILTIN_DIR
from cchc_desktop.formats.exchange import write_exchange_file
from cchc_desktop.services.sample import sample_doc
from tests.conftest import run_cli


def test_the_kit_goes_out_to_excel_and_back_unchanged(tmp_path):
    kit, out = tmp_path / "KIT.xlsx", tmp_path / "tinh.toml"
    r = run_cli("catalog", "export-xlsx", "--out", str(kit))
    assert r.returncode == 0 and "catalog build" in r.stdout
    r = run_cli("catalog", "build", str(kit), "--out", str(out))
    assert r.returncode == 0 and "154 chỉ tiêu" in r.stdout, r.stderr
    assert tomllib.loads(out.read_text("utf-8")) == tomllib.loads((BUILTIN_DIR / "xa-2025.1.toml").read_text("utf-8"))


def test_a_damaged_kit_is_one_vietnamese_sentence_and_exit_2(tmp_path):
    (tmp_path / "hong.xlsx").write_bytes(b"not a workbook")
    r = run_cli("catalog", "build", str(tmp_path / "hong.xlsx"), "--out", str(tmp_path / "x.toml"))
    assert r.returncode == 2 and "không phải bảng tính Excel" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x.toml").exists()


def test_rollup_prints_the_totals_as_json_and_says_what_is_missing(tmp_path):
    base = sample_doc()
    for n, (a, b) in enumerate([("2", "1"), ("100", "99")]):
        doc = json.loads(json.dumps(base))
        doc["unit"]["name"] = f"Thử 0{n + 1}"
        doc["values"] = {"bm1.2.1": a, "bm1.2.2": b}
        write_exchange_file(doc, tmp_path / f"{n}.json")
    units = tmp_path / "units.csv"
    units.write_text("name\nXã Thử 01\nXã Thử 02\nXã Thử 03\n", "utf-8")
    r = run_cli("rollup", str(tmp_path), "--units", str(units), "--json", "--xlsx", str(tmp_path / "th.xlsx"))
    out = json.loads(r.stdout)
    assert r.returncode == 1 and out["reports"] == 2 and out["missing"] == ["Xã Thử 03"]
    assert out["totals"] == {"bm1.2.1": "102", "bm1.2.2": "100"} and out["derived"]["bm1.2"] == "98,04"
    assert set(out) == {"reports", "refused", "missing", "totals", "derived", "flags", "units"}
    assert (tmp_path / "th.xlsx").is_file()
    r = run_cli("rollup", str(tmp_path / "khong-co"))
    assert r.returncode == 2 and "Không có tệp hoặc thư mục này" in r.stdout


def test_the_newcomers_first_command_does_the_whole_job_and_ends_well(tmp_path):
    """Issue 10 §9: install, write the sample, check it (its one error printed), write the draft
    Word report and Excel appendix, exit 0 with the paths; validate keeps its exit codes."""
    r = run_cli("demo", "--folder", str(tmp_path / "thu"))
    assert r.returncode == 0, r.stderr
    assert "LỖI" in r.stdout and "5.1 đến 5.4" in r.stdout
    names = sorted(p.name for p in (tmp_path / "thu").iterdir())
    assert names == ["BaoCao_CCHC_Nam2023_XaBinhPhuoc_DuThao.docx", "PhuLuc_CCHC_Nam2023_XaBinhPhuoc_DuThao.xlsx",
                     "sample.json"]
    assert all(str(tmp_path / "thu" / n) in r.stdout for n in names)
    assert run_cli("validate", str(tmp_path / "thu" / "sample.json")).returncode == 1

"""The command line, run for real in child processes against a real data folder."""

import json
import sqlite3

import pytest

from tests.conftest import run_cli


@pytest.fixture
def sample_file(tmp_path):
    out = run_cli("sample", "--out", str(tmp_path / "sample.json"))
    assert out.returncode == 0, out.stderr
    return tmp_path / "sample.json"


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


def _dump(data_dir):
    """Everything in the database but the audit clock, for 'nothing changed' checks."""
    path = data_dir / "cchc.sqlite"
    if not path.exists():
        return None
    con = sqlite3.connect(path)
    try:
        return [line for line in con.iterdump()]
    finally:
        con.close()


def test_validate_the_sample_reports_the_one_error(sample_file):
    out = run_cli("validate", str(sample_file))
    assert out.returncode == 1
    assert "LỖI" in out.stdout and "dòng 5.1 đến 5.4" in out.stdout and "Biểu mẫu 4, dòng 3 ghi" in out.stdout
    assert "Tổng cộng: 1 lỗi, 0 cảnh báo, 0 ô nhập sai." in out.stdout
    assert "99,05%" in out.stdout


def test_validate_json_has_exactly_the_documented_shape(sample_file):
    out = run_cli("validate", str(sample_file), "--json")
    assert out.returncode == 1
    result = json.loads(out.stdout)
    assert set(result) == {"issues", "derived"}
    assert result["issues"] == [
        {
            "severity": "error",
            "rule": "bm5.5#1",
            "indicators": ["bm5.5.1", "bm5.5.2", "bm5.5.3", "bm5.5.4", "bm4.3"],
            "message": result["issues"][0]["message"],
        }
    ]
    assert "Biểu mẫu 5" in result["issues"][0]["message"]
    assert result["derived"]["bm3.3.5"] == "99,05" and result["derived"]["bm6.1"] == "97,68"
    assert "bm2.2" not in result["derived"]  # blank operands: omitted


def test_validate_exit_codes_for_clean_invalid_and_unreadable(tmp_path, sample_file):
    doc = json.loads(sample_file.read_text(encoding="utf-8"))
    doc["values"]["bm4.3"] = "11"
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert run_cli("validate", str(clean)).returncode == 0

    doc["values"]["bm4.3"] = "mười một"
    typo = tmp_path / "typo.json"
    typo.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = run_cli("validate", str(typo), "--json")
    assert out.returncode == 1
    issues = json.loads(out.stdout)["issues"]
    assert [(i["severity"], i["rule"], i["indicators"]) for i in issues] == [
        ("invalid", None, ["bm4.3"]),
        ("warning", "text:II.3:bm4.3", ["bm4.3"]),  # the prose prints row 4.3, now blank
    ]

    missing = run_cli("validate", str(tmp_path / "khong-co.json"))
    assert missing.returncode == 2 and missing.stderr.strip() and "Traceback" not in missing.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ', encoding="utf-8")
    out = run_cli("validate", str(broken))
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_import_list_export_round_trip(tmp_path, sample_file, data_dir):
    out = run_cli("--data-dir", str(data_dir), "import", str(sample_file))
    assert out.returncode == 0, out.stderr
    listing = run_cli("--data-dir", str(data_dir), "list")
    assert "Xã Bình Phước" in listing.stdout and "Năm 2023" in listing.stdout
    again = run_cli("--data-dir", str(data_dir), "import", str(sample_file))
    assert again.returncode == 2 and "Đã có báo cáo Năm 2023" in again.stderr

    exported = tmp_path / "out.json"
    assert run_cli("--data-dir", str(data_dir), "export-json", "1", str(exported)).returncode == 0
    a = json.loads(sample_file.read_text(encoding="utf-8"))
    b = json.loads(exported.read_text(encoding="utf-8"))
    for key in ("catalog", "unit", "report", "values", "notes", "narratives"):
        assert a[key] == b[key], key


def test_env_var_chooses_the_data_folder(tmp_path, sample_file):
    folder = tmp_path / "env-data"
    out = run_cli("import", str(sample_file), env={"CCHC_DATA_DIR": str(folder)})
    assert out.returncode == 0, out.stderr
    assert (folder / "cchc.sqlite").exists()


HOSTILE = {
    "damaged.json": b'{"format": "cchc-desktop/report", "schema_version": 1, "values": {',
    "garbage.json": bytes(range(256)) * 8,
    "newer.json": None,  # built below from the sample
    "nested.json": b"[" * 100_000 + b"]" * 100_000,
    "typed.json": None,
    "derived.json": None,
    "unknown-id.json": None,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_import_is_refused_and_changes_nothing(tmp_path, sample_file, data_dir, name):
    assert run_cli("--data-dir", str(data_dir), "import", str(sample_file)).returncode == 0
    before = _dump(data_dir)
    doc = json.loads(sample_file.read_text(encoding="utf-8"))
    doc["report"]["year"] = 2024  # not a duplicate: only the damage stops it
    content = HOSTILE[name]
    if name == "newer.json":
        doc["schema_version"] = 99
    elif name == "typed.json":
        doc["values"] = [["bm3.3.1", "1.962"]]
    elif name == "derived.json":
        doc["values"]["bm3.3.5"] = "99,05"
    elif name == "unknown-id.json":
        doc["values"]["bm3.9.9"] = "1"
    path = tmp_path / name
    path.write_bytes(content if content is not None else json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    out = run_cli("--data-dir", str(data_dir), "import", str(path))
    assert out.returncode == 2, out.stdout
    assert out.stderr.strip() and "Traceback" not in out.stderr
    assert _dump(data_dir) == before


def test_an_oversized_import_is_refused(tmp_path, data_dir):
    big = tmp_path / "big.json"
    with open(big, "wb") as f:
        f.write(b'{"values": {"bm1.1": "' + b"1" * (10 * 1024 * 1024) + b'"}}')
    out = run_cli("--data-dir", str(data_dir), "import", str(big))
    assert out.returncode == 2 and "10" in out.stderr and "Traceback" not in out.stderr
    assert _dump(data_dir) in (None, _dump(data_dir))
    assert run_cli("--data-dir", str(data_dir), "list").stdout.startswith("Chưa có báo cáo nào")


def test_create_complete_delete_backup_restore(tmp_path, sample_file, data_dir):
    d = ("--data-dir", str(data_dir))
    assert run_cli(*d, "import", str(sample_file)).returncode == 0
    refused = run_cli(*d, "complete", "1")
    assert refused.returncode == 1 and "còn 1 lỗi" in refused.stderr
    out = run_cli(*d, "create", "--year", "2024", "--period", "6thang", "--copy-from", "1")
    assert out.returncode == 0, out.stderr
    assert "6 tháng 2024" in run_cli(*d, "list").stdout
    backup = run_cli(*d, "backup")
    assert backup.returncode == 0
    assert run_cli(*d, "delete", "2").returncode == 0
    assert "6 tháng 2024" not in run_cli(*d, "list").stdout
    listing = run_cli(*d, "restore")
    names = [line.split()[-1] for line in listing.stdout.splitlines() if line.endswith(".sqlite")]
    manual = [n for n in names if "thu-cong" in n]
    assert manual, listing.stdout
    restored = run_cli(*d, "restore", manual[0])
    assert restored.returncode == 0, restored.stderr
    assert "6 tháng 2024" in run_cli(*d, "list").stdout


def test_version_and_help_are_vietnamese():
    assert run_cli("--version").stdout.startswith("CCHC Desktop ")
    assert "báo cáo mẫu" in run_cli("--help").stdout


def test_export_the_sample_as_a_draft_writes_both_files(tmp_path):
    docx, xlsx = tmp_path / "a.docx", tmp_path / "b.xlsx"
    out = run_cli("export", "--sample", "--draft", "--docx", str(docx), "--xlsx", str(xlsx))
    assert out.returncode == 0, out.stderr
    assert docx.stat().st_size > 10_000 and xlsx.stat().st_size > 5_000
    refused = run_cli("export", "--sample", "--docx", str(tmp_path / "final.docx"))
    assert refused.returncode == 1 and "còn 1 lỗi" in refused.stderr
    assert not (tmp_path / "final.docx").exists()


def test_export_from_a_file_and_from_the_database_with_standard_names(tmp_path, sample_file, data_dir):
    doc = json.loads(sample_file.read_text(encoding="utf-8"))
    doc["values"]["bm4.3"] = "11"
    fixed = tmp_path / "fixed.json"
    fixed.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = run_cli("export", str(fixed), "--folder", str(tmp_path / "out"))
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "BaoCao_CCHC_Nam2023_XaBinhPhuoc.docx",
        "PhuLuc_CCHC_Nam2023_XaBinhPhuoc.xlsx",
    ]
    assert run_cli("--data-dir", str(data_dir), "import", str(fixed)).returncode == 0
    out = run_cli("--data-dir", str(data_dir), "export", "1", "--xlsx", str(tmp_path / "db.xlsx"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "db.xlsx").exists() and not (tmp_path / "db.docx").exists()
    missing = run_cli("export", str(tmp_path / "khong-co.json"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_mistyped_commands_are_answered_in_vietnamese(tmp_path):
    out = run_cli("validate")
    assert out.returncode == 2
    assert "thiếu tham số bắt buộc: FILE.json" in out.stderr and "required" not in out.stderr
    out = run_cli("create", "--year", "abc", "--period", "nam")
    assert out.returncode == 2 and "'abc' không hợp lệ" in out.stderr
    assert "Cách dùng:" in run_cli("--help").stdout


def test_data_dir_is_accepted_after_the_sub_command(tmp_path, sample_file):
    out = run_cli("import", str(sample_file), "--data-dir", str(tmp_path / "d"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "d" / "cchc.sqlite").exists()


def test_a_closed_pipe_is_not_an_error(sample_file):
    """`validate f.json | head -1`: the reader goes away before we write; no traceback, no
    "unexpected error" sentence."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "cchc_desktop", "validate", str(sample_file)],
            stdout=write_end, stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=ROOT, timeout=120,
        )
    finally:
        os.close(write_end)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "ngoài dự kiến" not in proc.stderr


def test_an_imported_complete_report_arrives_as_a_draft_and_says_so(tmp_path, sample_file, data_dir):
    doc = json.loads(sample_file.read_text(encoding="utf-8"))
    doc["values"]["bm4.3"] = "11"
    doc["report"]["status"] = "complete"
    path = tmp_path / "done.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = run_cli("--data-dir", str(data_dir), "import", str(path))
    assert out.returncode == 0, out.stderr
    assert "đang soạn" in out.stdout and "cchc-desktop complete 1" in out.stdout
    assert "đang soạn" in run_cli("--data-dir", str(data_dir), "list").stdout


def test_a_broken_province_catalog_is_named_and_the_command_goes_on(tmp_path):
    data = tmp_path / "data"
    (data / "catalogs").mkdir(parents=True)
    (data / "catalogs" / "tinh-hong.toml").write_text("x = " + "[" * 5000, encoding="utf-8")
    env = {"CCHC_DATA_DIR": str(data)}
    out = run_cli("sample", "--out", str(tmp_path / "s.json"), env=env)
    assert out.returncode == 0
    out = run_cli("validate", str(tmp_path / "s.json"), env=env)
    assert out.returncode == 1 and "dòng 5.1 đến 5.4" in out.stdout and "Biểu mẫu 4, dòng 3 ghi" in out.stdout and "tinh-hong.toml" in out.stderr

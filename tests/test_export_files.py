"""Writing export files: atomic replace, a locked target, an unwritable folder, and the
rule that errors block a final export but not a draft."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.services.export_files import ExportError, default_paths, export_view, free_name, write_atomically
from cchc_desktop.formats.printed import PrintedReport, ascii_slug
from cchc_desktop.services.sample import sample_doc


def _immutable(path: Path):
    """Root ignores file modes; the immutable flag is what a locked file looks like to us."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not available: cannot make a file that even root cannot replace")
    out = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if out.returncode != 0:
        pytest.skip(f"chattr +i is not supported here: {out.stderr.decode().strip()}")
    return path


@pytest.fixture
def unlock():
    paths = []
    yield paths.append
    for p in paths:
        subprocess.run(["chattr", "-i", str(p)], capture_output=True)


def test_write_atomically_replaces_in_one_step(tmp_path):
    target = tmp_path / "out" / "BaoCao.docx"
    write_atomically(target, lambda p: p.write_bytes(b"new"))
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["BaoCao.docx"]  # no temp file left


def test_a_failing_writer_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "BaoCao.docx"
    target.write_bytes(b"old")

    def broken(p: Path):
        p.write_bytes(b"half")
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        write_atomically(target, broken)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["BaoCao.docx"]


def test_a_locked_target_gives_a_message_and_another_name(tmp_path, unlock):
    target = tmp_path / "BaoCao.docx"
    target.write_bytes(b"open in Word")
    unlock(_immutable(target))
    with pytest.raises(ExportError) as err:
        write_atomically(target, lambda p: p.write_bytes(b"new"))
    assert "đang mở trong Word" in err.value.message and "BaoCao_2.docx" in err.value.message
    assert err.value.suggestion == tmp_path / "BaoCao_2.docx"
    assert target.read_bytes() == b"open in Word"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["BaoCao.docx"]
    write_atomically(err.value.suggestion, lambda p: p.write_bytes(b"new"))  # the offer works
    assert (tmp_path / "BaoCao_2.docx").read_bytes() == b"new"


def test_a_read_only_folder_gives_a_message_and_offers_documents(tmp_path, unlock, monkeypatch):
    folder = tmp_path / "readonly"
    folder.mkdir()
    unlock(_immutable(folder))
    monkeypatch.setattr("platformdirs.user_documents_dir", lambda: str(tmp_path / "Documents"))
    with pytest.raises(ExportError) as err:
        write_atomically(folder / "BaoCao.docx", lambda p: p.write_bytes(b"x"))
    assert "chỉ cho đọc" in err.value.message and str(folder) in err.value.message
    assert err.value.suggestion == tmp_path / "Documents" / "Bao cao CCHC" / "BaoCao.docx"
    assert list(folder.iterdir()) == []


def test_free_name_counts_up(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"")
    (tmp_path / "a_2.xlsx").write_bytes(b"")
    assert free_name(tmp_path / "a.xlsx") == tmp_path / "a_3.xlsx"
    assert free_name(tmp_path / "b.xlsx") == tmp_path / "b.xlsx"


def test_file_names_are_ascii_and_say_period_year_and_unit(tmp_path):
    view = PrintedReport.from_doc(sample_doc(), CatalogRegistry())
    docx, xlsx = default_paths(view, tmp_path)
    assert (docx.name, xlsx.name) == ("BaoCao_CCHC_Nam2023_XaBinhPhuoc.docx", "PhuLuc_CCHC_Nam2023_XaBinhPhuoc.xlsx")
    assert default_paths(view, tmp_path, draft=True)[0].name == "BaoCao_CCHC_Nam2023_XaBinhPhuoc_DuThao.docx"
    assert ascii_slug("Đặc khu Lý Sơn") == "DacKhuLySon"
    assert ascii_slug("phường Nghĩa Lộ") == "PhuongNghiaLo"


def test_errors_block_a_final_export_and_nothing_is_written(tmp_path):
    view = PrintedReport.from_doc(sample_doc(), CatalogRegistry())
    docx, xlsx = default_paths(view, tmp_path)
    with pytest.raises(ExportError, match="còn 1 lỗi"):
        export_view(view, docx=docx, xlsx=xlsx)
    assert list(tmp_path.iterdir()) == []


def test_a_sample_without_errors_exports_final(tmp_path):
    doc = sample_doc()
    doc["values"]["bm4.3"] = "11"
    view = PrintedReport.from_doc(doc, CatalogRegistry())
    steps = []
    written = export_view(view, docx=tmp_path / "a.docx", xlsx=tmp_path / "a.xlsx", progress=lambda p, m: steps.append(p))
    assert [p.name for p in written] == ["a.docx", "a.xlsx"] and all(p.stat().st_size > 1000 for p in written)
    assert steps[-1] == 100 and steps == sorted(steps)
    assert os.path.getsize(tmp_path / "a.docx") > 0


def test_a_full_disk_while_writing_is_a_message_and_the_old_file_stays(tmp_path, monkeypatch):
    monkeypatch.setattr("platformdirs.user_documents_dir", lambda: str(tmp_path / "Documents"))
    target = tmp_path / "usb" / "BaoCao.docx"
    target.parent.mkdir()
    target.write_bytes(b"old")

    def disk_full(p: Path):
        p.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(ExportError) as err:
        write_atomically(target, disk_full)
    assert "ổ đĩa có thể đã đầy" in err.value.message
    assert err.value.suggestion == tmp_path / "Documents" / "Bao cao CCHC" / "BaoCao.docx"
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["BaoCao.docx"]


def test_an_exported_file_is_readable_by_others_like_any_document(tmp_path):
    target = write_atomically(tmp_path / "a.xlsx", lambda p: p.write_bytes(b"x"))
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask

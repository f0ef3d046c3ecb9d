"""What interrupted backups and exports leave behind is removed at the next start: only our
own temp files, and none that another window may still be writing."""

from __future__ import annotations

import os
import time
from pathlib import Path

from cchc_desktop.storage import housekeeping
from tests.conftest import run_cli

ZIP = b"PK\x03\x04" + b"\x00" * 200


def _file(path: Path, content: bytes = b"x", age: float = 300) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_only_our_stale_temps_go(tmp_path: Path):
    data, backups, export = tmp_path / "data", tmp_path / "data" / "backups", tmp_path / "Bao cao CCHC"
    ours = [
        _file(backups / ".cchc-k2j4_x9a.tmp", b"SQLite format 3\x00"),
        _file(backups / ".cchc-k2j4_x9a.tmp-journal"),
        _file(data / ".cchc-moi-0123456789abcdef.tmp"),
        _file(data / ".cchc-kiem-tra-ghi-0123abcd.tmp"),
        _file(export / "~BaoCao_CCHC_Nam2025_XaBinhPhuoc.a1b2c3d_.tmp", ZIP),
        _file(export / "~PhuLuc.zz9y8x7w.tmp", b""),
    ]
    theirs = [
        _file(backups / ".cchc-dang-ghi.tmp", age=5),  # another window is writing it right now
        _file(backups / "cchc-20250320-093000-auto.sqlite"),
        _file(data / "cchc.sqlite"),
        _file(data / "ghi-chu.tmp"),
        _file(export / "~WRL0001.tmp"),  # Word's own
        _file(export / "~$BaoCao.docx"),
        _file(export / "~BaoCao.a1b2c3d4.tmp", b"not a zip: someone else's"),
        _file(export / "BaoCao_CCHC_Nam2025_XaBinhPhuoc.docx", ZIP),
    ]
    big = _file(export / "~Lon.a1b2c3d4.tmp", ZIP)
    with open(big, "r+b") as fh:
        fh.truncate(31 * 1024 * 1024)  # bigger than any export: not ours
    os.utime(big, (time.time() - 300, time.time() - 300))
    (export / ".cchc-thu-muc.tmp").mkdir()
    removed = housekeeping.remove_stale_temps([data, backups, export, tmp_path / "khong-co", None])
    assert sorted(removed) == sorted(ours)
    assert not any(p.exists() for p in ours)
    assert all(p.exists() for p in theirs) and big.exists() and (export / ".cchc-thu-muc.tmp").is_dir()


def test_nothing_to_do_is_an_empty_list(tmp_path: Path):
    assert housekeeping.remove_stale_temps([]) == []
    assert housekeeping.remove_stale_temps([tmp_path / "khong-co"]) == []


def test_the_command_line_cleans_the_data_and_backup_folders(tmp_path: Path):
    data = tmp_path / "data"
    left = [_file(data / "backups" / ".cchc-abcd1234.tmp", b"SQLite format 3\x00"),
            # a Word template or a province's forms being installed when the power went
            _file(data / "templates" / ".cchc-efgh5678.tmp", b"PK\x03\x04"),
            _file(data / "catalogs" / ".cchc-ijkl9012.tmp", b"[catalog]")]
    kept = _file(data / "templates" / "bao_cao_cchc_xa.docx", b"PK\x03\x04")
    out = run_cli("--data-dir", str(data), "list")
    assert out.returncode == 0, out.stderr
    assert not any(p.exists() for p in left) and kept.exists()


def test_the_temps_our_writers_really_make_are_the_ones_housekeeping_takes(tmp_path: Path, monkeypatch):
    """Exchange file, Word/Excel export, backup and copy taken out all write through system.atomic;
    the names they really use, left behind by a crash, are taken at the next start."""
    from cchc_desktop.formats.exchange import write_exchange_file
    from cchc_desktop.services.export_files import write_atomically
    from cchc_desktop.services.sample import sample_doc
    from cchc_desktop.storage import backups
    from cchc_desktop.storage.store import Store
    from cchc_desktop.system import atomic

    made: list[Path] = []
    real_new_temp = atomic.new_temp

    def recording(folder: Path) -> Path:
        made.append(real_new_temp(folder))
        return made[-1]

    monkeypatch.setattr(atomic, "new_temp", recording)
    monkeypatch.setattr(backups, "new_temp", recording)
    folder = tmp_path / "usb"
    folder.mkdir()
    write_exchange_file(sample_doc(), folder / "bao-cao.json")
    write_atomically(folder / "BaoCao.docx", lambda p: p.write_bytes(ZIP))
    store = Store(tmp_path / "cchc.sqlite")
    try:
        backups.make_backup(store, tmp_path / "backups")
        backups.copy_out(store, folder, "Xã Bình Phước")
    finally:
        store.close()
    assert len(made) == 4 and not any(p.exists() for p in made)  # each put in place or removed
    crashed = [_file(p, ZIP) for p in made] + [_file(Path(f"{made[-1]}-journal"))]
    removed = housekeeping.remove_stale_temps([folder, tmp_path / "backups"])
    assert sorted(removed) == sorted(crashed)

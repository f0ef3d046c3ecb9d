"""The log: <data>/logs/cchc-desktop.log, rotated so it stays small; created only when
something is logged; never an error of its own; the command line logs its failures (warnings
and up) while the clerk reads one Vietnamese sentence, never a traceback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from cchc_desktop import cli

from cchc_desktop.system import logs
from tests.conftest import run_cli


@pytest.fixture(autouse=True)
def _own_log(tmp_path, monkeypatch):
    monkeypatch.setattr(logs.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    root = logging.getLogger()
    level = root.level
    yield
    logs.shutdown()
    root.setLevel(level)


def test_rotation_keeps_the_log_small(tmp_path):
    handler = logs.setup(tmp_path / "data", level=logging.INFO)
    line = "Đã lưu ô bm4.3 của báo cáo Năm 2025 — " + "x" * 160
    for i in range(15_000):  # ~3 MB of lines
        logs.log.info("%05d %s", i, line)
    handler.flush()
    folder = tmp_path / "data" / "logs"
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["cchc-desktop.log", "cchc-desktop.log.1", "cchc-desktop.log.2", "cchc-desktop.log.3"]
    sizes = [(folder / name).stat().st_size for name in files]
    assert all(size <= logs.MAX_BYTES for size in sizes), sizes
    assert sum(sizes) <= (logs.BACKUP_COUNT + 1) * logs.MAX_BYTES  # ≤ 2 MB on the stick, whatever happens
    assert "14999" in (folder / "cchc-desktop.log").read_text(encoding="utf-8")  # the newest is kept


def test_nothing_is_created_until_something_is_logged(tmp_path):
    logs.setup(tmp_path / "data", level=logging.WARNING)
    logs.log.info("not logged: below the level")
    assert not (tmp_path / "data").exists()
    logs.log.warning("Không mở được tệp")
    assert "Không mở được tệp" in (tmp_path / "data" / "logs" / "cchc-desktop.log").read_text(encoding="utf-8")


def test_an_unwritable_log_folder_falls_back_and_never_raises(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    handler = logs.setup(blocker / "data", level=logging.INFO, fallback_data_dir=blocker / "other")
    logs.log.warning("vẫn ghi được")
    assert handler.path == tmp_path / "tmp" / logs.FALLBACK_DIRNAME / logs.LOG_FILENAME
    assert "vẫn ghi được" in handler.path.read_text(encoding="utf-8")
    assert logs.log_file() == handler.path


def test_a_refused_rotation_keeps_logging(tmp_path, monkeypatch):
    """Windows will not rename a log another copy of the program has open."""
    handler = logs.setup(tmp_path / "data", level=logging.INFO)
    handler.maxBytes = 2000

    def refuse(source, dest):
        raise PermissionError(32, "The process cannot access the file", source)

    monkeypatch.setattr(handler, "rotate", refuse)
    for i in range(100):
        logs.log.info("dòng %d", i)
    handler.flush()
    text = handler.path.read_text(encoding="utf-8")
    assert "dòng 0" in text and "dòng 99" in text


def test_a_failed_command_is_logged_and_the_clerk_reads_one_sentence(tmp_path):
    data = tmp_path / "data"
    out = run_cli("validate", str(tmp_path / "khong-co.json"), env={"CCHC_DATA_DIR": str(data)})
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "khong-co.json" in out.stderr
    log = (data / "logs" / "cchc-desktop.log").read_text(encoding="utf-8")
    assert "WARNING" in log and "validate" in log and "khong-co.json" in log


def test_a_successful_command_writes_no_log(tmp_path):
    data = tmp_path / "data"
    out = run_cli("sample", "--out", str(tmp_path / "s.json"), env={"CCHC_DATA_DIR": str(data)})
    assert out.returncode == 0
    assert not (data / "logs").exists()


def test_an_unexpected_error_in_a_command_is_logged_not_shown(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    monkeypatch.setenv("CCHC_DATA_DIR", str(data))
    monkeypatch.delenv("CCHC_DEBUG", raising=False)

    def broken(args):
        return {}["a bug"]

    monkeypatch.setattr(cli, "cmd_list", broken)
    assert cli.main(["list"]) == cli.EXIT_UNEXPECTED
    err = capsys.readouterr().err
    log_path = data / "logs" / "cchc-desktop.log"
    assert "Traceback" not in err and "KeyError" in err
    assert "lỗi ngoài dự kiến" in err and str(log_path) in err and "an toàn" in err
    log = log_path.read_text(encoding="utf-8")
    assert "CRITICAL" in log and "Traceback" in log and "in broken" in log


def test_CCHC_DEBUG_lets_a_developer_see_the_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CCHC_DEBUG", "1")
    monkeypatch.setattr(cli, "cmd_list", lambda args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        cli.main(["list"])


def test_the_fatal_log_is_beside_the_log(tmp_path):
    import faulthandler
    import sys

    was_enabled = faulthandler.is_enabled()  # pytest's own, to stderr
    path = logs.enable_fatal_log(tmp_path / "data")
    try:
        assert path == tmp_path / "data" / "logs" / logs.FATAL_FILENAME and faulthandler.is_enabled()
    finally:
        faulthandler.disable()
        if logs._fatal_stream is not None:
            logs._fatal_stream.close()
            logs._fatal_stream = None
        if was_enabled:
            faulthandler.enable(file=sys.__stderr__)


def test_logs_is_core_and_names_its_files():
    assert Path(logs.__file__).parent.parent.name == "cchc_desktop"
    assert (logs.LOG_DIRNAME, logs.LOG_FILENAME, logs.MAX_BYTES, logs.BACKUP_COUNT) == ("logs", "cchc-desktop.log", 512 * 1024, 3)

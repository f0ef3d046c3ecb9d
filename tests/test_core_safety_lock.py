"""One writer per data folder: the window (here a child process holding the lock, as the window
will) keeps data-changing commands out; a killed holder or a garbled lock file never blocks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cchc_desktop.storage import folder_lock
from tests.conftest import run_cli
from tests.test_cli import _dump

ROOT = Path(__file__).resolve().parents[1]
_HOLDER = textwrap.dedent("""
    import sys
    from cchc_desktop.storage.folder_lock import acquire
    lock = acquire(sys.argv[1])
    print("held" if lock else "refused", flush=True)
    sys.stdin.read()
""")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def holder(data_dir: Path):
    """A live process holding the data folder, as the open window does."""
    env = os.environ | {"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(data_dir)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, encoding="utf-8", env=env, cwd=ROOT)
    assert proc.stdout.readline() == "held\n"
    yield proc
    proc.kill()
    proc.wait()


def test_a_held_folder_is_refused_and_free_again_after_the_holder_is_killed(data_dir: Path, holder):
    assert folder_lock.acquire(data_dir) is None
    assert str(holder.pid) in (data_dir / folder_lock.LOCK_NAME).read_text()  # who holds it, for a person
    holder.send_signal(signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
    holder.wait()
    lock = folder_lock.acquire(data_dir)
    assert lock is not None
    assert str(os.getpid()) in (data_dir / folder_lock.LOCK_NAME).read_text()
    lock.release()


def test_a_released_lock_can_be_taken_again_and_works_as_a_context_manager(data_dir: Path):
    with folder_lock.acquire(data_dir) as lock:
        assert lock.held and folder_lock.acquire(data_dir) is None
    assert not lock.held
    again = folder_lock.acquire(data_dir)
    assert again is not None
    again.release()


@pytest.mark.parametrize("content", [b"", b"\x00" * 4096, b"\xff\xfe garbage \x00\x01" * 50, b"99999\nCCHC\nmay-khac\n"])
def test_a_lock_file_left_by_a_power_cut_never_blocks_a_start(data_dir: Path, content: bytes):
    (data_dir / folder_lock.LOCK_NAME).write_bytes(content)
    lock = folder_lock.acquire(data_dir)
    assert lock is not None
    lock.release()


def test_the_lock_keeps_the_window_s_lock_file_name():
    assert folder_lock.LOCK_NAME == "cchc-desktop.lock"


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    out = tmp_path / "sample.json"
    assert run_cli("sample", "--out", str(out)).returncode == 0
    return out


def test_data_changing_commands_refuse_while_the_window_holds_the_folder(tmp_path, sample_file, data_dir):
    d = ("--data-dir", str(data_dir))
    assert run_cli(*d, "import", str(sample_file)).returncode == 0
    assert run_cli(*d, "backup").returncode == 0
    backup = next((data_dir / "backups").iterdir()).name
    env = os.environ | {"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    window = subprocess.Popen([sys.executable, "-c", _HOLDER, str(data_dir)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, encoding="utf-8", env=env, cwd=ROOT)
    try:
        assert window.stdout.readline() == "held\n"
        before = _dump(data_dir)
        for command in (("delete", "1"), ("restore", backup), ("import", str(sample_file)),
                        ("create", "--year", "2024", "--period", "nam"), ("complete", "1")):
            out = run_cli(*d, *command)
            assert out.returncode != 0, command
            assert "đóng cửa sổ chương trình rồi chạy lại lệnh" in out.stderr, (command, out.stderr)
            assert "Traceback" not in out.stderr
        assert _dump(data_dir) == before
        assert run_cli(*d, "list").returncode == 0  # reading goes on beside the window
    finally:
        window.kill()
        window.wait()
    assert run_cli(*d, "delete", "1").returncode == 0  # the window closed: the command runs

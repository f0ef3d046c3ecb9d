"""Portable mode: `portable.txt` beside the program puts every file in `data/` beside it (the
program runs from a USB stick); the precedence --data-dir > CCHC_DATA_DIR > portable > user
folder; a portable folder that cannot be written falls back to the user folder with a clear
Vietnamese notice instead of a crash."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cchc_desktop.system import data_dirs as paths
from tests.conftest import ROOT, run_cli

VIETNAMESE = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


@pytest.fixture
def app(tmp_path, monkeypatch):
    """A program folder and a per-user folder, both inside tmp_path; no CCHC_DATA_DIR."""
    program = tmp_path / "USB" / "CCHC Desktop"
    program.mkdir(parents=True)
    profile = tmp_path / "profile" / "CCHC Desktop"
    monkeypatch.delenv(paths.ENV_VAR, raising=False)
    monkeypatch.delenv(paths.APP_DIR_ENV, raising=False)
    monkeypatch.setattr(paths, "user_data_dir", lambda: profile)
    return program, profile


def frozen_at(monkeypatch, program: Path) -> None:
    """As a PyInstaller build sees itself: sys.frozen, sys.executable inside the program folder."""
    exe = program / "cchc-desktop.exe"
    exe.write_bytes(b"MZ")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))


@contextlib.contextmanager
def unwritable(folder: Path):
    """Make `folder` refuse new entries. Root ignores file modes, so as root this uses the
    immutable attribute (chattr +i) and skips, saying why, where that is not available."""
    if os.name == "nt":
        pytest.skip("the unwritable-folder simulation (chmod / chattr +i) is POSIX-only")
    if os.geteuid() != 0:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(mode)
        return
    try:
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
    except FileNotFoundError:
        pytest.skip("running as root and chattr is not installed: no folder can be made unwritable here")
    if done.returncode != 0:
        pytest.skip(f"running as root and chattr +i failed on this file system: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def is_vietnamese(text: str) -> bool:
    return len(VIETNAMESE & set(text.lower())) >= 3


# --- where the data goes --------------------------------------------------------------------

def test_marker_beside_the_executable_puts_the_data_beside_it(app, monkeypatch):
    program, profile = app
    frozen_at(monkeypatch, program)
    (program / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    location = paths.locate_data_dir()
    assert location == paths.DataLocation(program / "data", "portable", None)
    assert (program / "data").is_dir() and list((program / "data").iterdir()) == []  # the probe is gone
    assert paths.resolve_data_dir() == program / "data"
    assert paths.db_path(paths.resolve_data_dir()) == program / "data" / "cchc.sqlite"
    assert paths.backup_dir(program / "data") == program / "data" / "backups"
    assert not profile.exists()  # nothing left on the PC


def test_without_the_marker_a_frozen_program_uses_the_user_folder(app, monkeypatch):
    program, profile = app
    frozen_at(monkeypatch, program)
    assert paths.locate_data_dir() == paths.DataLocation(profile, "user", None)
    assert not (program / "data").exists()


def test_from_source_portable_mode_needs_CCHC_APP_DIR(app, monkeypatch):
    program, profile = app
    (program / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    assert not getattr(sys, "frozen", False)
    assert paths.app_dir() is None and paths.locate_data_dir().folder == profile
    monkeypatch.setenv(paths.APP_DIR_ENV, str(program))
    assert paths.locate_data_dir() == paths.DataLocation(program / "data", "portable", None)


def test_a_frozen_program_ignores_CCHC_APP_DIR(app, monkeypatch, tmp_path):
    program, _ = app
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    frozen_at(monkeypatch, program)
    monkeypatch.setenv(paths.APP_DIR_ENV, str(elsewhere))
    assert paths.app_dir() == program.resolve()
    assert paths.portable_data_dir() is None


def test_precedence_option_then_env_then_portable_then_user(app, monkeypatch, tmp_path):
    program, profile = app
    frozen_at(monkeypatch, program)
    assert paths.choose_data_dir() == (profile, "user")
    (program / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    assert paths.choose_data_dir() == (program / "data", "portable")
    monkeypatch.setenv(paths.ENV_VAR, str(tmp_path / "env"))
    assert paths.choose_data_dir() == (tmp_path / "env", "env")
    assert paths.default_data_dir() == tmp_path / "env"
    assert paths.choose_data_dir(tmp_path / "opt") == (tmp_path / "opt", "option")
    assert paths.locate_data_dir(str(tmp_path / "opt")).source == "option"
    monkeypatch.setenv(paths.ENV_VAR, "  ")  # blank counts as unset
    assert paths.choose_data_dir("") == (program / "data", "portable")


def test_the_marker_must_be_a_file(app, monkeypatch):
    program, profile = app
    frozen_at(monkeypatch, program)
    (program / paths.PORTABLE_MARKER).mkdir()
    assert paths.choose_data_dir() == (profile, "user")


# --- a stick that cannot be written -----------------------------------------------------------

def test_write_protected_stick_falls_back_to_the_user_folder_with_a_notice(app, monkeypatch):
    program, profile = app
    frozen_at(monkeypatch, program)
    (program / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    with unwritable(program):  # data/ cannot even be created
        location = paths.locate_data_dir()
    assert location.folder == profile and location.source == "user" and profile.is_dir()
    assert not (program / "data").exists()
    notice = location.notice
    assert is_vietnamese(notice)
    assert str(program / "data") in notice and str(profile) in notice
    assert "chống ghi" in notice and "USB" in notice and "mở lại" in notice


def test_read_only_portable_data_folder_falls_back_too(app, monkeypatch, caplog):
    program, profile = app
    frozen_at(monkeypatch, program)
    (program / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    data = program / "data"
    data.mkdir()
    (data / "cchc.sqlite").write_bytes(b"reports of last month")
    with unwritable(data):
        with caplog.at_level("WARNING"):
            assert paths.resolve_data_dir() == profile
    assert sorted(p.name for p in data.iterdir()) == ["cchc.sqlite"]  # no probe file left behind
    clerk = [r for r in caplog.records if getattr(r, "for_clerk", False)]
    assert len(clerk) == 1 and "vẫn còn nguyên" in clerk[0].getMessage()


def test_when_no_folder_can_be_written_the_error_says_what_to_do(app, monkeypatch, tmp_path):
    program, _ = app
    frozen_at(monkeypatch, program)
    (program / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setattr(paths, "user_data_dir", lambda: blocker / "CCHC Desktop")
    with unwritable(program), pytest.raises(paths.DataDirError) as err:
        paths.locate_data_dir()
    message = str(err.value)
    assert is_vietnamese(message) and "--data-dir" in message
    assert str(program / "data") in message and str(blocker / "CCHC Desktop") in message
    assert err.value.detail  # the technical causes go to the log


def test_an_unwritable_chosen_folder_is_not_silently_replaced(app, tmp_path):
    folder = tmp_path / "chosen"
    folder.mkdir()
    with unwritable(folder), pytest.raises(paths.DataDirError) as err:
        paths.locate_data_dir(folder)
    assert "--data-dir" in str(err.value) and "quyền ghi" in str(err.value)


# --- the same, end to end -------------------------------------------------------------------

def _env(program: Path, home: Path) -> dict:
    return {paths.ENV_VAR: "", paths.APP_DIR_ENV: str(program), "XDG_DATA_HOME": str(home),
            "QT_QPA_PLATFORM": "offscreen"}


def test_command_line_on_a_portable_folder(tmp_path):
    program, home = tmp_path / "USB", tmp_path / "home"
    program.mkdir()
    (program / paths.PORTABLE_MARKER).write_text("chạy từ USB\n", encoding="utf-8")
    out = run_cli("list", env=_env(program, home))
    assert out.returncode == 0, out.stderr
    assert str(program / "data") in out.stdout and (program / "data" / "cchc.sqlite").is_file()
    assert not home.exists()


def test_command_line_on_a_write_protected_stick_says_so_and_carries_on(tmp_path):
    program, home = tmp_path / "USB", tmp_path / "home"
    program.mkdir()
    (program / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    with unwritable(program):
        out = run_cli("list", env=_env(program, home))
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr and "chống ghi" in out.stderr
    fallback = home / "CCHC Desktop"
    assert str(fallback) in out.stdout and (fallback / "cchc.sqlite").is_file()
    assert "chống ghi" in (fallback / "logs" / "cchc-desktop.log").read_text(encoding="utf-8")


def test_window_on_a_write_protected_stick_shows_the_notice_then_opens(tmp_path):
    program, home = tmp_path / "USB", tmp_path / "home"
    program.mkdir()
    (program / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    env = {**os.environ, **_env(program, home), "CCHC_SMOKE_QUIT_MS": "300", "PYTHONIOENCODING": "utf-8"}
    with unwritable(program):
        out = subprocess.run([sys.executable, "-m", "cchc_desktop"], capture_output=True, text=True,
                             encoding="utf-8", env=env, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = [line for line in out.stdout.splitlines() if line.startswith("CCHC_SMOKE")]
    assert lines[0] == "CCHC_SMOKE dismissed QMessageBox: CCHC Desktop"  # the notice, before anything else
    assert "icon: ok" in lines[-1] and "unexpected errors: 0" in lines[-1]
    assert (home / "CCHC Desktop" / "cchc.sqlite").is_file()
    log = (home / "CCHC Desktop" / "logs" / "cchc-desktop.log").read_text(encoding="utf-8")
    assert "(user)" in log and "chống ghi" in log

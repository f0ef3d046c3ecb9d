"""The PyInstaller build of build_installer.spec, run frozen: the version, the sample export
(opened again with python-docx and openpyxl), a command-line error, portable mode, the window
starting offscreen and quitting cleanly, and what the bundle holds.

Runs only when CCHC_FROZEN_APP names the built executable (.ci/run builds it after the main
test run):

    python -m PyInstaller --noconfirm build_installer.spec
    CCHC_FROZEN_APP=dist/cchc-desktop/cchc-desktop python -m pytest tests/test_frozen_bundle.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cchc_desktop import __version__

FROZEN = os.environ.get("CCHC_FROZEN_APP", "").strip()
pytestmark = pytest.mark.skipif(
    not FROZEN, reason="no frozen build to test: set CCHC_FROZEN_APP to the built executable (see .ci/run)")


@pytest.fixture(scope="module")
def exe() -> Path:
    path = Path(FROZEN).resolve()
    assert path.is_file() and os.access(path, os.X_OK), f"CCHC_FROZEN_APP={FROZEN} is not an executable"
    return path


def run(exe: Path, *args: str, env: dict | None = None, timeout: int = 120, cwd: Path | None = None):
    full = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "PYTHON"))}
    full.update({"QT_QPA_PLATFORM": "offscreen", **(env or {})})
    return subprocess.run([str(exe), *args], capture_output=True, text=True, encoding="utf-8",
                          env=full, timeout=timeout, cwd=cwd)


def test_version(exe):
    out = run(exe, "--version")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"CCHC Desktop {__version__}"


def test_the_sample_exports_a_valid_docx_and_xlsx(exe, tmp_path):
    import docx
    import openpyxl

    out = run(exe, "export", "--sample", "--draft", "--docx", str(tmp_path / "BaoCao_mau.docx"),
              "--xlsx", str(tmp_path / "PhuLuc_mau.xlsx"), env={"CCHC_DATA_DIR": str(tmp_path / "data")})
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Đã ghi" in out.stdout
    document = docx.Document(str(tmp_path / "BaoCao_mau.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Bình Phước" in text and "cải cách hành chính" in text.lower()
    assert len(document.tables) >= 1  # the appendix forms
    workbook = openpyxl.load_workbook(str(tmp_path / "PhuLuc_mau.xlsx"))
    cells = [str(c) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert any("Bình Phước" in c for c in cells) and len(cells) > 100


def test_a_command_line_error_is_one_vietnamese_sentence_and_a_log_line(exe, tmp_path):
    data = tmp_path / "data"
    out = run(exe, "validate", str(tmp_path / "khong-co.json"), env={"CCHC_DATA_DIR": str(data)})
    assert out.returncode == 2 and "Traceback" not in out.stderr and "khong-co.json" in out.stderr
    assert "khong-co.json" in (data / "logs" / "cchc-desktop.log").read_text(encoding="utf-8")


def test_the_window_starts_offscreen_and_quits_cleanly(exe, tmp_path):
    data = tmp_path / "data"
    out = run(exe, env={"CCHC_DATA_DIR": str(data), "CCHC_SMOKE_QUIT_MS": "1500"})
    assert out.returncode == 0, out.stdout + out.stderr
    smoke = [line for line in out.stdout.splitlines() if line.startswith("CCHC_SMOKE")]
    # first run: the welcome (a Designer form through QUiLoader) and the report picker came up
    assert any("dismissed ProfileDialog" in line for line in smoke), smoke
    assert "icon: ok" in smoke[-1] and "platform: offscreen" in smoke[-1], smoke
    assert "unexpected errors: 0" in smoke[-1], smoke
    log = (data / "logs" / "cchc-desktop.log").read_text(encoding="utf-8")
    assert "frozen" in log and "stopped" in log and "CRITICAL" not in log


def test_the_window_opens_the_sample_report(exe, tmp_path):
    env = {"CCHC_DATA_DIR": str(tmp_path / "data")}
    assert run(exe, "sample", "--out", str(tmp_path / "s.json"), env=env).returncode == 0
    assert run(exe, "import", str(tmp_path / "s.json"), env=env).returncode == 0
    out = run(exe, env={**env, "CCHC_SMOKE_QUIT_MS": "1500"})
    assert out.returncode == 0, out.stdout + out.stderr
    last = [line for line in out.stdout.splitlines() if line.startswith("CCHC_SMOKE")][-1]
    assert "window: Xã Bình Phước — Báo cáo CCHC Năm 2023" in last and "unexpected errors: 0" in last


def test_the_frozen_window_survives_a_long_session(exe, tmp_path):
    """The soak of tests/test_gui_soak.py against the binary that ships."""
    from tests.test_gui_soak import check_soak_output, soak_env

    data = tmp_path / "data"
    env = {"CCHC_DATA_DIR": str(data)}
    assert run(exe, "sample", "--out", str(tmp_path / "s.json"), env=env).returncode == 0
    assert run(exe, "import", str(tmp_path / "s.json"), env=env).returncode == 0
    out = run(exe, env={k: v for k, v in soak_env(data).items() if k.startswith(("CCHC_", "QT_"))}, timeout=900)
    print("\nfrozen", check_soak_output(out, data))


def test_portable_mode_keeps_everything_beside_the_program(exe, tmp_path):
    """A copy of the bundle with portable.txt beside the executable, as on the USB stick."""
    stick = tmp_path / "USB" / exe.parent.name

    def link_or_copy(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(exe.parent, stick, symlinks=True, copy_function=link_or_copy)
    (stick / "portable.txt").write_text("", encoding="utf-8")
    home = tmp_path / "home"
    env = {"XDG_DATA_HOME": str(home), "APPDATA": str(home)}
    out = run(stick / exe.name, "list", env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert str(stick / "data") in out.stdout
    assert (stick / "data" / "cchc.sqlite").is_file() and not home.exists()


def test_what_the_bundle_holds(exe):
    internal = exe.parent / "_internal"
    qt = internal / "PySide6" / "Qt"
    files = {p.relative_to(internal).as_posix() for p in internal.rglob("*") if p.is_file()}
    for needed in ("ui/unit_profile.ui", "resources/style.qss", "resources/icons/app.svg",
                   "templates_docx/bao_cao_cchc_xa.docx", "cchc_desktop/catalogs/xa-2025.1.toml",
                   "cchc_desktop/catalogs/xa-2025.1.sample.toml", "babel/locale-data/vi.dat"):
        assert needed in files, needed
    plugins = {p.parent.name + "/" + p.name.split(".")[0].removeprefix("lib") for p in (qt / "plugins").rglob("*.*")}
    assert {"platforms/qoffscreen", "iconengines/qsvgicon", "imageformats/qsvg"} <= plugins, plugins
    assert not (qt / "translations").exists() and not (qt / "qml").exists()
    unwanted = ("Qt6Network", "Qt6Qml", "Qt6Quick", "Qt6Pdf", "Qt6WebEngine", "opengl32sw", "numpy", "PIL")
    assert not [f for f in files if any(u.lower() in f.lower() for u in unwanted)]
    assert len([f for f in files if f.startswith("babel/locale-data/")]) <= 3
    size = sum(p.stat().st_size for p in exe.parent.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"\nfrozen bundle {exe.parent}: {size / 1_000_000:.1f} MB in {len(files)} files")
    assert size < 250_000_000


def test_a_national_roll_up_reads_its_files_in_worker_processes(exe, tmp_path):
    # from PARALLEL_FROM files the bundle starts worker processes the way it does on Windows
    # (spawn, through freeze_support): each must do its share and nothing else — without
    # freeze_support a worker runs the program instead, and the roll-up hangs (tried: the
    # timeout below is what fails then)
    from cchc_desktop.services.rollup_read import PARALLEL_FROM
    from tools.bench_rollup import make_communes

    (tmp_path / "xa").mkdir()
    make_communes(tmp_path / "xa", PARALLEL_FROM)
    out = run(exe, "rollup", str(tmp_path / "xa"), "--json", env={"CCHC_DATA_DIR": str(tmp_path / "data")},
              timeout=120)  # it takes a second or two
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stderr == ""
    assert json.loads(out.stdout)["reports"] == PARALLEL_FROM

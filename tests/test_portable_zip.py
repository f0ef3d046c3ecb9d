"""The USB-stick zip (issue 13): installer/make_portable.py run as the build runs it, on a
bundle folder, then unzipped and read the way the program decides where its data goes."""

from __future__ import annotations

import stat
import subprocess
import sys
import zipfile

from cchc_desktop.system import data_dirs
from tests.conftest import ROOT


def test_the_zip_is_the_bundle_with_portable_txt_and_the_unzipped_folder_is_portable(tmp_path, monkeypatch):
    bundle = tmp_path / "dist" / "cchc-desktop"
    (bundle / "_internal" / "PySide6").mkdir(parents=True)
    launcher = bundle / "cchc-desktop"
    launcher.write_bytes(b"\x7fELF launcher")
    launcher.chmod(0o755)
    (bundle / "_internal" / "PySide6" / "Qt6Core.dll").write_bytes(b"\0" * 5000)
    (bundle / "portable.txt").write_text("left by a developer")  # never shipped twice
    done = subprocess.run([sys.executable, str(ROOT / "installer" / "make_portable.py"), str(tmp_path / "dist")],
                          capture_output=True, text=True, check=True)
    made = next((tmp_path / "dist").glob("CCHC-Desktop-portable-*.zip"))
    assert str(made) in done.stdout
    with zipfile.ZipFile(made) as zf:
        names = sorted(zf.namelist())
        assert names == ["CCHC Desktop/_internal/PySide6/Qt6Core.dll", "CCHC Desktop/cchc-desktop",
                         "CCHC Desktop/portable.txt"]
        assert "thư mục data" in zf.read("CCHC Desktop/portable.txt").decode("utf-8")
        assert stat.S_IMODE(zf.getinfo("CCHC Desktop/cchc-desktop").external_attr >> 16) & 0o111
        zf.extractall(tmp_path / "stick")
    # the marker is the one the program looks for, and the unzipped folder's data stays on the stick
    monkeypatch.delenv("CCHC_DATA_DIR", raising=False)
    monkeypatch.setenv("CCHC_APP_DIR", str(tmp_path / "stick" / "CCHC Desktop"))
    found = data_dirs.locate_data_dir()
    assert found.source == "portable"
    assert found.folder == tmp_path / "stick" / "CCHC Desktop" / data_dirs.PORTABLE_DATA_DIRNAME


def test_without_a_bundle_it_says_what_to_build(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "installer" / "make_portable.py"), str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode != 0 and "PyInstaller" in done.stderr

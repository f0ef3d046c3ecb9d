"""A plain `pip install .` must carry what the product needs at run time: the catalog, the
sample, the Designer form, the stylesheet and icons, and the Word template."""

import subprocess
import sys
import zipfile

from cchc_desktop import locations
from tests.conftest import ROOT


def test_the_wheel_holds_every_shipped_file(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stderr
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    data = "cchc_desktop-0.1.0.data/data/share/cchc-desktop/"
    for needed in (
        "cchc_desktop/catalogs/xa-2025.1.toml",
        "cchc_desktop/data/sample_report.toml",
        data + "ui/unit_profile.ui",
        data + "resources/style.qss",
        data + "resources/icons/error.svg",
        data + "templates_docx/bao_cao_cchc_xa.docx",
    ):
        assert needed in names, needed


def test_shipped_files_are_found_from_the_project_and_missing_ones_named(tmp_path):
    assert locations.find("ui", "unit_profile.ui") == ROOT / "ui" / "unit_profile.ui"
    try:
        locations.find("ui", "khong-co.ui")
    except FileNotFoundError as exc:
        assert "khong-co.ui" in str(exc) and "cài đặt lại" in str(exc)
    else:
        raise AssertionError("a missing file must be reported")

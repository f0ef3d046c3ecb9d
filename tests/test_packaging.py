"""A plain `pip install .` must carry what the product needs at run time: the catalog with its
drafts and sample, the Designer form, the stylesheet and icons, and the Word template."""

import subprocess
import sys
import zipfile

import tomllib

from cchc_desktop.system import shipped
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
        "cchc_desktop/catalogs/xa-2025.1.drafts.toml",
        "cchc_desktop/catalogs/xa-2025.1.sample.toml",
        data + "ui/unit_profile.ui",
        data + "resources/style.qss",
        data + "resources/icons/error.svg",
        data + "templates_docx/bao_cao_cchc_xa.docx",
    ):
        assert needed in names, needed


def test_shipped_files_are_found_from_the_project_and_missing_ones_named(tmp_path):
    assert shipped.find("ui", "unit_profile.ui") == ROOT / "ui" / "unit_profile.ui"
    try:
        shipped.find("ui", "khong-co.ui")
    except FileNotFoundError as exc:
        assert "khong-co.ui" in str(exc) and "cài đặt lại" in str(exc)
    else:
        raise AssertionError("a missing file must be reported")


def test_pyproject_ships_exactly_the_declared_folders():
    """pyproject is static TOML: it cannot import SHIPPED, so it is held to it here."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    package = sorted(f"{f.name}/{p}" for f in shipped.SHIPPED.values() if f.where == "package" for p in f.patterns)
    assert sorted(project["package-data"]["cchc_desktop"]) == package
    top = {}
    for f in shipped.SHIPPED.values():
        if f.where == "top":
            for p in f.patterns:
                sub = p.rpartition("/")[0]
                top.setdefault("/".join(("share/cchc-desktop", f.name, sub)).rstrip("/"), []).append(f"{f.name}/{p}")
    assert {k: sorted(v) for k, v in project["data-files"].items()} == {k: sorted(v) for k, v in top.items()}


def test_every_declared_pattern_matches_a_file_and_the_bundle_list_covers_them():
    for f in shipped.SHIPPED.values():
        base = ROOT / "cchc_desktop" / f.name if f.where == "package" else ROOT / f.name
        for p in f.patterns:
            assert list(base.glob(p)), f"{f.name}/{p} matches nothing"
    datas = shipped.bundle_datas(ROOT)
    assert ("%s" % (ROOT / "resources" / "icons" / "*.svg"), "resources/icons") in datas
    assert (str(ROOT / "cchc_desktop" / "catalogs" / "*.toml"), "cchc_desktop/catalogs") in datas
    assert len(datas) == sum(len(f.patterns) for f in shipped.SHIPPED.values())

"""The core (everything but cchc_desktop.gui) must work on a machine without Qt: importing
it, and running a whole CLI job, loads no PySide6 module."""

import pkgutil
import subprocess
import sys

import cchc_desktop
from tests.conftest import ROOT

CORE = sorted(
    m.name for m in pkgutil.walk_packages(cchc_desktop.__path__, "cchc_desktop.")
    if not m.name.startswith("cchc_desktop.gui") and m.name != "cchc_desktop.__main__"
)


def test_there_is_a_core_to_check():
    assert {"cchc_desktop.core.catalog", "cchc_desktop.core.engine", "cchc_desktop.storage.store", "cchc_desktop.cli"} <= set(CORE)


def test_importing_every_core_module_loads_no_pyside6():
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}: importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(qt); sys.exit(1 if qt else 0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_cli_job_loads_no_pyside6(tmp_path):
    code = (
        "import sys\n"
        "from cchc_desktop.cli import main\n"
        f"rc = main(['sample', '--out', {str(tmp_path / 's.json')!r}])\n"
        f"rc2 = main(['validate', {str(tmp_path / 's.json')!r}])\n"
        "assert (rc, rc2) == (0, 1), (rc, rc2)\n"
        "sys.exit(3 if any(m.startswith('PySide6') for m in sys.modules) else 0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr

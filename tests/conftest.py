"""Shared test set-up. Qt runs offscreen (no display on CI); every test gets its own data
folder so nothing touches the real user profile."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CCHC_CATALOG_DIRS", raising=False)


@pytest.fixture(scope="session")
def catalog():
    from cchc_desktop.core.catalog import CatalogRegistry

    return CatalogRegistry().latest()


@pytest.fixture(scope="session")
def sample_values(catalog):
    return {i.id: i.sample for i in catalog.inputs() if i.sample is not None}


def run_cli(*args: str, env: dict | None = None, cwd: Path | None = None):
    """The real command in a child process, as a clerk's shell would run it."""
    import subprocess

    full_env = {**os.environ, **(env or {}), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "cchc_desktop", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        cwd=cwd or ROOT,
        timeout=120,
    )


@pytest.fixture
def sample_window(qtbot):
    """The main window on the built-in sample report, 1366×768, shown and active."""
    from PySide6.QtWidgets import QApplication

    from cchc_desktop.gui.app import style
    from cchc_desktop.gui.report_picker import open_sample
    from tests.test_gui_helpers import open_store, show_window

    style(QApplication.instance())
    store, registry = open_store()
    win = show_window(qtbot, store, registry, open_sample(store, registry))
    yield win
    win.close()
    store.close()
    # a QMimeData a test handed to the clipboard must go while the application is alive: left
    # to the interpreter's exit, its deletion after QApplication's crashes the process
    QApplication.clipboard().clear()


# --- a real data file with the sample report in it, through the one edit path ---------------
@pytest.fixture
def store(tmp_path):
    from cchc_desktop.storage.store import Store

    s = Store(tmp_path / "cchc.sqlite")
    yield s
    s.close()


@pytest.fixture
def session(store):
    from cchc_desktop.core.catalog import CatalogRegistry
    from cchc_desktop.services.report_io import import_doc
    from cchc_desktop.services.sample import sample_doc
    from cchc_desktop.services.session import ReportSession

    registry = CatalogRegistry()
    return ReportSession(store, import_doc(store, registry, sample_doc(registry)), registry)

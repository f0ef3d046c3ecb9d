"""`python -m tools.screenshots OUTDIR [--size 1366x768]`: renders every tab of the
built-in sample report (plus the welcome and report dialogs) to PNG files, offscreen, in a
throw-away data folder — to look at the window as a clerk on a 1366×768 screen sees it."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path


def render(outdir: Path, size: tuple[int, int] = (1366, 768)) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from cchc_desktop.storage.backups import make_backup
    from cchc_desktop.core.catalog import CatalogRegistry
    from cchc_desktop.gui.recovery import BackupDialog
    from cchc_desktop.system.data_dirs import backup_dir
    from cchc_desktop.gui.app import make_app
    from cchc_desktop.gui.main_window import MainWindow
    from cchc_desktop.gui.profile_dialog import ProfileDialog
    from cchc_desktop.gui.report_picker import ReportPicker, open_sample
    from cchc_desktop.storage.store import Store

    app = make_app()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        store = Store.open(data)
        registry = CatalogRegistry()
        rid = open_sample(store, registry)
        window = MainWindow(store, data, registry)
        window.resize(*size)
        window.open_report(rid)
        window.show()
        app.processEvents()
        tabs = window.view
        for index, tab in enumerate(tabs.session.catalog.tabs):
            tabs.setCurrentIndex(index)
            for _ in range(3):  # layouts settle over a few passes (wrapped labels)
                app.processEvents()
            path = outdir / f"{index + 1:02d}-{tab.id}.png"
            window.grab().save(str(path))
            written.append(path)
        make_backup(store, backup_dir(data), "auto")
        make_backup(store, backup_dir(data), "truoc-khi-xoa")
        for name, dialog in (("hoso-donvi", ProfileDialog(store, first_run=True, parent=window)),
                             ("bao-cao", ReportPicker(store, registry, data, rid, window)),
                             ("sao-luu", BackupDialog(data, store, "Bình Phước", window))):
            dialog.show()
            app.processEvents()
            path = outdir / f"dialog-{name}.png"
            dialog.grab().save(str(path))
            written.append(path)
            dialog.close()
        window.close()
        QApplication.processEvents()
        store.close()
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("outdir")
    ap.add_argument("--size", default="1366x768", help="cỡ cửa sổ, ví dụ 1366x768")
    args = ap.parse_args(argv)
    w, h = (int(x) for x in args.size.lower().split("x"))
    for path in render(Path(args.outdir), (w, h)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Starting the window: the application's looks, the error dialog and the log, the data folder,
the one-copy lock, the store, then the main window on the report that was open last (or the
welcome on first run)."""

from __future__ import annotations

import linecache
import logging
import os
import sys
import time
from pathlib import Path


def _import_core_first() -> None:
    """The core modules the start and the first paint need, imported before PySide6 on purpose:
    once PySide6 is loaded, shiboken reads the source of every module imported after it (to see
    whether it opts into PySide6's __feature__ switches) — about 100 ms and 10 MiB at every start,
    for modules that never touch Qt. numpy, which sqlite-utils merely tries to import (for numpy
    column types we never insert), is kept out of that import as the bundle leaves it out
    (build_installer.spec): 125 ms and 15 MiB more. Afterwards numpy imports as usual."""
    kept_out = [name for name in ("numpy", "pandas") if name not in sys.modules]
    sys.modules.update(dict.fromkeys(kept_out))  # None: "import numpy" raises ImportError
    try:
        for name in ("storage.store", "storage.folder_lock", "storage.housekeeping", "system.logs",
                     "system.data_dirs", "storage.backups", "core.catalog", "services.reports",
                     "services.session", "core.engine", "core.narrative", "core.drafts", "core.numbers",
                     "formats.exchange", "core.header", "core.issue_places"):
            __import__(f"cchc_desktop.{name}")  # (not importlib.import_module: -X importtime sees these)
    finally:
        for name in kept_out:
            del sys.modules[name]


_import_core_first()

from PySide6.QtCore import QSettings, Qt, QTimer, qVersion  # noqa: E402 - after the core, see above
from PySide6.QtGui import QFont, QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox  # noqa: E402

from cchc_desktop.gui import assets, qt_words  # noqa: E402

APP_NAME = "CCHC Desktop"
# Vietnamese needs a font with the full Latin Extended Additional block: Segoe UI and Arial
# have it on every Windows since 7; Liberation/DejaVu cover Linux CI.
FONT_FAMILIES = ["Segoe UI", "Arial", "Liberation Sans", "DejaVu Sans"]
FONT_POINTS = 10
STYLE = "Fusion"  # the same plain look on Windows 7 to 11 and on Linux CI
CACHE_DIRNAME = "cache"  # in the data folder (portable mode leaves nothing on the PC): compiled catalogs
EXIT_UNEXPECTED = 3
SOAK_ENV = "CCHC_SOAK_KEYS"  # here, not in gui/soak.py: reading it must not import the soak at every start
SECOND_WINDOW = ("CCHC Desktop đang mở ở một cửa sổ khác trên máy này, cùng thư mục dữ liệu “{folder}”.\n\n"
                 "Hãy dùng cửa sổ đang mở (xem trên thanh tác vụ). Mở hai cửa sổ cùng lúc có thể làm số liệu gõ ở "
                 "cửa sổ này ghi đè lên cửa sổ kia, nên chương trình không mở thêm. Nếu vừa chạy một lệnh "
                 "cchc-desktop (khôi phục, nhập, xoá…), hãy đợi lệnh đó xong rồi mở lại.")


def make_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        # fractional scaling (125 %, 150 % laptops) drawn crisply instead of rounded to whole steps
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        QApplication.setStyle(STYLE)  # before the application: the platform's own style is never built
        app = QApplication(sys.argv[:1])
    style(app)
    return app


def style(app: QApplication) -> None:
    if app.property("cchc_styled"):
        return  # a new palette or font reaches every widget alive (a re-polish each): do it once
    app.setProperty("cchc_styled", True)
    app.setApplicationName(APP_NAME)
    qt_words.install(app)  # Qt's own buttons and menus ("OK", "Select All") in Vietnamese
    if app.style().name().lower() != STYLE.lower():
        app.setStyle(STYLE)
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(FONT_POINTS)
    app.setFont(font)
    # no application-wide stylesheet: the palette colours the chrome, and each section of
    # style.qss is set only on the widgets it is for (gui/assets.styled)
    app.setPalette(assets.palette(app.style().standardPalette()))
    app.setWindowIcon(assets.icon("app"))


def run(data_dir: str | None = None) -> int:
    from cchc_desktop.system import logs
    from cchc_desktop.gui import crash_handler

    logs.setup_for_option(data_dir, level=logging.INFO)  # nothing is written until something is logged
    app = make_app()
    crash = crash_handler.install()  # from here on, an unexpected error is a Vietnamese dialog + the log
    smoke = SmokeQuit.arm(app)
    try:
        return _run(app, data_dir, smoke)
    except Exception:  # noqa: BLE001 - failed while starting or stopping: logged, explained, exit 3
        crash(*sys.exc_info())
        return EXIT_UNEXPECTED
    finally:
        logs.log.info("CCHC Desktop stopped")


def _run(app: QApplication, data_dir: str | None, smoke: "SmokeQuit | None") -> int:
    from cchc_desktop import __version__
    from cchc_desktop.core import catalog
    from cchc_desktop.storage import folder_lock, housekeeping
    from cchc_desktop.system import logs
    from cchc_desktop.gui.main_window import SETTINGS_FILE, MainWindow
    from cchc_desktop.system.data_dirs import DataDirError, locate_data_dir, written_folders
    from cchc_desktop.storage.store import StoreError

    while True:
        try:
            location = locate_data_dir(data_dir)
            break
        except DataDirError as exc:
            logs.log.warning("data folder unusable: %s (%s)", exc, exc.detail)
            data_dir = _other_data_dir(str(exc))
            if data_dir is None:
                return 2
    folder = location.folder
    logs.setup(folder, level=logging.INFO)
    catalog.use_compiled_cache(Path(folder) / CACHE_DIRNAME)  # the catalogs parsed once, not at every start
    logs.enable_fatal_log(folder)
    logs.log.info("CCHC Desktop %s started: data folder %s (%s), Python %s, Qt %s, %s",
                  __version__, folder, location.source, sys.version.split()[0], qVersion(),
                  "frozen" if getattr(sys, "frozen", False) else "from source")
    if location.notice:
        logs.log.warning("shown to the clerk: %s", location.notice)
        QMessageBox.warning(None, APP_NAME, location.notice)
    try:
        lock = folder_lock.acquire(folder)
    except StoreError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 2
    if lock is None:
        QMessageBox.warning(None, APP_NAME, SECOND_WINDOW.format(folder=folder))
        return 1
    try:
        settings = QSettings(str(Path(folder) / SETTINGS_FILE), QSettings.IniFormat)
        removed = housekeeping.remove_stale_temps([*written_folders(folder), settings.value("export_dir", "")])
        if removed:
            logs.log.info("removed temp files left by an interrupted backup or export: %s", removed)
        store = _open_store(folder)
        if store is None:
            return 2
        # PySide6's __feature__ check read the source of every module imported after it through
        # linecache (from source, not in the bundle), and the cache keeps it: ~3 MiB nothing needs
        linecache.clearcache()
        window = MainWindow(store, Path(folder))
        window.resize(1366, 768)
        window.showMaximized()
        window.start()
        soak = SoakRun.arm(window)
        rc = 0 if smoke is not None and smoke.done else app.exec()
        if soak is not None and rc == 0:
            rc = soak.rc
        window.store.close()  # the window may have reopened it after a restore
        return rc
    finally:
        lock.release()


def _open_store(folder: Path):
    """The data file, opened and backed up for the day; a damaged, empty or unreadable one is
    never used or rewritten: the clerk is offered the newest verified backup instead."""
    from cchc_desktop.system import logs
    from cchc_desktop.storage.backups import auto_backup
    from cchc_desktop.system.data_dirs import backup_dir
    from cchc_desktop.storage.store import DataFileDamaged, Store, StoreError

    while True:
        store = None
        try:
            store = Store.open(folder)
            if store.list_reports():
                auto_backup(store, backup_dir(folder))
            return store
        except DataFileDamaged as exc:
            logs.log.error("data file unusable: %s (%s)", exc, exc.detail)
            if store is not None:
                store.close()
            from cchc_desktop.gui.recovery import offer_recovery  # only for a damaged file

            if not offer_recovery(folder, exc):
                return None
        except StoreError as exc:
            if store is None:
                QMessageBox.critical(None, APP_NAME, str(exc))
                return None
            # a missing daily backup must not stop the day's work
            QMessageBox.warning(None, APP_NAME, f"Chưa tạo được bản sao lưu tự động hôm nay.\n{exc}")
            return store


def _other_data_dir(message: str) -> str | None:
    """The data folder cannot be used: say why, and let the clerk pick another for this session."""
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, message)
    choose = box.addButton("Chọn thư mục khác…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Thoát", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not choose:
        return None
    chosen = QFileDialog.getExistingDirectory(None, "Chọn thư mục để lưu dữ liệu CCHC Desktop", str(Path.home()))
    return chosen or None


class SoakRun:
    """``CCHC_SOAK_KEYS=10000 [CCHC_SOAK_SEED=1]``: a long session typed into the window that
    opened (gui/soak.py), one ``CCHC_SOAK keys=… ok`` line on stdout, then the normal close.
    Exit code 0, or 6 when the window and the data file disagree or an error was logged."""

    def __init__(self, window, keys: int, seed: int):
        self.window, self.keys, self.seed, self.rc = window, keys, seed, 6
        QTimer.singleShot(200, self.go)

    @classmethod
    def arm(cls, window) -> "SoakRun | None":
        try:
            keys = int(os.environ.get(SOAK_ENV, ""))
        except ValueError:
            return None
        return cls(window, keys, int(os.environ.get("CCHC_SOAK_SEED", "1") or 1))

    def go(self) -> None:
        from cchc_desktop.gui.crash_handler import HANDLER
        from cchc_desktop.gui.soak import Soak

        if self.window.session is None:
            SmokeQuit.say("soak: no report open")
        else:
            self.window.activateWindow()
            result = Soak(self.window, self.seed).run(self.keys)
            errors = HANDLER.count
            print(f"CCHC_SOAK {result.line()} unexpected errors: {errors}", flush=True)
            self.rc = 0 if not result.mismatches and not errors else 6
        self.window.close()
        QApplication.instance().exit(0)


class SmokeQuit:
    """``CCHC_SMOKE_QUIT_MS=1500``: a check that the program starts, for CI and a packaged build.

    After that many milliseconds it dismisses whatever dialog is up (the first-run welcome, the
    report picker), waits for the main window to be on screen, prints one line about it on
    stdout, closes it (the normal close: pending edits are saved) and quits: exit code 0, or
    4 when no main window appeared, 5 when an unexpected error was logged meanwhile.
    """

    ENV = "CCHC_SMOKE_QUIT_MS"

    def __init__(self, app: QApplication, ms: int):
        self.app, self.done, self.tries = app, False, 0
        QTimer.singleShot(ms, self.tick)

    @classmethod
    def arm(cls, app: QApplication) -> "SmokeQuit | None":
        try:
            ms = int(os.environ.get(cls.ENV, ""))
        except ValueError:
            return None
        return cls(app, max(ms, 0))

    def tick(self) -> None:
        from cchc_desktop.system import logs
        from cchc_desktop.gui.crash_handler import HANDLER

        self.tries += 1
        modal = QApplication.activeModalWidget()
        if modal is not None:
            self.say(f"dismissed {type(modal).__name__}: {modal.windowTitle()}")
            modal.reject() if hasattr(modal, "reject") else modal.close()
            QTimer.singleShot(100, self.tick)
            return
        shown = [w for w in self.app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
        if not shown and self.tries < 300:
            QTimer.singleShot(100, self.tick)
            return
        icon = "ok" if not self.app.windowIcon().pixmap(32, 32).isNull() else "missing"
        if shown:
            shown[0].repaint()  # painted, not only shown: the start benchmark times up to this line
        self.say(f"window: {shown[0].windowTitle() if shown else 'NONE'} | icon: {icon} | "
                 f"platform: {QGuiApplication.platformName()} | unexpected errors: {HANDLER.count} | "
                 f"cpu: {time.process_time() * 1000:.0f} ms | peak: {_peak_memory()}")
        logs.log.info("smoke quit")
        self.done = True
        self.app.closeAllWindows()
        self.app.exit(4 if not shown else 5 if HANDLER.count else 0)

    @staticmethod
    def say(text: str) -> None:
        print(f"CCHC_SMOKE {text}", flush=True)  # a windowed Windows build has no stdout: print does nothing


def _peak_memory() -> str:
    """The process's peak resident memory, as the bare window of tools/size_budget.py prints it."""
    try:
        import resource
    except ImportError:  # Windows
        return "?"
    return f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} KiB"

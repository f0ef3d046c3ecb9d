"""The program's log: ``<data folder>/logs/cchc-desktop.log``, rotated at 512 KB with three
older files kept, so it never takes more than 2 MB of a USB stick.

What goes in: the window logs its start, its data folder and every unexpected error with the
traceback; the command line logs warnings and errors only. The clerk never reads tracebacks:
the window shows a Vietnamese dialog naming this file, the command line one Vietnamese sentence.

The log is opened lazily (nothing is created until something is logged), in the first of its
folders that can be written — the data folder's ``logs``, else a folder in the temp directory —
and a log that cannot be written is dropped silently: the log must never be what stops the clerk.

Core module: no Qt here (the window's error hook and dialog are cchc_desktop.gui.crash_handler and crash_dialog).
"""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
import tempfile
from pathlib import Path

LOG_DIRNAME = "logs"
LOG_FILENAME = "cchc-desktop.log"
FATAL_FILENAME = "cchc-desktop-fatal.log"  # Python's faulthandler: a crash inside Qt's C++ code
MAX_BYTES = 512 * 1024
BACKUP_COUNT = 3
FALLBACK_DIRNAME = "cchc-desktop-logs"
FORMAT = "%(asctime)s %(levelname)-8s %(name)s [pid %(process)d] %(message)s"
HANDLER_NAME = "cchc-desktop-log"
CLERK_HANDLER_NAME = "cchc-desktop-clerk"

log = logging.getLogger("cchc_desktop")


class SafeRotatingFileHandler(logging.FileHandler):
    """A log file rotated at ``max_bytes`` with ``backup_count`` older files (.1 newest), as
    logging.handlers.RotatingFileHandler does — written out here because importing that module
    (with socket, pickle and queue) cost ~6 ms of every start for the twenty lines used. Opens
    in the first writable of several folders, creates the folder on first use, keeps writing
    when Windows refuses a rotation (another copy of the program holds the file), and never
    lets a logging failure reach the clerk."""

    def __init__(self, folders: list[Path], max_bytes: int = MAX_BYTES, backup_count: int = BACKUP_COUNT):
        self.folders = [Path(f) for f in folders]
        self.maxBytes, self.backupCount = max_bytes, backup_count
        super().__init__(self.folders[0] / LOG_FILENAME, encoding="utf-8", delay=True)

    def _open(self):
        error: OSError | None = None
        for folder in self.folders:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                self.baseFilename = os.path.abspath(folder / LOG_FILENAME)
                return super()._open()
            except OSError as exc:
                error = exc
        raise error or OSError("no log folder")

    def emit(self, record):
        try:
            if self._full(record):
                self.doRollover()
            super().emit(record)
        except Exception:  # noqa: BLE001 - see handleError
            self.handleError(record)

    def _full(self, record) -> bool:
        if self.maxBytes <= 0:
            return False
        if self.stream is None:
            self.stream = self._open()
        self.stream.seek(0, 2)  # another copy of the program may have appended meanwhile
        size = self.stream.tell()
        return size > 0 and size + len(self.format(record).encode("utf-8")) + 1 >= self.maxBytes

    def rotate(self, source: str, dest: str) -> None:
        if os.path.exists(source):
            os.replace(source, dest)

    def doRollover(self):
        if self.stream:
            self.stream.close()
            self.stream = None
        try:
            for n in range(self.backupCount - 1, 0, -1):
                self.rotate(f"{self.baseFilename}.{n}", f"{self.baseFilename}.{n + 1}")
            if self.backupCount > 0:
                self.rotate(self.baseFilename, f"{self.baseFilename}.1")
        except OSError:
            pass  # Windows will not rename a file another process has open: keep appending, rotate later
        self.stream = self._open()

    def handleError(self, record):  # noqa: ARG002 - a lost log line is not worth a traceback
        pass

    @property
    def path(self) -> Path:
        return Path(self.baseFilename)


def log_folders(*data_dirs: str | Path | None) -> list[Path]:
    """``<data>/logs`` for each data folder given, then the temp-folder fallback."""
    return [Path(d) / LOG_DIRNAME for d in data_dirs if d] + [Path(tempfile.gettempdir()) / FALLBACK_DIRNAME]


def setup(data_dir: str | Path | None, *, level: int = logging.INFO, clerk_stream=None,
          fallback_data_dir: str | Path | None = None) -> SafeRotatingFileHandler:
    """Send the program's log records (``level`` and up) to the rotating file of ``data_dir``.

    Called again (the window learns its data folder after starting), it replaces the file it
    set up before. ``clerk_stream`` (the command line's stderr) also gets the warnings that are
    written for the clerk (``extra={"for_clerk": True}``), as plain sentences. When the data
    folder's ``logs`` cannot be written, the log goes to ``fallback_data_dir``'s, else to the
    temp folder.
    """
    shutdown()
    root = logging.getLogger()
    handler = SafeRotatingFileHandler(log_folders(data_dir, fallback_data_dir))
    handler.set_name(HANDLER_NAME)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    if clerk_stream is not None:
        clerk = logging.StreamHandler(clerk_stream)
        clerk.set_name(CLERK_HANDLER_NAME)
        clerk.setLevel(logging.WARNING)
        clerk.addFilter(lambda record: getattr(record, "for_clerk", False))
        clerk.setFormatter(logging.Formatter("%(message)s"))
        root.addHandler(clerk)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    logging.captureWarnings(True)
    return handler


def shutdown() -> None:
    """Close and remove the handlers :func:`setup` added (tests; the end of the program)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() in (HANDLER_NAME, CLERK_HANDLER_NAME)]:
        root.removeHandler(old)
        old.close()
    logging.captureWarnings(False)


def current_handler() -> SafeRotatingFileHandler | None:
    for handler in logging.getLogger().handlers:
        if handler.get_name() == HANDLER_NAME:
            return handler
    return None


def log_file() -> Path:
    """The file the log is (or will be) written to; sets up the temp-folder log if none is."""
    handler = current_handler() or setup(None, level=logging.WARNING)
    if handler.stream is None:
        try:
            handler.stream = handler._open()
        except OSError:
            pass
    return handler.path


def log_unexpected(exc_type, exc, tb, where: str = "") -> Path:
    """Log an unexpected exception with its traceback; returns the log file holding it."""
    log.critical("unexpected error%s", f" ({where})" if where else "", exc_info=(exc_type, exc, tb))
    handler = current_handler()
    if handler is not None:
        handler.flush()
    return log_file()


def enable_fatal_log(data_dir: str | Path | None) -> Path | None:
    """Python's faulthandler writes a native crash (inside Qt's C++ code) beside the log —
    the one kind of crash no excepthook sees. The file is emptied when it has grown too big."""
    for folder in log_folders(data_dir):
        path = folder / FATAL_FILENAME
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if path.is_file() and path.stat().st_size > MAX_BYTES:
                path.unlink()
            stream = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the process's life
        except OSError:
            continue
        global _fatal_stream
        if _fatal_stream is not None:
            faulthandler.disable()
            _fatal_stream.close()
        _fatal_stream = stream
        faulthandler.enable(file=stream, all_threads=True)
        return path
    return None


_fatal_stream = None


def setup_for_option(data_dir_option: str | None, *, level: int = logging.WARNING,
                     clerk_stream=None) -> SafeRotatingFileHandler:
    """The log in the data folder the precedence picks for ``--data-dir`` (see
    cchc_desktop.system.data_dirs), before that folder is checked: nothing is created until there is
    something to log."""
    from cchc_desktop.system.data_dirs import choose_data_dir, user_data_dir

    folder, source = choose_data_dir(data_dir_option)
    # a write-protected stick: the data falls back to the user folder, and so does the log
    fallback = user_data_dir() if source == "portable" else None
    return setup(folder, level=level, clerk_stream=clerk_stream, fallback_data_dir=fallback)


def cli_setup(data_dir_option: str | None) -> SafeRotatingFileHandler:
    """The command line's log: warnings and up; notices meant for the clerk also on stderr."""
    stderr = sys.stderr if sys.stderr is not None else None  # a windowed build may have none
    return setup_for_option(data_dir_option, level=logging.WARNING, clerk_stream=stderr)

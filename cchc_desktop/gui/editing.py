"""Every change the window makes goes through here: the session saves and re-validates it,
the undo stack records it, and a failed save is kept on screen and retried.

Undo and redo call the same session methods as typing does, so an undone figure is saved
and re-validated exactly like a typed one. Keystrokes in one cell merge into one undo step
until the clerk leaves the cell.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from cchc_desktop.core import limits
from cchc_desktop.services.session import EditError, ReportSession
from cchc_desktop.storage.store import StoreError

RETRY_MS = 3000
# Editors that save after a pause (prose, header) save at the latest this long after the first
# unsaved keystroke, however steadily the clerk types: a power cut loses at most this much.
SAVE_PAUSE_MS = 300
SAVE_MAX_WAIT_MS = 700
# The data file alone must hold the day's work (clerks back up by copying cchc.sqlite), so the
# WAL is folded back into it this long after an edit, during steady typing too.
CHECKPOINT_MS = 1500
WHAT = {"value": "số liệu", "note": "ghi chú", "narrative": "nội dung"}


def leave_out_controls(text: str) -> tuple[str, int]:
    """Control characters and broken surrogates pasted from other programs are invisible and
    cannot be written to .docx/.xlsx: they are left out (Word's line breaks become line breaks)
    and the clerk is told how many, rather than the whole paste being refused."""
    dropped = len(limits.REFUSED_CHAR.findall(text))
    return (limits.printable(text), dropped) if dropped else (text, 0)


class EditCommand(QUndoCommand):
    """One cell visit or one narrative save: old text → new text."""

    def __init__(self, controller: "EditController", kind: str, key: str, old: str, new: str):
        super().__init__(f"Sửa {WHAT[kind]} {key}")
        self.controller, self.kind, self.key, self.old, self.new = controller, kind, key, old, new
        self.growing = True  # still the cell being typed in: later keystrokes merge into it
        self._skip_first_redo = True  # push() calls redo(); the edit is already applied

    def id(self) -> int:
        return 1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (self.growing and isinstance(other, EditCommand) and (other.kind, other.key) == (self.kind, self.key)):
            return False
        self.new = other.new
        self.setObsolete(self.new == self.old)  # typed and erased again: nothing to undo
        return True

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self.controller.apply(self.kind, self.key, self.new, reveal=True)

    def undo(self) -> None:
        self.growing = False
        self.controller.apply(self.kind, self.key, self.old, reveal=True)


class ReportCommand(QUndoCommand):
    """One header or data-window change: the fields before → after (the whole header dict, so
    undo puts back exactly what was there). Saves of the same header fields while the clerk
    is still in the box merge into one step, as keystrokes in a cell do."""

    def __init__(self, controller: "EditController", old: dict, new: dict):
        super().__init__("Sửa phần đầu báo cáo")
        self.controller, self.old, self.new = controller, old, new
        self.growing = True
        self._skip_first_redo = True

    def changed(self) -> set[str]:
        header_old, header_new = self.old.get("header") or {}, self.new.get("header") or {}
        keys = {k for k in self.old if k != "header" and self.old[k] != self.new.get(k)}
        return keys | {f"header.{k}" for k in {*header_old, *header_new} if header_old.get(k) != header_new.get(k)}

    def id(self) -> int:
        return 2

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (self.growing and isinstance(other, ReportCommand) and other.changed() <= self.changed()
                and set(other.new) == set(self.new)):
            return False
        self.new = other.new
        self.setObsolete(self.new == self.old)
        return True

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self.controller.apply_report(self.new)

    def undo(self) -> None:
        self.growing = False
        self.controller.apply_report(self.old)


class PausedSaver(QObject):
    """Saves an editor's text after a pause in typing, or SAVE_MAX_WAIT_MS after the first
    unsaved keystroke, whichever comes first; the controller knows it is pending meanwhile, so
    the window says "Đang lưu…" and never "Đã lưu" over text that is not on disk yet."""

    def __init__(self, controller: "EditController", save: Callable[[], None]):
        super().__init__(controller)
        self.controller, self._save = controller, save
        self._pause = QTimer(self, singleShot=True, interval=SAVE_PAUSE_MS)
        self._deadline = QTimer(self, singleShot=True, interval=SAVE_MAX_WAIT_MS)
        for timer in (self._pause, self._deadline):
            timer.timeout.connect(self.save_now)
        controller.add_flusher(self.flush)

    def typed(self) -> None:
        self._pause.start()
        if not self._deadline.isActive():
            self._deadline.start()
            self.controller.set_pending(self, True)

    @property
    def pending(self) -> bool:
        return self._deadline.isActive()

    def save_now(self) -> None:
        self._pause.stop()
        self._deadline.stop()
        # no longer pending before the save reports back: a failed save is in `unsaved`
        self.controller.set_pending(self, False)
        self._save()

    def flush(self) -> None:
        if self.pending:
            self.save_now()


class EditController(QObject):
    saved = Signal(object)  # datetime of the save that left nothing unsaved
    pending = Signal()  # typed text is on screen, its save is due within SAVE_MAX_WAIT_MS
    save_failed = Signal(str)  # the store's Vietnamese message
    refused = Signal(str, str, str)  # kind, key, why: over a limit; the screen goes back to what is saved
    cleaned = Signal(int)  # this many invisible characters (pasted controls) were left out
    revealed = Signal(str, str)  # kind, key: an undo or redo changed this; show it to the clerk

    def __init__(self, session: ReportSession, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.stack = QUndoStack(self)
        self.unsaved: dict[tuple[str, str], object] = {}  # what is on screen but not on disk
        self.last_saved: dt.datetime | None = None
        self._flushers: list[Callable[[], None]] = []
        self._pending: set[PausedSaver] = set()
        self._retry = QTimer(self, singleShot=True, interval=RETRY_MS)
        self._retry.timeout.connect(self.retry_unsaved)
        # not restarted by later saves: steady typing is checkpointed too, not only a pause
        self._checkpoint = QTimer(self, singleShot=True, interval=CHECKPOINT_MS)
        self._checkpoint.timeout.connect(self.checkpoint)

    # -- typing ------------------------------------------------------------------------
    def edit(self, kind: str, key: str, text: str) -> bool:
        """A change typed by the clerk. Returns whether it is on disk."""
        if self.unsaved and self._retry.isActive():
            # the file is failing: do not make every keystroke wait on it; the timer retries
            self.unsaved[(kind, key)] = text
            return False
        old = self.current(kind, key)
        if not self.apply(kind, key, text):
            return False
        new = self.current(kind, key)
        if new != old:
            self.stack.push(EditCommand(self, kind, key, old, new))
        return True

    def edit_many(self, edits: list[tuple[str, str, str]], label: str) -> int:
        """A block of edits (a paste) as ONE undo step: each cell saved, validated and shown as
        if typed; returns how many are on disk."""
        self.flush()
        self.end_cell()
        done = 0
        self.stack.beginMacro(label)
        try:
            for kind, key, text in edits:
                done += self.edit(kind, key, text)
                self.end_cell()
        finally:
            self.stack.endMacro()
        return done

    def end_cell(self) -> None:
        """The clerk left a cell: the next keystroke there starts a new undo step."""
        n = self.stack.index()
        top = self.stack.command(n - 1) if n > 0 else None
        if isinstance(top, (EditCommand, ReportCommand)):
            top.growing = False

    def update_report(self, **fields) -> bool:
        """Header fields and the data window, through the session and onto the undo stack like
        every other edit; returns whether it is on disk."""
        before = self._report_fields(fields)
        if not self.apply_report(fields, reveal=False):
            return False
        after = self._report_fields(fields)
        if after != before:
            self.stack.push(ReportCommand(self, before, after))
        return True

    def _report_fields(self, fields: dict) -> dict:
        report = self.session.report
        return {k: dict(report.get("header") or {}) if k == "header" else report.get(k) for k in fields}

    def apply_report(self, fields: dict, reveal: bool = True) -> bool:
        fields = dict(fields)
        try:
            self.session.update_report(**fields)
        except EditError as exc:
            self.refused.emit("report", "", str(exc))
            return False
        except StoreError as exc:
            pending = self.unsaved.get(("report", ""), {})
            if "header" in fields and "header" in pending:
                fields["header"] = {**pending["header"], **fields["header"]}
            self.unsaved[("report", "")] = {**pending, **fields}
            self._failed(exc)
            return False
        self.unsaved.pop(("report", ""), None)
        if reveal:
            self.revealed.emit("report", "")
        self._saved()
        return True

    # -- undo, redo, flushing ----------------------------------------------------------
    def add_flusher(self, flush: Callable[[], None]) -> None:
        """Editors that save after a pause register here, so nothing waits at undo or close."""
        self._flushers.append(flush)

    def flush(self) -> None:
        for flush in list(self._flushers):
            flush()

    def paused_saver(self, save: Callable[[], None]) -> PausedSaver:
        return PausedSaver(self, save)

    def set_pending(self, saver: PausedSaver, pending: bool) -> None:
        if pending:
            self._pending.add(saver)
            self.pending.emit()
        else:
            self._pending.discard(saver)

    @property
    def all_saved(self) -> bool:
        """Everything on screen is on disk: nothing waiting for a pause, nothing failed."""
        return not self._pending and not self.unsaved

    def checkpoint(self) -> None:
        self._checkpoint.stop()
        self.session.store.checkpoint()

    def close(self) -> None:
        """The window closes the report: every pending save, then the WAL into the data file."""
        self.flush()
        if self.unsaved:
            self.retry_unsaved()
        self.checkpoint()

    def undo(self) -> None:
        self.flush()
        self.end_cell()
        self.stack.undo()

    def redo(self) -> None:
        self.flush()
        self.stack.redo()

    # -- the session path --------------------------------------------------------------
    def current(self, kind: str, key: str) -> str:
        if kind == "value":
            return self.session.state.raw(key)
        if kind == "note":
            return self.session.state.notes.get(key, "")
        return self.session.narratives.get(key, "")

    def apply(self, kind: str, key: str, text: str, reveal: bool = False) -> bool:
        setter = {"value": self.session.set_value, "note": self.session.set_note,
                  "narrative": self.session.set_narrative}[kind]
        text, dropped = leave_out_controls(text)
        try:
            setter(key, text)
        except StoreError as exc:
            self.unsaved[(kind, key)] = text
            self._failed(exc)
            return False
        except EditError as exc:  # over a limit (or a row that takes no input): nothing saved
            self.unsaved.pop((kind, key), None)
            self.refused.emit(kind, key, str(exc))
            return False
        self.unsaved.pop((kind, key), None)
        if reveal:
            self.revealed.emit(kind, key)
        self._saved()
        if dropped:  # after the edit's own status line, which would hide it
            self.cleaned.emit(dropped)
        return True

    def retry_unsaved(self) -> None:
        for (kind, key), pending in list(self.unsaved.items()):
            if kind == "report":
                self.unsaved.pop((kind, key))
                if not self.update_report(**pending):
                    return
            else:
                self.unsaved.pop((kind, key))
                if not self.edit(kind, key, pending):
                    return

    def _saved(self) -> None:
        if not self._checkpoint.isActive():
            self._checkpoint.start()
        if not self.unsaved:
            self._retry.stop()
            self.last_saved = dt.datetime.now()
            self.saved.emit(self.last_saved)

    def _failed(self, exc: StoreError) -> None:
        self._retry.start()
        self.save_failed.emit(str(exc))

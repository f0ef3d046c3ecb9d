"""A long session in the real window: thousands of keystrokes into form cells, notes and
narratives, as key events delivered to the focused widget the way a keyboard delivers them;
then every cell and section is compared with what a separate connection reads from the data
file.

The same driver runs in the test suite (a child process started from source) and in the frozen
bundle (``CCHC_SOAK_KEYS=10000``, see gui/app.py), because the failure it guards against — a Qt
binding that leaks a reference per call and aborts the process after a few thousand keystrokes
— lives in the binary that ships, not in our code.
"""

from __future__ import annotations

import random
import sqlite3
import time
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

WORDS = ("cải cách", "hành chính", "thủ tục", "một cửa", "trực tuyến", "hồ sơ", "đúng hạn", "xã", "đã",
         "tiếp nhận", "giải quyết", "người dân", "hài lòng", "năm", "kế hoạch", "kiểm tra", "Ủy ban")
FIGURES = ("0", "1", "12", "105", "1.097", "24.694", "7", "3a", "1,5", "")


@dataclass
class SoakResult:
    keys: int = 0
    visits: int = 0
    seconds: float = 0.0
    mismatches: list[str] = field(default_factory=list)

    def line(self) -> str:
        state = "ok" if not self.mismatches else f"{len(self.mismatches)} mismatches: {self.mismatches[:5]}"
        return f"keys={self.keys} visits={self.visits} seconds={self.seconds:.1f} {state}"


def _key(widget, key: int, text: str = "", modifiers=Qt.NoModifier) -> None:
    for kind in (QEvent.KeyPress, QEvent.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers, text))


def _type(widget, text: str) -> int:
    for ch in text:
        if ch == "\n":
            _key(widget, Qt.Key_Return, "\r")
        elif ch.isascii() and ch.isalnum():
            _key(widget, ord(ch.upper()), ch)
        else:  # a composed Vietnamese letter, as Unikey delivers it
            _key(widget, Qt.Key_unknown, ch)
    return len(text)


class Soak:
    """Drives one MainWindow with an open report; `run(keys)` returns what it found."""

    def __init__(self, window, seed: int = 1):
        self.window, self.rng = window, random.Random(seed)
        view = window.view
        self.view, self.session = view, window.session
        catalog = self.session.catalog
        self.values = [i.id for i in catalog.indicators.values() if i.kind in ("count", "money")]
        self.notes = [i.id for i in catalog.indicators.values() if i.is_input]
        self.sections = [sid for tab in catalog.tabs for sid in tab.sections]

    def run(self, keys: int) -> SoakResult:
        result = SoakResult()
        start = time.perf_counter()
        while result.keys < keys:
            result.keys += self._visit()
            result.visits += 1
            if result.visits % 5 == 0:
                QApplication.processEvents()  # the pause and checkpoint timers fire as in real use
        self.window.controller.flush()
        QApplication.processEvents()
        result.seconds = time.perf_counter() - start
        result.mismatches = self.compare_with_disk()
        return result

    # -- one visit to a cell or a section --------------------------------------------------
    def _visit(self) -> int:
        roll = self.rng.random()
        if roll < 0.45:
            return self._value(self.rng.choice(self.values))
        if roll < 0.7:
            return self._note(self.rng.choice(self.notes))
        return self._prose(self.rng.choice(self.sections))

    def _value(self, ident: str) -> int:
        self.view.reveal(ident)
        editor = QApplication.focusWidget()
        if not isinstance(editor, QLineEdit) or editor.objectName() != ident:
            return 0
        editor.selectAll()  # as after Tab: typing replaces the cell
        n = _type(editor, self.rng.choice(FIGURES) or "0")
        if self.rng.random() < 0.2:
            _key(editor, Qt.Key_Backspace)
            n += 1
        return n

    def _note(self, ident: str) -> int:
        self.view.reveal(ident, "note")
        editor = QApplication.focusWidget()
        if not isinstance(editor, QLineEdit):
            return 0
        editor.end(False)
        text = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(1, 4)))
        if len(editor.text()) > 200:  # keep notes note-sized: select all, so the words replace it
            editor.selectAll()
        return _type(editor, text + " ")

    def _prose(self, sid: str) -> int:
        self.view.reveal_section(sid)
        editor = QApplication.focusWidget()
        if not isinstance(editor, QPlainTextEdit):
            return 0
        editor.moveCursor(editor.textCursor().MoveOperation.End)
        text = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(3, 12)))
        text += "." + ("\n- " if self.rng.random() < 0.3 else " ")
        return _type(editor, text)

    # -- what the window shows against what the file holds ---------------------------------
    def compare_with_disk(self) -> list[str]:
        path, rid = self.session.store.path, self.session.report_id
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            values = {k: (raw, note) for k, raw, note in con.execute(
                "SELECT indicator_id, raw, note FROM report_values WHERE report_id = ?", (rid,))}
            texts = dict(con.execute("SELECT section_id, text FROM narratives WHERE report_id = ?", (rid,)))
        finally:
            con.close()
        wrong = []
        for number in list(self.view.tables):
            table = self.view.tables[number]
            for ident, note in table.notes.items():
                if note.text() != values.get(ident, ("", ""))[1]:
                    wrong.append(f"note {ident}: {note.text()!r} on screen, {values.get(ident, ('', ''))[1]!r} on disk")
            for ident in table.cells:
                if ident in self.values and self.session.state.raw(ident) != values.get(ident, ("", ""))[0]:
                    wrong.append(f"value {ident}: {self.session.state.raw(ident)!r} in the window, "
                                 f"{values.get(ident, ('', ''))[0]!r} on disk")
        for pane in set(self.view.panes.values()):
            for sid, editor in pane.editors.items():
                if editor.toPlainText() != texts.get(sid, ""):
                    wrong.append(f"narrative {sid}: {len(editor.toPlainText())} characters on screen, "
                                 f"{len(texts.get(sid, ''))} on disk")
        return wrong

"""A monkey in the real window: seeded random sequences of what a clerk's hands can do — typing
valid, invalid, NFD-decomposed Vietnamese and control-character text into form cells, notes,
prose and header fields, pasting, undo and redo, switching tabs, Ctrl+F to rows of every kind,
F6, F8, clicks in the issues list, a draft export, the profile dialog opened and cancelled.

No action may raise (every exception that reaches ``sys.excepthook`` fails the run at once), and
at the end, after flushing, a fresh connection to the data file must hold exactly what every
widget shows. A failure prints the seed and the last actions: ``MONKEY_SEED=<seed>
MONKEY_ACTIONS=<n> pytest tests/test_gui_monkey.py`` replays it.
"""

from __future__ import annotations

import os
import random
import sys
import time
import traceback
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QDialogButtonBox, QLineEdit, QMessageBox,
                               QPlainTextEdit)

from cchc_desktop.gui import crash_handler
from cchc_desktop.gui.app import style
from cchc_desktop.gui.cells import CodeCombo, DerivedValue, NoteEdit, ValueEdit
from cchc_desktop.gui.profile_dialog import ProfileDialog
from cchc_desktop.gui.report_picker import open_sample
from cchc_desktop.gui.row_search import fold
from cchc_desktop.core.header import lines
from cchc_desktop.core.letters import nfc
from cchc_desktop.core.numbers import format_date_short
from cchc_desktop.services.session import ReportSession
from cchc_desktop.storage.store import Store
from tests.test_gui_helpers import data_dir, open_store, show_window

pytestmark = pytest.mark.qt_no_exception_capture  # our own hook records them, with the action that raised

SEEDS = [int(os.environ["MONKEY_SEED"])] if "MONKEY_SEED" in os.environ else [101, 202, 303, 404]
ACTIONS = int(os.environ.get("MONKEY_ACTIONS", "750"))  # × 4 seeds: 3.000 actions, about 3 minutes
TAIL = 40  # actions printed on failure

VIETNAMESE = ("hồ sơ trực tuyến", "Ủy ban nhân dân xã", "đúng hạn", "người dân hài lòng", "Đã giải quyết")
TEXTS = {
    "valid": ("0", "7", "12", "105", "1.097", "24.694", "1097", "1.005,8", "99,05", " 15 ", ""),
    "invalid": ("3a", "abc", "1,2,3", "-5", "12%", "1.0.0", "１２", "٣", "1e3", "∞", "0x10", "9" * 30),
    "vietnamese": VIETNAMESE,
    "nfd": tuple(unicodedata.normalize("NFD", t) for t in VIETNAMESE),
    "control": ("\x01", "a\x0bb", "\x00", "x\x7fy", "\u200b", "\ufeff", "\u202e12", "\r", "\x1b", "1\x0c2",
                "\ud800"),  # PySide drops a lone surrogate on the way into Qt: it must not matter
    "lines": ("dòng 1\ndòng 2", "- ý một\n+ ý hai\n"),
}
TEXT_KINDS = tuple(TEXTS)
HEADER_FIELDS = ("header:number", "header:date", "header:authority_line", "header:signer_title", "header:signer_name",
                 "header:recipients", "header:cc", "report:window_start", "report:window_end")


class MonkeyFailure(AssertionError):
    pass


def send_text(text: str) -> None:
    """Keystrokes to whatever has the focus, as a keyboard (or Unikey) delivers them."""
    for ch in text:
        target = QApplication.focusWidget()
        if target is None:
            return
        if ch == "\n":
            QTest.keyClick(target, Qt.Key_Return)
        elif ch.isascii() and ch.isalnum():
            for kind in (QEvent.KeyPress, QEvent.KeyRelease):
                QApplication.sendEvent(target, QKeyEvent(kind, ord(ch.upper()), Qt.NoModifier, ch))
        else:
            for kind in (QEvent.KeyPress, QEvent.KeyRelease):
                QApplication.sendEvent(target, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))


def key(k, mods=Qt.NoModifier, widget=None) -> None:
    target = widget or QApplication.focusWidget() or QApplication.activeWindow()
    if target is not None:
        QTest.keyClick(target, k, mods)


class Monkey:
    def __init__(self, win, seed: int, out: Path):
        self.win, self.rng, self.out = win, random.Random(seed), out
        self.view = win.view
        self.catalog = win.session.catalog
        self.rows = [i for i in self.catalog.indicators.values()]
        self.log: list[str] = []
        self.errors: list[str] = []
        self.actions = [
            (30, self.type_in_cell), (10, self.type_in_note), (10, self.type_in_prose), (7, self.type_in_header),
            (6, self.paste), (8, self.navigate), (6, self.undo_redo), (5, self.switch_tab), (6, self.find_row),
            (3, self.f6_f8), (3, self.click_issue), (2, self.choose_section), (1, self.draft_text),
            (0.4, self.export_draft), (0.3, self.profile_dialog), (1, self.pause),
        ]
        self.dismisser = QTimer(interval=25)
        self.dismisser.timeout.connect(self.dismiss)
        self.dismisser.start()

    # -- bookkeeping ---------------------------------------------------------------------
    def note(self, text: str) -> None:
        self.log[-1] += " " + text

    def text(self) -> str:
        kind = self.rng.choice(TEXT_KINDS)
        value = self.rng.choice(TEXTS[kind])
        self.note(f"{kind}:{value!r}")
        return value

    def hook(self, exc_type, exc, tb) -> None:
        self.errors.append("".join(traceback.format_exception(exc_type, exc, tb)))

    def failure(self, what: str) -> MonkeyFailure:
        tail = "\n".join(self.log[-TAIL:])
        return MonkeyFailure(f"{what}\n--- seed {self.seed}, action #{self.done}; the last {TAIL} lines:\n{tail}\n"
                             f"replay: MONKEY_SEED={self.seed} MONKEY_ACTIONS={self.done + 1} pytest {__file__}")

    def run(self, seed: int, n: int) -> None:
        self.seed, self.done, self.seconds = seed, 0, {}
        weights, funcs = zip(*self.actions)
        for i in range(n):
            action = self.rng.choices(funcs, weights)[0]
            self.log.append(f"#{i} {action.__name__}")
            self.settle()
            began = time.perf_counter()
            action()
            QApplication.processEvents()
            self.seconds[action.__name__] = self.seconds.get(action.__name__, 0) + time.perf_counter() - began
            if self.errors:
                raise self.failure("an unexpected error reached sys.excepthook:\n" + self.errors[0])
            self.done += 1

    # -- modal things, as the clerk closes them --------------------------------------------
    def settle(self) -> None:
        """A drop-down list left open is closed, and when a dialog or a list went away the window
        gets its focus back, as the desktop gives it (the offscreen platform does not)."""
        while QApplication.activePopupWidget() is not None:
            QApplication.activePopupWidget().close()
        if QApplication.activeWindow() is not self.win and QApplication.activeModalWidget() is None:
            self.win.activateWindow()
            QApplication.processEvents()

    def dismiss(self) -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, ProfileDialog):
            name = modal.w["name"]
            name.setFocus()
            send_text(self.rng.choice(VIETNAMESE))
            self.log.append(f"  (profile dialog: typed, then {'Esc' if self.rng.random() < .5 else 'Hủy'})")
            if self.log[-1].endswith("Esc)"):
                key(Qt.Key_Escape, widget=modal)
            else:
                buttons = modal.form.findChild(QDialogButtonBox, "buttons")
                QTest.mouseClick(buttons.button(QDialogButtonBox.Cancel), Qt.LeftButton)
        elif isinstance(modal, QMessageBox):
            self.log.append(f"  (message box: {modal.text()[:80]!r})")
            modal.reject() if modal.escapeButton() is None else modal.escapeButton().click()
        elif isinstance(modal, QDialog):
            self.log.append(f"  (dialog {type(modal).__name__}: closed)")
            modal.reject()

    # -- getting somewhere ---------------------------------------------------------------
    def click(self, widget) -> None:
        """Scroll it into view, as the clerk scrolls, and click it."""
        for scroll in set(self.view.scrolls.values()):
            if scroll.isAncestorOf(widget):
                scroll.ensureWidgetVisible(widget)
        QTest.mouseClick(widget, Qt.LeftButton, pos=widget.rect().center())

    def open_tab(self, index: int) -> None:
        bar = self.view.tabBar()
        QTest.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(index).center())
        if self.view.currentIndex() != index:  # scrolled out of the bar: the arrow buttons would do it
            self.view.setCurrentIndex(index)

    def show_row(self, ident: str):
        ind = self.catalog.indicators[ident]
        self.open_tab(self.view.tab_of_form[ind.form])
        return self.view.table(ind.form)

    def replace_or_insert(self, widget) -> None:
        choice = self.rng.random()
        if isinstance(widget, QLineEdit):
            if choice < .6:
                key(Qt.Key_A, Qt.ControlModifier, widget)
            elif choice < .8:
                key(Qt.Key_End, widget=widget)
            else:
                widget.setCursorPosition(self.rng.randint(0, len(widget.text())))
                self.note(f"at {widget.cursorPosition()}")
        elif isinstance(widget, QPlainTextEdit):
            key(Qt.Key_End, Qt.ControlModifier if choice < .5 else Qt.NoModifier, widget)

    # -- actions ------------------------------------------------------------------------
    def type_in_cell(self) -> None:
        ind = self.rng.choice([i for i in self.rows if i.kind != "heading"])
        table = self.show_row(ind.id)
        editor = table.editor_for(ind.id)
        self.note(ind.id)
        if isinstance(editor, CodeCombo):  # a click would open the list: the keyboard way in
            self.click(table.notes[ind.id])
            key(Qt.Key_Home)
            key(Qt.Key_Left)
            keys = self.rng.choice(("1", "0", "2", "3", "9", "x", "c", "k", "\x01"))
            if self.rng.random() < .2:
                key(Qt.Key_Delete)
                self.note("Delete")
            self.note(repr(keys))
            send_text(keys)
            return
        self.click(editor)
        if isinstance(editor, DerivedValue):
            send_text(self.text())  # nothing to type into: nothing may change
            return
        self.replace_or_insert(editor)
        send_text(self.text())
        if self.rng.random() < .5:
            key(self.rng.choice((Qt.Key_Return, Qt.Key_Tab, Qt.Key_Down, Qt.Key_Up, Qt.Key_Right)))

    def type_in_note(self) -> None:
        ind = self.rng.choice([i for i in self.rows if i.kind != "heading"])
        note = self.show_row(ind.id).notes[ind.id]
        self.note(ind.id)
        self.click(note)
        self.replace_or_insert(note)
        send_text(self.text())

    def prose_editor(self):
        sid = self.rng.choice([s for s in self.view.tab_of_section])
        self.open_tab(self.view.tab_of_section[sid])
        return self.view.pane(sid).current_editor

    def type_in_prose(self) -> None:
        editor = self.prose_editor()
        self.note(editor.section_id)
        self.click(editor.viewport())
        self.replace_or_insert(editor)
        send_text(self.text())

    def type_in_header(self) -> None:
        self.open_tab(0)
        name = self.rng.choice(HEADER_FIELDS)
        widget = self.win.findChild(QLineEdit, name) or self.win.findChild(QPlainTextEdit, name)
        self.note(name)
        self.click(widget.viewport() if isinstance(widget, QPlainTextEdit) else widget)
        self.replace_or_insert(widget)
        send_text(self.text())
        if isinstance(widget, QLineEdit) and self.rng.random() < .5:
            key(Qt.Key_Tab)

    def paste(self) -> None:
        text = self.text()
        QApplication.clipboard().setText(text)
        where = QApplication.focusWidget()
        self.note(f"into {where.objectName() if where else None}")
        key(Qt.Key_V, Qt.ControlModifier)

    def navigate(self) -> None:
        k = self.rng.choice((Qt.Key_Tab, Qt.Key_Backtab, Qt.Key_Return, Qt.Key_Down, Qt.Key_Up, Qt.Key_Left,
                             Qt.Key_Right, Qt.Key_Home, Qt.Key_End, Qt.Key_Backspace, Qt.Key_Delete))
        where = QApplication.focusWidget()
        self.note(f"{k.name} from {where.objectName() if where else None}")
        key(k, Qt.ShiftModifier if k == Qt.Key_Backtab else Qt.NoModifier)

    def undo_redo(self) -> None:
        redo = self.rng.random() < .4
        self.note("Ctrl+Y" if redo else "Ctrl+Z")
        key(Qt.Key_Y if redo else Qt.Key_Z, Qt.ControlModifier)

    def switch_tab(self) -> None:
        index = self.rng.randrange(self.view.count())
        self.note(str(index))
        self.open_tab(index)

    def find_row(self) -> None:
        ind = self.rng.choice(self.rows)
        words = [w for w in fold(ind.label).split() if w.isalnum()]
        query = ind.stt if self.rng.random() < .5 else " ".join(self.rng.sample(words, min(3, len(words))))
        self.note(f"{query!r} ({ind.kind} {ind.id})")
        key(Qt.Key_F, Qt.ControlModifier)
        bar = self.win.find_bar.edit
        if QApplication.focusWidget() is not bar:
            self.note(f"(no find bar: active {QApplication.activeWindow()}, focus {QApplication.focusWidget()}, "
                      f"modal {QApplication.activeModalWidget()}, popup {QApplication.activePopupWidget()})")
            return
        send_text(query)
        for _ in range(self.rng.randint(1, 3)):
            key(Qt.Key_Return, Qt.ShiftModifier if self.rng.random() < .2 else Qt.NoModifier, bar)
        if self.rng.random() < .85:
            key(Qt.Key_Escape, widget=bar)

    def f6_f8(self) -> None:
        k = self.rng.choice((Qt.Key_F6, Qt.Key_F8))
        self.note(k.name)
        key(k)

    def click_issue(self) -> None:
        lists = [w for w in (self.win.issues, getattr(self.view.check, "issues", None)) if w is not None and w.isVisible()]
        if not lists or not lists[0].count():
            self.note("(no issues list on screen)")
            return
        issues = self.rng.choice(lists)
        item = issues.item(self.rng.randrange(issues.count()))
        issues.scrollToItem(item)
        self.note(repr(item.text()[:60]))
        QTest.mouseClick(issues.viewport(), Qt.LeftButton, pos=issues.visualItemRect(item).center())

    def choose_section(self) -> None:
        editor = self.prose_editor()
        pane = self.view.panes[editor.section_id]
        if not pane.chooser.isVisible():
            self.note("(one section)")
            return
        QTest.mouseClick(pane.chooser, Qt.LeftButton)
        popup = QApplication.activePopupWidget()
        steps = self.rng.randint(1, 3)
        self.note(f"Down×{steps}")
        for _ in range(steps):
            key(Qt.Key_Down, widget=popup)
        key(Qt.Key_Return, widget=popup)

    def draft_text(self) -> None:
        editor = self.prose_editor()
        pane = self.view.panes[editor.section_id]
        self.note(editor.section_id)
        if pane.draft_button.isEnabled():
            self.click(pane.draft_button)

    def export_draft(self) -> None:
        self.open_tab(self.view.count() - 1)
        self.click(self.view.check.export_box.draft_button)
        self.note(repr(self.view.check.export_box.message.text()[:60]))

    def profile_dialog(self) -> None:
        self.win.act_profile.trigger()  # the menu item; the dismisser types in it and cancels

    def pause(self) -> None:
        ms = self.rng.choice((50, 350, 800))  # the prose and header save after a pause
        self.note(f"{ms} ms")
        QTest.qWait(ms)

    # -- the end: what the file holds is what the window shows -----------------------------
    def check_saved(self, rid: int, registry) -> None:
        if self.win.find_bar.isVisible():
            key(Qt.Key_Escape, widget=self.win.find_bar.edit)
        self.win.controller.flush()
        QApplication.processEvents()
        if self.win.controller.unsaved:
            raise self.failure(f"still unsaved after flushing: {self.win.controller.unsaved}")
        store = Store.open(data_dir())
        try:
            fresh = ReportSession(store, rid, registry)
            mismatches = self.mismatches(fresh)
        finally:
            store.close()
        if mismatches:
            raise self.failure(f"{len(mismatches)} widgets differ from the data file:\n" + "\n".join(mismatches[:30]))

    def mismatches(self, fresh: ReportSession) -> list[str]:
        out = []

        def differ(what, shown, stored):
            if isinstance(shown, str):
                shown = nfc(shown)  # typed as NFD, kept as NFC: the same letters on screen
            if shown != stored:
                out.append(f"{what}: window {shown!r}, file {stored!r}")

        for number in self.catalog.forms:
            table = self.view.table(number)
            for ident, cell in table.cells.items():
                ind = self.catalog.indicators[ident]
                editor = cell.editor
                if isinstance(editor, ValueEdit) and editor.hasFocus():
                    differ(ident, editor.text(), fresh.state.raw(ident))
                else:  # the same widget class, filled from the file, shows the same
                    twin = type(editor)(ind, fresh.state)
                    differ(ident, editor.currentText() if isinstance(editor, QComboBox) else editor.text(),
                           twin.currentText() if isinstance(twin, QComboBox) else twin.text())
                differ(f"{ident}:note", table.notes[ident].text(), NoteEdit(ind, fresh.state).text())
        for sid in self.view.tab_of_section:
            shown = self.view.pane(sid).editors[sid].toPlainText()
            differ(f"narrative {sid}", shown, fresh.narratives.get(sid, ""))
        self.view.ensure_tab(0)
        header, report = fresh.report.get("header", {}), fresh.report

        def text(name):
            widget = self.win.findChild(QLineEdit, name) or self.win.findChild(QPlainTextEdit, name)
            return nfc(widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText())

        def date(iso):
            import datetime as dt

            return format_date_short(dt.date.fromisoformat(iso)) if iso else ""

        for field in ("number", "authority_line", "signer_title", "signer_name"):
            differ(f"header {field}", text(f"header:{field}").strip(), header.get(field, ""))
        for field in ("recipients", "cc"):
            differ(f"header {field}", lines(text(f"header:{field}")), header.get(field, []))
        differ("header date", text("header:date").strip(), header.get("date_text") or date(header.get("date")))
        for field in ("window_start", "window_end"):
            differ(f"report {field}", text(f"report:{field}").strip(),
                   header.get(f"{field}_text") or date(report.get(field)))
        for sev, (label, word) in self.win.counts.labels.items():
            differ(f"count {sev}", label.text(), f"{fresh.state.count(sev)} {word}")
        return out


@pytest.mark.parametrize("seed", SEEDS)
def test_monkey(qtbot, tmp_path, seed):
    style(QApplication.instance())
    store, registry = open_store()
    rid = open_sample(store, registry)
    errors_before = crash_handler.HANDLER.count
    hook_before = sys.excepthook
    win = None
    try:
        from PySide6.QtCore import QSettings

        QSettings(str(data_dir() / "cchc-desktop.ini"), QSettings.IniFormat).setValue("export_dir", str(tmp_path / "out"))
        win = show_window(qtbot, store, registry, rid)
        monkey = Monkey(win, seed, tmp_path)
        sys.excepthook = monkey.hook
        started = time.monotonic()
        monkey.run(seed, ACTIONS)
        QTest.qWait(50)
        monkey.check_saved(rid, registry)
        slowest = sorted(monkey.seconds.items(), key=lambda kv: -kv[1])[:5]
        print(f"monkey seed {seed}: {monkey.done} actions in {time.monotonic() - started:.1f} s; slowest: "
              + ", ".join(f"{name} {sec:.1f} s" for name, sec in slowest))
        if os.environ.get("MONKEY_LOG"):
            Path(os.environ["MONKEY_LOG"]).write_text("\n".join(monkey.log), encoding="utf-8")
    finally:
        sys.excepthook = hook_before
        if win is not None:
            monkey.dismisser.stop()
            win.close()
        store.close()
    assert crash_handler.HANDLER.count == errors_before


def test_a_paste_from_word_is_saved_as_it_is_shown(qtbot):
    """Word puts \x0b for its line breaks and other invisible controls on the clipboard: the
    data file refuses them, so a form cell or a section that kept them showed text never saved."""
    style(QApplication.instance())
    store, registry = open_store()
    rid = open_sample(store, registry)
    win = show_window(qtbot, store, registry, rid)
    try:
        cell = win.view.table(3).editor_for("bm3.3.1")
        cell.setFocus(Qt.TabFocusReason)
        QApplication.clipboard().setText("1.0\x0197")
        QTest.keyClick(cell, Qt.Key_V, Qt.ControlModifier)
        note = win.view.table(3).notes["bm3.3.1"]
        note.setFocus(Qt.TabFocusReason)
        QApplication.clipboard().setText("theo\x0bsổ\x1b theo dõi")
        QTest.keyClick(note, Qt.Key_V, Qt.ControlModifier)
        win.view.reveal_section("V")
        prose = win.view.pane("V").editors["V"]
        prose.moveCursor(prose.textCursor().MoveOperation.End)
        QApplication.clipboard().setText("\nĐề nghị\x0btập huấn\x07.")
        QTest.keyClick(prose, Qt.Key_V, Qt.ControlModifier)
        win.controller.flush()
        assert (cell.text(), note.text()) == ("1.097", "theo sổ theo dõi")
        assert prose.toPlainText().endswith("\nĐề nghị\ntập huấn.")
        fresh = Store.open(data_dir())
        try:
            values = fresh.get_values(rid)
            assert (values["bm3.3.1"].raw, values["bm3.3.1"].note) == ("1.097", "theo sổ theo dõi")
            assert fresh.get_narratives(rid)["V"] == prose.toPlainText()
        finally:
            fresh.close()
    finally:
        win.close()
        store.close()

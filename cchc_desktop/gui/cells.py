"""The editors inside a form's cells. They never refuse text: whatever is typed is handed to
the edit controller as it is; the cell only chooses how to *show* it (the raw text while
editing, the Vietnamese-formatted value when the cell is not being edited)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit

from cchc_desktop.core.catalog import Catalog, Indicator
from cchc_desktop.core.engine import ReportState
from cchc_desktop.core.limits import printable
from cchc_desktop.core.numbers import CELL, format_value

UNDO_KEYS = {(Qt.Key_Z, Qt.ControlModifier), (Qt.Key_Y, Qt.ControlModifier),
             (Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)}


def is_undo_key(event: QKeyEvent) -> bool:
    mods = event.modifiers() & (Qt.ControlModifier | Qt.ShiftModifier | Qt.AltModifier)
    return (event.key(), mods) in UNDO_KEYS


class WindowUndoMixin:
    """Ctrl+Z / Ctrl+Y belong to the window's undo stack (which saves through the session),
    not to the editor's private one, which would change the text without saving it."""

    def event(self, event: QEvent) -> bool:  # noqa: D401 - Qt override
        if event.type() == QEvent.ShortcutOverride and is_undo_key(event):
            event.ignore()  # let the window's Hoàn tác / Làm lại shortcut fire
            return True
        return super().event(event)


def display_text(ind: Indicator, state: ReportState) -> str:
    """What a cell shows when it is not being edited: 24.694 / 1.005,8 / 99,05% for values,
    the raw text unchanged for anything else (blank, or text that is not a value)."""
    return format_value(ind.kind, state.values.get(ind.id), CELL, state.raw(ind.id))


def one_line(text: str) -> str:
    return printable(text).replace("\n", " ")


class CellEdit(WindowUndoMixin, QLineEdit):
    """A one-line cell of a form. `edited` is `textEdited` without the characters the data file
    refuses: a paste from Word brings invisible controls (\x0b for its line breaks), and a cell
    that kept them would show text that is never saved, refused for a character nobody can see."""

    edited = Signal(str)

    def __init__(self):
        super().__init__()
        self.textEdited.connect(self._edited)

    def _edited(self, text: str) -> None:
        clean = one_line(text)
        if clean != text:
            at = len(one_line(text[:self.cursorPosition()]))
            self.setText(clean)
            self.setCursorPosition(at)
        self.edited.emit(clean)


class ValueEdit(CellEdit):
    """A count or money cell."""

    def __init__(self, ind: Indicator, state: ReportState):
        super().__init__()
        self.ind, self.state = ind, state
        self.setObjectName(ind.id)
        self.setAccessibleName(ind.label)
        self.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.refresh()

    def refresh(self) -> None:
        raw = self.state.raw(self.ind.id)
        if self.hasFocus():
            if self.text() != raw:  # changed from elsewhere (undo): show the new text
                self.setText(raw)
        else:
            self.setText(display_text(self.ind, self.state))

    def focusInEvent(self, event) -> None:
        # raw text first, so Qt's select-all on Tab selects what is really stored
        raw = self.state.raw(self.ind.id)
        if self.text() != raw:
            self.setText(raw)
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.setText(display_text(self.ind, self.state))


class NoteEdit(CellEdit):
    """The Ghi chú cell of a row."""

    def __init__(self, ind: Indicator, state: ReportState):
        super().__init__()
        self.ind, self.state = ind, state
        self.setObjectName(f"{ind.id}:note")
        self.setAccessibleName(f"Ghi chú: {ind.label}")
        self.setAccessibleDescription("F2 hoặc Ctrl+Enter: sửa ghi chú trong khung lớn")
        self.refresh()

    def refresh(self) -> None:
        text = self.state.notes.get(self.ind.id, "")
        if self.text() != text:
            pos = self.cursorPosition()
            self.setText(text)
            self.setCursorPosition(min(pos, len(text)))


def computed_from(catalog: Catalog, ind: Indicator) -> str:
    """How a computed row is said to the clerk: "Biểu mẫu 3, dòng 3.5 do chương trình tự tính từ dòng
    3.2.1 và 3.2 …" (bm3.3.5; the rows it is computed from are of its form)."""
    rows = [catalog.indicators[i].stt for i in ind.formula.ids] if ind.formula else []
    names = ", ".join(rows[:-1]) + f" và {rows[-1]}" if len(rows) > 1 else "".join(rows)
    return f"{ind.row_name} do chương trình tự tính từ dòng {names}, không nhập vào dòng này."


class DerivedValue(QLabel):
    """A computed percentage: shown, never typed. It still takes the focus (Ctrl+F, a click,
    a line of the issues list lands on it) so the clerk sees which row it is and can copy the
    figure; the form's keys carry on from it to the inputs around it."""

    def __init__(self, ind: Indicator, state: ReportState):
        super().__init__()
        self.ind, self.state = ind, state
        self.setObjectName(ind.id)
        self.setAccessibleName(ind.label)
        self.setAccessibleDescription(computed_from(state.catalog, ind))
        self.setProperty("derived", "true")
        self.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.setFocusPolicy(Qt.ClickFocus)  # never a stop of Tab: nothing to type here
        self.refresh()

    def refresh(self) -> None:
        self.setText(display_text(self.ind, self.state))

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.setSelection(0, len(self.text()))  # the landing is visible: the figure is selected


class CodeCombo(QComboBox):
    """A flag or choice: shows the labels (Có / Không …), stores the code. Typing the code's
    digit picks it, as on paper where the clerk writes 1 or 0; Delete clears the cell."""

    picked = Signal(str)  # the code as text, "" for blank

    def __init__(self, ind: Indicator, state: ReportState):
        super().__init__()
        self.ind, self.state = ind, state
        self.setObjectName(ind.id)
        self.setAccessibleName(ind.label)
        self.setFocusPolicy(Qt.StrongFocus)
        codes = ind.codes or {}
        self.setToolTip("Chọn: " + "; ".join(f"{c} = {label}" for c, label in codes.items()))
        self.activated.connect(lambda i: self.picked.emit(self.itemData(i) or ""))
        self.refresh()

    def refresh(self) -> None:
        raw = self.state.raw(self.ind.id)
        self.blockSignals(True)
        self.clear()
        self.addItem("", "")
        for code, label in (self.ind.codes or {}).items():
            self.addItem(label, str(code))
        idx = self.findData(raw.strip()) if raw.strip() else 0
        if idx < 0:  # stored text that is not a code (e.g. from an old file): shown as it is
            self.addItem(raw, raw)
            idx = self.count() - 1
        self.setCurrentIndex(idx)
        self.blockSignals(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and not event.modifiers() & (Qt.ControlModifier | Qt.AltModifier):
            idx = self.findData(text)
            if idx >= 0:
                self.setCurrentIndex(idx)
                self.picked.emit(text)
                return
        if event.key() in (Qt.Key_Delete, Qt.Key_Backspace):
            self.setCurrentIndex(0)
            self.picked.emit("")
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event) -> None:
        # scrolling the form must never change a figure under the mouse pointer
        event.ignore()


class NarrativeEdit(WindowUndoMixin, QPlainTextEdit):
    """Plain prose; Tab leaves the editor (keyboard-only clerks), it never inserts a tab."""

    def __init__(self, section_id: str, title: str):
        super().__init__()
        self.section_id = section_id
        self.setObjectName(f"narrative:{section_id}")
        self.setAccessibleName(title)
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)
        # the prose check's findings shown in the text: (cursor over the figure, issue); the
        # cursors move with the text as the clerk types around them
        self.findings: list = []

    def finding_at(self, position: int):
        """The issue whose figure is at `position` of the text (None: no figure there)."""
        for cursor, issue in self.findings:
            if cursor.selectionStart() <= position <= cursor.selectionEnd() and cursor.hasSelection():
                return cursor, issue
        return None

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.ToolTip:
            from PySide6.QtWidgets import QToolTip

            hit = self.finding_at(self.cursorForPosition(event.pos()).position())
            if hit is not None:
                QToolTip.showText(event.globalPos(), hit[1].message, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def insertFromMimeData(self, source) -> None:
        # a paste or a drop: the characters the data file refuses go (Word's \x0b line breaks
        # become line breaks), so the section is saved as it is shown; typed ones Qt never inserts
        if source.hasText():
            self.insertPlainText(printable(source.text()))
        else:
            super().insertFromMimeData(source)

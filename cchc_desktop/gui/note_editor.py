"""Ghi chú in a box large enough to read: the form's Ghi chú cell is one narrow line that
shows only part of a long note. F2 or Ctrl+Enter in the cell (or its right-click menu) opens
this editor; Lưu hands the note to the edit path like typing in the cell (one undo step).

A note is one paragraph — the cell, Word and Excel show it on one line — so Enter saves, as
in the cell, and line breaks pasted in become spaces."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from cchc_desktop.core.catalog import Indicator
from cchc_desktop.core.limits import printable
from cchc_desktop.gui import assets
from cchc_desktop.gui.screen_fit import fit

HINT = "Enter hoặc Ctrl+Enter để lưu, Esc để bỏ. Ghi chú là một đoạn: xuống dòng sẽ thành dấu cách."


class NoteBox(QPlainTextEdit):
    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and not event.modifiers() & Qt.ShiftModifier:
            self.window().accept()
            return
        super().keyPressEvent(event)


class NoteEditor(QDialog):
    def __init__(self, ind: Indicator, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("noteEditor")
        self.setWindowTitle(f"Ghi chú dòng {ind.stt}")
        label = QLabel(f"<b>{ind.stt}.</b> {ind.label}")
        label.setWordWrap(True)
        self.box = NoteBox(text)
        self.box.setObjectName("noteText")
        self.box.setAccessibleName(f"Ghi chú: {ind.label}")
        self.box.setTabChangesFocus(True)
        hint = QLabel(HINT)
        assets.role(hint, "hint")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox()
        buttons.addButton("Lưu", QDialogButtonBox.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(label)
        lay.addWidget(self.box, 1)
        lay.addWidget(hint)
        lay.addWidget(buttons)
        fit(self, 520, 300)
        self.box.moveCursor(self.box.textCursor().MoveOperation.End)

    def text(self) -> str:
        return " ".join(printable(self.box.toPlainText()).split("\n")).strip()


def edit_note(ind: Indicator, text: str, parent: QWidget | None = None) -> str | None:
    """The note as the clerk left it in the editor, or None when they cancelled."""
    dialog = NoteEditor(ind, text, parent)
    return dialog.text() if dialog.exec() == QDialog.Accepted else None

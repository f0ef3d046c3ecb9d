"""Ctrl+F: a one-line bar above the tabs. Enter goes to the next matching row (switching tab),
Shift+Enter to the previous one, Esc closes the bar and returns to the form. Every kind of row
is a place to go: an input gets the cursor, a computed percentage is selected and said to be
computed, a heading sends the cursor to the first row under it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from cchc_desktop.core.catalog import Catalog
from cchc_desktop.gui.cells import computed_from
from cchc_desktop.gui.row_search import find_rows, landing_row


class FindBar(QWidget):
    jump = Signal(str)  # indicator id
    closed = Signal()

    def __init__(self):
        super().__init__()
        self.catalog: Catalog | None = None
        self.from_form: int | None = None  # the form on screen when the bar opened: matches start there
        self.matches: list[str] = []
        self.pos = -1
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.addWidget(QLabel("Tìm dòng:"))
        self.edit = QLineEdit()
        self.edit.setObjectName("findRow")
        self.edit.setAccessibleName("Tìm dòng theo chữ hoặc số thứ tự")
        self.edit.setPlaceholderText("gõ vài chữ của chỉ tiêu (có dấu hay không dấu đều được) hoặc STT, ví dụ 3.1 "
                                     "(dòng 3.1 của mọi biểu mẫu) hay bm3.3.1 (Biểu mẫu 3, dòng 3.1)")
        lay.addWidget(self.edit, 1)
        self.result = QLabel()
        self.result.setMinimumWidth(150)
        lay.addWidget(self.result)
        close = QPushButton("Đóng")
        close.setAccessibleName("Đóng thanh tìm")
        close.clicked.connect(self.close_bar)
        lay.addWidget(close)
        self.edit.textEdited.connect(self._search)
        self.edit.installEventFilter(self)
        self.hide()

    def open_bar(self, catalog: Catalog, from_form: int | None = None) -> None:
        self.catalog, self.from_form = catalog, from_form
        self._search(self.edit.text())  # the matches of another report's catalog may not exist here
        self.show()
        self.edit.setFocus(Qt.ShortcutFocusReason)
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def _search(self, text: str) -> None:
        self.matches = find_rows(self.catalog, text, self.from_form) if self.catalog else []
        self.pos = -1
        if not text.strip():
            self.result.setText("")
        elif not self.matches:
            self.result.setText("Không thấy dòng nào")
        else:
            self.result.setText(f"{len(self.matches)} dòng — Enter để đến")

    def step(self, delta: int) -> None:
        if not self.matches:
            return
        self.pos = (self.pos + delta) % len(self.matches)
        ident = self.matches[self.pos]
        self.result.setText(f"{self.pos + 1}/{len(self.matches)}: {self._what(ident)}")
        self.jump.emit(landing_row(self.catalog, ident))
        self.edit.setFocus()  # stay in the bar: Enter again goes to the next match

    def _what(self, ident: str) -> str:
        ind = self.catalog.indicators[ident]
        if ind.is_derived:
            return computed_from(self.catalog, ind)
        landing = landing_row(self.catalog, ident)
        if landing != ident:
            return (f"{self.catalog.row_name(ident)} là tiêu đề nhóm; con trỏ ở dòng "
                    f"{self.catalog.indicators[landing].stt} ngay dưới.")
        return f"{self.catalog.row_name(ident)}."

    def eventFilter(self, obj, event) -> bool:
        if event.type() == event.Type.KeyPress:
            if event.key() in (Qt.Key_Return, Qt.Key_Enter):
                self.step(-1 if event.modifiers() & Qt.ShiftModifier else +1)
                return True
            if event.key() == Qt.Key_Escape:
                self.close_bar()
                return True
            if event.key() == Qt.Key_Down:
                self.step(+1)
                return True
            if event.key() == Qt.Key_Up:
                self.step(-1)
                return True
        return super().eventFilter(obj, event)

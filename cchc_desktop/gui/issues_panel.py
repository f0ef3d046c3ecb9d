"""The list of open issues (lỗi, cảnh báo, ô nhập sai). A click or Enter on a line jumps to
the cell it is about, switching tab if needed. Used in the dock and in Kiểm tra và xuất."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from cchc_desktop.core import issue_places
from cchc_desktop.core.engine import ReportState
from cchc_desktop.gui import assets, marks
from cchc_desktop.core.vocabulary import SEVERITY_WORDS


class IssuesList(QListWidget):
    jump = Signal(str, str)  # indicator id, "value" | "note"

    def __init__(self, name: str):
        super().__init__()
        self.setObjectName(name)
        self.setAccessibleName("Danh sách lỗi và cảnh báo")
        self.setWordWrap(True)
        self.setIconSize(QSize(16, 16))
        self.setUniformItemSizes(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.itemClicked.connect(self._go)
        self.itemActivated.connect(self._go)
        self._keys: list[str] = []

    def show_issues(self, state: ReportState) -> None:
        issues = state.sorted_issues()
        keys = [f"{i.key}|{i.message}" for i in issues]
        if keys == self._keys:
            return  # nothing changed: keep the clerk's place in the list
        self._keys = keys
        current = self.currentRow()
        self.clear()
        if not issues:
            item = QListWidgetItem(assets.icon("ok"), "Không có lỗi hay cảnh báo nào.")
            item.setFlags(Qt.ItemIsEnabled)
            self.addItem(item)
            return
        for issue in issues:
            item = QListWidgetItem(assets.icon(marks.ICON[issue.severity]), f"{SEVERITY_WORDS[issue.severity]}: {issue.message}")
            # an issue in the prose that names no row has no cell to go to (None)
            item.setData(Qt.UserRole, issue_places.place(state.catalog, issue))
            item.setToolTip(issue.message)
            self.addItem(item)
        if 0 <= current < self.count():
            self.setCurrentRow(current)

    def _go(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.UserRole)
        if target:
            self.jump.emit(*target)

"""Lịch sử thay đổi: when each change was made and what it replaced, for one cell or section
(right-click → "Lịch sử thay đổi") or for the whole report with a filter by form or prose.

"Lấy lại giá trị này" does not write to the store itself: it calls the ``restore`` callback the
window gives (EditController.edit / update_report), so a restored value is saved, re-validated,
audited and undoable exactly like one typed. The list is read again afterwards, so the restore
shows at the top as the newest change.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QLabel, QPlainTextEdit,
                               QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from cchc_desktop.core import history_text as words
from cchc_desktop.core.catalog import Catalog
from cchc_desktop.storage.history import HistoryEntry, history
from cchc_desktop.storage.store import Store, StoreError
from cchc_desktop.gui.screen_fit import fit

RESTORE_TEXT = "Lấy lại giá trị này"
COLUMNS = ("Thời gian", "Nội dung", "Trước khi sửa", "Sau khi sửa")
LIST_CHARS = 60  # of each side in the list; the box below shows the whole text
Restore = Callable[[HistoryEntry], object]


class HistoryDialog(QDialog):
    """``target``/``kind`` as for storage.history.history: one cell (``"bm3.1.1"``, ``"value"``),
    one section (``"II.1"``, ``"narrative"``); both None: the whole report, with the filter.
    ``restore(change)`` puts ``change.old`` back through the edit path; None: read-only."""

    def __init__(self, store: Store, report_id: int, catalog: Catalog, restore: Restore | None = None,
                 target: int | str | None = None, kind: str | None = None, next_period: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.report_id, self.catalog = store, report_id, catalog
        self._restore, self.target, self.kind, self.next_period = restore, target, kind, next_period
        self.changes: list[HistoryEntry] = []
        self.setObjectName("historyDialog")
        whole = target is None and kind is None
        self.setWindowTitle("Lịch sử thay đổi của báo cáo" if whole else f"Lịch sử thay đổi — {self._place()}")

        self.intro = QLabel(
            "Mọi thay đổi đã lưu của báo cáo, mới nhất ở trên. Chọn một dòng rồi bấm “Lấy lại giá trị này” để đưa "
            "giá trị trước khi sửa trở lại; có thể hoàn tác bằng Ctrl+Z như khi gõ." if whole else
            f"Các lần sửa {self._place()}, mới nhất ở trên. Chọn một dòng rồi bấm “Lấy lại giá trị này” để đưa giá "
            "trị trước khi sửa trở lại; có thể hoàn tác bằng Ctrl+Z như khi gõ.")
        self.intro.setWordWrap(True)
        self.filter = QComboBox()
        self.filter.setObjectName("historyFilter")
        for label, form, only in words.filters(catalog):
            self.filter.addItem(label, (form, only))
        self.filter.currentIndexChanged.connect(self.reload)
        filter_row = QHBoxLayout()
        filter_label = QLabel("&Xem:")
        filter_label.setBuddy(self.filter)
        filter_row.addWidget(filter_label)
        filter_row.addWidget(self.filter, 1)

        self.list = QTreeWidget()
        self.list.setObjectName("historyList")
        self.list.setColumnCount(len(COLUMNS))
        self.list.setHeaderLabels(COLUMNS)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SingleSelection)
        self.list.setColumnWidth(0, 150)
        self.list.setColumnWidth(1, 260)
        self.list.setColumnWidth(2, 200)
        self.list.currentItemChanged.connect(self._selected)
        self.empty = QLabel()
        self.empty.setObjectName("historyEmpty")
        self.empty.setWordWrap(True)
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("historyDetail")
        self.detail.setReadOnly(True)
        self.detail.setMaximumHeight(150)
        self.said = QLabel()
        self.said.setObjectName("historySaid")
        self.said.setWordWrap(True)

        self.restore_button = QPushButton(RESTORE_TEXT)
        self.restore_button.setObjectName("historyRestore")
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_button.setVisible(restore is not None)
        close = QPushButton("Đóng")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.said, 1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(close)

        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        if whole:
            lay.addLayout(filter_row)
        else:
            self.filter.hide()
        lay.addWidget(self.list, 1)
        lay.addWidget(self.empty)
        lay.addWidget(self.detail)
        lay.addLayout(buttons)
        fit(self, 900, 560)
        self.reload()

    # -- reading ---------------------------------------------------------------------------
    def _place(self) -> str:
        if isinstance(self.target, int):
            return f"Biểu mẫu {self.target}"
        if self.kind is None and self.target in self.catalog.indicators:
            return words.row_name(self.catalog, self.target)  # its figure and its note
        if self.target is None:
            return {"narrative": "phần lời", "header": words.HEADER_PLACE}.get(self.kind or "", "báo cáo")
        return words.target_name(self.catalog, self._probe(), self.next_period)

    def _probe(self):
        # a change-shaped object naming the target, for the words that name changes
        return HistoryEntry(0, None, self.kind or "value", str(self.target or ""), None, None)

    def _query(self) -> tuple[int | str | None, str | None]:
        if self.filter.isHidden():
            return self.target, self.kind
        return self.filter.currentData() or (None, None)

    def reload(self) -> None:
        target, kind = self._query()
        try:
            self.changes = history(self.store, self.report_id, target, kind)
        except StoreError as exc:
            self.changes = []
            self.empty.setText(str(exc))
        else:
            self.empty.setText("Chưa có thay đổi nào được lưu ở đây." if not self.changes else "")
        self.empty.setVisible(not self.changes)
        self.list.clear()
        for change in self.changes:
            item = QTreeWidgetItem([
                words.when_text(change.when), words.target_name(self.catalog, change, self.next_period),
                words.shortened(words.shown(change, change.old), LIST_CHARS),
                words.shortened(words.shown(change, change.new), LIST_CHARS)])
            item.setToolTip(1, item.text(1))
            self.list.addTopLevelItem(item)
        if self.changes:
            self.list.setCurrentItem(self.list.topLevelItem(0))
        else:
            self._selected(None, None)

    def selected(self) -> HistoryEntry | None:
        item = self.list.currentItem()
        return self.changes[self.list.indexOfTopLevelItem(item)] if item is not None else None

    def _current_value(self, change: HistoryEntry) -> str | None:
        """The value that field has now: the newest change of it (the list holds every change of
        the field, whatever the filter: a filter never splits one field's changes)."""
        return next((c.new for c in self.changes if (c.kind, c.key) == (change.kind, change.key)), None)

    def _selected(self, current, _previous) -> None:
        change = self.selected() if current is not None else None
        if change is None:
            self.detail.setPlainText("")
            self.restore_button.setEnabled(False)
            return
        self.detail.setPlainText(
            f"{words.target_name(self.catalog, change, self.next_period)}, sửa lúc {words.when_text(change.when)}\n"
            f"Trước khi sửa: {words.shown(change, change.old)}\n"
            f"Sau khi sửa: {words.shown(change, change.new)}")
        same = (change.old or "") == (self._current_value(change) or "")
        self.restore_button.setEnabled(self._restore is not None and change.restorable and not same)
        self.restore_button.setToolTip(
            "Trạng thái báo cáo đổi bằng “Đánh dấu hoàn thành”, không lấy lại ở đây." if not change.restorable else
            "Giá trị trước khi sửa đang là giá trị hiện tại." if same else
            f"Đưa “{words.shortened(words.shown(change, change.old), LIST_CHARS)}” trở lại.")

    # -- restoring -------------------------------------------------------------------------
    def restore_selected(self) -> None:
        change = self.selected()
        if change is None or self._restore is None or not change.restorable:
            return
        self._restore(change)
        name = words.target_name(self.catalog, change, self.next_period)
        self.reload()
        now = self._current_value(change) or ""
        if now == (change.old or ""):
            self.said.setText(f"Đã lấy lại giá trị cũ của {name}. Muốn bỏ, bấm Ctrl+Z (Sửa → Hoàn tác).")
        else:  # refused (over a limit) or not saved: the window has said why
            self.said.setText(f"Chưa lấy lại được giá trị cũ của {name}; xem thông báo ở cửa sổ chính.")



def show_history(store: Store, report_id: int, catalog: Catalog, restore: Restore | None = None,
                 target: int | str | None = None, kind: str | None = None, next_period: str = "",
                 parent: QWidget | None = None) -> HistoryDialog:
    """Opens the dialog (modal) and returns it once closed."""
    dialog = HistoryDialog(store, report_id, catalog, restore, target, kind, next_period, parent)
    dialog.exec()
    return dialog

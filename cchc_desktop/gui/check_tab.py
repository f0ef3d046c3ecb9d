"""Kiểm tra và xuất: every open issue, how complete each form is, "Đánh dấu hoàn thành",
and the Word/Excel export (`export_box`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QMessageBox,
                               QPushButton, QScrollArea, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from cchc_desktop.core.completeness import COMPLETE, FORM_STATE_WORDS, completeness
from cchc_desktop.gui import assets
from cchc_desktop.gui.ask import ask
from cchc_desktop.gui.editing import EditController
from cchc_desktop.gui.export_box import ExportBox
from cchc_desktop.gui.issues_panel import IssuesList
from cchc_desktop.services.session import EditError
from cchc_desktop.storage.store import StoreError
from cchc_desktop.core.vocabulary import COUNTED, SEVERITY_WORDS, counts_text, status_label

COLUMNS = ("Biểu mẫu", "Đã nhập", *(SEVERITY_WORDS[s] for s in COUNTED))


class CheckTab(QWidget):
    def __init__(self, controller: EditController, registry, settings):
        super().__init__()
        self.controller, self.session = controller, controller.session
        self.registry, self.settings = registry, settings
        catalog = self.session.catalog

        self.summary = QLabel()
        self.summary.setObjectName("checkSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(catalog.forms), len(COLUMNS))
        self.table.setObjectName("completeness")
        self.table.setAccessibleName("Mức độ hoàn thành từng biểu mẫu")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.NoSelection)
        self.table.setFocusPolicy(Qt.NoFocus)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.Stretch)
        for c in range(1, len(COLUMNS)):
            head.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        for row, form in enumerate(catalog.forms.values()):
            for col in range(len(COLUMNS)):
                # created once: PySide 6.12 mis-counts references when setTextAlignment is
                # called over and over on the same items (a crash after ~100 edits)
                item = QTableWidgetItem()
                item.setToolTip(f"Biểu mẫu {form.number}. {form.title}")
                if col:
                    item.setTextAlignment(Qt.AlignCenter)
                self.table.setItem(row, col, item)
        self.issues = IssuesList("checkIssues")

        self.complete_button = QPushButton("Đánh dấu hoàn thành")
        self.complete_button.setObjectName("markComplete")
        self.complete_button.clicked.connect(self.mark_complete)
        self.export_box = ExportBox(controller, registry, settings)

        left = QVBoxLayout()
        left.addWidget(self.summary)
        forms_box = QGroupBox("Các biểu mẫu")
        fb = QVBoxLayout(forms_box)
        fb.addWidget(self.table)
        left.addWidget(forms_box)
        done_box = QGroupBox("Hoàn thành và xuất")
        db = QVBoxLayout(done_box)
        hint = QLabel("Chỉ đánh dấu hoàn thành và xuất bản chính thức được khi không còn lỗi; "
                      "cảnh báo thì không bắt buộc sửa. Bản dự thảo (có chữ DỰ THẢO) xuất được bất cứ lúc nào.")
        assets.role(hint, "hint")
        hint.setWordWrap(True)
        db.addWidget(hint)
        db.addWidget(self.complete_button)
        left.addWidget(done_box)
        left.addWidget(self.export_box)
        left.addStretch(1)
        issues_box = QGroupBox("Lỗi và cảnh báo (bấm vào một dòng để đến ô đó)")
        ib = QVBoxLayout(issues_box)
        ib.addWidget(self.issues)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lw = QWidget()
        lw.setLayout(left)
        # the column is taller than a 1366×768 screen at 125 % once an export has reported:
        # it scrolls instead of growing the window past the screen (the status bar, the dock)
        self.left_scroll = QScrollArea()
        self.left_scroll.setObjectName("checkColumn")
        self.left_scroll.setWidgetResizable(True)
        self.left_scroll.setFrameShape(QScrollArea.NoFrame)
        self.left_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.left_scroll.setWidget(lw)
        # as wide as its content needs (the forms' table, the export buttons), never cut on the
        # right: at 125 % the table's last column was clipped by a fixed 540 px cap
        need = lw.minimumSizeHint().width() + self.left_scroll.verticalScrollBar().sizeHint().width()
        self.left_scroll.setMinimumWidth(need)
        self.left_scroll.setMaximumWidth(max(540, need))
        lay.addWidget(self.left_scroll, 2)
        lay.addWidget(issues_box, 3)
        self.update_all()

    def update_all(self) -> None:
        state = self.session.state
        catalog = self.session.catalog
        code = self.session.report.get("status", "draft")
        complete = code == "complete"
        status = status_label(code).upper() if complete else status_label(code)  # a finished report stands out
        written = completeness(state, self.session.narratives)
        sections = written.sections - len(written.empty_sections)
        self.summary.setText(f"<b>Báo cáo {status}.</b> Hiện có {counts_text(state.count)}. "
                             f"Phần lời: {sections}/{written.sections} mục đã viết.")
        short = {n: t.title for t in catalog.tabs for n in t.forms}  # the tab names are the short ones
        fills = {f.number: f for f in written.forms}
        for row, form in enumerate(catalog.forms.values()):
            filled, inputs, mine = state.form_progress(form.number)
            fill = fills[form.number]
            # the column says "Biểu mẫu": the number and the tab's short name fit a 1024-px screen
            cells = (f"{form.number}. {short.get(form.number, form.title)}", f"{filled}/{inputs} {FORM_STATE_WORDS[fill.state]}",
                     *(str(sum(1 for i in mine if i.severity == s)) for s in COUNTED))
            for col, text in enumerate(cells):
                self.table.item(row, col).setText(text)
            self.table.item(row, 1).setToolTip(f"{fill.text()}: {len(fill.blank_rows)} dòng còn trống"
                                               if fill.blank_rows else fill.text())
            # a green tick only for a form with every row typed and nothing to fix: 0/17 is not "ok"
            icon = ("error" if any(i.blocking for i in mine) else "warning" if mine
                    else "ok" if fill.state == COMPLETE else None)
            self.table.item(row, 0).setIcon(assets.icon(icon) if icon else QIcon())
            self.table.item(row, 0).setToolTip(f"Biểu mẫu {form.number}. {form.title} — {FORM_STATE_WORDS[fill.state]}")
        rows = self.table.verticalHeader().defaultSectionSize() * self.table.rowCount()
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + rows + 2 * self.table.frameWidth())
        self.issues.show_issues(state)
        self.complete_button.setText("Bỏ đánh dấu hoàn thành" if complete else "Đánh dấu hoàn thành")
        self.export_box.update_state()

    def mark_complete(self) -> None:
        if self.session.report.get("status") == "complete":  # the same button takes the mark off
            self.session.unmark_complete()
            self.update_all()
            return
        self.controller.flush()
        # blanks are legitimate (a row that does not apply stays empty): ask, never block
        written = completeness(self.session.state, self.session.narratives)
        if not written.whole and not ask(self, "Báo cáo còn chỗ trống",
                                         written.question(self.session.state, "đánh dấu hoàn thành"),
                                         yes="Vẫn đánh dấu hoàn thành", no="Không"):
            return
        try:
            self.session.mark_complete()
        except EditError as exc:
            QMessageBox.warning(self, "Chưa đánh dấu hoàn thành được", str(exc))
        except StoreError as exc:
            QMessageBox.critical(self, "Chưa lưu được", str(exc))
        self.update_all()

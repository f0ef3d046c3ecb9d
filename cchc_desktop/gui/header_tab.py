"""Thông tin chung: the header of the printed report — number and date (both may stay blank
to be written by hand at signing), Kính gửi, the data window, the signer, Nơi nhận — beside
the opening and closing paragraphs."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
                               QScrollArea, QSplitter, QVBoxLayout, QWidget)

from cchc_desktop.gui import assets, marks
from cchc_desktop.gui.cells import WindowUndoMixin
from cchc_desktop.gui.editing import EditController, leave_out_controls
from cchc_desktop.gui.narrative_pane import NarrativePane
from cchc_desktop.core.header import NOT_SAVED, HeaderForm, TypedDate, defaults_after_switch, header_changes, header_form, read_date
from cchc_desktop.core.periods import PERIODS, deadline_text
from cchc_desktop.core.vocabulary import AUTHORITY_LABELS, DEFAULT_DOC_CODE


class ListEdit(WindowUndoMixin, QPlainTextEdit):
    def __init__(self, name: str):
        super().__init__()
        self.setAccessibleName(name)
        self.setTabChangesFocus(True)
        self.setFixedHeight(72)


class HeaderLine(WindowUndoMixin, QLineEdit):
    """A header box: Ctrl+Z undoes the window's last edit (saved), as in a cell."""


def _line(name: str, object_name: str, placeholder: str = "") -> QLineEdit:
    edit = HeaderLine()
    edit.setObjectName(object_name)
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


class HeaderTab(QWidget):
    def __init__(self, controller: EditController, pane: NarrativePane, status):
        super().__init__()
        self.controller, self.session = controller, controller.session
        self.status = status  # callable(str): the window's status line
        shown = header_form(self.session.report)

        self.number = _line("Số văn bản", "header:number", "để trống nếu ghi tay khi ký")
        self.date = _line("Ngày ban hành", "header:date", "ngày/tháng/năm, hoặc để trống")
        self.window_start = _line("Số liệu tính từ ngày", "report:window_start", "15/12/2024")
        self.window_end = _line("Số liệu tính đến ngày", "report:window_end", "14/12/2025")
        self.recipients = ListEdit("Kính gửi (mỗi nơi một dòng)")
        self.recipients.setObjectName("header:recipients")
        self.authority = QComboBox()
        self.authority.setObjectName("header:signing_authority")
        self.authority.setAccessibleName("Thẩm quyền ký")
        for code, label in AUTHORITY_LABELS.items():
            self.authority.addItem(label, code)
        self.authority_line = _line("Dòng thẩm quyền ký", "header:authority_line")
        self.signer_title = _line("Chức vụ người ký", "header:signer_title")
        self.signer_name = _line("Họ và tên người ký", "header:signer_name")
        self.cc = ListEdit("Nơi nhận (mỗi nơi một dòng)")
        self.cc.setObjectName("header:cc")

        self.dates = {"date": self.date, "window_start": self.window_start, "window_end": self.window_end}
        self.show_form(shown)

        doc = QGroupBox("Văn bản")
        f = QFormLayout(doc)
        num_row = QHBoxLayout()
        num_row.addWidget(self.number, 1)
        num_row.addWidget(QLabel("/" + (self._profile().get("doc_code") or DEFAULT_DOC_CODE)))
        f.addRow("Số:", num_row)
        f.addRow("Ngày:", self.date)
        f.addRow("Kính gửi:", self.recipients)
        window = QGroupBox("Thời gian chốt số liệu")
        w = QFormLayout(window)
        w.addRow("Từ ngày:", self.window_start)
        w.addRow("Đến ngày:", self.window_end)
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.deadline.setWordWrap(True)
        w.addRow(self.deadline)
        self._show_deadline()
        signer = QGroupBox("Người ký")
        s = QFormLayout(signer)
        s.addRow("Thẩm quyền:", self.authority)
        s.addRow("Dòng thẩm quyền:", self.authority_line)
        s.addRow("Chức vụ:", self.signer_title)
        s.addRow("Họ và tên:", self.signer_name)
        s.addRow("Nơi nhận:", self.cc)
        for form in (f, w, s):
            form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.message = QLabel()
        assets.role(self.message, "hint")
        self.message.setWordWrap(True)
        note = QLabel("Số và ngày có thể để trống để ghi tay khi ký. Ngày viết theo dạng ngày/tháng/năm, "
                      "ví dụ 05/01/2026.")
        assets.role(note, "hint")
        note.setWordWrap(True)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(8, 8, 8, 8)
        for box in (doc, window, signer):
            lv.addWidget(box)
        lv.addWidget(note)
        lv.addWidget(self.message)
        lv.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(left)

        split = QSplitter(Qt.Horizontal)
        split.addWidget(scroll)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(8, 8, 8, 8)
        rv.addWidget(pane)
        split.addWidget(right)
        split.setSizes([520, 800])
        split.setChildrenCollapsible(False)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(split)

        self._saver = controller.paused_saver(self.save)
        for edit in (self.number, self.date, self.window_start, self.window_end, self.authority_line,
                     self.signer_title, self.signer_name):
            edit.textEdited.connect(lambda _t: self._saver.typed())
            edit.editingFinished.connect(self._left_box)
        for edit in (self.recipients, self.cc):
            edit.textChanged.connect(self._saver.typed)
        self.authority.currentIndexChanged.connect(self._authority_changed)
        for edit in self.dates.values():
            self._show_date(edit, read_date(edit.text()))  # a date kept as typed last time is marked again

    def _left_box(self) -> None:
        """Saved, and one undo step: the next box typed in starts the next step."""
        self._saver.save_now()
        self.controller.end_cell()

    def show_form(self, shown: HeaderForm | None = None) -> None:
        """The header as stored (or `shown`): at start, and after a change made elsewhere (an
        old value put back from the history)."""
        shown = shown or header_form(self.session.report)
        self.number.setText(shown.number)
        for key, edit in self.dates.items():
            edit.setText(getattr(shown, key))
        self.recipients.setPlainText(shown.recipients)
        self.authority.setCurrentIndex(self.authority.findData(shown.signing_authority))
        self._authority = shown.signing_authority
        self.authority_line.setText(shown.authority_line)
        self.signer_title.setText(shown.signer_title)
        self.signer_name.setText(shown.signer_name)
        self.cc.setPlainText(shown.cc)

    def _show_deadline(self) -> None:
        """"Hạn gửi: 20/12/2025 — còn 5 ngày": the 20th of the period's last month (Công văn 581), or
        the province's earlier day its forms set."""
        report = self.session.report
        period = PERIODS.get(report.get("period", ""))
        day = self.session.catalog.deadline_day(period.code) if period else None
        self.deadline.setText(deadline_text(period, report["year"], dt.date.today(), day) if period else "")

    def _profile(self) -> dict:
        return self.session.store.get_profile() or {}

    def _authority_changed(self) -> None:
        new = self.authority.currentData()
        line, title = defaults_after_switch(self._authority, new, self.authority_line.text(), self.signer_title.text())
        self._authority = new
        self.authority_line.setText(line)
        self.signer_title.setText(title)
        self._saver.save_now()

    def _show_date(self, edit: QLineEdit, typed: TypedDate) -> None:
        """Text that is not a date stays on screen, marked, and is not saved."""
        marks.set_mark(edit, "" if typed.ok else "invalid")
        edit.setToolTip(typed.error)
        if not typed.ok:
            self.message.setText(typed.error + NOT_SAVED)
            self.status(typed.error)

    def _leave_out_controls(self) -> None:
        """As in the cells (EditController._printable): invisible pasted characters are left
        out, on screen too, so what the field shows is what is saved."""
        for edit in (self.number, self.date, self.window_start, self.window_end, self.authority_line,
                     self.signer_title, self.signer_name, self.recipients, self.cc):
            single = isinstance(edit, QLineEdit)
            text, dropped = leave_out_controls(edit.text() if single else edit.toPlainText())
            if dropped:
                edit.setText(text) if single else edit.setPlainText(text)
                self.controller.cleaned.emit(dropped)

    def typed(self) -> HeaderForm:
        return HeaderForm(
            number=self.number.text(), date=self.date.text(), window_start=self.window_start.text(),
            window_end=self.window_end.text(), recipients=self.recipients.toPlainText(),
            signing_authority=self.authority.currentData(), authority_line=self.authority_line.text(),
            signer_title=self.signer_title.text(), signer_name=self.signer_name.text(), cc=self.cc.toPlainText())

    def save(self) -> None:
        self._leave_out_controls()
        result = header_changes(self.typed(), self.session.report)
        for key, edit in self.dates.items():
            self._show_date(edit, result.dates[key])
        if result.hint is not None:  # about a box holding a valid date, so not marked above
            hinted = self.dates[result.hint.field]
            marks.set_mark(hinted, "warning")
            hinted.setToolTip(result.hint.message)
        self.message.setText(result.message)
        if result.fields:
            self.controller.update_report(**result.fields)

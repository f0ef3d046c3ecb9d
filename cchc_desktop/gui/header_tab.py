"""Thông tin chung: the header of the printed report — number and date (both may stay blank
to be written by hand at signing), Kính gửi, the data window, the signer, Nơi nhận — beside
the opening and closing paragraphs."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
                               QScrollArea, QSplitter, QVBoxLayout, QWidget)

from cchc_desktop.gui import marks
from cchc_desktop.gui.cells import WindowUndoMixin
from cchc_desktop.gui.editing import EditController, leave_out_controls
from cchc_desktop.gui.narrative_pane import NarrativePane
from cchc_desktop.gui.signing import AUTHORITIES, AUTHORITY_LABELS, defaults_after_switch, lines
from cchc_desktop.core.numbers import format_date_short, parse_date_short
from cchc_desktop.core.vocabulary import DEFAULT_DOC_CODE


class ListEdit(WindowUndoMixin, QPlainTextEdit):
    def __init__(self, name: str):
        super().__init__()
        self.setAccessibleName(name)
        self.setTabChangesFocus(True)
        self.setFixedHeight(72)


def _line(name: str, object_name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(object_name)
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def _short(iso: str | None) -> str:
    try:
        return format_date_short(dt.date.fromisoformat(iso)) if iso else ""
    except ValueError:
        return iso or ""


class HeaderTab(QWidget):
    def __init__(self, controller: EditController, pane: NarrativePane, status):
        super().__init__()
        self.controller, self.session = controller, controller.session
        self.status = status  # callable(str): the window's status line
        report = self.session.report
        header = report.get("header", {})

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

        self.number.setText(header.get("number", ""))
        # a date typed wrongly is kept as typed (…_text) until corrected: nothing typed is lost
        self.date.setText(header.get("date_text") or _short(header.get("date")))
        self.window_start.setText(header.get("window_start_text") or _short(report.get("window_start")))
        self.window_end.setText(header.get("window_end_text") or _short(report.get("window_end")))
        self.recipients.setPlainText("\n".join(header.get("recipients", [])))
        idx = self.authority.findData(header.get("signing_authority", "TM."))
        self.authority.setCurrentIndex(max(idx, 0))
        self._authority = self.authority.currentData()
        self.authority_line.setText(header.get("authority_line", "") or AUTHORITIES[self._authority][0])
        self.signer_title.setText(header.get("signer_title", "") or AUTHORITIES[self._authority][1])
        self.signer_name.setText(header.get("signer_name", ""))
        self.cc.setPlainText("\n".join(header.get("cc", [])))

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
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)
        note = QLabel("Số và ngày có thể để trống để ghi tay khi ký. Ngày viết theo dạng ngày/tháng/năm, "
                      "ví dụ 05/01/2026.")
        note.setObjectName("hint")
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
            edit.editingFinished.connect(self._saver.save_now)
        for edit in (self.recipients, self.cc):
            edit.textChanged.connect(self._saver.typed)
        self.authority.currentIndexChanged.connect(self._authority_changed)
        for edit in (self.date, self.window_start, self.window_end):
            self._date(edit)  # a date kept as typed last time is marked again

    def _profile(self) -> dict:
        return self.session.store.get_profile() or {}

    def _authority_changed(self) -> None:
        new = self.authority.currentData()
        line, title = defaults_after_switch(self._authority, new, self.authority_line.text(), self.signer_title.text())
        self._authority = new
        self.authority_line.setText(line)
        self.signer_title.setText(title)
        self._saver.save_now()

    def _date(self, edit: QLineEdit) -> tuple[bool, str]:
        """(valid, ISO or "") — invalid text stays on screen, marked, and is not saved."""
        text = edit.text().strip()
        if not text:
            marks.set_mark(edit, "")
            edit.setToolTip("")
            return True, ""
        try:
            value = parse_date_short(text)
        except ValueError as exc:
            marks.set_mark(edit, "invalid")
            edit.setToolTip(str(exc))
            self.message.setText(str(exc) + " Ngày này chưa được lưu cho đến khi sửa đúng.")
            self.status(str(exc))
            return False, ""
        marks.set_mark(edit, "")
        edit.setToolTip("")
        return True, value.isoformat()

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

    def save(self) -> None:
        self._leave_out_controls()
        self.message.setText("")
        header = {
            "number": self.number.text().strip(),
            "recipients": lines(self.recipients.toPlainText()),
            "signing_authority": self.authority.currentData(),
            "authority_line": self.authority_line.text().strip(),
            "signer_title": self.signer_title.text().strip(),
            "signer_name": self.signer_name.text().strip(),
            "cc": lines(self.cc.toPlainText()),
        }
        ok, iso = self._date(self.date)
        if ok:
            header["date"] = iso
        header["date_text"] = "" if ok else self.date.text()
        fields: dict = {}
        ok_start, start = self._date(self.window_start)
        ok_end, end = self._date(self.window_end)
        # an emptied date is saved empty: keeping the old one would print a date the clerk erased
        if ok_start:
            fields["window_start"] = start or None
        if ok_end:
            fields["window_end"] = end or None
        header["window_start_text"] = "" if ok_start else self.window_start.text()
        header["window_end_text"] = "" if ok_end else self.window_end.text()
        if start and end and start > end:
            self.message.setText("Ngày bắt đầu chốt số liệu đang sau ngày kết thúc; kiểm tra lại hai ngày này.")
            marks.set_mark(self.window_end, "warning")
        current = self.session.report
        changed = {k: v for k, v in header.items() if current.get("header", {}).get(k) != v}
        fields = {k: v for k, v in fields.items() if current.get(k) != v}
        if changed:
            fields["header"] = changed
        if fields:
            self.controller.update_report(**fields)

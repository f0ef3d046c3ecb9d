"""Báo cáo: pick a report to open, create one for a year and period (empty, or copied from a
previous period with or without its figures — as the catalog's `carry` says, core.carry), delete
one (a backup is written first), import one from a file the program exported (another
machine's .json or .xlsx appendix), or open the built-in sample. After a copy the clerk is told
what went over (services.reports.copy_summary)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
                               QListWidget, QListWidgetItem, QMessageBox, QPushButton, QSpinBox, QVBoxLayout)

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.errors import CchcError
from cchc_desktop.formats.doc_catalog import load_doc
from cchc_desktop.gui.ask import ask
from cchc_desktop.system.data_dirs import backup_dir
from cchc_desktop.core.periods import PERIODS, likely_period
from cchc_desktop.services.report_io import IMPORTED_AS_DRAFT, import_doc
from cchc_desktop.services.reports import (ReportExists, copy_report, copy_summary, create_report, delete_report,
                                          find_report, report_label, unit_display_name)
from cchc_desktop.services.sample import sample_doc
from cchc_desktop.storage.store import RESTORE_MENU, Store, StoreError
from cchc_desktop.core.vocabulary import status_label
from cchc_desktop.gui.screen_fit import fit


SAMPLE = "sample"  # `chosen` when the clerk asked for the built-in sample
COPY_VALUES_TEXT = "Chép cả số liệu tồn cuối kỳ và số chuyển kỳ (số phát sinh trong kỳ để trống)"
COPY_VALUES_TIP = ("Chép sang kỳ mới những số liệu còn đến cuối kỳ: số thủ tục hành chính, biên chế, số cán bộ, "
                   "công chức, số đơn vị… (xem lại rồi sửa số nào đã thay đổi).\n"
                   "Số hồ sơ đang giải quyết cuối kỳ trước thành số hồ sơ kỳ trước chuyển sang.\n"
                   "Các số phát sinh trong kỳ (hồ sơ tiếp nhận, văn bản ban hành, người được đào tạo…) để trống "
                   "để nhập số của kỳ mới.")
COPIED_TITLE = "Đã tạo báo cáo từ kỳ trước"
IMPORT_FILTER = "Báo cáo CCHC Desktop (*.json *.xlsx);;Mọi tệp (*)"


def open_sample(store: Store, registry: CatalogRegistry) -> int:
    """The sample's report id, importing it the first time."""
    doc = sample_doc(registry)
    name = unit_display_name(doc["unit"])
    existing = find_report(store, name, doc["report"]["year"], doc["report"]["period"])
    return existing["id"] if existing else import_doc(store, registry, doc)


class ReportPicker(QDialog):
    def __init__(self, store: Store, registry: CatalogRegistry, data_dir: Path, current: int | None, parent=None):
        super().__init__(parent)
        self.store, self.registry, self.data_dir = store, registry, Path(data_dir)
        self.chosen: int | None = None
        self.setWindowTitle("Báo cáo — mở, tạo mới hoặc xóa")

        self.list = QListWidget()
        self.list.setObjectName("reportList")
        self.list.setAccessibleName("Danh sách báo cáo")
        self.list.itemActivated.connect(lambda _: self.open_selected())
        self.open_button = QPushButton("Mở báo cáo")
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button = QPushButton("Xóa…")
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button = QPushButton("Nhập từ tệp…")
        self.import_button.setObjectName("importReport")
        self.import_button.setToolTip("Mở một báo cáo từ tệp do CCHC Desktop xuất (tệp trao đổi .json hoặc phụ lục "
                                      "Excel .xlsx), ví dụ tệp chép từ máy khác")
        self.import_button.clicked.connect(lambda: self.import_file())
        self.sample_button = QPushButton("Mở báo cáo mẫu (xã Bình Phước 2023)")
        self.sample_button.setObjectName("openSample")
        self.sample_button.clicked.connect(self.open_sample)

        self.year = QSpinBox()
        self.year.setObjectName("newYear")
        self.year.setAccessibleName("Năm báo cáo")
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.period = QComboBox()
        self.period.setObjectName("newPeriod")
        self.period.setAccessibleName("Kỳ báo cáo")
        for code, p in PERIODS.items():
            self.period.addItem(p.label, code)
        self.period.setCurrentIndex(self.period.findData(likely_period(dt.date.today())))
        self.copy = QCheckBox("Chép phần đầu và nội dung từ báo cáo đang chọn ở trên")
        self.copy_values = QCheckBox(COPY_VALUES_TEXT)
        self.copy_values.setToolTip(COPY_VALUES_TIP)
        self.copy_values.setEnabled(False)
        self.copy.toggled.connect(self.copy_values.setEnabled)
        self.create_button = QPushButton("Tạo báo cáo")
        self.create_button.setObjectName("createReport")
        self.create_button.clicked.connect(self.create)

        lay = QVBoxLayout(self)
        box = QGroupBox("Các báo cáo đã có")
        bl = QVBoxLayout(box)
        bl.addWidget(self.list)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(self.import_button)
        bl.addLayout(row)
        lay.addWidget(box, 1)
        new = QGroupBox("Tạo báo cáo mới")
        form = QFormLayout(new)
        form.addRow("Năm:", self.year)
        form.addRow("Kỳ báo cáo:", self.period)
        form.addRow(self.copy)
        form.addRow(self.copy_values)
        form.addRow(self.create_button)
        lay.addWidget(new)
        lay.addWidget(self.sample_button)
        close = QPushButton("Đóng")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        lay.addLayout(bottom)
        self.reload(current)
        fit(self, 600, 560)

    def reload(self, select: int | None = None) -> None:
        self.list.clear()
        for r in self.store.list_reports():
            item = QListWidgetItem(f"{r['unit_name'] or 'Chưa có tên đơn vị'} — {report_label(r)} "
                                   f"({status_label(r['status'])})")
            item.setData(Qt.UserRole, r["id"])
            self.list.addItem(item)
            if r["id"] == select:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        has = self.list.count() > 0
        for w in (self.open_button, self.delete_button, self.copy):
            w.setEnabled(has)
        if not has:
            self.copy.setChecked(False)
            self.list.addItem(QListWidgetItem("Chưa có báo cáo nào. Tạo báo cáo mới ở dưới, nhập báo cáo từ tệp, "
                                              "hoặc mở báo cáo mẫu."))
            self.list.item(0).setFlags(Qt.NoItemFlags)

    def _selected(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.UserRole) if item is not None else None

    def open_selected(self) -> None:
        rid = self._selected()
        if rid is not None:
            self.chosen = rid
            self.accept()

    def create(self) -> None:
        source = self._selected() if self.copy.isChecked() else None
        year, period = self.year.value(), self.period.currentData()
        try:
            if source is None:
                rid, summary = create_report(self.store, self.registry, year, period), ""
            else:
                copied = copy_report(self.store, self.registry, year, period, copy_from=source,
                                     copy_values=self.copy_values.isChecked())
                rid, summary = copied.report_id, copy_summary(copied)
        except (ReportExists, ValueError, StoreError) as exc:
            QMessageBox.warning(self, "Chưa tạo được báo cáo", str(exc))
            return
        if summary:
            report = self.store.get_report(rid)
            QMessageBox.information(self, COPIED_TITLE, f"Đã tạo báo cáo {report_label(report)}.\n\n{summary}")
        self.chosen = rid
        self.accept()

    def delete_selected(self) -> None:
        rid = self._selected()
        if rid is None:
            return
        report = self.store.get_report(rid)
        if not ask(self, "Xóa báo cáo",
                   f"Xóa báo cáo {report_label(report)} của {report['unit_name'] or 'đơn vị'}?\n\n"
                   "Chương trình sẽ sao lưu toàn bộ dữ liệu trước khi xóa; khi cần, khôi phục ở menu "
                   f"“{RESTORE_MENU}”.",
                   yes="Xóa", no="Không xóa"):
            return
        try:
            path = delete_report(self.store, rid, backup_dir(self.data_dir))
        except StoreError as exc:
            QMessageBox.critical(self, "Chưa xóa được", str(exc))
            return
        QMessageBox.information(self, "Đã xóa", f"Đã xóa báo cáo. Bản sao lưu trước khi xóa:\n{path}")
        self.reload()

    def import_file(self, path: Path | None = None) -> None:
        """A report from a file the program exported, checked in full and added in one
        transaction, then opened. A refused file, or a report of that period already here, is
        said and changes nothing. `path`: None asks for the file."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Chọn tệp báo cáo để nhập", str(Path.home()), IMPORT_FILTER)
            if not chosen:
                return
            path = Path(chosen)
        try:
            doc, _ = load_doc(path, self.registry)
            rid = import_doc(self.store, self.registry, doc)
        except CchcError as exc:  # the file's, its catalog's, the data file's: each message says what to do
            QMessageBox.warning(self, "Chưa nhập được báo cáo", f"Không nhập được tệp “{path.name}”.\n\n{exc}")
            return
        report = self.store.get_report(rid)
        whose = f" của {report['unit_name']}" if report["unit_name"] else ""
        text = f"Đã nhập báo cáo {report_label(report)}{whose} từ tệp “{path.name}”."
        if doc["report"]["status"] == "complete":
            text += f"\n\n{IMPORTED_AS_DRAFT} (Báo cáo → Đánh dấu hoàn thành)."
        QMessageBox.information(self, "Đã nhập báo cáo", text)
        self.chosen = rid
        self.accept()

    def open_sample(self) -> None:
        """The window opens the sample from a data file of its own (MainWindow.open_sample_report)."""
        self.chosen = SAMPLE
        self.accept()

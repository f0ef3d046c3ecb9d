"""Báo cáo → Tổng hợp báo cáo các xã… (issue 12 §4): the province's side of the loop in the
window. Open a folder of the communes' files (exchange .json or the program's .xlsx appendices),
with a progress bar; see the unit table (received, refused with the reason, missing when a list
of units was given) and each Biểu mẫu summed; click a unit to see its issues; export the
provincial appendix as Excel (one column per commune) or Word (Decree 30 layout). The roll-up
itself is services/rollup; this only shows it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QDialog, QFileDialog, QHBoxLayout,
                               QHeaderView, QLabel, QListWidget, QMessageBox, QProgressDialog, QPushButton,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.core.periods import period_words
from cchc_desktop.core.vocabulary import SEVERITY_WORDS, status_label
from cchc_desktop.errors import CchcError
from cchc_desktop.gui.screen_fit import fit
from cchc_desktop.core.numbers import format_count
from cchc_desktop.services.rollup import Rollup, read_units_csv, rollup

TITLE = "Tổng hợp báo cáo các xã"
UNIT_COLUMNS = ("Đơn vị", "Mã", "Trạng thái", "Lỗi", "Cảnh báo", "Đúng hạn", "Tệp")
FORM_COLUMNS = ("STT", "Chỉ tiêu", "Đơn vị tính", "Tổng hợp", "Số đơn vị có số liệu")
UNIT_COLUMN_WIDTH = 130  # px at most for "Đơn vị tính": the row names need the room


class Stopped(Exception):
    """The clerk pressed Dừng on the progress bar."""


def _table(columns, name: str) -> QTableWidget:
    t = QTableWidget(0, len(columns))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(columns)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectRows)
    t.setSelectionMode(QAbstractItemView.SingleSelection)
    t.setWordWrap(True)
    return t


class RollupWindow(QDialog):
    def __init__(self, registry: CatalogRegistry, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.registry = registry
        self.result: Rollup | None = None
        self.folder: Path | None = None
        self.units_file: Path | None = None

        self.open_button = QPushButton("Mở thư mục báo cáo các xã…")
        self.open_button.clicked.connect(lambda: self.open_folder())
        self.units_button = QPushButton("Danh sách đơn vị (.csv)…")
        self.units_button.setToolTip("Tệp CSV có cột name (và code): các đơn vị phải gửi; đơn vị chưa gửi được liệt kê.")
        self.units_button.clicked.connect(self.choose_units)
        self.xlsx_button = QPushButton("Xuất Excel…")
        self.docx_button = QPushButton("Xuất Word…")
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.docx_button.clicked.connect(lambda: self.export("docx"))
        top = QHBoxLayout()
        for w in (self.open_button, self.units_button):
            top.addWidget(w)
        top.addStretch(1)
        for w in (self.xlsx_button, self.docx_button):
            top.addWidget(w)

        self.summary = QLabel("Chọn thư mục chứa các tệp báo cáo (.json) hoặc phụ lục Excel (.xlsx) các xã gửi.")
        self.summary.setObjectName("rollupSummary")
        self.summary.setWordWrap(True)
        self.units = _table(UNIT_COLUMNS, "rollupUnits")
        head = self.units.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.Stretch)
        for c in range(1, len(UNIT_COLUMNS)):
            head.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        self.units.itemSelectionChanged.connect(self._show_unit)
        self.unit_issues = QListWidget()
        self.unit_issues.setObjectName("rollupUnitIssues")
        self.unit_issues.setWordWrap(True)
        self.unit_issues.setAccessibleName("Lỗi và cảnh báo của đơn vị đang chọn")
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.units, 3)
        ll.addWidget(QLabel("Lỗi và cảnh báo của đơn vị đang chọn:"))
        ll.addWidget(self.unit_issues, 1)

        self.form_choice = QComboBox()
        self.form_choice.setAccessibleName("Chọn biểu mẫu")
        self.form_choice.currentIndexChanged.connect(self._show_form)
        self.form = _table(FORM_COLUMNS, "rollupForm")
        fh = self.form.horizontalHeader()
        fh.setSectionResizeMode(1, QHeaderView.Stretch)
        for c in (0, 3, 4):
            fh.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        # the unit column wraps ("Trực tuyến = 0; Phát phiếu = 1; Kết hợp = 2" on one line left the
        # row names a word wide at 1024x768), and rows are measured again whenever widths change
        fh.setSectionResizeMode(2, QHeaderView.Interactive)
        # (once the layout has settled: measured during a resize, rows come out a line short)
        self._measure_rows = QTimer(self, singleShot=True, interval=0)
        self._measure_rows.timeout.connect(self.form.resizeRowsToContents)
        fh.sectionResized.connect(lambda *_: self._measure_rows.start())
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.form_choice)
        rl.addWidget(self.form, 1)

        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(split, 1)
        self._set_enabled()
        fit(self, 1200, 700)

    def _set_enabled(self) -> None:
        has = self.result is not None and bool(self.result.units)
        self.xlsx_button.setEnabled(has)
        self.docx_button.setEnabled(has)

    # -- reading ---------------------------------------------------------------------------
    def choose_units(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Chọn danh sách đơn vị", str(self.folder or Path.home()),
                                                "Danh sách đơn vị (*.csv)")
        if chosen:
            self.units_file = Path(chosen)
            if self.folder is not None:
                self.open_folder(self.folder)

    def open_folder(self, folder: Path | None = None) -> bool:
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, "Chọn thư mục báo cáo các xã", str(self.folder or Path.home()))
            if not chosen:
                return False
            folder = Path(chosen)
        progress = QProgressDialog("Đang đọc các tệp báo cáo…", "Dừng", 0, 0, self)
        progress.setWindowTitle(TITLE)
        progress.setWindowModality(Qt.WindowModal)
        progress.setMinimumDuration(300)

        def step(done: int, total: int) -> None:
            progress.setMaximum(total)
            progress.setValue(done)
            progress.setLabelText(f"Đang đọc tệp {done + 1}/{total}…")
            QApplication.processEvents()
            if progress.wasCanceled():
                raise Stopped

        try:
            units = read_units_csv(self.units_file) if self.units_file else None
            result = rollup([folder], self.registry, units=units, progress=step)
        except Stopped:
            self.summary.setText("Đã dừng giữa chừng; chưa tổng hợp gì. Bấm “Mở thư mục…” để đọc lại.")
            return False
        except (CchcError, OSError) as exc:
            QMessageBox.warning(self, TITLE, f"Chưa tổng hợp được: {exc}")
            return False
        finally:
            progress.close()
        self.folder, self.result = folder, result
        self.show_result()
        return True

    # -- showing -----------------------------------------------------------------------------
    def show_result(self) -> None:
        r = self.result
        if not r.units:
            self.summary.setText(f"Không đọc được báo cáo nào trong {self.folder}: {format_count(len(r.refused))} tệp không nhận "
                                 "(lý do ở bảng bên trái).")
        else:
            self.summary.setText(
                f"{r.catalog.title}, {period_words(r.period, r.year)}: {r.counts_text()}. Số lượng và kinh phí là "
                "tổng cộng; tỷ lệ tính lại từ các tổng.")
        rows = [(u.name, u.code, status_label(u.status), str(u.errors), str(u.warnings), r.on_time(u), Path(u.file).name,
                 u) for u in r.units]
        rows += [(name, "", "chưa gửi", "", "", "", "", None) for name in r.missing]
        rows += [("", "", "không nhận", "", "", "", Path(f.file).name, f) for f in r.refused]
        self.units.setRowCount(len(rows))
        for n, row in enumerate(rows):
            for c, text in enumerate(row[:-1]):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignCenter)
                if c == 0 or c == len(UNIT_COLUMNS) - 1:  # the unit and its file lead to what it sent
                    item.setData(Qt.UserRole, row[-1])
                self.units.setItem(n, c, item)
        deadline = r.deadline()
        for n, u in enumerate(r.units):  # on time by which date: the one on the report, or its file's
            day, how = u.sent()
            if day is not None and deadline is not None:
                self.units.item(n, 5).setToolTip(f"Gửi {day:%d/%m/%Y} ({how}); hạn gửi {deadline:%d/%m/%Y}.")
        self.form_choice.blockSignals(True)
        self.form_choice.clear()
        if r.catalog is not None:
            for number, form in sorted(r.catalog.forms.items()):
                self.form_choice.addItem(f"Biểu mẫu {number}. {form.title}", number)
        self.form_choice.blockSignals(False)
        self._show_form()
        self._set_enabled()

    def _show_form(self) -> None:
        r = self.result
        number = self.form_choice.currentData()
        if r is None or r.catalog is None or number is None:
            self.form.setRowCount(0)
            return
        rows = r.form_rows(number)
        self.form.setRowCount(len(rows))
        for n, row in enumerate(rows):
            for c, text in enumerate(row.texts):
                item = QTableWidgetItem(text)
                if c != 1:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter if c == 3 else Qt.AlignCenter)
                if row.bold:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.form.setItem(n, c, item)
        self.form.setColumnWidth(2, min(self.form.sizeHintForColumn(2), UNIT_COLUMN_WIDTH))
        self.form.resizeRowsToContents()

    def _show_unit(self) -> None:
        self.unit_issues.clear()
        rows = self.units.selectionModel().selectedRows()
        if not rows:
            return
        what = self.units.item(rows[0].row(), 0).data(Qt.UserRole)
        if what is None:
            name = self.units.item(rows[0].row(), 0).text()
            self.unit_issues.addItem(f"{name} chưa gửi báo cáo.")
        elif hasattr(what, "reason"):
            self.unit_issues.addItem(f"Không nhận {Path(what.file).name}: {what.reason}")
        elif not what.issues:
            self.unit_issues.addItem(f"{what.name}: không có lỗi hay cảnh báo nào.")
        else:
            for severity, message in what.issues:
                self.unit_issues.addItem(f"{SEVERITY_WORDS[severity]}: {message}")

    # -- export ------------------------------------------------------------------------------
    def export(self, kind: str, path: Path | None = None) -> Path | None:
        from cchc_desktop.system.atomic import AtomicWriteError, why_not_written, write_atomically

        r = self.result
        if r is None or not r.units:
            return None
        if path is None:
            name = f"TongHop_CCHC_{r.period}{r.year}.{kind}"
            what = "Bảng tính Excel (*.xlsx)" if kind == "xlsx" else "Văn bản Word (*.docx)"
            chosen, _ = QFileDialog.getSaveFileName(self, "Lưu bảng tổng hợp", str((self.folder or Path.home()) / name), what)
            if not chosen:
                return None
            path = Path(chosen)
        if kind == "xlsx":
            from cchc_desktop.services.rollup_xlsx import write_rollup_xlsx as write
        else:
            from cchc_desktop.services.rollup_docx import write_rollup_docx as write
        try:
            write_atomically(path, lambda tmp: write(r, tmp))
        except AtomicWriteError as exc:
            QMessageBox.warning(self, TITLE, f"Chưa ghi được {path}: {why_not_written(exc.cause)}. Đóng tệp nếu nó đang "
                                             "mở trong Excel hoặc Word, hoặc chọn thư mục khác.")
            return None
        self.summary.setText(self.summary.text().split(" Đã ghi ")[0] + f" Đã ghi {path}.")
        return path

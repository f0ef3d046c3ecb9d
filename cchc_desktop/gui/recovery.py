"""Backups and recovery from the window: the dialog that opens when the data file is damaged,
empty or unreadable at start (it offers the newest verified backup, with its date and the
reports in it), and Báo cáo → Sao lưu và khôi phục… (every backup, verified ✓/✗, restore one,
back up now, copy out to a USB stick).

Restoring keeps what was there before (backups.restore_backup sets a damaged file aside, a
sound one becomes a "truoc-khi-khoi-phuc" backup), so no click here can lose the clerk's data.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel,
                               QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from cchc_desktop.storage import backups
from cchc_desktop.gui import assets
from cchc_desktop.gui.ask import ask
from cchc_desktop.system.data_dirs import backup_dir, db_path
from cchc_desktop.storage.store import RESTORE_MENU, DataFileDamaged, StoreError
from cchc_desktop.gui.screen_fit import fit

APP_NAME = "CCHC Desktop"
# the menu item's own words are the tail of the path every "khôi phục" message names
MENU_TEXT = RESTORE_MENU.split("→")[-1].strip()


def backup_summary(check: backups.BackupCheck) -> str:
    reports = "; ".join(check.reports[:4]) + (f" và {len(check.reports) - 4} báo cáo khác"
                                               if len(check.reports) > 4 else "")
    return (f"Bản sao lưu lúc {check.created:%H:%M ngày %d/%m/%Y} ({backups.reason_label(check.reason)}), "
            f"gồm: {reports or 'chưa có báo cáo nào'}.")


def restore(folder: Path, backup: Path, parent: QWidget | None) -> bool:
    """Restore ``backup`` over the data file of ``folder`` (no Store may be open on it); says
    where the previous file was kept. False, after saying why, when it did not happen."""
    try:
        kept = backups.restore_backup(db_path(folder), backup, backup_dir(folder))
    except StoreError as exc:
        QMessageBox.critical(parent, APP_NAME, str(exc))
        return False
    said = f"Đã khôi phục dữ liệu từ bản sao lưu “{backup.name}”."
    if kept is not None:
        said += f"\n\nDữ liệu trước khi khôi phục vẫn được giữ lại trong tệp “{kept}”."
    QMessageBox.information(parent, APP_NAME, said)
    return True


def offer_recovery(folder: Path, damage: DataFileDamaged, parent: QWidget | None = None) -> bool:
    """At start, the data file cannot be used: offer the newest verified backup, or another
    one, or (when there is none) a fresh data file with the damaged one kept aside.
    True when the data file is usable now."""
    newest = backups.newest_sound_backup(backup_dir(folder))
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, str(damage), parent=parent)
    box.setObjectName("recoveryBox")
    restore_newest = choose = fresh = None
    if newest is not None:
        box.setInformativeText("Có thể khôi phục từ bản sao lưu gần nhất đã kiểm tra là tốt:\n"
                               + backup_summary(newest))
        restore_newest = box.addButton("Khôi phục bản này", QMessageBox.ButtonRole.AcceptRole)
        choose = box.addButton("Chọn bản sao lưu khác…", QMessageBox.ButtonRole.ActionRole)
    else:
        box.setInformativeText("Không tìm thấy bản sao lưu nào dùng được trong thư mục "
                               f"“{backup_dir(folder)}”. Có thể bắt đầu với tệp dữ liệu mới; tệp hỏng "
                               "được giữ lại nguyên vẹn để nhờ kỹ thuật viên cứu dữ liệu.")
        fresh = box.addButton("Bắt đầu với tệp dữ liệu mới", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Thoát", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked is restore_newest:
        return restore(folder, newest.path, parent)
    if clicked is choose:
        return BackupDialog(folder, store=None, parent=parent).exec() == QDialog.Accepted
    if clicked is fresh:
        try:
            kept = backups.set_aside(db_path(folder), backup_dir(folder))
        except StoreError as exc:
            QMessageBox.critical(parent, APP_NAME, str(exc))
            return False
        QMessageBox.information(parent, APP_NAME, f"Tệp dữ liệu hỏng đã được giữ lại ở “{kept}”.")
        return True
    return False


class BackupDialog(QDialog):
    """Báo cáo → Sao lưu và khôi phục…: the backups, newest first, each read through.

    ``store`` is the open Store when called from the window (back up now, copy out), None at a
    start-up whose data file is damaged. Accepted means a backup was restored: the caller opens
    the data file again."""

    COLUMNS = ("Thời gian", "Lý do", "Các báo cáo trong bản sao lưu", "Dung lượng", "Kiểm tra")

    def __init__(self, folder: Path, store=None, unit_name: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.folder, self.store, self.unit_name = Path(folder), store, unit_name
        self.setWindowTitle(MENU_TEXT.rstrip("…"))
        self.setObjectName("backupDialog")
        fit(self, 900, 420)
        self.checks: list[backups.BackupCheck] = []
        intro = QLabel("Các bản sao lưu trong thư mục “%s”, mới nhất ở trên. Mỗi bản đã được đọc lại để kiểm "
                       "tra: ✓ dùng được để khôi phục, ✗ bị hỏng. Khi khôi phục, dữ liệu hiện tại được giữ lại "
                       "thành một bản sao lưu trước." % backup_dir(folder))
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("backupTable")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.itemSelectionChanged.connect(self._selected)
        self.restore_button = QPushButton("Khôi phục bản đã chọn")
        self.restore_button.clicked.connect(self.restore_selected)
        self.backup_button = QPushButton("Sao lưu ngay")
        self.backup_button.clicked.connect(self.backup_now)
        self.copy_button = QPushButton("Sao lưu ra USB hoặc thư mục khác…")
        self.copy_button.clicked.connect(self.copy_out)
        self.file_button = QPushButton("Khôi phục từ tệp khác…")
        self.file_button.setToolTip("Một bản sao lưu đã chép ra USB hoặc thư mục khác (tệp .sqlite).")
        self.file_button.clicked.connect(self.restore_file)
        for button in (self.backup_button, self.copy_button):
            button.setVisible(store is not None)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for w in (self.restore_button, self.file_button, self.backup_button, self.copy_button):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        self.reload()

    def reload(self) -> None:
        self.checks = [backups.inspect_backup(info.path) for info in backups.list_backups(backup_dir(self.folder))]
        self.table.setRowCount(len(self.checks))
        damaged = assets.colour("damaged")
        for row, check in enumerate(self.checks):
            cells = (f"{check.created:%d/%m/%Y %H:%M:%S}", backups.reason_label(check.reason),
                     "; ".join(check.reports) or ("—" if check.ok else check.problem or ""),
                     f"{check.size / 1024:,.0f} KB".replace(",", "."), "✓ dùng được" if check.ok else "✗ bị hỏng")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(check.problem or str(check.path))
                if not check.ok:
                    item.setForeground(damaged)
                self.table.setItem(row, column, item)
        head = self.table.horizontalHeader()
        for column in range(len(self.COLUMNS)):
            head.setSectionResizeMode(column, head.ResizeMode.Stretch if column == 2 else
                                      head.ResizeMode.ResizeToContents)
        first_ok = next((i for i, c in enumerate(self.checks) if c.ok), None)
        if first_ok is not None:
            self.table.selectRow(first_ok)
        self._selected()

    def selected(self) -> backups.BackupCheck | None:
        rows = self.table.selectionModel().selectedRows()
        return self.checks[rows[0].row()] if rows else None

    def _selected(self) -> None:
        check = self.selected()
        self.restore_button.setEnabled(check is not None and check.ok)

    def restore_selected(self) -> None:
        check = self.selected()
        if check is not None and check.ok:
            self._restore(check)

    def restore_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Chọn tệp sao lưu để khôi phục", str(Path.home()),
                                              "Tệp dữ liệu CCHC Desktop (*.sqlite);;Mọi tệp (*)")
        if not name:
            return
        check = backups.inspect_backup(Path(name))
        if not check.ok:
            QMessageBox.critical(self, APP_NAME, f"Không khôi phục từ tệp “{name}” được: {check.problem} "
                                                 "Dữ liệu hiện tại vẫn giữ nguyên. Hãy chọn tệp khác.")
            return
        self._restore(check)

    def _restore(self, check: backups.BackupCheck) -> None:
        if not ask(self, APP_NAME, backup_summary(check) + "\n\nKhôi phục bản này? Dữ liệu hiện tại được giữ lại "
                   "thành một bản sao lưu trước khi khôi phục, nên có thể quay lại nếu cần.",
                   yes="Khôi phục", no="Không khôi phục"):
            return
        self.chosen = check.path
        if self.store is not None:
            self.accept()  # the window closes its store, then calls restore()
        elif restore(self.folder, check.path, self):
            self.accept()

    def backup_now(self) -> None:
        try:
            made = backups.make_backup(self.store, backup_dir(self.folder), reason="thu-cong")
        except StoreError as exc:
            QMessageBox.critical(self, APP_NAME, str(exc))
        else:
            QMessageBox.information(self, APP_NAME, f"Đã sao lưu vào “{made.name}”.")
        self.reload()

    def copy_out(self) -> None:
        copy_out(self.store, self.unit_name, self)


def copy_out(store, unit_name: str, parent: QWidget | None) -> Path | None:
    """Báo cáo → Sao lưu ra…: a verified copy of the whole data file in a folder the clerk picks."""
    folder = QFileDialog.getExistingDirectory(parent, "Chọn USB hoặc thư mục để chép bản sao lưu", str(Path.home()))
    if not folder:
        return None
    try:
        made = backups.copy_out(store, Path(folder), unit_name)
    except StoreError as exc:
        QMessageBox.critical(parent, APP_NAME, str(exc))
        return None
    QMessageBox.information(parent, APP_NAME, f"Đã chép bản sao lưu đã kiểm tra ra “{made}”.\n\n"
                                              "Khi cần, dùng tệp này trong “Sao lưu và khôi phục” để khôi phục.")
    return made

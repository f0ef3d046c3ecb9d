"""The main window: menus, the report's tabs, the issues dock and the status bar (counts,
saved state). It opens, switches and closes reports; everything inside a report lives in
ReportTabs."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QDockWidget, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QPushButton,
                               QVBoxLayout, QWidget)

from cchc_desktop.core.catalog import CatalogError, CatalogRegistry
from cchc_desktop.errors import CchcError
from cchc_desktop.system.logs import log
from cchc_desktop.gui import assets
from cchc_desktop.gui.ask import ask
from cchc_desktop.gui.place import SETTING, Place
from cchc_desktop.gui.editing import EditController
from cchc_desktop.gui.issues_panel import IssuesList
from cchc_desktop.gui.report_tabs import ReportTabs
from cchc_desktop.services.reports import report_label
from cchc_desktop.services.session import Edit, ReportSession
from cchc_desktop.storage.store import RESTORE_MENU_ITEM, Store, StoreError
from cchc_desktop.core.vocabulary import COUNTED, counts_text, status_label

if TYPE_CHECKING:
    from cchc_desktop.gui.find_bar import FindBar

APP_TITLE = "CCHC Desktop"
SAMPLE_NOTICE = ("Đây là báo cáo mẫu (xã Bình Phước, năm 2023), mở riêng để xem và thử: sửa gì cũng không ảnh hưởng "
                 "dữ liệu của đơn vị, và mẫu không nằm trong danh sách báo cáo. Để làm báo cáo của mình: "
                 "Báo cáo → Mở, tạo hoặc xóa báo cáo… (Ctrl+O).")
SETTINGS_FILE = "cchc-desktop.ini"
PLACE_DELAY_MS = 1000


class CountsLabel(QWidget):
    """Always-visible error and warning counts, each with its icon."""

    def __init__(self):
        super().__init__()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 0, 4, 0)
        lay.setSpacing(4)
        self.labels = {}
        for sev, word in COUNTED.items():
            icon = QLabel()
            icon.setPixmap(assets.icon(sev).pixmap(QSize(14, 14), self.devicePixelRatioF()))
            text = QLabel()
            text.setObjectName(f"count:{sev}")
            lay.addWidget(icon)
            lay.addWidget(text)
            self.labels[sev] = (text, word)
        self.setObjectName("counts")

    def show_counts(self, state) -> None:
        for sev, (label, word) in self.labels.items():
            label.setText(f"{state.count(sev)} {word}")


class MainWindow(QMainWindow):
    def __init__(self, store: Store, data_dir: Path, registry: CatalogRegistry | None = None):
        super().__init__()
        self.store, self.data_dir = store, Path(data_dir)
        self.registry = registry or CatalogRegistry()
        self.settings = QSettings(str(self.data_dir / SETTINGS_FILE), QSettings.IniFormat)
        self.session: ReportSession | None = None
        self.sample_store: Store | None = None  # the sample's own temporary data file, while it is open
        self.controller: EditController | None = None
        self.view: ReportTabs | None = None
        self._save_error = ""
        self._focus_before_find = None
        self._last_found: str | None = None
        # where the clerk is, written a moment after the cursor stops moving (one small write,
        # not one per Tab) and at once when the report closes
        self._place_timer = QTimer(self, singleShot=True, interval=PLACE_DELAY_MS, timeout=self._keep_place)
        self.setWindowIcon(assets.icon("app"))
        self.setWindowTitle(APP_TITLE)

        self._find_bar: FindBar | None = None  # built at the first Ctrl+F: hidden until then
        self.banner = QLabel()
        assets.role(self.banner, "saveBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.empty = self._empty_page()
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body_layout.setSpacing(0)
        self.body_layout.addWidget(self.banner)
        self.notice = QLabel()  # a complete report reopened by an edit: said at the top, with why
        assets.role(self.notice, "noticeBar")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.body_layout.addWidget(self.notice)
        self.body_layout.addWidget(self.empty, 1)
        self.setCentralWidget(self.body)

        self.issues = IssuesList("dockIssues")
        self.dock = QDockWidget("Lỗi và cảnh báo", self)
        self.dock.setObjectName("issuesDock")
        self.dock.setWidget(self.issues)
        self.dock.setFeatures(QDockWidget.DockWidgetClosable | QDockWidget.DockWidgetMovable)
        self.addDockWidget(Qt.BottomDockWidgetArea, self.dock)
        self.resizeDocks([self.dock], [96], Qt.Vertical)
        self.issues.jump.connect(lambda ident, column: self.view and self.view.reveal(ident, column))

        self.counts = CountsLabel()
        self.save_state = QLabel()
        assets.role(self.save_state, "saveState")
        self.statusBar().addPermanentWidget(self.counts)
        self.statusBar().addPermanentWidget(self.save_state)
        self._build_menus()

    # -- menus -------------------------------------------------------------------------
    def _build_menus(self) -> None:
        report_menu = self.menuBar().addMenu("&Báo cáo")
        self.act_reports = self._action(report_menu, "&Mở, tạo hoặc xóa báo cáo…", "Ctrl+O", self.choose_report)
        self.act_profile = self._action(report_menu, "&Thông tin đơn vị…", None, self.edit_profile)
        self.act_complete = self._action(report_menu, "Đánh dấu &hoàn thành", "Ctrl+Shift+H", self.mark_complete)
        self.act_history = self._action(report_menu, "&Lịch sử thay đổi…", None, lambda: self.show_history())
        self.act_template = self._action(report_menu, "Mẫu Word của tỉnh…", None, self.edit_word_template)
        self.act_catalog = self._action(report_menu, "Cài bộ biểu mẫu của tỉnh…", None, self.install_catalog)
        self.act_rollup = self._action(report_menu, "Tổng hợp báo cáo các xã…", None, self.show_rollup)
        report_menu.addSeparator()
        self.act_copy_out = self._action(report_menu, "Sao lưu &ra…", None, self.copy_out)
        self.act_backups = self._action(report_menu, RESTORE_MENU_ITEM, None, self.show_backups)
        report_menu.addSeparator()
        self._action(report_menu, "T&hoát", "Ctrl+Q", self.close)
        edit_menu = self.menuBar().addMenu("&Sửa")
        self.act_undo = self._action(edit_menu, "&Hoàn tác", "Ctrl+Z", self.undo)
        self.act_redo = self._action(edit_menu, "&Làm lại", "Ctrl+Y", self.redo)
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        edit_menu.addSeparator()
        self.act_find = self._action(edit_menu, "&Tìm dòng…", "Ctrl+F", self.find)
        view_menu = self.menuBar().addMenu("&Xem")
        toggle = self.dock.toggleViewAction()
        toggle.setText("Bảng &lỗi và cảnh báo")
        toggle.setShortcut(QKeySequence("F8"))
        view_menu.addAction(toggle)
        self._action(view_menu, "Chuyển giữa &biểu mẫu và phần lời", "F6",
                     lambda: self.view is not None and self.view.toggle_focus())
        help_menu = self.menuBar().addMenu("&Trợ giúp")
        # Qt prints "F1" beside the item itself
        self.act_guide = self._action(help_menu, "&Hướng dẫn sử dụng", "F1", self.show_guide)
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)

    def _action(self, menu, text, shortcut, slot) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _empty_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addStretch(1)
        text = QLabel("Chưa mở báo cáo nào.")
        text.setAlignment(Qt.AlignCenter)
        lay.addWidget(text)
        button = QPushButton("Mở hoặc tạo báo cáo…")
        button.clicked.connect(self.choose_report)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)
        return page

    # -- opening a report --------------------------------------------------------------
    def open_report(self, report_id: int, store: Store | None = None) -> bool:
        """A report of the clerk's data file, or of `store` (the sample's own temporary file)."""
        try:
            session = ReportSession(store or self.store, report_id, self.registry, defer_prose=True)
        except (StoreError, CatalogError) as exc:
            QMessageBox.warning(self, "Không mở được báo cáo", str(exc))
            return False
        self.close_report()
        self.session = session
        self.controller = EditController(session, self)
        self.controller.saved.connect(self._saved)
        self.controller.pending.connect(self._saving)
        self.controller.save_failed.connect(self._save_failed)
        self.controller.refused.connect(self._refused)
        self.controller.cleaned.connect(lambda n: self.statusBar().showMessage(
            f"Đã bỏ {n} ký tự điều khiển không nhìn thấy được (thường có khi dán từ chương trình khác); "
            "ngắt dòng của Word được giữ thành xuống dòng.", 15000))
        # always on while a report is open: text typed in the last pause is not on the stack
        # yet, and undo saves it first and then takes it back
        self.act_undo.setEnabled(True)
        self.controller.stack.canRedoChanged.connect(self.act_redo.setEnabled)
        self.view = ReportTabs(self.controller, self.registry, self.settings)
        self.view.issues_changed.connect(self._show_counts)
        self.view.status.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.view.place_changed.connect(self._place_timer.start)
        self.view.history_asked.connect(lambda key, kind: self.show_history(key, kind))
        session.subscribe(self._on_edit)
        self.empty.hide()
        self.body_layout.addWidget(self.view, 1)
        if store is None:  # the sample is never what the next start reopens
            self.settings.setValue("last_report", report_id)
        else:
            self.sample_store = store
            self.notice.setText(SAMPLE_NOTICE)
            self.notice.show()
        self._save_error = ""
        self.banner.hide()
        self.save_state.setText("Đã lưu")
        self._show_counts()
        self._update_title()
        place = Place.loads(self.settings.value(SETTING.format(report_id=report_id))) if store is None else None
        if place is None or not self.view.go_to(place):
            self.view.focus_start()
        self._place_timer.stop()  # opening is not moving
        # the figures typed in the prose are checked once the window is on screen
        QTimer.singleShot(0, lambda s=session: s is self.session and s.check_prose())
        return True

    def _keep_place(self) -> None:
        """Where the cursor is now, for the next start of this report (gui/place); the sample's
        place is not kept, it is never reopened."""
        if self.view is None or self.session is None or self.session.store is not self.store:
            return
        self.settings.setValue(SETTING.format(report_id=self.session.report_id), self.view.place().dumps())
        self.settings.sync()  # a power cut a second later still finds it

    def close_report(self) -> None:
        if self.view is None:
            return
        self._place_timer.stop()
        self._keep_place()
        self.controller.close()
        self.view.detach()
        self.session.unsubscribe(self._on_edit)
        self.body_layout.removeWidget(self.view)
        self.view.deleteLater()
        self.controller.deleteLater()
        self.view = self.controller = self.session = None
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)
        self.empty.show()
        self.notice.hide()
        self.setWindowTitle(APP_TITLE)
        if self.sample_store is not None:
            self._drop_sample()

    def open_sample_report(self) -> bool:
        """"Mở báo cáo mẫu": xã Bình Phước 2023 in a data file of its own, in a temporary folder,
        so it never joins the clerk's list of reports; it goes when another report opens or the
        window closes."""
        import tempfile

        from cchc_desktop.gui.report_picker import open_sample

        folder = Path(tempfile.mkdtemp(prefix="cchc-bao-cao-mau-"))
        try:
            store = Store.open(folder)
            rid = open_sample(store, self.registry)
        except CchcError as exc:  # a damaged install (the sample or catalog missing): its message says reinstall
            shutil.rmtree(folder, ignore_errors=True)
            QMessageBox.warning(self, "Chưa mở được báo cáo mẫu", str(exc))
            return False
        if not self.open_report(rid, store):
            store.close()
            shutil.rmtree(folder, ignore_errors=True)
            return False
        return True

    def _drop_sample(self) -> None:
        store, self.sample_store = self.sample_store, None
        folder = Path(store.path).parent
        store.close()
        shutil.rmtree(folder, ignore_errors=True)

    def _on_edit(self, edit: Edit) -> None:
        if edit.kind in ("header", "status"):
            self._update_title()
        if edit.kind == "status":
            why = self.session.reopened if self.session is not None and edit.key == "draft" else None
            self.notice.setText(why or "")
            self.notice.setVisible(bool(why))

    # -- status --------------------------------------------------------------------------
    def _show_counts(self) -> None:
        if self.session is None:
            return
        state = self.session.state
        self.counts.show_counts(state)
        self.issues.show_issues(state)
        self.dock.setWindowTitle(f"Lỗi và cảnh báo — {counts_text(state.count, ', ')}")

    def _saved(self, when) -> None:
        self._save_error = ""
        self.banner.hide()
        if self.controller is not None and not self.controller.all_saved:
            self._saving()  # another editor's text is still waiting for its save
            return
        self._show_save_state(f"Đã lưu lúc {when:%H:%M:%S}", unsaved=False)

    def _saving(self) -> None:
        if not self._save_error:
            self._show_save_state("Đang lưu…", unsaved=False)

    def _show_save_state(self, text: str, unsaved: bool) -> None:
        self.save_state.setProperty("unsaved", unsaved)
        self.save_state.setText(text)
        self._repolish(self.save_state)
        self._update_title()

    def _save_failed(self, message: str) -> None:
        first = not self._save_error
        self._save_error = message
        self._show_save_state("Chưa lưu", unsaved=True)
        self.banner.setText(f"Chưa lưu được thay đổi. Nội dung bạn gõ vẫn còn trên màn hình và chương trình sẽ tự "
                            f"thử lưu lại sau vài giây.\n{message}")
        self.banner.show()
        self.statusBar().showMessage(message, 30000)
        if first:
            QApplication.beep()

    def _refused(self, kind: str, key: str, message: str) -> None:
        then = ("Các ô ở Thông tin chung chưa được lưu cho đến khi sửa lại." if kind == "report" else
                "Nội dung vừa gõ hoặc dán chưa được nhận; ô đã trở lại nội dung đã lưu.")
        self.banner.setText(f"{message}\n{then}")
        self.banner.show()
        self.statusBar().showMessage(message, 30000)
        if self.view is not None:
            self.view.show_saved(kind, key)
        if self.controller is not None and self.controller.all_saved:
            last = self.controller.last_saved
            self._show_save_state(f"Đã lưu lúc {last:%H:%M:%S}" if last else "Đã lưu", unsaved=False)
        QApplication.beep()

    @staticmethod
    def _repolish(widget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def _update_title(self) -> None:
        if self.session is None:
            self.setWindowTitle(APP_TITLE)
            return
        report = self.session.report
        unit = report.get("unit_name") or "Chưa có tên đơn vị"
        state = ("Chưa lưu" if self._save_error else
                 "Đang lưu…" if self.controller is not None and not self.controller.all_saved else "Đã lưu")
        done = f" — {status_label('complete')}" if report.get("status") == "complete" else ""
        sample = "BÁO CÁO MẪU — " if self.session.store is self.sample_store else ""
        self.setWindowTitle(f"{sample}{unit} — Báo cáo CCHC {report_label(report)}{done} — {state} — {APP_TITLE}")

    # -- actions -------------------------------------------------------------------------
    def undo(self) -> None:
        if self.controller is not None:
            self.controller.undo()

    def redo(self) -> None:
        if self.controller is not None:
            self.controller.redo()

    def mark_complete(self) -> None:
        if self.view is not None:
            check = self.view.check_tab()
            self.view.setCurrentIndex(self.view.indexOf(check.parentWidget()))
            if self.session.report.get("status") != "complete":  # the menu item only ever marks
                check.mark_complete()

    def show_guide(self) -> None:
        from cchc_desktop.gui.guide_dialog import show_guide  # imported when asked: not at start

        show_guide(self)

    def show_history(self, target: str | None = None, kind: str | None = None) -> None:
        """The report's changes (Báo cáo → Lịch sử thay đổi…), or one cell's or section's (its
        context menu); "Lấy lại giá trị này" puts an old text back through the edit path."""
        if self.session is None or self.controller is None:
            return
        from cchc_desktop.gui.history_dialog import HistoryDialog

        self.controller.flush()
        s = self.session
        HistoryDialog(s.store, s.report_id, s.catalog, self._restore_change, target=target, kind=kind,
                      next_period=s.report["next_period_label"], parent=self).exec()

    def _restore_change(self, entry) -> None:
        from cchc_desktop.storage.history import restore_args

        c = self.controller
        c.flush()
        if entry.kind == "header":
            c.update_report(**restore_args(entry))
            if self.view is not None:
                self.view.refresh_header()
        else:
            c.end_cell()  # its own undo step, never merged into the typing before it
            c.edit(entry.kind, entry.key, entry.old or "")
            c.end_cell()

    @property
    def find_bar(self) -> FindBar:
        if self._find_bar is None:
            from cchc_desktop.gui.find_bar import FindBar

            self._find_bar = FindBar()
            self._find_bar.jump.connect(self._found)
            self._find_bar.closed.connect(self._find_closed)
            self.body_layout.insertWidget(self.body_layout.indexOf(self.banner) + 1, self._find_bar)
        return self._find_bar

    def find(self) -> None:
        if self.session is not None:
            self._focus_before_find = QApplication.focusWidget()
            self._last_found = None
            self.find_bar.open_bar(self.session.catalog, self.view.current_form() if self.view else None)

    def _found(self, ident: str) -> None:
        self._last_found = ident
        if self.view is not None:
            self.view.reveal(ident)

    def _find_closed(self) -> None:
        # back to the row last found, or to where the clerk was before Ctrl+F
        if self.view is not None and self._last_found:
            self.view.reveal(self._last_found)
        elif self._focus_before_find is not None:
            self._focus_before_find.setFocus()

    def choose_report(self) -> None:
        from cchc_desktop.gui.report_picker import SAMPLE, ReportPicker

        if self.controller is not None:
            self.controller.flush()
        picker = ReportPicker(self.store, self.registry, self.data_dir,
                              self.session.report_id if self.session else None, self)
        if picker.exec() and picker.chosen == SAMPLE:
            self.open_sample_report()
        elif picker.chosen is not None and picker.result():
            self.open_report(picker.chosen)
        elif self.session is not None and self.session.store is self.store \
                and not self._report_exists(self.session.report_id):
            self.close_report()  # the open report was deleted in the picker

    def _report_exists(self, report_id: int) -> bool:
        return any(r["id"] == report_id for r in self.store.list_reports())

    def _flush(self) -> None:
        if self.controller is not None:
            self.controller.flush()

    def copy_out(self) -> None:
        from cchc_desktop.gui import recovery  # not at start: the backup dialogs are for later

        self._flush()
        profile = self.store.get_profile() or {}
        recovery.copy_out(self.store, profile.get("name") or (self.session.report.get("unit_name")
                                                            if self.session else ""), self)

    def show_backups(self) -> None:
        from cchc_desktop.gui import recovery

        self._flush()
        profile = self.store.get_profile() or {}
        dialog = recovery.BackupDialog(self.data_dir, self.store, profile.get("name", ""), self)
        if dialog.exec() != recovery.QDialog.Accepted:
            return
        # the report on screen is saved; it is closed with the file it came from before the
        # restore replaces that file, so nothing stale is written over the restored data
        self.close_report()
        self.store.close()
        recovery.restore(self.data_dir, dialog.chosen, self)
        try:
            self.store = Store.open(self.data_dir)
        except StoreError as exc:  # a failed restore leaves the file as it was; this is the rest
            QMessageBox.critical(self, APP_TITLE, str(exc))
            self.close()
            return
        self.start()

    def show_rollup(self) -> None:
        """Báo cáo → Tổng hợp báo cáo các xã…: the province's roll-up of the communes' files."""
        from cchc_desktop.gui.rollup_window import RollupWindow  # imported when asked

        RollupWindow(self.registry, self).exec()

    def install_catalog(self) -> None:
        """Báo cáo → Cài bộ biểu mẫu của tỉnh…: new reports use it; the open one keeps its own."""
        from cchc_desktop.gui.catalog_install_dialog import install_catalog  # imported when asked

        if install_catalog(self, self.registry) is not None:
            self.statusBar().showMessage(f"Báo cáo tạo mới sẽ lập theo bộ biểu mẫu {self.registry.latest().version}.", 15000)

    def edit_word_template(self) -> None:
        from cchc_desktop.gui.template_dialog import TemplateDialog  # imported when asked: not at start

        TemplateDialog(self.data_dir, self.registry, self).exec()

    def edit_profile(self, first_run: bool = False) -> bool:
        from cchc_desktop.gui.profile_dialog import ProfileDialog, offer_to_apply

        self._flush()  # header typing still waiting to be saved is saved before the profile
        before = self.store.get_profile()
        dialog = ProfileDialog(self.store, first_run=first_run, parent=self)
        if not dialog.exec():
            return False
        # drafts still carrying the previous signer and recipients: asked; the open one
        # changes through its session and undo stack
        offer_to_apply(self, self.store, before, self.store.get_profile(), self.controller)
        if self.session is not None:
            # the unit's name is the profile's: the open report is named by the one just saved
            self.session.report = self.store.get_report(self.session.report_id)
            if self.view is not None:
                self.view.refresh_header()
            self._update_title()
        return True

    def start(self) -> None:
        """First run: the welcome (unit profile), then create a report or open the sample.
        Afterwards: the report that was open last."""
        skipped = self.registry.problems_message()
        if skipped:  # said once at start; reports on the other catalogs open as usual
            log.warning("shown to the clerk: %s", skipped)
            QMessageBox.warning(self, APP_TITLE, skipped)
        reports = self.store.list_reports()
        if not reports:
            if self.store.get_profile() is None:
                self.edit_profile(first_run=True)
            self.choose_report()
            return
        last = self.settings.value("last_report")
        ids = [r["id"] for r in reports]
        try:
            last = int(last)
        except (TypeError, ValueError):
            last = None
        self.open_report(last if last in ids else ids[0])

    def closeEvent(self, event) -> None:
        if self.controller is not None:
            self.controller.close()
            if self.controller.unsaved:
                if not ask(self, "Còn thay đổi chưa lưu",
                           "Vẫn chưa lưu được một số thay đổi vào tệp dữ liệu:\n"
                           f"{self._save_error}\n\nVẫn đóng chương trình? (Những thay đổi đó sẽ mất.)",
                           yes="Vẫn đóng", no="Không đóng"):
                    event.ignore()
                    return
        self._place_timer.stop()
        self._keep_place()
        self.settings.sync()
        if self.sample_store is not None:
            self.close_report()  # the sample's temporary folder goes with it
        super().closeEvent(event)

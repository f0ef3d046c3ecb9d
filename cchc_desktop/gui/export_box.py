"""The export part of Kiểm tra và xuất: where the files go, a final and a draft button, and
progress. Errors block the final export but not the draft; warnings block nothing.

A target open in Word or Excel (or a folder that cannot be written) does not end the
export: the clerk is offered another name or folder, and the file is written there. After an
export the files are one click away: "Mở tệp" (Word, or Excel when only that was written),
"Mở thư mục", "In…" — the operating system opens or prints them with the clerk's own programs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QApplication, QCheckBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QMessageBox, QProgressBar, QPushButton, QScrollArea, QVBoxLayout)

from cchc_desktop.gui.ask import ask

NO_EXPORT = "Chức năng xuất Word/Excel chưa có trong bản này."
NOT_OPENED = ("Máy chưa mở được “{path}”. Hãy mở thư mục chứa tệp (nút “Mở thư mục”) rồi mở tệp bằng Word "
              "hoặc Excel; nếu máy chưa cài Word/Excel, có thể dùng LibreOffice.")
NO_PRINT = ("Máy này không in thẳng được từ chương trình. Hãy bấm “Mở tệp”, rồi in từ Word "
            "(Tệp → In, hoặc Ctrl+P).")


def open_with_system(path: Path) -> bool:
    """The clerk's own program for the file (Word, Excel) or the file manager for a folder."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def print_with_system(path: Path) -> bool:
    """Windows prints a document with the program registered for it (Word), as Explorer's
    "Print" does; other systems have no such verb, so the clerk is told to print from Word."""
    if sys.platform != "win32":
        return False
    try:
        os.startfile(str(path), "print")  # type: ignore[attr-defined]  # Windows only
    except OSError:
        return False
    return True


class ExportBox(QGroupBox):
    def __init__(self, controller, registry, settings):
        super().__init__("Xuất Word và Excel")
        self.controller, self.session = controller, controller.session
        self.registry, self.settings = registry, settings

        self.folder = QLineEdit(str(settings.value("export_dir", "") or self._default_folder()))
        self.folder.setObjectName("exportFolder")
        self.folder.setAccessibleName("Thư mục lưu tệp xuất")
        choose = QPushButton("Chọn…")
        choose.setObjectName("chooseExportFolder")
        choose.clicked.connect(self.choose_folder)
        self.word = QCheckBox("Báo cáo Word")
        self.excel = QCheckBox("Phụ lục Excel")
        self.appendix = QCheckBox("Kèm biểu mẫu trong Word")
        for box in (self.word, self.excel, self.appendix):
            box.setChecked(True)
        self.final_button = QPushButton("Xuất bản chính thức")
        self.final_button.setObjectName("exportFinal")
        self.final_button.clicked.connect(lambda: self.export(draft=False))
        self.draft_button = QPushButton("Xuất bản dự thảo")
        self.draft_button.setObjectName("exportDraft")
        self.draft_button.clicked.connect(lambda: self.export(draft=True))
        self.progress = QProgressBar()
        self.progress.setObjectName("exportProgress")
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.message = QLabel()
        self.message.setObjectName("exportMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.written: list[Path] = []  # the last export's files, for the buttons below
        self.open_button = QPushButton("Mở tệp")
        self.open_button.setObjectName("openExported")
        self.open_button.clicked.connect(lambda: self._open(self.main_file()))
        self.folder_button = QPushButton("Mở thư mục")
        self.folder_button.setObjectName("openExportFolder")
        self.folder_button.clicked.connect(lambda: self._open(self.main_file().parent))
        self.print_button = QPushButton("In…")
        self.print_button.setObjectName("printExported")
        self.print_button.clicked.connect(self._print)
        self.after = (self.open_button, self.folder_button, self.print_button)
        for button in self.after:
            button.setEnabled(False)

        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Lưu vào:"))
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        lay.addLayout(row)
        row = QHBoxLayout()
        for box in (self.word, self.excel, self.appendix):
            row.addWidget(box)
        row.addStretch(1)
        lay.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.final_button)
        row.addWidget(self.draft_button)
        lay.addLayout(row)
        lay.addWidget(self.progress)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        for button in self.after:
            row.addWidget(button)
        row.addStretch(1)
        lay.addLayout(row)

    @staticmethod
    def _default_folder() -> Path:
        try:
            from cchc_desktop.services.export_files import default_folder
        except ImportError:
            return Path.home()
        return default_folder()

    def update_state(self) -> None:
        state = self.session.state
        blocking = state.blocking_count
        cited = len(state.final_blockers) - blocking
        self.final_button.setEnabled(blocking == 0 and cited == 0)
        if blocking:
            why = (f"Còn {blocking} lỗi: sửa hết lỗi mới xuất bản chính thức được; "
                   "bản dự thảo thì xuất được ngay.")
        elif cited:
            why = (f"Phần lời còn {cited} chỗ chèn số liệu của dòng đang trống (bản in sẽ ghi “…”): nhập số liệu "
                   "hoặc xóa chỗ chèn mới xuất bản chính thức được; bản dự thảo thì xuất được ngay.")
        else:
            why = ""
        self.final_button.setToolTip(why)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục lưu tệp Word/Excel", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def export(self, *, draft: bool) -> list[Path]:
        self.controller.flush()
        if not draft and not self._blanks_accepted():
            return []
        try:
            from cchc_desktop.services.export_files import ExportError, default_paths, export_view, printed_report
        except ImportError:
            self.message.setText(NO_EXPORT)
            return []
        folder = Path(self.folder.text().strip() or self._default_folder())
        self.settings.setValue("export_dir", str(folder))
        view = printed_report(self.session.store, self.session.report_id, self.registry)
        template = self.word_template()
        docx, xlsx = default_paths(view, folder, draft=draft)
        targets = [("docx", docx)] * self.word.isChecked() + [("xlsx", xlsx)] * self.excel.isChecked()
        if not targets:
            self.message.setText("Hãy chọn ít nhất một loại tệp: Báo cáo Word hoặc Phụ lục Excel.")
            return []
        self.progress.setValue(0)
        self.progress.show()
        written: list[Path] = []
        try:
            for n, (kind, path) in enumerate(targets):
                while path is not None:
                    step = lambda pct, what, n=n: self._step((n * 100 + pct) // len(targets), what)  # noqa: E731
                    try:
                        written += export_view(view, **{kind: path}, draft=draft, appendix=self.appendix.isChecked(),
                                               progress=step, template=template.path)
                        path = None
                    except ExportError as exc:
                        path = self._another(exc)
                        if path is None:
                            self._say(str(exc))
                            self._remember(written)
                            return written
        finally:
            self.progress.hide()
        kind = "bản dự thảo" if draft else "bản chính thức"
        notice = f"\n\n{template.notice}" if template.notice and self.word.isChecked() else ""
        self._say(f"Đã xuất {kind}:\n" + "\n".join(str(p) for p in written) + notice)
        self._remember(written)
        return written

    def word_template(self):
        """The Word template of the data folder (the province's when installed and sound, else the
        built-in one, with why). The window's settings file lives in the data folder, so its folder
        is the data folder, also while the sample (with its own temporary data file) is open."""
        from cchc_desktop.services.word_template import active_template

        name = self.settings.fileName() if self.settings.format() == self.settings.Format.IniFormat else ""
        return active_template(Path(name).parent if name else None)

    def _blanks_accepted(self) -> bool:
        """Blank rows and unwritten sections are legitimate (a row that does not apply): a final
        export lists them and asks, as "Đánh dấu hoàn thành" does, but never refuses."""
        from cchc_desktop.core.completeness import completeness

        written = completeness(self.session.state, self.session.narratives)
        return written.whole or ask(self, "Báo cáo còn chỗ trống",
                                    written.question(self.session.state, "xuất bản chính thức"),
                                    yes="Vẫn xuất bản chính thức", no="Không")

    def _say(self, text: str) -> None:
        """The message, scrolled into view: on a small screen the column scrolls."""
        self.message.setText(text)
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            QApplication.processEvents()  # the wrapped label takes its height first
            parent.ensureWidgetVisible(self.message)

    def _remember(self, written: list[Path]) -> None:
        self.written = list(written)
        for button in self.after:
            button.setEnabled(bool(written))
        if written:
            main = self.main_file()
            self.open_button.setToolTip(f"Mở {main.name}")
            self.folder_button.setToolTip(f"Mở thư mục {main.parent}")
            self.print_button.setToolTip(f"In {main.name}" + ("" if main.suffix == ".docx" else " (Excel)"))

    def main_file(self) -> Path:
        """The report itself when it was written, else the appendix."""
        return next((p for p in self.written if p.suffix == ".docx"), self.written[0])

    def _open(self, path: Path) -> None:
        if not path.exists():
            QMessageBox.warning(self, "Không còn tệp", f"Không thấy “{path}” nữa (có thể đã bị chuyển hoặc xoá). "
                                "Hãy xuất lại.")
        elif not open_with_system(path):
            QMessageBox.warning(self, "Chưa mở được", NOT_OPENED.format(path=path))

    def _print(self) -> None:
        path = self.main_file()
        if not path.exists():
            self._open(path)  # says the file is gone
        elif not print_with_system(path):
            QMessageBox.information(self, "In báo cáo", NO_PRINT)

    def _step(self, pct: int, what: str) -> None:
        self.progress.setValue(pct)
        self.message.setText(what)
        QApplication.processEvents()

    def _another(self, exc) -> Path | None:
        """Offer the other name (locked file) or folder (read-only folder); None = give up."""
        if exc.suggestion is None:
            QMessageBox.warning(self, "Chưa xuất được", str(exc))
            return None
        keep = ask(self, "Chưa xuất được", f"{exc}\n\nLưu vào “{exc.suggestion}”?", yes="Lưu vào đó",
                   no="Không", default_yes=True)
        return Path(exc.suggestion) if keep else None

"""Báo cáo → Mẫu Word của tỉnh…: which Word template the reports are written with, and installing
the province's own.

The clerk chooses a .docx; it is checked (services.word_template: a real Word file, no zip bomb,
no DOCTYPE/ENTITY, every named style the report needs) and page 1 of the built-in sample report
is shown as it would print with it (formats.template_preview: its page margins, fonts, sizes,
colours, alignment) before "Cài mẫu này". A file that lacks styles is refused with their names and
the offer to save the built-in template out, the place a province's restyle should start from.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.gui import assets
from cchc_desktop.gui.ask import ask
from cchc_desktop.gui.screen_fit import fit
from cchc_desktop.services import word_template as templates
from cchc_desktop.services.word_template import TemplateError, TemplateRefused

TITLE = "Mẫu Word của tỉnh"
DOCX_FILTER = "Tài liệu Word (*.docx)"
SAVED_NAME = "Mau_bao_cao_CCHC.docx"


class TemplateDialog(QDialog):
    def __init__(self, data_dir: Path, registry: CatalogRegistry | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.data_dir, self.registry = Path(data_dir), registry or CatalogRegistry()
        self.chosen: Path | None = None  # a file checked and previewed, not installed yet
        self._view = None  # the sample report as printed, built at the first preview
        self.setObjectName("templateDialog")
        self.setWindowTitle(TITLE)

        intro = QLabel("Báo cáo Word được tạo theo một tệp mẫu: khổ giấy, lề và các kiểu chữ (Style) như “CCHC Body”, "
                       "“Heading 1”. Tỉnh có thể sửa mẫu trong Word rồi cài vào đây; mẫu đã cài nằm trong thư mục dữ liệu, "
                       "nên vẫn còn khi cài phiên bản mới của chương trình.")
        intro.setWordWrap(True)
        self.in_use = QLabel()
        self.in_use.setObjectName("templateInUse")
        self.in_use.setWordWrap(True)
        self.choose_button = QPushButton("Chọn tệp mẫu…")
        self.choose_button.setObjectName("templateChoose")
        self.choose_button.clicked.connect(self.choose_file)
        self.builtin_button = QPushButton("Dùng lại mẫu có sẵn")
        self.builtin_button.setObjectName("templateUseBuiltin")
        self.builtin_button.clicked.connect(self.use_builtin)
        self.save_button = QPushButton("Lưu mẫu có sẵn ra…")
        self.save_button.setObjectName("templateSaveBuiltin")
        self.save_button.clicked.connect(self.save_builtin)
        self.caption = QLabel()
        self.caption.setObjectName("templatePreviewCaption")
        self.caption.setWordWrap(True)
        self.preview = QTextBrowser()
        self.preview.setObjectName("templatePreview")
        self.preview.setAccessibleName("Xem trước trang 1 của báo cáo")
        assets.styled(self.preview, "preview")
        self.install_button = QPushButton("Cài mẫu này")
        self.install_button.setObjectName("templateInstall")
        self.install_button.clicked.connect(self.install_chosen)
        self.cancel_button = QPushButton("Hủy")
        self.cancel_button.setObjectName("templateCancel")
        self.cancel_button.clicked.connect(self.cancel_choice)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.button(QDialogButtonBox.Close).setText("Đóng")
        close.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.in_use)
        row = QHBoxLayout()
        for button in (self.choose_button, self.builtin_button, self.save_button):
            row.addWidget(button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addWidget(self.caption)
        lay.addWidget(self.preview, 1)
        row = QHBoxLayout()
        row.addWidget(self.install_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        fit(self, 980, 760)
        self.refresh()

    # -- what is shown -------------------------------------------------------------------
    def refresh(self) -> None:
        """The template in use, its page 1, and no file waiting to be installed."""
        self.chosen = None
        active = templates.active_template(self.data_dir)
        text = f"Đang dùng: {active.describe()}."
        if active.ignored:
            text += (f"\nMẫu của tỉnh đã cài {active.ignored}, nên báo cáo đang được xuất theo mẫu có sẵn. "
                     "Hãy chọn lại tệp mẫu của tỉnh để cài lại.")
        self.in_use.setText(text)
        self.builtin_button.setEnabled(active.installed or bool(active.ignored))
        self.install_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        look = active.look
        if look is None:
            try:
                look = templates.check_template(active.path)
            except TemplateRefused as exc:  # the program's own file damaged: a reinstall mends it
                self.caption.setText("Không xem trước được mẫu có sẵn.")
                self.preview.setPlainText(f"{exc}\n\nHãy cài đặt lại CCHC Desktop.")
                return
        self.caption.setText("Trang 1 của báo cáo mẫu (xã Bình Phước) theo mẫu đang dùng:")
        self.show_preview(look)

    def show_preview(self, look) -> None:
        from cchc_desktop.formats.template_preview import page_one_html

        self.preview.setHtml(page_one_html(look, self.sample_view()))

    def sample_view(self):
        if self._view is None:
            from cchc_desktop.formats.printed import PrintedReport
            from cchc_desktop.services.sample import sample_doc

            self._view = PrintedReport.from_doc(sample_doc(self.registry), self.registry)
        return self._view

    # -- the clerk's actions ----------------------------------------------------------------
    def choose_file(self) -> None:
        dialog = QFileDialog(self, "Chọn tệp mẫu Word của tỉnh", str(Path.home()), DOCX_FILTER)
        dialog.setFileMode(QFileDialog.ExistingFile)
        dialog.setAcceptMode(QFileDialog.AcceptOpen)
        if dialog.exec() and dialog.selectedFiles():
            self.check_file(Path(dialog.selectedFiles()[0]))

    def check_file(self, path: Path) -> bool:
        """Check `path` and show page 1 with it; refused: said, and nothing changes."""
        try:
            look = templates.check_template(path)
        except TemplateRefused as exc:
            self._refused(exc)
            return False
        self.chosen = Path(path)
        self.caption.setText(f"Trang 1 của báo cáo mẫu theo tệp “{self.chosen.name}” (chưa cài). Bấm “Cài mẫu này” "
                             "để dùng cho các báo cáo Word từ nay, hoặc “Hủy”.")
        self.show_preview(look)
        self.install_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self.install_button.setDefault(True)
        return True

    def _refused(self, exc: TemplateRefused) -> None:
        if exc.missing and ask(self, TITLE, f"{exc}\n\nLưu mẫu có sẵn ra một tệp để bắt đầu từ đó?",
                               yes="Lưu mẫu có sẵn ra…", no="Đóng"):
            self.save_builtin()
        elif not exc.missing:
            QMessageBox.warning(self, TITLE, f"{exc}\n\nMẫu đang dùng vẫn giữ nguyên.")

    def install_chosen(self) -> bool:
        if self.chosen is None:
            return False
        try:
            active = templates.install_template(self.data_dir, self.chosen)
        except (TemplateRefused, TemplateError) as exc:  # changed on the disk since it was checked
            QMessageBox.warning(self, TITLE, f"{exc}\n\nMẫu đang dùng vẫn giữ nguyên.")
            return False
        self.refresh()
        QMessageBox.information(self, TITLE, f"Đã cài {active.describe()}. Các báo cáo Word xuất từ nay dùng mẫu này.")
        return True

    def cancel_choice(self) -> None:
        self.refresh()

    def use_builtin(self) -> bool:
        if not ask(self, TITLE, "Gỡ mẫu Word của tỉnh và dùng lại mẫu có sẵn của chương trình? Tệp mẫu vừa gỡ được giữ "
                   f"lại trong “{templates.template_dir(self.data_dir)}”.", yes="Dùng lại mẫu có sẵn", no="Không"):
            return False
        try:
            templates.remove_template(self.data_dir)
        except TemplateError as exc:
            QMessageBox.warning(self, TITLE, str(exc))
            return False
        self.refresh()
        return True

    def save_builtin(self) -> Path | None:
        dialog = QFileDialog(self, "Lưu mẫu có sẵn ra", str(_documents() / SAVED_NAME), DOCX_FILTER)
        dialog.setAcceptMode(QFileDialog.AcceptSave)
        dialog.setDefaultSuffix("docx")
        if not dialog.exec() or not dialog.selectedFiles():
            return None
        try:
            out = templates.save_builtin(Path(dialog.selectedFiles()[0]))
        except TemplateError as exc:
            QMessageBox.warning(self, TITLE, str(exc))
            return None
        QMessageBox.information(self, TITLE, f"Đã lưu mẫu có sẵn ra “{out}”. Mở tệp bằng Word, sửa các kiểu (Home → "
                                "Styles → Modify) mà không xóa hay đổi tên kiểu nào, lưu lại, rồi bấm “Chọn tệp mẫu…” "
                                "để cài.")
        return out


def _documents() -> Path:
    from cchc_desktop.services.export_files import default_folder

    return default_folder().parent

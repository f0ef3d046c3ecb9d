"""F1: the short Vietnamese guide shipped with the program (resources/guide/huong_dan.html).

The window is not modal: the clerk reads it beside the form while typing, and F1 again brings
the same window to the front instead of opening a second one. The guide is local HTML with
links only to its own headings; nothing opens a browser or the network.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from cchc_desktop.system import shipped
from cchc_desktop.gui.screen_fit import fit

GUIDE = ("resources", "guide/huong_dan.html")
TITLE = "Hướng dẫn sử dụng"


def guide_html() -> str:
    """The guide's HTML; when the file is missing (a broken install) a page that says so and
    what to do, rather than an empty window or a crash."""
    try:
        return shipped.find(*GUIDE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = str(exc) if isinstance(exc, FileNotFoundError) else f"Không đọc được tệp hướng dẫn ({exc})."
        return f"<h1>{TITLE}</h1><p>{why}</p>"


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("guideDialog")
        self.setWindowTitle(f"{TITLE} — CCHC Desktop")
        self.browser = QTextBrowser()
        self.browser.setObjectName("guideText")
        self.browser.setOpenExternalLinks(False)  # the guide links only to its own headings
        self.browser.setHtml(guide_html())
        close = QPushButton("Đóng")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser, 1)
        lay.addLayout(buttons)
        fit(self, 760, 640)

    def headings(self) -> list[str]:
        """The headings as shown (h1, h2 …), top to bottom."""
        out, block = [], self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0:
                out.append(block.text())
            block = block.next()
        return out



def show_guide(parent: QWidget | None = None) -> GuideDialog:
    """Show the guide beside the window (not modal); the one already open is raised."""
    dialog = parent.findChild(GuideDialog) if parent is not None else None
    if dialog is None:
        dialog = GuideDialog(parent)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog

"""F1's guide: the shipped HTML, found as a plain install finds it, shown whole in a window that
fits a commune PC's 1024×768 screen, with links that only lead to its own headings."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from cchc_desktop.gui.guide_dialog import GuideDialog, show_guide
from cchc_desktop.system import shipped
from tests.conftest import ROOT

TOPICS = ("Nhập số liệu", "Ô đỏ, ô vàng", "Dán số liệu từ Excel", "Tệp được lưu ở đâu", "Sao lưu và khôi phục",
          "Xuất và gửi báo cáo", "Phím tắt")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings, self.hrefs, self.ids, self.tags = [], [], set(), set()
        self._in_heading = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if tag in ("h1", "h2", "h3"):
            self._in_heading = []
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        for key in ("id", "name"):
            if key in attrs:
                self.ids.add(attrs[key])

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3") and self._in_heading is not None:
            self.headings.append(" ".join("".join(self._in_heading).split()))
            self._in_heading = None

    def handle_data(self, data):
        if self._in_heading is not None:
            self._in_heading.append(data)


def _source() -> _Tags:
    tags = _Tags()
    tags.feed(shipped.find("resources", "guide/huong_dan.html").read_text("utf-8"))
    return tags


def test_the_guide_is_a_shipped_file():
    assert shipped.find("resources", "guide/huong_dan.html") == ROOT / "resources" / "guide" / "huong_dan.html"


def test_the_guide_covers_every_topic_and_links_only_to_itself():
    tags = _source()
    for topic in TOPICS:
        assert any(topic in h for h in tags.headings), topic
    assert tags.hrefs and all(h.startswith("#") and h[1:] in tags.ids for h in tags.hrefs), tags.hrefs
    assert "img" not in tags.tags and "script" not in tags.tags


def test_the_guide_names_only_menus_the_window_has():
    text = (ROOT / "resources" / "guide" / "huong_dan.html").read_text("utf-8")
    window = (ROOT / "cchc_desktop" / "gui" / "main_window.py").read_text("utf-8")
    recovery = (ROOT / "cchc_desktop" / "gui" / "recovery.py").read_text("utf-8")
    for item in re.findall(r"Báo cáo → ([^<]+)</b>", text):
        # "Sao lưu ra…" is "Sao lưu &ra…" in the menu; "Sao lưu và khôi phục…" the store's RESTORE_MENU
        assert item == "Sao lưu và khôi phục…" or item.replace("ra", "&ra") in window, item
    for button in ("Khôi phục bản đã chọn", "Sao lưu ngay", "Khôi phục từ tệp khác…"):
        assert button in text and button in recovery


def test_the_dialog_shows_the_guides_headings_and_fits_1024x768(qtbot):
    dialog = GuideDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    shown = dialog.headings()
    assert shown == _source().headings  # every heading of the file, rendered as a heading
    assert shown[0] == "Hướng dẫn sử dụng CCHC Desktop"
    assert "Bao cao CCHC" in dialog.browser.toPlainText() and "portable.txt" in dialog.browser.toPlainText()
    frame = dialog.frameGeometry()
    assert frame.width() <= 1024 and frame.height() <= 768
    assert dialog.minimumSizeHint().width() <= 1024 and dialog.minimumSizeHint().height() <= 700
    assert not dialog.isModal()


def test_a_link_goes_to_its_heading_inside_the_guide(qtbot):
    dialog = GuideDialog()
    qtbot.addWidget(dialog)
    dialog.resize(700, 400)
    dialog.show()
    qtbot.waitExposed(dialog)
    bar = dialog.browser.verticalScrollBar()
    assert bar.value() == 0 and bar.maximum() > 0
    link = dialog.browser.document().find("Phím tắt")  # its first place: the contents line
    assert link.charFormat().isAnchor()
    link.setPosition(link.selectionStart() + 1)
    qtbot.mouseClick(dialog.browser.viewport(), Qt.LeftButton, pos=dialog.browser.cursorRect(link).center())
    assert bar.value() > 0
    heading = dialog.browser.document().find("7. Phím tắt")
    top = dialog.browser.cursorRect(heading).top()
    assert 0 <= top < dialog.browser.viewport().height() // 2  # the heading is at the top of the view


def test_f1_again_raises_the_same_window(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    first = show_guide(window)
    first.close()
    assert show_guide(window) is first and first.isVisible()
    first.close()

"""Colours only in resources/style.qss: the window's modules name widgets (objectName) and
states (dynamic properties such as mark="error"), the stylesheet says how they look. The
palette and the colours Qt takes only as a QColor are written there too, in its "colours"
section, and read through gui/assets (palette(), colour()); a section reaches widgets only
through assets.styled."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

GUI = ROOT / "cchc_desktop" / "gui"
QT_COLOURS = ("white|black|red|darkRed|green|darkGreen|blue|darkBlue|cyan|darkCyan|magenta|darkMagenta|yellow|"
              "darkYellow|gray|darkGray|lightGray|transparent|color0|color1")
COLOUR = re.compile(
    r"#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b"  # "#c62828" in a string
    r"|\bQColor\s*\("  # a colour made in code
    rf"|\bQt\.(?:GlobalColor\.)?(?:{QT_COLOURS})\b"
    r"|\b(?:rgba?|hsla?)\s*\("
    r"|\bsetStyleSheet\s*\("  # a sheet is set by assets.styled, from style.qss
    r"|\bset(?:Color|Brush)\s*\(\s*QPalette"
)
# the one place a QColor is made, and a sheet set: from style.qss
ALLOWED = {"assets.py"}
# not this task's file (its owner switches it to assets.colour("placeholder") /
# ("unknownPlaceholder"), both already in style.qss); counted exactly, so a new literal there
# fails too, and so does removing these without removing the exception
PENDING: dict[str, int] = {}


def colour_lines(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        code = line.split("  # ", 1)[0] if not line.lstrip().startswith("#") else ""  # comments may speak of colours
        if COLOUR.search(code):
            out.append(line.strip())
    return out


def test_no_colour_is_written_in_the_window_modules():
    found = {p.name: colour_lines(p.read_text("utf-8")) for p in sorted(GUI.glob("*.py")) if p.name not in ALLOWED}
    wrong = {name: lines for name, lines in found.items() if lines and len(lines) != PENDING.get(name)}
    stale = {name for name, n in PENDING.items() if len(found.get(name, [])) != n}
    assert not wrong, f"colours outside resources/style.qss: {wrong}"
    assert not stale, f"remove these from PENDING, their colours are gone: {stale}"


@pytest.mark.parametrize("line", [
    'label.setStyleSheet("color: red")',
    "item.setForeground(Qt.darkRed)",
    "item.setForeground(Qt.GlobalColor.red)",
    'fmt.setForeground(QColor("#1f5f8b"))',
    'BORDER = "#c62828"',
    'css = "background: rgb(255, 0, 0)"',
    "palette.setColor(QPalette.Window, x)",
])
def test_the_check_sees_a_colour(line):
    assert colour_lines(line) == [line]


@pytest.mark.parametrize("line", [
    'assets.styled(self.tabBar(), "tabs")',
    "marks.set_mark(edit, \"error\")  # red border, from the stylesheet",
    "# #c62828 is the error red",
    'self.setObjectName("formGrid")',
    'issue_ref = "#1"',
    'tag = "#added"',
])
def test_the_check_lets_through_what_is_not_a_colour(line):
    assert colour_lines(line) == []


def test_every_colour_read_in_code_is_given_by_the_stylesheet(qtbot):
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from cchc_desktop.gui import assets
    from cchc_desktop.gui.app import style

    style(QApplication.instance())
    sheet = (ROOT / "resources" / "style.qss").read_text("utf-8")
    colours = sheet.split("@section colours", 1)[1].split("@section", 1)[0]
    for name in assets.COLOUR_NAMES:
        written = re.search(rf"^{name}:\s*(#[0-9a-fA-F]{{6}});", colours, re.MULTILINE)
        assert written, f"style.qss gives no colour {name}"
        assert assets.colour(name).name() == written.group(1).lower()
    assert assets.colour("no such colour") == QApplication.palette().text().color()
    palette = QApplication.palette()
    assert palette.color(QPalette.Window).name() == assets.colour("window").name()
    assert palette.color(QPalette.Highlight).name() == assets.colour("highlight").name()


def test_each_section_is_set_only_where_it_is_for(sample_window):
    """No application-wide sheet (it would send every widget through Qt's stylesheet engine):
    the tab bar, a form page, a marked field and the window's own labels carry their sections."""
    from PySide6.QtWidgets import QApplication

    from cchc_desktop.gui import assets, marks

    window = sample_window
    assert QApplication.instance().styleSheet() == ""
    assert set(assets.sections()) >= {"colours", "tabs", "form", "marks", "labels"}
    assert window.view.tabBar().styleSheet() == assets.sheet("tabs")
    assert "QTabBar::tab" in window.view.tabBar().styleSheet()
    table = window.view.table(3)
    page = table.parentWidget()
    assert page.styleSheet() == assets.sheet("form") and "formGrid" in page.styleSheet()
    assert window.save_state.styleSheet() == assets.sheet("labels") and window.save_state.objectName() == "saveState"
    edit = table.editor_for("bm3.3.2.1")
    assert edit.styleSheet() == ""
    marks.set_mark(edit, "error")
    assert edit.styleSheet() == assets.sheet("marks") and 'mark="error"' in edit.styleSheet()
    marks.set_mark(edit, "")
    assert edit.property("mark") == ""

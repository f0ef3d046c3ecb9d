"""Issue 10 §4: on every screen a commune PC has — 1366×768 at 100 % and 125 % (Windows'
scaling) and 1024×768, each minus the taskbar — the main window, every tab (before and after
an export, whose result text once pushed Biểu mẫu 7 and the status bar off-screen) and every
dialog fit. Each size runs `tools.geometry` in its own process: the screen and the scale are
fixed when Qt starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QVBoxLayout, QWidget

from tools.geometry import problems_in

ROOT = Path(__file__).resolve().parents[1]
SCREENS = [("1366x728", "1"), ("1366x720", "1.25"), ("1024x728", "1")]  # the screen minus the taskbar


@pytest.mark.parametrize(("screen", "scale"), SCREENS)
def test_every_tab_and_dialog_fits_the_screen(screen, scale):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "QT_SCALE_FACTOR")}
    run = subprocess.run([sys.executable, "-m", "tools.geometry", "--screen", screen, "--scale", scale],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().splitlines()[-1].endswith(": 0 problem(s)")


def test_the_check_finds_a_window_larger_than_the_screen_and_a_cut_off_widget(qtbot):
    room = QApplication.primaryScreen().availableGeometry()
    big = QWidget()
    qtbot.addWidget(big)
    big.setMinimumSize(room.width() + 200, 100)
    big.resize(room.width() + 200, 100)
    inner = QLabel("Biểu mẫu 7", big)
    inner.setGeometry(room.width() + 150, 10, 200, 20)  # past the parent's right edge
    big.show()
    found = problems_in(big, room)
    assert any("outside the screen" in p for p in found)
    assert any("needs at least" in p for p in found)
    assert any("cut off" in p and "Biểu mẫu 7" in p for p in found), found


def test_content_inside_a_scroll_area_is_not_counted_as_cut_off(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    scroll = QScrollArea(window)
    column = QWidget()
    lay = QVBoxLayout(column)
    for n in range(60):
        lay.addWidget(QLabel(f"Dòng {n}"))
    scroll.setWidget(column)
    scroll.setWidgetResizable(True)
    QVBoxLayout(window).addWidget(scroll)
    window.resize(300, 200)
    window.show()
    assert problems_in(window, window.screen().availableGeometry()) == []

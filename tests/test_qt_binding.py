"""The Qt binding itself must not leak references: PySide6-Essentials 6.12.0 drops one
reference to None per Qt call that returns nothing, and on CPython < 3.12 the window then dies
with "Fatal Python error: none_dealloc" after a few thousand keystrokes. This measures the
binding the suite runs on, so a pin raised to a broken version fails here, at once."""

import sys

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit


def _none_refs_per_call(call, n=2000) -> float:
    before = sys.getrefcount(None)
    for i in range(n):
        call(i)
    return (sys.getrefcount(None) - before) / n


def test_setters_returning_nothing_keep_none_alive(qapp):
    line, text = QLineEdit(), QPlainTextEdit()
    assert abs(_none_refs_per_call(lambda i: line.setText(str(i)))) < 0.01
    assert abs(_none_refs_per_call(lambda i: text.setPlainText(str(i)))) < 0.01
    assert abs(_none_refs_per_call(lambda i: line.setCursorPosition(0))) < 0.01

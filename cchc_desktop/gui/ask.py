"""A yes/no question in Vietnamese. Qt ships no Vietnamese translation, so QMessageBox.question
would say "Yes" / "No"; the buttons keep their standard roles (Enter, Esc, tests) and say what
they do instead."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask(parent: QWidget | None, title: str, text: str, yes: str = "Có", no: str = "Không",
        default_yes: bool = False) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.Yes | QMessageBox.No, parent)
    box.button(QMessageBox.Yes).setText(yes)
    box.button(QMessageBox.No).setText(no)
    box.setDefaultButton(QMessageBox.Yes if default_yes else QMessageBox.No)
    return box.exec() == QMessageBox.Yes

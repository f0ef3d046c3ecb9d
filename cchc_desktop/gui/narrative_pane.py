"""The prose of one tab's sections: an editor per section, a menu to insert a figure as a
`{bm…}` placeholder, "Soạn đoạn mẫu" to draft the standard sentence from the figures, and a
read-only preview with every placeholder replaced by its value as it will be printed.

Typing saves after a short pause, at the latest SAVE_MAX_WAIT_MS after the first unsaved
keystroke however steadily the clerk types, and at once when the editor loses focus or the
window closes (editing.PausedSaver).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QSyntaxHighlighter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QMenu, QMessageBox, QPlainTextEdit, QPushButton,
                               QSplitter, QStackedWidget, QTextEdit, QToolButton, QVBoxLayout, QWidget)

from cchc_desktop.gui import assets
from cchc_desktop.core import drafts
from cchc_desktop.core.catalog import Catalog, Section
from cchc_desktop.core.engine import prose_section
from cchc_desktop.gui.cells import NarrativeEdit
from cchc_desktop.gui.editing import EditController, PausedSaver
from cchc_desktop.core.narrative import PLACEHOLDER, render
from cchc_desktop.core.numbers import PRINTED, format_value


def section_title(section: Section, next_period: str) -> str:
    title = section.title.replace("{next_period_upper}", next_period.upper())
    return f"{section.number} {title}".strip()


class PlaceholderHighlighter(QSyntaxHighlighter):
    """Figures in the prose stand out, and a placeholder naming no row shows in red."""

    def __init__(self, document, catalog: Catalog):
        super().__init__(document)
        self.catalog = catalog
        self.known = QTextCharFormat()
        self.known.setForeground(assets.colour("placeholder"))
        self.known.setFontWeight(QFont.Bold)
        self.unknown = QTextCharFormat()
        self.unknown.setForeground(assets.colour("unknownPlaceholder"))
        self.unknown.setFontUnderline(True)

    def highlightBlock(self, text: str) -> None:
        for m in PLACEHOLDER.finditer(text):
            fmt = self.known if m.group(1) in self.catalog.indicators else self.unknown
            self.setFormat(m.start(), m.end() - m.start(), fmt)


EMPTY_SUFFIX = " — chưa viết"


class NarrativePane(QWidget):
    history_asked = Signal(str, str)  # "Lịch sử thay đổi" of (section id, "narrative")

    def __init__(self, sections: list[Section], controller: EditController, catalog: Catalog,
                 forms: tuple[int, ...], next_period: str):
        super().__init__()
        self.controller, self.catalog = controller, catalog
        self.session = controller.session
        self.sections = sections
        self.editors: dict[str, NarrativeEdit] = {}
        self._savers: dict[str, PausedSaver] = {}
        self._loading = False

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Chọn mục của báo cáo")
        self._titles = [section_title(s, next_period) for s in sections]
        for s, title in zip(sections, self._titles):
            self.chooser.addItem(title, s.id)
        self.chooser.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.chooser.setMinimumContentsLength(18)
        self.title = QLabel(section_title(sections[0], next_period))
        assets.role(self.title, "sectionTitle")
        self.title.setWordWrap(True)
        if len(sections) > 1:
            top.addWidget(self.chooser, 1)
            self.title.hide()
        else:
            self.chooser.hide()
            top.addWidget(self.title, 1)

        self.insert_button = QToolButton()
        self.insert_button.setText("Chèn số liệu")
        self.insert_button.setToolTip("Chèn vào chỗ con trỏ một ô số liệu, dạng {bm3.3.1}; khi in sẽ thay bằng giá trị.")
        self.insert_button.setPopupMode(QToolButton.InstantPopup)
        self.insert_button.setMenu(self._placeholder_menu(forms))
        top.addWidget(self.insert_button)
        self.draft_button = QPushButton("Soạn đoạn mẫu")
        self.draft_button.setToolTip("Soạn câu văn chuẩn từ số liệu của biểu mẫu và chèn vào chỗ con trỏ.")
        self.draft_button.clicked.connect(self.insert_draft)
        top.addWidget(self.draft_button)

        self.stack = QStackedWidget()
        for s in sections:
            editor = NarrativeEdit(s.id, section_title(s, next_period))
            editor.setPlaceholderText("Gõ nội dung mục này. Mỗi ý một dòng, bắt đầu bằng “- ” hoặc “+ ”.")
            editor.setPlainText(self.session.narratives.get(s.id, ""))
            PlaceholderHighlighter(editor.document(), catalog)
            saver = controller.paused_saver(lambda sid=s.id: self.save(sid))
            editor.textChanged.connect(lambda sid=s.id: self._typed(sid))
            editor.installEventFilter(self)
            editor.setContextMenuPolicy(Qt.CustomContextMenu)
            editor.customContextMenuRequested.connect(lambda pos, e=editor, sid=s.id: self._context_menu(e, sid, pos))
            self.editors[s.id], self._savers[s.id] = editor, saver
            self.stack.addWidget(editor)
        self.chooser.currentIndexChanged.connect(self._show_section)

        self.preview = QPlainTextEdit()
        self.preview.setObjectName("preview")
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("Xem trước nội dung khi in")
        self.preview.setFocusPolicy(Qt.ClickFocus)
        preview_box = QWidget()
        pv = QVBoxLayout(preview_box)
        pv.setContentsMargins(0, 4, 0, 0)
        hint = QLabel("Xem trước khi in (các ô {…} đã thay bằng số liệu):")
        assets.role(hint, "hint")
        pv.addWidget(hint)
        pv.addWidget(self.preview)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.stack)
        split.addWidget(preview_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        self._written: list[bool | None] = [None] * len(sections)
        for index in range(len(sections)):
            self._mark_written(index)
            self.show_findings(sections[index].id)
        self._show_section(0)

    def _mark_written(self, index: int) -> None:
        """A tab with several sections says in its chooser which ones are still empty."""
        written = bool(self.editors[self.sections[index].id].toPlainText().strip())
        if written == self._written[index]:
            return
        self._written[index] = written
        self.chooser.setItemText(index, self._titles[index] + ("" if written else EMPTY_SUFFIX))
        self.chooser.setItemData(index, "" if written else "Mục này chưa viết.", Qt.ToolTipRole)

    def _context_menu(self, editor: NarrativeEdit, sid: str, pos) -> None:
        menu = editor.createStandardContextMenu()
        for action in menu.actions():
            # the editor's own undo would change the text behind the saver's back: the window's saves
            if action.objectName() in ("edit-undo", "edit-redo"):
                undo = action.objectName() == "edit-undo"
                action.triggered.disconnect()
                action.triggered.connect(self.controller.undo if undo else self.controller.redo)
                action.setEnabled(self.controller.stack.canUndo() if undo else self.controller.stack.canRedo())
        hit = editor.finding_at(editor.cursorForPosition(pos).position())
        if hit is not None and hit[1].replacement:
            from cchc_desktop.core.prose_check import REPLACE_LABEL  # the check itself runs after the first paint
            cursor, issue = hit
            first = menu.actions()[0] if menu.actions() else None
            action = QAction(f"{REPLACE_LABEL} {issue.replacement}", menu)
            action.setToolTip(issue.message)
            action.triggered.connect(lambda: self.replace_figure(sid, cursor, issue.replacement))
            menu.insertAction(first, action)
            menu.insertSeparator(first)
        menu.addSeparator()
        menu.addAction("Lịch sử thay đổi…", lambda: self.history_asked.emit(sid, "narrative"))
        menu.exec(editor.mapToGlobal(pos))

    # -- the prose check's findings (core/prose_check via the engine) --------------------
    def show_findings(self, sid: str) -> None:
        """Underline, in the section's text, the figures the prose check questions. Shown for
        the text as saved; typed around, the marks move with it until the next save."""
        editor = self.editors.get(sid)
        if editor is None:
            return
        issues = [i for i in self.session.state.issues.values() if prose_section(i) == sid and i.span]
        saved = self.session.narratives.get(sid, "")
        if editor.toPlainText() != saved:
            issues = []  # the spans are of the saved text: shown again once this is saved
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.WaveUnderline)
        fmt.setUnderlineColor(assets.colour("proseFinding"))
        editor.findings, selections = [], []
        for issue in issues:
            cursor = QTextCursor(editor.document())
            cursor.setPosition(min(issue.span[0], len(saved)))
            cursor.setPosition(min(issue.span[1], len(saved)), QTextCursor.KeepAnchor)
            editor.findings.append((cursor, issue))
            sel = QTextEdit.ExtraSelection()
            sel.cursor, sel.format = cursor, fmt
            selections.append(sel)
        editor.setExtraSelections(selections)

    def select_finding(self, sid: str, issue) -> None:
        """The issues list jumped here: the figure selected, in view, the cursor on it."""
        self.select(sid)
        editor = self.editors[sid]
        editor.setFocus(Qt.OtherFocusReason)
        if issue.span and editor.toPlainText() == self.session.narratives.get(sid, ""):
            cursor = editor.textCursor()
            cursor.setPosition(min(issue.span[0], len(editor.toPlainText())))
            cursor.setPosition(min(issue.span[1], len(editor.toPlainText())), QTextCursor.KeepAnchor)
            editor.setTextCursor(cursor)
            editor.ensureCursorVisible()

    def replace_figure(self, sid: str, cursor: QTextCursor, replacement: str) -> None:
        """"Thay bằng số liệu": the typed figure becomes the row's placeholder, saved at once
        as its own undo step. A '%' typed after a percentage stays: the placeholder prints it."""
        editor = self.editors[sid]
        self._savers[sid].flush()  # what was typed before is its own step
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        edit = QTextCursor(editor.document())
        edit.setPosition(start)
        edit.setPosition(end, QTextCursor.KeepAnchor)
        edit.insertText(replacement)
        editor.setTextCursor(edit)
        self._savers[sid].save_now()

    # -- which section ------------------------------------------------------------------
    @property
    def current_id(self) -> str:
        return self.sections[self.stack.currentIndex()].id

    @property
    def current_editor(self) -> NarrativeEdit:
        return self.editors[self.current_id]

    def _show_section(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.draft_button.setEnabled(drafts.has_draft(self.catalog, self.current_id))
        self.update_preview()

    def select(self, section_id: str) -> None:
        ids = [s.id for s in self.sections]
        if section_id in ids:
            self.chooser.setCurrentIndex(ids.index(section_id))

    # -- saving -------------------------------------------------------------------------
    def _typed(self, sid: str) -> None:
        if self._loading:
            return
        # textChanged also fires when the highlighter recolours a placeholder: only a change
        # of the text itself is something to save
        if self.editors[sid].toPlainText() != self.session.narratives.get(sid, ""):
            self._savers[sid].typed()
        if sid == self.current_id:
            self.update_preview()
        self._mark_written(next(i for i, s in enumerate(self.sections) if s.id == sid))

    def save(self, sid: str) -> None:
        text = self.editors[sid].toPlainText()
        if text != self.session.narratives.get(sid, "") or (("narrative", sid) in self.controller.unsaved):
            self.controller.edit("narrative", sid, text)
            self.controller.end_cell()  # one undo step per pause in typing

    def flush_all(self) -> None:
        for saver in self._savers.values():
            saver.flush()

    def eventFilter(self, obj, event) -> bool:
        if event.type() == event.Type.FocusOut and isinstance(obj, NarrativeEdit):
            self._savers[obj.section_id].save_now()
        return super().eventFilter(obj, event)

    def refresh(self, sid: str) -> None:
        """Show the session's text after an undo or redo (not after our own saves)."""
        editor = self.editors.get(sid)
        text = self.session.narratives.get(sid, "")
        if editor is None or editor.toPlainText() == text or self._savers[sid].pending:
            return
        pos = editor.textCursor().position()
        self._loading = True
        editor.setPlainText(text)
        self._loading = False
        self._mark_written(next(i for i, s in enumerate(self.sections) if s.id == sid))
        cursor = editor.textCursor()
        cursor.setPosition(min(pos, len(text)))
        editor.setTextCursor(cursor)
        self.update_preview()

    # -- figures in the prose -----------------------------------------------------------
    def update_preview(self) -> None:
        text = render(self.current_editor.toPlainText(), self.session.state)
        if self.preview.toPlainText() != text:
            bar = self.preview.verticalScrollBar().value()
            self.preview.setPlainText(text)
            self.preview.verticalScrollBar().setValue(bar)

    def _placeholder_menu(self, forms: tuple[int, ...]) -> QMenu:
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        ordered = list(forms) + [n for n in self.catalog.forms if n not in forms]
        for n, number in enumerate(ordered):
            if n == len(forms) and forms:
                menu.addSeparator()
            form = self.catalog.forms[number]
            sub = menu.addMenu(f"Biểu mẫu {number}. {form.title}")
            sub.setToolTipsVisible(True)
            sub.aboutToShow.connect(lambda sub=sub, form=form: self._fill_form_menu(sub, form))
        return menu

    def _fill_form_menu(self, sub: QMenu, form) -> None:
        sub.clear()  # rebuilt on opening: the values shown are today's
        state = self.session.state
        for ident in form.indicators:
            ind = self.catalog.indicators[ident]
            if ind.kind == "heading":
                continue
            action = sub.addAction(f"{ind.stt}  {menu_label(ind)}  — {menu_value(ind, state.values.get(ident))}")
            action.setToolTip(ind.label)
            action.triggered.connect(lambda _=False, i=ident: self.insert_text("{" + i + "}"))

    def insert_text(self, text: str) -> None:
        editor = self.current_editor
        cursor = editor.textCursor()
        if cursor.hasSelection():  # insert beside the selection: never replace the clerk's words unasked
            cursor.setPosition(cursor.selectionEnd())
        cursor.insertText(text)
        editor.setTextCursor(cursor)
        editor.setFocus()

    def insert_draft(self) -> None:
        text = drafts.draft(self.current_id, self.session.state)
        if not text:
            QMessageBox.information(self, "Soạn đoạn mẫu", drafts.no_draft_message(self.current_id, self.session.state))
            return
        editor = self.current_editor
        cursor = editor.textCursor()
        if cursor.hasSelection():
            cursor.setPosition(cursor.selectionEnd())
        block_text = cursor.block().text()
        if block_text.strip() and cursor.positionInBlock() > 0:
            cursor.movePosition(QTextCursor.EndOfBlock)
            text = "\n" + text
        cursor.insertText(text)
        editor.setTextCursor(cursor)
        editor.setFocus()


def menu_label(ind) -> str:
    return ind.label if len(ind.label) <= 60 else ind.label[:58] + "…"


def menu_value(ind, value) -> str:
    """The figure as the report prints it (1.886, 99,05%, Đạt), so the clerk knows what the
    placeholder will read; a blank row says so, since it would print "…" in the text."""
    if value is None:
        return "(trống)"
    if ind.codes and value in ind.codes:
        return ind.codes[value]
    return format_value(ind.kind, value, PRINTED)

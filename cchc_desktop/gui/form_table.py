"""One Biểu mẫu laid out as on paper: STT | Chỉ tiêu | Đơn vị tính | Số liệu | Ghi chú.

Real widgets in a grid rather than a QTableView: every input is a widget with its own
objectName (the indicator id) and accessibleName (its label), reachable by Tab, findable by
tests and by screen readers, and the Chỉ tiêu column wraps so rows grow instead of the form
scrolling sideways on a 1366-pixel screen.
"""

from __future__ import annotations

from bisect import bisect_right

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QApplication, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QMenu, QSizePolicy,
                               QWidget)

from cchc_desktop.core.catalog import Catalog, Form, Indicator
from cchc_desktop.core import issue_places, paste
from cchc_desktop.gui import assets, marks
from cchc_desktop.gui.ask import ask
from cchc_desktop.gui.cells import CodeCombo, DerivedValue, NoteEdit, ValueEdit, display_text
from cchc_desktop.gui.editing import EditController
from cchc_desktop.core.vocabulary import FORM_COLUMNS, SEVERITY_WORDS

WIDTHS = {0: 62, 2: 96, 3: 136, 4: 150}  # by FORM_COLUMNS index; the Chỉ tiêu column takes the rest
NEXT_KEYS = (Qt.Key_Tab, Qt.Key_Return, Qt.Key_Enter, Qt.Key_Down)
PREV_KEYS = (Qt.Key_Backtab, Qt.Key_Up)
ICON_PX = 16


def _cell_label(text: str, kind: str = "true", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setProperty("cell", kind)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.PlainText)
    label.setAlignment(Qt.AlignLeft | Qt.AlignVCenter)
    return label


class ValueCell(QFrame):
    """The Số liệu cell: the editor (or the computed percentage) and the mark icon."""

    def __init__(self, editor: QWidget):
        super().__init__()
        self.setProperty("cell", "value")
        self.editor = editor
        lay = QHBoxLayout(self)
        lay.setContentsMargins(3, 2, 3, 2)
        lay.setSpacing(2)
        lay.addWidget(editor, 1)
        self.icon = QLabel()
        self.icon.setFixedSize(ICON_PX, ICON_PX)
        self.icon.setAccessibleName("")
        lay.addWidget(self.icon)
        self.icon.setVisible(False)

    def show_mark(self, mark: str, tip: str) -> None:
        marks.set_mark(self.editor, mark)
        self.editor.setToolTip(tip)
        if mark:
            self.icon.setPixmap(assets.icon(marks.ICON[mark]).pixmap(QSize(ICON_PX, ICON_PX), self.devicePixelRatioF()))
            self.icon.setToolTip(tip)
            self.icon.setAccessibleName(SEVERITY_WORDS[mark])
        self.icon.setVisible(bool(mark))


class FormTable(QWidget):
    """The grid of one form. Emits `leave(step, column)` when keyboard navigation runs off
    its first or last input, so the window can carry on into the neighbouring form."""

    leave = Signal(int, str)  # +1 / -1, "value" | "note"
    focused = Signal(str)  # indicator id of the cell that got the focus
    status = Signal(str)  # what a paste did, for the status bar
    history = Signal(str, str)  # "Lịch sử thay đổi" of (indicator id, "value" | "note")

    def __init__(self, form: Form, catalog: Catalog, controller: EditController):
        super().__init__()
        self.setObjectName("formGrid")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.form, self.catalog, self.controller = form, catalog, controller
        self.state = controller.session.state
        self.cells: dict[str, ValueCell] = {}
        self.notes: dict[str, NoteEdit] = {}
        self.value_order: list[QWidget] = []
        self.note_order: list[NoteEdit] = []
        self.row_of: dict[str, int] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(1, 1, 1, 1)
        grid.setSpacing(1)
        for col, text in enumerate(FORM_COLUMNS):
            head = _cell_label(text, "head")
            head.setAlignment(Qt.AlignCenter)
            grid.addWidget(head, 0, col)
        for col, width in WIDTHS.items():
            grid.setColumnMinimumWidth(col, width)
        grid.setColumnStretch(1, 1)
        for row, ident in enumerate(form.indicators, start=1):
            self._add_row(grid, row, catalog.indicators[ident])
        for ident in self.cells:
            self.show_marks(ident)

    # -- building ----------------------------------------------------------------------
    def _add_row(self, grid: QGridLayout, row: int, ind: Indicator) -> None:
        self.row_of[ind.id] = row
        if ind.kind == "heading":
            stt = _cell_label(ind.stt, "heading")
            stt.setFixedWidth(WIDTHS[0])
            grid.addWidget(stt, row, 0)
            grid.addWidget(_cell_label(ind.label, "heading"), row, 1, 1, 4)
            return
        stt = _cell_label(ind.stt)
        stt.setFixedWidth(WIDTHS[0])
        grid.addWidget(stt, row, 0)
        label = _cell_label(ind.label)
        label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # wrap, never widen the form
        label.setMinimumWidth(120)
        grid.addWidget(label, row, 1)
        unit = _cell_label(ind.unit)
        unit.setFixedWidth(WIDTHS[2])
        grid.addWidget(unit, row, 2)

        if ind.kind in ("count", "money"):
            editor = ValueEdit(ind, self.state)
            editor.edited.connect(lambda text, i=ind.id: self.controller.edit("value", i, text))
            editor.editingFinished.connect(self.controller.end_cell)
        elif ind.kind in ("flag", "choice"):
            editor = CodeCombo(ind, self.state)
            editor.picked.connect(lambda code, i=ind.id: self._pick(i, code))
        else:
            editor = DerivedValue(ind, self.state)
        cell = ValueCell(editor)
        cell.setFixedWidth(WIDTHS[3])
        grid.addWidget(cell, row, 3)
        self.cells[ind.id] = cell
        if ind.is_input:
            self.value_order.append(editor)

        note = NoteEdit(ind, self.state)
        note.edited.connect(lambda text, i=ind.id: self.controller.edit("note", i, text))
        note.editingFinished.connect(self.controller.end_cell)
        holder = QFrame()
        holder.setProperty("cell", "value")
        holder.setFixedWidth(WIDTHS[4])
        lay = QHBoxLayout(holder)
        lay.setContentsMargins(3, 2, 3, 2)
        lay.addWidget(note)
        grid.addWidget(holder, row, 4)
        self.notes[ind.id] = note
        self.note_order.append(note)
        for w in (editor, note):
            w.installEventFilter(self)
            if not isinstance(w, DerivedValue):
                w.setContextMenuPolicy(Qt.CustomContextMenu)
                w.customContextMenuRequested.connect(lambda pos, w=w: self._context_menu(w, pos))

    def _pick(self, ident: str, code: str) -> None:
        self.controller.edit("value", ident, code)
        self.controller.end_cell()

    # -- showing the state -------------------------------------------------------------
    def refresh(self, ident: str) -> None:
        """Show the session's current text and marks for one row."""
        cell = self.cells.get(ident)
        if cell is None:
            return
        cell.editor.refresh()
        self.notes[ident].refresh()
        self.show_marks(ident)

    def show_marks(self, ident: str) -> None:
        issues = self.state.issues_for(ident)
        cell = self.cells[ident]
        tip = marks.tooltip(issues)
        if isinstance(cell.editor, DerivedValue):  # said on hover too, not only to a screen reader
            tip = "\n".join(t for t in (tip, cell.editor.accessibleDescription()) if t)
        cell.show_mark(marks.worst(issues), tip)
        note_issues = issue_places.note_issues(self.catalog, issues, ident)
        marks.set_mark(self.notes[ident], marks.worst(note_issues))
        # the one-line box shows only part of a long note: the whole of it on hover, after its marks
        note = self.state.notes.get(ident, "")
        whole = f"{note}\n(F2: xem và sửa cả ghi chú trong khung lớn)" if len(note) > 20 else ""
        self.notes[ident].setToolTip("\n\n".join(t for t in (marks.tooltip(note_issues), whole) if t))

    # -- keyboard ----------------------------------------------------------------------
    def first(self, column: str = "value", last: bool = False) -> QWidget | None:
        order = self.value_order if column == "value" else self.note_order
        return (order[-1] if last else order[0]) if order else None

    def editor_for(self, ident: str, column: str = "value") -> QWidget | None:
        if column == "note":
            return self.notes.get(ident)
        cell = self.cells.get(ident)
        return cell.editor if cell else None

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.FocusIn:
            self.focused.emit(obj.ind.id)
        elif event.type() == QEvent.KeyPress and event.matches(QKeySequence.Paste) and self.paste_block(obj):
            return True
        elif event.type() == QEvent.KeyPress and self._navigate(obj, event):
            return True
        return super().eventFilter(obj, event)

    # -- a block from a spreadsheet ------------------------------------------------------
    def paste_block(self, obj, mime=None) -> bool:
        """A block on the clipboard (several cells of Excel, LibreOffice or a Word table) fills
        this row and the ones below, or the rows its STT column names; one cell is left to the
        editor's own paste. Returns whether the block was taken."""
        mime = mime or QApplication.clipboard().mimeData()
        rows = paste.clipboard_rows(mime.text() if mime.hasText() else "", mime.html() if mime.hasHtml() else None)
        if not paste.is_block(rows):
            return False
        in_note = isinstance(obj, NoteEdit)
        if in_note and max(len(r) for r in rows) == 1:
            rows = [["", r[0]] for r in rows]  # a column of notes pasted into Ghi chú
        plan = paste.plan_paste(self.catalog, self.form.number, obj.ind.id, rows)
        if in_note and not plan.by_stt:
            plan.fills = [paste.Fill(f.ident, self.state.raw(f.ident), f.note) for f in plan.fills]
        if plan.overflow and not ask(self, "Dán quá cuối biểu mẫu",
                                     f"Khối vừa dán có {plan.overflow} dòng nhiều hơn số dòng còn lại của biểu mẫu này.\n\n"
                                     "Dán phần vừa với biểu mẫu và bỏ các dòng thừa?", yes="Dán phần vừa", no="Không dán"):
            self.status.emit("Chưa dán gì.")
            return True
        edits = []
        for f in plan.fills:
            edits.append(("value", f.ident, f.value))
            if f.note is not None:
                edits.append(("note", f.ident, f.note))
        self.controller.edit_many(edits, "Dán số liệu")
        self.status.emit(plan.summary(self.catalog))
        return True

    def copy_rows(self, idents: list[str]) -> str:
        """Rows as TSV (STT, Chỉ tiêu, Đơn vị tính, Số liệu, Ghi chú), as Excel pastes them."""
        cells = [(i, display_text(self.catalog.indicators[i], self.state), self.state.notes.get(i, "")) for i in idents]
        return paste.rows_as_tsv(self.catalog, cells)

    def _context_menu(self, obj, pos) -> None:
        menu = obj.createStandardContextMenu() if hasattr(obj, "createStandardContextMenu") else QMenu(obj)
        for action in menu.actions():
            name = action.objectName()
            # the editor's own undo would change the text without saving it: the window's undo saves
            if name in ("edit-undo", "edit-redo"):
                action.triggered.disconnect()
                action.triggered.connect(self.controller.undo if name == "edit-undo" else self.controller.redo)
                action.setEnabled(self.controller.stack.canUndo() if name == "edit-undo" else self.controller.stack.canRedo())
            elif name == "edit-paste":
                action.triggered.disconnect()
                action.triggered.connect(lambda _=False, o=obj: self.paste_block(o) or o.paste())
        menu.addSeparator()
        column = "note" if isinstance(obj, NoteEdit) else "value"
        menu.addAction("Sao chép cả biểu mẫu (dán vào Excel)",
                       lambda: QApplication.clipboard().setText(self.copy_rows(list(self.cells))))
        if column == "note":
            menu.addAction("Sửa ghi chú trong khung lớn…\tF2", lambda: self.open_note(obj))
        menu.addAction("Lịch sử thay đổi…", lambda: self.history.emit(obj.ind.id, column))
        menu.exec(obj.mapToGlobal(pos))

    def open_note(self, note: NoteEdit) -> None:
        """F2 / Ctrl+Enter: the whole note in a box large enough to read and edit it."""
        from cchc_desktop.gui.note_editor import edit_note  # imported when first asked

        ident = note.ind.id
        self.controller.end_cell()
        text = edit_note(note.ind, self.state.notes.get(ident, ""), self)
        if text is not None and text != self.state.notes.get(ident, ""):
            self.controller.edit("note", ident, text)
            self.controller.end_cell()
            self.refresh(ident)
        self.window().activateWindow()  # back in the cell the clerk left, ready to go on typing
        note.setFocus(Qt.OtherFocusReason)

    def _navigate(self, obj, event) -> bool:
        key, mods = event.key(), event.modifiers()
        is_note = isinstance(obj, NoteEdit)
        if is_note and (key == Qt.Key_F2 or (key in (Qt.Key_Return, Qt.Key_Enter) and mods & Qt.ControlModifier)):
            self.open_note(obj)
            return True
        if mods & (Qt.ControlModifier | Qt.AltModifier):
            return False
        tab = key in (Qt.Key_Tab, Qt.Key_Backtab)  # only Tab crosses into the next or previous form
        if key in NEXT_KEYS and not (key == Qt.Key_Tab and mods & Qt.ShiftModifier):
            self._step(obj, +1, is_note, tab)
            return True
        if key in PREV_KEYS or (key == Qt.Key_Tab and mods & Qt.ShiftModifier):
            self._step(obj, -1, is_note, tab)
            return True
        at_end = not isinstance(obj, QLineEdit) or (obj.cursorPosition() == len(obj.text()) and not obj.hasSelectedText())
        if key == Qt.Key_Right and not is_note and at_end:
            self.notes[obj.ind.id].setFocus(Qt.TabFocusReason)
            return True
        if key == Qt.Key_Left and is_note and obj.cursorPosition() == 0 and not obj.hasSelectedText():
            self.editor_for(obj.ind.id).setFocus(Qt.BacktabFocusReason)
            return True
        return False

    def _step(self, obj, step: int, is_note: bool, cross: bool = True) -> None:
        order = self.note_order if is_note else self.value_order
        if obj in order:
            n = order.index(obj) + step
        else:  # a computed cell is not in the Tab order: go on from its row to the inputs around it
            after = bisect_right([self.row_of[w.ind.id] for w in order], self.row_of[obj.ind.id])
            n = after if step > 0 else after - 1
        if 0 <= n < len(order):
            order[n].setFocus(Qt.TabFocusReason if step > 0 else Qt.BacktabFocusReason)
        elif cross:
            self.leave.emit(step, "note" if is_note else "value")
        else:  # Enter or an arrow at the form's edge: the clerk stays, told how to go on
            where, key = ("cuối", "Tab") if step > 0 else ("đầu", "Shift+Tab")
            self.status.emit(f"Đây là ô {where} của Biểu mẫu {self.form.number}. Bấm {key} để sang biểu mẫu "
                             f"{'sau' if step > 0 else 'trước'}.")

"""The tabs of one open report, built from `catalog.tabs`: Thông tin chung, Chỉ đạo điều hành,
one per reform area, Đánh giá…, Kiểm tra và xuất. Listens to the session and repaints only
the rows an edit touched."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QApplication, QLabel, QLineEdit, QPlainTextEdit, QScrollArea, QSplitter, QTabWidget,
                               QVBoxLayout, QWidget)

from typing import TYPE_CHECKING

from cchc_desktop.gui import assets
from cchc_desktop.gui.cells import computed_from
from cchc_desktop.gui.editing import EditController
from cchc_desktop.gui.header_tab import HeaderTab
from cchc_desktop.gui.narrative_pane import NarrativePane
from cchc_desktop.gui.place import Place, box_kind
from cchc_desktop.core.engine import prose_section
from cchc_desktop.core.issue_places import PROSE
from cchc_desktop.services.session import Edit

if TYPE_CHECKING:  # imported when their tab is first built: the first paint shows neither
    from cchc_desktop.gui.check_tab import CheckTab
    from cchc_desktop.gui.form_table import FormTable

HEADER_TAB, CHECK_TAB = "thong_tin_chung", "kiem_tra"


class ReportTabs(QTabWidget):
    issues_changed = Signal()
    status = Signal(str)  # a line for the status bar
    history_asked = Signal(str, str)  # (indicator or section id, "value" | "note" | "narrative")
    place_changed = Signal()  # the tab or the box with the cursor changed (gui/place)

    def __init__(self, controller: EditController, registry, settings):
        super().__init__()
        self.setObjectName("reportTabs")
        assets.styled(self.tabBar(), "tabs")  # the bar alone: a sheet on the tab widget would reach every page
        self.setDocumentMode(False)
        self.setUsesScrollButtons(True)
        self.controller = controller
        self.session = controller.session
        self.catalog = self.session.catalog
        self.tables: dict[int, FormTable] = {}
        self.scrolls: dict[int, QScrollArea] = {}
        self.panes: dict[str, NarrativePane] = {}  # section id -> its pane
        self.tab_of_form: dict[int, int] = {}
        self.tab_of_section: dict[str, int] = {}
        self.check: CheckTab | None = None
        self.header_tab: HeaderTab | None = None
        self.registry, self.settings = registry, settings
        self.next_period = self.session.report.get("next_period_label", "")
        self.form_order = [n for tab in self.catalog.tabs for n in tab.forms]
        for index, tab in enumerate(self.catalog.tabs):
            for n in tab.forms:
                self.tab_of_form[n] = index
            for sid in tab.sections:
                self.tab_of_section[sid] = index
            # an empty page per tab, filled the first time it is needed: building all seven
            # forms up front would make the clerk wait several times longer at every start
            page = QWidget()
            page.setObjectName(f"tab:{tab.id}")
            lay = QVBoxLayout(page)
            lay.setContentsMargins(0, 0, 0, 0)
            self.addTab(page, tab.title)
        self._built: set[int] = set()
        self._last_cell: dict[int, QWidget] = {}  # per tab: where F6 returns to in the form
        self._last_place: Place | None = None
        self.ensure_tab(0)
        self.currentChanged.connect(self._tab_changed)
        self.session.subscribe(self.on_edit)
        controller.revealed.connect(self._revealed)
        QApplication.instance().focusChanged.connect(self._focus_moved)

    # -- building tabs on demand ----------------------------------------------------------
    def ensure_tab(self, index: int) -> None:
        if index in self._built or not 0 <= index < self.count():
            return
        self._built.add(index)
        tab = self.catalog.tabs[index]
        pane = None
        if tab.sections:
            pane = NarrativePane([self.catalog.sections[s] for s in tab.sections], self.controller, self.catalog,
                                 tab.forms, self.next_period)
            for s in tab.sections:
                self.panes[s] = pane
            pane.history_asked.connect(self.history_asked.emit)
        if tab.id == HEADER_TAB:
            content = self.header_tab = HeaderTab(self.controller, pane, self.status.emit)
        elif tab.id == CHECK_TAB or (not tab.sections and not tab.forms):
            from cchc_desktop.gui.check_tab import CheckTab

            self.check = content = CheckTab(self.controller, self.registry, self.settings)
            content.issues.jump.connect(self.reveal)
        elif tab.forms:
            content = self._forms_page(index, tab.forms, pane)
        else:
            content = QWidget()
            lay = QVBoxLayout(content)
            lay.setContentsMargins(8, 8, 8, 8)
            lay.addWidget(pane)
        self.widget(index).layout().addWidget(content)

    def table(self, number: int) -> FormTable:
        self.ensure_tab(self.tab_of_form[number])
        return self.tables[number]

    def pane(self, section_id: str) -> NarrativePane:
        self.ensure_tab(self.tab_of_section[section_id])
        return self.panes[section_id]

    def check_tab(self) -> CheckTab:
        self.ensure_tab(next(i for i, t in enumerate(self.catalog.tabs) if t.id == CHECK_TAB or not (t.sections or t.forms)))
        return self.check

    def _forms_page(self, index: int, forms: tuple[int, ...], pane: NarrativePane) -> QWidget:
        from cchc_desktop.gui.form_table import FormTable

        holder = assets.styled(QWidget(), "form")
        lay = QVBoxLayout(holder)
        lay.setContentsMargins(8, 6, 8, 8)
        lay.setSpacing(4)
        for number in forms:
            form = self.catalog.forms[number]
            title = QLabel(f"Biểu mẫu {number}. {form.title}")
            title.setObjectName("formTitle")
            title.setWordWrap(True)
            lay.addWidget(title)
            table = FormTable(form, self.catalog, self.controller)
            table.leave.connect(lambda step, column, n=number: self._leave_form(n, step, column))
            table.focused.connect(self._cell_focused)
            table.status.connect(self.status.emit)
            table.history.connect(self.history_asked.emit)
            lay.addWidget(table)
            self.tables[number] = table
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # the form wraps, it never scrolls sideways
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(holder)
        for number in forms:
            self.scrolls[number] = scroll
        split = QSplitter(Qt.Horizontal)
        split.setObjectName("formSplit")
        split.addWidget(scroll)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 6, 8, 8)
        rl.addWidget(pane)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([800, 540])
        split.setChildrenCollapsible(False)
        return split

    def refresh_header(self) -> None:
        if self.header_tab is not None:
            self.header_tab.show_form()

    # -- following the session ---------------------------------------------------------
    def on_edit(self, edit: Edit) -> None:
        # a figure typed in the prose questioned, or no longer, after this edit: its underline
        for sid in {prose_section(i) for i in edit.change.added + edit.change.removed} - {None, edit.key}:
            if sid in self.panes:
                self.panes[sid].show_findings(sid)
        if edit.kind in ("value", "note"):
            touched = edit.change.indicators() | {edit.key}
            for ident in touched:
                table = self.tables.get(self.catalog.indicators[ident].form)
                if table is not None:
                    table.refresh(ident)
            for pane in set(self.panes.values()):
                pane.update_preview()
            self.issues_changed.emit()
            focused = self.focusWidget()
            if getattr(focused, "ind", None) is not None and focused.ind.id == edit.key:
                self._cell_focused(edit.key)
        elif edit.kind == "narrative":
            pane = self.panes.get(edit.key)
            if pane is not None:
                pane.refresh(edit.key)
                pane.show_findings(edit.key)
            if not edit.change.empty:
                for ident in edit.change.indicators():
                    table = self.tables.get(self.catalog.indicators[ident].form)
                    if table is not None:
                        table.refresh(ident)
                self.issues_changed.emit()
        if edit.kind in ("header", "prose") and not edit.change.empty:
            self.issues_changed.emit()
        if (self.check is not None and edit.kind in ("value", "note", "narrative", "header", "status", "prose")
                and self.currentWidget().isAncestorOf(self.check)):
            self.check.update_all()  # otherwise brought up to date when its tab is shown

    def _cell_focused(self, ident: str) -> None:
        table = self.tables[self.catalog.indicators[ident].form]
        self._last_cell[self.tab_of_form[table.form.number]] = QApplication.focusWidget()
        self.scrolls[table.form.number].ensureWidgetVisible(table.cells[ident], 20, 60)
        issues = self.session.state.issues_for(ident)
        row = self.catalog.row_name(ident)
        ind = self.catalog.indicators[ident]
        if issues:
            self.status.emit(" ".join(i.message for i in issues))
        elif ind.is_derived:
            self.status.emit(computed_from(self.catalog, ind))
        else:
            self.status.emit(f"{row}: {ind.label}")

    def _tab_changed(self, index: int) -> None:
        self.ensure_tab(index)
        self.place_changed.emit()
        if self.check is not None and self.widget(index).isAncestorOf(self.check):
            self.controller.flush()
            self.check.update_all()

    # -- moving around -----------------------------------------------------------------
    def reveal(self, ident: str, column: str = "value") -> None:
        """Show a row's cell, switching tab, and put the cursor in it; for an issue about a
        figure typed in the prose (column PROSE, `ident` its key), the figure in its section."""
        if column == PROSE:
            issue = self.session.state.issues.get(ident)
            sid = prose_section(issue) if issue is not None else None
            if sid in self.tab_of_section:
                pane = self.pane(sid)
                self.setCurrentIndex(self.tab_of_section[sid])
                pane.select_finding(sid, issue)
            return
        ind = self.catalog.indicators.get(ident)
        if ind is None or ind.form not in self.tab_of_form:
            return
        table = self.table(ind.form)
        self.setCurrentIndex(self.tab_of_form[ind.form])
        editor = table.editor_for(ident, column) if ind.kind != "heading" else None
        anchor = table.cells.get(ident) or editor
        if anchor is not None:
            self.scrolls[ind.form].ensureWidgetVisible(anchor, 20, 60)
        if editor is not None and editor.focusPolicy() != Qt.NoFocus:
            editor.setFocus(Qt.ShortcutFocusReason)  # selects the text: typing replaces it, as after Tab

    def reveal_section(self, section_id: str) -> None:
        if section_id in self.tab_of_section:
            pane = self.pane(section_id)
            self.setCurrentIndex(self.tab_of_section[section_id])
            pane.select(section_id)
            pane.editors[section_id].setFocus(Qt.OtherFocusReason)

    def show_saved(self, kind: str, key: str) -> None:
        """An edit was refused: the cell or section shows again what is saved."""
        if kind == "narrative" and key in self.panes:
            self.panes[key].refresh(key)
        elif kind in ("value", "note") and key in self.catalog.indicators:
            table = self.tables.get(self.catalog.indicators[key].form)
            if table is not None:
                table.refresh(key)

    def _revealed(self, kind: str, key: str) -> None:
        if kind == "report":  # an undone header change: the boxes show it, on their tab
            self.refresh_header()
            index = next((i for i, t in enumerate(self.catalog.tabs) if t.id == HEADER_TAB), None)
            if index is not None:
                self.setCurrentIndex(index)
        elif kind == "narrative":
            self.reveal_section(key)
        else:
            self.reveal(key, "note" if kind == "note" else "value")

    def _leave_form(self, number: int, step: int, column: str) -> None:
        numbers = self.form_order
        n = numbers.index(number) + step
        if not 0 <= n < len(numbers):
            where = "cuối cùng" if step > 0 else "đầu tiên"
            self.status.emit(f"Đây là ô {where} của các biểu mẫu.")
            return
        target = self.table(numbers[n])
        self.setCurrentIndex(self.tab_of_form[numbers[n]])
        editor = target.first(column, last=step < 0)
        if editor is not None:
            editor.setFocus(Qt.TabFocusReason if step > 0 else Qt.BacktabFocusReason)

    def toggle_focus(self) -> None:
        """F6: between the form and the prose of the current tab, without the mouse."""
        tab = self.catalog.tabs[self.currentIndex()]
        focused = QApplication.focusWidget()
        pane = self.panes.get(tab.sections[0]) if tab.sections else None
        in_pane = pane is not None and focused is not None and pane.isAncestorOf(focused)
        if tab.forms and (in_pane or pane is None):
            table = self.table(tab.forms[0])
            target = self._last_cell.get(self.currentIndex()) or table.first()
            if target is not None:
                target.setFocus(Qt.ShortcutFocusReason)
        elif pane is not None:
            pane.current_editor.setFocus(Qt.ShortcutFocusReason)

    def focus_start(self) -> None:
        """Where the cursor starts when a report opens: the first field of the current tab."""
        page = self.currentWidget()
        target = page.nextInFocusChain() if page is not None else None
        while target is not None and target is not page and not (
                target.focusPolicy() & Qt.TabFocus and target.isVisibleTo(page) and page.isAncestorOf(target)):
            target = target.nextInFocusChain()
        if target is not None and target is not page:
            target.setFocus(Qt.OtherFocusReason)

    def focus_first_input(self, form: int | None = None):
        """The cursor in the first input of a form (the first form by default), its tab shown."""
        number = form if form is not None else self.form_order[0]
        editor = self.table(number).first()
        self.setCurrentIndex(self.tab_of_form[number])
        editor.setFocus(Qt.TabFocusReason)
        return editor

    # -- where the clerk was (gui/place) ---------------------------------------------
    def _focus_moved(self, old, new) -> None:
        if old is not None:
            self._box_place(old)  # the cursor's position in the box it leaves
        if new is not None and self.isAncestorOf(new):
            self.place_changed.emit()

    def _box_place(self, widget: QWidget) -> Place | None:
        """The place of a box of the current tab (remembered as the last one), else None."""
        if not self.currentWidget().isAncestorOf(widget):
            return None
        if box_kind(widget.objectName(), self.catalog.indicators.__contains__) is None:
            return None
        if isinstance(widget, QLineEdit):
            cursor = widget.cursorPosition()
        elif isinstance(widget, QPlainTextEdit):
            cursor = widget.textCursor().position()
        else:
            cursor = 0
        self._last_place = Place(self.catalog.tabs[self.currentIndex()].id, widget.objectName(), cursor)
        return self._last_place

    def current_form(self) -> int | None:
        """The (first) Biểu mẫu of the tab on screen; None on a tab without forms."""
        forms = self.catalog.tabs[self.currentIndex()].forms
        return forms[0] if forms else None

    def place(self) -> Place:
        """The box with the cursor; while the cursor is elsewhere (the find bar, a message),
        the last box of this tab the cursor was in."""
        tab = self.catalog.tabs[self.currentIndex()].id
        focused = QApplication.focusWidget()
        here = self._box_place(focused) if focused is not None else None
        if here is not None:
            return here
        last = self._last_place
        return last if last is not None and last.tab == tab else Place(tab)

    def go_to(self, place: Place) -> bool:
        """Open the report where the clerk was: False (and nothing moved) when the tab is not
        in this report's catalog; a box that is gone leaves the cursor at the tab's start."""
        index = next((i for i, t in enumerate(self.catalog.tabs) if t.id == place.tab), None)
        if index is None:
            return False
        self.ensure_tab(index)
        self.setCurrentIndex(index)
        kind = box_kind(place.box, self.catalog.indicators.__contains__)
        if kind is None:
            self.focus_start()
            return True
        what, key = kind
        if what == "narrative" and key in self.tab_of_section:
            self.reveal_section(key)
        elif what in ("value", "note") and self.tab_of_form.get(self.catalog.indicators[key].form) == index:
            self.reveal(key, what)
        box = next((w for w in self.widget(index).findChildren(QWidget, place.box) if w.focusPolicy() & Qt.TabFocus),
                   None)
        if box is None or not box.isEnabled():
            self.focus_start()
            return True
        box.setFocus(Qt.OtherFocusReason)
        if isinstance(box, QLineEdit):
            box.deselect()
            box.setCursorPosition(min(place.cursor, len(box.text())))
        elif isinstance(box, QPlainTextEdit):
            cursor = box.textCursor()
            cursor.setPosition(min(place.cursor, len(box.toPlainText())))
            box.setTextCursor(cursor)
            box.ensureCursorVisible()
        return True

    def detach(self) -> None:
        QApplication.instance().focusChanged.disconnect(self._focus_moved)
        self.controller.flush()
        self.session.unsubscribe(self.on_edit)

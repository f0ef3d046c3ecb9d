"""A block pasted into a form: what the clipboard holds (Excel/LibreOffice TSV, a Word or web
table as HTML) and which rows of the form each line fills.

Clerks copy their figures from spreadsheets — the province's procedure-handling system's Excel
export, last period's appendix, a colleague's table in Word. A block lands on the form's input
rows in order from the cell it is pasted into (headings and computed rows are skipped, and the
plan says so); when the block carries its own STT column (a form copied from a spreadsheet laid
out like ours: a province's sheet or our appendix, numbered within the form, "3.2.1" for
bm3.3.2.1; or an appendix of ours from before, numbered across forms, "3.3.2.1"), lines are
matched to rows by STT instead, and lines that match no row are listed, never dropped. A header
line names the columns — one line, or the two-level header of the real forms that our Excel
appendix writes ("Kết quả thống kê" over "Đơn vị tính | Số liệu"), with the form's title lines
above it when they were copied too. Values stay text here: the edit path validates each one as
if typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from cchc_desktop.core.catalog import Catalog, Indicator
from cchc_desktop.core.letters import nfc, without_marks
from cchc_desktop.core.vocabulary import FORM_COLUMNS, RESULTS_COLUMN

MAX_PASTE_LINES = 2000  # a form has < 100 rows; more is a whole sheet pasted by mistake
MAX_PASTE_CHARS = 1_000_000

_COLUMN_KEYS = ("stt", "label", "unit", "value", "note")  # the meaning of each of FORM_COLUMNS
_STT = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,5}\.?$")


# ---------------------------------------------------------------- reading the clipboard

def split_tsv(text: str) -> list[list[str]]:
    """Excel's and LibreOffice's text/plain: lines of tab-separated cells; a cell holding a line
    break or a tab is quoted ("a""b" is a"b). The final line break ends the last line, it does
    not start an empty one."""
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, n = 0, len(text)
    at_cell_start = True
    while i < n:
        ch = text[i]
        if at_cell_start and ch == '"' and _quoted_cell_ends(text, i):
            i += 1
            while i < n:
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        cell.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                cell.append(text[i])
                i += 1
            at_cell_start = False
            continue
        if ch == "\t":
            row.append("".join(cell))
            cell, at_cell_start = [], True
        elif ch in "\r\n":
            if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            row.append("".join(cell))
            rows.append(row)
            row, cell, at_cell_start = [], [], True
        else:
            cell.append(ch)
            at_cell_start = False
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    return rows


def _quoted_cell_ends(text: str, start: int) -> bool:
    """A cell is quoted only when its closing quote is followed by a tab, a line break or the
    end: a note that merely starts with a quotation mark ("Theo…" as typed) stays as typed."""
    i = start + 1
    while True:
        j = text.find('"', i)
        if j < 0:
            return False
        if j + 1 < len(text) and text[j + 1] == '"':
            i = j + 2
            continue
        return j + 1 == len(text) or text[j + 1] in "\t\r\n"


class _TableReader(HTMLParser):
    """The first <table> of text/html (Word, LibreOffice, a browser): its rows' cell texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.depth = 0
        self.done = False
        self.cell: list[str] | None = None
        self.row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        if tag == "table":
            self.depth += 1
        elif self.depth == 1 and tag == "tr":
            self.row = []
        elif self.depth == 1 and tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")
        elif tag == "p" and self.cell:
            self.cell.append("\n")

    def handle_endtag(self, tag):
        if self.done:
            return
        if tag == "table":
            self.depth -= 1
            if self.depth == 0:
                self.done = True
        elif self.depth == 1 and tag in ("td", "th") and self.cell is not None and self.row is not None:
            text = "".join(self.cell)
            lines = [" ".join(part.split()) for part in text.split("\n")]
            self.row.append("\n".join(x for x in lines if x))
            self.cell = None
        elif self.depth == 1 and tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None and self.depth == 1:
            self.cell.append(data)


def table_from_html(html: str) -> list[list[str]] | None:
    reader = _TableReader()
    try:
        reader.feed(html[:MAX_PASTE_CHARS])
        reader.close()
    except Exception:  # a broken fragment is simply not a table; the plain text is used instead
        return None
    return reader.rows or None


def clipboard_rows(text: str | None, html: str | None = None) -> list[list[str]]:
    """What the clipboard holds, as rows of cell texts (NFC, no trailing blank lines).
    A table in the HTML is preferred: Word puts a table there and only tab-less lines in text."""
    rows = table_from_html(html) if html and "<table" in html.lower() else None
    if rows is None:
        rows = split_tsv((text or "")[:MAX_PASTE_CHARS])
    rows = [[nfc(c).replace("\u00a0", " ").strip() for c in r] for r in rows[:MAX_PASTE_LINES]]
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def is_block(rows: list[list[str]]) -> bool:
    """More than one cell: a single cell is an ordinary paste into the editor."""
    return len(rows) > 1 or (len(rows) == 1 and len(rows[0]) > 1)


# ---------------------------------------------------------------- which rows a block fills

@dataclass(frozen=True)
class Fill:
    ident: str
    value: str
    note: str | None = None  # None: the block has no Ghi chú column; the note is left as it is


@dataclass
class PastePlan:
    fills: list[Fill] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # ids of headings/computed rows passed over
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (line number from 1, what it said)
    overflow: int = 0  # lines left over after the form's last input row
    by_stt: bool = False

    def summary(self, catalog: Catalog) -> str:
        """One Vietnamese paragraph for the status bar / message: what the paste did."""
        parts = [f"Đã dán {len(self.fills)} ô" + (" (khớp theo cột STT)" if self.by_stt else "") + "."]
        if self.skipped:
            rows = ", ".join(catalog.indicators[i].stt for i in self.skipped[:8])
            more = " …" if len(self.skipped) > 8 else ""
            parts.append(f"Bỏ qua {len(self.skipped)} dòng tiêu đề hoặc tự tính: {rows}{more}.")
        if self.unmatched:
            lines = "; ".join(f"dòng {n}: “{what}”" for n, what in self.unmatched[:5])
            more = " …" if len(self.unmatched) > 5 else ""
            parts.append(f"{len(self.unmatched)} dòng không khớp chỉ tiêu nào nên không dán: {lines}{more}.")
        if self.overflow:
            parts.append(f"{self.overflow} dòng vượt quá cuối biểu mẫu nên không dán.")
        return " ".join(parts)


def _numberings(inds: list[Indicator]) -> list[dict[str, Indicator]]:
    """The ways a spreadsheet may number this form's rows: as we print them, within the form
    (Indicator.stt: bm3.3.2.1 is "3.2.1" in Biểu mẫu 3, as in the real forms and a province's
    sheet), or across forms as our appendices printed them before ("3.3.2.1", the id without
    "bm"). They collide ("3.1" is bm3.3.1 one way, bm3.1 the other), so a block is read in one of
    them, the one under which its lines find their rows; a tie goes to the printed one."""
    printed = {ind.stt: ind for ind in inds}
    across = {ind.id.removeprefix("bm"): ind for ind in inds}
    return [printed, across]


def _clean_stt(cell: str) -> str:
    return cell.strip().rstrip(".")


def _pick_numbering(rows: list[list[str]], stt_col: int, label_col: int | None,
                    numberings: list[dict[str, Indicator]]) -> tuple[dict[str, Indicator], int]:
    """The numbering under which most lines find their row — and, when the block has labels,
    a row with that label: (numbering, lines matched)."""
    best, best_score, best_hits = numberings[0], -1, 0
    for numbering in numberings:
        hits = score = 0
        for row in rows:
            ind = numbering.get(_clean_stt(row[stt_col])) if stt_col < len(row) else None
            if ind is None:
                continue
            hits += 1
            score += 1
            if label_col is not None and label_col < len(row) and _same_label(row[label_col], ind.label):
                score += 2
        if score > best_score:
            best, best_score, best_hits = numbering, score, hits
    return best, best_hits


def _same_label(typed: str, label: str) -> bool:
    a, b = (" ".join(without_marks(x).casefold().split()) for x in (typed, label))
    return bool(a) and (a == b or a in b or b in a)


def _stt_column_likely(rows: list[list[str]]) -> bool:
    """Without a header line only a block of three columns or more can carry an STT: two
    columns are a figure and its Ghi chú ("1 <tab> Theo Quyết định …" is not row 1)."""
    if max((len(r) for r in rows), default=0) < 3:
        return False
    firsts = [_clean_stt(r[0]) for r in rows if len(r) > 1 and r[0].strip()]
    return len(firsts) >= max(1, len(rows) // 2) and all(_STT.match(s) for s in firsts)


def _names(row: list[str]) -> list[str]:
    return [" ".join(without_marks(c).casefold().split()) for c in row]


_WANTED = {key: without_marks(label).casefold() for key, label in zip(_COLUMN_KEYS, FORM_COLUMNS)}
_RESULTS = without_marks(RESULTS_COLUMN).casefold()
HEADER_SEARCH = 6  # a header line may come after the form's title lines, copied with the table


def _header_columns(row: list[str]) -> dict[str, int] | None:
    """A header line (STT | Chỉ tiêu | Đơn vị tính | Số liệu | Ghi chú): where the value and
    the note are. Matched without marks and case, so "SO LIEU" or "Số liệu" both work."""
    names = _names(row)
    found = {key: names.index(w) for key, w in _WANTED.items() if w in names}
    return found if "value" in found else None


def _two_level_header(top: list[str], below: list[str]) -> tuple[dict[str, int], int] | None:
    """The real forms' header as our Excel appendix writes it, two lines: "STT | Chỉ tiêu | Kết
    quả thống kê | | Ghi chú" over "| | Đơn vị tính | Số liệu |". (The columns of both lines, how
    many lines it takes: 2, or 1 when the block was cut below its first line.)"""
    names = _names(top)
    if _RESULTS not in names:
        return None
    found = {key: names.index(w) for key, w in _WANTED.items() if w in names}
    lower = _names(below)
    under = {key: lower.index(_WANTED[key]) for key in ("unit", "value") if _WANTED[key] in lower}
    if not under:  # cut after the first line: the value is the first column under Kết quả thống kê
        results = names.index(_RESULTS)
        under = {"unit": results, "value": results + 1} if results + 1 < len(top) and not top[results + 1] else {}
    found.update((k, v) for k, v in under.items() if k not in found)
    if "value" not in found:
        return None
    return found, 2 if any(_WANTED[k] in lower for k in ("unit", "value")) else 1


def _find_header(rows: list[list[str]]) -> tuple[dict[str, int] | None, int]:
    """(the header's columns, the first line after it): a header on the first line, or, of one
    line or two, within the first few (what is above it is the form's title, copied with its
    table); (None, 0) without one."""
    for n, row in enumerate(rows[:HEADER_SEARCH]):
        two = _two_level_header(row, rows[n + 1] if n + 1 < len(rows) else [])
        if two is not None:
            return two[0], n + two[1]
        one = _header_columns(row)
        if one is not None:
            return one, n + 1
        if _STT.match(_clean_stt(row[0] if row else "")):
            break  # a form's row comes before any header: the block has none
    return None, 0


def plan_paste(catalog: Catalog, form_number: int, start_ident: str, rows: list[list[str]]) -> PastePlan:
    form = catalog.forms[form_number]
    inds = [catalog.indicators[i] for i in form.indicators]
    plan = PastePlan()
    header, first = _find_header(rows)
    rows = rows[first:]
    stt_col = header.get("stt") if header else (0 if _stt_column_likely(rows) else None)
    if stt_col is not None:
        label_col = header.get("label") if header else 1
        numbering, hits = _pick_numbering(rows, stt_col, label_col, _numberings(inds))
        # an STT-looking first column that names none of this form's rows is figures after all
        # ("1" "2" "3" pasted as a column of counts has one cell per line and never gets here)
        if header is not None or hits * 2 >= len([r for r in rows if any(r)]):
            return _plan_by_stt(plan, rows, header, stt_col, numbering, first)
    value_col, note_col = (header.get("value", 0), header.get("note")) if header else (0, 1)
    width = max((len(r) for r in rows), default=0)
    if note_col is not None and note_col >= width:
        note_col = None
    start = next((i for i, ind in enumerate(inds) if ind.id == start_ident), 0)
    targets = iter(inds[start:])
    for row in rows:
        for ind in targets:
            if ind.is_input:
                plan.fills.append(_fill(ind, row, value_col, note_col))
                break
            plan.skipped.append(ind.id)
        else:
            plan.overflow += 1
    return plan


def _plan_by_stt(plan: PastePlan, rows: list[list[str]], header: dict[str, int] | None, stt_col: int,
                 numbering: dict[str, Indicator], first: int = 0) -> PastePlan:
    plan.by_stt = True
    value_col, note_col = _value_and_note_columns(header, max((len(r) for r in rows), default=0))
    for n, row in enumerate(rows, start=first + 1):
        if not any(row):
            continue
        ind = numbering.get(_clean_stt(row[stt_col])) if stt_col < len(row) else None
        if ind is None:
            plan.unmatched.append((n, " | ".join(c for c in row if c)[:80]))
        elif not ind.is_input:
            plan.skipped.append(ind.id)
        else:
            plan.fills.append(_fill(ind, row, value_col, note_col))
    return plan


def _value_and_note_columns(header: dict[str, int] | None, width: int) -> tuple[int, int | None]:
    if header:
        return header["value"], header.get("note")
    # without a header line, the columns as our forms print them, from the right when short
    if width >= 5:
        return 3, 4
    if width == 4:
        return 3, None  # STT | Chỉ tiêu | Đơn vị tính | Số liệu
    return 2, None  # STT | Chỉ tiêu | Số liệu


def _fill(ind: Indicator, row: list[str], value_col: int, note_col: int | None) -> Fill:
    value = row[value_col] if value_col < len(row) else ""
    note = (row[note_col] if note_col < len(row) else "") if note_col is not None else None
    return Fill(ind.id, value, note)


# ---------------------------------------------------------------- the other way: copy rows out

def _tsv_cell(text: str) -> str:
    if any(c in text for c in '\t\r\n"'):
        return '"' + text.replace('"', '""') + '"'
    return text


def rows_as_tsv(catalog: Catalog, cells: list[tuple[str, str, str]]) -> str:
    """(id, value as shown, note) → TSV with the form's five columns, as Excel pastes it."""
    lines = ["\t".join(FORM_COLUMNS)]
    for ident, shown, note in cells:
        ind = catalog.indicators[ident]
        lines.append("\t".join(_tsv_cell(x) for x in (ind.stt, ind.label, ind.unit, shown, note)))
    return "\r\n".join(lines) + "\r\n"

"""Figures typed in the clerk's prose, checked like the figures in the forms.

The forms cannot hold wrong arithmetic any more; the prose still could ("843/1.555 hồ sơ … đạt
54,21%" above a placeholder that prints 812/1.524 and 53,28%). Four findings, all warnings:

* ``ratio``           "a/b" with a percentage in the same clause that a/b does not round to;
* ``contradicts_row`` a typed percentage or count that the sentence says is a row's figure,
                      while the row holds another value (or is blank, for a percentage);
* ``equals_row``      the same, but the figure equals the row: offer its ``{bm…}`` placeholder
                      so the sentence stays live when the row changes ("Thay bằng số liệu");
* ``number_style``    a figure written the English way ("55.15%", "1,962 hồ sơ").

A false alarm teaches clerks to ignore every warning, so this module is built for precision:
a figure is checked against a row only when the words around it carry the row's label and the
word after it is the row's unit, and one row matches clearly better than any other. Document
numbers, dates, years, phone numbers, standards ("ISO 9001:2015"), service levels ("mức độ 3, 4")
and ``{bm…}`` placeholders are never figures: none of them is followed by a unit word, and the
patterns that could pass for a ratio ("15/KH-UBND", "16/02/2023", "61/2018/NĐ-CP") are excluded
by their shape.

Incremental use (the narrative editor, per keystroke): a report's text is cut into sentences and
each sentence's findings are cached on the sentence text and the values of the rows it can name,
so typing in one sentence re-checks that sentence only. ``ProseChecker.check`` does that;
``check_prose`` is the one-shot form. Offsets are character offsets into the text given.
Core module: no Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Mapping

from cchc_desktop.core.catalog import Catalog, Indicator
from cchc_desktop.core.engine import Issue, ReportState
from cchc_desktop.core.ids import PLACEHOLDER
from cchc_desktop.core.letters import without_marks
from cchc_desktop.core.numbers import format_count, format_money, format_percent, parse_count, parse_money

__all__ = [
    "RATIO", "CONTRADICTS_ROW", "EQUALS_ROW", "NUMBER_STYLE", "KINDS",
    "ProseFinding", "ProseChecker", "TypedFigure", "checker_for", "check_prose", "row_unit", "sentence_spans",
]

RATIO, CONTRADICTS_ROW, EQUALS_ROW, NUMBER_STYLE = "ratio", "contradicts_row", "equals_row", "number_style"
KINDS = (RATIO, CONTRADICTS_ROW, EQUALS_ROW, NUMBER_STYLE)
REPLACE_LABEL = "Thay bằng số liệu"


@dataclass(frozen=True)
class ProseFinding:
    kind: str  # one of KINDS
    start: int  # the figure's span in the text
    end: int
    sentence_start: int  # the sentence it is in: where the issues list jumps to
    sentence_end: int
    message: str  # Vietnamese: what is wrong, what it computes to / which row and its value
    typed: str  # the figure as typed ("54,21%")
    rows: tuple[str, ...] = ()  # the rows it was compared with
    replacement: str | None = None  # equals_row: "{bm7.3.4}" to put in place of [start, end)

    def shifted(self, by: int) -> "ProseFinding":
        return ProseFinding(self.kind, self.start + by, self.end + by, self.sentence_start + by,
                            self.sentence_end + by, self.message, self.typed, self.rows, self.replacement)

    def issue(self, section_id: str, where: str) -> Issue:
        """As a warning of the engine's issue list. `where` names the section for the clerk
        ("Mục II.6 (…)", engine.section_name); the key carries the span so the list can jump."""
        return Issue("warning", None, self.rows, f"{where}: {self.message}",
                     f"prose:{section_id}:{self.start}:{self.end}:{self.kind}")


@dataclass(frozen=True)
class TypedFigure:
    """A figure typed in the prose that could be a row's value (``ProseChecker.typed_figures``):
    a count or amount followed by a unit word, a percentage, or a side of a ratio ("843/1.555").
    Never a year, a date, a document number or a service level: those are not figures here."""

    start: int  # the number's span in the text given (the unit word and '%' are after `end`)
    end: int
    text: str
    unit: str  # "%", a row's unit as `row_unit` gives it ("ho so", "trieu dong"), "ty dong", or "" for a side of a ratio
    value: Fraction | None  # in the rows' own unit (a "tỷ đồng" figure in Triệu đồng); None: unreadable


# --------------------------------------------------------------------------- words

class _FoldTable(dict):
    """str.translate's table for _fold, filled as characters are met (a report uses ~150)."""

    def __missing__(self, code: int) -> str:
        f = without_marks(chr(code)).lower()
        self[code] = folded = f[0] if f else "\0"
        return folded


_FOLD_TABLE = _FoldTable()


def _fold(text: str) -> str:
    """Lower case without diacritics, one character for one character, so offsets carry over;
    a combining mark typed separately (Unikey's decomposed input) becomes NUL, not nothing.
    Per keystroke on every sentence a figure's row reaches: one translate, not a call per letter."""
    return text.translate(_FOLD_TABLE)


_WORD = re.compile(r"[a-z\0]+")
# The OCR'd reports and hurried clerks write these; the labels spell them out (or the reverse).
_ABBREVIATIONS = {
    "tthc": "thu tuc hanh chinh", "dvctt": "dich vu cong truc tuyen", "dvc": "dich vu cong",
    "vbqppl": "van ban quy pham phap luat", "qppl": "quy pham phap luat", "pakn": "phan anh kien nghi",
    "cbcc": "can bo cong chuc", "kct": "khong chuyen trach", "dvsn": "don vi su nghiep",
    "cchc": "cai cach hanh chinh", "bcci": "buu chinh cong ich", "cntt": "cong nghe thong tin",
    "hs": "ho so",
}
# Words every label or sentence has: they say nothing about which row is meant. "so" is both
# số and sơ once the marks are gone; "ho" (hồ sơ) carries the meaning of the pair.
_STOP = frozenset(
    "so co cua cac da duoc va trong tai theo cho la thuoc ve voi tong nhung nhu hoac den tu do nay "
    "xa ubnd uy ban nhan dan nam ky bao cao thoi diem gom ca nguoi luot tren sau khi".split()
)
_PERCENT_STOP = frozenset("ty le".split())


def _words(folded: str) -> list[tuple[int, str]]:
    """(offset, word) with abbreviations spelt out at the abbreviation's offset."""
    out: list[tuple[int, str]] = []
    for m in _WORD.finditer(folded):
        w = m.group(0).replace("\0", "")
        for part in _ABBREVIATIONS.get(w, w).split():
            out.append((m.start(), part))
    return out


def _keywords(label: str, percent: bool = False) -> frozenset[str]:
    label = re.sub(r"\([^)]*\)", " ", label)  # "(gồm cả TTHC của cơ quan ngành dọc)" is a gloss
    stop = _STOP | (_PERCENT_STOP if percent else frozenset())
    return frozenset(w for _, w in _words(_fold(label)) if w not in stop)


# --------------------------------------------------------------------------- units

# The word after a figure says what it counts; several spellings name one unit of the catalog.
_UNIT_WORDS: tuple[tuple[str, str], ...] = (
    ("luot nguoi", "luot nguoi"), ("luot can bo", "luot nguoi"), ("ho so", "ho so"),
    ("thu tuc", "thu tuc"), ("tthc", "thu tuc"), ("nhiem vu", "nhiem vu"), ("van ban", "van ban"),
    ("vbqppl", "van ban"), ("phieu", "phieu"), ("nguoi", "nguoi"), ("can bo", "nguoi"),
    ("cong chuc", "nguoi"), ("bien che", "nguoi"), ("trieu dong", "trieu dong"), ("ty dong", "ty dong"),
    ("dong", "dong"), ("cuoc", "cuoc"), ("van de", "van de"), ("pakn", "pakn"),
    ("phan anh", "pakn"), ("giao dich", "giao dich"), ("don vi", "don vi"), ("thon", "thon, to"),
)
_UNIT_RE = re.compile(r"\s*(" + "|".join(re.escape(w) for w, _ in _UNIT_WORDS) + r")(?![a-z])")
_UNIT_OF = dict(_UNIT_WORDS)
_UNIT_KEYWORDS: dict[str, frozenset[str]] = {}
for _w, _u in _UNIT_WORDS:
    _UNIT_KEYWORDS[_u] = _UNIT_KEYWORDS.get(_u, frozenset()) | {w for _, w in _words(_w)}
_COUNT_UNITS = frozenset({"luot nguoi", "ho so", "thu tuc", "nhiem vu", "van ban", "phieu", "nguoi",
                          "cuoc", "van de", "pakn", "giao dich", "don vi", "thon, to"})
_MONEY_UNITS = frozenset({"trieu dong", "ty dong", "dong"})
_MONEY_SCALE = {"trieu dong": Fraction(1), "ty dong": Fraction(1000)}  # in the rows' Triệu đồng


def row_unit(ind: Indicator) -> str | None:
    """The unit a figure of this row is written with in prose, as `TypedFigure.unit` names it
    ("%" for a percentage; None for a row prose gives no figure of: flags, choices, headings)."""
    unit = _fold(ind.unit).strip()
    if ind.kind == "percent":
        return "%"
    if ind.kind not in ("count", "money"):
        return None
    return {"co quan, don vi": "don vi", "to chuc": "don vi"}.get(unit, unit) or None


# --------------------------------------------------------------------------- figures

# A figure: digits with '.'/',' inside, not glued to other digits, letters, '/' or ':' — that
# leaves out "15/KH-UBND", "16/02/2023", "9001:2015", "5643a".
_NUMBER = re.compile(r"(?<![\w/:.,\-])\d+(?:[.,]\d+)*(?![\w/:]|[.,]\d)")
_RATIO = re.compile(r"(?<![\w/:.,\-])(\d+(?:\.\d{3})*)\s*/\s*(\d+(?:\.\d{3})*)(?![\w/:]|[.,]\d)")
_PERCENT_AFTER = re.compile(r"\s?%")
_DATE_WORDS = ("ngay", "tu", "den", "thang", "quy")
_OTHER_LEVEL = re.compile(r"\b(?:cap huyen|cap tinh|cac huyen|cac xa|huyen, thi xa|phuong, thi tran|so, nganh|so, ban, nganh)\b")
# A target or a registration ("đăng ký chỉ tiêu tuyển dụng … là 05 biên chế") is not the result a row counts.
_TARGET = re.compile(r"\b(?:chi tieu|dang ky|phan dau|du kien)\b")


@dataclass(frozen=True)
class _Figure:
    start: int
    end: int  # the number's end (before the unit or '%')
    text: str
    unit: str | None  # "%", a catalog unit, or None (no unit word after it)
    unit_end: int


def _percent_value(text: str) -> tuple[Decimal, int] | None:
    """(value, decimals typed) of "54,21" or, written the English way, "55.15"."""
    if re.fullmatch(r"\d+(?:,\d+)?", text):
        whole, _, frac = text.partition(",")
        return Decimal(f"{whole}.{frac}" if frac else whole), len(frac)
    if re.fullmatch(r"\d+\.\d{1,2}", text) or re.fullmatch(r"\d+\.\d{4,}", text):
        return Decimal(text), len(text.partition(".")[2])
    return None


def _rounded(value: Fraction, places: int) -> Fraction:
    """Half-up to `places` decimals, exactly (the engine's percent() does 2)."""
    scale = 10 ** places
    n = value * scale
    whole, rest = divmod(n.numerator, n.denominator)
    if 2 * rest >= n.denominator:
        whole += 1
    return Fraction(whole, scale)


def _percent_text(value: Fraction, places: int) -> str:
    r = _rounded(value, places)
    q = Decimal(r.numerator) / Decimal(r.denominator)
    text = f"{q:.{places}f}".replace(".", ",")
    whole, _, frac = text.partition(",")
    return (format_count(int(whole)) + ("," + frac if frac else ""))


# --------------------------------------------------------------------------- sentences

_SENTENCE_END = re.compile(r"(?<!\bv\.v)(?<=[.!?])\s+(?=[-+(\"“]?\s*[A-ZĐÀ-Ỹ0-9])|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence starts and ends; a line break ends one too (bullet lines)."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


# --------------------------------------------------------------------------- the checker

@dataclass(frozen=True)
class _Row:
    id: str
    unit: str
    own: frozenset[str]
    parent: frozenset[str]
    ind: Indicator


class ProseChecker:
    """The catalog's rows as the prose names them, and a cache of checked sentences."""

    def __init__(self, catalog: Catalog, cache_size: int = 4096):
        self.catalog = catalog
        self.rows: list[_Row] = []
        for ind in catalog.indicators.values():
            unit = row_unit(ind)
            if unit is None:
                continue
            # the unit is checked on its own; in the label it would match every figure of that unit
            own = _keywords(ind.label, ind.kind == "percent") - _UNIT_KEYWORDS.get(unit, frozenset())
            parent_id = ind.id.rpartition(".")[0]
            parent = catalog.indicators.get(parent_id)
            pkw = _keywords(parent.label, parent.kind == "percent") - own if parent and parent.form == ind.form else frozenset()
            if len(own) >= 2:  # "Trong hạn" leaves one word ("hạn"), which half the sentences have
                self.rows.append(_Row(ind.id, unit, own, pkw, ind))
        self._homonyms: dict[tuple[str, frozenset[str]], list[_Row]] = {}
        for row in self.rows:
            self._homonyms.setdefault((row.unit, row.own), []).append(row)
        self._cache: dict[tuple, list[ProseFinding]] = {}
        self._cache_size = cache_size
        self._candidates: dict[str, tuple[str, ...]] = {}

    # -- public
    def check(self, text: str, state: ReportState) -> list[ProseFinding]:
        out: list[ProseFinding] = []
        for start, end in _spans(text):
            out.extend(f.shifted(start) for f in self.check_sentence(text[start:end], state))
        return out

    def dependencies(self, text: str) -> frozenset[str]:
        """The rows whose values the findings of `text` can depend on: a value edit re-checks
        only the sections naming one of them."""
        return frozenset(i for start, end in _spans(text) for i in self._dependencies(text[start:end]))

    def check_sentence(self, sentence: str, state: ReportState) -> list[ProseFinding]:
        """Findings of one sentence, offsets within it; cached on the sentence and the values
        of every row it could be about, so an unchanged sentence costs a dict look-up."""
        deps = self._dependencies(sentence)
        key = (sentence, tuple(_value_key(state.values.get(i)) for i in deps))
        hit = self._cache.get(key)
        if hit is None:
            hit = self._check(sentence, state.values)
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            self._cache[key] = hit
        return hit

    def typed_figures(self, text: str) -> list[TypedFigure]:
        """Every figure of `text` the check would compare with a row, offsets into `text`: the
        same figure finder, the same exclusions (placeholders, years, dates, document numbers,
        sentences about another level of government, targets)."""
        out: list[TypedFigure] = []
        for start, end in sentence_spans(text):
            s = text[start:end]
            masked = PLACEHOLDER.sub(lambda m: "\x01" * len(m.group(0)), s)
            folded = _fold(masked)
            if _OTHER_LEVEL.search(folded):
                continue
            clauses = _clauses(masked)
            ratios = self._ratios(masked, folded)
            sides = {(a, b) for r in ratios for a, b in ((r[0], r[1]), (r[2], r[3]))}
            found = [(f.start, f.end, f.unit) for f in self._figures(masked, folded)
                     if f.unit is not None and (f.start, f.end) not in sides]
            found += [(a, b, "") for a, b in sides]
            for a, b, unit in sorted(found):
                if _TARGET.search(folded, *_clause_of(clauses, a)):
                    continue
                out.append(TypedFigure(start + a, start + b, s[a:b], unit, _figure_value(s[a:b], unit)))
        return out

    # -- internals
    def _dependencies(self, sentence: str) -> tuple[str, ...]:
        deps = self._candidates.get(sentence)
        if deps is None:
            words = {w for _, w in _words(_fold(sentence))}
            ids: set[str] = set()
            for row in self.rows:
                if row.own <= words or len(row.own & words) * 2 >= len(row.own):
                    ids.add(row.id)
                    f = row.ind.formula
                    if f:
                        ids.update(f.numerator.ids)
                        ids.update(f.denominator.ids)
            deps = tuple(sorted(ids))
            if len(self._candidates) > self._cache_size:
                self._candidates.clear()
            self._candidates[sentence] = deps
        return deps

    def _check(self, s: str, values: Mapping[str, object]) -> list[ProseFinding]:
        n = len(s)
        # placeholders are live figures: blank them out (same length) so no digit in them is read
        masked = PLACEHOLDER.sub(lambda m: "\x01" * len(m.group(0)), s)
        folded = _fold(masked)
        findings: list[ProseFinding] = []
        figures = self._figures(masked, folded)
        ratios = self._ratios(masked, folded)
        in_ratio = {(a, b) for r in ratios for a, b in ((r[0], r[1]), (r[2], r[3]))}
        percents = [f for f in figures if f.unit == "%"]
        clauses = _clauses(masked)

        def finding(kind, start, end, message, rows=(), replacement=None):
            findings.append(ProseFinding(kind, start, end, 0, n, message, s[start:end], tuple(rows), replacement))

        # every figure ends the words that describe its neighbours; a row the sentence already
        # cites as {bm…} is not what a count typed beside it is ("rà soát {bm3.1.2} TTHC, … đề
        # xuất đơn giản hóa 02 TTHC": the 02 is another count)
        cited = {m.group(1) for m in PLACEHOLDER.finditer(s)}
        stops = sorted({(f.start, f.unit_end) for f in figures} | in_ratio)

        # number style
        for f in figures:
            msg = _style_problem(f)
            if msg:
                finding(NUMBER_STYLE, f.start, f.unit_end, msg)

        # ratios with their percentage
        used_percents: set[int] = set()
        for a0, a1, b0, b1, a, b in ratios:
            clause = _clause_of(clauses, a0)
            pct = _pair_percent(percents, clause, a1, [r for r in ratios if r[0] != a0])
            if pct is None or b == 0:
                continue
            pv = _percent_value(pct.text)
            if pv is None:
                continue
            typed, places = pv
            computed = _rounded(Fraction(100 * a, b), places)
            if Fraction(typed) != computed:
                exact = Fraction(100 * a, b)
                at_typed = "" if places >= 2 else f", làm tròn như đã gõ là {_percent_text(exact, places)}%"
                finding(RATIO, pct.start, pct.unit_end,
                        f"{s[a0:b1]} tính ra {_percent_text(exact, 2)}%{at_typed}, không phải {pct.text}%. "
                        f"Hãy sửa tỷ lệ cho đúng, hoặc kiểm tra lại hai số {s[a0:a1]} và {s[b0:b1]}.")
                used_percents.add(pct.start)

        # A sentence about another level of government ("Đối với cấp huyện: …", "các xã, phường")
        # gives that level's figures, which no row of this report holds.
        other_level = _OTHER_LEVEL.search(folded) is not None

        # figures that describe a row; a percentage given with its ratio is described by the
        # words before the ratio too ("nộp trực tuyến là 843/1.555 hồ sơ …, đạt 54,21%")
        own_ratio: dict[int, set[tuple[int, int]]] = {}
        for a0, a1, b0, b1, _a, _b in ratios:
            pct = _pair_percent(percents, _clause_of(clauses, a0), a1, [r for r in ratios if r[0] != a0])
            if pct is not None:
                own_ratio.setdefault(pct.start, set()).update({(a0, a1), (b0, b1)})
        for f in figures:
            if f.unit is None or (f.start, f.end) in in_ratio or other_level:
                continue
            if _TARGET.search(folded, *_clause_of(clauses, f.start)):
                continue
            mine = own_ratio.get(f.start, set())
            row = self._describes(f, folded, clauses, [x for x in stops if x not in mine])
            if row is None or row.id in cited:
                continue
            self._compare(f, row, values, finding, skip_ratio=f.start in used_percents)

        # the operands of a ratio whose percentage describes a derived row
        for a0, a1, b0, b1, a, b in ratios:
            clause = _clause_of(clauses, a0)
            pct = _pair_percent(percents, clause, a1, [r for r in ratios if r[0] != a0])
            if pct is None or other_level:
                continue
            row = self._describes(pct, folded, clauses, [x for x in stops if x not in ((a0, a1), (b0, b1))])
            if row is None or row.ind.formula is None:
                continue
            num, den = row.ind.formula.numerator, row.ind.formula.denominator
            for (x0, x1, x), side in (((a0, a1, a), num), ((b0, b1, b), den)):
                v = side.evaluate(values)
                if v is None or len(side.ids) != 1:
                    continue
                ident = side.ids[0]
                if v == x:
                    finding(EQUALS_ROW, x0, x1,
                            f"{s[x0:x1]} là số liệu của {self.catalog.row_name(ident)} ({_show(v, ident, self.catalog)}). "
                            f"Bấm “{REPLACE_LABEL}” để chèn {{{ident}}}: câu văn sẽ tự theo khi số liệu thay đổi.",
                            (ident,), f"{{{ident}}}")
                else:
                    finding(CONTRADICTS_ROW, x0, x1,
                            f"{s[x0:x1]} khác với {self.catalog.row_name(ident)} ({_show(v, ident, self.catalog)}) mà câu "
                            f"này nói tới. Hãy sửa cho khớp với biểu mẫu, hoặc chèn số liệu {{{ident}}}.",
                            (ident,), f"{{{ident}}}")
        findings.sort(key=lambda x: (x.start, KINDS.index(x.kind)))
        return findings

    def _figures(self, s: str, folded: str) -> list[_Figure]:
        out = []
        for m in _NUMBER.finditer(s):
            if _is_year(folded, m) or _is_level(folded, m.start()):
                # "giai đoạn 2021 - 2030", "năm 2023", "mức độ 3, 4": never a figure to check,
                # but like any number they end the words that describe the figures around them
                out.append(_Figure(m.start(), m.end(), m.group(0), None, m.end()))
                continue
            unit, unit_end = None, m.end()
            pm = _PERCENT_AFTER.match(s, m.end())
            if pm:
                unit, unit_end = "%", pm.end()
            else:
                um = _UNIT_RE.match(folded, m.end())
                if um:
                    unit, unit_end = _UNIT_OF[um.group(1)], um.end()
            out.append(_Figure(m.start(), m.end(), m.group(0), unit, unit_end))
        return out

    @staticmethod
    def _ratios(s: str, folded: str) -> list[tuple[int, int, int, int, int, int]]:
        out = []
        for m in _RATIO.finditer(s):
            pa, pb = parse_count(m.group(1)), parse_count(m.group(2))
            if not (pa.ok and pb.ok) or pa.value is None or pb.value is None:
                continue
            before = folded[max(0, m.start() - 12):m.start()].split()
            if before and before[-1] in _DATE_WORDS:
                continue  # "ngày 06/12", "đến 12/2022": a date
            if re.fullmatch(r"(?:19|20)\d\d", m.group(2)) and 1 <= pa.value <= 12:
                continue  # "12/2022": a month
            out.append((m.start(1), m.end(1), m.start(2), m.end(2), pa.value, pb.value))
        return out

    def _describes(self, f: _Figure, folded: str, clauses: list[tuple[int, int]],
                   stops: list[tuple[int, int]]) -> _Row | None:
        """The one row the words around `f` name, or None when no row or more than one fits.

        The words that describe a figure are those of its clause back to the figure before it,
        and on to the next comma or figure: in "rà soát, đánh giá 08 TTHC …, đã đề xuất sửa đổi,
        đơn giản hóa 02 TTHC" the 08 is the rà soát row and the 02 the đề xuất row."""
        c0, c1 = _clause_of(clauses, f.start)
        if not _WORD.search(folded, c0, f.start) and not _WORD.search(folded[f.unit_end:c1]):
            prev = [c for c in clauses if c[1] <= c0]  # "(59,37%)": it belongs to what precedes it
            if prev:
                c0 = prev[-1][0]
        back = max([c0] + [e for a, e in stops if e <= f.start and a >= c0])
        comma = folded.find(",", f.unit_end, c1)
        ahead = min([c1] + [a for a, e in stops if a >= f.unit_end and a < c1] + ([comma] if comma >= 0 else []))
        local = {w for _, w in _words(folded[back:ahead])}
        near = local
        # the group a short label belongs to may be named anywhere in the clause
        clause_words = {w for _, w in _words(folded[c0:c1])}
        sentence = {w for _, w in _words(folded)}
        unit = f.unit if f.unit != "ty dong" else "trieu dong"
        scored = []
        for row in self.rows:
            if row.unit != unit:
                continue
            hits = len(row.own & local)
            if hits < len(row.own) - (len(row.own) >= 7):  # a long label may miss one word
                continue
            parent = len(row.parent & sentence) / len(row.parent) if row.parent else 1.0
            homonyms = self._homonyms[(row.unit, row.own)]
            short = len(row.own) == 1 or (len(row.own) == 2 and row.unit != "%")
            if (short or len(homonyms) > 1) and parent < 0.6:
                continue  # "Trung cấp", "Quá hạn": only the group they belong to says which row
            # "trình độ chính trị: Trung cấp 04 người" is not the Trung cấp of "trình độ chuyên môn"
            # even when the sentence names that group too: the words of another group with the
            # same row label, next to the figure, speak against this one
            if any((h.parent - row.parent - row.own) & clause_words for h in homonyms if h is not row):
                continue
            scored.append(((hits / len(row.own), hits, len(row.own & near), parent), row))
        if not scored:
            return None
        scored.sort(key=lambda x: x[0], reverse=True)
        (b_cov, b_hits, b_near, b_parent), best = scored[0]
        for (cov, hits, nr, parent), _row in scored[1:]:
            if (cov, hits, nr) == (b_cov, b_hits, b_near) and b_parent - parent < 0.25:
                return None  # two rows fit as well: say nothing rather than name the wrong one
        return best

    def _compare(self, f: _Figure, row: _Row, values, finding, skip_ratio: bool) -> None:
        ind, cat = row.ind, self.catalog
        name = cat.row_name(row.id)
        if f.unit == "%":
            pv = _percent_value(f.text)
            if pv is None:
                return
            typed, places = pv
            formula = ind.formula
            num = formula.numerator.evaluate(values)
            den = formula.denominator.evaluate(values)
            if num is None or den is None or den == 0:
                finding(CONTRADICTS_ROW, f.start, f.unit_end,
                        f"{f.text}% là tỷ lệ của {name}, nhưng dòng này đang trống trong biểu mẫu. Hãy nhập các dòng "
                        f"tính ra tỷ lệ này ({', '.join(cat.row_name(i) for i in (*formula.numerator.ids, *formula.denominator.ids))}) "
                        f"rồi chèn số liệu {{{row.id}}}, hoặc xóa tỷ lệ gõ tay.", (row.id,))
                return
            exact = Fraction(num) * 100 / Fraction(den)
            shown = format_percent(values.get(row.id)) if values.get(row.id) is not None else _percent_text(exact, 2)
            if Fraction(typed) == _rounded(exact, places):
                if places == 2 or _rounded(exact, 2) == Fraction(typed):
                    finding(EQUALS_ROW, f.start, f.end,
                            f"{f.text}% là số liệu của {name} ({shown}%). Bấm “{REPLACE_LABEL}” để chèn {{{row.id}}}: "
                            "câu văn sẽ tự theo khi số liệu thay đổi.", (row.id,), f"{{{row.id}}}")
            elif not skip_ratio:
                finding(CONTRADICTS_ROW, f.start, f.unit_end,
                        f"{f.text}% khác với {name} ({shown}%) mà câu này nói tới. Hãy sửa cho khớp với biểu mẫu, "
                        f"hoặc chèn số liệu {{{row.id}}}.", (row.id,), f"{{{row.id}}}")
            return
        value = values.get(row.id)
        if value is None:
            return  # a count for a blank row: the clerk may simply not have typed the form yet
        typed = _count_or_money(f.text, f.unit)
        if typed is None:
            return
        scale = _MONEY_SCALE.get(f.unit, Fraction(1))
        shown = _show(value, row.id, cat)
        if Fraction(typed) * scale == Fraction(value):
            if scale == 1:
                finding(EQUALS_ROW, f.start, f.end,
                        f"{f.text} là số liệu của {name} ({shown}). Bấm “{REPLACE_LABEL}” để chèn {{{row.id}}}: "
                        "câu văn sẽ tự theo khi số liệu thay đổi.", (row.id,), f"{{{row.id}}}")
        else:
            finding(CONTRADICTS_ROW, f.start, f.unit_end,
                    f"{f.text} khác với {name} ({shown} {ind.unit.lower()}) mà câu này nói tới. Hãy sửa cho khớp với "
                    f"biểu mẫu, hoặc chèn số liệu {{{row.id}}}.", (row.id,), f"{{{row.id}}}")


def _figure_value(text: str, unit: str) -> Fraction | None:
    if unit == "%":
        pv = _percent_value(text)
        return Fraction(pv[0]) if pv else None
    value = _count_or_money(text, unit)
    return None if value is None else Fraction(value) * _MONEY_SCALE.get(unit, Fraction(1))


def _value_key(v: object) -> object:
    return (type(v).__name__, str(v))


def _show(value, ident: str, catalog: Catalog) -> str:
    kind = catalog.indicators[ident].kind
    if kind == "money" or isinstance(value, Decimal):
        return format_money(value)
    return format_count(int(value))


def _count_or_money(text: str, unit: str) -> int | Decimal | None:
    if unit in _MONEY_UNITS:
        p = parse_money(text)
        return p.value if p.ok else None
    p = parse_count(text)
    return p.value if p.ok else None


def _is_year(folded: str, m: re.Match) -> bool:
    if not re.fullmatch(r"(?:19|20)\d\d", m.group(0)):
        return False
    before = folded[max(0, m.start() - 12):m.start()]
    return bool(re.search(r"(?:\bnam|\bdoan|\bden|[-\u2013\u2014])\s*$", before))


def _is_level(folded: str, at: int) -> bool:
    before = folded[max(0, at - 14):at]
    return bool(re.search(r"muc do\s*(?:\d+\s*[,và]*\s*)*$", before))


def _clauses(s: str) -> list[tuple[int, int]]:
    """Pieces of a sentence that say one thing each: cut at ';', brackets and ':' lists."""
    spans, start = [], 0
    for m in re.finditer(r"[;()]", s):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(s)))
    return [(a, b) for a, b in spans if b > a]


def _clause_of(clauses: list[tuple[int, int]], at: int) -> tuple[int, int]:
    for a, b in clauses:
        if a <= at < b:
            return a, b
    return clauses[-1] if clauses else (0, at)


def _pair_percent(percents: list[_Figure], clause: tuple[int, int], after: int, others) -> _Figure | None:
    """The percentage a ratio is given with: the first after it in its clause, else the one
    right after the clause when that is a bracket holding only the percentage ("57/96 (59,38%)")."""
    c0, c1 = clause
    later = [p for p in percents if after <= p.start < c1]
    if later:
        nxt = min(p.start for p in later)
        if not any(after < o[0] < nxt for o in others):
            return min(later, key=lambda p: p.start)
    following = [p for p in percents if c1 <= p.start <= c1 + 2]
    if following:
        return following[0]
    earlier = [p for p in percents if c0 <= p.start < after]
    if earlier and not any(earlier[-1].start < o[0] < after for o in others):
        return earlier[-1]
    return None


def _style_problem(f: _Figure) -> str | None:
    t = f.text
    if f.unit == "%":
        if re.fullmatch(r"\d+\.\d{1,2}", t) or re.fullmatch(r"\d+\.\d{4,}", t):
            good = t.replace(".", ",")
            return (f"“{t}%” viết dấu chấm thập phân kiểu tiếng Anh. Trong văn bản tiếng Việt dấu phẩy là dấu "
                    f"thập phân: hãy viết {good}%.")
        return None
    if f.unit in _COUNT_UNITS and re.fullmatch(r"[1-9]\d{0,2}(?:,\d{3})+", t):
        good = format_count(int(t.replace(",", "")))
        return (f"“{t}” viết dấu phẩy ngăn cách hàng nghìn kiểu tiếng Anh; trong tiếng Việt dấu phẩy là dấu thập "
                f"phân (“{t}” đọc là {t.split(',')[0]} phẩy …). Hãy viết {good}.")
    if f.unit in _MONEY_UNITS and "." in t:
        if not re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", t) and re.fullmatch(r"[\d,]*\.\d+", t):
            whole, _, frac = t.rpartition(".")
            good = (format_count(int(whole.replace(",", ""))) if whole else "0") + "," + frac
            return (f"“{t}” viết dấu chấm thập phân kiểu tiếng Anh. Trong tiếng Việt dấu chấm ngăn cách hàng nghìn, "
                    f"dấu phẩy là dấu thập phân: hãy viết {good}.")
    return None


# a section's text is cut again for every value edit that reaches it: cut once per text
_spans = lru_cache(maxsize=256)(lambda text: tuple(sentence_spans(text)))


@lru_cache(maxsize=16)
def checker_for(catalog: Catalog) -> ProseChecker:
    """One checker (and its sentence cache) per catalog version, shared by every report."""
    return ProseChecker(catalog)


def check_prose(text: str, state: ReportState) -> list[ProseFinding]:
    """Every finding in `text` (one section's narrative), offsets into `text`."""
    return checker_for(state.catalog).check(text, state)

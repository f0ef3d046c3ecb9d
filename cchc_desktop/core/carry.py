"""A report copied from the previous period: which figures go over, and the prose made live.

Figures go over as the catalog declares them (an input row's `carry`, core.catalog): a "stock"
row as it was typed (text and Ghi chú), a "flow" row blank, a row that names another row
(`carry = "bm3.3.3"`) with that row's previous value — its typed text, no Ghi chú. Which
"previous" that is depends on the two data windows: when the new window starts the day after the
old one ends, it is the named row; when both start on the same day (the cumulative periods of one
year: Quý I, 6 tháng, 9 tháng, Năm all start on 15/12), the old report's opening balance is the
new one's too, so the row keeps its own old value; otherwise nothing is known and the row starts
blank, named in `CarriedValues.not_moved`.

The copied narratives keep their text, but a figure in them that is an old row's value becomes
that row's placeholder (`{bm3.3.1}`, core.narrative), so next period's sentence prints next
period's figure — or "…" until it is typed — instead of last period's. The figures, the rows a
sentence names and the exclusions (years, dates, document numbers…) are core.prose_check's:
a figure is replaced only when prose_check says the sentence gives it as one row's value
(`equals_row`), no other row of the old report has the same value, the new catalog has the row,
and the placeholder prints, with the old values, exactly what was typed. Every other figure that
equals an old row's value is left as typed and listed for review.

Core module: no Qt, no storage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

from cchc_desktop.core.catalog import CARRY_FLOW, CARRY_STOCK, Catalog
from cchc_desktop.core.engine import ReportState
from cchc_desktop.core.narrative import render
from cchc_desktop.core.prose_check import EQUALS_ROW, TypedFigure, checker_for, row_unit

__all__ = ["CarriedValues", "CarriedProse", "LiveFigure", "FigureToReview", "carry_values", "carry_narratives",
           "live_figures", "windows_follow"]

AFTER, SAME = "after", "same"  # how the new data window stands to the old one (windows_follow)


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class CarriedValues:
    values: dict[str, tuple[str, str]]  # what the new report starts with: {row: (raw text, Ghi chú)}
    stock: tuple[str, ...]  # rows carried as typed
    moved: tuple[tuple[str, str], ...]  # (row, the old row whose value it took)
    blank: tuple[str, ...]  # flow rows that held something in the old report and start blank
    not_moved: tuple[tuple[str, str], ...]  # (row, why): a carry-over row left blank

    @property
    def count(self) -> int:
        """How many rows start with a figure (or a Ghi chú) from the old report."""
        return len(self.values)


def windows_follow(old: tuple[str | None, str | None] | None,
                   new: tuple[str | None, str | None] | None) -> str | None:
    """AFTER when the new data window starts the day after the old one ends, SAME when both start
    on the same day, None otherwise (or when a date is missing or unreadable). ISO dates."""
    try:
        old_start, old_end = (dt.date.fromisoformat(d) for d in old)
        new_start = dt.date.fromisoformat(new[0])
    except (TypeError, ValueError):
        return None
    if new_start == old_end + dt.timedelta(days=1):
        return AFTER
    if new_start == old_start:
        return SAME
    return None


def carry_values(catalog: Catalog, old_rows: Mapping[str, tuple[str | None, str | None]],
                 old_window: tuple[str | None, str | None] | None = None,
                 new_window: tuple[str | None, str | None] | None = None) -> CarriedValues:
    """What a report on `catalog` copied from a report holding `old_rows` ({row: (raw, note)},
    as stored) starts with. Rows the old report does not have, or has blank, start blank; rows
    only the old catalog has are left behind; text is kept as typed, even where it is not a
    valid value (the new report shows it red, as the old one did)."""

    def typed(ident: str) -> tuple[str, str]:  # ("", "") for a row not there, None for no text
        raw, note = old_rows.get(ident, (None, None))
        return (raw if raw and raw.strip() else ""), (note or "")

    values: dict[str, tuple[str, str]] = {}
    stock, moved, blank, not_moved = [], [], [], []
    follows = windows_follow(old_window, new_window)
    for ind in catalog.inputs():
        raw, note = typed(ind.id)
        if ind.carry == CARRY_STOCK:
            if raw or note:
                values[ind.id] = (raw, note)
                stock.append(ind.id)
        elif ind.carry == CARRY_FLOW:
            if raw or note:
                blank.append(ind.id)
        else:
            source = ind.carry_source if follows == AFTER else ind.id if follows == SAME else None
            if source is None:
                if typed(ind.carry_source)[0] or raw:
                    src = catalog.indicators[ind.carry_source]
                    not_moved.append((ind.id, f"kỳ báo cáo mới không bắt đầu ngay sau kỳ báo cáo cũ, nên chưa biết "
                                              f"{src.label.lower()} ({catalog.row_name(src.id)}) cuối kỳ trước"))
                continue
            value = typed(source)[0]
            if value:
                values[ind.id] = (value, "")
                moved.append((ind.id, source))
    return CarriedValues(values, tuple(stock), tuple(moved), tuple(blank), tuple(not_moved))


# --------------------------------------------------------------------------- prose


@dataclass(frozen=True)
class LiveFigure:
    section: str
    figure: str  # as typed ("1.962", "99,05%")
    row: str  # the row whose placeholder took its place


@dataclass(frozen=True)
class FigureToReview:
    section: str
    figure: str
    reason: str  # Vietnamese, for the clerk


@dataclass(frozen=True)
class CarriedProse:
    narratives: dict[str, str]
    replaced: tuple[LiveFigure, ...]
    review: tuple[FigureToReview, ...]

    def review_sections(self) -> list[str]:
        """The sections with figures to review, in the order of the text (each once)."""
        return list(dict.fromkeys(r.section for r in self.review))


def carry_narratives(narratives: Mapping[str, str], state: ReportState,
                     new_catalog: Catalog | None = None) -> CarriedProse:
    """`live_figures` over every section of the old report (`state`: its catalog and values)."""
    texts, replaced, review = {}, [], []
    for sid, text in narratives.items():
        texts[sid], done, left = live_figures(text, state, new_catalog)
        replaced += [LiveFigure(sid, fig, row) for fig, row in done]
        review += [FigureToReview(sid, fig, why) for fig, why in left]
    return CarriedProse(texts, tuple(replaced), tuple(review))


def live_figures(text: str, state: ReportState, new_catalog: Catalog | None = None
                 ) -> tuple[str, list[tuple[str, str]], list[tuple[str, str]]]:
    """`text` with each figure that is clearly one old row's value replaced by that row's
    placeholder; the (figure, row) pairs replaced and the (figure, reason) pairs left for review.
    `state` is the old report (its catalog and values); the placeholders must also be rows of
    `new_catalog` (default: the old catalog), of the same kind. Nothing outside the replaced
    figures changes, and the result printed with the old values (narrative.render) is what
    `text` printed."""
    old = state.catalog
    new = new_catalog or old
    checker = checker_for(old)
    figures = {f.start: f for f in checker.typed_figures(text)}
    printed = render(text, state)
    same_value = _SameValue(state)
    done: list[tuple[int, str, str]] = []  # (start, figure, row)
    left: list[tuple[int, str, str]] = []
    handled: set[int] = set()
    out = text
    findings = [f for f in checker.check(text, state) if f.kind == EQUALS_ROW and f.replacement and f.rows]
    for f in sorted(findings, key=lambda f: f.start, reverse=True):  # from the end: offsets before stay put
        if f.start in handled:
            continue
        handled.add(f.start)
        ident = f.rows[0]
        fig = figures.get(f.start)
        shown = _shown(text, f.start, f.end, fig)
        if fig is not None and fig.value is not None:
            rows = same_value(fig.value, fig.unit)
        else:
            rows = same_value(Fraction(state.values[ident]), row_unit(old.indicators[ident]))
        if len(rows) > 1:
            left.append((f.start, shown, _several(old, rows)))
            continue
        target = new.indicators.get(ident)
        if target is None or target.kind != old.indicators[ident].kind:
            left.append((f.start, shown, f"là số liệu của {old.row_name(ident)}, nhưng dòng này không còn trong "
                                         f"bộ biểu mẫu mới"))
            continue
        candidate = out[:f.start] + f"{{{ident}}}" + out[f.end:]
        if render(candidate, state) != printed:
            left.append((f.start, shown, f"là số liệu của {old.row_name(ident)}, nhưng viết khác cách chương trình "
                                         f"in số liệu này (“{render(f'{{{ident}}}', state)}”)"))
            continue
        out = candidate
        done.append((f.start, shown, ident))
    for start, fig in figures.items():
        if start in handled or fig.value is None:
            continue
        rows = same_value(fig.value, fig.unit)
        if len(rows) > 1:
            left.append((start, _shown(text, fig.start, fig.end, fig), _several(old, rows)))
        elif rows:
            left.append((start, _shown(text, fig.start, fig.end, fig),
                         f"trùng với số liệu của {old.row_name(rows[0])}, nhưng câu văn không nói rõ là số liệu "
                         f"của dòng này"))
    return (out, [(fig, row) for _, fig, row in sorted(done)], [(fig, why) for _, fig, why in sorted(left)])


class _SameValue:
    """The old report's rows holding a value, by the unit prose writes them with: a figure "17 hồ
    sơ" can only be a Hồ sơ row's, a percentage a computed percentage's; a side of a ratio
    ("843/1.555") may be any count's or amount's."""

    def __init__(self, state: ReportState):
        self.by_value: dict[tuple[str, Fraction], list[str]] = {}
        for ident, ind in state.catalog.indicators.items():
            v, unit = state.values.get(ident), row_unit(ind)
            if v is None or unit is None:
                continue
            self.by_value.setdefault((unit, Fraction(v)), []).append(ident)
            if unit != "%":
                self.by_value.setdefault(("", Fraction(v)), []).append(ident)

    def __call__(self, value: Fraction, unit: str) -> list[str]:
        return self.by_value.get(("trieu dong" if unit == "ty dong" else unit, value), [])


def _shown(text: str, start: int, end: int, fig: TypedFigure | None) -> str:
    return text[start:end] + ("%" if fig is not None and fig.unit == "%" else "")


def _several(catalog: Catalog, rows: list[str]) -> str:
    names = "; ".join(catalog.row_name(r) for r in rows[:3]) + ("; …" if len(rows) > 3 else "")
    return f"trùng với số liệu của {len(rows)} dòng ({names}), không rõ câu văn nói dòng nào"

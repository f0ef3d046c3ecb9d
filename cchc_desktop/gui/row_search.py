"""Finding a row of the forms by words or by STT, the way a clerk remembers it: "hồ sơ trực
tuyến", "ho so truc tuyen" (typed without Unikey) or "3.1" (the STT as printed, within its form:
every form has a row 3.1, so each is a match, form by form; "bm3.3.1", the id, is that row
alone). Pure Python, no Qt."""

from __future__ import annotations

import re

from cchc_desktop.core.catalog import Catalog
from cchc_desktop.core.letters import without_marks

_STT = re.compile(r"^[0-9]+(\.[0-9]+)*\.?$")


def fold(text: str) -> str:
    """Lower case without diacritics: "Đã giải quyết" -> "da giai quyet"."""
    return without_marks(text).casefold()


def find_rows(catalog: Catalog, query: str, from_form: int | None = None) -> list[str]:
    """Indicator ids matching `query`, in form order — from `from_form` (the form on screen:
    "3.1" typed on Biểu mẫu 3 is its row 3.1 first), round to the forms before it. An STT finds
    the rows of that STT (one a form) first, then the rows under them; words must all appear in
    the label (in any order)."""
    q = query.strip()
    if not q:
        return []
    if q.casefold() in catalog.indicators:
        return [q.casefold()]
    if _STT.match(q):
        stt = q.rstrip(".")
        exact = [i for i in catalog.indicators.values() if i.stt == stt]
        under = [i for i in catalog.indicators.values() if i.stt.startswith(stt + ".")]
        return _from(exact, from_form) + _from(under, from_form)
    words = fold(q).split()
    return _from([i for i in catalog.indicators.values() if all(w in fold(f"{i.stt} {i.label}") for w in words)],
                 from_form)


def _from(rows: list, form: int | None) -> list[str]:
    """The rows' ids, those of `form` and after first, then those before it (order kept within)."""
    if form is not None:
        rows = [i for i in rows if i.form >= form] + [i for i in rows if i.form < form]
    return [i.id for i in rows]


def landing_row(catalog: Catalog, ident: str) -> str:
    """Where the cursor goes for a match: the row itself, or for a heading (which has no cell)
    the first row under it, so the heading is on screen just above the cursor."""
    ind = catalog.indicators[ident]
    if ind.kind != "heading":
        return ident
    under = (i for i in catalog.forms[ind.form].indicators  # STTs are within the form
             if catalog.indicators[i].stt.startswith(ind.stt + ".") and catalog.indicators[i].kind != "heading")
    return next(under, ident)

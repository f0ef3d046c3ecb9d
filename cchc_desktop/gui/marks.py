"""How an issue looks on a cell: the worst severity wins, and every severity has its own icon
and border colour (colour alone would fail a colour-blind clerk or a grey printout)."""

from __future__ import annotations

from cchc_desktop.core.engine import Issue
from cchc_desktop.gui import assets
from cchc_desktop.core.vocabulary import SEVERITIES, SEVERITY_RANK, SEVERITY_WORDS

# "invalid" and "error" both block completion, so both are red; each has an icon of its name
ICON = {s: s for s in SEVERITIES}


def worst(issues: list[Issue]) -> str:
    """"" when there is nothing to mark."""
    if not issues:
        return ""
    return min((i.severity for i in issues), key=SEVERITY_RANK.__getitem__)


def tooltip(issues: list[Issue]) -> str:
    ordered = sorted(issues, key=lambda i: SEVERITY_RANK[i.severity])
    return "\n".join(f"{SEVERITY_WORDS[i.severity]}: {i.message}" for i in ordered)


def repolish(widget) -> None:
    """A dynamic property read by the stylesheet only takes effect after a re-polish."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def set_mark(widget, mark: str) -> None:
    if widget.property("mark") != mark:
        if mark and not widget.styleSheet():
            assets.styled(widget, "marks")  # on the widget itself, the first time it is marked
        widget.setProperty("mark", mark)
        repolish(widget)

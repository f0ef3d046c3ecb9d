"""How an issue looks on a cell: the worst severity wins, and every severity has its own icon
and border colour (colour alone would fail a colour-blind clerk or a grey printout)."""

from __future__ import annotations

from cchc_desktop.engine import Issue

# worst first; "invalid" and "error" both block completion, so both are red
RANK = {"invalid": 0, "error": 1, "warning": 2}
ICON = {"invalid": "invalid", "error": "error", "warning": "warning"}
WORD = {"invalid": "Nhập sai", "error": "Lỗi", "warning": "Cảnh báo"}


def worst(issues: list[Issue]) -> str:
    """"" when there is nothing to mark."""
    if not issues:
        return ""
    return min((i.severity for i in issues), key=RANK.__getitem__)


def tooltip(issues: list[Issue]) -> str:
    ordered = sorted(issues, key=lambda i: RANK[i.severity])
    return "\n".join(f"{WORD[i.severity]}: {i.message}" for i in ordered)


def repolish(widget) -> None:
    """A dynamic property read by the stylesheet only takes effect after a re-polish."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def set_mark(widget, mark: str) -> None:
    if widget.property("mark") != mark:
        widget.setProperty("mark", mark)
        repolish(widget)

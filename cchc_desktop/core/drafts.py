"""Standard sentences drafted from the report's own figures ("Soạn đoạn mẫu").

A draft is ordinary prose with `{bm…}` placeholders, not frozen numbers: the clerk edits the
wording, and the figures keep following the forms until the report is printed. A clause is
left out while one of its figures is blank, so a draft never prints "…" for a row the
commune simply does not report. The sentences are data of the catalog version whose rows they
cite (`<catalog>.drafts.toml`, loaded and checked with it into `Catalog.drafts`); this module
assembles them. Core module: no Qt.
"""

from __future__ import annotations

from cchc_desktop.core.catalog import Catalog, DraftClause
from cchc_desktop.core.engine import ReportState
from cchc_desktop.core.narrative import placeholders
from cchc_desktop.core.vocabulary import BULLET, BULLETS


def _has(state: ReportState, clause: DraftClause) -> bool:
    ids = clause.ids()
    return all(i in state.catalog.indicators and state.values.get(i) is not None for i in ids)


def draft(section_id: str, state: ReportState) -> str | None:
    """The standard paragraph(s) for a section, each a "- " point of the outline as clerks write
    them, or None when it has no draft or no figures yet."""
    lines = []
    for para in state.catalog.drafts.get(section_id, ()):
        if not _has(state, DraftClause(para.lead)):
            continue
        parts = [c.text for c in para.clauses if _has(state, c)]
        if not parts and not placeholders(para.lead):
            continue  # a lead with no figure of its own says nothing without its clauses
        body = para.lead + (para.open + para.sep.join(parts) + para.close if parts else "")
        line = body + para.tail
        lines.append(line if line.startswith(BULLETS) else BULLET + line)  # a point of the outline, as typed
    return "\n".join(lines) or None


def has_draft(catalog: Catalog, section_id: str) -> bool:
    """Whether "Soạn đoạn mẫu" has something to say: a draft for the section, or — the catalog
    having no drafts at all (a province file without its drafts file) — why there is none."""
    return section_id in catalog.drafts or not catalog.drafts


def no_draft_message(section_id: str, state: ReportState) -> str:
    """What "Soạn đoạn mẫu" tells the clerk when `draft` gives nothing."""
    catalog = state.catalog
    if not catalog.drafts:
        name = f"{catalog.path.stem}.drafts.toml" if catalog.path else "tệp đoạn mẫu"
        return (f"Bộ biểu mẫu “{catalog.id}” phiên bản {catalog.version} mà báo cáo này dùng không kèm đoạn mẫu "
                f"soạn sẵn (tệp {name}), nên chưa soạn được đoạn mẫu. Hãy tự viết nội dung mục này; nếu tỉnh có "
                f"phát hành tệp đoạn mẫu cho phiên bản này, hãy chép tệp đó vào cùng thư mục với tệp bộ biểu mẫu.")
    if section_id not in catalog.drafts:
        return "Mục này không có đoạn mẫu soạn sẵn. Hãy tự viết nội dung mục này."
    return ("Chưa có số liệu để soạn đoạn mẫu cho mục này. "
            "Hãy nhập số liệu ở biểu mẫu trước, rồi bấm lại.")

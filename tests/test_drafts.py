"""Drafting standard sentences from the figures: placeholders, never frozen numbers, and no
clause for a figure that is still blank."""

from cchc_desktop.core.drafts import DRAFTS, draft
from cchc_desktop.core.engine import validator_for
from cchc_desktop.core.narrative import placeholders, render


def test_tthc_paragraph_names_every_figure_of_the_brief(catalog, sample_values):
    state = validator_for(catalog).state(sample_values)
    text = draft("II.2", state)
    for ident in ("bm3.3.1", "bm3.3.1.1", "bm3.3.1.2", "bm3.3.1.3", "bm3.3.1.4", "bm3.3.2", "bm3.3.2.1",
                  "bm3.3.5", "bm3.3.2.2", "bm3.3.3", "bm3.3.4"):
        assert "{" + ident + "}" in text
    printed = render(text, state)
    assert "1.962 hồ sơ" in printed and "đạt tỷ lệ 99,05%" in printed and "{" not in printed


def test_blank_figures_leave_their_clause_out(catalog):
    state = validator_for(catalog).state({"bm3.3.1": "100", "bm3.3.1.2": "60"})
    text = draft("II.2", state)
    assert text.startswith("Trong kỳ báo cáo, tổng số hồ sơ TTHC tiếp nhận là {bm3.3.1} hồ sơ")
    assert "{bm3.3.1.2}" in text and "{bm3.3.1.3}" not in text and "Đã giải quyết" not in text
    assert "…" not in render(text, state)


def test_nothing_to_draft_without_figures(catalog):
    state = validator_for(catalog).state({})
    assert all(draft(section, state) is None for section in DRAFTS)
    assert draft("III.1", state) is None  # a section with no standard sentence


def test_every_placeholder_names_a_row_of_the_catalog(catalog):
    for section, paragraphs in DRAFTS.items():
        assert section in catalog.sections
        for p in paragraphs:
            for text in (p.lead, *(c.text for c in p.clauses)):
                assert all(i in catalog.indicators for i in placeholders(text)), (section, text)

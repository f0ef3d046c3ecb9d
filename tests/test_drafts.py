"""Drafting standard sentences from the figures: placeholders, never frozen numbers, and no
clause for a figure that is still blank. The sentences are the catalog's (its drafts file); a
catalog without one has no drafts, and "Soạn đoạn mẫu" says so."""

from cchc_desktop.core.catalog import BUILTIN_DIR, load_catalog
from cchc_desktop.core.drafts import draft, has_draft, no_draft_message
from cchc_desktop.core.engine import validator_for
from cchc_desktop.core.narrative import placeholders, render

SHIPPED = BUILTIN_DIR / "xa-2025.1.toml"


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
    assert text.startswith("- Trong kỳ báo cáo, tổng số hồ sơ TTHC tiếp nhận là {bm3.3.1} hồ sơ")
    assert "{bm3.3.1.2}" in text and "{bm3.3.1.3}" not in text and "Đã giải quyết" not in text
    assert "…" not in render(text, state)


def test_each_drafted_paragraph_is_a_point_of_the_outline(catalog, sample_values):
    """As clerks write their sections and the documents print them: one "- " point per line,
    so a draft pasted under the clerk's own points reads as one more of them."""
    state = validator_for(catalog).state(sample_values)
    drafted = [draft(section, state) for section in catalog.drafts]
    lines = [line for text in drafted if text for line in text.split("\n")]
    assert len(lines) >= len(catalog.drafts) and all(line.startswith("- ") for line in lines)
    assert not any(line.startswith("- - ") for line in lines)


def test_nothing_to_draft_without_figures(catalog):
    state = validator_for(catalog).state({})
    assert catalog.drafts and all(draft(section, state) is None for section in catalog.drafts)
    assert draft("III.1", state) is None  # a section with no standard sentence
    assert "Chưa có số liệu" in no_draft_message("II.2", state)
    assert not has_draft(catalog, "III.1") and has_draft(catalog, "II.2")


def test_every_placeholder_names_a_row_of_the_catalog(catalog):
    for section, paragraphs in catalog.drafts.items():
        assert catalog.sections[section].holds_text
        for p in paragraphs:
            for text in (p.lead, *(c.text for c in p.clauses)):
                assert all(i in catalog.indicators for i in placeholders(text)), (section, text)


def test_a_province_catalog_without_a_drafts_file_has_none_and_says_so(tmp_path, sample_values):
    province = tmp_path / "xa-2026.1.toml"
    province.write_text(SHIPPED.read_text(encoding="utf-8").replace('version = "2025.1"', 'version = "2026.1"', 1),
                        encoding="utf-8")
    cat = load_catalog(province)
    assert cat.drafts == {} and cat.sample is None
    state = validator_for(cat).state(sample_values)
    text_sections = [s for s in cat.sections.values() if s.holds_text]
    assert all(draft(s.id, state) is None for s in text_sections)
    # the button stays usable so that pressing it explains, rather than sitting greyed without a reason
    assert all(has_draft(cat, s.id) for s in text_sections)
    message = no_draft_message("II.2", state)
    assert "xa-2026.1.drafts.toml" in message and "2026.1" in message and "không kèm đoạn mẫu" in message

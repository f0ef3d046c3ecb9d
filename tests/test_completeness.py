"""How much of the report is written, and the question asked before it is called complete."""

from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.core.completeness import COMPLETE, EMPTY, PARTLY, completeness
from cchc_desktop.core.engine import validator_for
from cchc_desktop.services.sample import sample_doc

CATALOG = CatalogRegistry().latest()
INPUTS = {n: [i for i in f.indicators if CATALOG.indicators[i].is_input] for n, f in CATALOG.forms.items()}
TEXT_SECTIONS = [s.id for s in CATALOG.sections.values() if s.holds_text]


def state(values, narratives=None):
    return validator_for(CATALOG).state(values, {}, narratives or {}, {})


def test_an_empty_form_is_empty_never_complete():
    c = completeness(state({}), {})
    assert all(f.state == EMPTY and f.filled == 0 and f.mark == "○" for f in c.forms)
    assert c.blank_rows == sum(map(len, INPUTS.values())) and len(c.empty_sections) == len(TEXT_SECTIONS)
    assert c.forms[2].text() == f"Biểu mẫu 3: 0/{len(INPUTS[3])} dòng — chưa nhập"


def test_a_form_is_complete_only_with_every_input_typed_and_blanks_are_named():
    values = {i: "1" for i in INPUTS[3]}
    c = completeness(state(values), {})
    assert c.forms[2].state == COMPLETE and c.forms[2].mark == "✓"
    del values[INPUTS[3][-1]]
    c = completeness(state(values), {})
    f = c.forms[2]
    assert f.state == PARTLY and f.blank_rows == (INPUTS[3][-1],) and f.mark == "◐"
    q = c.question(state(values), "đánh dấu hoàn thành")
    assert f"Biểu mẫu 3 ({len(INPUTS[3]) - 1}/{len(INPUTS[3])}): trống dòng {CATALOG.indicators[INPUTS[3][-1]].stt}" in q
    assert "Vẫn đánh dấu hoàn thành?" in q and "có thể để trống" in q


def test_whitespace_is_not_a_figure_nor_a_section():
    c = completeness(state({INPUTS[1][0]: "   "}), {TEXT_SECTIONS[0]: " \n "})
    assert c.forms[0].filled == 0 and TEXT_SECTIONS[0] in c.empty_sections


def test_the_sample_is_partly_filled_with_every_section_written():
    doc = sample_doc()
    c = completeness(state(doc["values"], doc["narratives"]), doc["narratives"])
    assert not c.empty_sections and c.blank_rows and not c.whole
    assert all(f.state == PARTLY for f in c.forms)


@settings(max_examples=60)
@given(st.sets(st.sampled_from([i for ids in INPUTS.values() for i in ids])),
       st.sets(st.sampled_from(TEXT_SECTIONS)))
def test_counts_add_up_for_any_report(typed, written):
    c = completeness(state({i: "2" for i in typed}), {s: "Đã viết." for s in written})
    assert sum(f.filled for f in c.forms) == len(typed)
    assert c.blank_rows + len(typed) == sum(map(len, INPUTS.values()))
    assert set(c.empty_sections) == set(TEXT_SECTIONS) - written
    assert c.whole == (c.blank_rows == 0 and not c.empty_sections)

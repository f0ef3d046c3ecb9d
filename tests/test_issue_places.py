"""Where each issue is fixed (core/issue_places.py): the cell marks and the issues list ask
the same function, so a line of the list jumps to the box that is marked."""

from __future__ import annotations

from cchc_desktop.core.engine import validator_for
from cchc_desktop.core.issue_places import NOTE, VALUE, note_issues, note_row, place


def test_a_note_rule_is_fixed_in_the_ghi_chu_of_its_row(catalog):
    note_rules = [r for r in catalog.rules if r.type == "note"]
    assert note_rules, "the catalog has no note rule to check this with"
    state = validator_for(catalog).state({"bm1.4": "1"})
    (issue,) = [i for i in state.issues.values() if i.rule == note_rules[0].id]
    row = note_rules[0].check.left.ids[0]
    assert place(catalog, issue) == (row, NOTE) and note_row(catalog, issue) == row
    assert note_issues(catalog, state.issues_for(row), row) == [issue]


def test_other_issues_are_fixed_in_the_value_of_their_first_row_or_nowhere(catalog):
    state = validator_for(catalog).state({"bm4.3": "10x"}, {}, {"1": "Đã xử lý {bm99.9} hồ sơ."},
                                         {"date_text": "31/02/2025"}, ("2023-12-14", "2022-12-15"))
    places = {i.key: place(catalog, i) for i in state.issues.values()}
    assert places.pop("invalid:bm4.3") == ("bm4.3", VALUE)
    assert places.pop("header:date_text") is None  # the header names no row
    assert places.pop("header:window") is None
    text = [k for k in places if k.startswith("text:")]
    assert text and all(places[k] is None for k in text)  # the prose names a row that is not there
    assert all(note_row(catalog, i) is None for i in state.issues.values())


def test_a_compare_rule_is_fixed_in_a_value_and_never_marks_a_ghi_chu(catalog, sample_values):
    state = validator_for(catalog).state(sample_values)
    compared = [i for i in state.issues.values() if i.rule and not note_row(catalog, i)]
    assert compared, "the sample's inconsistency is gone: pick another rule to check this with"
    for issue in compared:
        assert place(catalog, issue) == (issue.indicators[0], VALUE)
        assert all(note_issues(catalog, state.issues_for(r), r) == [] for r in issue.indicators)

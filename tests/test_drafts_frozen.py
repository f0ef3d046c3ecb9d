"""The drafted sentences moved from Python into the catalog's drafts file: every section's draft,
for the sample and for four other sets of figures (alternate rows blank, one row in three, every
input 1), is byte for byte what the hard-coded drafts produced. The expected texts were written
by the code before the move (tests/data/drafts_xa-2025.1_before.json) and are never regenerated.
One deliberate change since (issue 10 §5): each drafted line is a "- " point of the outline."""

import json

import pytest

from cchc_desktop.core import drafts
from cchc_desktop.core.engine import validator_for
from tests.conftest import ROOT

ADDED_SINCE = ("bm7.4.1", "bm7.4.4")
BEFORE = json.loads((ROOT / "tests" / "data" / "drafts_xa-2025.1_before.json").read_text(encoding="utf-8"))


def _figures(catalog, variant: str) -> dict[str, str]:
    # the sample's figures as they were when the texts were written: two denominators the
    # original report's prose implies were added since (bm7.4.1, bm7.4.4, issue 11 §2)
    sample = {i.id: i.sample for i in catalog.inputs() if i.sample is not None and i.id not in ADDED_SINCE}
    ids = sorted(sample)
    return {
        "sample": sample,
        "every_other_blank_odd": {k: sample[k] for n, k in enumerate(ids) if n % 2},
        "every_other_blank_even": {k: sample[k] for n, k in enumerate(ids) if not n % 2},
        "every_input_1": {i.id: "1" for i in catalog.inputs()},
        "every_third": {k: sample[k] for n, k in enumerate(ids) if n % 3 == 0},
    }[variant]


@pytest.mark.parametrize("variant", sorted(BEFORE))
def test_every_sections_draft_is_the_one_the_hard_coded_drafts_wrote(catalog, variant):
    state = validator_for(catalog).state(_figures(catalog, variant))
    assert list(BEFORE[variant]) == list(catalog.sections)
    for section, expected in BEFORE[variant].items():
        expected = expected and "\n".join("- " + line for line in expected.split("\n"))
        assert drafts.draft(section, state) == expected, (variant, section)


def test_the_frozen_texts_cover_every_drafted_section():
    drafted = {s for variant in BEFORE.values() for s, text in variant.items() if text}
    assert drafted == {"I.1", "I.2", "I.4", "II.1", "II.2", "II.3", "II.4", "II.5", "II.6"}

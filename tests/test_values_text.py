"""One definition of how a value prints, by kind and by where it is written (numbers.format_value).
The table is the specification: each line is a (kind, value, typed) and what every context writes."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_desktop.core.numbers import (BLANK_MARK, CELL, CONTEXTS, KINDS, MESSAGE, PLAIN, PRINTED, PROSE, format_value,
                                       parse_count, parse_money)

D = Decimal
COLUMNS = (PLAIN, CELL, PRINTED, PROSE)
TABLE = [
    # kind, value, typed, plain, cell, printed, prose
    ("count", 1097, "1097", "1.097", "1.097", "1.097", "1.097"),
    ("count", 6, "6", "6", "6", "6", "06"),
    ("count", 0, "0", "0", "0", "0", "0"),
    ("money", D("1005.80"), "1005,80", "1.005,8", "1.005,8", "1.005,8", "1.005,8"),
    ("money", D("0.5"), "0,5", "0,5", "0,5", "0,5", "0,5"),
    ("percent", D("99.05"), "", "99,05", "99,05%", "99,05%", "99,05%"),
    ("percent", D("50.00"), "", "50,00", "50,00%", "50,00%", "50%"),
    ("percent", D("50.10"), "", "50,10", "50,10%", "50,10%", "50,10%"),
    ("flag", 1, " 1 ", "1", "1", "1", "1"),
    ("choice", 2, "2", "2", "2", "2", "2"),
    # blank: the cell keeps what was typed (spaces too), paper prints nothing, prose marks the gap
    ("count", None, "", "", "", "", BLANK_MARK),
    ("money", None, "  ", "", "  ", "", BLANK_MARK),
    ("percent", None, "", "", "", "", BLANK_MARK),
    ("heading", None, "", "", "", "", BLANK_MARK),
    # text that is not a value: shown and printed as typed, never as a figure it might mean
    ("count", None, "24,694", "", "24,694", "24,694", BLANK_MARK),
    ("money", None, " 1.5 ", "", " 1.5 ", " 1.5 ", BLANK_MARK),
]


@pytest.mark.parametrize(("kind", "value", "typed", *COLUMNS), TABLE)
def test_every_kind_in_every_context(kind, value, typed, plain, cell, printed, prose):
    wanted = dict(zip(COLUMNS, (plain, cell, printed, prose)))
    for context, text in wanted.items():
        assert format_value(kind, value, context, typed) == text, (kind, value, context)


def test_the_table_covers_every_kind_and_context():
    assert {row[0] for row in TABLE} == set(KINDS)
    assert set(COLUMNS) | {MESSAGE} == set(CONTEXTS)


@pytest.mark.parametrize(("value", "text"), [
    (12, "12"), (24694, "24.694"), (D("1005.8"), "1.005,8"), (D("1005.000"), "1.005"), (D("0.0004"), "0"),
])
def test_a_side_of_a_rule_is_a_count_when_whole_else_money(value, text):
    # the sides are sums over rows that may mix counts and money: no single row's kind
    assert format_value(None, value, MESSAGE) == text


def test_refusals():
    with pytest.raises(ValueError):
        format_value("bogus", 1)
    with pytest.raises(ValueError):
        format_value("count", 1, "tooltip")
    with pytest.raises(ValueError):
        format_value("heading", 1, PRINTED)
    with pytest.raises(TypeError):
        format_value("flag", 1.0)
    with pytest.raises(TypeError):
        format_value(None, 1.5, MESSAGE)


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_a_count_cell_reads_back_as_its_value(n):
    for context in (CELL, PRINTED, PLAIN):
        assert parse_count(format_value("count", n, context)).value == n
    # prose pads below ten ("06"), which still reads back as the same count
    assert parse_count(format_value("count", n, PROSE)).value == n


@given(st.decimals(min_value=0, max_value=D(10**15) - 1, places=3))
def test_a_money_cell_reads_back_as_its_value(d):
    for context in (CELL, PRINTED, PROSE, PLAIN):
        text = format_value("money", d, context)
        parsed = parse_money(text)
        if parsed.ok:
            assert parsed.value == d
        else:
            # Known gap, left as printed: 1,001 (one comma, three decimals, under a thousand)
            # is the one spelling the parser refuses as ambiguous (English 1001?); the clerk
            # types it as 1,0010. Anything else failing to read back is a bug.
            assert re.fullmatch(r"[1-9][0-9]{0,2},[0-9]{3}", text), text
            assert "không rõ nghĩa" in parsed.error


@given(st.decimals(min_value=0, max_value=1000, places=2))
def test_prose_percent_is_the_printed_one_without_empty_decimals(d):
    printed = format_value("percent", d, PRINTED)
    prose = format_value("percent", d, PROSE)
    assert printed.endswith("%")
    assert prose == printed.removesuffix("%").removesuffix(",00") + "%"
    assert format_value("percent", d, CELL) == printed == format_value("percent", d) + "%"


@given(st.text(max_size=20))
def test_text_that_is_not_a_value_is_never_rewritten(typed):
    for kind in ("count", "money", "flag", "choice"):
        assert format_value(kind, None, CELL, typed) == typed
        assert format_value(kind, None, PRINTED, typed) == (typed if typed.strip() else "")
        assert format_value(kind, None, PROSE, typed) == BLANK_MARK

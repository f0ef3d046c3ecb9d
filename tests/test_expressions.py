import pytest

from cchc_desktop.core.expressions import ExpressionError, parse_comparison, parse_ratio, parse_sum


def test_sum_with_minus_and_parentheses():
    lin = parse_sum("bm3.3.1 - (bm3.3.1.1 - 2) + 3")
    assert dict(lin.terms) == {"bm3.3.1": 1, "bm3.3.1.1": -1}
    assert lin.const == 5
    assert lin.evaluate({"bm3.3.1": 1962, "bm3.3.1.1": 17}) == 1962 - 17 + 5


def test_unicode_minus_and_operators_from_the_spec():
    ratio = parse_ratio("bm3.3.1.3 / (bm3.3.1 − bm3.3.1.1)")
    assert dict(ratio.denominator.terms) == {"bm3.3.1": 1, "bm3.3.1.1": -1}
    assert parse_comparison("bm1.2.2 ≤ bm1.2.1").op == "<="
    assert parse_comparison("bm7.3.1 + bm7.3.2 >= 0").op == ">="


def test_blank_operand_gives_none_unless_blank_counts_as_zero():
    lin = parse_sum("bm1.5.2 + bm1.5.3")
    assert lin.evaluate({"bm1.5.2": 4}) is None
    assert lin.evaluate({"bm1.5.2": 4}, blank_as_zero=True) == 4


def test_comparison_ids_keep_order_without_repeats():
    cmp = parse_comparison("bm5.5.1 + bm5.5.2 = bm4.3 + bm5.5.1")
    assert cmp.ids == ("bm5.5.1", "bm5.5.2", "bm4.3")


@pytest.mark.parametrize(
    "text",
    ["bm1.1 +", "bm1.1 = = 2", "(bm1.1 + 2", "bm1.1 ? 2", "bm1.1 bm1.2", "", "x1 = 2", "bm1.1 = 2 3"],
)
def test_malformed_comparisons_are_refused(text):
    with pytest.raises(ExpressionError):
        parse_comparison(text)


def test_ratio_needs_a_slash():
    with pytest.raises(ExpressionError):
        parse_ratio("bm1.1 + bm1.2")


@pytest.mark.parametrize("parse", [parse_sum, parse_ratio, parse_comparison])
def test_ten_thousand_nested_parentheses_are_an_expression_error_not_a_recursion_error(parse):
    with pytest.raises(ExpressionError, match="ngoặc lồng nhau"):
        parse("(" * 10_000 + "bm1.1" + ")" * 10_000 + " / bm1.2 = 1")


def test_twenty_levels_of_parentheses_are_fine():
    assert parse_sum("(" * 20 + "bm1.1 + 2" + ")" * 20).ids == ("bm1.1",)

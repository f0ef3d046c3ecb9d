"""Tests for cchc_desktop.core.numbers: Vietnamese number/date parsing and formatting."""

from __future__ import annotations

import datetime
import math
import re
import subprocess
import sys
import unicodedata
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from cchc_desktop.core import numbers as nb
from cchc_desktop.core.numbers import (
    FLAG_CODES,
    Parsed,
    format_count,
    format_count_prose,
    format_date_header,
    format_date_short,
    format_money,
    format_percent,
    format_value,
    nfc,
    parse_code,
    parse_count,
    parse_date_short,
    parse_money,
    parse_value,
    percent,
)

CHOICES = {0: "Trực tuyến", 1: "Phát phiếu", 2: "Kết hợp"}


def assert_refused(p: Parsed, offending: str, *fragments: str) -> None:
    """A refusal: no value, and a Vietnamese message that quotes the text and says how."""
    assert p.value is None
    assert not p.ok and not p.blank
    assert p.error is not None
    assert f'"{offending}"' in p.error
    assert "Hãy" in p.error
    assert any(not ch.isascii() and ch.isalpha() for ch in p.error)  # has diacritics
    assert unicodedata.is_normalized("NFC", p.error)
    for fragment in fragments:
        assert fragment in p.error, (fragment, p.error)


# --------------------------------------------------------------------------- counts

@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("24.694", 24694),
        ("24694", 24694),
        ("24 694", 24694),
        ("24\u00a0694", 24694),
        ("24\u202f694", 24694),
        ("1.234.567", 1234567),
        ("1 234\u00a0567", 1234567),
        ("0", 0),
        ("007", 7),
        ("1.500", 1500),
        ("  12\t", 12),
        ("\u00a0\u202f24.694\u00a0", 24694),
        ("999.999.999.999.999", 999_999_999_999_999),
        ("0" * 5000 + "1", 1),  # leading zeros do not count toward the size limit
    ],
)
def test_count_accepts(text, value):
    p = parse_count(text)
    assert p.ok and not p.blank
    assert p.value == value and type(p.value) is int
    assert p.text == text


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("24,694", ["dấu phẩy là dấu thập phân", "Hãy viết 24694 hoặc 24.694."]),
        ("1,234,567", ["dấu phẩy là dấu thập phân", "1234567 hoặc 1.234.567"]),
        ("-3", ["không được âm", "từ 0 trở lên"]),
        ("- 3", ["không được âm"]),
        ("\u22123", ["không được âm"]),  # the real minus sign
        ("1e3", ["lũy thừa", "1000 hoặc 1.000"]),
        ("1E3", ["lũy thừa", "1000 hoặc 1.000"]),
        ("2E+2", ["lũy thừa", "200"]),
        ("1e99", ["lũy thừa", "đầy đủ các chữ số"]),
        ("=1+1", ["công thức", "kết quả"]),
        ("=SUM(A1:A3)", ["công thức", "kết quả"]),
        ("+5", ["dấu cộng", "kết quả"]),
        ("3+2", ["phép tính", "kết quả"]),
        ("mười", ["chữ số 0–9", "24.694"]),
        ("12a", ["chữ số 0–9"]),
        ("abc", ["chữ số 0–9"]),
        ("12 hồ sơ", ["chữ số 0–9"]),
        ("\uff12", ["chữ số 0–9"]),  # fullwidth 2
        ("\u0663", ["chữ số 0–9"]),  # Arabic-Indic 3
        ("\u00b2", ["chữ số 0–9"]),  # superscript 2
        ("1,5", ["số nguyên", "không có phần thập phân"]),
        ("0,500", ["không có phần thập phân"]),  # a real decimal, not English grouping
        ("5,0", ["không có phần thập phân", "Hãy viết 5."]),
        ("1.005,8", ["không có phần thập phân"]),
        ("24.69", ["nhóm đủ 3 chữ số"]),
        ("2.4694", ["nhóm đủ 3 chữ số"]),
        ("24 69", ["nhóm đủ 3 chữ số"]),
        ("1.5", ["số nguyên", "nhóm đủ 3 chữ số"]),
        ("1.234 567", ["dùng lẫn dấu chấm và dấu cách"]),
        ("24  694", ["Hãy"]),
        ("1" * 16, ["quá lớn", "kiểm tra lại"]),
        ("1.000.000.000.000.000", ["quá lớn"]),
        ("1" + ",000" * 5, ["quá lớn"]),
        ("-", ["để trống", "nhập 0"]),
        ("\u2014", ["để trống"]),
        ("24.", ["Hãy"]),
        (".5", ["Hãy"]),
        ("99%", ["Hãy"]),
        ("1,2,3", ["Hãy"]),
    ],
)
def test_count_refuses(text, fragments):
    assert_refused(parse_count(text), text, *fragments)


def test_count_message_is_the_documented_one():
    assert parse_count("24,694").error == (
        '"24,694" không phải số nguyên: dấu phẩy là dấu thập phân. Hãy viết 24694 hoặc 24.694.'
    )


def test_count_refusal_quotes_the_stripped_text_and_keeps_the_raw():
    p = parse_count("  24,694 ")
    assert p.text == "  24,694 "
    assert '"24,694"' in p.error


def test_long_garbage_is_quoted_shortened():
    p = parse_count("x" * 500)
    assert not p.ok
    assert "x" * 40 + "…" in p.error and "x" * 41 not in p.error


@pytest.mark.parametrize("text", ["9" * 5000 + "e3", "9" * 5000 + ",5", "1," + "0" * 5000])
def test_huge_input_is_refused_not_crashed(text):
    # int() refuses strings over 4300 digits: the parsers must never get that far.
    for parse in (parse_count, parse_money):
        p = parse(text)
        assert not p.ok and "Hãy" in p.error and "…" in p.error


@pytest.mark.parametrize("text", ["", "   ", "\u00a0", "\u202f\t\n"])
def test_blank_is_valid_and_empty(text):
    for p in (parse_count(text), parse_money(text), parse_code(text, FLAG_CODES)):
        assert p.blank and p.ok
        assert p.value is None and p.error is None
        assert p.text == text


# --------------------------------------------------------------------------- money

@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.005,8", Decimal("1005.8")),
        ("1005,8", Decimal("1005.8")),
        ("5.158.000", Decimal("5158000")),
        ("6648", Decimal("6648")),
        ("0,125", Decimal("0.125")),
        ("1 029,7", Decimal("1029.7")),
        ("1\u00a0029,7", Decimal("1029.7")),
        ("1.500", Decimal("1500")),
        ("1234,567", Decimal("1234.567")),  # 4 digits before the comma: never English grouping
        ("1.234,567", Decimal("1234.567")),
        ("0,125", Decimal("0.125")),
        ("24,6940", Decimal("24.694")),  # the unambiguous spelling of 24,694 with three decimals
        ("1,25", Decimal("1.25")),
        ("0", Decimal("0")),
        ("1.005,80", Decimal("1005.8")),
    ],
)
def test_money_accepts(text, value):
    p = parse_money(text)
    assert p.ok
    assert p.value == value and isinstance(p.value, Decimal)


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("1.005.8", ["dấu phẩy là dấu thập phân", "Hãy viết 1.005,8."]),
        ("1.5", ["dấu phẩy là dấu thập phân", "Hãy viết 1,5."]),
        ("24.69", ["Hãy viết 24,69."]),
        ("1,000.5", ["Hãy viết 1.000,5."]),
        ("1,000,000", ["Hãy viết 1.000.000."]),
        ("1,2,3", ["một dấu phẩy"]),
        ("1,2345", ["tối đa 3 chữ số thập phân", "1,235"]),
        ("24,694", ["Hãy viết 24694 hoặc 24.694", "24,6940", "1,5"]),
        ("1,234", ["không rõ", "Hãy viết 1234 hoặc 1.234", "1,2340"]),
        ("999,000", ["Hãy viết 999000 hoặc 999.000", "999,0"]),
        ("0,0005", ["tối đa 3 chữ số thập phân", "0,001"]),
        ("2.4694", ["nhóm đủ 3 chữ số"]),
        ("-1,5", ["không được âm"]),
        ("1e3", ["lũy thừa"]),
        ("1,5e3", ["lũy thừa"]),
        ("=A1*2", ["công thức"]),
        ("+5", ["dấu cộng"]),
        ("5 triệu", ["chữ số 0–9", "1.005,8"]),
        ("abc", ["chữ số 0–9"]),
        ("1" * 16 + ",5", ["quá lớn"]),
        ("1,", ["dấu phẩy cho phần thập phân"]),
        (",5", ["Hãy"]),
    ],
)
def test_money_refuses(text, fragments):
    assert_refused(parse_money(text), text, *fragments)


def test_money_max_decimals_parameter():
    assert parse_money("1,2345", max_decimals=4).value == Decimal("1.2345")
    p = parse_money("1,25", max_decimals=1)
    assert "tối đa 1 chữ số thập phân" in p.error and "1,3" in p.error
    p = parse_money("1,5", max_decimals=0)
    assert "phải là số nguyên" in p.error


# --------------------------------------------------------------------------- codes

@pytest.mark.parametrize(("text", "value"), [("1", 1), ("0", 0), (" 1 ", 1), ("01", 1)])
def test_flag_accepts_codes(text, value):
    p = parse_code(text, FLAG_CODES)
    assert p.ok and p.value == value


@pytest.mark.parametrize("text", ["Có", "2", "1.0", "yes", "-1", "１", "1 0", "9" * 400])
def test_flag_refuses_with_code_list(text):
    p = parse_code(text, FLAG_CODES)
    assert p.value is None and not p.ok
    assert "Chỉ nhập mã: 1 (Có) hoặc 0 (Không)." in p.error
    assert text[:40] in p.error


def test_typing_the_label_says_which_code_to_use():
    assert "Hãy gõ mã 1" in parse_code("Có", FLAG_CODES).error
    assert "Hãy gõ mã 0" in parse_code("không", FLAG_CODES).error
    assert "Hãy gõ mã" not in parse_code("yes", FLAG_CODES).error


def test_decomposed_input_is_nfc():
    decomposed = "Co\u0301"  # "Có" as Unikey may send it
    assert decomposed != "Có"
    p = parse_code(decomposed, FLAG_CODES)
    assert p.text == "Có"
    assert '"Có"' in p.error and "Hãy gõ mã 1" in p.error
    assert nfc("Kho\u0302ng") == "Không"


def test_three_codes_message():
    p = parse_code("5", CHOICES)
    assert p.error.endswith(
        "Chỉ nhập một trong các mã: 0 (Trực tuyến), 1 (Phát phiếu), 2 (Kết hợp)."
    )
    assert parse_code("2", CHOICES).value == 2


def test_parse_code_needs_codes():
    with pytest.raises(ValueError):
        parse_code("1", {})


# --------------------------------------------------------------------------- dispatch

def test_parse_value_dispatch():
    assert parse_value("count", "24.694").value == 24694
    assert parse_value("money", "1.005,8").value == Decimal("1005.8")
    assert parse_value("flag", "1").value == 1
    assert not parse_value("flag", "2").ok  # default codes are 1/0
    assert parse_value("choice", "2", CHOICES).value == 2
    assert not parse_value("choice", "3", CHOICES).ok


@pytest.mark.parametrize("kind", ["percent", "heading", "bogus"])
def test_parse_value_refuses_untyped_kinds(kind):
    with pytest.raises(ValueError):
        parse_value(kind, "1")


def test_parse_value_choice_needs_codes():
    with pytest.raises(ValueError):
        parse_value("choice", "1")


# --------------------------------------------------------------------------- formatting

@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "0"), (7, "7"), (999, "999"), (1000, "1.000"), (24694, "24.694"),
     (1234567, "1.234.567"), (10**15 - 1, "999.999.999.999.999")],
)
def test_format_count(n, text):
    assert format_count(n) == text


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (Decimal("1005.8"), "1.005,8"),
        (Decimal("1005.80"), "1.005,8"),
        (6648, "6.648"),
        (Decimal("5158000"), "5.158.000"),
        (Decimal("0.125"), "0,125"),
        (Decimal("0"), "0"),
        (Decimal("1E+3"), "1.000"),
        (Decimal("1.2345"), "1,235"),  # shown to 3 decimals, half-up
        (Decimal("0.0005"), "0,001"),
        # 18 significant digits: a float would print ...345,12 or worse
        (Decimal("123456789012345.125"), "123.456.789.012.345,125"),
    ],
)
def test_format_money(d, text):
    assert format_money(d) == text


@pytest.mark.parametrize("bad", [0.1, True, "5"])
def test_formatting_refuses_float_and_friends(bad):
    with pytest.raises(TypeError):
        format_money(bad)
    with pytest.raises(TypeError):
        format_percent(bad)
    with pytest.raises(TypeError):
        format_count(bad)


def test_format_value_dispatch():
    assert format_value("count", 24694) == "24.694"
    assert format_value("money", Decimal("1005.8")) == "1.005,8"
    assert format_value("flag", 1) == "1"
    assert format_value("choice", 2) == "2"
    assert format_value("percent", Decimal("99.05")) == "99,05"
    for kind in ("count", "money", "flag", "choice", "percent", "heading"):
        assert format_value(kind, None) == ""
    with pytest.raises(ValueError):
        format_value("bogus", 1)


@pytest.mark.parametrize(
    ("n", "text"), [(0, "0"), (1, "01"), (6, "06"), (9, "09"), (10, "10"), (24694, "24.694")]
)
def test_format_count_prose(n, text):
    assert format_count_prose(n) == text


# --------------------------------------------------------------------------- percent

def test_percent_report_figures():
    assert percent(1868, 1886) == Decimal("99.05")
    assert percent(848, 1945) == Decimal("43.60")
    assert percent(Decimal("1005.8"), Decimal("1029.7")) == Decimal("97.68")
    assert str(percent(848, 1945)) == "43.60"  # exactly 2 places, not 43.6
    assert str(percent(5, 5)) == "100.00"


def test_percent_blank_cases():
    assert percent(1, 0) is None
    assert percent(1, Decimal("0.0")) is None
    assert percent(None, 5) is None
    assert percent(5, None) is None
    assert percent(0, 5) == Decimal("0.00")


def test_percent_rounds_half_up_not_half_even():
    assert percent(1, 800) == Decimal("0.13")  # 0.125: half-even would give 0.12
    assert percent(1, 1600) == Decimal("0.06")  # 0.0625
    assert percent(Decimal("0.00005"), 1) == Decimal("0.01")  # 0.005


def test_percent_exact_where_float_fails():
    # 1.005 has no exact binary form: a float pipeline prints 1.0 here.
    assert percent(Decimal("1.005"), 100) == Decimal("1.01")
    assert percent(2, 3) == Decimal("66.67")


@given(st.one_of(st.integers(-10**12, 10**12), st.decimals(-10**9, 10**9, places=3, allow_nan=False)),
       st.one_of(st.integers(-10**12, 10**12), st.decimals(-10**9, 10**9, places=3, allow_nan=False)))
def test_percent_is_the_exact_ratio_rounded_half_up(num, den):
    """Against an independent oracle: the exact Fraction, rounded half-up (away from zero)."""
    if den == 0:
        assert percent(num, den) is None
        return
    exact = 100 * Fraction(num) / Fraction(den)
    magnitude = int(abs(exact) * 100 + Fraction(1, 2))  # floor(|x|·100 + ½): half-up on the magnitude
    expected = Decimal(magnitude if exact >= 0 else -magnitude).scaleb(-2)
    assert percent(num, den) == expected


def test_percent_refuses_float():
    with pytest.raises(TypeError):
        percent(1.0, 2)


@pytest.mark.parametrize(
    ("d", "text"),
    [(Decimal("99.05"), "99,05"), (Decimal("100"), "100,00"), (Decimal("100.00"), "100,00"),
     (Decimal("43.6"), "43,60"), (Decimal("0"), "0,00"), (Decimal("1234.5"), "1.234,50"),
     (Decimal("99.995"), "100,00"), (None, "")],
)
def test_format_percent(d, text):
    assert format_percent(d) == text


# --------------------------------------------------------------------------- dates

@pytest.mark.parametrize(
    ("d", "text"),
    [
        (datetime.date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (datetime.date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (datetime.date(2025, 3, 1), "ngày 01 tháng 3 năm 2025"),
        (datetime.date(2025, 6, 5), "ngày 05 tháng 6 năm 2025"),
        (datetime.date(2025, 10, 15), "ngày 15 tháng 10 năm 2025"),
        (datetime.date(2025, 12, 31), "ngày 31 tháng 12 năm 2025"),
    ],
)
def test_format_date_header(d, text):
    assert format_date_header(d) == text


def test_format_date_short():
    assert format_date_short(datetime.date(2025, 12, 15)) == "15/12/2025"
    assert format_date_short(datetime.date(2026, 1, 5)) == "05/01/2026"


@pytest.mark.parametrize(
    ("text", "d"),
    [("15/12/2025", datetime.date(2025, 12, 15)), ("5/1/2026", datetime.date(2026, 1, 5)),
     (" 05/01/2026\u00a0", datetime.date(2026, 1, 5))],
)
def test_parse_date_short(text, d):
    assert parse_date_short(text) == d


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("31/02/2025", "không có trên lịch"), ("15/13/2025", "không có trên lịch"),
     ("2025-12-15", "ngày/tháng/năm"), ("15/12/25", "ngày/tháng/năm"),
     ("15.12.2025", "ngày/tháng/năm"), ("", "ngày/tháng/năm"),
     ("１５/12/2025", "ngày/tháng/năm"), ("hôm nay", "ngày/tháng/năm")],
)
def test_parse_date_short_refuses(text, fragment):
    with pytest.raises(ValueError) as exc:
        parse_date_short(text)
    message = str(exc.value)
    assert fragment in message and "Hãy" in message and "15/12/2025" in message


# --------------------------------------------------------------------------- properties

PARSERS = [
    parse_count,
    parse_money,
    lambda t: parse_code(t, FLAG_CODES),
    lambda t: parse_code(t, CHOICES),
]

# Text biased toward the characters the parsers care about, plus arbitrary unicode.
number_ish = st.text(alphabet=st.sampled_from(list("0123456789.,  \u00a0\u202f-+=eE٣２a")),
                     max_size=25)
any_text = st.one_of(st.text(), number_ish)


@given(any_text)
def test_parsers_never_raise_and_keep_raw_text(text):
    for parse in PARSERS:
        p = parse(text)
        assert p.text == nfc(text)
        if p.ok:
            assert (p.value is None) == p.blank
        else:
            assert p.value is None and p.error and not p.blank


@given(any_text)
def test_refusals_are_vietnamese_and_say_how(text):
    for parse in (parse_count, parse_money):
        p = parse(text)
        if not p.ok:
            assert "Hãy" in p.error
            assert p.error.startswith(('"', "Số \""))


@given(st.integers(min_value=0, max_value=10**15 - 1), st.sampled_from([".", " ", "\u00a0",
                                                                        "\u202f"]))
def test_count_round_trip(n, separator):
    text = format_count(n)
    assert parse_count(text).value == n
    assert parse_count(text.replace(".", separator)).value == n
    assert parse_count(str(n)).value == n


@st.composite
def money_values(draw):
    places = draw(st.integers(min_value=0, max_value=3))
    units = draw(st.integers(min_value=0, max_value=10 ** (15 + places) - 1))
    return Decimal(units).scaleb(-places)


@given(money_values())
def test_money_round_trip(d):
    text = format_money(d)
    p = parse_money(text)
    if AMBIGUOUS.fullmatch(text):  # "1,234" prints 1.234 triệu but reads as 1234 in English
        assert not p.ok and f"{text}0" in p.error
        text += "0"
        p = parse_money(text)
    assert p.ok and p.value == d


AMBIGUOUS = re.compile(r"[1-9][0-9]{0,2},[0-9]{3}")


@given(st.integers(1, 999), st.integers(0, 999), st.sampled_from(["", " ", "\u00a0"]))
def test_a_comma_and_exactly_three_digits_is_refused_for_money_as_for_counts(whole, frac, pad):
    text = f"{pad}{whole},{frac:03d}{pad}"
    money, count = parse_money(text), parse_count(text)
    assert money.value is None and count.value is None
    thousands = whole * 1000 + frac
    assert f"Hãy viết {_both(thousands)}" in money.error and _both(thousands) in count.error
    assert f"{whole},{frac:03d}0" in money.error  # how to write the decimal instead
    # the suggested spellings are accepted and mean what the message says
    assert parse_money(format_count(thousands)).value == thousands
    assert parse_money(f"{whole},{frac:03d}0").value == Decimal(f"{whole}.{frac:03d}")


def _both(n: int) -> str:
    plain, grouped = str(n), format_count(n)
    return plain if plain == grouped else f"{plain} hoặc {grouped}"


@given(st.integers(0, 10**6), st.integers(0, 99), st.integers(1, 2))
def test_one_or_two_decimals_are_never_ambiguous(whole, frac, places):
    text = f"{whole},{frac % 10**places:0{places}d}"
    assert parse_money(text).value == Decimal(text.replace(",", "."))


@given(st.integers(1000, 10**12), st.integers(0, 999))
def test_three_decimals_after_four_or_more_digits_are_never_ambiguous(whole, frac):
    assert parse_money(f"{whole},{frac:03d}").value == Decimal(f"{whole}.{frac:03d}")


def reference_percent(num, den) -> Decimal:
    """100*num/den with Fraction, rounded half-up (non-negative operands only)."""
    exact = Fraction(100) * Fraction(num) / Fraction(den)
    hundredths = math.floor(exact * 100 + Fraction(1, 2))
    return Decimal(hundredths) / 100


operands = st.one_of(st.integers(min_value=0, max_value=10**15), money_values())


@given(operands, operands)
def test_percent_matches_fraction_reference(num, den):
    got = percent(num, den)
    if den == 0:
        assert got is None
        return
    assert got == reference_percent(num, den)
    assert got.as_tuple().exponent == -2


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_percent_is_within_half_a_hundredth(num, den):
    got = Fraction(percent(num, den))
    exact = Fraction(100 * num, den)
    assert abs(got - exact) <= Fraction(1, 200)


@given(st.dates(min_value=datetime.date(1000, 1, 1)))
def test_date_round_trip(d):
    assert parse_date_short(format_date_short(d)) == d
    header = format_date_header(d)
    assert header.startswith(f"ngày {d.day:02d} tháng ")
    assert header.endswith(f" năm {d.year}")


@given(st.text())
def test_parse_date_short_raises_only_value_error(text):
    try:
        parse_date_short(text)
    except ValueError as exc:
        assert "Hãy" in str(exc)


def test_module_does_not_import_qt():
    # The core must run without a display: importing numbers must not pull Qt in.
    code = ("import sys, cchc_desktop.core.numbers; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'PySide6', 'PySide2', 'PyQt5', 'PyQt6', 'shiboken6'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(nb.__file__).parents[2])
    assert out.stdout.strip() == "[]"


@given(st.integers(min_value=-10**18, max_value=10**18))
def test_format_count_is_babels_vietnamese_grouping(n):
    assert nb.format_count(n) == nb.format_count_babel(n)


@given(st.one_of(st.integers(0, 10**16).map(str), st.integers(0, 10**16).map(nb.format_count),
                 st.from_regex(r"\A0*[0-9]{1,17}\Z"), st.from_regex(r"\A[0-9]{1,3}(\.[0-9]{3}){0,6}\Z")))
def test_the_quick_way_for_plain_figures_agrees_with_the_long_way(text):
    quick = nb.parse_count(text)
    assert quick == nb._parse_count_checked(nb.nfc(text), text.strip())

"""Numbers and dates the way a Vietnamese commune clerk types and reads them.

'.' groups thousands and ',' is the decimal mark: 24.694 hồ sơ, 1.005,8 triệu đồng, 99,05%.
Parsing is strict and every refusal says, in Vietnamese, why and how to write it instead: a
silently misread "24,694" (24 or 24694?) would end up in a report the chairman signs.
Values are int or Decimal, never float, so what is typed is exactly what is stored and printed.
Core module: no Qt here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext


from cchc_desktop.core.letters import nfc

__all__ = [
    "FLAG_CODES", "MAX_DIGITS", "Parsed", "nfc",
    "parse_count", "parse_money", "parse_code", "parse_value",
    "format_count", "format_money", "format_value", "percent", "format_percent",
    "PLAIN", "CELL", "PRINTED", "PROSE", "MESSAGE", "CONTEXTS", "KINDS", "BLANK_MARK",
    "format_count_prose", "format_date_header", "format_date_short", "parse_date_short",
]

#: Whole-number digits accepted; beyond this a figure in a commune report is surely a typo.
MAX_DIGITS = 15
MONEY_DECIMALS = 3
FLAG_CODES: dict[int, str] = {1: "Có", 0: "Không"}

_DIGITS = re.compile(r"[0-9]+")  # not \d: that would let '２' and '٣' through
_DOT_GROUPS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
# Word and Excel paste NBSP / narrow NBSP as group separators.
_SPACES = " \u00a0\u202f"
_SPACE_GROUPS = re.compile(r"[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+")
# "24,694": an English thousands separator (a leading 0 would make it a real decimal, 0,500).
_COMMA_GROUPS = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+")
# Of those, the one a money amount could also mean as Vietnamese decimals: one comma, exactly three
# digits after it. "1,5", "1,25", "0,125", "1234,567" and "1.234,567" are not English grouping.
_AMBIGUOUS_COMMA = re.compile(r"[1-9][0-9]{0,2},[0-9]{3}")
_SEPARATED = re.compile(r"[0-9]+(?:[. \u00a0\u202f][0-9]+)+(?:,[0-9]+)?")
_DASHES = "-\u2212\u2013\u2014"  # hyphen, minus sign, en dash, em dash
_NEGATIVE = re.compile(r"[-\u2212\u2013\u2014]\s*[0-9.,]")
_EXPONENT = re.compile(r"([0-9][0-9.,]*)[eE]([+-]?[0-9]+)")
_OPERATORS = frozenset("=+*/×÷^()")
_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")

_COUNT_HOW = "ví dụ 24694 hoặc 24.694"
_MONEY_HOW = "ví dụ 1.005,8 hoặc 6648"


@dataclass(frozen=True)
class Parsed:
    """A cell's text read as a value, or the reason it is not one."""

    text: str  # as typed, NFC'd: shown back to the clerk untouched, even when invalid
    value: int | Decimal | None
    error: str | None

    @property
    def blank(self) -> bool:
        return self.text.strip() == ""

    @property
    def ok(self) -> bool:
        return self.error is None


# --------------------------------------------------------------------------- parsing

def _shown(s: str) -> str:
    # Quote the offending text, but a pasted paragraph must not swamp the message.
    return f'"{s}"' if len(s) <= 40 else f'"{s[:40]}…"'


def _both_ways(n: int) -> str:
    plain, grouped = str(n), format_count(n)
    return plain if plain == grouped else f"{plain} hoặc {grouped}"


def _too_big(s: str) -> str:
    return f"Số {_shown(s)} quá lớn (hơn {MAX_DIGITS} chữ số). Hãy kiểm tra lại số đã gõ."


def _int_digits(s: str) -> str | None:
    """Digits of a whole number written plain or grouped by 3 with one kind of separator."""
    if _DIGITS.fullmatch(s):
        return s
    if _DOT_GROUPS.fullmatch(s):
        return s.replace(".", "")
    if _SPACE_GROUPS.fullmatch(s):
        return re.sub(f"[{_SPACES}]", "", s)
    return None


def _significant(digits: str) -> str:
    # Stripping leading zeros also keeps int() clear of Python's 4300-digit conversion limit.
    return digits.lstrip("0") or "0"


def _common_error(s: str, how: str) -> str | None:
    """Refusals shared by counts and money, most specific first."""
    q = _shown(s)
    if all(ch in _DASHES for ch in s):
        # In paper tables "-" means "nothing"; here blank and 0 say it unambiguously.
        return (f"{q} không phải số. Hãy để trống ô này nếu chưa có số liệu, "
                "hoặc nhập 0 nếu số liệu bằng không.")
    if s.startswith("="):
        return (f"{q} không hợp lệ: ô này không nhận công thức. "
                "Hãy tính ra kết quả rồi gõ con số đó.")
    if _NEGATIVE.match(s):
        return (f"{q} không hợp lệ: số liệu không được âm. "
                "Hãy nhập số từ 0 trở lên, không gõ dấu trừ.")
    m = _EXPONENT.fullmatch(s)
    if m:
        example = "đầy đủ các chữ số"
        mantissa, exp = m.groups()
        exp = exp.removeprefix("+")
        if (_DIGITS.fullmatch(mantissa) and len(_significant(mantissa)) <= MAX_DIGITS
                and _DIGITS.fullmatch(exp) and len(exp) <= 2):
            n = int(_significant(mantissa)) * 10 ** int(exp)
            if len(str(n)) <= MAX_DIGITS:
                example += f", ví dụ {_both_ways(n)}"
        return (f"{q} không hợp lệ: không nhận số viết dạng lũy thừa (có chữ e). "
                f"Hãy viết {example}.")
    if any(ch in _OPERATORS for ch in s) or any(ch in _DASHES for ch in s[1:]):
        return (f"{q} không hợp lệ: không nhận phép tính hay dấu cộng, trừ. "
                "Hãy tính ra kết quả rồi gõ con số đó.")
    if any(ch.isalpha() or (ch.isnumeric() and not ch.isascii()) for ch in s):
        return (f"{q} không phải số: chỉ gõ các chữ số 0–9 thông thường, "
                f"không gõ chữ, đơn vị hay ký hiệu. Hãy gõ số bằng chữ số, {how}.")
    return None


def _grouping_error(s: str, how: str, whole: bool) -> str:
    q = _shown(s)
    if "." in s and any(ch in _SPACES for ch in s):
        return (f"{q} không hợp lệ: dùng lẫn dấu chấm và dấu cách (có thể là hai số). "
                f"Hãy gõ một số, {how}.")
    # For a count, "1.5" may be a decimal typed the English way: say both things.
    why = "số đếm được là số nguyên; " if whole else ""
    return (f"{q} không hợp lệ: {why}dấu chấm (hoặc dấu cách) chỉ dùng để ngăn cách hàng nghìn, "
            f"mỗi nhóm đủ 3 chữ số. Hãy viết liền các chữ số hoặc nhóm đủ 3 chữ số, {how}.")


def _bad(raw: str, message: str) -> Parsed:
    return Parsed(raw, None, message)


def parse_count(text: str) -> Parsed:
    """A whole number >= 0 ("24.694", "24694", "24 694") -> int."""
    raw = nfc(text)
    s = raw.strip()
    if not s:
        return Parsed(raw, None, None)
    if s.isascii() and (s.isdigit() or _DOT_GROUPS.fullmatch(s)):
        # the figure as clerks type it ("1097", "1.097"): none of the refusals below can apply,
        # and this is every value of every report a roll-up reads (tests hold it to the long way)
        digits = _significant(s.replace(".", ""))
        return _bad(raw, _too_big(s)) if len(digits) > MAX_DIGITS else Parsed(raw, int(digits), None)
    return _parse_count_checked(raw, s)


def _parse_count_checked(raw: str, s: str) -> Parsed:
    error = _common_error(s, _COUNT_HOW)
    if error:
        return _bad(raw, error)
    q = _shown(s)
    if "," in s:
        if _COMMA_GROUPS.fullmatch(s):
            digits = s.replace(",", "")
            if len(digits) > MAX_DIGITS:
                return _bad(raw, _too_big(s))
            return _bad(raw, f"{q} không phải số nguyên: dấu phẩy là dấu thập phân. "
                             f"Hãy viết {_both_ways(int(digits))}.")
        parts = _money_parts(s)
        if parts is None:
            return _bad(raw, f"{q} không phải số nguyên hợp lệ. Hãy gõ số nguyên, {_COUNT_HOW}.")
        digits, frac = parts
        how = f"Hãy nhập số nguyên, {_COUNT_HOW}."
        if frac.strip("0") == "" and len(_significant(digits)) <= MAX_DIGITS:
            how = f"Hãy viết {_both_ways(int(_significant(digits)))}."  # "5,0" is just 5
        return _bad(raw, f"{q} không phải số nguyên: số đếm được không có phần thập phân. {how}")
    digits = _int_digits(s)
    if digits is None:
        if _SEPARATED.fullmatch(s):
            return _bad(raw, _grouping_error(s, _COUNT_HOW, whole=True))
        return _bad(raw, f"{q} không phải số nguyên hợp lệ. Hãy gõ số nguyên, {_COUNT_HOW}.")
    digits = _significant(digits)
    if len(digits) > MAX_DIGITS:
        return _bad(raw, _too_big(s))
    return Parsed(raw, int(digits), None)


def _money_parts(s: str) -> tuple[str, str] | None:
    """(integer digits, decimal digits) of "1.005,8"-style text, or None if malformed."""
    int_part, comma, frac = s.partition(",")
    if comma and not _DIGITS.fullmatch(frac):
        return None
    digits = _int_digits(int_part)
    return None if digits is None else (digits, frac)


def _money_fits(s: str, max_decimals: int) -> bool:
    parts = _money_parts(s)
    return (parts is not None and len(parts[1]) <= max_decimals
            and len(_significant(parts[0])) <= MAX_DIGITS)


def _swap_marks(s: str) -> str:
    return s.translate(str.maketrans(".,", ",."))


def parse_money(text: str, max_decimals: int = MONEY_DECIMALS) -> Parsed:
    """A decimal >= 0 ("1.005,8", "1005,8", "5.158.000") -> Decimal."""
    raw = nfc(text)
    s = raw.strip()
    if not s:
        return Parsed(raw, None, None)
    error = _common_error(s, _MONEY_HOW)
    if error:
        return _bad(raw, error)
    q = _shown(s)
    if _AMBIGUOUS_COMMA.fullmatch(s):
        # Pasted from an English-format spreadsheet "1,234" is 1234; typed here it is 1,234.
        # Guessing either way puts a figure off by a factor of 1000 in a signed report.
        whole = int(s.replace(",", ""))
        return _bad(raw, f"{q} không rõ nghĩa: ở đây dấu phẩy là dấu thập phân, nhưng số dán từ bảng tính kiểu Anh "
                         f"dùng dấu phẩy để ngăn cách hàng nghìn. Hãy viết {_both_ways(whole)} nếu là số nguyên "
                         f"{format_count(whole)}; nếu là số thập phân, viết {s}0 (số có một hoặc hai chữ số thập "
                         f"phân như 1,5 hay 1,25 thì viết như thường).")
    parts = _money_parts(s)
    if parts is None:
        # English habits ("1.5", "1,000.5", "1.005.8"): say which mark means what, and
        # suggest the Vietnamese spelling when swapping the marks gives a valid number.
        last_dot = s[::-1].replace(".", ",", 1)[::-1]
        for candidate in (last_dot, _swap_marks(s)):
            if candidate != s and _money_fits(candidate, max_decimals):
                return _bad(raw, f"{q} không hợp lệ: dấu chấm ngăn cách hàng nghìn, "
                                 f"dấu phẩy là dấu thập phân. Hãy viết {candidate}.")
        if s.count(",") > 1:
            return _bad(raw, f"{q} không hợp lệ: chỉ được có một dấu phẩy (dấu thập phân). "
                             f"Hãy viết một số, {_MONEY_HOW}.")
        if _SEPARATED.fullmatch(s):
            return _bad(raw, _grouping_error(s, _MONEY_HOW, whole=False))
        return _bad(raw, f"{q} không phải số hợp lệ. Hãy gõ số bằng chữ số, dùng dấu phẩy "
                         f"cho phần thập phân, {_MONEY_HOW}.")
    digits, frac = parts
    digits = _significant(digits)
    if len(digits) > MAX_DIGITS:
        return _bad(raw, _too_big(s))
    value = Decimal(f"{digits}.{frac}" if frac else digits)
    # trailing zeros are not precision: "24,6940" is how the ambiguous "24,694" is written
    if len(frac.rstrip("0")) > max_decimals or len(frac) > MAX_DIGITS:
        with localcontext() as ctx:
            ctx.prec = MAX_DIGITS + max_decimals + 5
            rounded = value.quantize(Decimal(1).scaleb(-max_decimals), ROUND_HALF_UP)
        limit = ("phải là số nguyên" if max_decimals == 0
                 else f"chỉ được có tối đa {max_decimals} chữ số thập phân")
        return _bad(raw, f"{q} không hợp lệ: {limit}. "
                         f"Hãy làm tròn, ví dụ {format_money(rounded)}.")
    return Parsed(raw, value, None)


def _codes_list(codes: dict[int, str]) -> str:
    items = [f"{code} ({label})" for code, label in codes.items()]
    if len(items) == 1:
        return f"Chỉ nhập mã: {items[0]}."
    if len(items) == 2:
        return f"Chỉ nhập mã: {items[0]} hoặc {items[1]}."
    return f"Chỉ nhập một trong các mã: {', '.join(items)}."


def parse_code(text: str, codes: dict[int, str]) -> Parsed:
    """One of the listed codes, typed as its digits ("1", not "Có") -> int."""
    if not codes:
        raise ValueError("parse_code needs at least one code")
    raw = nfc(text)
    s = raw.strip()
    if not s:
        return Parsed(raw, None, None)
    if _DIGITS.fullmatch(s) and len(s) <= MAX_DIGITS and int(s) in codes:
        return Parsed(raw, int(s), None)
    hint = ""
    for code, label in codes.items():
        if nfc(label).casefold() == s.casefold():
            hint = f' Hãy gõ mã {code} thay cho chữ "{nfc(label)}".'
    return _bad(raw, f"{_shown(s)} không phải mã hợp lệ.{hint} {_codes_list(codes)}")


def parse_value(kind: str, text: str, codes: dict[int, str] | None = None) -> Parsed:
    if kind == "count":
        return parse_count(text)
    if kind == "money":
        return parse_money(text)
    if kind == "flag":
        return parse_code(text, codes or FLAG_CODES)
    if kind == "choice":
        if not codes:
            raise ValueError("a 'choice' row needs its codes")
        return parse_code(text, codes)
    if kind in ("percent", "heading"):
        raise ValueError(f"'{kind}' rows are never typed")
    raise ValueError(f"unknown kind {kind!r}")


# --------------------------------------------------------------------------- checks

def _check_number(x: object) -> None:
    # bool is an int subclass and float is inexact: both are bugs upstream, not numbers here.
    if isinstance(x, bool) or not isinstance(x, (int, Decimal)):
        raise TypeError(f"expected int or Decimal, got {type(x).__name__}")
    if isinstance(x, Decimal) and not x.is_finite():
        raise ValueError(f"not a finite number: {x}")


# --------------------------------------------------------------------------- formatting

def format_count(n: int) -> str:
    """24694 -> "24.694"."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"a count is an int, got {type(n).__name__}")
    # Babel's "#,##0" for locale vi is a dot every three digits; written directly it is ~50×
    # cheaper (every rule message formats its figures). tests/test_numbers.py holds it to Babel.
    return f"{n:,}".replace(",", ".")


def format_count_babel(n: int) -> str:
    """The definition format_count follows: Babel's Vietnamese grouping."""
    from babel.numbers import format_decimal

    return format_decimal(n, format="#,##0", locale="vi")


def format_money(d: Decimal | int) -> str:
    """Decimal("1005.80") -> "1.005,8": significant decimals only, at most 3."""
    _check_number(d)
    if isinstance(d, Decimal) and d.as_tuple().exponent < -MONEY_DECIMALS:
        with localcontext() as ctx:
            ctx.prec = max(28, d.adjusted() + MONEY_DECIMALS + 2)
            d = d.quantize(Decimal(1).scaleb(-MONEY_DECIMALS), ROUND_HALF_UP)
    from babel.numbers import format_decimal  # not at import: ~6 ms and 1 MiB of every start

    return format_decimal(d, format="#,##0.###", locale="vi")


def percent(num: int | Decimal | None, den: int | Decimal | None) -> Decimal | None:
    """100 × num ÷ den, rounded half-up to 2 places; None if an operand is blank or den is 0."""
    if num is None or den is None:
        return None
    if type(num) is not int or type(den) is not int:  # two ints (most percentages) need no check
        _check_number(num)
        _check_number(den)
    if den == 0:
        return None
    # Exact rational arithmetic on the operands' integer ratios: Decimal division would round
    # at 28 digits before our half-up rounding, and such double rounding can move the last
    # printed digit. (Plain integers rather than fractions.Fraction: its import is ~2 ms of
    # every start, which computes the sample's percentages.)
    p, q = num.as_integer_ratio()
    r, s = den.as_integer_ratio()
    top, bottom = 10000 * p * s, q * r  # hundredths = top / bottom
    if bottom < 0:
        top, bottom = -top, -bottom
    whole, rest = divmod(abs(top), bottom)
    if 2 * rest >= bottom:
        whole += 1  # half-up: ties go away from zero, as the Decimal ROUND_HALF_UP does
    sign = "-" if top < 0 and whole else ""
    return Decimal(f"{sign}{whole}E-2")


def format_percent(d: Decimal | None) -> str:
    """Decimal("99.05") -> "99,05"; always 2 decimals, no '%' sign (the unit column has it)."""
    if d is None:
        return ""
    _check_number(d)
    with localcontext() as ctx:
        ctx.prec = max(28, Decimal(d).adjusted() + 4)
        d = Decimal(d).quantize(Decimal("0.01"), ROUND_HALF_UP)
    from babel.numbers import format_decimal

    return format_decimal(d, format="#,##0.00", locale="vi")


#: Where a value is written. The same figure reads differently in each, on purpose:
#: PLAIN      the bare figure (JSON of the command line, a derived value before its unit): "99,05".
#: CELL       a form's cell on screen when not being edited: "99,05%" (percent rows have no unit
#:            column on screen), and text that is not a value shown exactly as typed, blank too.
#: PRINTED    the appendix table of the Word/Excel report: as CELL, but a blank row prints blank
#:            whatever spaces were typed; text that is not a value still prints as typed, so the
#:            signed paper never shows a figure the clerk did not write.
#: PROSE      a {bm…} placeholder in the clerk's sentences: "đạt 100%" not "100,00%" (the sign
#:            printed with the figure), counts below ten padded as in administrative prose ("06 văn bản"),
#:            and a row without a value as BLANK_MARK, so the gap shows on paper.
#: MESSAGE    a side of a rule in an issue message: a sum of rows, no single kind (kind None).
PLAIN, CELL, PRINTED, PROSE, MESSAGE = "plain", "cell", "printed", "prose", "message"
CONTEXTS = (PLAIN, CELL, PRINTED, PROSE, MESSAGE)
KINDS = ("count", "money", "flag", "choice", "percent", "heading")
BLANK_MARK = "…"


def format_value(kind: str | None, value: int | Decimal | None, context: str = PLAIN, typed: str = "") -> str:
    """`value` of a row of `kind`, written for `context` (see CONTEXTS above).

    `typed` is the row's text as the clerk typed it; it matters only when `value` is None (blank,
    or text that is not a value), which CELL and PRINTED show as typed. kind None: a figure
    summed over several rows (a side of a rule), written as a count if whole, else as money.
    """
    if context not in CONTEXTS:
        raise ValueError(f"unknown context {context!r}")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if value is None:
        if context == PROSE:
            return BLANK_MARK
        if context == CELL:
            return typed
        if context == PRINTED and typed.strip():
            return typed
        return ""
    if kind is None:
        _check_number(value)
        if isinstance(value, Decimal) and value != value.to_integral_value():
            return format_money(value)
        return format_count(int(value))
    if kind == "heading":
        raise ValueError("a heading row has no value")
    if kind == "count":
        return format_count_prose(value) if context == PROSE else format_count(value)
    if kind == "money":
        return format_money(value)
    if kind == "percent":
        text = format_percent(value)
        if context == PROSE:
            return f"{text.removesuffix(',00')}%"
        return f"{text}%" if context in (CELL, PRINTED) else text
    _check_number(value)
    return str(value)  # a flag's or a choice's code: the published form prints the code


def format_count_prose(n: int) -> str:
    """Counts in running text: "06 văn bản", "02 nhiệm vụ"; zero stays "0"."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"a count is an int, got {type(n).__name__}")
    return f"0{n}" if 0 < n < 10 else format_count(n)


# --------------------------------------------------------------------------- dates

def format_date_header(d: datetime.date) -> str:
    """"ngày 05 tháng 01 năm 2026": day 2 digits, month padded only for 1 and 2 (custom)."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def format_date_short(d: datetime.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def parse_date_short(text: str) -> datetime.date:
    """"15/12/2025" or "5/1/2026" -> date; ValueError with a Vietnamese message otherwise."""
    s = nfc(text).strip()
    m = _DATE.fullmatch(s)
    if not m:
        raise ValueError(f"{_shown(s)} không phải ngày hợp lệ. Hãy viết theo dạng ngày/tháng/năm, "
                         "ví dụ 15/12/2025 hoặc 5/1/2026.")
    day, month, year = (int(g) for g in m.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"Ngày {_shown(s)} không có trên lịch. Hãy kiểm tra lại ngày và tháng, "
                         "ví dụ 15/12/2025.") from None

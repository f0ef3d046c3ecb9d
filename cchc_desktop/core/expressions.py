"""The small arithmetic used by formulas and rules in the catalog.

A side is a sum of indicator ids and whole numbers ("bm3.3.1 - bm3.3.1.1", "bm1.5.2 + 2"),
with parentheses. It compiles to a linear combination so that evaluating a rule is a few
multiplications, not a parse — the validator runs on every keystroke.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from typing import Mapping

from cchc_desktop.errors import CchcError
from cchc_desktop.core.ids import INDICATOR_ID_PATTERN
from cchc_desktop.core.limits import MAX_FORMULA_NESTING

_TOKEN = re.compile(rf"\s*(?:({INDICATOR_ID_PATTERN})|([0-9]+)|(<=|>=|!=|[=<>≤≥≠+\-−/()]))")
_COMPARE = {"=": operator.eq, "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt,
            "!=": operator.ne}
_OPS = {"=": "=", "<=": "<=", ">=": ">=", "<": "<", ">": ">", "!=": "!=", "≤": "<=", "≥": ">=", "≠": "!="}


class ExpressionError(CchcError, ValueError):
    """A catalog formula that does not parse; the message says where."""


@dataclass(frozen=True)
class Linear:
    """sum(coef × value[id]) + const."""

    terms: tuple[tuple[str, int], ...]
    const: int = 0
    # the side when it is one row as it stands, as most sides of most rules are: read, not summed
    # (a national roll-up evaluates a hundred thousand sides); None for a cached catalog made before
    row: str | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        if len(self.terms) == 1 and self.terms[0][1] == 1 and self.const == 0:
            object.__setattr__(self, "row", self.terms[0][0])

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i for i, _ in self.terms)

    def evaluate(self, values: Mapping[str, object], blank_as_zero: bool = False):
        """The value, or None when an operand is blank (unless blanks count as zero)."""
        if self.row is not None:
            v = values.get(self.row)
            return 0 if v is None and blank_as_zero else v
        total = self.const
        for ident, coef in self.terms:
            v = values.get(ident)
            if v is None:
                if not blank_as_zero:
                    return None
                continue
            total = total + coef * v
        return total


@dataclass(frozen=True)
class Comparison:
    """`left op right` between sums of rows, as a rule checks it."""

    left: Linear
    op: str
    right: Linear

    @property
    def ids(self) -> tuple[str, ...]:
        return self.left.ids + tuple(i for i in self.right.ids if i not in self.left.ids)

    def holds(self, lv, rv) -> bool:
        return _COMPARE[self.op](lv, rv)


@dataclass(frozen=True)
class Ratio:
    """A percentage row's formula: 100 × numerator ÷ denominator."""

    numerator: Linear
    denominator: Linear

    @property
    def ids(self) -> tuple[str, ...]:
        return self.numerator.ids + tuple(i for i in self.denominator.ids if i not in self.numerator.ids)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:60] + "…"


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExpressionError(f"không hiểu “{_short(text[pos:].strip())}” trong “{_short(text)}”")
        ident, num, sym = m.groups()
        out.append(("id", ident) if ident else ("num", num) if num else ("sym", "-" if sym == "−" else sym))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0  # parentheses open around the current term

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def sum(self) -> dict:
        acc: dict = {}
        sign = 1
        if self.peek() == ("sym", "-"):
            self.take()
            sign = -1
        self._add(acc, self.term(), sign)
        while self.peek() in (("sym", "+"), ("sym", "-")):
            sign = 1 if self.take()[1] == "+" else -1
            self._add(acc, self.term(), sign)
        return acc

    @staticmethod
    def _add(acc: dict, part: dict, sign: int) -> None:
        for k, v in part.items():
            acc[k] = acc.get(k, 0) + sign * v

    def term(self) -> dict:
        kind, val = self.take()
        if kind == "id":
            return {val: 1}
        if kind == "num":
            return {None: int(val)}
        if (kind, val) == ("sym", "("):
            # the parser recurses per "(": a hand-edited formula must not exhaust the stack
            self.depth += 1
            if self.depth > MAX_FORMULA_NESTING:
                raise ExpressionError(f"có quá nhiều dấu ngoặc lồng nhau (tối đa {MAX_FORMULA_NESTING} tầng) "
                                      f"trong “{_short(self.text)}”")
            inner = self.sum()
            self.depth -= 1
            if self.take() != ("sym", ")"):
                raise ExpressionError(f"thiếu dấu “)” trong “{_short(self.text)}”")
            return inner
        raise ExpressionError(f"cần một mã chỉ tiêu hoặc một số trong “{_short(self.text)}”")

    def end(self) -> None:
        if self.i != len(self.toks):
            raise ExpressionError(f"thừa “{self.toks[self.i][1]}” trong “{_short(self.text)}”")


def _linear(acc: dict) -> Linear:
    const = acc.pop(None, 0)
    return Linear(tuple((k, v) for k, v in acc.items() if v != 0), const)


def parse_sum(text: str) -> Linear:
    p = _Parser(text)
    out = _linear(p.sum())
    p.end()
    return out


def parse_comparison(text: str) -> Comparison:
    p = _Parser(text)
    left = _linear(p.sum())
    kind, op = p.take()
    if kind != "sym" or op not in _OPS:
        raise ExpressionError(f"cần một phép so sánh (=, <=, >=, <, >) trong “{_short(text)}”")
    right = _linear(p.sum())
    p.end()
    return Comparison(left, _OPS[op], right)


def parse_ratio(text: str) -> Ratio:
    p = _Parser(text)
    num = _linear(p.sum())
    if p.take() != ("sym", "/"):
        raise ExpressionError(f"công thức tỷ lệ phải có dạng “tử số / mẫu số”: “{_short(text)}”")
    den = _linear(p.sum())
    p.end()
    return Ratio(num, den)



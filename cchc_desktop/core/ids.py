"""The one grammar of ids: indicator ids (bm3.3.2.1, bm10.1), section ids (opening, II.2, IX.2,
IV.1.2) and the {bm…} placeholders in the clerk's prose.

The catalog loader, the formula tokenizer, the placeholder finder and the exchange file all
build on these patterns. When they were four separate regular expressions they disagreed: a
province's Biểu mẫu 10 loaded, was typed and printed, and then could not be exchanged. Core
module: no Qt.
"""

from __future__ import annotations

import re

__all__ = [
    "INDICATOR_ID_PATTERN", "INDICATOR_ID", "INDICATOR_PARTS", "PLACEHOLDER", "SECTION_ID_PATTERN", "SECTION_ID",
    "INDICATOR_ID_SHAPE", "SECTION_ID_SHAPE", "is_indicator_id", "is_section_id", "split_indicator_id",
]

_FORM = r"[1-9][0-9]*"  # Biểu mẫu 1, 2, … 10, …: never 0, never a leading zero
_STT = r"(?:\.[0-9]+)+"  # the row's STT after the form number: .3.2.1
# A Roman numeral up to CCCXCIX, spelt the standard way (IV, not IIII): the outline's headings.
_ROMAN = r"(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"

#: Without groups, to be embedded in larger patterns.
INDICATOR_ID_PATTERN = rf"bm{_FORM}{_STT}"
SECTION_ID_PATTERN = rf"(?:opening|closing|{_ROMAN}(?:\.[0-9]+)*)"

# Use with fullmatch: "$" would let "bm3.1\n" through.
INDICATOR_ID = re.compile(INDICATOR_ID_PATTERN)
SECTION_ID = re.compile(SECTION_ID_PATTERN)
#: group 1 the form number, group 2 the row's STT with its leading dot (".3.2.1" of bm3.3.2.1).
INDICATOR_PARTS = re.compile(rf"bm({_FORM})({_STT})")
#: "{bm3.3.1}" in prose; group 1 the id.
PLACEHOLDER = re.compile(rf"\{{({INDICATOR_ID_PATTERN})\}}")

#: How to describe the shapes to a person, in messages.
INDICATOR_ID_SHAPE = ("“bm”, số biểu mẫu (từ 1, không có số 0 ở đầu), rồi STT gồm các số cách nhau bằng dấu chấm, "
                      "ví dụ bm3.3.2.1 hoặc bm10.1")
SECTION_ID_SHAPE = ("opening, closing, hoặc số La Mã viết hoa (I, II, … IX, X) có thể kèm các số cách nhau bằng dấu "
                    "chấm, ví dụ II.2, IX.2, IV.1.2")


def is_indicator_id(text: object) -> bool:
    return isinstance(text, str) and INDICATOR_ID.fullmatch(text) is not None


def is_section_id(text: object) -> bool:
    return isinstance(text, str) and SECTION_ID.fullmatch(text) is not None


def split_indicator_id(text: str) -> tuple[int, str] | None:
    """"bm10.1.2" -> (10, "1.2"): the form number and the row's STT as printed — the id without
    "bm<form>.", so each Biểu mẫu numbers its rows from 1 as the real forms do (bm3.3.2.1 is
    "3.2.1" in Biểu mẫu 3, bm4.3 is "3" in Biểu mẫu 4). The one definition of the printed STT:
    `catalog.Indicator.stt` is made from it, and every output reads Indicator.stt. None if not an id."""
    m = INDICATOR_PARTS.fullmatch(text)
    return (int(m.group(1)), m.group(2)[1:]) if m else None

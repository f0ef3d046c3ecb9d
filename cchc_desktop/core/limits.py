"""How much text a report may hold, and which characters: one set of limits for where the clerk
types (`session`), the exchange file (`exchange`, reading and writing) and the catalog loader.

They used to live in the exchange file alone, so the window saved what `export-json` then
refused: a pasted control character, a 100.001-character section, a 51st Nơi nhận line. Now
whatever the window accepts can be exchanged, because both check the same definitions here.

Characters: tab and newline are text; a carriage return is read as a newline (Windows "\r\n");
every other C0/C1 control character, an unpaired surrogate and U+FFFE/U+FFFF are refused with a
message that says where the character is — they cannot be stored as UTF-8 (surrogates), are
not allowed in the XML of .docx/.xlsx (controls), and are invisible, so the clerk could not
find them unaided. `printable` strips them at write time for data stored before these limits.
Core module: no Qt.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Sequence

from cchc_desktop.errors import CchcError
from cchc_desktop.core.letters import nfc
from cchc_desktop.core.numbers import format_count

__all__ = [
    "TextKind", "VALUE", "NOTE", "NARRATIVE", "LINE", "MAX_LIST_LINES", "MAX_ENTRIES", "MAX_FORMULA_NESTING",
    "REFUSED_CHAR", "TextError", "normalise", "plain", "check_text", "check_lines", "printable",
]


@dataclass(frozen=True)
class TextKind:
    """A kind of field and the most characters (after NFC) it holds."""

    name: str
    max_chars: int


# A figure is a few characters; the cap only stops a pasted page from landing in one cell.
VALUE = TextKind("value", 1_000)
# A note prints in one cell of the appendix: Excel holds 32.767 characters a cell, and a row
# taller than a page cannot print at all.
NOTE = TextKind("note", 5_000)
# A section of the report's prose: some tens of pages.
NARRATIVE = TextKind("narrative", 100_000)
# One line of the header or the profile (Số, Kính gửi, a name, a date typed as text …); also
# the catalog's labels, titles and rule messages.
LINE = TextKind("line", 1_000)

MAX_LIST_LINES = 50  # Kính gửi, Nơi nhận: lines in one list
MAX_ENTRIES = 2000  # rows (values, notes) or sections in one report, so also in one catalog
MAX_FORMULA_NESTING = 20  # parentheses inside parentheses in a catalog formula

# \r is not here: normalise() reads it as a newline first.
REFUSED_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NEWLINE = re.compile("\r\n?")
_PAGE_OR_LINE_BREAK = re.compile("[\x0b\x0c]")  # Word's manual line and page breaks, pasted as controls


class TextError(CchcError, ValueError):
    """Text refused by a limit; ``message`` is Vietnamese and names the field (the caller's `where`)."""


def normalise(text: str) -> str:
    """NFC (Unikey and some IMEs send letter + combining mark) and "\\n" for every line break."""
    # text that is both already (nearly all of it) is returned as it is: every text of every
    # file a roll-up reads passes here
    if "\r" in text:
        text = _NEWLINE.sub("\n", text)
    return text if unicodedata.is_normalized("NFC", text) else nfc(text)


def _char_problem(text: str, pos: int, where: str) -> str:
    code = ord(text[pos])
    if 0xD800 <= code <= 0xDFFF:
        what = f"một ký tự hỏng (U+{code:04X}, nửa của một ký tự bị cắt đôi khi sao chép)"
    elif code in (0xFFFE, 0xFFFF):
        what = f"một ký tự không phải chữ (U+{code:04X})"
    else:
        what = f"một ký tự điều khiển không in được (U+{code:04X})"
    before = " ".join(REFUSED_CHAR.sub("", text[max(0, pos - 15):pos]).split())
    context = f", ngay sau “{before}”" if before else ""
    return (f"{where} có {what} ở vị trí thứ {format_count(pos + 1)}{context}, thường do dán từ chương trình "
            f"khác. Hãy xóa ký tự đó (nó không nhìn thấy được: xóa rồi gõ lại chữ ở vị trí này).")


def plain(text: str, kind: TextKind) -> bool:
    """Whether `text` is already what check_text returns, cheaply: no control character, no \r,
    nothing to compose, within the length — every figure a file holds."""
    return text.isascii() and text.isprintable() and len(text) <= kind.max_chars


def check_text(text: str, kind: TextKind, where: str | Callable[[], str], *, searched: bool = False) -> str:
    """`text` normalised if it fits `kind`, else TextError. `where` names the field as the reader
    knows it and starts the message: "Ghi chú ở Biểu mẫu 1, dòng 1.4", "Trường “notes › bm1.4”".
    `where` may be a callable giving that text: built only when there is something to say.
    `searched`: the caller has proved the text holds no REFUSED_CHAR (a file's bytes, scanned once)."""
    if plain(text, kind):
        return text
    bad = None if searched else REFUSED_CHAR.search(text)
    if bad:
        raise TextError(_char_problem(text, bad.start(), _named(where)))
    out = normalise(text)
    if len(out) > kind.max_chars:
        raise TextError(f"{_named(where)} dài {format_count(len(out))} ký tự, vượt giới hạn "
                        f"{format_count(kind.max_chars)} ký tự. Hãy rút gọn nội dung này.")
    return out


def _named(where: str | Callable[[], str]) -> str:
    return where() if callable(where) else where


def check_lines(items: Sequence[str], where: str, item: Callable[[int], str] | None = None, *,
                searched: bool = False) -> list[str]:
    """A list of lines (Kính gửi, Nơi nhận): at most MAX_LIST_LINES, each a LINE. `item(n)` names
    the n-th line (from 1) in messages; by default "<where>, dòng n". `searched`: as for check_text."""
    if len(items) > MAX_LIST_LINES:
        raise TextError(f"{where} có {len(items)} dòng, vượt giới hạn {MAX_LIST_LINES} dòng. Hãy bớt số dòng "
                        f"(có thể gộp vài nơi vào một dòng).")
    name = item or (lambda n: f"{where}, dòng {n}")
    return [check_text(line, LINE, lambda n=n: name(n), searched=searched) for n, line in enumerate(items, 1)]


def printable(text: str) -> str:
    """What can be written into a .docx or .xlsx whatever is stored: line breaks as "\\n", the
    refused characters dropped. For data saved before these limits, or by another tool."""
    return REFUSED_CHAR.sub("", _PAGE_OR_LINE_BREAK.sub("\n", _NEWLINE.sub("\n", text)))

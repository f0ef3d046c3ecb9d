"""How wide a line of Times New Roman is, without the font: the Word letterhead's short rules
follow the length of the name above them, and the Excel appendix fits its row heights to the text.

The advance widths (thousandths of an em) are those of Liberation Serif, which is metric-compatible
with Times New Roman (the same widths, glyph for glyph), read once from its font file; they are
built in so that nothing depends on a font being installed where the file is written. Vietnamese
letters take the width of their letter without the tone mark (ấ as â, ự as ư: true of the font), so
the table holds ASCII, the letters with a breve, circumflex or horn, đ and a few punctuation marks.
"""

from __future__ import annotations

import unicodedata

_CHARS = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~ĐđƠơƯưÂâĂăÊêÔô–—…“”‘’·×'
_REGULAR = '250 333 408 500 500 833 778 180 333 333 500 564 250 333 250 278 500 500 500 500 500 500 500 500 500 500 278 278 564 564 564 444 921 722 667 667 722 611 556 722 722 333 389 722 611 889 722 722 556 722 667 556 611 722 722 944 722 722 611 333 278 333 469 500 333 444 500 444 500 444 333 500 500 278 278 500 278 778 500 500 500 500 333 389 278 500 500 722 500 500 444 480 200 480 541 722 500 722 529 776 542 722 444 722 444 611 444 722 500 500 1000 1000 444 444 333 333 333 564'
_BOLD = '250 333 555 500 500 1000 833 278 333 333 500 570 250 333 250 278 500 500 500 500 500 500 500 500 500 500 333 333 570 570 570 500 930 722 667 722 722 667 611 778 778 389 500 778 667 944 722 778 611 778 722 556 667 722 722 1000 722 722 667 333 278 333 581 500 333 500 556 444 556 444 333 500 556 278 333 556 278 833 556 500 556 556 444 389 333 556 500 722 500 500 444 394 220 394 520 722 556 778 554 796 600 722 500 722 500 667 444 778 500 500 1000 1000 500 500 333 333 333 570'
WIDTHS = {
    False: dict(zip(_CHARS, map(int, _REGULAR.split()))),
    True: dict(zip(_CHARS, map(int, _BOLD.split()))),
}
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
UNKNOWN = 556  # a letter of another script: about the widest lower-case letters


def char_width(ch: str, bold: bool = False) -> int:
    """Advance width of one character in thousandths of an em."""
    table = WIDTHS[bool(bold)]
    width = table.get(ch)
    if width is None:
        plain = unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", ch) if c not in TONE_MARKS))
        width = table.get(plain, UNKNOWN if not unicodedata.combining(ch) else 0)
    return width


def text_width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of `text` on one line at `size_pt` points (no kerning, as Word and LibreOffice set body text)."""
    return sum(char_width(ch, bold) for ch in text) * size_pt / 1000

"""Vietnamese letters, two ways every part of the program needs them.

* ``nfc``: one spelling per word. Unikey and some IMEs send a base letter plus combining marks;
  the same word typed elsewhere arrives composed, and the two would compare unequal.
* ``without_marks``: the letters without their diacritics ("Đã giải quyết" -> "Da giai quyet"),
  for file names that must survive any Windows code page or USB stick, and for a row search
  that finds "giai quyet" when the clerk did not type the marks.
"""

from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def without_marks(text: str) -> str:
    # đ/Đ is a letter of its own, not d with a mark: NFD would leave it as it is
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))

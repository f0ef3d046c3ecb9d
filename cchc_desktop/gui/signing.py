"""Who signs: "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" (the Chairman on behalf of the committee) or
"KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" (a Vice-Chairman in the Chairman's stead), Decree 30/2020."""

AUTHORITIES = {
    "TM.": ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    "KT.": ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
}
AUTHORITY_LABELS = {"TM.": "TM. – Chủ tịch ký thay mặt UBND", "KT.": "KT. – Phó Chủ tịch ký thay Chủ tịch"}


def defaults_after_switch(old_auth: str, new_auth: str, line: str, title: str) -> tuple[str, str]:
    """New authority line and title: the new defaults, unless the clerk wrote their own."""
    old_line, old_title = AUTHORITIES.get(old_auth, ("", ""))
    new_line, new_title = AUTHORITIES.get(new_auth, ("", ""))
    line = new_line if line.strip() in ("", old_line) else line
    title = new_title if title.strip() in ("", old_title) else title
    return line, title


def lines(text: str) -> list[str]:
    """One recipient per line; blank lines and stray "- " bullets dropped."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(("- ", "+ ")):
            line = line[2:].strip()
        if line:
            out.append(line.rstrip(";."))
    return out

"""Thông tin đơn vị as typed → the profile stored (vocabulary.UNIT_FIELDS), and back.

The clerk types the unit's name, province, signer…; the rest is derived here, once: the
agency's name ("Ủy ban nhân dân xã Bình Phước"), the place written on the date line, the
authority line of the chosen signing authority, a Kính gửi for a unit that typed none. The
dialog only reads its boxes into a `ProfileForm` and shows a `ProfileForm` back.

The profile is the one source of the unit's identity for the data file's own reports: its
name (`display_name`) is what titles, lists and file names show, never a copy taken when a
report was made. `same_unit` says whether two units (a profile, an exchange file's "unit") are
one: by their official codes when both carry one, else by their full names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from cchc_desktop.core.header import lines
from cchc_desktop.core.letters import nfc, without_marks
from cchc_desktop.core.limits import printable
from cchc_desktop.core.vocabulary import (DEFAULT_CC, DEFAULT_DOC_CODE, SIGNING_AUTHORITIES, UNIT_CODE_FIELDS, UNIT_KINDS,
                                          agency_name, unit_title)

# the profile fields typed on one line each; the others are chosen (kind, signing authority),
# one item a line (recipients, cc) or derived in profile_from_form
TYPED_FIELDS = ("name", "parent_agency", "province", "place_name", "signer_name", "signer_title")


@dataclass(frozen=True)
class ProfileForm:
    name: str = ""
    parent_agency: str = ""
    province: str = ""
    place_name: str = ""
    signer_name: str = ""
    signer_title: str = ""
    kind: str = UNIT_KINDS[0]
    signing_authority: str = next(iter(SIGNING_AUTHORITIES))
    recipients: str = ""  # one a line
    cc: str = ""
    # the official codes, from the list of administrative units (units_list): not typed, set
    # when the name and province are a unit of that list, blank otherwise
    code: str = ""
    province_code: str = ""


def official_code(text: str | int | None) -> str:
    """A code as stored and written: its digits ("00004", "01"), or "" for anything else."""
    text = str(text if text is not None else "").strip()
    return text if text.isascii() and text.isdigit() else ""


def display_name(unit: Mapping | None) -> str:
    """"Xã Bình Phước": how a unit (a profile, an exchange file's "unit") is named in titles,
    lists and file names; "" for a unit without a name."""
    if not unit or not (unit.get("name") or "").strip():
        return ""
    return unit_title(unit.get("kind") or UNIT_KINDS[0], unit["name"])


def name_key(name: str) -> str:
    """A full name as compared: no marks, no case, single spaces ("Xã Thử 01" = "xa  THU 01")."""
    return " ".join(without_marks(nfc(name or "")).casefold().split())


def code_key(code: str | None) -> str:
    """An official code as compared: "00004" = "4" (lists and spreadsheets drop the zeros)."""
    code = official_code(code)
    return code.lstrip("0") or ("0" if code else "")


def same_unit(name_a: str, code_a: str, name_b: str, code_b: str) -> bool:
    """Units are the same when their official codes match, else (one of them has no code)
    when their full names match ignoring case, spacing and diacritics. Two different codes are
    two units even under one name: "Xã An Hòa" exists in several provinces."""
    if code_key(code_a) and code_key(code_b):
        return code_key(code_a) == code_key(code_b)
    return bool(name_key(name_a)) and name_key(name_a) == name_key(name_b)


def same_unit_as(a: Mapping | None, b: Mapping | None) -> bool:
    """`same_unit` for two unit mappings (profile fields: kind, name, code)."""
    a, b = a or {}, b or {}
    return same_unit(display_name(a), a.get("code", ""), display_name(b), b.get("code", ""))


def province_recipients(province: str) -> list[str]:
    """Where a commune's report goes when the clerk named no one: the province's People's
    Committee and its Department of Home Affairs (Sở Nội vụ leads administrative reform)."""
    return [agency_name("tỉnh", province), f"Sở Nội vụ tỉnh {province}"] if province else []


def profile_from_form(form: ProfileForm, previous: Mapping | None = None) -> dict:
    """The profile to store. Invisible characters pasted from other programs are left out
    (they cannot be written to .docx); `previous` keeps what the dialog does not show (the
    ký hiệu of the unit's documents)."""
    previous = previous or {}
    typed = {name: printable(getattr(form, name)).strip() for name in TYPED_FIELDS}
    kind = form.kind if form.kind in UNIT_KINDS else UNIT_KINDS[0]
    auth = form.signing_authority if form.signing_authority in SIGNING_AUTHORITIES else next(iter(SIGNING_AUTHORITIES))
    return {
        **typed,
        "kind": kind,
        "agency_name": agency_name(kind, typed["name"]) if typed["name"] else "",
        "place_name": typed["place_name"] or typed["name"],
        "doc_code": previous.get("doc_code") or DEFAULT_DOC_CODE,
        "signing_authority": auth,
        "authority_line": SIGNING_AUTHORITIES[auth][0],
        "recipients": lines(printable(form.recipients)) or province_recipients(typed["province"]),
        "cc": lines(printable(form.cc)),
        **{key: official_code(getattr(form, key)) for key in UNIT_CODE_FIELDS},
    }


def profile_form(profile: Mapping | None) -> ProfileForm:
    """What the dialog shows for a stored profile, or the first-run defaults for none: the
    first kind and authority, that authority's signer title, the usual Nơi nhận."""
    profile = profile or {}
    kind = profile.get("kind") if profile.get("kind") in UNIT_KINDS else UNIT_KINDS[0]
    auth = profile.get("signing_authority")
    if auth not in SIGNING_AUTHORITIES:
        auth = next(iter(SIGNING_AUTHORITIES))
    typed = {name: profile.get(name) or "" for name in TYPED_FIELDS}
    typed["signer_title"] = typed["signer_title"] or SIGNING_AUTHORITIES[auth][1]
    return ProfileForm(**typed, kind=kind, signing_authority=auth,
                       recipients="\n".join(profile.get("recipients") or []),
                       cc="\n".join(profile.get("cc") or DEFAULT_CC),
                       **{key: official_code(profile.get(key)) for key in UNIT_CODE_FIELDS})

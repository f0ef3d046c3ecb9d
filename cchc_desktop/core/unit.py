"""Thông tin đơn vị as typed → the profile stored (vocabulary.UNIT_FIELDS), and back.

The clerk types the unit's name, province, signer…; the rest is derived here, once: the
agency's name ("Ủy ban nhân dân xã Bình Phước"), the place written on the date line, the
authority line of the chosen signing authority, a Kính gửi for a unit that typed none. The
dialog only reads its boxes into a `ProfileForm` and shows a `ProfileForm` back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from cchc_desktop.core.header import lines
from cchc_desktop.core.limits import printable
from cchc_desktop.core.vocabulary import DEFAULT_CC, DEFAULT_DOC_CODE, SIGNING_AUTHORITIES, UNIT_KINDS, agency_name

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
                       cc="\n".join(profile.get("cc") or DEFAULT_CC))

"""Thông tin đơn vị's rules without a window (core/unit.py): what the clerk typed becomes the
stored profile, with the derived names; a stored profile is shown back as it was saved."""

from __future__ import annotations

import pytest

from cchc_desktop.core import vocabulary
from cchc_desktop.core.unit import TYPED_FIELDS, ProfileForm, profile_form, profile_from_form


def test_the_typed_fields_and_the_chosen_and_derived_ones_are_every_unit_field():
    derived = {"agency_name", "doc_code", "authority_line"}
    chosen = {"kind", "signing_authority", *vocabulary.UNIT_LIST_FIELDS}
    assert set(TYPED_FIELDS) | derived | chosen == set(vocabulary.UNIT_FIELDS)
    assert set(profile_from_form(ProfileForm())) == set(vocabulary.UNIT_FIELDS)


def test_a_first_profile_derives_the_agency_the_place_and_the_recipients():
    profile = profile_from_form(ProfileForm(name=" Bình Phước ", province="Quảng Ngãi", signer_name="Nguyễn Văn Minh",
                                            signer_title="CHỦ TỊCH", cc="Như trên\nLưu: VT"))
    assert profile["name"] == "Bình Phước" and profile["kind"] == "xã"
    assert profile["agency_name"] == "Ủy ban nhân dân xã Bình Phước"
    assert profile["place_name"] == "Bình Phước"  # the date line names the unit unless told otherwise
    assert profile["doc_code"] == "BC-UBND"
    assert (profile["signing_authority"], profile["authority_line"]) == ("TM.", "TM. ỦY BAN NHÂN DÂN")
    assert profile["recipients"] == ["Ủy ban nhân dân tỉnh Quảng Ngãi", "Sở Nội vụ tỉnh Quảng Ngãi"]
    assert profile["cc"] == ["Như trên", "Lưu: VT"]


@pytest.mark.parametrize("kind, auth, agency, line", [
    ("phường", "KT.", "Ủy ban nhân dân phường An Hội", "KT. CHỦ TỊCH"),
    ("đặc khu", "TM.", "Ủy ban nhân dân đặc khu An Hội", "TM. ỦY BAN NHÂN DÂN"),
    ("huyện", "XX.", "Ủy ban nhân dân xã An Hội", "TM. ỦY BAN NHÂN DÂN"),  # unknown codes: the defaults
])
def test_the_kind_and_the_authority_are_stored_by_code(kind, auth, agency, line):
    profile = profile_from_form(ProfileForm(name="An Hội", kind=kind, signing_authority=auth))
    assert (profile["agency_name"], profile["authority_line"]) == (agency, line)
    assert profile["kind"] in vocabulary.UNIT_KINDS and profile["signing_authority"] in vocabulary.SIGNING_AUTHORITIES


def test_what_the_clerk_wrote_wins_over_what_is_derived():
    profile = profile_from_form(ProfileForm(name="Bình Phước", province="Quảng Ngãi", place_name="Tư Nghĩa",
                                            recipients="- UBND tỉnh Quảng Ngãi;"), {"doc_code": "BC-UBXA"})
    assert profile["place_name"] == "Tư Nghĩa" and profile["recipients"] == ["UBND tỉnh Quảng Ngãi"]
    assert profile["doc_code"] == "BC-UBXA"  # not on the dialog: kept from the stored profile


def test_pasted_invisible_characters_are_left_out():
    profile = profile_from_form(ProfileForm(name="Bình\x00 Phước\x07", cc="Như trên\x0bLưu: VT"))
    assert profile["name"] == "Bình Phước" and profile["cc"] == ["Như trên", "Lưu: VT"]


def test_a_new_unit_is_offered_the_defaults_and_a_stored_one_is_shown_as_saved():
    new = profile_form(None)
    assert (new.kind, new.signing_authority, new.signer_title) == ("xã", "TM.", "CHỦ TỊCH")
    assert new.cc == "Như trên\nLưu: VT"
    saved = profile_from_form(ProfileForm(name="An Hội", kind="phường", signing_authority="KT.",
                                          signer_title="PHÓ CHỦ TỊCH", signer_name="Lê Thị Hoa", cc="Lưu: VT"))
    assert profile_from_form(profile_form(saved), saved) == saved  # open and save again: nothing changes


def test_a_stored_profile_without_a_title_gets_its_authoritys_title():
    assert profile_form({"signing_authority": "KT."}).signer_title == "PHÓ CHỦ TỊCH"

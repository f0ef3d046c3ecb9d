"""Thông tin đơn vị's rules without a window (core/unit.py): what the clerk typed becomes the
stored profile, with the derived names; a stored profile is shown back as it was saved."""

from __future__ import annotations

import pytest

from cchc_desktop.core import vocabulary
from cchc_desktop.core.unit import (TYPED_FIELDS, ProfileForm, display_name, official_code, profile_form,
                                   profile_from_form, same_unit, same_unit_as)


def test_the_typed_fields_and_the_chosen_and_derived_ones_are_every_unit_field():
    derived = {"agency_name", "doc_code", "authority_line"}
    chosen = {"kind", "signing_authority", *vocabulary.UNIT_LIST_FIELDS}
    picked = set(vocabulary.UNIT_CODE_FIELDS)  # from the official list, never typed
    assert set(TYPED_FIELDS) | derived | chosen | picked == set(vocabulary.UNIT_FIELDS)
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


def test_the_official_codes_are_kept_as_digits_and_anything_else_is_no_code():
    profile = profile_from_form(ProfileForm(name="Ba Đình", kind="phường", province="Hà Nội", code="00004",
                                            province_code="01"))
    assert (profile["code"], profile["province_code"]) == ("00004", "01")
    typed_badly = profile_from_form(ProfileForm(name="Ba Đình", code="4a", province_code=" "))
    assert (typed_badly["code"], typed_badly["province_code"]) == ("", "")
    assert official_code(4) == "4" and official_code("") == official_code(None) == official_code("１２") == ""
    shown = profile_form(profile)
    assert (shown.code, shown.province_code) == ("00004", "01")
    again = profile_from_form(shown, profile)  # open and save again: the codes stay
    assert (again["code"], again["province_code"]) == ("00004", "01")


def test_the_units_name_is_the_profiles_and_units_match_by_code_else_by_full_name():
    assert display_name({"kind": "phường", "name": " An Hội "}) == "Phường An Hội"
    assert display_name({"name": "An Hội"}) == "Xã An Hội" and display_name({"name": "  "}) == display_name(None) == ""
    assert same_unit("Xã Thử 01", "", " xa  THU 01", "")  # case, spacing and marks aside
    assert same_unit("Xã A", "00123", "Xã B", "123")  # renamed, same code (zeros dropped by a spreadsheet)
    assert not same_unit("Xã An Hòa", "00001", "Xã An Hòa", "00002")  # one name in two provinces
    assert same_unit("Xã An Hòa", "00001", "xã an hoà", "")  # a file without codes: by name
    assert not same_unit("", "", "", "")
    assert same_unit_as({"kind": "xã", "name": "Bình Phước", "code": ""}, {"name": "Bình Phước"})

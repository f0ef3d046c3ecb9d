"""The official list of provinces and communes (vietnam-provinces), read as data."""

from hypothesis import given
from hypothesis import strategies as st

from cchc_desktop.core import units_list as ul
from cchc_desktop.core.letters import without_marks


def test_the_list_holds_the_units_of_the_july_2025_reform():
    assert ul.counts() == {"tỉnh, thành phố": 34, "xã": 2621, "phường": 687, "đặc khu": 13}
    codes = [u.code for p in ul.provinces() for u in ul.units_of(p.code)]
    assert len(codes) == len(set(codes)) == 3321


def test_names_are_kept_without_their_kind_and_rebuilt_with_it():
    hanoi = ul.province_named("Thành phố Hà Nội")
    assert (hanoi.name, hanoi.kind, hanoi.full_name) == ("Hà Nội", "thành phố", "Thành phố Hà Nội")
    assert ul.province_named("tinh quang ngai").full_name == "Tỉnh Quảng Ngãi"
    assert ul.province_named("Không có tỉnh này") is None
    hk = ul.find_units("hoan kiem", hanoi.code)[0]
    assert (hk.kind, hk.name, hk.full_name) == ("phường", "Hoàn Kiếm", "Phường Hoàn Kiếm")
    assert ul.unit_by_code(hk.code) == hk and ul.unit_by_code(-1) is None
    assert {u.kind for u in ul.find_units("con dao")} == {"đặc khu"}


def test_type_ahead_finds_with_or_without_marks_prefix_first():
    found = ul.find_units("binh phuoc")
    assert found and all("binh phuoc" in without_marks(u.name).casefold() for u in found)
    assert ul.find_units("Bình Phước") == found
    starts = ul.find_units("xa binh")
    assert starts and all(u.kind == "xã" and u.name.startswith("Bình") for u in starts)
    assert len(ul.find_units("", limit=7)) == 7


@given(st.sampled_from(ul.provinces()), st.integers(0, 10_000))
def test_every_unit_is_found_by_its_own_name_in_its_province(province, pick):
    units = ul.units_of(province.code)
    unit = units[pick % len(units)]
    assert unit in ul.find_units(without_marks(unit.name).upper(), province.code, limit=1000)


def test_the_list_is_read_without_importing_the_package():
    """Its modules build an enum of every code at import (~70 ms): the data file is enough."""
    import subprocess
    import sys

    code = ("import sys; from cchc_desktop.core import units_list as u; u.provinces(); "
            "sys.exit('vietnam_provinces' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0

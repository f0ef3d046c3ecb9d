"""The official list of Vietnam's provinces and communes after the July 2025 reform (34 provinces,
3,321 xã, phường and đặc khu with their codes), from the `vietnam-provinces` package.

Why that package and not a list of ours: it follows the statistics office's list of
administrative units and is re-released when units are merged or renamed, which a clerk's
program cannot track by hand. Only its data file is read (json), never its modules: importing
the package builds an enum of every code (~70 ms), and the list is needed only when the clerk
picks the unit, never at start. A unit missing from the list can still be typed freely.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cchc_desktop.core.letters import nfc, without_marks
from cchc_desktop.core.vocabulary import unit_title

PACKAGE = "vietnam-provinces"
_DATA = ("data", "nested-divisions.json")
UNIT_KINDS = ("xã", "phường", "đặc khu")


class UnitsListMissing(Exception):
    """The package is not installed or its data file is unreadable: the clerk types the names."""


@dataclass(frozen=True)
class Province:
    code: int
    name: str  # "Quảng Ngãi", "Hà Nội": without "Tỉnh"/"Thành phố"
    kind: str  # "tỉnh" | "thành phố"

    @property
    def full_name(self) -> str:
        return unit_title(self.kind, self.name)

    @property
    def official_code(self) -> str:
        """As the official list writes it: two digits ("01" Hà Nội, "51" Quảng Ngãi)."""
        return f"{self.code:02d}"


@dataclass(frozen=True)
class Unit:
    code: int  # the official code (mã đơn vị hành chính)
    kind: str  # "xã" | "phường" | "đặc khu"
    name: str  # "Bình Phước": without the kind
    province: Province

    @property
    def full_name(self) -> str:
        return unit_title(self.kind, self.name)

    @property
    def official_code(self) -> str:
        """As the official list writes it: five digits ("00004" Phường Ba Đình)."""
        return f"{self.code:05d}"


def fold(text: str) -> str:
    """For matching typed text: no marks, no case, single spaces ("binh phuoc" finds Bình Phước)."""
    return " ".join(without_marks(nfc(text)).casefold().split())


def _data_file() -> Path:
    spec = importlib.util.find_spec("vietnam_provinces")
    if spec is None or not spec.submodule_search_locations:
        raise UnitsListMissing("Không tìm thấy danh mục đơn vị hành chính (gói vietnam-provinces).")
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*_DATA)


def _strip_kind(name: str, kind: str) -> str:
    prefix = kind.split()[0] if kind.startswith("thành phố") else kind
    for p in (f"{kind} ", "thành phố ", f"{prefix} "):
        if name.casefold().startswith(p.casefold()):
            return name[len(p):].strip()
    return name.strip()


@cache
def _load() -> tuple[tuple[Province, ...], tuple[Unit, ...]]:
    try:
        raw = json.loads(_data_file().read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise UnitsListMissing(f"Không đọc được danh mục đơn vị hành chính: {exc}") from None
    provinces, units = [], []
    for p in raw:
        kind = "thành phố" if p["division_type"].startswith("thành phố") else "tỉnh"
        province = Province(int(p["code"]), nfc(_strip_kind(p["name"], kind)), kind)
        provinces.append(province)
        for w in p["wards"]:
            if w["division_type"] in UNIT_KINDS:
                units.append(Unit(int(w["code"]), w["division_type"], nfc(_strip_kind(w["name"], w["division_type"])),
                                  province))
    return tuple(sorted(provinces, key=lambda x: fold(x.name))), tuple(units)


def provinces() -> tuple[Province, ...]:
    return _load()[0]


def units_of(province_code: int) -> list[Unit]:
    return sorted((u for u in _load()[1] if u.province.code == province_code), key=lambda u: fold(u.name))


def unit_by_code(code: int) -> Unit | None:
    return _by_code().get(code)


@cache
def _by_code() -> dict[int, Unit]:
    return {u.code: u for u in _load()[1]}


def province_named(name: str) -> Province | None:
    """"Quảng Ngãi", "tinh quang ngai", "Tỉnh Quảng Ngãi" → the province, else None."""
    wanted = fold(name)
    for p in provinces():
        if wanted in (fold(p.name), fold(p.full_name)):
            return p
    return None


def find_units(text: str, province_code: int | None = None, limit: int = 30) -> list[Unit]:
    """Type-ahead: units whose name (or "kind name") starts with what was typed, then those
    containing it, with or without the marks."""
    wanted = fold(text)
    pool = [u for u in _load()[1] if province_code is None or u.province.code == province_code]
    if not wanted:
        return sorted(pool, key=lambda u: fold(u.name))[:limit]
    starts, contains = [], []
    for u in pool:
        name, full = fold(u.name), fold(u.full_name)
        if name.startswith(wanted) or full.startswith(wanted):
            starts.append(u)
        elif wanted in name:
            contains.append(u)
    key = lambda u: (fold(u.name), fold(u.province.name))  # noqa: E731
    return (sorted(starts, key=key) + sorted(contains, key=key))[:limit]


def official_codes(kind: str, name: str, province: str) -> tuple[str, str]:
    """(unit code, province code) of the unit named on the profile form: the province's code
    when the province is in the list, the unit's when that province has exactly one unit of
    that kind and name; "" for what is not in the list (a unit typed freely, a misspelling).
    Matched as typed-ahead is, without marks or case, so a pick and the same name typed in
    full give the same codes. UnitsListMissing when there is no list on this machine."""
    found = province_named(province) if province.strip() else None
    if found is None:
        return "", ""
    wanted = fold(name)
    same = [u for u in _load()[1] if u.province.code == found.code and u.kind == kind
            and wanted and wanted in (fold(u.name), fold(u.full_name))]
    return (same[0].official_code if len(same) == 1 else ""), found.official_code


def counts() -> dict[str, int]:
    out = {"tỉnh, thành phố": len(provinces())}
    for kind in UNIT_KINDS:
        out[kind] = sum(1 for u in _load()[1] if u.kind == kind)
    return out

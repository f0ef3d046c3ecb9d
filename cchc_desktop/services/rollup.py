"""The province's roll-up: many communes' reports read back and summed into one.

A Sở Nội vụ receives 60–160 communes' files (the program's .json exchange files or its .xlsx
appendices, which carry the same data) and writes its own report from them. Counts and money
are summed exactly; every percentage is recomputed from the summed operands — an average of the
communes' percentages would weigh a commune of 50 files like one of 5,000; flags and choices are
counted. A file that cannot be trusted is refused with the reason, naming the file; the same
commune sent twice with different figures is refused both times (the province chooses), an
identical copy counts once.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from cchc_desktop.core.catalog import Catalog, CatalogRegistry
from cchc_desktop.core.engine import validator_for
from cchc_desktop.core.unit import code_key, name_key
from cchc_desktop.core.numbers import PRINTED, format_count, format_money, format_percent, format_value, parse_value
from cchc_desktop.core.periods import get_period
from cchc_desktop.services.rollup_read import FileRead, Refusal, RollupError, collect, read_all


@dataclass
class UnitReport:
    name: str  # "Xã Bình Phước"
    code: str
    file: str
    status: str
    errors: int
    warnings: int
    year: int
    period: str
    values: dict  # id -> raw text, as the commune typed it (what makes two copies identical)
    parsed: dict = field(repr=False)  # id -> value the engine parsed or derived (None or absent: blank or not a value)
    catalog: Catalog = field(repr=False)
    issues: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (severity, message), as the commune sees them
    dated: str = ""  # the report's own date, ISO (its header's "Ngày": the day it was signed); "" if not written

    def sent(self) -> tuple[dt.date | None, str]:
        """When the report went out, as the province can tell: the date the commune wrote on it
        ("ngày ký"), else the day its file was last written ("ngày tệp", which a copy by USB or
        Zalo may change); (None, "") when neither is known."""
        if self.dated:
            return dt.date.fromisoformat(self.dated), "ngày ký"
        try:
            return dt.date.fromtimestamp(Path(self.file).stat().st_mtime), "ngày tệp"
        except (OSError, ValueError):
            return None, ""


@dataclass(frozen=True)
class RollupRow:
    stt: str
    label: str
    unit: str
    total: str
    given: str
    heading: bool
    bold: bool

    @property
    def texts(self) -> tuple[str, str, str, str, str]:
        return (self.stt, self.label, self.unit, self.total, self.given)


@dataclass
class Rollup:
    catalog: Catalog | None
    year: int | None
    period: str | None
    units: list[UnitReport] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    totals: dict[str, int | Decimal] = field(default_factory=dict)
    derived: dict[str, Decimal] = field(default_factory=dict)
    flags: dict[str, dict[str, int]] = field(default_factory=dict)
    unreadable: int = 0  # files that could not be read at all

    @property
    def exit_code(self) -> int:
        if not self.units:
            return 2
        return 1 if self.refused or self.missing else 0

    def total_text(self, ident: str) -> str:
        """A row's province total as printed: a count or amount summed, a percentage recomputed
        from the sums, a yes/no or choice counted by answer in the form's order ("Có: 37;
        Không: 80; để trống: 7"); "" for a heading or a row no commune gave."""
        ind = self.catalog.indicators[ident]
        if ind.kind in ("flag", "choice"):
            counts = self.flags.get(ident, {})
            names = {str(k): v for k, v in (ind.codes or {}).items()}
            order = [k for k in names if k in counts] + sorted(k for k in counts if k not in names and k) + \
                ([""] if "" in counts else [])
            return "; ".join(f"{names.get(k, k) if k else 'để trống'}: {counts[k]}" for k in order)
        if ident in self.derived:
            return format_value("percent", self.derived[ident], PRINTED)
        if ident in self.totals:
            return format_value(ind.kind, self.totals[ident], PRINTED)
        return ""

    def deadline(self) -> dt.date | None:
        """The period's deadline: the 20th of its last month, or the province's earlier day."""
        if not (self.period and self.year):
            return None
        return get_period(self.period).deadline(self.year, self.catalog.deadline_day(self.period) if self.catalog else None)

    def on_time(self, unit: UnitReport) -> str:
        """"Đúng hạn" or "Trễ hạn" against the period's deadline, by UnitReport.sent; "" unknown."""
        day, deadline = unit.sent()[0], self.deadline()
        if day is None or deadline is None:
            return ""
        return "Đúng hạn" if day <= deadline else "Trễ hạn"

    def counts_text(self) -> str:
        """"nhận 1.000 báo cáo; không nhận 2 tệp; chưa gửi 3 đơn vị", as the window, the command
        line and the provincial appendix say it."""
        return (f"nhận {format_count(len(self.units))} báo cáo; không nhận {format_count(len(self.refused))} tệp; "
                f"chưa gửi {format_count(len(self.missing))} đơn vị")

    def given(self, ident: str) -> int:
        """How many communes gave a value for this row."""
        return sum(1 for u in self.units if u.parsed.get(ident) is not None)

    def form_rows(self, number: int) -> list[RollupRow]:
        """One Biểu mẫu as the window and the Word appendix show it: each row with the province's
        total and how many communes gave it ("" for a heading; a percentage is computed)."""
        from cchc_desktop.formats.printed import printed_bold

        out = []
        for ident in self.catalog.forms[number].indicators:
            ind = self.catalog.indicators[ident]
            heading = ind.kind == "heading"
            out.append(RollupRow(ind.stt, ind.label, ind.unit, "" if heading else self.total_text(ident),
                                 "" if heading or ind.is_derived else format_count(self.given(ident)),
                                 heading, printed_bold(ind.kind, ind.depth)))
        return out

    def as_json(self) -> dict:
        cat = self.catalog
        return {
            "reports": len(self.units),
            "refused": [{"file": r.file, "reason": r.reason} for r in self.refused],
            "missing": list(self.missing),
            "totals": {i: _text(cat.indicators[i].kind, v) for i, v in self.totals.items()},
            "derived": {i: format_percent(v) for i, v in self.derived.items()},
            "flags": {i: dict(c) for i, c in self.flags.items()},
            "units": [{"name": u.name, "code": u.code, "file": u.file, "status": u.status, "errors": u.errors,
                       "warnings": u.warnings} for u in self.units],
        }


def _text(kind: str, value) -> str:
    return format_money(value) if kind == "money" else format_count(int(value))


def unit_key(name: str, code: str = "") -> str:
    """The unit as one key: its official code ("00004" = "4") if it has one, else its full name
    ignoring case, spacing and diacritics ("Xã Thử 01" = "xa thu 01"). Two reports are matched
    with `same_unit`, which compares codes only when BOTH carry one: a version 1 file (no
    codes) and a version 2 file of the same commune are one commune."""
    return f"code:{code_key(code)}" if code_key(code) else "name:" + name_key(name)


def read_units_csv(path: str | Path) -> list[tuple[str, str]]:
    """The province's list of its communes: a header row with `name` (and optionally `code`);
    comma or semicolon (Excel in Vietnamese saves with ';'), UTF-8 with or without BOM."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RollupError(f"Không đọc được danh sách đơn vị {path}: lưu tệp dạng CSV UTF-8 ({exc}).") from None
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.DictReader(io.StringIO(text), dialect=dialect))
    if not rows or "name" not in {k.strip().lower() for k in rows[0] if k}:
        raise RollupError(f"Danh sách đơn vị {path} cần dòng tiêu đề có cột “name” (và có thể “code”).")
    out = []
    for row in rows:
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if clean.get("name"):
            out.append((clean["name"], clean.get("code", "")))
    return out


def rollup(paths: list[str | Path], registry: CatalogRegistry | None = None, *, year: int | None = None,
           period: str | None = None, units: list[tuple[str, str]] | None = None,
           progress: Callable[[int, int], None] | None = None, workers: int | None = None) -> Rollup:
    """`progress(done, total)` as each file is read (the window's progress bar; it may raise
    to stop the roll-up). `workers`: processes reading the files (1: this one only; None: by
    their number, see PARALLEL_FROM)."""
    with _no_cycle_collection():
        return _rollup(paths, registry, year=year, period=period, units=units, progress=progress, workers=workers)


@contextmanager
def _no_cycle_collection():
    # A roll-up makes millions of small containers that live until it ends (each report's
    # values) and no reference cycles; the cycle collector's passes over them were a tenth of
    # a national roll-up. Refcounting frees everything as before; collection resumes after.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _rollup(paths: list[str | Path], registry: CatalogRegistry | None, *, year: int | None, period: str | None,
            units: list[tuple[str, str]] | None, progress: Callable[[int, int], None] | None,
            workers: int | None) -> Rollup:
    registry = registry or CatalogRegistry()
    if period is not None:
        get_period(period)  # an unknown code is the caller's mistake: say it before reading anything
    files, refused = collect(paths)
    read: list[tuple[Path, FileRead]] = []
    unreadable = 0
    for n, (f, got) in enumerate(zip(files, read_all(files, registry, workers))):
        if progress is not None:
            progress(n, len(files))
        if isinstance(got, str):  # why it cannot be read
            refused.append(Refusal(str(f), got))
            unreadable += 1
        else:
            read.append((f, got))
    # the year, period and catalog the province asked for, else the ones most files carry
    common = Counter((r.year, r.period, r.catalog_id) for _, r in read).most_common(1)
    want_year = year if year is not None else (common[0][0][0] if common else None)
    want_period = period if period is not None else (common[0][0][1] if common else None)
    want_catalog = common[0][0][2] if common else None
    accepted: list[UnitReport] = []
    for f, r in read:
        reason = None
        if r.year != want_year:
            reason = f"Báo cáo năm {r.year}, không phải năm {want_year} đang tổng hợp."
        elif r.period != want_period:
            reason = (f"Báo cáo kỳ “{get_period(r.period).label}”, không phải kỳ "
                      f"“{get_period(want_period).label}” đang tổng hợp.")
        elif r.catalog_id != want_catalog:
            reason = f"Lập theo bộ biểu mẫu “{r.catalog_id}”, không phải “{want_catalog}”."
        elif not r.name:
            reason = "Tệp không ghi tên đơn vị (xã, phường, đặc khu) nên không biết là báo cáo của ai."
        if reason or r.problem:
            refused.append(Refusal(str(f), reason or r.problem))
            continue
        warnings = sum(1 for severity, _ in r.issues if severity == "warning")
        accepted.append(UnitReport(r.name, r.code, str(f), r.status, len(r.issues) - warnings, warnings, r.year,
                                   r.period, r.values, r.parsed, registry.get(r.catalog_id, r.catalog_version),
                                   r.issues, r.dated))
    kept = _without_duplicates(accepted, refused)
    catalog = _newest(kept) if kept else (registry.latest(want_catalog) if want_catalog else None)
    out = Rollup(catalog, want_year, want_period, kept, refused, unreadable=unreadable)
    if kept:
        _sum(out, catalog)
    if units is None:
        units = official_units(kept)
    if units is not None:
        out.missing = _missing(units, kept)
    return out


def _missing(units: list[tuple[str, str]], kept: list[UnitReport]) -> list[str]:
    """The listed units no kept report is (same_unit, indexed: a province's 3,321 units against
    3,321 reports compared pairwise would be 11 million comparisons)."""
    codes = {code_key(u.code) for u in kept if code_key(u.code)}
    all_names = {name_key(u.name) for u in kept}
    uncoded_names = {name_key(u.name) for u in kept if not code_key(u.code)}
    out = []
    for name, code in units:
        key = name_key(name)
        if code_key(code):
            found = code_key(code) in codes or (bool(key) and key in uncoded_names)
        else:
            found = bool(key) and key in all_names
        if not found:
            out.append(name)
    return out


def official_units(kept: list[UnitReport]) -> list[tuple[str, str]] | None:
    """Without a --units list: when the files carry official codes, the official list's units
    of their provinces (core/units_list, vietnam-provinces) are the ones expected to send; None
    when no file carries a code or the list is not on this machine."""
    from cchc_desktop.core import units_list

    coded = [int(u.code) for u in kept if u.code.isdigit()]
    if not coded:
        return None
    try:
        provinces = {unit.province.code for unit in map(units_list.unit_by_code, coded) if unit is not None}
        return [(x.full_name, x.official_code) for code in sorted(provinces) for x in units_list.units_of(code)] or None
    except units_list.UnitsListMissing:
        return None


def _without_duplicates(accepted: list[UnitReport], refused: list[Refusal]) -> list[UnitReport]:
    # same_unit, indexed (20,000 files compared pairwise would be 2·10⁸ comparisons): a coded
    # report joins the group of its code, else a group of its name holding an uncoded report;
    # an uncoded one joins the first group of its name
    groups: list[list[UnitReport]] = []
    by_code: dict[str, list[UnitReport]] = {}
    by_name: dict[str, list[list[UnitReport]]] = {}
    for u in accepted:
        code, name = code_key(u.code), name_key(u.name)
        named = by_name.setdefault(name, [])
        if code:
            group = by_code.get(code) or next((g for g in named if any(not code_key(o.code) for o in g)), None)
        else:
            group = named[0] if named else None
        if group is None:
            group = []
            groups.append(group)
        group.append(u)
        if code:
            by_code.setdefault(code, group)
        if not any(g is group for g in named):
            named.append(group)
    kept = []
    for same in groups:
        if all(u.values == same[0].values for u in same):
            kept.append(same[0])  # identical copies (sent twice, or .json and .xlsx) count once
            continue
        files = ", ".join(Path(u.file).name for u in same)
        for u in same:
            refused.append(Refusal(u.file, f"{u.name} gửi {len(same)} báo cáo cùng kỳ với số liệu khác nhau ({files}); "
                                           "chọn một tệp rồi tổng hợp lại."))
    return sorted(kept, key=lambda u: unit_key(u.name))


def _newest(units: list[UnitReport]) -> Catalog:
    from cchc_desktop.core.catalog import version_key

    return max((u.catalog for u in units), key=lambda c: version_key(c.version))


def _sum(out: Rollup, catalog: Catalog) -> None:
    # by each report's typed rows, not by every row of the forms: a national roll-up is 3,321
    # reports, each typing a part of the rows; a flag left blank is counted as the reports that
    # gave no answer
    inputs = {ind.id: ind for ind in catalog.indicators.values() if ind.is_input}
    counted = [ind.id for ind in catalog.indicators.values() if ind.kind in ("flag", "choice")]
    flags: dict[str, Counter] = {ident: Counter() for ident in counted}
    totals: dict[str, int | Decimal] = {}
    for u in out.units:
        parsed, same = u.parsed, u.catalog is catalog
        for ident, text in u.values.items():
            ind = inputs.get(ident)
            value = None if ind is None else parsed.get(ident)
            if value is None:
                continue
            if not same:  # another version: its kind may differ
                value = parse_value(ind.kind, text, ind.codes).value
                if value is None:
                    continue
            if ident in flags:
                flags[ident][str(value)] += 1
            else:
                totals[ident] = totals.get(ident, 0) + value
    for ident in counted:
        blank = len(out.units) - sum(flags[ident].values()) if ident in inputs else 0
        if blank:
            flags[ident][""] = blank
    out.totals = {i: totals[i] for i in catalog.indicators if i in totals}
    out.flags = {i: dict(sorted(c.items(), key=lambda kv: (kv[0] == "", kv[0]), reverse=False)) for i, c in flags.items()}
    raws = {i: _text(catalog.indicators[i].kind, v) for i, v in out.totals.items()}
    state = validator_for(catalog).state(raws, {}, {}, {})
    out.derived = {d: state.values[d] for d in catalog.derived_order if state.values.get(d) is not None}


def rollup_json_text(r: Rollup) -> str:
    return json.dumps(r.as_json(), ensure_ascii=False, indent=2)

"""Creating, copying and deleting reports; what a new report starts with."""

from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cchc_desktop.errors import CchcError
from cchc_desktop.core.catalog import Catalog, CatalogError, CatalogRegistry
from cchc_desktop.core.engine import section_name, validator_for
from cchc_desktop.formats.exchange import LIST_KEYS
from cchc_desktop.core.periods import get_period, report_label
from cchc_desktop.core.unit import display_name, same_unit
from cchc_desktop.storage.store import DataFileDamaged, Store, StoreError

if TYPE_CHECKING:  # core.carry reads the prose with prose_check: imported when a report is copied, not at start
    from cchc_desktop.core.carry import CarriedProse, CarriedValues

HEADER_FROM_PROFILE = ("recipients", "cc", "signer_name", "signer_title", "signing_authority", "authority_line")


class ReportExists(CchcError):
    """A report for that unit, year and period is already there (the message says which)."""


def header_from_profile(profile: dict | None) -> dict:
    profile = profile or {}
    header = {"number": "", "date": ""}
    for key in HEADER_FROM_PROFILE:
        header[key] = profile.get(key, [] if key in LIST_KEYS else "")
    return header


def unit_display_name(profile: dict | None) -> str:
    """"Xã Bình Phước" — how the unit is named in titles and file names (core.unit.display_name)."""
    return display_name(profile)


def new_report_meta(catalog: Catalog, profile: dict | None, year: int, period: str) -> dict:
    p = get_period(period)
    start, end = p.window(year)
    return {
        # not the report's identity (the profile is, and names the report wherever it is
        # shown): the store keeps this copy in step with the profile for readers of raw files
        "unit_name": unit_display_name(profile),
        "year": year,
        "period": period,
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "next_period_label": p.next_period_label(year),
        "catalog_id": catalog.id,
        "catalog_version": catalog.version,
        "status": "draft",
        "header": _with_default_recipients(header_from_profile(profile), catalog),
    }


def _with_default_recipients(header: dict, catalog: Catalog) -> dict:
    # the Kính gửi the province's forms give, for a unit that has not written its own
    if not header.get("recipients") and catalog.recipients:
        header = header | {"recipients": list(catalog.recipients)}
    return header


def find_report(store: Store, unit_name: str, year: int, period: str) -> dict | None:
    """The report for that year and period the data file already holds, if any. The file's own
    unit (its profile) has one report a period whatever name its reports were made under, so
    for it (`unit_name` "" or the profile's unit) year and period alone decide. A report
    imported from another unit (the built-in sample, a neighbour's file) is that unit's: it is
    found by that unit's name only, and never takes the place of one of the unit's own."""
    own = not unit_name.strip() or same_unit(unit_name, "", unit_display_name(store.get_profile()), "")
    for r in store.list_reports():
        if r["year"] != year or r["period"] != period:
            continue
        other = r.get("other_unit")
        if own and other is None:
            return r
        if not own and other is not None and same_unit(unit_name, "", r["unit_name"], ""):
            return r
    return None


def create_report(
    store: Store,
    registry: CatalogRegistry,
    year: int,
    period: str,
    *,
    copy_from: int | None = None,
    copy_values: bool = False,
) -> int:
    """A new report with the newest catalog, empty or copied from a previous report (`copy_report`,
    which also says what was carried)."""
    if copy_from is not None:
        return copy_report(store, registry, year, period, copy_from=copy_from, copy_values=copy_values).report_id
    catalog, meta = _new_meta(store, registry, year, period)
    return store.create_report(meta)


@dataclass(frozen=True)
class CopyResult:
    """A report copied from a previous one, and what went over (for the clerk: `copy_summary`)."""

    report_id: int
    source_id: int
    catalog: Catalog  # the new report's
    values: CarriedValues | None  # None: the figures were not asked for
    prose: CarriedProse
    next_period: str = ""  # the new report's next_period_label, which a section title may carry


def copy_report(store: Store, registry: CatalogRegistry, year: int, period: str, *, copy_from: int,
                copy_values: bool = False) -> CopyResult:
    """A new report with the newest catalog, taking from report `copy_from` the header (recipients,
    signer, Nơi nhận) and the narratives — their figures that are clearly an old row's value made
    that row's placeholder (core.carry) — and on request the figures, as the catalog's `carry`
    says: stock rows as typed, carry-over rows from the row they name, flow rows blank."""
    from cchc_desktop.core.carry import carry_narratives, carry_values

    catalog, meta = _new_meta(store, registry, year, period)
    source = store.get_report(copy_from)
    meta["header"] = {**meta["header"], **{k: source["header"].get(k, meta["header"][k]) for k in HEADER_FROM_PROFILE}}
    rows = store.get_values(copy_from)
    try:  # the old report's rows read with its own catalog; ids are stable, so the newest serves otherwise
        old_catalog = registry.get(source["catalog_id"], source["catalog_version"])
    except CatalogError:
        old_catalog = catalog
    inputs = {i.id for i in old_catalog.inputs()}
    old_state = validator_for(old_catalog).state({k: r.raw for k, r in rows.items() if k in inputs and r.raw is not None},
                                                 {k: r.note for k, r in rows.items() if r.note})
    prose = carry_narratives(store.get_narratives(copy_from), old_state, catalog)
    carried = None
    if copy_values:
        carried = carry_values(catalog, {k: (r.raw, r.note) for k, r in rows.items()},
                               (source.get("window_start"), source.get("window_end")),
                               (meta["window_start"], meta["window_end"]))
    rid = store.create_report(meta, values=carried.values if carried else None, narratives=prose.narratives)
    return CopyResult(rid, copy_from, catalog, carried, prose, meta["next_period_label"])


def copy_summary(result: CopyResult) -> str:
    """What the clerk is told after a copy, in plain Vietnamese: the figures carried, the figures
    of the prose now tied to the forms, and the sections with figures to read again."""
    cat = result.catalog
    lines = []
    v = result.values
    if v is None:
        lines.append("Số liệu: không chép; các biểu mẫu để trống để nhập số liệu kỳ này.")
    else:
        if v.stock:
            lines.append(f"Số liệu: đã chép {len(v.stock)} số liệu tồn cuối kỳ (số thủ tục hành chính, biên chế, số "
                         "đơn vị…) như kỳ trước. Hãy xem lại và sửa những số đã thay đổi.")
        else:
            lines.append("Số liệu: kỳ trước không có số liệu tồn cuối kỳ nào để chép.")
        for row, src in v.moved:
            came = (f"bằng {cat.indicators[src].label.lower()} của kỳ trước" if src != row else "giữ như kỳ trước "
                    "(hai kỳ cùng tính từ một ngày)")
            lines.append(f"{cat.indicators[row].label} ({cat.row_name(row)}): {came}, là {v.values[row][0]}.")
        for row, why in v.not_moved:
            lines.append(f"{cat.indicators[row].label} ({cat.row_name(row)}): để trống vì {why}; hãy nhập số này.")
        lines.append(f"{len(v.blank)} số liệu phát sinh trong kỳ (hồ sơ tiếp nhận, văn bản ban hành…) để trống để "
                     "nhập số của kỳ này." if v.blank else "Các số liệu phát sinh trong kỳ để trống để nhập số của kỳ này.")
    p = result.prose
    if p.replaced:
        lines.append(f"Lời văn: {len(p.replaced)} con số đã được nối với biểu mẫu; chúng sẽ tự in số liệu của kỳ này "
                     "(in “…” cho đến khi nhập số).")
    if p.review:
        names = "; ".join(section_name(cat, sid).replace("{next_period_upper}", result.next_period.upper())
                          for sid in p.review_sections())
        lines.append(f"Cần đọc lại {len(p.review)} con số trong lời văn vẫn là số của kỳ trước, ở: {names}. "
                     "Hãy sửa cho đúng kỳ này.")
    if not (p.replaced or p.review):
        lines.append("Lời văn: đã chép nguyên; không có con số nào của kỳ trước cần sửa.")
    return "\n".join(lines)


def _new_meta(store: Store, registry: CatalogRegistry, year: int, period: str) -> tuple[Catalog, dict]:
    if not 2000 <= year <= 2100:
        raise ValueError(f"Năm báo cáo {year} không hợp lệ; nhập năm có bốn chữ số, ví dụ {dt.date.today().year}.")
    catalog = registry.latest()
    meta = new_report_meta(catalog, store.get_profile(), year, period)
    existing = find_report(store, meta["unit_name"], year, period)
    if existing:
        raise ReportExists(
            f"Đã có báo cáo {report_label(existing)} (mã {existing['id']}). Mở báo cáo đó, "
            "hoặc xóa nó trước khi tạo báo cáo mới cùng kỳ."
        )
    return catalog, meta


def delete_report(store: Store, report_id: int, backup_dir: Path) -> Path:
    """Back up the whole file first, then delete; no backup means no delete. Returns the backup.
    Here, not in the store, so that the store never imports the backups built on it."""
    from cchc_desktop.storage import backups

    store.get_report(report_id)
    try:
        backup = backups.make_backup(store, Path(backup_dir), reason="truoc-khi-xoa")
    except DataFileDamaged:
        raise  # the damage is what the clerk must hear about; nothing was deleted
    except StoreError as exc:
        raise StoreError("Chưa xoá báo cáo vì không tạo được bản sao lưu trước khi xoá; báo cáo vẫn còn "
                         f"nguyên. Hãy kiểm tra ổ đĩa còn chỗ trống và thư mục “{backup_dir}” ghi được, "
                         "rồi thử xoá lại.", detail=exc.detail or exc.message) from exc
    store.delete_report(report_id, backup)
    return backup

"""Creating, copying and deleting reports; what a new report starts with."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cchc_desktop.errors import CchcError
from cchc_desktop.core.catalog import Catalog, CatalogRegistry
from cchc_desktop.formats.exchange import LIST_KEYS
from cchc_desktop.core.periods import get_period, report_label
from cchc_desktop.core.unit import display_name, same_unit
from cchc_desktop.storage.store import DataFileDamaged, Store, StoreError

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
        "header": header_from_profile(profile),
    }


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
    """A new report with the newest catalog; from a previous report it takes the header
    (recipients, signer, Nơi nhận) and the narratives, and on request the values."""
    if not 2000 <= year <= 2100:
        raise ValueError(f"Năm báo cáo {year} không hợp lệ; nhập năm có bốn chữ số, ví dụ {dt.date.today().year}.")
    catalog = registry.latest()
    profile = store.get_profile()
    meta = new_report_meta(catalog, profile, year, period)
    existing = find_report(store, meta["unit_name"], year, period)
    if existing:
        raise ReportExists(
            f"Đã có báo cáo {report_label(existing)} (mã {existing['id']}). Mở báo cáo đó, "
            "hoặc xóa nó trước khi tạo báo cáo mới cùng kỳ."
        )
    values, narratives = None, None
    if copy_from is not None:
        source = store.get_report(copy_from)
        meta["header"] = {**meta["header"], **{k: source["header"].get(k, meta["header"][k]) for k in HEADER_FROM_PROFILE}}
        narratives = store.get_narratives(copy_from)
        if copy_values:
            values = _values_for(store, copy_from, catalog)
    return store.create_report(meta, values=values, narratives=narratives)


def _values_for(store: Store, report_id: int, catalog: Catalog) -> dict:
    """The source report's typed text, re-read against the new report's catalog (rows the
    new catalog dropped are left behind; text is kept even where it is now invalid)."""
    rows = store.get_values(report_id)
    out = {}
    for ident, row in rows.items():
        ind = catalog.indicators.get(ident)
        if ind is None or not ind.is_input:
            continue
        out[ident] = (row.raw, row.note)
    return out


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

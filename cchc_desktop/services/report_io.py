"""Reports to and from exchange files: the catalog-aware half of import and export
(`exchange` checks the file itself; this checks it against the forms it was filled in)."""

from __future__ import annotations

from pathlib import Path

from cchc_desktop import __version__
from cchc_desktop.core.catalog import Catalog, CatalogRegistry
from cchc_desktop.formats.exchange import (
    FORMAT,
    HEADER_KEYS,
    LIST_KEYS,
    SCHEMA_VERSION,
    UNIT_KEYS,
    ExchangeError,
    write_exchange_file,
)
from cchc_desktop.core.unit import same_unit_as
from cchc_desktop.formats.doc_catalog import catalog_for, check_against_catalog, state_of
from cchc_desktop.services.reports import find_report, report_label, unit_display_name
from cchc_desktop.storage.store import Store


# said after importing a file marked complete: the mark vouched for the figures on the machine
# that made it; here they are checked anew
IMPORTED_AS_DRAFT = ("Tệp ghi báo cáo đã hoàn thành; trên máy này báo cáo ở trạng thái đang soạn. Kiểm tra lại "
                     "rồi đánh dấu hoàn thành")


def is_own_unit(unit: dict, profile: dict | None) -> bool:
    """Whether an exchange file's unit is the data file's own (the profile's): the same
    official code, or without codes on both the same full name. A file naming no unit, or a
    data file whose profile names none yet, is the unit's own."""
    if not (unit.get("name") or "").strip() or not (profile and (profile.get("name") or "").strip()):
        return True
    return same_unit_as(unit, profile)


def import_doc(store: Store, registry: CatalogRegistry, doc: dict) -> int:
    """One new report from a checked document, written in one transaction with the unit
    profile it brings: a refusal, a failure or a kill leaves the database as it was."""
    catalog = catalog_for(doc, registry)
    check_against_catalog(doc, catalog)
    state = state_of(doc, catalog)
    values = {
        ident: (state.raw(ident), doc["notes"].get(ident, ""))
        for ident in doc["values"]
    }
    for ident, note in doc["notes"].items():
        values.setdefault(ident, ("", None, note))
    unit, rep = doc["unit"], doc["report"]
    with store.transaction():
        profile = store.get_profile()
        if (profile is None or not (profile.get("name") or "").strip()) and unit.get("name"):
            # the first report of a unit not named yet: its unit becomes the machine's profile
            # (what the clerk already typed in a nameless profile is kept)
            store.save_profile({k: v for k, v in unit.items() if k in UNIT_KEYS and not (profile or {}).get(k)})
            profile = store.get_profile()
        own = is_own_unit(unit, profile)
        # a report of the data file's own unit is named by the profile; one of another unit
        # (the built-in sample, a neighbour's file) keeps that unit, and is matched only with it
        unit_name = unit_display_name(profile) if own else unit_display_name(unit)
        existing = find_report(store, "" if own else unit_name, rep["year"], rep["period"])
        if existing:
            whose = f" của {unit_name}" if unit_name else ""
            raise ExchangeError(
                f"Đã có báo cáo {report_label(existing)}{whose} (mã {existing['id']}). "
                "Xóa báo cáo đó trước (có sao lưu tự động) nếu muốn thay bằng nội dung trong tệp."
            )
        meta = _import_meta(rep, unit_name, catalog)
        if not own:
            meta["other_unit"] = {k: unit.get(k, [] if k in LIST_KEYS else "") for k in UNIT_KEYS}
        return store.create_report(meta, values=values, narratives=doc["narratives"])


def _import_meta(rep: dict, unit_name: str, catalog: Catalog) -> dict:
    return {
        "unit_name": unit_name,
        "year": rep["year"],
        "period": rep["period"],
        "window_start": rep["window_start"],
        "window_end": rep["window_end"],
        "next_period_label": rep["next_period_label"],
        "catalog_id": catalog.id,
        "catalog_version": catalog.version,
        "status": "draft",
        "header": rep["header"],
    }



def report_to_doc(store: Store, report_id: int) -> dict:
    rep = store.get_report(report_id)
    rows = store.get_values(report_id)
    # the file's own reports carry the unit as its profile is now (the one source of its name,
    # codes and letterhead); a report imported from another unit carries that unit
    profile = rep.get("other_unit") or store.get_profile() or {}
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "app_version": __version__,
        "catalog": {"id": rep["catalog_id"], "version": rep["catalog_version"]},
        "unit": {k: profile.get(k, [] if k in LIST_KEYS else "") for k in UNIT_KEYS},
        "report": {
            "year": rep["year"],
            "period": rep["period"],
            "window_start": rep["window_start"],
            "window_end": rep["window_end"],
            "next_period_label": rep["next_period_label"],
            "status": rep["status"],
            "header": {k: v for k, v in rep["header"].items() if k in HEADER_KEYS},
        },
        "values": {k: r.raw for k, r in rows.items() if r.raw != ""},
        "notes": {k: r.note for k, r in rows.items() if r.note},
        "narratives": store.get_narratives(report_id),
    }


def export_file(store: Store, report_id: int, path: str | Path) -> None:
    write_exchange_file(report_to_doc(store, report_id), path)

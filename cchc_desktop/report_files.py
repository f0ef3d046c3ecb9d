"""Reports to and from exchange files: the catalog-aware half of import and export
(`exchange` checks the file itself; this checks it against the forms it was filled in)."""

from __future__ import annotations

from pathlib import Path

from cchc_desktop import __version__
from cchc_desktop.catalog import Catalog, CatalogError, CatalogRegistry
from cchc_desktop.engine import ReportState, validator_for
from cchc_desktop.exchange import (
    FORMAT,
    HEADER_KEYS,
    LIST_KEYS,
    SCHEMA_VERSION,
    UNIT_KEYS,
    ExchangeError,
    read_exchange_file,
    write_exchange_file,
)
from cchc_desktop.numbers import value_to_storage
from cchc_desktop.reports import find_report, report_label, unit_display_name
from cchc_desktop.store import Store


def catalog_for(doc: dict, registry: CatalogRegistry) -> Catalog:
    try:
        return registry.get(doc["catalog"]["id"], doc["catalog"]["version"])
    except CatalogError as exc:
        raise ExchangeError(str(exc)) from None


def check_against_catalog(doc: dict, catalog: Catalog) -> None:
    """Every id must be a row (or section) of the file's own catalog version, and only typed
    rows may carry values: a derived percentage is computed, never taken from a file."""
    for ident in doc["values"]:
        ind = catalog.indicators.get(ident)
        if ind is None:
            raise ExchangeError(
                f"Tệp có số liệu cho chỉ tiêu “{ident}” nhưng bộ biểu mẫu {catalog.version} không có chỉ tiêu này. "
                "Tệp có thể bị sửa tay hoặc lập theo bộ biểu mẫu khác; kiểm tra lại tệp."
            )
        if not ind.is_input:
            what = "tỷ lệ do chương trình tự tính" if ind.is_derived else "dòng tiêu đề"
            raise ExchangeError(
                f"Tệp có số liệu cho {catalog.row_name(ident)}, là {what}, không được nhập. "
                "Xóa dòng này khỏi tệp rồi nhập lại."
            )
    for ident in doc["notes"]:
        if ident not in catalog.indicators:
            raise ExchangeError(f"Tệp có ghi chú cho chỉ tiêu “{ident}” không có trong bộ biểu mẫu {catalog.version}.")
    for sid in doc["narratives"]:
        section = catalog.sections.get(sid)
        if section is None or not section.holds_text:
            raise ExchangeError(
                f"Tệp có nội dung cho mục “{sid}”, nhưng đề cương báo cáo không có mục này hoặc đó chỉ là tiêu đề. "
                "Chuyển nội dung sang một mục con (ví dụ II.1) hoặc xóa khỏi tệp, rồi nhập lại."
            )


def load_doc(path: str | Path, registry: CatalogRegistry) -> tuple[dict, Catalog]:
    doc = read_exchange_file(path)
    catalog = catalog_for(doc, registry)
    check_against_catalog(doc, catalog)
    return doc, catalog


def state_of(doc: dict, catalog: Catalog) -> ReportState:
    rep = doc["report"]
    return validator_for(catalog).state(doc["values"], doc["notes"], doc["narratives"], rep["header"],
                                        window=(rep.get("window_start"), rep.get("window_end")))


def import_doc(store: Store, registry: CatalogRegistry, doc: dict) -> int:
    """One new report from a checked document, written in one transaction with the unit
    profile it brings: a refusal, a failure or a kill leaves the database as it was."""
    catalog = catalog_for(doc, registry)
    check_against_catalog(doc, catalog)
    state = state_of(doc, catalog)
    values = {
        ident: (state.raw(ident), value_to_storage(state.values.get(ident)), doc["notes"].get(ident, ""))
        for ident in doc["values"]
    }
    for ident, note in doc["notes"].items():
        values.setdefault(ident, ("", None, note))
    unit, rep = doc["unit"], doc["report"]
    with store.transaction():
        profile = store.get_profile()
        unit_name = unit_display_name(unit) or unit_display_name(profile)
        existing = find_report(store, unit_name, rep["year"], rep["period"])
        if existing:
            raise ExchangeError(
                f"Đã có báo cáo {report_label(existing)} của {unit_name} (mã {existing['id']}). "
                "Xóa báo cáo đó trước (có sao lưu tự động) nếu muốn thay bằng nội dung trong tệp."
            )
        if profile is None and unit.get("name"):
            # first report on this machine: its unit becomes the machine's profile
            store.save_profile({k: unit.get(k, [] if k in LIST_KEYS else "") for k in UNIT_KEYS})
        return store.create_report(_import_meta(rep, unit_name, catalog), values=values, narratives=doc["narratives"])


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


def import_file(store: Store, registry: CatalogRegistry, path: str | Path) -> int:
    doc, _ = load_doc(path, registry)
    return import_doc(store, registry, doc)


def report_to_doc(store: Store, report_id: int) -> dict:
    rep = store.get_report(report_id)
    rows = store.get_values(report_id)
    profile = store.get_profile() or {}
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

"""The built-in sample report: xã Bình Phước, 2023 (shared/reference/002), figures from the
catalog's `sample` column, prose and unit from the catalog's sample file
(catalogs/xa-2025.1.sample.toml, `Catalog.sample`).

The sample is opened on the catalog it was written for — the newest built-in catalog that has
a sample file — never on the newest installed one: a province's catalog (without `sample`
values, or with other rows) must not change or empty it."""

from __future__ import annotations

from cchc_desktop import __version__
from cchc_desktop.core.catalog import DEFAULT_CATALOG_ID, Catalog, CatalogError, CatalogRegistry
from cchc_desktop.formats.exchange import FORMAT, SCHEMA_VERSION, dump_exchange, parse_exchange_bytes
from cchc_desktop.core.periods import get_period
from cchc_desktop.services.reports import header_from_profile


def sample_catalog(registry: CatalogRegistry) -> Catalog:
    with_sample = [c for c in registry.builtin() if c.id == DEFAULT_CATALOG_ID and c.sample is not None]
    if not with_sample:  # a broken installation: the shipped files are missing or were edited
        problems = registry.problems_message()
        raise CatalogError("Không tìm thấy báo cáo mẫu dựng sẵn (tệp .sample.toml cạnh bộ biểu mẫu gốc của chương "
                           "trình). Hãy cài đặt lại CCHC Desktop." + (f"\n{problems}" if problems else ""))
    return with_sample[-1]


def sample_doc(registry: CatalogRegistry | None = None) -> dict:
    """The sample as an exchange document (the same shape an exported report has)."""
    catalog = sample_catalog(registry or CatalogRegistry())
    sample = catalog.sample
    unit, rep = sample.unit, sample.report
    header = {**header_from_profile(unit), "number": rep.get("number", ""), "date": rep.get("date", "")}
    doc = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "app_version": __version__,
        "catalog": {"id": catalog.id, "version": catalog.version},
        "unit": unit,
        "report": {
            "year": rep["year"],
            "period": rep["period"],
            "window_start": rep["window_start"],
            "window_end": rep["window_end"],
            "next_period_label": get_period(rep["period"]).next_period_label(rep["year"]),
            "status": "draft",
            "header": header,
        },
        "values": {i.id: i.sample for i in catalog.indicators.values() if i.is_input and i.sample is not None},
        "notes": {},
        "narratives": {k: v.strip("\n") for k, v in sample.narratives.items()},
    }
    # through the same checks an imported file gets: the sample must be a valid file
    return parse_exchange_bytes(dump_exchange(doc))

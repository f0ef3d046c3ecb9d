"""The built-in sample report: xã Bình Phước, 2023 (shared/reference/002), figures from the
catalog's `sample` column, prose from data/sample_report.toml."""

from __future__ import annotations


from cchc_desktop import __version__
from cchc_desktop.core.catalog import CatalogRegistry, tomllib
from cchc_desktop.formats.exchange import FORMAT, SCHEMA_VERSION, dump_exchange, parse_exchange_bytes
from cchc_desktop.core.periods import get_period
from cchc_desktop.system.shipped import find
from cchc_desktop.services.reports import header_from_profile

SAMPLE_DATA = find("data", "sample_report.toml")


def sample_doc(registry: CatalogRegistry | None = None) -> dict:
    """The sample as an exchange document (the same shape an exported report has)."""
    catalog = (registry or CatalogRegistry()).latest()
    data = tomllib.loads(SAMPLE_DATA.read_text(encoding="utf-8"))
    unit, rep = data["unit"], data["report"]
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
        "narratives": {k: v.strip("\n") for k, v in data["narratives"].items()},
    }
    # through the same checks an imported file gets: the sample must be a valid file
    return parse_exchange_bytes(dump_exchange(doc))

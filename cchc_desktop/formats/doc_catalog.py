"""An exchange document read against the catalog version it was filled in: which catalog, whether
every id is one of its rows or sections, and the report's state (values, issues, percentages).
`exchange` checks the file itself; this checks it against its forms. No storage: the printed view
and the import both start here."""

from __future__ import annotations

from pathlib import Path

from cchc_desktop.core.catalog import Catalog, CatalogError, CatalogRegistry
from cchc_desktop.core.engine import ReportState, validator_for
from cchc_desktop.formats.exchange import ExchangeError, read_exchange_file


def catalog_for(doc: dict, registry: CatalogRegistry) -> Catalog:
    try:
        return registry.get(doc["catalog"]["id"], doc["catalog"]["version"])
    except CatalogError as exc:
        raise ExchangeError(str(exc)) from None


def check_against_catalog(doc: dict, catalog: Catalog) -> None:
    """Every id must be a row (or section) of the file's own catalog version, and only typed
    rows may carry values: a derived percentage is computed, never taken from a file."""
    if (doc["values"].keys() <= catalog.input_ids and doc["notes"].keys() <= catalog.indicators.keys()
            and doc["narratives"].keys() <= catalog.text_section_ids):
        return  # nearly every file, checked at once; else the first id at fault is named below
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


def read_doc(path: str | Path, *, prose: bool = True) -> dict:
    """The exchange document of a file the program wrote: an exchange file (.json), or the Excel
    appendix (.xlsx), which carries it (formats/appendix_data) — refused, with the cells that
    differ, when its figures were edited after it was exported. `prose=False`: its narratives
    checked but blank (exchange.parse_exchange_bytes)."""
    if Path(path).suffix.lower() == ".xlsx":
        from cchc_desktop.formats.appendix_data import AppendixError, read_appendix

        data = read_appendix(Path(path))
        if data.differences:
            raise AppendixError(data.differences_text() + " Xin xã gửi lại phụ lục xuất từ chương trình.")
        return data.doc if prose else data.doc | {"narratives": dict.fromkeys(data.doc["narratives"], "")}
    return read_exchange_file(path, prose=prose)


def load_doc(path: str | Path, registry: CatalogRegistry) -> tuple[dict, Catalog]:
    doc = read_doc(path)
    catalog = catalog_for(doc, registry)
    check_against_catalog(doc, catalog)
    return doc, catalog


def state_of(doc: dict, catalog: Catalog, *, prose: bool = True) -> ReportState:
    rep = doc["report"]
    return validator_for(catalog).state(doc["values"], doc["notes"], doc["narratives"], rep["header"],
                                        window=(rep.get("window_start"), rep.get("window_end")), prose=prose)

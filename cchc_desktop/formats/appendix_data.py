"""The Excel appendix carries the report's data too: one file holds the paper and the data.

The commune sends the Word report and the Excel appendix; a third file (the exchange JSON) is one
too many. So the appendix holds, in a very hidden sheet, the exchange document the figures were
printed from, where each figure sits in the visible sheet, and what was written there. `import`
and the province's roll-up read the same .xlsx the province receives; a workbook whose visible
figures were edited after export is detected and reported cell by cell — trusted neither way
silently: the reader decides, knowing which cells differ.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from cchc_desktop.core.limits import printable
from cchc_desktop.errors import CchcError
from cchc_desktop.formats.exchange import ExchangeError, dump_exchange, parse_exchange_bytes
from cchc_desktop.formats.xlsx_cells import put_text
from cchc_desktop.formats.xlsx_guard import UntrustedWorkbook, check_workbook_bytes

DATA_SHEET = "cchc_data"
FORMAT = "cchc-appendix-data"
VERSION = 1
CHUNK = 30_000  # below Excel's 32,767 characters per cell
MAX_APPENDIX_BYTES = 20 * 1024 * 1024


class AppendixError(CchcError):
    pass


def canonical(value) -> str:
    """A figure as compared: 1097, 1005.8, the code of a flag, text as typed (a draft's invalid
    cell). Excel may store 12 as 12.0 after an edit and save: still 12."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, float, Decimal)):
        d = Decimal(str(value))
        return format(d.normalize(), "f") if d != d.to_integral() else str(int(d))
    return str(value)


def _figures_hash(figures: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(sorted(figures.items()), ensure_ascii=False).encode("utf-8")).hexdigest()


def _printable(value):
    """The document as the paper prints it: data saved before today's limits (or by another
    tool) may hold control characters the exchange format refuses; the Word and Excel files
    drop them at write time, and so does the data riding along."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {k: _printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable(v) for v in value]
    return value


def embed(wb, sheet, doc: dict, refs: dict[str, str], ids: list[str],
          copies: dict[str, dict[str, str]] | None = None) -> None:
    """Into workbook `wb`: the exchange document, and for each of `ids` its cell in `sheet`
    and the figure written there (read back from the sheet: what the eye sees is what is hashed).
    `copies`: other sheets showing the same figures (the appendix's one sheet per form), sheet
    title -> {id: cell}; their cells are recorded and checked against the same figures."""
    figures = {i: canonical(sheet[refs[i]].value) for i in ids}
    payload = {
        "format": FORMAT, "version": VERSION, "sheet": sheet.title,
        "cells": {i: refs[i] for i in ids}, "figures": figures, "figures_sha256": _figures_hash(figures),
        "copies": {title: dict(cells) for title, cells in (copies or {}).items()},
        "exchange": json.loads(dump_exchange(_printable(doc))),
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    ws = wb.create_sheet(DATA_SHEET)
    for n, start in enumerate(range(0, len(text), CHUNK), start=1):
        put_text(ws.cell(n, 1), text[start:start + CHUNK])  # JSON escapes its controls: nothing dropped
    ws.sheet_state = "veryHidden"  # not in Excel's "Unhide" list: a clerk cannot edit it by accident


@dataclass(frozen=True)
class Difference:
    ident: str
    cell: str  # "D24"
    shown: str  # what the visible sheet holds now
    recorded: str  # what the program wrote there


@dataclass(frozen=True)
class AppendixData:
    doc: dict  # the exchange document, checked like an imported .json
    differences: tuple[Difference, ...]

    def differences_text(self, catalog=None) -> str:
        if not self.differences:
            return ""
        lines = [f"Bảng tính đã bị sửa sau khi xuất: {len(self.differences)} ô số liệu khác với dữ liệu đi kèm."]
        for d in self.differences[:20]:
            row = catalog.row_name(d.ident) if catalog is not None and d.ident in catalog.indicators else d.ident
            lines.append(f"• Ô {d.cell} ({row}): bảng tính ghi “{d.shown or 'trống'}”, dữ liệu ghi “{d.recorded or 'trống'}”")
        if len(self.differences) > 20:
            lines.append(f"• và {len(self.differences) - 20} ô khác")
        return "\n".join(lines)


def read_appendix(path: Path) -> AppendixData:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise AppendixError(f"Không đọc được tệp {Path(path).name}: {exc.strerror or exc}.") from None
    try:
        check_workbook_bytes(data, MAX_APPENDIX_BYTES, "phụ lục")
    except UntrustedWorkbook as exc:
        raise AppendixError(str(exc)) from None
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise AppendixError(f"Không đọc được bảng tính {Path(path).name}: {exc}.") from None
    if DATA_SHEET not in wb.sheetnames:
        raise AppendixError(f"Tệp {Path(path).name} không mang dữ liệu báo cáo: chỉ phụ lục Excel do CCHC Desktop "
                            "xuất mới đọc lại được. Xin xã gửi lại phụ lục xuất từ chương trình, hoặc tệp .json.")
    text = "".join(str(r[0]) for r in wb[DATA_SHEET].iter_rows(max_col=1, values_only=True) if r and r[0] is not None)
    try:
        payload = json.loads(text)
        assert payload["format"] == FORMAT and isinstance(payload["cells"], dict) and isinstance(payload["figures"], dict)
    except (ValueError, KeyError, TypeError, AssertionError):
        raise AppendixError(f"Dữ liệu đi kèm trong {Path(path).name} bị hỏng. Xin xã xuất lại phụ lục.") from None
    if payload.get("version", 0) > VERSION:
        raise AppendixError(f"Phụ lục {Path(path).name} do phiên bản CCHC Desktop mới hơn xuất. Hãy cập nhật chương trình.")
    try:
        doc = parse_exchange_bytes(json.dumps(payload["exchange"], ensure_ascii=False).encode("utf-8"))
    except ExchangeError as exc:
        raise AppendixError(f"Dữ liệu đi kèm trong {Path(path).name}: {exc}") from None
    if _figures_hash(payload["figures"]) != payload.get("figures_sha256"):
        raise AppendixError(f"Dữ liệu đi kèm trong {Path(path).name} đã bị sửa tay. Xin xã xuất lại phụ lục.")
    sheet_name = payload.get("sheet")
    if sheet_name not in wb.sheetnames:
        raise AppendixError(f"Phụ lục {Path(path).name} thiếu trang “{sheet_name}”. Xin xã xuất lại phụ lục.")
    ws = wb[sheet_name]
    diffs = []
    for ident, ref in payload["cells"].items():
        shown, recorded = canonical(ws[ref].value), payload["figures"].get(ident, "")
        if shown != recorded:
            diffs.append(Difference(ident, ref, shown, recorded))
    copies = payload.get("copies") or {}  # files written before the sheets per form have none
    if not isinstance(copies, dict) or not all(isinstance(c, dict) for c in copies.values()):
        raise AppendixError(f"Dữ liệu đi kèm trong {Path(path).name} bị hỏng. Xin xã xuất lại phụ lục.")
    for title, cells in copies.items():
        if title not in wb.sheetnames:
            raise AppendixError(f"Phụ lục {Path(path).name} thiếu trang “{title}”. Xin xã xuất lại phụ lục.")
        copy = wb[title]
        for ident, ref in cells.items():
            shown, recorded = canonical(copy[ref].value), payload["figures"].get(ident, "")
            if shown != recorded:
                diffs.append(Difference(ident, f"{ref} trang “{title}”", shown, recorded))
    return AppendixData(doc, tuple(diffs))

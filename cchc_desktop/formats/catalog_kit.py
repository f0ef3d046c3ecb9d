"""The province kit: a forms catalog as an Excel workbook the Sở Nội vụ edits, and back.

The people who define forms at a Sở Nội vụ work in Excel, not TOML (the lesson of XLSForm for
ODK): `write_kit` lays a catalog out as sheets — identity, rows, rules, outline, forms, tabs and
a short Vietnamese guide — and `read_kit` turns an edited workbook back into the catalog's data,
reporting every problem by sheet, row and column. The catalog loader then checks the result as it
checks any catalog file (duplicate or unknown ids, cycles, messages naming missing rows…), and
`build_catalog` maps its complaint back to the sheet row that holds the id.

A kit arrives by e-mail or USB stick: it is read as an untrusted file (size and zip-bomb limits
before openpyxl sees it; openpyxl parses with defusedxml, which refuses entity tricks).
"""

from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cchc_desktop.core.catalog import DEADLINE_PREFIX, Catalog, CatalogError, load_catalog
from cchc_desktop.core.periods import DEADLINE_DAY, PERIODS
from cchc_desktop.errors import CchcError
from cchc_desktop.formats.xlsx_cells import put
from cchc_desktop.formats.xlsx_guard import UntrustedWorkbook, check_workbook_bytes

MAX_KIT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


class KitError(CchcError):
    pass


@dataclass(frozen=True)
class Column:
    key: str  # the catalog file's key
    header: str  # the sheet's column heading (Vietnamese)
    type: str = "str"  # str | int | strlist | intlist | codes
    required: bool = False


@dataclass(frozen=True)
class Sheet:
    key: str  # the catalog file's table ("indicators") or "catalog" for the identity
    title: str
    columns: tuple[Column, ...]
    width: tuple[int, ...] = ()


IDENTITY = Sheet("catalog", "Thông tin", (
    Column("id", "Mã bộ biểu mẫu", required=True),
    Column("version", "Phiên bản", required=True),
    Column("title", "Tên bộ biểu mẫu", required=True),
    Column("appendix_title", "Tiêu đề phụ lục", required=True),
    Column("province", "Tỉnh"),
    Column("recipients", "Kính gửi mặc định", "strlist"),
    *(Column(f"{DEADLINE_PREFIX}{code}", f"Hạn gửi {p.label} (ngày)", "int") for code, p in PERIODS.items()),
))
TABLES = (
    Sheet("indicators", "Chỉ tiêu", (
        Column("id", "Mã chỉ tiêu", required=True), Column("label", "Tên chỉ tiêu", required=True),
        Column("unit", "Đơn vị tính"), Column("kind", "Loại", required=True), Column("formula", "Công thức"),
        Column("codes", "Mã lựa chọn", "codes"), Column("sample", "Số liệu mẫu"), Column("carry", "Chuyển kỳ"),
    ), (16, 70, 18, 10, 30, 22, 12, 14)),
    Sheet("rules", "Quy tắc", (
        Column("id", "Mã quy tắc", required=True), Column("severity", "Mức", required=True),
        Column("type", "Kiểu"), Column("check", "Điều kiện", required=True), Column("when", "Chỉ khi"),
        Column("blanks", "Ô trống"), Column("message", "Thông báo", required=True),
    ), (16, 6, 8, 40, 20, 8, 90)),
    Sheet("sections", "Đề cương", (
        Column("id", "Mã mục", required=True), Column("number", "Số mục"), Column("title", "Tên mục", required=True),
    ), (12, 8, 80)),
    Sheet("forms", "Biểu mẫu", (
        Column("number", "Số biểu mẫu", "int", required=True), Column("title", "Tên biểu mẫu", required=True),
        Column("section", "Thuộc mục", required=True),
    ), (12, 60, 12)),
    Sheet("tabs", "Thẻ", (
        Column("id", "Mã thẻ", required=True), Column("title", "Tên thẻ", required=True),
        Column("sections", "Các mục", "strlist"), Column("forms", "Các biểu mẫu", "intlist"),
    ), (18, 40, 30, 14)),
)
GUIDE_TITLE = "Hướng dẫn"
GUIDE = (
    "Bộ biểu mẫu CCHC cấp xã của tỉnh — hướng dẫn sửa trong Excel",
    "",
    "1. Trang “Thông tin”: đặt Phiên bản mới (ví dụ 2026.1) mỗi khi sửa; báo cáo cũ giữ phiên bản của nó.",
    "   Tỉnh: tên tỉnh ban hành bộ mẫu. Kính gửi mặc định: các nơi nhận báo cáo, cách nhau bằng dấu chấm phẩy (báo",
    f"   cáo mới lấy khi đơn vị chưa ghi Kính gửi). Hạn gửi (ngày): ngày của tháng cuối kỳ, từ 1 đến {DEADLINE_DAY};",
    f"   để trống là ngày {DEADLINE_DAY} theo hướng dẫn của Bộ (tỉnh chỉ đặt được hạn sớm hơn).",
    "2. Trang “Chỉ tiêu”: mỗi dòng một chỉ tiêu. Không đổi Mã chỉ tiêu đã có (tệp trao đổi và quy tắc dùng mã).",
    "   STT in trên biểu mẫu là mã bỏ phần “bm<số biểu mẫu>.”: mỗi biểu mẫu đánh số từ 1 (bm3.3.2.1 in “3.2.1” ở",
    "   Biểu mẫu 3, bm4.3 in “3” ở Biểu mẫu 4).",
    "   Loại: heading (tiêu đề), count (số đếm), money (số tiền), flag (Có/Không), choice (lựa chọn), percent (tỷ lệ tự tính).",
    "   Công thức (chỉ cho percent): tử số / mẫu số, ví dụ bm1.2.2 / bm1.2.1.",
    "   Mã lựa chọn (flag, choice): 1=Có; 0=Không.",
    "   Chuyển kỳ (chỉ cho dòng nhập số liệu) — khi lập báo cáo kỳ mới chép từ kỳ trước: stock = chép nguyên số kỳ trước",
    "   (số thủ tục, biên chế, số đơn vị… còn đến cuối kỳ); flow hoặc để trống = để trống, nhập số phát sinh trong kỳ",
    "   (hồ sơ tiếp nhận, văn bản ban hành…); mã một dòng khác, ví dụ bm3.3.3 = lấy số kỳ trước của dòng đó",
    "   (Số hồ sơ kỳ trước chuyển sang lấy Số hồ sơ đang giải quyết của kỳ trước).",
    "3. Trang “Quy tắc”: Mức E (lỗi) hoặc W (cảnh báo); Điều kiện như bm3.3.1 = bm3.3.2 + bm3.3.3;",
    "   Thông báo bằng tiếng Việt, {left} và {right} là hai vế. Số dòng ghi bằng mã, không gõ tay (chương trình in",
    "   ra STT, luôn khớp biểu mẫu): {stt:bm3.3.1} in “3.1” (một dòng cùng biểu mẫu với quy tắc), {row:bm4.2.2} in",
    "   “Biểu mẫu 4, dòng 2.2”; ví dụ: tổng các dòng {stt:bm5.5.1} đến {stt:bm5.5.4} khác {row:bm4.3}.",
    "4. Trang “Đề cương”, “Biểu mẫu”, “Thẻ”: thứ tự dòng là thứ tự trong báo cáo và trên màn hình.",
    "   Nhiều mục hoặc biểu mẫu trong một ô: cách nhau bằng dấu chấm phẩy.",
    "5. Xong: cchc-desktop catalog build TỆP.xlsx --out TỆP.toml, rồi cài tệp .toml vào chương trình.",
)


# ---------------------------------------------------------------- writing

def _cell_text(value, type_: str):
    if value is None:
        return None
    if type_ == "codes":
        return "; ".join(f"{k}={v}" for k, v in value.items())
    if type_ in ("strlist", "intlist"):
        return "; ".join(str(v) for v in value)
    return value


def write_kit(raw: dict, path: Path) -> None:
    """`raw` is a catalog file's data (tomllib's dict). A key the kit has no column for is
    refused rather than dropped: a kit must carry the whole catalog back."""
    for sheet in (IDENTITY, *TABLES):
        known = {c.key for c in sheet.columns}
        rows = [raw.get("catalog", {})] if sheet is IDENTITY else raw.get(sheet.key, [])
        extra = sorted({k for row in rows for k in row} - known)
        if extra:
            raise KitError(f"Bộ biểu mẫu có trường “{extra[0]}” ở phần {sheet.key} mà bảng tính chưa có cột; "
                           "cần cập nhật chương trình.")
    unknown_tables = sorted(set(raw) - {"catalog"} - {s.key for s in TABLES})
    if unknown_tables:
        raise KitError(f"Bộ biểu mẫu có phần “{unknown_tables[0]}” mà bảng tính chưa có trang; cần cập nhật chương trình.")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_TITLE
    for n, line in enumerate(GUIDE, start=1):
        guide.cell(n, 1, line).font = Font(bold=n == 1)
    guide.column_dimensions["A"].width = 120
    ident = wb.create_sheet(IDENTITY.title)
    for n, col in enumerate(IDENTITY.columns, start=1):
        ident.cell(n, 1, col.header).font = Font(bold=True)
        put(ident, n, 2, _cell_text(raw["catalog"].get(col.key), col.type))
    ident.column_dimensions["A"].width, ident.column_dimensions["B"].width = 22, 80
    for sheet in TABLES:
        ws = wb.create_sheet(sheet.title)
        for c, col in enumerate(sheet.columns, start=1):
            ws.cell(1, c, col.header).font = Font(bold=True)
            if c <= len(sheet.width):
                ws.column_dimensions[ws.cell(1, c).column_letter].width = sheet.width[c - 1]
        for r, row in enumerate(raw.get(sheet.key, []), start=2):
            for c, col in enumerate(sheet.columns, start=1):
                value = _cell_text(row.get(col.key), col.type)
                cell = put(ws, r, c, value)
                cell.alignment = Alignment(wrap_text=col.key in ("label", "message", "title"), vertical="top")
        ws.freeze_panes = "A2"
    wb.save(path)


# ---------------------------------------------------------------- reading

def _where(sheet: str, row: int, col: int | None = None) -> str:
    from openpyxl.utils import get_column_letter

    return f"Trang “{sheet}”, dòng {row}" + (f", cột {get_column_letter(col)}" if col else "")


def _parse_cell(value, col: Column, where: str):
    if value is None or (isinstance(value, str) and not value.strip()):
        if col.required:
            raise KitError(f"{where} ({col.header}): ô này không được để trống.")
        return None
    if col.type == "int":
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, float) and value.is_integer())
                                           or (isinstance(value, str) and value.strip().isdigit())):
            raise KitError(f"{where} ({col.header}): cần một số nguyên, ô đang ghi “{value}”.")
        return int(float(value)) if not isinstance(value, str) else int(value.strip())
    text = str(value).strip() if not isinstance(value, str) else value.strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if col.type == "strlist":
        return [x.strip() for x in text.split(";") if x.strip()]
    if col.type == "intlist":
        out = []
        for x in (x.strip() for x in text.split(";") if x.strip()):
            if not x.isdigit():
                raise KitError(f"{where} ({col.header}): “{x}” không phải số biểu mẫu; ghi các số cách nhau bằng dấu chấm phẩy.")
            out.append(int(x))
        return out
    if col.type == "codes":
        codes = {}
        for part in (p.strip() for p in text.split(";") if p.strip()):
            key, eq, label = part.partition("=")
            if not eq or not key.strip().isdigit() or not label.strip():
                raise KitError(f"{where} ({col.header}): “{part}” phải có dạng mã=nhãn, ví dụ 1=Có; 0=Không.")
            codes[key.strip()] = label.strip()
        return codes
    return text


@dataclass
class KitData:
    raw: dict
    places: dict[tuple[str, str], str]  # (table, id) -> "Trang “Chỉ tiêu”, dòng 12"


def read_kit(path: Path) -> KitData:
    data = Path(path).read_bytes()
    try:
        check_workbook_bytes(data, MAX_KIT_BYTES, "bộ biểu mẫu")
    except UntrustedWorkbook as exc:
        raise KitError(str(exc)) from None
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise KitError(f"Không đọc được bảng tính: {exc}. Lưu lại tệp bằng Excel dạng .xlsx rồi thử lại.") from None
    names = set(wb.sheetnames)
    for sheet in (IDENTITY, *TABLES):
        if sheet.title not in names:
            raise KitError(f"Bảng tính thiếu trang “{sheet.title}”. Xuất lại bộ mẫu bằng "
                           "cchc-desktop catalog export-xlsx rồi sửa trên bản đó.")
    raw: dict = {"catalog": {}}
    places: dict[tuple[str, str], str] = {}
    ident = {str(r[0]).strip(): r[1] for r in wb[IDENTITY.title].iter_rows(max_col=2, values_only=True) if r and r[0]}
    for n, col in enumerate(IDENTITY.columns, start=1):
        value = _parse_cell(ident.get(col.header), col, _where(IDENTITY.title, n, 2))
        if value is not None:
            raw["catalog"][col.key] = value
    for sheet in TABLES:
        rows = wb[sheet.title].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        index = {}
        for col in sheet.columns:
            if col.header not in header:
                if col.required:
                    raise KitError(f"Trang “{sheet.title}” thiếu cột “{col.header}” ở dòng 1.")
                continue
            index[col.key] = header.index(col.header)
        unknown = [h for h in header if h and h not in {c.header for c in sheet.columns}]
        if unknown:
            raise KitError(f"Trang “{sheet.title}”, dòng 1: cột “{unknown[0]}” không có trong bộ mẫu. "
                           f"Các cột được dùng: {', '.join(c.header for c in sheet.columns)}.")
        out = []
        for r, values in enumerate(rows, start=2):
            if r > MAX_ROWS:
                raise KitError(f"Trang “{sheet.title}” có hơn {MAX_ROWS} dòng; đây không giống một bộ biểu mẫu.")
            if not values or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            row = {}
            for col in sheet.columns:
                if col.key not in index:
                    continue
                c = index[col.key]
                value = _parse_cell(values[c] if c < len(values) else None, col, _where(sheet.title, r, c + 1))
                if value is not None:
                    row[col.key] = value
            key = str(row.get("id", row.get("number", "")))
            places[(sheet.key, key)] = _where(sheet.title, r)
            out.append(row)
        raw[sheet.key] = out
    wb.close()
    return KitData(raw, places)


# ---------------------------------------------------------------- TOML out

def _toml_str(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    out = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", lambda m: f"\\u{ord(m.group(0)):04x}", out)
    return f'"{out}"'


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return _toml_str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_str(str(k))} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def dump_catalog_toml(raw: dict) -> str:
    lines = ["# Bộ biểu mẫu dựng từ bảng tính (cchc-desktop catalog build). Mã chỉ tiêu là giao diện: không đổi.", ""]
    lines.append("[catalog]")
    lines += [f"{k} = {_toml_value(v)}" for k, v in raw["catalog"].items()]
    for sheet in TABLES:
        for row in raw.get(sheet.key, []):
            lines += ["", f"[[{sheet.key}]]"]
            lines += [f"{k} = {_toml_value(v)}" for k, v in row.items()]
    return "\n".join(lines) + "\n"


def catalog_from_kit(kit_path: Path) -> tuple[str, Catalog]:
    """Workbook → the catalog file's text and the catalog the loader makes of it; a problem is
    a KitError naming the sheet row. Nothing is written."""
    kit = read_kit(kit_path)
    text = dump_catalog_toml(kit.raw)
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "kit.toml"
        probe.write_text(text, "utf-8")
        try:
            return text, load_catalog(probe)
        except CatalogError as exc:
            raise KitError(_placed(str(exc), kit)) from None


def build_catalog(kit_path: Path, out: Path) -> Path:
    """Workbook → catalog file, checked by the loader before anything is written."""
    text, _ = catalog_from_kit(kit_path)
    from cchc_desktop.system.atomic import AtomicWriteError, why_not_written, write_atomically

    try:
        return write_atomically(Path(out), lambda tmp: tmp.write_text(text, "utf-8"))
    except AtomicWriteError as exc:
        raise KitError(f"Không ghi được tệp {out}: {why_not_written(exc.cause)}.") from None


def _placed(message: str, kit: KitData) -> str:
    """The loader names ids; the person at the Sở needs the sheet row that holds the id (and
    not the name of the temporary file the workbook was checked as)."""
    message = re.sub(r"\s*\(tệp [^)]*kit\.toml[^)]*\)", "", message).replace(str(Path(tempfile.gettempdir())), "")
    message = re.sub(r"^Tệp bộ biểu mẫu kit\.toml:\s*", "", message)
    for (table, key), where in kit.places.items():
        if key and (f"“{key}”" in message or f'"{key}"' in message):
            return f"{where}: {message}"
    # a row named without quotes ("chỉ tiêu bm4.3: loại …"): the one named first
    named = [(m.start(), where) for (table, key), where in kit.places.items() if key
             for m in [re.search(rf"(?<![\w.]){re.escape(key)}(?![\w.#])", message)] if m]
    return f"{min(named)[1]}: {message}" if named else message

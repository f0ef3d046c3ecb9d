"""The report exchange file: one report as JSON, read safely and written atomically.

Files arrive by USB stick, Zalo and e-mail, some are edited by hand or written by other tools, so nothing in
them is trusted: size, encoding, nesting and every field's type are checked before anything else sees the
document, and each refusal tells the clerk, in Vietnamese, which field is wrong and what to do. Ids are only
checked for shape here; whether they exist in the forms catalog is the importer's business. No Qt here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import unicodedata
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from cchc_desktop.errors import CchcError
from cchc_desktop.core import limits
from cchc_desktop.core.ids import INDICATOR_ID, INDICATOR_ID_SHAPE, SECTION_ID, SECTION_ID_SHAPE
from cchc_desktop.core.limits import MAX_ENTRIES, MAX_LIST_LINES as MAX_LIST
from cchc_desktop.core.numbers import format_count
from cchc_desktop.core.periods import PERIODS
from cchc_desktop.core.vocabulary import DATE_TEXTS, STATUS_LABELS, UNIT_CODE_FIELDS, UNIT_FIELDS as UNIT_KEYS
from cchc_desktop.system.atomic import AtomicWriteError, write_atomically

__all__ = ["FORMAT", "SCHEMA_VERSION", "MAX_BYTES", "MAX_DEPTH", "MAX_LIST", "MAX_ENTRIES", "INDICATOR_ID",
           "SECTION_ID", "ExchangeError", "parse_exchange_bytes", "read_exchange_file", "dump_exchange",
           "write_exchange_file"]

FORMAT = "cchc-desktop/report"
# 2: the unit's official codes, unit.code and unit.province_code (a version 1 file is read as
# one with those codes blank: see MIGRATIONS)
SCHEMA_VERSION = 2
MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 6  # a valid file nests 4 deep: document › report › header › recipients
# Text lengths, list lines, entries per map and the characters refused are the window's own
# (cchc_desktop.core.limits), so a report the clerk could type is always a file we can write and read.

TOP_KEYS = ("format", "schema_version", "app_version", "catalog", "unit", "report", "values", "notes", "narratives")
CATALOG_KEYS = ("id", "version")
REPORT_KEYS = ("year", "period", "window_start", "window_end", "next_period_label", "status", "header")
# the *_text fields hold a date the clerk typed that is not a date yet: kept, never dropped
TEXT_KEYS = tuple(DATE_TEXTS)
HEADER_KEYS = ("number", "date", "recipients", "cc", "signer_name", "signer_title", "signing_authority",
               "authority_line", *TEXT_KEYS)
LIST_KEYS = frozenset({"recipients", "cc"})
# the digits of an official code (danh mục đơn vị hành chính: "00004", "01"); blank for a unit
# typed freely
_CODE = re.compile(r"[0-9]{1,10}")


def _from_v1(raw: dict) -> dict:
    """Version 1 had no codes: its unit is a unit typed freely, with blank codes."""
    unit = raw.get("unit")
    if isinstance(unit, dict):
        for key in UNIT_CODE_FIELDS:
            if key in unit:  # a version 1 file has no such field: said, not silently kept
                raise ExchangeError(f"Tệp ghi cấu trúc phiên bản 1 nhưng có trường “unit › {key}”, vốn chỉ có từ "
                                    f"phiên bản 2. Hãy sửa “schema_version” thành 2 hoặc xuất lại tệp từ CCHC Desktop.")
        raw = raw | {"unit": unit | {key: "" for key in UNIT_CODE_FIELDS}}
    return raw | {"schema_version": 2}


# MIGRATIONS[n] brings a version n+1 document up to version n+2, before any other check; a
# reader of this version reads every older one through them
MIGRATIONS = (_from_v1,)

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # fromisoformat alone would also take 20231031
# A JSON string, escapes honoured, or an unterminated one running to the end of the text.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\Z)', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
# At most this many "[" and "{" in the whole text: parsing it cannot recurse deeper than that
_SAFE_BRACKETS = 200
_BOM = b"\xef\xbb\xbf"
# A refused character (limits.REFUSED_CHAR) in a string of a UTF-8 JSON text comes from one of
# these bytes as itself (a C0 control other than tab and line breaks, DEL; 0xc2 leads a C1 control,
# 0xef U+FFFE/U+FFFF), or from an escape (\u…, \b, \f). `translate` keeps only the suspect bytes
# and the opening brackets (counted for the nesting guard): the table deletes every other one.
_SUSPECT = bytes(b for b in range(256) if b < 0x20 and b not in b"\t\n\r") + b"\x7f\xc2\xef"
_NOT_KEPT = bytes(b for b in range(256) if b not in _SUSPECT + b"[{")
_C1_OR_NONCHARACTER = re.compile(rb"\xc2[\x80-\x9f]|\xef\xbf[\xbe\xbf]")
_ESCAPE_TO_CHECK = re.compile(rb"\\[ubf]")
# True while the document being checked was proved to hold no refused character in any string
# (_no_refused_character). A context variable, not a global: the window reads files in a
# worker thread while the clerk types.
_NO_REFUSED: ContextVar[bool] = ContextVar("no_refused_character", default=False)
# Many ids, one a line: a map's keys checked in one match (_plain_map)
_ID_LINES = {p: re.compile(rf"(?:{p.pattern})(?:\n(?:{p.pattern}))*") for p in (INDICATOR_ID, SECTION_ID)}
# While the document being checked is read without its prose (parse_exchange_bytes(prose=False))
_WITHOUT_PROSE: ContextVar[bool] = ContextVar("without_prose", default=False)

_NOT_OURS = "Tệp này không phải là tệp trao đổi báo cáo của CCHC Desktop"
_CHOOSE = "Hãy chọn tệp .json được xuất từ CCHC Desktop."
_WRITE_FIX = "Hãy chọn thư mục khác (ví dụ Tài liệu hoặc Màn hình) hoặc đặt tên tệp khác rồi lưu lại."
# Python's json messages as Vietnamese hints (3.13 words trailing commas differently).
_JSON_HINTS = (
    ("Illegal trailing comma", "thừa dấu phẩy trước dấu đóng ngoặc"),
    ("Expecting property name", "tên trường phải nằm trong ngoặc kép; có thể thừa dấu phẩy trước “}”"),
    ("Expecting value", "thiếu giá trị, thừa dấu phẩy hoặc có ký tự lạ"),
    ("Expecting ',' delimiter", "thiếu dấu phẩy giữa hai mục"),
    ("Expecting ':' delimiter", "thiếu dấu hai chấm sau tên trường"),
    ("Unterminated string", "chuỗi văn bản chưa có dấu ngoặc kép đóng"),
    ("Invalid control character", "có ký tự xuống dòng hoặc tab nằm trực tiếp trong chuỗi; phải viết \\n, \\t"),
    ("Invalid \\", "dấu “\\” không hợp lệ; muốn viết dấu “\\” phải gõ “\\\\”"),
    ("Extra data", "có nội dung thừa sau khi tệp đã kết thúc"),
)


class ExchangeError(CchcError):
    """A refused exchange file; ``message`` is shown to the clerk as is."""


# ---------------------------------------------------------------- bytes → document

def parse_exchange_bytes(data: bytes, *, prose: bool = True) -> dict:
    """Check an exchange file's bytes completely; return the normalised document, defaults filled.
    `prose=False`: the narratives are checked as always (a file is refused for the same reasons,
    with the same message) but returned blank, their section ids kept — a province's roll-up sums
    the forms of thousands of files and never shows their prose."""
    if len(data) > MAX_BYTES:
        raise ExchangeError(f"Tệp quá lớn (hơn {MAX_BYTES // 2**20} MB). {_NOT_OURS}. {_CHOOSE}")
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExchangeError("Tệp được lưu dạng UTF-16, không phải UTF-8. Hãy mở tệp bằng trình soạn thảo và lưu lại "
                            "với bảng mã UTF-8, hoặc xuất lại từ CCHC Desktop.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ExchangeError(f"{_NOT_OURS} (nội dung không phải văn bản UTF-8). {_CHOOSE}") from None
    stripped = text.lstrip(" \t\r\n")
    if not stripped:
        raise ExchangeError(f"Tệp rỗng, không có nội dung. {_CHOOSE}")
    if not stripped.startswith("{"):
        raise ExchangeError(f"{_NOT_OURS} (tệp trao đổi là JSON, bắt đầu bằng dấu “{{”). {_CHOOSE}")
    # The json module recurses once per bracket: "[" * 100000 must be stopped before it gets there
    # (a C stack is not Python's recursion limit). A text with few brackets in all, strings
    # included — every file the program writes — cannot nest deeply enough to matter, and is
    # measured after parsing instead, only if it is refused: a document _check_document accepts
    # nests 4 deep at most (every container must be where the layout has one), and the exact
    # scan costs a roll-up more than the parse itself.
    kept = data.translate(None, _NOT_KEPT)  # ASCII bytes are only ever themselves in UTF-8
    shallow = kept.count(b"[") + kept.count(b"{") <= _SAFE_BRACKETS
    if not shallow and _max_depth(text) > MAX_DEPTH:
        raise _too_deep()
    try:
        raw = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise ExchangeError(_json_message(exc, text)) from None
    except (ValueError, RecursionError):
        raise ExchangeError(f"Tệp bị hỏng, không đọc được nội dung JSON. {_CHOOSE}") from None
    tokens = _NO_REFUSED.set(_no_refused_character(data, kept.translate(None, b"[{"))), _WITHOUT_PROSE.set(not prose)
    try:
        return _check_document(raw)
    except ExchangeError:
        if shallow and type(raw) in (dict, list) and _parsed_depth(raw) > MAX_DEPTH:
            raise _too_deep() from None  # as a deep text is
        raise
    finally:
        _NO_REFUSED.reset(tokens[0])
        _WITHOUT_PROSE.reset(tokens[1])


def _no_refused_character(data: bytes, suspect: bytes) -> bool:
    """Whether the bytes prove that no string of the JSON text in them holds a refused character
    — every file the program writes: then no string needs the per-character search. Scanning
    the bytes once costs a roll-up of thousands of files a fraction of searching each string.
    False (each string searched) when unsure.

    Why it holds: strict JSON refuses a raw control character in a string, and one outside the
    strings is whitespace or an error; any other refused character is there as its own bytes,
    among the suspect ones, or as an escape (tests/test_exchange.py compares both ways on
    generated documents). `suspect`: the suspect bytes of `data`, in order."""
    if suspect and (suspect.translate(None, b"\xc2\xef") or _C1_OR_NONCHARACTER.search(data)):
        return False
    return not _ESCAPE_TO_CHECK.search(data)


def _too_deep() -> ExchangeError:
    return ExchangeError(f"Tệp có cấu trúc lồng nhau quá sâu (hơn {MAX_DEPTH} tầng) nên không phải là tệp trao "
                         f"đổi báo cáo hợp lệ. {_CHOOSE}")


def _parsed_depth(value: Any) -> int:
    """The nesting of a parsed document, counted as `_max_depth` counts brackets."""
    # type, not isinstance: json makes plain dicts and lists, and this runs on every value of
    # every file a roll-up reads
    deepest = 0
    for item in value.values() if type(value) is dict else value:
        if type(item) is dict or type(item) is list:
            depth = _parsed_depth(item)
            if depth > deepest:
                deepest = depth
    return deepest + 1


def _max_depth(text: str) -> int:
    running = deepest = 0
    for step in map(_DEPTH_STEP.__getitem__, _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))):
        running += step
        if running > deepest:
            deepest = running
            if deepest > MAX_DEPTH:
                break
    return deepest


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise ExchangeError(f"Trường “{_short(key)}” xuất hiện hai lần trong cùng một đối tượng, không biết nên "
                                f"giữ giá trị nào. Hãy xóa một trong hai rồi mở lại.")
        result[key] = value
    return result


def _no_constant(name: str) -> None:
    raise ExchangeError(f"Tệp có giá trị “{name}”, không phải con số hợp lệ trong tệp trao đổi. Hãy ghi số liệu "
                        f"trong dấu ngoặc kép, đúng như trên biểu mẫu (ví dụ \"1.962\").")


def _bounded_int(digits: str) -> int:
    # Python refuses > 4300 digits with a bare ValueError; say what is wrong instead.
    if len(digits) > 30:
        raise ExchangeError(f"Tệp có một con số dài {len(digits)} chữ số, không thể là số liệu báo cáo. Hãy kiểm "
                            f"tra lại tệp hoặc xuất lại từ CCHC Desktop.")
    return int(digits)


# one decoder for every file, as json.loads keeps one for its defaults (json.loads with hooks
# builds a decoder and its scanner for each call)
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constant, parse_int=_bounded_int)


def _json_message(exc: json.JSONDecodeError, text: str) -> str:
    hint = next((vi for en, vi in _JSON_HINTS if exc.msg.startswith(en)), "sai cú pháp JSON")
    if exc.pos >= len(text.rstrip()):
        hint = "tệp bị cắt cụt giữa chừng, có thể do chép chưa xong"
    return (f"Tệp bị hỏng, không đọc được: lỗi ở dòng {exc.lineno}, cột {exc.colno} ({hint}). Nếu đã sửa tệp "
            f"bằng tay, hãy mở bằng trình soạn thảo và sửa chỗ đó; nếu không, hãy xin lại tệp hoặc xuất lại "
            f"từ máy gốc.")


# ---------------------------------------------------------------- structure and types

def _check_document(raw: Any) -> dict:
    if not isinstance(raw, dict):
        raise ExchangeError(f"{_NOT_OURS} (nội dung phải là một đối tượng {{…}}). {_CHOOSE}")
    if "format" not in raw:
        raise ExchangeError(f"{_NOT_OURS} (thiếu trường “format”). {_CHOOSE}")
    if not isinstance(raw["format"], str) or raw["format"] != FORMAT:
        raise ExchangeError(f"{_NOT_OURS}: trường “format” là {_what(raw['format'])}, phải là “{FORMAT}”. {_CHOOSE}")
    version = _check_schema_version(raw)
    for step in MIGRATIONS[version - 1:]:
        raw = step(raw)
    # Only now: a newer layout may legitimately have keys this version does not know.
    _known_keys(raw, (), TOP_KEYS)
    catalog = _object(_required(raw, (), "catalog"), ("catalog",), CATALOG_KEYS)
    unit = _object(raw.get("unit", {}), ("unit",), UNIT_KEYS)
    report = _object(_required(raw, (), "report"), ("report",), REPORT_KEYS)
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "app_version": _text(raw.get("app_version", ""), ("app_version",)),
        "catalog": {key: _text(_required(catalog, ("catalog",), key), ("catalog", key), blank=False)
                    for key in CATALOG_KEYS},
        "unit": _check_codes(_fields(unit, ("unit",), UNIT_KEYS)),
        "report": _check_report(report),
        "values": _map(_required(raw, (), "values"), "values", INDICATOR_ID, limits.VALUE, numbers=True),
        "notes": _map(raw.get("notes", {}), "notes", INDICATOR_ID, limits.NOTE),
        "narratives": _map(raw.get("narratives", {}), "narratives", SECTION_ID, limits.NARRATIVE),
    }


def _check_schema_version(raw: dict) -> int:
    if "schema_version" not in raw:
        raise ExchangeError("Tệp thiếu trường “schema_version” (phiên bản cấu trúc tệp), nên không biết đọc theo "
                            "cách nào. Hãy xuất lại tệp từ CCHC Desktop.")
    version = raw["schema_version"]
    if not _is_int(version):
        raise ExchangeError(f"Trường “schema_version” phải là số nguyên (ví dụ {SCHEMA_VERSION}, không có ngoặc "
                            f"kép), nhưng lại là {_what(version)}. Hãy sửa trường này rồi mở lại tệp.")
    if version > SCHEMA_VERSION:
        made_by = raw.get("app_version")
        made_by = f" ({_short(made_by)})" if isinstance(made_by, str) and made_by.strip() else ""
        raise ExchangeError(f"Tệp này được tạo bởi CCHC Desktop phiên bản mới hơn{made_by}, dùng cấu trúc tệp phiên "
                            f"bản {version}; chương trình này chỉ đọc được đến phiên bản {SCHEMA_VERSION}. Hãy cập "
                            f"nhật CCHC Desktop lên phiên bản mới nhất rồi mở lại tệp.")
    if version < 1:
        raise ExchangeError(f"Trường “schema_version” là {version}, không phải phiên bản cấu trúc tệp nào của CCHC "
                            f"Desktop (phiên bản đầu tiên là 1). Hãy xuất lại tệp từ CCHC Desktop.")
    return version


def _check_codes(unit: dict) -> dict:
    for key in UNIT_CODE_FIELDS:
        code = unit[key].strip()
        if code and not _CODE.fullmatch(code):
            raise ExchangeError(f"Trường “unit › {key}” là “{_short(code)}”, không phải mã đơn vị hành chính (chỉ gồm "
                                f"chữ số, ví dụ “00004” hoặc “01”). Hãy sửa lại mã, hoặc để trống nếu không biết.")
        unit[key] = code
    return unit


def _check_report(report: dict) -> dict:
    year = _required(report, ("report",), "year")
    if not _is_int(year):
        raise _type_error(("report", "year"), "số nguyên (ví dụ 2023, không có ngoặc kép)", year)
    if not 2000 <= year <= 2100:
        raise ExchangeError(f"Trường “report › year” là {year}, phải là năm từ 2000 đến 2100. Hãy sửa lại năm "
                            f"báo cáo rồi mở lại.")
    code = _text(_required(report, ("report",), "period"), ("report", "period"))
    if code not in PERIODS:
        allowed = ", ".join(f"“{p.code}” ({p.label})" for p in PERIODS.values())
        raise ExchangeError(f"Trường “report › period” là “{_short(code)}”, không phải kỳ báo cáo nào. Hãy dùng "
                            f"một trong: {allowed}.")
    period = PERIODS[code]
    # A missing window or label is the period's own, as the app would have proposed it.
    first, last = period.window(year)
    # a window that ends before it starts is carried, as the window saves it: the rule engine
    # reports it as an error, which keeps the report from being final until it is fixed
    start = _date(report.get("window_start", first.isoformat()), ("report", "window_start"))
    end = _date(report.get("window_end", last.isoformat()), ("report", "window_end"))
    status = _text(report.get("status", "draft"), ("report", "status"))
    if status not in STATUS_LABELS:
        allowed = " hoặc ".join(f"“{k}” ({v})" for k, v in STATUS_LABELS.items())
        raise ExchangeError(f"Trường “report › status” là “{_short(status)}”, phải là {allowed}.")
    header = _fields(_object(report.get("header", {}), ("report", "header"), HEADER_KEYS), ("report", "header"),
                     HEADER_KEYS)
    if header["date"]:
        _date(header["date"], ("report", "header", "date"))
    for key in TEXT_KEYS:  # optional: present only while a typed date waits to be fixed
        if not header[key]:
            del header[key]
    label = _text(report.get("next_period_label", period.next_period_label(year)), ("report", "next_period_label"))
    return {"year": year, "period": code, "window_start": start, "window_end": end, "next_period_label": label,
            "status": status, "header": header}


def _fields(obj: dict, path: tuple[str, ...], keys: tuple[str, ...]) -> dict:
    """The optional text and list fields of unit / header, defaults filled."""
    fields = _plain_fields(obj, keys)
    if fields is not None:
        return fields
    return {key: _text_list(obj.get(key, []), path + (key,)) if key in LIST_KEYS
            else _text(obj.get(key, ""), path + (key,)) for key in keys}


def _as_stored(texts: list, max_chars: int, composed: bool = True) -> bool:
    """Whether each of `texts` is already what limits.check_text returns — text, no refused
    character, no "\r" to fold, in NFC (unless not `composed`: the caller keeps only the
    verdict, and `max_chars` is then a third of the limit, as NFC at most triples a length,
    UAX #15), within `max_chars` — checked at once, in C, not text by text: every map and
    field of each of 3,321 files in a national roll-up. False when unsure: the text-by-text
    checks then run and say what is wrong.

    The texts are joined by "\n", which is not refused and composes with nothing on either
    side (a stable code point, UAX #15): the joined text is NFC exactly when each text is."""
    try:
        joined = "\n".join(texts)
    except TypeError:  # one is not text (a count written as a JSON number)
        return False
    if "\r" in joined or max(map(len, texts), default=0) > max_chars:
        return False
    if not _NO_REFUSED.get() and limits.REFUSED_CHAR.search(joined):
        return False
    return not composed or joined.isascii() or unicodedata.is_normalized("NFC", joined)


def _plain_fields(obj: dict, keys: tuple[str, ...]) -> dict | None:
    """The unit's or the header's fields as they are, defaults filled, when _as_stored says
    all their texts need nothing; None sends them through the field-by-field checks."""
    out = {key: obj.get(key, [] if key in LIST_KEYS else "") for key in keys}
    texts: list = []
    for key in LIST_KEYS.intersection(out):
        lines = out[key]
        if type(lines) is not list or len(lines) > MAX_LIST:
            return None
        texts += lines
        out[key] = list(lines)
    texts += (out[key] for key in keys if key not in LIST_KEYS)
    return out if _as_stored(texts, limits.LINE.max_chars) else None


def _map(value: Any, name: str, id_pattern: re.Pattern, kind: limits.TextKind, numbers: bool = False) -> dict:
    if not isinstance(value, dict):
        raise _type_error((name,), "một đối tượng {…} dạng {\"mã\": \"nội dung\"}", value)
    if len(value) > MAX_ENTRIES:
        raise ExchangeError(f"Trường “{name}” có {format_count(len(value))} mục, vượt giới hạn "
                            f"{format_count(MAX_ENTRIES)} mục. "
                            f"Hãy kiểm tra lại tệp.")
    # the prose of a file read without it: checked, returned blank
    blank_prose = _WITHOUT_PROSE.get() and kind is limits.NARRATIVE
    if _plain_map(value, id_pattern, kind, blank_prose):  # nearly every map: nothing more to check or build
        return dict.fromkeys(value, "") if blank_prose else dict(value)
    shape = f"gồm {INDICATOR_ID_SHAPE}" if id_pattern is INDICATOR_ID else f"là {SECTION_ID_SHAPE}"
    out = {}
    for key, item in value.items():
        if not isinstance(key, str) or not id_pattern.fullmatch(key):  # not str: only from dump_exchange
            raise ExchangeError(f"Mã “{_short(str(key))}” trong “{name}” không đúng dạng (phải {shape}). Hãy sửa mã đó "
                                f"rồi mở lại.")
        if type(item) is str and limits.plain(item, kind):  # a figure: nothing more to check or build
            out[key] = "" if blank_prose else item
            continue
        # Other tools may write a count as a JSON number, and an integer has one spelling only. A float has
        # not ("1.5" or "1,5"?): the clerk's typed text is the only truth, so it must come as text.
        if numbers and _is_int(item):
            item = str(int(item))
        elif numbers and not isinstance(item, str):
            raise _type_error((name, key), "chuỗi văn bản đúng như đã gõ, đặt trong dấu ngoặc kép", item,
                              "Hãy ghi số liệu trong dấu ngoặc kép, đúng như trên biểu mẫu (ví dụ \"1.962\" "
                              "hoặc \"99,05\").")
        checked = _text(item, (name, key), kind)
        out[key] = "" if blank_prose else checked
    return out


def _plain_map(value: dict, id_pattern: re.Pattern, kind: limits.TextKind, blank_prose: bool) -> bool:
    """Whether every key is an id and every item needs nothing (_as_stored), checked at once."""
    try:
        keys = "\n".join(value)
    except TypeError:  # a key not text: only from dump_exchange
        return False
    if _ID_LINES[id_pattern].fullmatch(keys) is None:
        return False
    texts = list(value.values())
    if blank_prose:
        return _as_stored(texts, kind.max_chars // 3, composed=False)
    return _as_stored(texts, kind.max_chars)


def _required(obj: dict, path: tuple[str, ...], key: str) -> Any:
    if key not in obj:
        raise ExchangeError(f"Tệp thiếu trường bắt buộc “{_name(path + (key,))}”. Hãy bổ sung trường này hoặc "
                            f"xuất lại tệp từ CCHC Desktop.")
    return obj[key]


def _object(value: Any, path: tuple[str, ...], keys: tuple[str, ...]) -> dict:
    if not isinstance(value, dict):
        raise _type_error(path, "một đối tượng {…}", value)
    _known_keys(value, path, keys)
    return value


def _known_keys(obj: dict, path: tuple[str, ...], keys: tuple[str, ...]) -> None:
    # Refused, not ignored: a misspelt "narative" would otherwise drop the clerk's text without a word.
    for key in obj:
        if key not in keys:
            import difflib  # only to suggest a name for an unknown field

            close = difflib.get_close_matches(str(key), keys, n=1)
            guess = f" Có phải là “{close[0]}”?" if close else ""
            raise ExchangeError(f"Tệp có trường “{_name(path + (_short(str(key)),))}” mà CCHC Desktop không biết; để "
                                f"không âm thầm bỏ mất dữ liệu, tệp không được mở.{guess} Các trường hợp lệ ở đây: "
                                f"{', '.join(keys)}.")


def _text(value: Any, path: tuple[str, ...], kind: limits.TextKind = limits.LINE, blank: bool = True) -> str:
    if not isinstance(value, str):
        raise _type_error(path, "chuỗi văn bản (đặt trong dấu ngoặc kép)", value)
    text = _checked(value, path, kind)
    if not blank and not text.strip():
        raise ExchangeError(f"Trường “{_name(path)}” đang để trống. Hãy điền giá trị hoặc xuất lại tệp từ "
                            f"CCHC Desktop.")
    return text


def _checked(value: str, path: tuple[str, ...], kind: limits.TextKind) -> str:
    try:
        return limits.check_text(value, kind, lambda: f"Trường “{_name(path)}”", searched=_NO_REFUSED.get())
    except limits.TextError as exc:
        raise ExchangeError(exc.message) from None


def _text_list(value: Any, path: tuple[str, ...]) -> list[str]:
    if not isinstance(value, list):
        raise _type_error(path, "danh sách các chuỗi văn bản, ví dụ [\"Sở Nội vụ\"]", value,
                          "Hãy đặt nội dung trong dấu ngoặc vuông [ ], mỗi mục một chuỗi.")
    def item(n: int) -> tuple[str, ...]:
        return path + (f"mục {n}",)

    for n, line in enumerate(value, 1):
        if not isinstance(line, str):
            raise _type_error(item(n), "chuỗi văn bản (đặt trong dấu ngoặc kép)", line)
    try:
        return limits.check_lines(value, f"Danh sách “{_name(path)}”", lambda n: f"Trường “{_name(item(n))}”",
                                  searched=_NO_REFUSED.get())
    except limits.TextError as exc:
        raise ExchangeError(exc.message) from None


def _date(value: Any, path: tuple[str, ...]) -> str:
    text = _text(value, path)
    try:
        if _ISO_DATE.fullmatch(text):
            return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise ExchangeError(f"Trường “{_name(path)}” là “{_short(text)}”, không phải ngày hợp lệ dạng NĂM-THÁNG-NGÀY "
                        f"(ví dụ 2023-10-31). Hãy sửa lại ngày.")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # True is an int in Python


def _type_error(path: tuple[str, ...], expected: str, value: Any, fix: str = "") -> ExchangeError:
    fix = fix or "Hãy sửa trường này cho đúng kiểu rồi mở lại tệp."
    return ExchangeError(f"Trường “{_name(path)}” phải là {expected}, nhưng lại là {_what(value)}. {fix}")


def _what(value: Any) -> str:
    if value is None:
        return "null (giá trị rỗng)"
    if isinstance(value, bool):
        return f"giá trị đúng/sai ({str(value).lower()})"
    if isinstance(value, int):
        return f"số {value}"
    if isinstance(value, float):
        return f"số thập phân {value!r}"
    if isinstance(value, str):
        return f"chuỗi văn bản “{_short(value)}”"
    return {list: "một danh sách […]", dict: "một đối tượng {…}"}.get(type(value), f"kiểu {type(value).__name__}")


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _name(path: tuple[str, ...]) -> str:
    return " › ".join(path)


# ---------------------------------------------------------------- files

def read_exchange_file(path: str | Path, *, prose: bool = True) -> dict:
    """Read and check an exchange file; any problem with it becomes an ExchangeError. `prose`: as
    for parse_exchange_bytes."""
    path = Path(path)
    try:
        _check_regular(os.stat(path), path)
        # fstat again in case the file was swapped since, and O_NONBLOCK so a FIFO slipped in cannot hang us.
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
        with os.fdopen(os.open(path, flags), "rb") as handle:
            info = os.fstat(handle.fileno())
            _check_regular(info, path)
            # st_size can lie (network drives, /proc): one byte more than it says is asked for,
            # and if that byte comes the rest is read too, up to the limit. Asking for the limit
            # at once would make each read a 10 MB buffer, a tenth of a national roll-up's time
            data = handle.read(info.st_size + 1 if 0 < info.st_size < MAX_BYTES else MAX_BYTES + 1)
            if len(data) > info.st_size:
                data += handle.read(MAX_BYTES + 1 - len(data))
    except FileNotFoundError:
        raise ExchangeError(f"Không tìm thấy tệp “{path}”. Hãy kiểm tra lại tên tệp và thư mục rồi chọn lại.") from None
    except PermissionError:
        raise ExchangeError(f"Không có quyền đọc tệp “{path}”. Hãy chép tệp sang thư mục của mình (ví dụ Tài liệu) "
                            f"rồi mở lại.") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise ExchangeError(f"Không đọc được tệp “{path}”. Hãy kiểm tra lại ổ đĩa hoặc USB, hoặc chép tệp sang máy "
                            f"rồi mở lại.") from exc
    _check_size(len(data), path)
    return parse_exchange_bytes(data, prose=prose)


def _check_regular(info: os.stat_result, path: Path) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise ExchangeError(f"“{path}” là một thư mục, không phải tệp. Hãy mở thư mục đó và chọn tệp báo cáo "
                            f"(.json) bên trong.")
    if not stat.S_ISREG(info.st_mode):
        raise ExchangeError(f"“{path}” không phải là một tệp thông thường (có thể là thiết bị hoặc đường ống). "
                            f"{_CHOOSE}")
    _check_size(info.st_size, path)


def _check_size(size: int, path: Path) -> None:
    if size > MAX_BYTES:
        raise ExchangeError(f"Tệp “{path}” quá lớn (hơn {MAX_BYTES // 2**20} MB), trong khi tệp trao đổi báo cáo "
                            f"chỉ nặng vài trăm KB. Hãy kiểm tra xem đã chọn đúng tệp chưa.")


def dump_exchange(doc: dict) -> bytes:
    """The file's bytes. The document is checked first, so a file we would refuse is never written."""
    text = json.dumps(_check_document(doc), ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


def write_exchange_file(doc: dict, path: str | Path) -> None:
    """Write atomically: whoever opens the file sees the old one or the complete new one, never half."""
    data = dump_exchange(doc)
    path = Path(path)
    try:
        is_dir = path.is_dir()
    except (OSError, ValueError):  # a NUL in the name: write_atomically says so below
        is_dir = False
    if is_dir:
        raise ExchangeError(f"Không lưu được tệp “{path}”: đã có một thư mục trùng tên. {_WRITE_FIX}")
    try:
        write_atomically(path, lambda tmp: tmp.write_bytes(data))
    except AtomicWriteError as exc:
        raise ExchangeError(f"Không lưu được tệp “{path}”: {exc.message}. {_WRITE_FIX}") from exc.cause

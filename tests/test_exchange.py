"""The exchange file: safe reading, strict structure checks, atomic writing."""

from __future__ import annotations

import copy
import errno
import json
import os
import stat
import subprocess
import sys
import time
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_desktop.formats import exchange
from cchc_desktop.system import atomic

from cchc_desktop.core import limits, vocabulary
from cchc_desktop.formats.exchange import (
    FORMAT, MAX_BYTES, MAX_DEPTH, ExchangeError, dump_exchange, parse_exchange_bytes,
    read_exchange_file, write_exchange_file,
)
from cchc_desktop.core.periods import PERIODS

POSIX = os.name == "posix"
IS_ROOT = POSIX and os.geteuid() == 0


def full_doc() -> dict:
    return {
        "format": FORMAT,
        "schema_version": 2,
        "app_version": "0.1.0",
        "catalog": {"id": "xa", "version": "2025.1"},
        "unit": {
            "kind": "xã", "name": "Bình Phước", "code": "", "province": "Quảng Ngãi", "province_code": "51",
            "parent_agency": "",
            "agency_name": "Ủy ban nhân dân xã Bình Phước", "place_name": "Bình Phước",
            "doc_code": "BC-UBND", "signer_name": "Nguyễn Văn An", "signer_title": "CHỦ TỊCH",
            "signing_authority": "TM.", "authority_line": "TM. ỦY BAN NHÂN DÂN",
            "recipients": ["UBND tỉnh Quảng Ngãi", "Sở Nội vụ"], "cc": ["Lưu: VT"],
        },
        "report": {
            "year": 2023, "period": "nam", "window_start": "2022-12-15", "window_end": "2023-10-31",
            "next_period_label": "năm 2024", "status": "draft",
            "header": {
                "number": "278", "date": "2023-11-03", "recipients": ["Sở Nội vụ"], "cc": ["Lưu: VT"],
                "signer_name": "Nguyễn Văn An", "signer_title": "CHỦ TỊCH",
                "signing_authority": "TM.", "authority_line": "TM. ỦY BAN NHÂN DÂN",
            },
        },
        "values": {"bm3.3.1": "1.962", "bm4.3": "10x", "bm1.1": ""},
        "notes": {"bm1.4": "Số liệu tạm tính đến 31/10."},
        "narratives": {"opening": "Thực hiện Kế hoạch…", "I.1": "Đã ban hành…\n\tdòng hai", "II.2": "x"},
    }


def minimal_doc() -> dict:
    return {
        "format": FORMAT, "schema_version": 1, "catalog": {"id": "xa", "version": "2025.1"},
        "report": {"year": 2025, "period": "quy1"}, "values": {},
    }


def enc(obj) -> bytes:
    return json.dumps(obj).encode("ascii")  # \uXXXX escapes: a lone surrogate can be written too


def refused(obj_or_bytes) -> str:
    data = obj_or_bytes if isinstance(obj_or_bytes, bytes) else enc(obj_or_bytes)
    with pytest.raises(ExchangeError) as info:
        parse_exchange_bytes(data)
    message = str(info.value)
    assert message == info.value.message
    assert message.endswith(".") or message.endswith("?"), message
    return message


def with_(path: tuple, value, doc=None) -> dict:
    doc = copy.deepcopy(doc or full_doc())
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


def without(path: tuple) -> dict:
    doc = full_doc()
    target = doc
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return doc


# ---------------------------------------------------------------- valid documents

def test_full_document_round_trips():
    doc = full_doc()
    assert parse_exchange_bytes(enc(doc)) == doc
    assert parse_exchange_bytes(dump_exchange(doc)) == doc


def test_minimal_document_gets_defaults():
    doc = parse_exchange_bytes(enc(minimal_doc()))
    assert doc["app_version"] == ""
    assert doc["unit"]["parent_agency"] == "" and doc["unit"]["recipients"] == []
    assert list(doc["unit"]) == list(exchange.UNIT_KEYS)
    report = doc["report"]
    # The data window and next-period label default to the period's own.
    assert (report["window_start"], report["window_end"]) == ("2024-12-15", "2025-03-14")
    assert report["next_period_label"] == PERIODS["quy1"].next_period_label(2025)
    assert report["status"] == "draft"
    assert report["header"] == {"number": "", "date": "", "recipients": [], "cc": [], "signer_name": "",
                                "signer_title": "", "signing_authority": "", "authority_line": ""}
    assert doc["values"] == doc["notes"] == doc["narratives"] == {}
    assert parse_exchange_bytes(dump_exchange(minimal_doc())) == doc


def test_documented_example_is_valid():
    docs = os.path.join(os.path.dirname(__file__), os.pardir, "docs", "exchange-format.md")
    with open(docs, encoding="utf-8") as handle:
        example = handle.read().split("```json\n", 1)[1].split("```", 1)[0]
    assert parse_exchange_bytes(example.encode("utf-8"))["values"]["bm4.3"] == "10x"


def test_dump_layout():
    doc = full_doc()
    doc["values"] = {"bm4.3": "10x", "bm1.1": "5", "bm3.3.1": "1.962"}  # not sorted
    data = dump_exchange(doc)
    text = data.decode("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "Bình Phước" in text  # ensure_ascii=False
    assert text.startswith('{\n  "format": "cchc-desktop/report",\n  "schema_version": 2,')
    assert list(json.loads(text)) == list(exchange.TOP_KEYS)
    assert list(json.loads(text)["values"]) == ["bm4.3", "bm1.1", "bm3.3.1"]
    assert list(json.loads(text)["report"]["header"]) == [k for k in exchange.HEADER_KEYS if k not in exchange.TEXT_KEYS]


def test_dump_refuses_invalid_document():
    with pytest.raises(ExchangeError, match="report › year"):
        dump_exchange(with_(("report", "year"), "2023"))
    with pytest.raises(ExchangeError, match="values › bm1.1"):
        dump_exchange(with_(("values", "bm1.1"), 1.5))
    with pytest.raises(ExchangeError, match="“1” trong “values”"):
        dump_exchange(with_(("values", 1), "x"))
    with pytest.raises(ExchangeError, match="“7”"):
        dump_exchange(with_((7,), "x"))
    with pytest.raises(ExchangeError, match="“unit › recipients” phải là"):
        dump_exchange(with_(("unit", "recipients"), ("a", "b")))


def test_invalid_value_text_is_kept():
    doc = with_(("values",), {"bm4.3": "10x", "bm4.4": "  ", "bm4.5": "=1+"})
    assert parse_exchange_bytes(enc(doc))["values"] == {"bm4.3": "10x", "bm4.4": "  ", "bm4.5": "=1+"}


def test_integer_values_become_text():
    doc = parse_exchange_bytes(enc(with_(("values",), {"bm1.1": 28, "bm1.2": -3, "bm1.3": 0})))
    assert doc["values"] == {"bm1.1": "28", "bm1.2": "-3", "bm1.3": "0"}


@pytest.mark.parametrize("value", [1.5, 28.0, True, False, None, {"a": 1}, ["1"]])
def test_other_non_text_values_are_refused(value):
    message = refused(with_(("values", "bm3.3.1"), value))
    assert "values › bm3.3.1" in message and "ngoặc kép" in message


def test_text_is_nfc_normalised():
    decomposed = unicodedata.normalize("NFD", "Bình Phước")
    assert decomposed != "Bình Phước"
    doc = with_(("unit", "name"), decomposed)
    doc["values"]["bm1.1"] = decomposed
    doc["unit"]["recipients"] = [decomposed]
    out = parse_exchange_bytes(enc(doc))
    assert out["unit"]["name"] == out["values"]["bm1.1"] == out["unit"]["recipients"][0] == "Bình Phước"


def test_windows_line_endings_become_newlines():
    out = parse_exchange_bytes(enc(with_(("narratives", "I.1"), "một\r\nhai\rba")))
    assert out["narratives"]["I.1"] == "một\nhai\nba"


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800", "\ufffe", "\uffff"])
def test_control_characters_are_refused(char):
    message = refused(with_(("narratives", "I.1"), f"trước{char}sau"))
    assert "narratives › I.1" in message and f"U+{ord(char):04X}" in message


def test_control_character_in_list_names_the_item():
    message = refused(with_(("report", "header", "cc"), ["Lưu: VT", "a\x01"]))
    assert "report › header › cc › mục 2" in message


def test_bom_is_tolerated():
    assert parse_exchange_bytes(b"\xef\xbb\xbf" + enc(full_doc())) == full_doc()


# ---------------------------------------------------------------- limits

@pytest.mark.parametrize("path, kind", [(("narratives", "I.1"), limits.NARRATIVE), (("notes", "bm1.4"), limits.NOTE),
                                        (("values", "bm1.1"), limits.VALUE), (("unit", "name"), limits.LINE),
                                        (("report", "header", "number"), limits.LINE)])
def test_string_length_limit(path, kind):
    parse_exchange_bytes(enc(with_(path, "a" * kind.max_chars)))
    message = refused(with_(path, "a" * (kind.max_chars + 1)))
    assert " › ".join(path) in message and f"{kind.max_chars:,}".replace(",", ".") in message


def test_list_length_limit():
    parse_exchange_bytes(enc(with_(("unit", "recipients"), ["x"] * 50)))
    assert "unit › recipients" in refused(with_(("unit", "recipients"), ["x"] * 51))


def test_values_entry_limit():
    values = {f"bm1.{i}": str(i) for i in range(2000)}
    assert len(parse_exchange_bytes(enc(with_(("values",), values)))["values"]) == 2000
    values["bm2.1"] = "1"
    assert "2.001" in refused(with_(("values",), values))


def test_oversized_bytes_are_refused():
    data = enc(full_doc())
    data = data[:-1] + b" " * (MAX_BYTES - len(data)) + b"}"
    assert len(data) == MAX_BYTES
    parse_exchange_bytes(data)
    assert "10 MB" in refused(data + b" ")


# ---------------------------------------------------------------- damaged bytes and JSON

@pytest.mark.parametrize("data", [b"\xff\xd8\xff\xe0\x00\x10JFIF", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\xa4",
                                  b'{"format": "\xc3"}', bytes(range(256))])
def test_binary_garbage_is_not_ours(data):
    assert "không phải là tệp trao đổi" in refused(data)


@pytest.mark.parametrize("data", [b"", b"  \n", b"\xef\xbb\xbf"])
def test_empty_file(data):
    assert "rỗng" in refused(data)


def test_utf16_file_says_to_save_as_utf8():
    message = refused(json.dumps(full_doc()).encode("utf-16"))
    assert "UTF-16" in message and "UTF-8" in message


@pytest.mark.parametrize("data", [b"ma,ten\nbm1.1,5\n", b"[1, 2]", b'"text"', b"42", b"null"])
def test_text_that_is_not_an_object_is_not_ours(data):
    assert "không phải là tệp trao đổi" in refused(data)


def test_truncated_json_names_line_and_column():
    data = dump_exchange(full_doc())
    message = refused(data[: len(data) // 2])
    assert "dòng " in message and "cột " in message and "bị hỏng" in message


def test_trailing_comma_names_line_and_column():
    message = refused(b'{\n  "format": "cchc-desktop/report",\n  "schema_version": 1,\n}\n')
    assert "dòng 4, cột 1" in message and "dấu phẩy" in message


def test_cut_off_file_says_so():
    assert "cắt cụt" in refused(b'{"format": "cchc-desktop/report", "schema_version": 1')


@pytest.mark.parametrize("data", [b"[" * 100_000, b'{"a":' + b"[" * 100_000, b'{"a":' * 100_000, b"{" + b'"a":[' * 50_000,
                                  b"[" * (exchange._SAFE_BRACKETS + 1) + b"]" * (exchange._SAFE_BRACKETS + 1)],
                         ids=["bare", "arrays", "objects", "mixed", "just-past-the-shallow-bound"])
def test_deep_nesting_refused_before_parsing(data, monkeypatch):
    monkeypatch.setattr(exchange.json, "loads", lambda *a, **k: pytest.fail("reached json.loads"))
    started = time.perf_counter()
    message = refused(data)
    assert "lồng nhau quá sâu" in message or (data[:1] == b"[" and "không phải là tệp trao đổi" in message)
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("data", [b'{"values": ' + b"[" * 7 + b"]" * 7 + b"}",
                                  b'{"format": "x", "values": {"a": {"b": {"c": {"d": {"e": {}}}}}}}',
                                  b'{"n": "' + b"[" * 500 + b'", "values": ' + b"[" * 7 + b"]" * 7 + b"}"],
                         ids=["lists", "objects", "brackets-in-text-too"])
def test_just_too_deep_refused_with_the_same_message(data):
    # a text with few brackets is parsed first (it cannot recurse far) and measured after
    assert "lồng nhau quá sâu" in refused(data)


def test_nesting_at_the_limit_reaches_the_structure_check():
    nested: list = []
    for _ in range(MAX_DEPTH - 2):
        nested = [nested]
    assert "“values” phải là" in refused(with_(("values",), nested))  # document + 5 lists = 6


def test_brackets_inside_strings_do_not_count():
    tricky = '\\"' + "[{" * 40 + '\\\\'  # escaped quote, brackets, escaped backslash: all text
    doc = with_(("narratives", "I.1"), json.loads(f'"{tricky}"'))
    text = json.dumps(doc)
    assert "[{[{[{" in text
    assert parse_exchange_bytes(text.encode())["narratives"]["I.1"].startswith('"[{[{')


def test_recursion_error_is_caught(monkeypatch):
    monkeypatch.setattr(exchange, "MAX_DEPTH", 10**9)
    assert isinstance(refused(b"[" * 100_000 + b"]" * 100_000), str)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_refused(constant):
    text = enc(full_doc()).decode().replace('"1.962"', constant)
    assert constant.lstrip("-") in refused(text.encode())


def test_huge_integer_refused():
    text = enc(full_doc()).decode().replace('"1.962"', "1" * 5000)
    assert "5000 chữ số" in refused(text.encode())


def test_duplicate_keys_refused():
    text = enc(full_doc()).decode().replace('"bm4.3": "10x"', '"bm4.3": "10x", "bm4.3": "11"')
    assert "“bm4.3” xuất hiện hai lần" in refused(text.encode())
    nested = b'{"format": "cchc-desktop/report", "format": "cchc-desktop/report"}'
    assert "“format” xuất hiện hai lần" in refused(nested)


# ---------------------------------------------------------------- format and version

def test_missing_or_wrong_format():
    assert "thiếu trường “format”" in refused(without(("format",)))
    assert "cchc-desktop/report" in refused(with_(("format",), "cchc-desktop/catalog"))
    assert "không phải là tệp trao đổi" in refused(with_(("format",), ["cchc-desktop/report"]))
    assert "không phải là tệp trao đổi" in refused({"name": "something else"})


def test_schema_version_missing_or_mistyped():
    assert "schema_version" in refused(without(("schema_version",)))
    for bad in ["1", True, 1.0, None]:
        assert "schema_version" in refused(with_(("schema_version",), bad))


def test_newer_schema_version_says_update():
    doc = with_(("schema_version",), exchange.SCHEMA_VERSION + 1)
    doc["app_version"] = "0.9.0"
    doc["brand_new_part"] = {}  # a newer layout may add parts: the version message wins
    message = refused(doc)
    assert "mới hơn" in message and "cập nhật" in message and "0.9.0" in message


def test_a_version_1_file_is_read_with_blank_codes_and_written_back_as_version_2():
    old = full_doc()
    old["schema_version"] = 1
    for key in vocabulary.UNIT_CODE_FIELDS:
        del old["unit"][key]
    doc = parse_exchange_bytes(enc(old))
    assert doc["schema_version"] == exchange.SCHEMA_VERSION == 2
    assert (doc["unit"]["code"], doc["unit"]["province_code"]) == ("", "")
    assert {k: v for k, v in doc["unit"].items() if k not in vocabulary.UNIT_CODE_FIELDS} == old["unit"]
    assert json.loads(dump_exchange(doc))["schema_version"] == 2
    # a version 1 file without a unit at all reads as before
    assert parse_exchange_bytes(enc(minimal_doc()))["unit"]["code"] == ""


def test_a_version_1_file_carrying_codes_is_refused_as_mislabelled():
    old = full_doc()
    old["schema_version"] = 1
    message = refused(old)
    assert "unit › code" in message and "phiên bản 2" in message and "schema_version" in message


@pytest.mark.parametrize("bad", ["A123", "12-3", "１２", "0" * 11])
def test_a_code_is_digits_or_blank(bad):
    message = refused(with_(("unit", "code"), bad))
    assert "unit › code" in message and "chữ số" in message and "để trống" in message


def test_a_code_is_kept_as_its_digits():
    doc = parse_exchange_bytes(enc(with_(("unit", "code"), " 00004 ")))
    assert doc["unit"]["code"] == "00004" and doc["unit"]["province_code"] == "51"


@pytest.mark.parametrize("version", [0, -1])
def test_older_unknown_schema_version(version):
    assert f"“schema_version” là {version}" in refused(with_(("schema_version",), version))


# ---------------------------------------------------------------- structure and types

def test_unknown_top_level_key_is_refused_with_a_guess():
    doc = full_doc()
    doc["narative"] = doc.pop("narratives")
    message = refused(doc)
    assert "“narative”" in message and "Có phải là “narratives”?" in message


def test_unknown_nested_key_is_refused():
    assert "report › header › numbr" in refused(with_(("report", "header", "numbr"), "1"))
    assert "unit › fax" in refused(with_(("unit", "fax"), "1"))


@pytest.mark.parametrize("path", [("catalog",), ("catalog", "id"), ("catalog", "version"), ("report",),
                                  ("report", "year"), ("report", "period"), ("values",)])
def test_required_fields(path):
    message = refused(without(path))
    assert f"thiếu trường bắt buộc “{' › '.join(path)}”" in message


@pytest.mark.parametrize("path", [("notes",), ("narratives",), ("unit",), ("app_version",),
                                  ("unit", "parent_agency"), ("report", "header"),
                                  ("report", "header", "date"), ("report", "status")])
def test_optional_fields(path):
    parse_exchange_bytes(enc(without(path)))


@pytest.mark.parametrize("path, value, expected", [
    (("values",), ["1.962"], "values"),
    (("notes",), ["x"], "notes"),
    (("narratives",), "text", "narratives"),
    (("report", "year"), "2023", "report › year"),
    (("report", "year"), True, "report › year"),
    (("report", "year"), 2023.0, "report › year"),
    (("unit", "recipients"), "Sở Nội vụ", "unit › recipients"),
    (("report", "header", "cc"), None, "report › header › cc"),
    (("report", "header"), ["278"], "report › header"),
    (("report", "header"), "278", "report › header"),
    (("report", "header", "number"), 278, "report › header › number"),
    (("unit",), [], "unit"),
    (("catalog",), "xa", "catalog"),
    (("catalog", "version"), 2025.1, "catalog › version"),
    (("app_version",), 1, "app_version"),
    (("notes", "bm1.4"), 5, "notes › bm1.4"),
    (("narratives", "I.1"), ["a"], "narratives › I.1"),
    (("unit", "cc"), ["a", 3], "unit › cc › mục 2"),
])
def test_wrong_types_name_the_field(path, value, expected):
    message = refused(with_(path, value))
    assert f"“{expected}” phải là" in message


def test_year_as_text_says_without_quotes():
    message = refused(with_(("report", "year"), "2023"))
    assert "không có ngoặc kép" in message and "“2023”" in message


@pytest.mark.parametrize("year", [1999, 2101, 0])
def test_year_range(year):
    assert "từ 2000 đến 2100" in refused(with_(("report", "year"), year))


def test_period_must_be_known():
    message = refused(with_(("report", "period"), "quy2"))
    assert "report › period" in message and all(code in message for code in PERIODS)


def test_status():
    assert parse_exchange_bytes(enc(with_(("report", "status"), "complete")))["report"]["status"] == "complete"
    assert "report › status" in refused(with_(("report", "status"), "done"))


@pytest.mark.parametrize("field", ["window_start", "window_end"])
@pytest.mark.parametrize("bad", ["", "2023-02-30", "2023/10/31", "31/10/2023", "20231031", "2023-1-5",
                                 "2023-10-31T00:00", "２０２３-10-31"])
def test_window_dates(field, bad):
    assert f"report › {field}" in refused(with_(("report", field), bad))


def test_header_date_may_be_empty_but_not_wrong():
    assert parse_exchange_bytes(enc(with_(("report", "header", "date"), "")))["report"]["header"]["date"] == ""
    assert "report › header › date" in refused(with_(("report", "header", "date"), "03/11/2023"))


def test_window_start_after_end_is_carried_for_the_rule_engine_to_report():
    doc = with_(("report", "window_start"), "2023-11-01")
    assert parse_exchange_bytes(enc(doc))["report"]["window_start"] == "2023-11-01"


@pytest.mark.parametrize("key", ["bm0.1", "bm3", "BM3.1", "bm3.", "bm3..1", "bm3.1\n", " bm3.1", "bm01.1",
                                 "bm3.a", "bm3.١"])
def test_indicator_ids(key):
    assert "values" in refused(with_(("values", key), "1"))
    assert "notes" in refused(with_(("notes", key), "1"))


@pytest.mark.parametrize("key", ["opening", "closing", "I", "IV", "III.2", "II.10", "V", "IX.2", "IV.1.2", "X"])
def test_section_ids_accepted(key):
    assert key in parse_exchange_bytes(enc(with_(("narratives", key), "x")))["narratives"]


@pytest.mark.parametrize("key", ["IIII", "VV", "I.", "i.1", "Opening", "I..2", "VI.a", "", "II\n"])
def test_section_ids_refused(key):
    assert "narratives" in refused(with_(("narratives", key), "x"))


def test_catalog_fields_may_not_be_blank():
    assert "catalog › id" in refused(with_(("catalog", "id"), " "))


# ---------------------------------------------------------------- reading files

def test_read_round_trip(tmp_path):
    path = tmp_path / "báo cáo.json"
    path.write_bytes(dump_exchange(full_doc()))
    assert read_exchange_file(path) == full_doc()
    assert read_exchange_file(str(path)) == full_doc()


def test_read_missing_file(tmp_path):
    assert "Không tìm thấy" in str(pytest.raises(ExchangeError, read_exchange_file, tmp_path / "nope.json").value)
    with pytest.raises(ExchangeError, match="Không tìm thấy"):
        read_exchange_file(tmp_path / "nope" / "x.json")


def test_read_directory(tmp_path):
    with pytest.raises(ExchangeError, match="là một thư mục"):
        read_exchange_file(tmp_path)


def test_read_nul_in_name(tmp_path):
    with pytest.raises(ExchangeError):
        read_exchange_file(str(tmp_path) + "/a\0b.json")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_read_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "báo cáo.json"
    os.mkfifo(fifo)
    with pytest.raises(ExchangeError, match="không phải là một tệp thông thường"):
        read_exchange_file(fifo)


def test_read_too_big_without_opening(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    with open(path, "wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    assert path.stat().st_size == MAX_BYTES + 1
    monkeypatch.setattr(exchange.os, "open", lambda *a, **k: pytest.fail("opened a too-big file"))
    with pytest.raises(ExchangeError, match="quá lớn"):
        read_exchange_file(path)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc")
def test_read_stops_at_the_limit_when_size_lies(monkeypatch):
    # /proc files report st_size 0 but have content: the read itself must be capped.
    assert os.stat("/proc/self/status").st_size == 0
    monkeypatch.setattr(exchange, "MAX_BYTES", 100)
    with pytest.raises(ExchangeError, match="quá lớn"):
        read_exchange_file("/proc/self/status")


def test_read_permission_denied(tmp_path, monkeypatch):
    path = tmp_path / "x.json"
    path.write_bytes(dump_exchange(full_doc()))

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "denied")

    monkeypatch.setattr(exchange.os, "open", denied)
    with pytest.raises(ExchangeError, match="Không có quyền đọc"):
        read_exchange_file(path)


@pytest.mark.skipif(not POSIX or IS_ROOT, reason="root ignores file permissions")
def test_read_permission_denied_for_real(tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(dump_exchange(full_doc()))
    path.chmod(0)
    with pytest.raises(ExchangeError, match="Không có quyền đọc"):
        read_exchange_file(path)


def test_read_other_os_error(tmp_path, monkeypatch):
    path = tmp_path / "x.json"
    path.write_bytes(dump_exchange(full_doc()))

    def broken(*args, **kwargs):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(exchange.os, "open", broken)
    with pytest.raises(ExchangeError, match="Không đọc được tệp"):
        read_exchange_file(path)


def test_read_content_errors_pass_through(tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(b'{"format": 1,}')
    with pytest.raises(ExchangeError, match="dòng 1"):
        read_exchange_file(path)


# ---------------------------------------------------------------- writing files

def test_write_creates_and_replaces(tmp_path):
    path = tmp_path / "báo cáo.json"
    write_exchange_file(minimal_doc(), path)
    first = read_exchange_file(path)
    write_exchange_file(full_doc(), str(path))
    assert read_exchange_file(path) == full_doc() != first
    assert path.read_bytes() == dump_exchange(full_doc())
    assert os.listdir(tmp_path) == ["báo cáo.json"]


@pytest.mark.skipif(not POSIX, reason="POSIX modes")
def test_write_leaves_a_shareable_mode(tmp_path):
    path = tmp_path / "x.json"
    write_exchange_file(full_doc(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    path.chmod(0o640)
    write_exchange_file(full_doc(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_write_invalid_doc_writes_nothing(tmp_path):
    path = tmp_path / "x.json"
    with pytest.raises(ExchangeError, match="report › year"):
        write_exchange_file(with_(("report", "year"), "2023"), path)
    assert os.listdir(tmp_path) == []


def _fail_with(exc):
    def fail(*args, **kwargs):
        raise exc
    return fail


@pytest.mark.parametrize("target, exc, reason", [
    ("replace", PermissionError(errno.EACCES, "locked"), "đang được mở trong chương trình khác"),
    ("mkstemp", PermissionError(errno.EACCES, "denied"), "không có quyền ghi"),
    ("mkstemp", OSError(errno.EROFS, "read-only"), "chỉ cho phép đọc"),
    ("fsync", OSError(errno.ENOSPC, "full"), "ổ đĩa đã đầy"),
    ("fsync", OSError(errno.EIO, "io"), "lỗi khi ghi"),
])
def test_write_failure_keeps_old_file_and_removes_temp(tmp_path, monkeypatch, target, exc, reason):
    path = tmp_path / "báo cáo.json"
    write_exchange_file(minimal_doc(), path)
    old = path.read_bytes()
    module = atomic.tempfile if target == "mkstemp" else atomic.os
    monkeypatch.setattr(module, target, _fail_with(exc))
    with pytest.raises(ExchangeError) as info:
        write_exchange_file(full_doc(), path)
    message = str(info.value)
    assert str(path) in message and reason in message and "thư mục khác" in message and "tên tệp khác" in message
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ["báo cáo.json"]


@pytest.mark.skipif(not POSIX or IS_ROOT, reason="root ignores folder permissions")
def test_write_into_read_only_folder_for_real(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExchangeError, match="không có quyền ghi"):
            write_exchange_file(full_doc(), folder / "x.json")
        assert os.listdir(folder) == []
    finally:
        folder.chmod(0o700)


def test_write_missing_folder(tmp_path):
    with pytest.raises(ExchangeError, match="thư mục không tồn tại"):
        write_exchange_file(full_doc(), tmp_path / "gone" / "x.json")


def test_write_onto_a_folder(tmp_path):
    (tmp_path / "x.json").mkdir()
    with pytest.raises(ExchangeError, match="thư mục trùng tên"):
        write_exchange_file(full_doc(), tmp_path / "x.json")


def test_core_does_not_import_qt():
    code = "import sys, cchc_desktop.formats.exchange; sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(exchange.__file__))))
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


# ---------------------------------------------------------------- properties

def _nfc_text(max_size: int = 200):
    chars = st.characters(exclude_categories=("Cc", "Cs"), include_characters="\n\t")
    return st.text(chars, max_size=max_size).map(lambda s: unicodedata.normalize("NFC", s))


_texts = st.lists(_nfc_text(20), max_size=3)


@st.composite
def valid_docs(draw):
    year = draw(st.integers(2000, 2100))
    start, end = sorted(draw(st.lists(st.dates(), min_size=2, max_size=2)))
    fields = lambda keys: {k: draw(_texts if k in exchange.LIST_KEYS else _nfc_text(20)) for k in keys}
    return {
        "format": FORMAT,
        "schema_version": 2,
        "app_version": draw(_nfc_text(10)),
        "catalog": {"id": draw(st.from_regex(r"[a-z]{1,8}", fullmatch=True)),
                    "version": draw(st.from_regex(r"20[0-9]{2}\.[0-9]", fullmatch=True))},
        "unit": fields(exchange.UNIT_KEYS) | {k: draw(st.from_regex(r"[0-9]{0,10}", fullmatch=True))
                                              for k in vocabulary.UNIT_CODE_FIELDS},
        "report": {
            "year": year, "period": draw(st.sampled_from(sorted(PERIODS))),
            "window_start": start.isoformat(), "window_end": end.isoformat(),
            "next_period_label": draw(_nfc_text(30)), "status": draw(st.sampled_from(["draft", "complete"])),
            # the *_text fields are present only while a typed date waits to be fixed
            "header": {k: v for k, v in {**fields(exchange.HEADER_KEYS),
                                         "date": draw(st.just("") | st.dates().map(lambda d: d.isoformat()))}.items()
                       if v or k not in exchange.TEXT_KEYS},
        },
        "values": draw(st.dictionaries(st.from_regex(exchange.INDICATOR_ID, fullmatch=True), _nfc_text(),
                                       max_size=10)),
        "notes": draw(st.dictionaries(st.from_regex(exchange.INDICATOR_ID, fullmatch=True), _nfc_text(),
                                      max_size=3)),
        "narratives": draw(st.dictionaries(st.from_regex(exchange.SECTION_ID, fullmatch=True), _nfc_text(),
                                           max_size=3)),
    }


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(valid_docs())
def test_round_trip_property(doc):
    data = dump_exchange(doc)
    assert parse_exchange_bytes(data) == doc
    assert dump_exchange(parse_exchange_bytes(data)) == data


def _never_crashes(data: bytes) -> None:
    try:
        doc = parse_exchange_bytes(data)
    except ExchangeError as exc:
        assert exc.message and str(exc) == exc.message
    else:
        assert parse_exchange_bytes(dump_exchange(doc)) == doc


@settings(max_examples=300)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_only_raise_exchange_error(data):
    _never_crashes(data)


@settings(max_examples=300)
@given(st.text(st.sampled_from('{}[]",:\\ \n0123456789.-+eEtrufalsnNIy"bmu') | st.characters(), max_size=200))
def test_json_ish_text_only_raises_exchange_error(text):
    _never_crashes(b"{" + text.encode("utf-8", "surrogatepass"))


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300)
@given(_json_values)
def test_arbitrary_json_only_raises_exchange_error(value):
    _never_crashes(json.dumps(value).encode())


def _paths(doc, prefix=()):
    yield prefix
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from _paths(value, prefix + (key,))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_valid_documents_only_raise_exchange_error(data):
    doc = full_doc()
    path = data.draw(st.sampled_from([p for p in _paths(doc) if p]))
    if data.draw(st.booleans()):
        doc = with_(path, data.draw(_json_values), doc)
    else:
        doc = with_(path[:-1] + (data.draw(st.text(max_size=12)),), data.draw(_json_values), doc)
    _never_crashes(json.dumps(doc).encode())


# ---------------------------------------------------------------- the checks done at once read as the ones done text by text

# what the whole-file checks (no refused character in the bytes, a map or the fields at once)
# could get wrong: controls raw and escaped, C1, surrogates, non-characters, the BOM, letters
# that compose (e + U+0301, Hangul jamo) or decompose (Å as U+212B), the letters escapes are
# made of, and brackets
_TRICKY = st.sampled_from([
    "\x00", "\x08", "\t", "\n", "\r", "\x0b", "\x0c", "\x1f", "\x7f", "\x80", "\x9f", "\xa0", "\ud800", "\udfff",
    "\ufffe", "\uffff", "\ufeff", "e", "\u0301", "\u0300", "ê", "ạ", "\u212b", "\u1100", "\u1161", "\\", '"', "/",
    "u", "b", "f", "n", "r", "t", "[", "{", " ", "a", "0", ".",
])
_tricky_text = st.text(_TRICKY | st.characters(), max_size=25)
# and without a refused character, so that the checks at once are the ones that run
_clean_tricky_text = st.text(_TRICKY.filter(lambda c: not limits.REFUSED_CHAR.match(c)), max_size=25)
_TEXT_PATHS = [
    ("app_version",), ("unit", "name"), ("unit", "agency_name"), ("unit", "code"), ("report", "next_period_label"),
    ("report", "header", "number"), ("report", "header", "signer_name"), ("values", "bm3.3.1"), ("values", "bm1.1"),
    ("notes", "bm1.4"), ("narratives", "opening"), ("narratives", "I.1"),
]
_LIST_PATHS = [("unit", "recipients"), ("report", "header", "cc")]


def _outcome(data: bytes, prose: bool = True) -> tuple:
    try:
        return "read", parse_exchange_bytes(data, prose=prose)
    except ExchangeError as exc:
        return "refused", exc.message


def _text_by_text(data: bytes) -> tuple:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(exchange, "_no_refused_character", lambda *args: False)
        patch.setattr(exchange, "_as_stored", lambda *args, **kw: False)
        return _outcome(data)


@settings(max_examples=1000, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_checks_at_once_read_every_file_as_the_text_by_text_checks(data):
    doc = full_doc()
    texts = data.draw(st.sampled_from([_tricky_text, _clean_tricky_text, _clean_tricky_text]))
    for _ in range(data.draw(st.integers(1, 3))):
        if data.draw(st.booleans()):
            doc = with_(data.draw(st.sampled_from(_TEXT_PATHS)), data.draw(texts), doc)
        else:
            doc = with_(data.draw(st.sampled_from(_LIST_PATHS)), data.draw(st.lists(texts, max_size=3)), doc)
    # ensure_ascii: every character an escape (a lone surrogate too) or, without, as itself
    raw = json.dumps(doc, ensure_ascii=data.draw(st.booleans())).encode("utf-8", "surrogatepass")
    expected = _text_by_text(raw)
    assert _outcome(raw) == expected
    # read without the prose: the same verdict and message, the narratives blank
    if expected[0] == "read":
        expected = ("read", expected[1] | {"narratives": dict.fromkeys(expected[1]["narratives"], "")})
    assert _outcome(raw, prose=False) == expected


@pytest.mark.parametrize("path, value, read_as", [
    pytest.param(("unit", "name"), "Xã\rBình", "Xã\nBình", id="a-carriage-return"),
    pytest.param(("unit", "name"), "Bi\u0300nh", "Bình", id="letters-to-compose"),
    pytest.param(("report", "header", "cc"), ["Lưu\r\nVT", "Ǹ"], ["Lưu\nVT", "Ǹ"], id="in-a-list"),
    pytest.param(("report", "header", "number"), "\u212b", "Å", id="a-letter-written-two-ways"),
    pytest.param(("notes", "bm1.4"), "Số\r\nliệu", "Số\nliệu", id="in-a-note"),
])
@pytest.mark.parametrize("ensure_ascii", [False, True], ids=["as-written", "escaped"])
def test_texts_folded_and_composed_when_checked_at_once(path, value, read_as, ensure_ascii):
    raw = json.dumps(with_(path, value), ensure_ascii=ensure_ascii).encode()
    got = parse_exchange_bytes(raw)
    for key in path:
        got = got[key]
    assert got == read_as
    assert _outcome(raw) == _text_by_text(raw)


@pytest.mark.parametrize("path, kind", [
    (("unit", "name"), limits.LINE), (("report", "header", "number"), limits.LINE),
    (("values", "bm3.3.1"), limits.VALUE), (("notes", "bm1.4"), limits.NOTE),
])
@pytest.mark.parametrize("letter", ["a", "ạ"])
def test_a_text_one_character_too_long_is_refused_when_checked_at_once(path, kind, letter):
    raw = json.dumps(with_(path, letter * (kind.max_chars + 1)), ensure_ascii=False).encode()
    assert _outcome(raw)[0] == "refused" and _outcome(raw) == _text_by_text(raw)
    line = json.dumps(with_(("report", "header", "cc"), ["ok", letter * (limits.LINE.max_chars + 1)]), ensure_ascii=False)
    assert _outcome(line.encode())[0] == "refused"


@pytest.mark.parametrize("text", [
    pytest.param("a" * (limits.NARRATIVE.max_chars + 1), id="one-character-too-long"),
    pytest.param("e\u0301" * (limits.NARRATIVE.max_chars // 2 + 1), id="too-long-until-composed"),
    # U+0958 is two characters in NFC (a composition exclusion): within the limit as written, not once composed
    pytest.param("\u0958" * (limits.NARRATIVE.max_chars // 2 + 1), id="too-long-once-composed"),
    pytest.param("a\x7f" + "a" * 100, id="a-refused-character"),
    pytest.param("a\u0000b", id="an-escaped-control"),
])
@pytest.mark.parametrize("ensure_ascii", [False, True], ids=["as-written", "escaped"])
def test_prose_read_without_it_is_refused_or_read_as_with_it(text, ensure_ascii):
    raw = json.dumps(with_(("narratives", "I.1"), text), ensure_ascii=ensure_ascii).encode()
    with_prose, without_prose = _outcome(raw), _outcome(raw, prose=False)
    assert with_prose[0] == without_prose[0]
    if with_prose[0] == "refused":
        assert without_prose == with_prose
    else:
        assert with_prose[1]["narratives"]["I.1"] == unicodedata.normalize("NFC", text)
        assert without_prose[1]["narratives"] == {k: "" for k in with_prose[1]["narratives"]}

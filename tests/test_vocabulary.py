"""Words declared once (cchc_desktop/vocabulary.py) are the ones every view uses."""

from __future__ import annotations

import sqlite3

from cchc_desktop.storage import store

from cchc_desktop.core import vocabulary
from cchc_desktop.formats import excel


def test_the_excel_sheet_heads_its_columns_like_the_form_table_and_the_word_appendix():
    # the screen and Word import FORM_COLUMNS directly; Excel pairs it with its widths
    assert tuple(title for title, _ in excel.COLUMNS) == vocabulary.FORM_COLUMNS
    assert vocabulary.VALUE_COLUMN == "Số liệu" and vocabulary.NOTE_COLUMN == "Ghi chú"


def test_every_status_has_a_label_and_the_data_file_accepts_exactly_those_codes(tmp_path):
    assert set(vocabulary.STATUS_LABELS) == set(vocabulary.STATUSES) == set(store.STATUSES)
    assert all(label.strip() for label in vocabulary.STATUS_LABELS.values())
    assert vocabulary.status_label("archived") == "archived"  # a newer program's code is shown, not lost
    # the schema's CHECK is frozen history (v1 files exist): it must agree with the codes
    conn = sqlite3.connect(tmp_path / "s.sqlite")
    conn.execute(f"CREATE TABLE t ({store._REPORT_COLUMNS})")
    cols = "unit_name, year, period, status, created_at, updated_at"
    for code in vocabulary.STATUSES:
        conn.execute(f"INSERT INTO t ({cols}) VALUES ('', 2025, 'nam', ?, '', '')", (code,))
    try:
        conn.execute(f"INSERT INTO t ({cols}) VALUES ('', 2025, 'nam', 'other', '', '')")
    except sqlite3.IntegrityError:
        pass
    else:
        raise AssertionError("the schema accepts a status the program does not know")


def test_every_severity_has_a_rank_a_word_and_a_counted_word():
    assert set(vocabulary.SEVERITY_RANK) == set(vocabulary.SEVERITY_WORDS) == set(vocabulary.COUNTED) \
        == set(vocabulary.SEVERITIES)
    assert vocabulary.SEVERITIES[0] == "invalid"  # worst first
    # the command line prints the words in capitals; Vietnamese letters must survive upper()
    assert [vocabulary.SEVERITY_WORDS[s].upper() for s in vocabulary.SEVERITIES] == ["NHẬP SAI", "LỖI", "CẢNH BÁO"]
    counts = {"error": 1, "warning": 0, "invalid": 2}
    assert vocabulary.counts_text(counts.__getitem__) == "1 lỗi · 0 cảnh báo · 2 ô nhập sai"
    assert vocabulary.counts_text(counts.__getitem__, ", ") == "1 lỗi, 0 cảnh báo, 2 ô nhập sai"


def test_every_backup_reason_the_program_writes_has_a_label():
    from cchc_desktop.storage import backups

    written = {"auto", "thu-cong", *backups.PRECIOUS_REASONS}
    assert written <= set(backups.REASON_LABELS)
    assert backups.reason_label("") == "—" and backups.reason_label("moi") == "moi"


def test_the_issuing_agency_is_named_one_way():
    assert vocabulary.agency_name("xã", "Bình Phước") == "Ủy ban nhân dân xã Bình Phước"
    assert vocabulary.agency_name("xã", "") == "Ủy ban nhân dân xã"


def test_letters_without_marks_serve_file_names_backups_and_the_row_search():
    from cchc_desktop.storage.backups import _slug
    from cchc_desktop.formats.printed import ascii_slug
    from cchc_desktop.core.letters import nfc, without_marks

    assert without_marks("Đặc khu Lý Sơn") == "Dac khu Ly Son"
    assert ascii_slug("Đặc khu Lý Sơn") == "DacKhuLySon" and _slug("Đặc khu Lý Sơn") == "dac-khu-ly-son"
    assert nfc("Lu\u031b\u0323") == "Lự"


def test_the_unit_fields_are_the_data_files_columns_and_the_exchange_files_keys(tmp_path):
    from cchc_desktop.formats import exchange
    from tests.conftest import ROOT

    assert exchange.UNIT_KEYS == vocabulary.UNIT_FIELDS
    assert store.PROFILE_TEXT_FIELDS + store.PROFILE_LIST_FIELDS == vocabulary.UNIT_FIELDS
    conn = sqlite3.connect(tmp_path / "s.sqlite")
    conn.executescript(store._SCHEMA_V1)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(unit_profile)")]
    # v1 as it was; the codes came with v4, added at the end of the table
    codes = list(vocabulary.UNIT_CODE_FIELDS)
    assert columns == ["id", *(k for k in vocabulary.UNIT_FIELDS if k not in codes), "updated_at"]
    with store.Store(tmp_path / "now.sqlite") as now:
        columns = [row[1] for row in now.conn.execute("PRAGMA table_info(unit_profile)")]
    assert columns == ["id", *(k for k in vocabulary.UNIT_FIELDS if k not in codes), "updated_at", *codes]
    doc = (ROOT / "docs" / "exchange-format.md").read_text(encoding="utf-8")
    row = next(line for line in doc.splitlines() if line.startswith("| `unit.kind`"))
    assert all(f"`.{k}`" in row or f"`unit.{k}`" in row for k in vocabulary.UNIT_TEXT_FIELDS if k not in codes)
    row = next(line for line in doc.splitlines() if line.startswith("| `unit.code`"))
    assert all(f"`.{k}`" in row or f"`unit.{k}`" in row for k in codes)
    assert all(f"unit.{k}" in doc for k in vocabulary.UNIT_LIST_FIELDS)
    from cchc_desktop.core import unit

    assert set(unit.TYPED_FIELDS) <= set(vocabulary.UNIT_TEXT_FIELDS)


def test_the_choices_of_the_unit_are_one_list_each_with_a_label_and_a_default_first():
    assert len(set(vocabulary.UNIT_KINDS)) == len(vocabulary.UNIT_KINDS) and vocabulary.UNIT_KINDS[0] == "xã"
    assert list(vocabulary.AUTHORITY_LABELS) == list(vocabulary.SIGNING_AUTHORITIES) == ["TM.", "KT."]
    assert all(label.startswith(code) for code, label in vocabulary.AUTHORITY_LABELS.items())
    assert all(line.startswith(code) for code, (line, _) in vocabulary.SIGNING_AUTHORITIES.items())


def test_every_date_kept_as_typed_has_its_date_field_and_a_label():
    from cchc_desktop.formats import exchange
    from cchc_desktop.services import session

    assert exchange.TEXT_KEYS == tuple(vocabulary.DATE_TEXTS) and set(exchange.TEXT_KEYS) <= set(exchange.HEADER_KEYS)
    for key in vocabulary.DATE_TEXTS:
        date_key = key.removesuffix("_text")
        assert date_key in exchange.HEADER_KEYS + exchange.REPORT_KEYS
        assert session.FIELD_LABELS[key] == session.FIELD_LABELS[date_key]

"""Input that used to crash the program (issue 8, part A), each reproduced the way it arrives:
through the session the window uses, on a real SQLite file, and read back from the real .docx
and .xlsx it must still produce."""

from __future__ import annotations

import sqlite3

import pytest
from docx import Document
from openpyxl import load_workbook

from cchc_desktop.core.catalog import BUILTIN_DIR, CatalogError, CatalogRegistry, load_catalog
from cchc_desktop.services.export_files import default_paths, export_view, printed_report
from cchc_desktop.services.report_io import import_doc
from cchc_desktop.services.sample import sample_doc
from cchc_desktop.services.session import EditError, ReportSession

SHIPPED = BUILTIN_DIR / "xa-2025.1.toml"



def export_drafts(session, folder):
    # the export window's and the CLI's path: the stored report as printed, standard names, both files
    view = printed_report(session.store, session.report_id, CatalogRegistry())
    docx, xlsx = default_paths(view, folder, draft=True)
    assert export_view(view, docx=docx, xlsx=xlsx, draft=True) == [docx, xlsx]
    return Document(str(docx)), load_workbook(xlsx)


def docx_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def sheet_text(wb) -> str:
    return "\n".join(str(c.value) for row in wb.active.iter_rows() for c in row if c.value is not None)


# ---------------------------------------------------------------- a header date that is not a date

@pytest.mark.parametrize("field", ["date_text", "window_start_text", "window_end_text"])
def test_a_header_date_that_is_not_a_date_still_exports_both_drafts(session, tmp_path, field):
    # the header tab keeps such a date as typed, in the …_text field
    session.update_report(header={field: "31/02/2025"})
    assert f"header:{field}" in session.state.issues
    doc, wb = export_drafts(session, tmp_path / "out")
    assert "Biểu mẫu 3" in docx_text(doc) and "Biểu mẫu 3" in sheet_text(wb)
    if field == "date_text":  # the day is left to the pen, not a stale or impossible date
        assert "ngày      tháng" in docx_text(doc)


# ---------------------------------------------------------------- control characters already stored

# \x0b and \x0c are left out: Word's line and page breaks, they print as a line break
CONTROLS = "".join(map(chr, [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F, 0x85, 0xFFFE]))


def test_control_characters_already_stored_do_not_stop_either_export(session, store, tmp_path):
    """Data saved before the session refused them (or by another tool) still exports: the
    characters are dropped at write time, the text around them is kept."""
    rid = session.report_id
    store.set_value(rid, "bm4.3", "1\x010")  # a figure that is not a figure: printed in the draft
    store.set_note(rid, "bm1.4", f"ghi{CONTROLS}chú")
    store.set_narrative(rid, "II.2", f"Tiếp nhận{CONTROLS} hồ sơ.")
    header = {**store.get_report(rid)["header"], "number": "27\x078", "recipients": ["Sở\x1bNội vụ"],
              "signer_name": "Nguyễn\x00Văn An"}
    store.update_report(rid, header=header, next_period_label="năm\x0c2024")
    # the profile refuses them now too: written as an older version or another tool would have
    store.db.conn.execute("UPDATE unit_profile SET agency_name = ?", ("Ủy ban nhân dân xã\x02Bình Phước",))
    doc, wb = export_drafts(session, tmp_path / "out")
    text, sheet = docx_text(doc), sheet_text(wb)
    for expected in ("ghichú", "Tiếp nhận hồ sơ.", "Số: 278/", "SởNội vụ", "NguyễnVăn An"):
        assert expected in text, expected
    assert "ghichú" in sheet and "10" in sheet and "278/" in sheet and "năm\n2024" in text
    assert doc.core_properties.author == "Ủy ban nhân dân xãBình Phước"
    assert not any(ch in text + sheet for ch in CONTROLS)


# ---------------------------------------------------------------- what the session refuses

BAD = ["\ud800", "\udfff", "\x00", "\x01", "\x1b", "\x7f", "\x85", "\ufffe", "\uffff"]


def edits(session):
    """Every way the window hands the session typed text."""
    return {
        "value": lambda t: session.set_value("bm4.3", t),
        "note": lambda t: session.set_note("bm1.4", t),
        "narrative": lambda t: session.set_narrative("II.2", t),
        "number": lambda t: session.update_report(header={"number": t}),
        "date_text": lambda t: session.update_report(header={"date_text": t}),
        "recipients": lambda t: session.update_report(header={"recipients": ["Sở Nội vụ", t]}),
        "cc": lambda t: session.update_report(header={"cc": [t]}),
        "next_period_label": lambda t: session.update_report(next_period_label=t),
    }


def _dump(store) -> list:
    con = sqlite3.connect(store.path)
    try:
        return [con.execute(f"SELECT * FROM {t}").fetchall() for t in ("reports", "report_values", "narratives")]
    finally:
        con.close()


@pytest.mark.parametrize("char", BAD)
@pytest.mark.parametrize("field", list(edits(None)))
def test_the_session_refuses_unwritable_characters_in_every_field_and_saves_nothing(session, store, field, char):
    before, seen = _dump(store), []
    session.subscribe(seen.append)
    with pytest.raises(EditError) as err:
        edits(session)[field](f"ab{char}cd")
    message = str(err.value)
    assert f"U+{ord(char):04X}" in message and "vị trí thứ 3" in message and "Hãy xóa" in message, message
    assert _dump(store) == before and seen == []


def test_tab_and_newline_are_text(session, store):
    session.set_note("bm1.4", "một\tHai\nba")
    session.set_narrative("II.2", "Dòng một\r\nDòng hai")
    assert store.get_values(session.report_id)["bm1.4"].note == "một\tHai\nba"
    assert store.get_narratives(session.report_id)["II.2"] == "Dòng một\nDòng hai"


# ---------------------------------------------------------------- a catalog file that cannot be loaded

def _deep_toml(tmp_path):
    path = tmp_path / "sau.toml"
    path.write_text("a = " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    return path


def test_deeply_nested_toml_is_a_catalog_error_naming_the_file(tmp_path):
    with pytest.raises(CatalogError) as err:
        load_catalog(_deep_toml(tmp_path))
    assert "sau.toml" in str(err.value) and "lồng" in str(err.value)


@pytest.mark.parametrize("depth, why", [(450, "ngoặc lồng nhau"), (10_000, "Hãy rút gọn")])
def test_thousands_of_parentheses_in_a_formula_is_a_catalog_error(tmp_path, depth, why):
    # 450 fits in a catalog line (limits.LINE) and is still deep enough to exhaust Python's stack
    text = SHIPPED.read_text(encoding="utf-8")
    old = 'formula = "bm1.2.2 / bm1.2.1"'
    assert old in text
    path = tmp_path / "ngoac.toml"
    path.write_text(text.replace(old, f'formula = "{"(" * depth}bm1.2.2{")" * depth} / bm1.2.1"'), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert "ngoac.toml" in str(err.value) and why in str(err.value)


def test_a_broken_catalog_file_is_skipped_and_reported_and_every_other_report_works(tmp_path, store, monkeypatch):
    folder = tmp_path / "data" / "catalogs"
    folder.mkdir(parents=True)
    _deep_toml(folder)
    (folder / "hong.toml").write_text("[catalog\n", encoding="utf-8")
    registry = CatalogRegistry()
    assert registry.versions() == ["2025.1"]
    assert sorted(p.path.name for p in registry.problems) == ["hong.toml", "sau.toml"]
    assert all("Tệp bộ biểu mẫu" in str(p) for p in registry.problems)
    summary = registry.problems_message()
    assert "hong.toml" in summary and "sau.toml" in summary and "bỏ qua" in summary
    rid = import_doc(store, registry, sample_doc(registry))
    assert ReportSession(store, rid, registry).catalog.version == "2025.1"


def test_a_second_file_with_the_same_version_is_skipped_not_fatal(tmp_path):
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "ban-sao.toml").write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    registry = CatalogRegistry([folder])
    assert registry.versions() == ["2025.1"] and registry.latest().path == SHIPPED
    (problem,) = registry.problems
    assert problem.path.name == "ban-sao.toml" and "2025.1" in str(problem) and "Giữ lại một tệp" in str(problem)


def test_no_problems_means_no_message():
    registry = CatalogRegistry()
    assert registry.problems == [] and registry.problems_message() == ""

"""The one edit path, on a real SQLite file: set → save → re-validate → notify."""

import sqlite3

import pytest

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.core.narrative import render
from cchc_desktop.services.report_io import import_doc
from cchc_desktop.services.reports import ReportExists, create_report, delete_report
from cchc_desktop.services.sample import sample_doc
from cchc_desktop.services.session import EditError, ReportSession
from tests.test_catalog import newer_catalog


def _on_disk(store, rid, ident):
    con = sqlite3.connect(store.path)
    try:
        return con.execute(
            "SELECT raw, note FROM report_values WHERE report_id = ? AND indicator_id = ?", (rid, ident)
        ).fetchone()
    finally:
        con.close()


def test_an_edit_is_on_disk_when_set_value_returns(session, store):
    seen = []
    session.subscribe(seen.append)
    edit = session.set_value("bm4.3", "11")
    assert _on_disk(store, session.report_id, "bm4.3") == ("11", "")
    assert [i.rule for i in edit.change.removed] == ["bm5.5#1"]
    assert seen == [edit]
    assert session.state.sorted_issues() == []


def test_invalid_text_is_saved_as_typed_and_marked(session, store):
    edit = session.set_value("bm3.3.2.1", "1.868 hồ sơ")
    assert _on_disk(store, session.report_id, "bm3.3.2.1") == ("1.868 hồ sơ", "")
    added = {i.key: i.severity for i in edit.change.added}
    assert added["invalid:bm3.3.2.1"] == "invalid"
    # the sample's prose prints this row and its percentage: both now warn they would print "…"
    assert {k for k, sev in added.items() if sev == "warning"} == {"text:II.2:bm3.3.2.1", "text:II.2:bm3.3.5"}
    assert "bm3.3.5" in edit.change.derived and edit.change.derived["bm3.3.5"] is None
    # reopening shows the same text and the same mark
    again = ReportSession(store, session.report_id, CatalogRegistry())
    assert again.state.raw("bm3.3.2.1") == "1.868 hồ sơ"
    assert "invalid:bm3.3.2.1" in again.state.issues


def test_decomposed_unicode_is_stored_composed(session, store):
    decomposed = "Sa\u0301ng kie\u0302\u0301n"  # "Sáng kiến" as some keyboards send it
    session.set_note("bm1.4", decomposed)
    con = sqlite3.connect(store.path)
    (note,) = con.execute("SELECT note FROM report_values WHERE indicator_id = 'bm1.4'").fetchone()
    con.close()
    assert note == "Sáng kiến" and len(note) == 9


def test_derived_and_heading_rows_cannot_be_typed(session):
    with pytest.raises(EditError, match="tự tính"):
        session.set_value("bm3.3.5", "99")
    with pytest.raises(EditError, match="tiêu đề"):
        session.set_value("bm3.3", "1")


def test_complete_only_without_errors_and_an_edit_reopens_it(session, store):
    with pytest.raises(EditError, match="1 lỗi"):
        session.mark_complete()
    assert store.get_report(session.report_id)["status"] == "draft"
    session.set_value("bm4.3", "11")
    session.mark_complete()
    assert store.get_report(session.report_id)["status"] == "complete"
    session.set_value("bm3.3.7", "0")  # a warning only; still a change to vouched-for figures
    assert store.get_report(session.report_id)["status"] == "draft"


def test_an_unchanged_value_writes_nothing(session, store):
    before = len(store.audit(session.report_id, limit=1000))
    edit = session.set_value("bm4.3", "10")
    assert edit.change.empty and len(store.audit(session.report_id, limit=1000)) == before


def test_narratives_and_header(session, store):
    session.set_narrative("II.2", "Tiếp nhận {bm3.3.1} hồ sơ.")
    assert store.get_narratives(session.report_id)["II.2"] == "Tiếp nhận {bm3.3.1} hồ sơ."
    with pytest.raises(EditError):
        session.set_narrative("II", "một mục chỉ có tiêu đề")
    session.update_report(header={"number": ""})
    assert store.get_report(session.report_id)["header"]["number"] == ""
    assert store.get_report(session.report_id)["header"]["signer_title"] == "CHỦ TỊCH"


def test_an_old_report_keeps_its_catalog_version(tmp_path, store):
    registry = CatalogRegistry()
    rid = import_doc(store, registry, sample_doc(registry))
    newer_catalog(tmp_path / "province")
    registry2 = CatalogRegistry([tmp_path / "province"])
    assert registry2.latest().version == "2026.1"
    old = ReportSession(store, rid, registry2)
    assert old.catalog.version == "2025.1" and "bm7.7.3" not in old.catalog.indicators
    assert [(i.severity, i.rule) for i in old.state.sorted_issues()] == [("error", "bm5.5#1")]
    new_id = create_report(store, registry2, 2024, "nam", copy_from=rid, copy_values=True)
    new = ReportSession(store, new_id, registry2)
    assert new.catalog.version == "2026.1"
    rules = {r.id for r in new.catalog.rules}
    # the stock rows came over (bm4.3 and bm5.5.x among them), so the rule still fires, as a warning now
    assert [(i.severity, i.rule) for i in new.state.sorted_issues() if i.rule in rules] == [("warning", "bm5.5#1")]
    # the flow rows start blank: the prose citing them says so until the new figures are typed
    cited = {i.rule.rsplit(":", 1)[1] for i in new.state.sorted_issues() if (i.rule or "").startswith("text:")}
    assert cited and all(new.state.values.get(c) is None for c in cited)
    assert "bm3.3.1.1" in cited  # the sample's window ends 31/10, so the files pending at 14/12 are not known


def test_create_copy_and_delete(tmp_path, store):
    registry = CatalogRegistry()
    rid = import_doc(store, registry, sample_doc(registry))
    store.set_narrative(rid, "II.2", store.get_narratives(rid)["II.2"] + "\nUBND xã đã rà soát, đánh giá 08 TTHC.")
    new_id = create_report(store, registry, 2024, "quy1", copy_from=rid)
    rep = store.get_report(new_id)
    assert (rep["window_start"], rep["window_end"], rep["next_period_label"]) == ("2023-12-15", "2024-03-14", "quý II năm 2024")
    assert rep["header"]["recipients"] == ["Ủy ban nhân dân tỉnh Quảng Ngãi", "Sở Nội vụ tỉnh Quảng Ngãi"]
    assert rep["header"]["number"] == ""  # a new document gets its own number
    # the prose is the old report's; the figures in it that are clearly one row's value are that
    # row's placeholder now (core.carry), so printed with the old figures it reads as it did
    old, new = store.get_narratives(rid), store.get_narratives(new_id)
    assert new.keys() == old.keys() and new["II.2"].endswith("UBND xã đã rà soát, đánh giá {bm3.1.2} TTHC.")
    state = ReportSession(store, rid, registry).state
    assert all(render(new[k], state) == render(old[k], state) for k in old)
    assert store.get_values(new_id) == {}  # figures only on request (copy_values)
    with pytest.raises(ReportExists, match="Quý I 2024"):
        create_report(store, registry, 2024, "quy1")
    backup = delete_report(store, new_id, tmp_path / "backups")
    assert backup.exists() and [r["id"] for r in store.list_reports()] == [rid]


def test_a_burst_of_typing_in_one_cell_is_one_audit_row(session, store):
    rid = session.report_id
    before = len(store.audit(rid, limit=1000))
    for text in ("1", "11"):  # saved at every keystroke, as the window does
        session.set_value("bm4.3", text)
    rows = store.audit(rid, limit=1000)
    assert len(rows) == before + 1
    assert (rows[0]["what"], rows[0]["old"], rows[0]["new"]) == ("value:bm4.3", "10", "11")
    session.set_value("bm4.2.1", "21")  # another cell ends the burst
    session.set_value("bm4.3", "12")
    rows = store.audit(rid, limit=1000)
    assert [(r["what"], r["old"], r["new"]) for r in rows[:2]] == [("value:bm4.3", "11", "12"), ("value:bm4.2.1", "20", "21")]


def test_a_wrongly_typed_date_is_kept_counted_and_travels(session, store):
    from cchc_desktop.formats.exchange import dump_exchange, parse_exchange_bytes
    from cchc_desktop.formats.printed import PrintedReport
    from cchc_desktop.services.report_io import report_to_doc

    edit = session.update_report(header={"date_text": "31/02/2023"})  # kept as typed by the window
    (issue,) = edit.change.added
    assert (issue.severity, issue.key, issue.indicators) == ("invalid", "header:date_text", ())
    assert "“31/02/2023” không phải là một ngày" in issue.message
    assert session.state.blocking_count == 2  # with the sample's own error
    with pytest.raises(EditError):
        session.mark_complete()
    doc = parse_exchange_bytes(dump_exchange(report_to_doc(store, session.report_id)))
    assert doc["report"]["header"]["date_text"] == "31/02/2023"
    view = PrintedReport.from_doc(doc, CatalogRegistry())
    assert "header:date_text" in view.state.issues
    assert "ngày      tháng" in view.place_date_line()  # not the stale 03/11/2023
    again = ReportSession(store, session.report_id, CatalogRegistry())
    assert "header:date_text" in again.state.issues
    edit = session.update_report(header={"date_text": ""})
    assert [i.key for i in edit.change.removed] == ["header:date_text"]


def test_a_note_on_a_computed_row_does_not_stop_the_report_opening(session, store):
    session.set_note("bm3.3.5", "Tính theo số hồ sơ đã giải quyết.")
    again = ReportSession(store, session.report_id, CatalogRegistry())
    assert again.state.notes["bm3.3.5"] == "Tính theo số hồ sơ đã giải quyết."
    assert again.state.derived_text("bm3.3.5") == session.state.derived_text("bm3.3.5")

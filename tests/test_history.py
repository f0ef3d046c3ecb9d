"""The change history read back from the audit log of a real data file, after real edits made
through the one edit path (ReportSession), and the words it is shown in."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from cchc_desktop.core import history_text as words
from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.services.report_io import import_doc
from cchc_desktop.services.sample import sample_doc
from cchc_desktop.services.session import ReportSession
from cchc_desktop.storage.history import HistoryEntry, history, restore_args


def _sides(changes):
    return [(c.kind, c.key, c.old, c.new) for c in changes]


def test_edits_come_back_newest_first_with_the_raw_text_typed(session, store):
    rid = session.report_id
    before = len(history(store, rid))
    old_prose = session.narratives["II.1"]
    session.set_value("bm4.3", "1.097")
    session.set_value("bm4.2.1", "12 0 1.097")  # not a figure: kept as typed, and so in the history
    session.set_note("bm4.3", "Theo số liệu của bộ phận một cửa")
    session.set_narrative("II.1", "Đã rà soát 5 văn bản.")
    changes = history(store, rid)
    assert len(changes) == before + 4
    assert _sides(changes[:4]) == [
        ("narrative", "II.1", old_prose, "Đã rà soát 5 văn bản."),
        ("note", "bm4.3", "", "Theo số liệu của bộ phận một cửa"),
        ("value", "bm4.2.1", "20", "12 0 1.097"),
        ("value", "bm4.3", "10", "1.097"),
    ]
    assert [c.id for c in changes] == sorted((c.id for c in changes), reverse=True)
    # the report's creation put the sample's figures in: the oldest change of a cell, from nothing
    first = history(store, rid, "bm4.3", "value")[-1]
    assert (first.old, first.new) == (None, "10")


def test_when_is_the_local_time_of_the_save(session, store, monkeypatch):
    # the store writes UTC; the clerk reads the PC's clock (Vietnam: UTC+7, and no test machine
    # in UTC may hide a missing conversion)
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:
        session.set_value("bm4.3", "11")
        change = history(store, session.report_id, "bm4.3", "value")[0]
        assert change.when.utcoffset() == dt.timedelta(hours=7)
        assert abs((dt.datetime.now().astimezone() - change.when).total_seconds()) < 60
        # a time still in UTC is shown in the PC's time too
        in_utc = change.when.astimezone(dt.timezone.utc)
        assert words.when_text(in_utc) == f"{change.when:%H:%M} ngày {change.when:%d/%m/%Y}"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_burst_is_one_change_and_a_burst_typed_and_erased_is_none(session, store):
    rid = session.report_id
    for text in ("1", "19", "196"):  # saved at every keystroke, as the window does
        session.set_value("bm4.3", text)
    assert _sides(history(store, rid, "bm4.3", "value")[:1]) == [("value", "bm4.3", "10", "196")]
    session.set_value("bm4.2.1", "21")  # another cell ends the burst
    session.set_value("bm4.3", "1960")
    session.set_value("bm4.3", "196")  # typed a 0 and took it back: nothing changed
    assert _sides(history(store, rid, "bm4.3", "value")[:2]) == [("value", "bm4.3", "10", "196"),
                                                                 ("value", "bm4.3", None, "10")]


def test_filters_by_cell_form_section_and_kind(session, store):
    rid = session.report_id
    session.set_value("bm4.3", "11")
    session.set_note("bm4.3", "ghi chú")
    session.set_value("bm3.1.1", "7")
    session.set_narrative("II.1", "Mới.")
    session.update_report(header={"number": "15/BC-UBND"})
    cell = history(store, rid, "bm4.3")
    assert {c.kind for c in cell} == {"value", "note"} and {c.key for c in cell} == {"bm4.3"}
    assert [c.kind for c in history(store, rid, "bm4.3", "note")] == ["note"]
    form4 = history(store, rid, 4)
    assert form4 and all(c.key.startswith("bm4.") for c in form4)
    assert "bm3.1.1" not in {c.key for c in form4} and "bm3.1.1" in {c.key for c in history(store, rid, 3)}
    assert _sides(history(store, rid, "II.1", "narrative")[:1])[0][3] == "Mới."
    prose = history(store, rid, kind="narrative")
    assert prose and {c.kind for c in prose} == {"narrative"}
    assert ("header", "number", "15/BC-UBND") in {(c.kind, c.key, c.new) for c in history(store, rid, kind="header")}
    assert [c.new for c in history(store, rid, "number")][:1] == ["15/BC-UBND"]
    with pytest.raises(ValueError, match="Loại thay đổi"):
        history(store, rid, kind="values")


def test_another_reports_history_is_not_mixed_in(session, store):
    registry = CatalogRegistry()
    doc = sample_doc(registry)
    doc["report"]["period"] = "6thang"
    other = ReportSession(store, import_doc(store, registry, doc), registry)
    other.set_value("bm4.3", "99")
    assert "99" not in {c.new for c in history(store, session.report_id, "bm4.3")}
    assert history(store, other.report_id, "bm4.3", "value")[0].new == "99"


def test_header_changes_are_one_per_field_and_restore_through_update_report(session, store):
    rid = session.report_id
    old_recipients = list(session.report["header"]["recipients"])
    old_start = session.report["window_start"]
    session.update_report(header={"number": "12/BC-UBND", "recipients": ["Sở Nội vụ tỉnh"]},
                          window_start="2025-12-15")
    changes = [c for c in history(store, rid) if c.kind == "header"]
    got = {c.key: c for c in changes[:3]}
    assert set(got) == {"number", "recipients", "window_start"}
    assert got["recipients"].old == "\n".join(old_recipients) and got["recipients"].new == "Sở Nội vụ tỉnh"
    assert got["window_start"].old == old_start and got["window_start"].new == "2025-12-15"
    assert all(c.restorable for c in got.values())
    session.update_report(**restore_args(got["recipients"]))
    session.update_report(**restore_args(got["window_start"]))
    assert session.report["header"]["recipients"] == old_recipients
    assert session.report["window_start"] == old_start


def test_a_status_change_is_listed_but_not_restorable(session, store):
    session.store.update_report(session.report_id, status="complete")
    status = history(store, session.report_id, kind="status")[0]
    assert (status.old, status.new, status.restorable) == ("draft", "complete", False)
    assert words.shown(status, status.new) == "đã hoàn thành"
    with pytest.raises(ValueError):
        restore_args(status)


def test_how_a_change_is_named(catalog):
    at = dt.datetime(2026, 12, 2, 14, 5)
    value = HistoryEntry(1, at, "value", "bm3.1.1", "12", "1.097")
    assert words.target_name(catalog, value) == "Biểu mẫu 3, dòng 1.1 — Số liệu"
    assert words.target_name(catalog, HistoryEntry(2, at, "note", "bm3.1.1", None, "x")) == "Biểu mẫu 3, dòng 1.1 — Ghi chú"
    assert words.target_name(catalog, HistoryEntry(3, at, "narrative", "II.1", None, "x")).startswith("Mục II.1 (")
    number = HistoryEntry(4, at, "header", "number", "", "12/BC-UBND")
    assert words.target_name(catalog, number) == "Thông tin chung — Số văn bản"
    assert words.old_to_new(number) == "(trống) → 12/BC-UBND"
    assert words.old_to_new(value) == "12 → 1.097"
    # a row this catalog no longer has is still named from its id
    assert words.target_name(catalog, HistoryEntry(5, at, "value", "bm9.4.2", None, "1")) == "Biểu mẫu 9, dòng 4.2 — Số liệu"
    # a section title carrying the next period is filled in, never shown as a placeholder
    titled = next(s for s, sec in catalog.sections.items() if "{next_period_upper}" in sec.title)
    named = words.target_name(catalog, HistoryEntry(6, at, "narrative", titled, None, "x"), "Năm 2027")
    assert "{" not in named and "NĂM 2027" in named


def test_time_dates_and_long_prose_as_the_clerk_reads_them():
    assert words.when_text(dt.datetime(2026, 12, 2, 14, 5)) == "14:05 ngày 02/12/2026"
    aware = dt.datetime(2026, 12, 2, 7, 5, tzinfo=dt.timezone.utc)
    start = HistoryEntry(1, aware, "header", "window_start", "2024-12-15", None)
    assert words.shown(start, start.old) == "15/12/2024" and words.shown(start, start.new) == "(trống)"
    prose = "UBND xã đã ban hành Kế hoạch cải cách hành chính năm 2026, " * 5
    short = words.shortened(prose, 80)
    assert short.endswith("…") and len(short) <= 80 and prose.startswith(short[:-1])
    assert words.shortened("Hai dòng\nngắn.") == "Hai dòng ngắn."


def test_the_filter_offers_every_form_prose_and_header(catalog):
    labels = [label for label, _, _ in words.filters(catalog)]
    assert labels[0] == "Tất cả"
    assert [f"Biểu mẫu {n}" for n in sorted(catalog.forms)] == labels[1:1 + len(catalog.forms)]
    assert labels[-2:] == [words.PROSE_FILTER, "Thông tin chung"]

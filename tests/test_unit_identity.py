"""The data file holds one unit and its profile is that unit's one identity (issue 10 §3, §8):
reports are named by the profile whatever name they were made under, a unit has one report a
period, a saved profile reaches the drafts that still carry its old signer and recipients
(only when asked, never a complete report), and a report of another unit keeps that unit.
All on a real SQLite data file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.core.unit import ProfileForm, profile_from_form
from cchc_desktop.formats.exchange import read_exchange_file
from cchc_desktop.gui.report_picker import open_sample
from cchc_desktop.services.profile import apply_profile, changed_fields, pending_changes
from cchc_desktop.services.report_io import export_file, import_doc, report_to_doc
from cchc_desktop.services.reports import ReportExists, create_report, find_report
from cchc_desktop.services.sample import sample_doc
from cchc_desktop.storage.store import MIGRATIONS, Store, migrate

REGISTRY = CatalogRegistry()
AN_HOI = profile_from_form(ProfileForm(name="An Hội", kind="phường", province="Quảng Ngãi", signer_name="Lê Văn Cũ",
                                       signer_title="CHỦ TỊCH", recipients="UBND tỉnh Quảng Ngãi\nSở Nội vụ",
                                       code="21100", province_code="51"))


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "cchc.sqlite") as s:
        yield s


def _stored_names(store: Store) -> dict[int, str]:
    return dict(store.conn.execute("SELECT id, unit_name FROM reports"))


# --- one unit, named by its profile ----------------------------------------------------------

def test_a_report_made_before_the_profile_is_named_by_it_once_it_is_saved(store):
    first = create_report(store, REGISTRY, 2025, "nam")  # the first-run form was skipped
    assert store.get_report(first)["unit_name"] == ""
    store.save_profile(AN_HOI)
    assert store.get_report(first)["unit_name"] == "Phường An Hội"
    assert [r["unit_name"] for r in store.list_reports()] == ["Phường An Hội"]
    assert _stored_names(store) == {first: "Phường An Hội"}  # the raw copy follows (backups list)
    store.save_profile({"name": "An Hội Mới"})
    assert store.get_report(first)["unit_name"] == "Phường An Hội Mới" and _stored_names(store)[first] == "Phường An Hội Mới"


def test_a_second_report_of_a_period_is_refused_whatever_name_the_first_was_made_under(store):
    first = create_report(store, REGISTRY, 2025, "nam")  # made under no name
    store.save_profile(AN_HOI)
    with pytest.raises(ReportExists, match=f"Năm 2025 \\(mã {first}\\)"):
        create_report(store, REGISTRY, 2025, "nam")
    store.save_profile({"name": "Đổi Tên"})  # and after a rename
    with pytest.raises(ReportExists):
        create_report(store, REGISTRY, 2025, "nam")
    assert find_report(store, "", 2025, "nam")["id"] == first
    assert find_report(store, "Phường Đổi Tên", 2025, "nam")["id"] == first
    assert create_report(store, REGISTRY, 2025, "quy1") != first  # another period is another report
    assert len(store.list_reports()) == 2


def test_the_exported_unit_is_the_profile_as_it_is_now_with_its_codes(store, tmp_path):
    rid = create_report(store, REGISTRY, 2025, "nam")
    store.save_profile(AN_HOI)
    path = tmp_path / "bao-cao.json"
    export_file(store, rid, path)
    unit = read_exchange_file(path)["unit"]
    assert (unit["kind"], unit["name"], unit["code"], unit["province_code"]) == ("phường", "An Hội", "21100", "51")


def test_a_file_of_the_units_own_report_is_the_units_own_and_cannot_double_a_period(store):
    store.save_profile(AN_HOI)
    doc = sample_doc(REGISTRY)
    doc["unit"] |= {"kind": "phường", "name": "an hoi", "code": ""}  # typed otherwise, no code: same full name
    rid = import_doc(store, REGISTRY, doc)
    report = store.get_report(rid)
    assert report["other_unit"] is None and report["unit_name"] == "Phường An Hội"
    with pytest.raises(ReportExists):
        create_report(store, REGISTRY, doc["report"]["year"], doc["report"]["period"])
    with pytest.raises(Exception, match="Đã có báo cáo Năm 2023 của Phường An Hội"):
        import_doc(store, REGISTRY, doc)


def test_a_report_of_another_unit_keeps_that_unit_and_never_stands_for_the_units_own(store, tmp_path):
    store.save_profile(AN_HOI)
    sample = open_sample(store, REGISTRY)  # Xã Bình Phước 2023: another unit
    report = store.get_report(sample)
    assert report["unit_name"] == "Xã Bình Phước" and report["other_unit"]["name"] == "Bình Phước"
    assert open_sample(store, REGISTRY) == sample  # found again by its unit
    own = create_report(store, REGISTRY, 2023, "nam")  # the unit's own Năm 2023 is not the sample
    assert own != sample and find_report(store, "", 2023, "nam")["id"] == own
    assert open_sample(store, REGISTRY) == sample
    store.save_profile({"name": "Tên Khác"})
    assert store.get_report(sample)["unit_name"] == "Xã Bình Phước"  # the profile is not its unit
    assert report_to_doc(store, sample)["unit"]["name"] == "Bình Phước"
    assert report_to_doc(store, own)["unit"]["name"] == "Tên Khác"
    # the same unit by code, under another name, is the unit's own
    doc = sample_doc(REGISTRY)
    doc["unit"] |= {"name": "Tên Cũ Trước Sáp Nhập", "code": "21100"}
    doc["report"]["year"] = 2024
    assert store.get_report(import_doc(store, REGISTRY, doc))["other_unit"] is None


def test_the_first_file_on_a_machine_gives_a_nameless_profile_its_unit_and_keeps_what_was_typed(store):
    store.save_profile({"signer_name": "Đã Gõ"})  # saved without a name
    rid = import_doc(store, REGISTRY, sample_doc(REGISTRY))
    profile = store.get_profile()
    assert profile["name"] == "Bình Phước" and profile["signer_name"] == "Đã Gõ"
    assert store.get_report(rid)["other_unit"] is None


# --- a saved profile and the reports already made ---------------------------------------------

def _reports(store: Store) -> dict[str, int]:
    store.save_profile(AN_HOI)
    ids = {name: create_report(store, REGISTRY, 2025, period)
           for name, period in (("nam", "nam"), ("quy1", "quy1"), ("6thang", "6thang"), ("done", "quy3"),
                                ("own_signer", "9thang"))}
    store.update_report(ids["done"], status="complete")
    header = store.get_report(ids["own_signer"])["header"]
    store.update_report(ids["own_signer"], header=header | {"signer_name": "Phó Chủ Tịch Ký Thay"})
    ids["sample"] = open_sample(store, REGISTRY)
    return ids


def test_pending_changes_are_the_drafts_holding_the_old_values(store):
    ids = _reports(store)
    after = AN_HOI | {"signer_name": "Nguyễn Thị Mới", "recipients": ["Sở Nội vụ tỉnh Quảng Ngãi"]}
    assert changed_fields(AN_HOI, after) == ["recipients", "signer_name"]
    changes = pending_changes(store, AN_HOI, after)
    assert changes.drafts == {
        ids["nam"]: {"recipients": ["Sở Nội vụ tỉnh Quảng Ngãi"], "signer_name": "Nguyễn Thị Mới"},
        ids["quy1"]: {"recipients": ["Sở Nội vụ tỉnh Quảng Ngãi"], "signer_name": "Nguyễn Thị Mới"},
        ids["6thang"]: {"recipients": ["Sở Nội vụ tỉnh Quảng Ngãi"], "signer_name": "Nguyễn Thị Mới"},
        ids["own_signer"]: {"recipients": ["Sở Nội vụ tỉnh Quảng Ngãi"]},  # its own signer is kept
    }
    assert [r["id"] for r in changes.complete] == [ids["done"]]
    assert ids["sample"] not in changes.drafts  # another unit's header is that unit's
    assert pending_changes(store, AN_HOI, AN_HOI | {"place_name": "Nơi Khác"}).empty  # letterhead: nothing copied


def test_apply_profile_changes_the_drafts_audited_and_leaves_complete_reports(store):
    ids = _reports(store)
    after = AN_HOI | {"signer_name": "Nguyễn Thị Mới"}
    store.save_profile(after)
    done = apply_profile(store, list(ids.values()), after, AN_HOI)
    assert done == {ids[k]: {"signer_name": ("Lê Văn Cũ", "Nguyễn Thị Mới")} for k in ("nam", "quy1", "6thang")}
    for key in ("nam", "quy1", "6thang"):
        report = store.get_report(ids[key])
        assert report["header"]["signer_name"] == "Nguyễn Thị Mới" and report["status"] == "draft"
        (row,) = [a for a in store.audit(ids[key]) if a["what"] == "report:update" and "Mới" in (a["new"] or "")]
        assert json.loads(row["old"])["header"]["signer_name"] == "Lê Văn Cũ"
    done_report = store.get_report(ids["done"])
    assert done_report["header"]["signer_name"] == "Lê Văn Cũ" and done_report["status"] == "complete"
    assert store.get_report(ids["own_signer"])["header"]["signer_name"] == "Phó Chủ Tịch Ký Thay"
    assert apply_profile(store, list(ids.values()), after, AN_HOI) == {}  # twice: nothing more


def test_a_store_error_half_way_says_which_reports_were_updated(store, monkeypatch):
    from cchc_desktop.storage.store import StoreError

    ids = _reports(store)
    after = AN_HOI | {"signer_name": "Nguyễn Thị Mới"}
    real = store.update_report
    calls = []

    def failing_second(rid, **fields):
        calls.append(rid)
        if len(calls) == 2:
            raise StoreError("Ổ đĩa đã đầy.")
        real(rid, **fields)

    monkeypatch.setattr(store, "update_report", failing_second)
    with pytest.raises(StoreError) as info:
        apply_profile(store, [ids["nam"], ids["quy1"], ids["6thang"]], after, AN_HOI)
    assert list(info.value.applied) == [ids["nam"]]


# --- files written before: schema v3 → v4 ------------------------------------------------------

def test_a_v3_file_keeps_its_own_reports_named_by_the_profile_and_another_units_as_that_unit(tmp_path: Path):
    path = tmp_path / "cchc.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, MIGRATIONS[:3]) == 3
    profile_v1 = json.dumps({"kind": "xã", "name": "Tên Cũ"}, ensure_ascii=False)
    conn.execute("INSERT INTO unit_profile (id, kind, name, updated_at) VALUES (1, 'phường', 'An Hội', 'x')")
    conn.execute("INSERT INTO audit_log (at, what, old, new) VALUES ('x', 'profile', NULL, ?)", (profile_v1,))
    conn.execute("INSERT INTO audit_log (at, what, old, new) VALUES ('x', 'profile', ?, 'hỏng{')", (profile_v1,))
    for name, year in (("", 2021), ("Phường An Hội", 2022), ("XÃ TÊN CŨ", 2023), ("Xã Bình Phước", 2024)):
        conn.execute("INSERT INTO reports (unit_name, year, period, created_at, updated_at) VALUES (?, ?, 'nam', 'x', 'x')",
                     (name, year))
    conn.close()
    with Store(path) as store:
        by_year = {r["year"]: r for r in store.list_reports()}
        assert {y: r["unit_name"] for y, r in by_year.items()} == {
            2021: "Phường An Hội", 2022: "Phường An Hội", 2023: "Phường An Hội", 2024: "Xã Bình Phước"}
        assert [y for y, r in by_year.items() if r["other_unit"] is not None] == [2024]
        assert by_year[2024]["other_unit"] == {"kind": "xã", "name": "Bình Phước"}
        assert store.get_profile()["code"] == store.get_profile()["province_code"] == ""
        with pytest.raises(ReportExists):  # the report made under the unit's old name is its own
            create_report(store, REGISTRY, 2023, "nam")
        assert create_report(store, REGISTRY, 2024, "nam")  # the other unit's 2024 is not the unit's

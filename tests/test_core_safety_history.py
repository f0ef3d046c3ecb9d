"""What a deleted report leaves behind: an id never given out again (so audit histories never
merge), its pre-delete backup kept, and an import that writes its profile and report together."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from cchc_desktop.storage import backups
from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.services.report_io import import_doc
from cchc_desktop.services.reports import delete_report
from cchc_desktop.services.sample import sample_doc
from cchc_desktop.storage.store import MIGRATIONS, Store
from tests.test_store import META


def test_report_ids_are_never_reused_after_deletes(tmp_path: Path):
    with Store(tmp_path / "cchc.sqlite") as s:
        ids = []
        for _ in range(12):
            rid = s.create_report(META, values={"bm1": ("1", "")})
            ids.append(rid)
            delete_report(s, rid, tmp_path / "backups")
        assert len(set(ids)) == 12
        for rid in ids:  # each history is one report's: created once, deleted once
            assert [r["what"] for r in s.audit(rid)] == ["report:delete", "value:bm1", "report:create"]


def test_a_v1_file_upgrades_keeping_data_and_never_reusing_deleted_ids(tmp_path: Path):
    db = tmp_path / "cchc.sqlite"
    with Store(db, migrations=MIGRATIONS[:1]) as s:  # a file as the first release wrote it
        kept = s.create_report(META, values={"bm1": ("12", "ghi chú")}, narratives={"I": "Đã rà soát."})
        gone = s.create_report(META | {"period": "nam"})
        delete_report(s, gone, tmp_path / "backups")  # the highest id: v1 would give it out again
        assert s.db.execute("SELECT version FROM schema_version").fetchone()[0] == 1
    with Store(db) as s:
        assert s.db.execute("SELECT version FROM schema_version").fetchone()[0] == len(MIGRATIONS)
        # the table rebuild must not cascade into the values and paragraphs of the report kept
        assert s.get_values(kept)["bm1"].raw == "12" and s.get_narratives(kept) == {"I": "Đã rà soát."}
        new = s.create_report(META | {"period": "9thang"})
        assert new > gone
        assert s.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.db.execute("PRAGMA foreign_key_check").fetchall() == []
        delete_report(s, kept, tmp_path / "backups")  # deleting still cascades after the upgrade
        assert s.db.execute("SELECT count(*) FROM report_values").fetchone()[0] == 0


def test_every_pre_delete_backup_is_kept_while_the_disk_has_room(tmp_path: Path, monkeypatch):
    bdir = tmp_path / "backups"
    with Store(tmp_path / "cchc.sqlite") as s:
        for i in range(backups.KEEP + 2):
            delete_report(s, s.create_report(META | {"year": 2000 + i}), bdir)
        made = [b for b in backups.list_backups(bdir) if b.reason == "truoc-khi-xoa"]
        assert len(made) == backups.KEEP + 2  # the first deleted report is still recoverable
        monkeypatch.setattr(backups, "LOW_SPACE_BYTES", 1 << 62)  # a disk with no room left
        delete_report(s, s.create_report(META | {"year": 2099}), bdir)
        assert len([b for b in backups.list_backups(bdir) if b.reason == "truoc-khi-xoa"]) == backups.KEEP


def test_an_import_that_fails_after_the_profile_leaves_no_profile(tmp_path: Path):
    registry = CatalogRegistry()
    doc = copy.deepcopy(sample_doc(registry))
    doc["report"]["period"] = "quy5"  # refused by the report half, after the profile half
    with Store(tmp_path / "cchc.sqlite") as s:
        with pytest.raises(ValueError):
            import_doc(s, registry, doc)
        assert s.get_profile() is None and s.list_reports() == []
        assert s.audit() == []
        assert not s.db.conn.in_transaction
        doc["report"]["period"] = "nam"
        rid = import_doc(s, registry, doc)  # the same file, fixed, goes in whole
        assert s.get_profile()["name"] and s.get_report(rid)["period"] == "nam"


def test_a_nested_write_that_fails_undoes_only_its_own_part(tmp_path: Path):
    with Store(tmp_path / "cchc.sqlite") as s:
        with s.transaction():
            s.save_profile({"name": "Bình Phước"})
            with pytest.raises(ValueError):
                s.create_report(META | {"khong_co": 1})
            rid = s.create_report(META)
        assert s.get_profile()["name"] == "Bình Phước" and [r["id"] for r in s.list_reports()] == [rid]

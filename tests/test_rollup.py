"""The province's roll-up of many communes' files (real exchange files and real appendices)."""

import copy
import json
import csv
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.core.numbers import percent
from cchc_desktop.formats.excel import write_xlsx
from cchc_desktop.formats.exchange import write_exchange_file
from cchc_desktop.formats.printed import PrintedReport
from cchc_desktop.services.rollup import read_units_csv, rollup, unit_key
from cchc_desktop.services.sample import sample_doc

REGISTRY = CatalogRegistry()
CATALOG = REGISTRY.latest()
SAMPLE = sample_doc(REGISTRY)


def commune(name: str, values: dict[str, str], **report) -> dict:
    doc = copy.deepcopy(SAMPLE)
    doc["unit"]["name"] = name
    doc["values"] = dict(values)
    doc["report"].update(report)
    return doc


def test_counts_are_summed_and_percentages_recomputed_from_the_sums(tmp_path):
    # 1 of 2 tasks done in one commune, 99 of 100 in another: 100/102, not the mean of 50 % and 99 %
    write_exchange_file(commune("Thử 01", {"bm1.2.1": "2", "bm1.2.2": "1", "bm1.4": "1"}), tmp_path / "a.json")
    write_exchange_file(commune("Thử 02", {"bm1.2.1": "100", "bm1.2.2": "99", "bm1.4": "0"}), tmp_path / "b.json")
    write_exchange_file(commune("Thử 03", {"bm1.2.1": "1.000", "bm1.2.2": "900"}), tmp_path / "c.json")
    r = rollup([tmp_path], REGISTRY)
    assert r.exit_code == 0 and len(r.units) == 3
    assert r.totals["bm1.2.1"] == 1102 and r.totals["bm1.2.2"] == 1000
    assert r.derived["bm1.2"] == percent(1000, 1102)
    out = r.as_json()
    assert out["totals"]["bm1.2.1"] == "1.102" and out["derived"]["bm1.2"] == "90,74"
    assert out["flags"]["bm1.4"] == {"0": 1, "1": 1, "": 1}
    assert [u["name"] for u in out["units"]] == ["Xã Thử 01", "Xã Thử 02", "Xã Thử 03"]
    assert "bm3.3.2" not in out["totals"]  # blank everywhere: omitted


def test_money_is_summed_exactly(tmp_path):
    money = [i.id for i in CATALOG.indicators.values() if i.kind == "money"][0]
    for n, v in enumerate(["0,1", "0,2", "1.005,8"]):
        write_exchange_file(commune(f"Tiền {n}", {money: v}), tmp_path / f"{n}.json")
    r = rollup([tmp_path], REGISTRY)
    assert r.totals[money] == Decimal("1006.1") and r.as_json()["totals"][money] == "1.006,1"


def test_each_refusal_names_its_file_and_reason(tmp_path):
    write_exchange_file(commune("Một", {"bm1.2.1": "2"}), tmp_path / "mot.json")
    write_exchange_file(commune("Hai", {"bm1.2.1": "3"}), tmp_path / "hai.json")
    write_exchange_file(commune("Nam khác", {"bm1.2.1": "3"}, year=2022), tmp_path / "nam.json")
    write_exchange_file(commune("Kỳ khác", {"bm1.2.1": "3"}, period="quy1"), tmp_path / "ky.json")
    (tmp_path / "hong.json").write_text('{"format": "cchc', "utf-8")
    # the same commune twice: identical copies count once, different figures refuse both
    write_exchange_file(commune("Một", {"bm1.2.1": "2"}), tmp_path / "mot-ban-sao.json")
    write_exchange_file(commune("Ba", {"bm1.2.1": "4"}), tmp_path / "ba.json")
    write_exchange_file(commune("BA ", {"bm1.2.1": "5"}), tmp_path / "ba-sua.json")
    r = rollup([tmp_path], REGISTRY, year=2023, period="nam")
    reasons = {Path(x.file).name: x.reason for x in r.refused}
    assert set(reasons) == {"nam.json", "ky.json", "hong.json", "ba.json", "ba-sua.json"}
    assert "năm 2022" in reasons["nam.json"] and "Quý I" in reasons["ky.json"]
    assert "ba-sua.json, ba.json" in reasons["ba.json"] and "số liệu khác nhau" in reasons["ba-sua.json"]
    assert [u.name for u in r.units] == ["Xã Hai", "Xã Một"] and r.totals["bm1.2.1"] == 5
    assert r.exit_code == 1


def test_appendices_are_read_like_exchange_files_and_edited_ones_refused(tmp_path):
    doc = commune("Phụ Lục", {"bm1.2.1": "7", "bm1.2.2": "7"})
    write_xlsx(PrintedReport.from_doc(doc, REGISTRY), tmp_path / "ok.xlsx")
    write_exchange_file(doc, tmp_path / "ok.json")  # the same report as .json too: counted once
    other = commune("Sửa Tay", {"bm1.2.1": "5"})
    write_xlsx(PrintedReport.from_doc(other, REGISTRY), tmp_path / "sua.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "sua.xlsx")
    ws = wb["Phụ lục"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == 5 and c.column_letter == "D")
    cell.value = 50
    wb.save(tmp_path / "sua.xlsx")
    r = rollup([tmp_path], REGISTRY)
    assert [u.name for u in r.units] == ["Xã Phụ Lục"] and r.totals["bm1.2.1"] == 7
    (refusal,) = r.refused
    assert refusal.file.endswith("sua.xlsx") and f"Ô {cell.coordinate}" in refusal.reason


def test_units_that_sent_nothing_are_missing(tmp_path):
    write_exchange_file(commune("Thử 01", {}), tmp_path / "a.json")
    listing = tmp_path / "don_vi.csv"
    with open(listing, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["code", "name"])
        w.writerows([["", "xa thu 01"], ["99", "Xã Thử 02"]])
    units = read_units_csv(listing)
    assert units == [("xa thu 01", ""), ("Xã Thử 02", "99")]
    r = rollup([tmp_path / "a.json"], REGISTRY, units=units)
    assert r.missing == ["Xã Thử 02"] and r.exit_code == 1


def test_nothing_readable_is_exit_2(tmp_path):
    (tmp_path / "x.json").write_text("không phải json", "utf-8")
    r = rollup([tmp_path], REGISTRY)
    assert r.exit_code == 2 and r.refused and not r.units


def test_unit_identity_ignores_case_spacing_and_marks_but_prefers_codes():
    assert unit_key("Xã Thử 01") == unit_key(" xa  THU 01")
    assert unit_key("Xã A", "123") == unit_key("Xã B", "123") != unit_key("Xã A")


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 5000)), min_size=1, max_size=6))
def test_totals_equal_hand_sums_for_any_communes(tmp_path_factory, pairs):
    folder = tmp_path_factory.mktemp("r")
    for n, (a, b) in enumerate(pairs):
        write_exchange_file(commune(f"Xã {n}", {"bm3.3.1": str(a + b), "bm3.3.2": str(a)}), folder / f"{n}.json")
    r = rollup([folder], REGISTRY)
    assert r.totals["bm3.3.1"] == sum(a + b for a, b in pairs)
    assert r.totals.get("bm3.3.2", 0) == sum(a for a, _ in pairs)


def test_the_provincial_appendix_has_the_unit_table_and_a_column_per_commune(tmp_path):
    from cchc_desktop.services.rollup_xlsx import write_rollup_xlsx

    write_exchange_file(commune("Thử 01", {"bm1.2.1": "2", "bm1.2.2": "1", "bm1.4": "1"}), tmp_path / "a.json")
    write_exchange_file(commune("=Thử 02", {"bm1.2.1": "100", "bm1.2.2": "99", "bm1.4": "0"}), tmp_path / "b.json")
    r = rollup([tmp_path], REGISTRY, units=[("Xã Thử 09", "")])
    out = tmp_path / "tong_hop.xlsx"
    write_rollup_xlsx(r, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Đơn vị"] + [f"Biểu mẫu {n}" for n in sorted(CATALOG.forms)]
    units = [[c for c in row] for row in wb["Đơn vị"].iter_rows(min_row=5, values_only=True)]
    assert [u[1] for u in units] == ["Xã =Thử 02", "Xã Thử 01", "Xã Thử 09"] and units[2][3] == "chưa gửi"
    bm1 = {row[0]: row for row in wb["Biểu mẫu 1"].iter_rows(min_row=4, values_only=True)}
    stt = CATALOG.indicators["bm1.2.1"].stt
    assert bm1[stt][3:6] == (102, 100, 2)
    assert bm1[CATALOG.indicators["bm1.2"].stt][3] == float(percent(100, 102))
    assert "Có: 1" in bm1[CATALOG.indicators["bm1.4"].stt][3]


def test_without_a_units_list_the_official_list_of_the_files_provinces_says_who_is_missing(tmp_path):
    from cchc_desktop.core import units_list

    first, second, *rest = units_list.units_of(units_list.province_named("Hà Nội").code)
    for n, unit in enumerate((first, second)):
        doc = commune(unit.name, {"bm1.2.1": "2"})
        doc["unit"] |= {"kind": unit.kind, "code": unit.official_code}
        write_exchange_file(doc, tmp_path / f"{n}.json")
    r = rollup([tmp_path], REGISTRY)
    assert len(r.units) == 2 and r.exit_code == 1
    assert r.missing == [u.full_name for u in rest]  # every other unit of Hà Nội, none of another province
    # files without codes (the sample's units): no list to compare with, nothing missing
    plain = tmp_path / "plain"
    plain.mkdir()
    write_exchange_file(commune("Thử 01", {"bm1.2.1": "2"}), plain / "a.json")
    assert rollup([plain], REGISTRY).missing == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Xã A", "xa a", "Xã B", "Phường C", ""]),
                          st.sampled_from(["", "1", "001", "2", "3"])), max_size=6),
       st.lists(st.tuples(st.sampled_from(["Xã A", "Xã B", "Xã D", ""]), st.sampled_from(["", "1", "2", "4"])),
                max_size=6))
def test_missing_is_same_unit_against_every_report(listed, received):
    from cchc_desktop.core.unit import same_unit
    from cchc_desktop.services.rollup import UnitReport, _missing

    kept = [UnitReport(n, c, "", "draft", 0, 0, 2025, "nam", {}, {}, CATALOG) for n, c in received]
    assert _missing(listed, kept) == [n for n, c in listed if not any(same_unit(n, c, u.name, u.code) for u in kept)]


def test_a_folder_is_searched_as_rglob_searches_it(tmp_path):
    # _files_under lists a national roll-up's folder without a Path per file: the same files
    # as the definition it replaces (rglob, files only, .json/.xlsx in any case, no lock or
    # hidden files, links to folders not followed)
    import os

    from cchc_desktop.services.rollup_read import SUFFIXES, collect

    (tmp_path / "Huyện A" / "sub").mkdir(parents=True)
    (tmp_path / "other").mkdir()
    names = ["a.json", "B.JSON", "c.xlsx", "d.Xlsx", "~$c.xlsx", ".hidden.json", "notes.txt", "json", "x.json.bak",
             "Huyện A/e.json", "Huyện A/sub/f.xlsx", "Huyện A/sub/~$f.xlsx", "other/g.json"]
    for name in names:
        (tmp_path / name).write_bytes(b"{}")
    (tmp_path / "folder.json").mkdir()  # a folder named like a report is not one
    try:
        os.symlink(tmp_path / "other", tmp_path / "link-to-folder", target_is_directory=True)
        os.symlink(tmp_path / "a.json", tmp_path / "link-to-file.json")
        os.symlink(tmp_path / "nowhere.json", tmp_path / "broken.json")
        links = True
    except OSError:  # Windows without the right to make links
        links = False
    expected = sorted(f for f in tmp_path.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                      and not f.name.startswith(("~$", ".")))
    files, refused = collect([tmp_path])
    assert files == expected and not refused
    assert len(files) == 7 + links and (not links or tmp_path / "link-to-file.json" in files)


def _mixed_folder(folder: Path) -> Path:
    """Communes of every kind a roll-up meets: accepted, a copy, the same commune with other
    figures, another year, a damaged file, an appendix, one in a sub-folder."""
    for n in range(12):
        write_exchange_file(commune(f"Thử {n:02d}", {"bm1.2.1": str(n + 3), "bm1.2.2": str(n), "bm1.4": str(n % 2)}),
                            folder / f"xa_{n:02d}.json")
    write_exchange_file(commune("Thử 01", {"bm1.2.1": "4", "bm1.2.2": "1", "bm1.4": "1"}), folder / "ban-sao.json")
    write_exchange_file(commune("Thử 02", {"bm1.2.1": "9"}), folder / "sua.json")
    write_exchange_file(commune("Năm Khác", {"bm1.2.1": "3"}, year=2022), folder / "nam.json")
    (folder / "hong.json").write_text('{"format": "cchc', "utf-8")
    write_xlsx(PrintedReport.from_doc(commune("Phụ Lục", {"bm1.2.1": "7"}), REGISTRY), folder / "pl.xlsx")
    (folder / "huyen").mkdir()
    write_exchange_file(commune("Thử 99", {"bm1.2.1": "1"}), folder / "huyen" / "xa_99.json")
    return folder


def _everything(r) -> tuple:
    return r.as_json(), [(u.name, u.file, u.issues, u.parsed) for u in r.units], r.unreadable


def test_files_read_in_worker_processes_roll_up_as_read_here(tmp_path):
    # under pytest Qt is loaded, so the workers are started by "spawn", as on Windows
    folder = _mixed_folder(tmp_path)
    here = rollup([folder], REGISTRY, workers=1)
    assert len(here.units) == 13 and len(here.refused) == 4 and here.unreadable == 1
    assert _everything(rollup([folder], REGISTRY, workers=2)) == _everything(here)
    assert _everything(rollup([folder], REGISTRY, workers=3)) == _everything(here)


def test_workers_started_by_fork_roll_up_as_this_process(tmp_path):
    # a process without Qt (the command line) forks its workers: the same roll-up's JSON
    import subprocess
    import sys

    folder = _mixed_folder(tmp_path)
    code = ("import sys, json; from cchc_desktop.services.rollup import rollup, rollup_json_text; "
            "print(json.dumps([json.loads(rollup_json_text(rollup([sys.argv[1]], workers=w))) for w in (1, 2)]))")
    out = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True)
    alone, forked = json.loads(out.stdout)
    assert alone == forked and alone["reports"] == 13


def test_stopping_a_roll_up_read_by_workers_stops_them(tmp_path):
    folder = _mixed_folder(tmp_path)
    seen = []

    class Stop(Exception):
        pass

    def step(done, total):
        seen.append(done)
        if done == 3:
            raise Stop

    with pytest.raises(Stop):
        rollup([folder], REGISTRY, progress=step, workers=2)
    assert seen == [0, 1, 2, 3]
    assert len(rollup([folder], REGISTRY, workers=2).units) == 13  # and the next one starts afresh


def test_workers_that_cannot_start_leave_the_reading_to_this_process(tmp_path):
    # a program read from stdin, with Qt loaded (so spawn): its workers cannot import it again
    # and die at once — the roll-up reads the files itself and gives the same answer
    import subprocess
    import sys

    folder = _mixed_folder(tmp_path)
    code = ("import sys, PySide6.QtCore\nfrom cchc_desktop.services.rollup import rollup, rollup_json_text\n"
            "print(rollup_json_text(rollup([sys.argv[1]], workers=2)))\n")
    out = subprocess.run([sys.executable, "-", str(folder)], input=code, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "FileNotFoundError" in out.stderr  # the workers' deaths, as Python reports them
    assert json.loads(out.stdout) == rollup([folder], REGISTRY, workers=1).as_json()


def test_on_time_is_judged_by_the_reports_own_date_else_by_its_files(tmp_path):
    # the deadline of Năm 2023 is 20/12/2023; a file copied by USB or Zalo may carry any date,
    # the date written on the report is the one the province reads on paper
    import datetime as dt
    import os

    from docx import Document

    from cchc_desktop.services.rollup_docx import write_rollup_docx
    from cchc_desktop.services.rollup_xlsx import write_rollup_xlsx

    def sent(name: str, dated: str, file_day: dt.date) -> None:
        doc = commune(name, {"bm1.2.1": "2"})
        doc["report"]["header"]["date"] = dated
        write_exchange_file(doc, tmp_path / f"{name}.json")
        stamp = dt.datetime.combine(file_day, dt.time(9)).timestamp()
        os.utime(tmp_path / f"{name}.json", (stamp, stamp))

    sent("Ký Sớm", "2023-12-10", dt.date(2024, 1, 5))  # copied late, signed in time
    sent("Ký Muộn", "2023-12-28", dt.date(2023, 12, 1))
    sent("Chưa Ký Sớm", "", dt.date(2023, 12, 1))
    sent("Chưa Ký Muộn", "", dt.date(2023, 12, 25))
    r = rollup([tmp_path], REGISTRY)
    verdict = {u.name: (u.sent(), r.on_time(u)) for u in r.units}
    assert verdict == {
        "Xã Ký Sớm": ((dt.date(2023, 12, 10), "ngày ký"), "Đúng hạn"),
        "Xã Ký Muộn": ((dt.date(2023, 12, 28), "ngày ký"), "Trễ hạn"),
        "Xã Chưa Ký Sớm": ((dt.date(2023, 12, 1), "ngày tệp"), "Đúng hạn"),
        "Xã Chưa Ký Muộn": ((dt.date(2023, 12, 25), "ngày tệp"), "Trễ hạn"),
    }
    write_rollup_xlsx(r, tmp_path / "tong-hop.xlsx")
    rows = {row[1]: row for row in openpyxl.load_workbook(tmp_path / "tong-hop.xlsx")["Đơn vị"].iter_rows(
        min_row=5, values_only=True)}
    assert rows["Xã Ký Sớm"][6:8] == ("10/12/2023 (ngày ký)", "Đúng hạn")
    assert rows["Xã Chưa Ký Muộn"][6:8] == ("25/12/2023 (ngày tệp)", "Trễ hạn")
    sheet = openpyxl.load_workbook(tmp_path / "tong-hop.xlsx")["Đơn vị"]  # prints one page wide
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    write_rollup_docx(r, tmp_path / "tong-hop.docx")
    text = "\n".join(p.text for p in Document(str(tmp_path / "tong-hop.docx")).paragraphs)
    assert "2 gửi sau hạn 20/12/2023" in text


def test_the_deadline_is_the_provinces_when_its_forms_set_an_earlier_day():
    import dataclasses
    import datetime as dt

    from cchc_desktop.services.rollup import Rollup

    assert Rollup(CATALOG, 2023, "nam").deadline() == dt.date(2023, 12, 20)
    province = dataclasses.replace(CATALOG, deadline_days=(("nam", 10),))
    assert Rollup(province, 2023, "nam").deadline() == dt.date(2023, 12, 10)
    assert Rollup(province, 2023, "quy1").deadline() == dt.date(2023, 3, 20)

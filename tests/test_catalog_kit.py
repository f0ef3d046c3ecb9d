"""The province kit: the catalog as a workbook the Sở Nội vụ edits in Excel, and back."""

import io
import tomllib
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cchc_desktop.core.catalog import BUILTIN_DIR, load_catalog
from cchc_desktop.formats.catalog_kit import (GUIDE_TITLE, KitError, build_catalog, dump_catalog_toml, read_kit,
                                              write_kit)

BUILTIN = BUILTIN_DIR / "xa-2025.1.toml"


@pytest.fixture
def raw():
    return tomllib.loads(BUILTIN.read_text("utf-8"))


@pytest.fixture
def kit(tmp_path, raw):
    path = tmp_path / "kit.xlsx"
    write_kit(raw, path)
    return path


def edit(path: Path, sheet: str, cell: str, value) -> Path:
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)
    return path


def test_the_builtin_catalog_goes_round_the_workbook_unchanged(tmp_path, kit, raw):
    assert read_kit(kit).raw == raw
    out = build_catalog(kit, tmp_path / "tinh.toml")
    assert tomllib.loads(out.read_text("utf-8")) == raw
    built, original = load_catalog(out), load_catalog(BUILTIN)
    assert built.indicators == original.indicators and built.rules == original.rules
    assert built.sections == original.sections and built.forms == original.forms and built.tabs == original.tabs


def test_the_workbook_has_a_vietnamese_guide_and_a_sheet_per_part(kit):
    wb = openpyxl.load_workbook(kit)
    assert wb.sheetnames == [GUIDE_TITLE, "Thông tin", "Chỉ tiêu", "Quy tắc", "Đề cương", "Biểu mẫu", "Thẻ"]
    assert "E (lỗi) hoặc W (cảnh báo)" in "\n".join(str(r[0].value) for r in wb[GUIDE_TITLE].iter_rows())
    assert [c.value for c in wb["Chỉ tiêu"][1]][:4] == ["Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Loại"]
    assert [c.value for c in wb["Chỉ tiêu"][1]][-1] == "Chuyển kỳ"
    guide = "\n".join(str(r[0].value) for r in wb[GUIDE_TITLE].iter_rows())
    assert "Chuyển kỳ" in guide and "stock" in guide and "flow" in guide and "bm3.3.3" in guide


def test_how_a_row_carries_goes_both_ways_and_a_wrong_source_points_at_its_row(tmp_path, kit):
    wb = openpyxl.load_workbook(kit)
    ws = wb["Chỉ tiêu"]
    header = [c.value for c in ws[1]]
    col = header.index("Chuyển kỳ")
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert rows["bm3.3.1.1"][col].value == "bm3.3.3" and rows["bm4.2.1"][col].value == "stock"
    assert rows["bm3.3"][col].value is None  # a heading carries nothing
    rows["bm4.2.1"][col].value = None  # left blank in Excel: starts blank, as "flow"
    rows["bm3.3.1.1"][col].value = "bm3.3"  # a heading as the source
    wb.save(kit)
    data = read_kit(kit).raw
    assert "carry" not in next(i for i in data["indicators"] if i["id"] == "bm4.2.1")
    with pytest.raises(KitError) as err:
        build_catalog(kit, tmp_path / "tinh.toml")
    assert str(err.value).startswith(f"Trang “Chỉ tiêu”, dòng {rows['bm3.3.1.1'][0].row}:")
    assert "bm3.3 là dòng tiêu đề" in str(err.value)


def test_what_a_province_types_in_excel_is_read_as_the_catalog_means_it(tmp_path, kit):
    edit(kit, "Thông tin", "B2", "2026.1")
    edit(kit, "Chỉ tiêu", "G2", None)
    wb = openpyxl.load_workbook(kit)
    row = next(r for r in wb["Chỉ tiêu"].iter_rows(min_row=2) if r[0].value == "bm1.2.1")
    row[6].value = 28  # typed as a number in Excel: still the sample text "28"
    wb.save(kit)
    data = read_kit(kit).raw
    ind = next(i for i in data["indicators"] if i["id"] == "bm1.2.1")
    assert data["catalog"]["version"] == "2026.1" and ind["sample"] == "28"


def test_text_that_looks_like_a_formula_is_written_and_read_as_text(tmp_path, raw):
    raw["indicators"][1]["label"] = "=HYPERLINK(\"http://x\")"
    path = tmp_path / "k.xlsx"
    write_kit(raw, path)
    assert openpyxl.load_workbook(path)["Chỉ tiêu"]["B3"].data_type == "s"
    assert read_kit(path).raw == raw


@pytest.mark.parametrize("sheet, cell, value, said", [
    ("Chỉ tiêu", "B3", None, "Trang “Chỉ tiêu”, dòng 3, cột B (Tên chỉ tiêu): ô này không được để trống."),
    ("Biểu mẫu", "A2", "một", "Trang “Biểu mẫu”, dòng 2, cột A (Số biểu mẫu): cần một số nguyên"),
    ("Thẻ", "D3", "2; hai", "Trang “Thẻ”, dòng 3, cột D (Các biểu mẫu): “hai” không phải số biểu mẫu"),
    ("Quy tắc", "H1", "Cột lạ", "Trang “Quy tắc”, dòng 1: cột “Cột lạ” không có trong bộ mẫu."),
])
def test_a_problem_is_named_by_sheet_row_and_column(kit, sheet, cell, value, said):
    edit(kit, sheet, cell, value)
    with pytest.raises(KitError) as err:
        read_kit(kit)
    assert said in str(err.value)


def test_the_loader_checks_the_built_catalog_and_the_message_points_at_the_row(tmp_path, kit):
    wb = openpyxl.load_workbook(kit)
    ws = wb["Chỉ tiêu"]
    ws["A4"] = ws["A3"].value  # a duplicate id
    wb.save(kit)
    out = tmp_path / "tinh.toml"
    with pytest.raises(KitError) as err:
        build_catalog(kit, out)
    assert str(err.value).startswith("Trang “Chỉ tiêu”, dòng ") and ws["A3"].value in str(err.value)
    assert not out.exists()  # nothing written while the kit has a problem


def test_a_catalog_key_without_a_column_is_refused_not_dropped(tmp_path, raw):
    raw["indicators"][0]["mới"] = "x"
    with pytest.raises(KitError, match="“mới”"):
        write_kit(raw, tmp_path / "k.xlsx")


def test_a_missing_sheet_is_named(kit):
    wb = openpyxl.load_workbook(kit)
    del wb["Quy tắc"]
    wb.save(kit)
    with pytest.raises(KitError, match="thiếu trang “Quy tắc”"):
        read_kit(kit)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_untrusted_files_are_refused_before_openpyxl_reads_them(tmp_path, kit):
    (tmp_path / "a.xlsx").write_bytes(b"not a zip at all")
    with pytest.raises(KitError, match="không phải bảng tính Excel"):
        read_kit(tmp_path / "a.xlsx")
    bomb = _zip(tmp_path / "bomb.xlsx", {"xl/worksheets/sheet1.xml": b"<a>" + b" " * 40_000_000 + b"</a>"})
    with pytest.raises(KitError, match="giải nén ra quá lớn"):
        read_kit(bomb)
    members = {n: zipfile.ZipFile(kit).read(n) for n in zipfile.ZipFile(kit).namelist()}
    sheet = "xl/worksheets/sheet3.xml"
    body = members[sheet].split(b"?>", 1)[-1]  # openpyxl may or may not write an XML declaration
    members[sheet] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + body
    with pytest.raises(KitError, match="DOCTYPE/ENTITY"):
        read_kit(_zip(tmp_path / "xxe.xlsx", members))
    (tmp_path / "big.xlsx").write_bytes(b"PK" + b"\0" * (6 * 1024 * 1024))
    with pytest.raises(KitError, match="vượt giới hạn 5 MB"):
        read_kit(tmp_path / "big.xlsx")


def test_toml_strings_survive_quotes_backslashes_and_line_breaks():
    raw = {"catalog": {"id": "x", "version": "1", "title": 'a "b" \\ c\nd\te', "appendix_title": "T"}}
    assert tomllib.loads(dump_catalog_toml(raw))["catalog"] == raw["catalog"]
    assert io  # the module's own imports stay used


def test_openpyxl_parses_with_defusedxml():
    """defusedxml is a pinned dependency so that openpyxl refuses entity tricks on its own too."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML


def test_a_message_with_a_row_number_typed_by_hand_is_refused_at_its_rule_row(tmp_path, kit):
    """The kit carries the messages as written, {stt:…}/{row:…} included, and the guide says how;
    a row number typed by hand would drift from the rows, so the built catalog refuses it and
    the message points at the rule's row of "Quy tắc"."""
    wb = openpyxl.load_workbook(kit)
    guide = "\n".join(str(r[0].value) for r in wb[GUIDE_TITLE].iter_rows())
    assert "{stt:bm3.3.1}" in guide and "{row:bm4.2.2}" in guide and "bm3.3.2.1 in “3.2.1”" in guide
    ws = wb["Quy tắc"]
    col = [c.value for c in ws[1]].index("Thông báo") + 1
    assert "{stt:bm1.2.2}" in ws.cell(2, col).value
    ws.cell(2, col).value = "Biểu mẫu 1: dòng 1.2.2 ({left}) lớn hơn dòng {stt:bm1.2.1} ({right})."
    wb.save(kit)
    with pytest.raises(KitError) as err:
        build_catalog(kit, tmp_path / "tinh.toml")
    said = str(err.value)
    assert said.startswith("Trang “Quy tắc”, dòng 2: ") and "bằng tay" in said and "{stt:bm3.3.1}" in said, said


def test_a_provinces_identity_goes_round_the_workbook_and_is_used(tmp_path, raw):
    # whose forms they are, the Kính gửi new reports start with, and the province's earlier
    # deadlines (issue 12 §1, §2)
    import datetime as dt

    from cchc_desktop.core.periods import PERIODS, deadline_text
    from cchc_desktop.services.reports import new_report_meta

    raw["catalog"] |= {"version": "2026.1", "province": "Bình Dương",
                       "recipients": ["UBND tỉnh Bình Dương", "Sở Nội vụ tỉnh Bình Dương"],
                       "deadline_nam": 10, "deadline_quy3": 15}
    write_kit(raw, tmp_path / "tinh.xlsx")
    rows = {r[0]: r[1] for r in openpyxl.load_workbook(tmp_path / "tinh.xlsx")["Thông tin"].iter_rows(values_only=True)}
    assert rows["Tỉnh"] == "Bình Dương" and rows["Hạn gửi Năm (ngày)"] == 10 and rows["Hạn gửi Quý I (ngày)"] is None
    assert read_kit(tmp_path / "tinh.xlsx").raw == raw
    cat = load_catalog(build_catalog(tmp_path / "tinh.xlsx", tmp_path / "tinh.toml"))
    assert cat.province == "Bình Dương" and cat.recipients == ("UBND tỉnh Bình Dương", "Sở Nội vụ tỉnh Bình Dương")
    assert cat.deadline_day("nam") == 10 and cat.deadline_day("quy1") is None
    assert PERIODS["nam"].deadline(2025, cat.deadline_day("nam")) == dt.date(2025, 12, 10)
    assert deadline_text(PERIODS["quy3"], 2025, dt.date(2025, 9, 10), cat.deadline_day("quy3")).startswith(
        "Hạn gửi: 15/09/2025 — còn 5 ngày")
    # a unit that has not written its Kính gửi starts with the province's; one that has keeps its own
    assert new_report_meta(cat, {"name": "Thử"}, 2025, "nam")["header"]["recipients"] == list(cat.recipients)
    own = new_report_meta(cat, {"name": "Thử", "recipients": ["Huyện cũ"]}, 2025, "nam")["header"]["recipients"]
    assert own == ["Huyện cũ"]


@pytest.mark.parametrize("key, value, said", [
    ("deadline_nam", 25, "phải là một ngày từ 1 đến 20"),
    ("deadline_nam", 0, "phải là một ngày từ 1 đến 20"),
    ("deadline_nam", "10", "phải là một ngày từ 1 đến 20"),
    ("deadline_quy5", 10, "không ứng với kỳ báo cáo nào"),
    ("recipients", "Sở Nội vụ", "phải là một danh sách các dòng"),
])
def test_a_wrong_identity_is_refused_with_what_to_write(tmp_path, raw, key, value, said):
    from cchc_desktop.core.catalog import CatalogError

    raw["catalog"][key] = value
    path = tmp_path / "tinh.toml"
    path.write_text(dump_catalog_toml(raw), "utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert said in str(err.value)

"""A province's forms installed on a clerk's machine (issue 12 §2): a kit workbook edited in
Excel (or a catalog file) checked, compared with the installed version, written into the data
folder's catalogs/, used by new reports while an older report keeps its own version. Real
workbooks (openpyxl), a real SQLite data file, the real registry."""

from __future__ import annotations

import tomllib

import openpyxl
import pytest

from cchc_desktop.core.catalog import BUILTIN_DIR, CatalogRegistry
from cchc_desktop.formats.catalog_kit import write_kit
from cchc_desktop.services.catalog_install import InstallRefused, install, plan_install
from cchc_desktop.services.reports import create_report
from cchc_desktop.services.session import ReportSession
from cchc_desktop.storage.store import Store

BUILTIN = BUILTIN_DIR / "xa-2025.1.toml"


@pytest.fixture
def kit(tmp_path):
    path = tmp_path / "bo-bieu-mau-tinh.xlsx"
    write_kit(tomllib.loads(BUILTIN.read_text("utf-8")), path)
    return path


def edit_kit(path, version="2026.1", relabel=None, message=None):
    wb = openpyxl.load_workbook(path)
    ident = wb["Thông tin"]
    for row in ident.iter_rows(min_row=1):
        if row[0].value == "Phiên bản":
            row[1].value = version
    if relabel:
        ident_id, label = relabel
        for row in wb["Chỉ tiêu"].iter_rows(min_row=2):
            if row[0].value == ident_id:
                row[1].value = label
    if message:
        rule_id, text = message
        sheet = wb["Quy tắc"]
        col = [c.value for c in sheet[1]].index("Thông báo")
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == rule_id:
                row[col].value = text
    wb.save(path)
    return path


def test_a_kit_is_compared_installed_and_used_by_new_reports_only(tmp_path, kit):
    registry = CatalogRegistry()
    with Store(tmp_path / "cchc.sqlite") as store:
        old_report = create_report(store, registry, 2025, "nam")
        edit_kit(kit, relabel=("bm3.3.1", "Tổng số hồ sơ TTHC tiếp nhận trong kỳ"),
                 message=("bm3.3.1#1", "Biểu mẫu 3: tổng số hồ sơ tiếp nhận ({left}) phải bằng các dòng cộng lại ({right})."))
        plan = plan_install(kit, registry)
        summary = plan.summary()
        assert "phiên bản 2026.1" in summary and "So với phiên bản 2025.1 đang có:" in summary
        assert "Đổi tên dòng (1): " in summary and "“Tổng số hồ sơ tiếp nhận” → “Tổng số hồ sơ TTHC tiếp nhận trong kỳ”" in summary
        assert "Sửa quy tắc kiểm tra (1): bm3.3.1#1" in summary
        assert not plan.target.exists()  # planning installs nothing
        path = install(plan, registry)
        assert path.parent == registry.user_dir and path.name == "xa-2026.1.toml"
        assert registry.latest().version == "2026.1" and registry.problems == []
        new_report = create_report(store, registry, 2026, "quy1")
        assert store.get_report(new_report)["catalog_version"] == "2026.1"
        # the report made before keeps the forms it was made with, and a fresh start finds both
        fresh = CatalogRegistry()
        old = ReportSession(store, old_report, fresh)
        assert old.catalog.version == "2025.1" and old.catalog.indicators["bm3.3.1"].label == "Tổng số hồ sơ tiếp nhận"
        assert ReportSession(store, new_report, fresh).catalog.indicators["bm3.3.1"].label == \
            "Tổng số hồ sơ TTHC tiếp nhận trong kỳ"


def test_a_catalog_file_installs_too_and_the_same_file_twice_is_said_not_needed(tmp_path):
    registry = CatalogRegistry()
    source = tmp_path / "xa-2026.2.toml"
    source.write_text(BUILTIN.read_text("utf-8").replace('version = "2025.1"', 'version = "2026.2"', 1), "utf-8")
    plan = plan_install(source, registry)
    assert "Không khác gì phiên bản 2025.1" in plan.summary()
    install(plan, registry)
    with pytest.raises(InstallRefused, match="giống hệt tệp vừa chọn: không cần cài lại"):
        plan_install(source, registry)


def test_what_is_refused_is_said_and_nothing_is_installed(tmp_path, kit):
    registry = CatalogRegistry()
    installed_before = sorted(registry.user_dir.glob("*.toml")) if registry.user_dir.is_dir() else []

    def refused(path, match):
        with pytest.raises(InstallRefused, match=match):
            plan_install(path, registry)

    refused(kit, "đã có bộ biểu mẫu xa phiên bản 2025.1 nhưng khác|giống hệt")  # the version was not raised
    edit_kit(kit, version="2025.1", relabel=("bm3.3.1", "Đổi tên"))
    refused(kit, "khác tệp vừa chọn. Mỗi lần sửa bộ biểu mẫu phải có số phiên bản mới \\(ví dụ 2025.2\\)")
    refused(edit_kit(kit, version="2024.9"), "cũ hơn phiên bản 2025.1 đang có")
    word = tmp_path / "bao-cao.docx"
    word.write_bytes(b"PK\x03\x04 not really")
    refused(word, "không phải bộ biểu mẫu: chọn bảng tính bộ biểu mẫu \\(.xlsx\\) hoặc tệp bộ biểu mẫu \\(.toml\\)")
    fake = tmp_path / "kit.xlsx"
    fake.write_text("đây không phải bảng tính")
    refused(fake, "không phải bảng tính Excel")
    bad = edit_kit(kit, version="2026.5")
    wb = openpyxl.load_workbook(bad)
    for row in wb["Chỉ tiêu"].iter_rows(min_row=2):
        if row[0].value == "bm4.3":
            row[3].value = "số người"  # not a kind
    wb.save(bad)
    refused(bad, "Trang “Chỉ tiêu”, dòng \\d+")
    binary = tmp_path / "xa.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    refused(binary, "không phải văn bản UTF-8")
    after = sorted(registry.user_dir.glob("*.toml")) if registry.user_dir.is_dir() else []
    assert after == installed_before


def test_the_command_checks_then_installs_and_refuses_with_exit_2(tmp_path, kit):
    from tests.conftest import run_cli

    edit_kit(kit, relabel=("bm4.3", "Số người hoạt động không chuyên trách cấp xã"))
    checked = run_cli("catalog", "install", str(kit), "--check")
    assert checked.returncode == 0 and "Đổi tên dòng (1)" in checked.stdout and "Chưa cài" in checked.stdout
    assert CatalogRegistry().versions() == ["2025.1"]
    done = run_cli("catalog", "install", str(kit))
    assert done.returncode == 0 and "Đã cài vào" in done.stdout, done.stderr
    assert CatalogRegistry().versions() == ["2025.1", "2026.1"]
    again = run_cli("catalog", "install", str(kit))
    assert again.returncode == 2 and "không cần cài lại" in again.stderr + again.stdout


def test_what_the_province_changes_in_its_identity_is_said():
    import dataclasses

    from cchc_desktop.services.catalog_install import compare

    old = CatalogRegistry().latest()
    new = dataclasses.replace(old, version="2026.1", province="Bình Dương", recipients=("Sở Nội vụ tỉnh Bình Dương",),
                              deadline_days=(("nam", 10),))
    lines = compare(old, new).lines()
    assert lines == ["Thông tin chung (3): tỉnh “” → “Bình Dương”; Kính gửi mặc định “” → “Sở Nội vụ tỉnh Bình "
                     "Dương”; hạn gửi Năm ngày 20 → ngày 10 của tháng cuối kỳ"]
    assert compare(new, new).empty

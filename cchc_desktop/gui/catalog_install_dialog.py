"""Báo cáo → Cài bộ biểu mẫu của tỉnh…: the clerk picks the kit workbook (.xlsx) or catalog file
(.toml) the Sở Nội vụ sent, sees what it changes against the forms installed, and installs it
(services/catalog_install). New reports are made with it; reports already made keep theirs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.gui.ask import ask
from cchc_desktop.services.catalog_install import InstallRefused, install, plan_install

TITLE = "Cài bộ biểu mẫu của tỉnh"
FILTER = "Bộ biểu mẫu của tỉnh (*.xlsx *.toml);;Bảng tính bộ biểu mẫu (*.xlsx);;Tệp bộ biểu mẫu (*.toml)"


def choose_file(parent: QWidget | None, start: str = "") -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(parent, "Chọn bộ biểu mẫu Sở Nội vụ gửi", start or str(Path.home()), FILTER)
    return Path(chosen) if chosen else None


def install_catalog(parent: QWidget | None, registry: CatalogRegistry, path: Path | None = None) -> Path | None:
    """Check, show, ask, install. Returns the installed file, None when nothing was installed
    (cancelled, or refused with the reason said)."""
    path = path or choose_file(parent)
    if path is None:
        return None
    try:
        plan = plan_install(path, registry)
    except InstallRefused as exc:
        QMessageBox.warning(parent, TITLE, f"Chưa cài bộ biểu mẫu trong tệp {path.name}.\n\n{exc}")
        return None
    text = (f"{plan.summary()}\n\nCài bộ biểu mẫu này? Các báo cáo tạo mới từ nay lập theo phiên bản "
            f"{plan.catalog.version}; các báo cáo đã có vẫn giữ bộ biểu mẫu của mình, không thay đổi gì.")
    if not ask(parent, TITLE, text, yes="Cài bộ biểu mẫu", no="Hủy"):
        return None
    try:
        installed = install(plan, registry)
    except InstallRefused as exc:
        QMessageBox.warning(parent, TITLE, str(exc))
        return None
    QMessageBox.information(parent, TITLE, f"Đã cài bộ biểu mẫu {plan.catalog.id} phiên bản {plan.catalog.version} "
                                           f"vào {installed.parent}. Báo cáo tạo mới (Báo cáo → Mở, tạo hoặc xóa báo "
                                           "cáo…) sẽ dùng bộ biểu mẫu này.")
    return installed

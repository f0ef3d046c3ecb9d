"""Installing a province's forms on a clerk's machine (issue 12 §2): a kit workbook the Sở Nội
vụ edited in Excel, or a catalog file (.toml) it built, checked like every catalog, compared
with the version installed before it, then written into the data folder's `catalogs/`, where
the registry finds it beside the built-in forms. New reports are made with the newest version;
a report keeps and opens with the version it was made with, so nothing installed here changes
a report already written. No Qt here; the window and the command line say the result.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cchc_desktop.core.catalog import Catalog, CatalogError, CatalogRegistry, load_catalog, version_key
from cchc_desktop.core.periods import DEADLINE_DAY, PERIODS
from cchc_desktop.errors import CchcError
from cchc_desktop.formats.catalog_kit import KitError, catalog_from_kit

MAX_CATALOG_BYTES = 2 * 1024 * 1024  # the built-in catalog is ~100 KB


class InstallRefused(CchcError):
    pass


@dataclass
class CatalogChanges:
    """What a new version changes against the one installed before it (same catalog id)."""

    previous: str | None  # its version, None when the id is new on this machine
    added: list[str] = field(default_factory=list)  # "Biểu mẫu 3, dòng 3.3.7: Số hồ sơ …"
    removed: list[str] = field(default_factory=list)
    relabelled: list[str] = field(default_factory=list)  # "…: “old” → “new”"
    retyped: list[str] = field(default_factory=list)  # unit or kind changed
    rules_added: list[str] = field(default_factory=list)
    rules_removed: list[str] = field(default_factory=list)
    rules_changed: list[str] = field(default_factory=list)
    identity: list[str] = field(default_factory=list)  # "Hạn gửi Năm: ngày 20 → ngày 10"

    @property
    def empty(self) -> bool:
        return not any((self.added, self.removed, self.relabelled, self.retyped, self.rules_added,
                        self.rules_removed, self.rules_changed, self.identity))

    def lines(self, limit: int = 8) -> list[str]:
        """The changes as Vietnamese lines for the clerk, each list cut at `limit` names."""
        out = []
        for title, items in (("Thêm dòng", self.added), ("Bỏ dòng", self.removed),
                             ("Đổi tên dòng", self.relabelled), ("Đổi đơn vị tính hoặc loại số liệu", self.retyped),
                             ("Thêm quy tắc kiểm tra", self.rules_added), ("Bỏ quy tắc kiểm tra", self.rules_removed),
                             ("Sửa quy tắc kiểm tra", self.rules_changed), ("Thông tin chung", self.identity)):
            if items:
                more = f" và {len(items) - limit} mục khác" if len(items) > limit else ""
                out.append(f"{title} ({len(items)}): " + "; ".join(items[:limit]) + more)
        return out


@dataclass
class InstallPlan:
    catalog: Catalog  # loaded and checked from a temporary copy
    text: str  # the catalog file to write
    target: Path
    changes: CatalogChanges
    source: Path

    def summary(self) -> str:
        c = self.catalog
        whose = f" của tỉnh {c.province}" if c.province else ""
        head = (f"Bộ biểu mẫu “{c.title}”{whose} (mã {c.id}, phiên bản {c.version}), {len(c.indicators)} dòng, "
                f"{len(c.rules)} quy tắc kiểm tra.")
        if self.changes.previous is None:
            return head + " Máy này chưa có bộ biểu mẫu mã này."
        if self.changes.empty:
            return head + f" Không khác gì phiên bản {self.changes.previous} đang có ngoài số phiên bản."
        return "\n".join([head, f"So với phiên bản {self.changes.previous} đang có:", *self.changes.lines()])


def _row(catalog: Catalog, ident: str) -> str:
    return f"{catalog.row_name(ident)} ({ident}): {catalog.indicators[ident].label}"


def compare(old: Catalog | None, new: Catalog) -> CatalogChanges:
    if old is None:
        return CatalogChanges(None)
    out = CatalogChanges(old.version)
    for ident in new.indicators:
        if ident not in old.indicators:
            out.added.append(_row(new, ident))
    for ident, was in old.indicators.items():
        now = new.indicators.get(ident)
        if now is None:
            out.removed.append(_row(old, ident))
        elif now.label != was.label:
            out.relabelled.append(f"{new.row_name(ident)} ({ident}): “{was.label}” → “{now.label}”")
        elif (now.unit, now.kind, now.codes) != (was.unit, was.kind, was.codes):
            out.retyped.append(f"{new.row_name(ident)} ({ident}): {was.unit or was.kind} → {now.unit or now.kind}")
    old_rules, new_rules = {r.id: r for r in old.rules}, {r.id: r for r in new.rules}
    out.rules_added = [r for r in new_rules if r not in old_rules]
    out.rules_removed = [r for r in old_rules if r not in new_rules]
    out.rules_changed = [r for r, rule in new_rules.items() if r in old_rules and rule != old_rules[r]]
    out.identity = _identity_changes(old, new)
    return out


def _identity_changes(old: Catalog, new: Catalog) -> list[str]:
    """The province, the default Kính gửi and the deadlines, as they change."""
    out = []
    if old.province != new.province:
        out.append(f"tỉnh “{old.province}” → “{new.province}”")
    if old.recipients != new.recipients:
        out.append(f"Kính gửi mặc định “{', '.join(old.recipients)}” → “{', '.join(new.recipients)}”")
    for code, period in PERIODS.items():
        was, now = old.deadline_day(code), new.deadline_day(code)
        if was != now:
            out.append(f"hạn gửi {period.label} ngày {was or DEADLINE_DAY} → ngày {now or DEADLINE_DAY} của tháng cuối kỳ")
    return out


def _load_source(source: Path) -> tuple[str, Catalog]:
    """The catalog file's text and the catalog, from a kit workbook or a catalog file, checked
    by the loader."""
    suffix = source.suffix.lower()
    if suffix == ".xlsx":
        try:  # size, zip-bomb and entity checks first (formats/xlsx_guard), then the loader's
            return catalog_from_kit(source)
        except KitError as exc:
            raise InstallRefused(str(exc)) from None
    if suffix != ".toml":
        raise InstallRefused(f"Tệp {source.name} không phải bộ biểu mẫu: chọn bảng tính bộ biểu mẫu (.xlsx) hoặc tệp "
                             "bộ biểu mẫu (.toml) mà Sở Nội vụ gửi.")
    if source.stat().st_size > MAX_CATALOG_BYTES:
        raise InstallRefused(f"Tệp {source.name} lớn hơn {MAX_CATALOG_BYTES // 1024 // 1024} MB: đây không giống "
                             "một tệp bộ biểu mẫu. Kiểm tra lại tệp Sở Nội vụ gửi.")
    try:
        text = source.read_text("utf-8")
    except UnicodeDecodeError:
        raise InstallRefused(f"Tệp {source.name} không phải văn bản UTF-8 nên không phải tệp bộ biểu mẫu (.toml). "
                             "Xin Sở Nội vụ gửi lại tệp bộ biểu mẫu, hoặc bảng tính bộ biểu mẫu (.xlsx).") from None
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / source.name  # a copy alone: side files beside the source are not installed
        probe.write_text(text, "utf-8")
        try:
            return text, load_catalog(probe)
        except CatalogError as exc:
            raise InstallRefused(str(exc)) from None


def plan_install(source: str | Path, registry: CatalogRegistry, folder: Path | None = None) -> InstallPlan:
    """Read and check `source` without installing anything; say what it would change. Refused
    (InstallRefused, its message in Vietnamese): a file that is not a kit or catalog, one the
    loader refuses (the row or sheet named), a version already installed with other content,
    and a version older than the newest installed one (a report would be made with it)."""
    source = Path(source)
    if not source.is_file():
        raise InstallRefused(f"Không tìm thấy tệp {source}.")
    text, catalog = _load_source(source)
    versions = registry.versions(catalog.id)
    if catalog.version in versions:
        installed = registry.get(catalog.id, catalog.version)
        if compare(installed, catalog).empty and installed.title == catalog.title:
            raise InstallRefused(f"Bộ biểu mẫu {catalog.id} phiên bản {catalog.version} đã có trên máy này, giống hệt "
                                 "tệp vừa chọn: không cần cài lại.")
        raise InstallRefused(f"Máy này đã có bộ biểu mẫu {catalog.id} phiên bản {catalog.version} nhưng khác tệp vừa "
                             "chọn. Mỗi lần sửa bộ biểu mẫu phải có số phiên bản mới (ví dụ "
                             f"{_next_version(catalog.version)}): xin Sở Nội vụ đổi số phiên bản ở trang “Thông tin chung” "
                             "của bảng tính rồi gửi lại.")
    if versions and version_key(catalog.version) < version_key(versions[-1]):
        raise InstallRefused(f"Tệp vừa chọn là phiên bản {catalog.version}, cũ hơn phiên bản {versions[-1]} đang có: "
                             "báo cáo mới sẽ vẫn lập theo phiên bản mới nhất, nên không cài bản cũ.")
    previous = registry.get(catalog.id, versions[-1]) if versions else None
    target = (folder or registry.user_dir) / f"{catalog.id}-{catalog.version}.toml"
    return InstallPlan(catalog, text, target, compare(previous, catalog), source)


def _next_version(version: str) -> str:
    parts = version.split(".")
    return ".".join(parts[:-1] + [str(int(parts[-1]) + 1)]) if parts[-1].isdigit() else version + ".1"


def install(plan: InstallPlan, registry: CatalogRegistry) -> Path:
    """Write the planned catalog whole or not at all, then make the registry see it."""
    from cchc_desktop.system.atomic import AtomicWriteError, why_not_written, write_atomically

    if plan.target.exists():
        raise InstallRefused(f"Đã có tệp {plan.target}; không ghi đè. Xóa hoặc đổi tên tệp đó nếu muốn cài lại.")
    try:
        plan.target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(plan.target, lambda tmp: tmp.write_text(plan.text, "utf-8"))
    except (AtomicWriteError, OSError) as exc:
        why = why_not_written(exc.cause) if isinstance(exc, AtomicWriteError) else (exc.strerror or str(exc))
        raise InstallRefused(f"Không ghi được bộ biểu mẫu vào {plan.target.parent}: {why}. Chưa cài gì.") from None
    registry.rescan()
    return plan.target

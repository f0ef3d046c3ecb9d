"""The `cchc-desktop` command: no arguments opens the window; sub-commands do the same jobs
from a terminal (and from CI, which has no display)."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from cchc_desktop.errors import CchcError
from cchc_desktop import __version__

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_ISSUES, EXIT_UNREADABLE = 0, 1, 2
EXIT_UNEXPECTED = 3  # a bug: logged with its traceback, one sentence for the clerk


class CliError(CchcError):
    """A problem the user can fix; printed as it is, exit code 2."""


# argparse's own words (usage, errors, help headings), in Vietnamese: a clerk who mistypes a
# command must read what is wrong in their language too
_ARGPARSE_VI = {
    "usage: ": "Cách dùng: ",
    "options": "tùy chọn",
    "positional arguments": "tham số",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "show program's version number and exit": "in số phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\nXem hướng dẫn: cchc-desktop --help\n",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "không hiểu các tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "giá trị %(value)r không hợp lệ (chọn một trong: %(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ (cần một số nguyên)",
    "expected one argument": "cần một giá trị sau tùy chọn này",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "not allowed with argument %s": "không dùng chung được với %s",
    "one of the arguments %s is required": "cần một trong các tham số: %s",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s không rõ, có thể là: %(matches)s",
}


def _parser() -> argparse.ArgumentParser:
    import argparse  # here: the window's start needs no parser (~2 ms with gettext)

    argparse._ = lambda text: _ARGPARSE_VI.get(text, text)
    from cchc_desktop.core.periods import PERIODS  # small, but the window's start-up does not need it here

    p = argparse.ArgumentParser(
        prog="cchc-desktop",
        description="Báo cáo công tác cải cách hành chính cấp xã. Không có lệnh con: mở cửa sổ chương trình.",
    )
    data_help = "thư mục dữ liệu (mặc định: thư mục dữ liệu của người dùng, hoặc biến CCHC_DATA_DIR)"
    p.add_argument("--version", action="version", version=f"CCHC Desktop {__version__}")
    p.add_argument("--data-dir", metavar="THƯ_MỤC", help=data_help)
    # accepted after the sub-command too ("export 3 --data-dir D"), as people type it
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="THƯ_MỤC", default=argparse.SUPPRESS, help=data_help)
    sub = p.add_subparsers(dest="command", metavar="LỆNH", parser_class=lambda **kw: argparse.ArgumentParser(
        parents=[common], **kw))

    s = sub.add_parser("sample", help="ghi báo cáo mẫu dựng sẵn (xã Bình Phước 2023) ra tệp JSON")
    s.add_argument("--out", required=True, metavar="FILE.json")

    s = sub.add_parser("demo", help="thử chương trình trên báo cáo mẫu: ghi tệp mẫu, kiểm tra, xuất bản dự thảo Word và Excel")
    s.add_argument("--folder", default=".", metavar="DIR", help="thư mục ghi ba tệp (mặc định: thư mục hiện tại)")

    s = sub.add_parser("validate", help="kiểm tra một tệp báo cáo JSON: lỗi, cảnh báo và các tỷ lệ tự tính")
    s.add_argument("file", metavar="FILE.json")
    s.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    s = sub.add_parser("import", help="nhập một báo cáo vào dữ liệu của máy này: tệp JSON, hoặc phụ lục Excel (.xlsx) "
                       "do chương trình xuất (mang kèm dữ liệu của báo cáo)")
    s.add_argument("file", metavar="FILE.json|PHỤ_LỤC.xlsx")

    s = sub.add_parser("export-json", help="xuất một báo cáo ra tệp JSON")
    s.add_argument("report_id", type=int, metavar="REPORT_ID")
    s.add_argument("file", metavar="FILE")

    sub.add_parser("list", help="liệt kê các báo cáo")

    s = sub.add_parser("export", help="xuất báo cáo Word và phụ lục Excel")
    src = s.add_mutually_exclusive_group(required=True)
    src.add_argument("source", nargs="?", metavar="FILE.json|REPORT_ID", help="tệp báo cáo JSON hoặc mã báo cáo")
    src.add_argument("--sample", action="store_true", help="dùng báo cáo mẫu dựng sẵn")
    s.add_argument("--docx", metavar="OUT.docx", help="tệp Word cần ghi")
    s.add_argument("--xlsx", metavar="OUT.xlsx", help="tệp Excel cần ghi")
    s.add_argument("--folder", metavar="DIR", help="thư mục ghi cả hai tệp với tên chuẩn (khi không nêu --docx/--xlsx)")
    s.add_argument("--draft", action="store_true", help="bản dự thảo: có chữ DỰ THẢO, được xuất cả khi còn lỗi")
    s.add_argument("--no-appendix", action="store_true", help="không kèm phụ lục biểu mẫu trong tệp Word")
    s.add_argument("--template", metavar="MẪU.docx", help="mẫu Word dùng cho lần xuất này (mặc định: mẫu của tỉnh đã cài, "
                   "nếu không có thì mẫu có sẵn)")

    s = sub.add_parser("create", help="tạo báo cáo mới cho một kỳ")
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--period", required=True, choices=list(PERIODS))
    s.add_argument("--copy-from", type=int, metavar="REPORT_ID", help="lấy phần đầu và nội dung từ báo cáo kỳ trước")
    s.add_argument("--with-values", action="store_true", help="lấy cả số liệu tồn cuối kỳ và số chuyển kỳ, như bộ biểu mẫu khai báo "
                   "(carry); số phát sinh trong kỳ để trống (dùng với --copy-from)")

    s = sub.add_parser("complete", help="đánh dấu hoàn thành (chỉ khi không còn lỗi)")
    s.add_argument("report_id", type=int, metavar="REPORT_ID")

    s = sub.add_parser("delete", help="xóa một báo cáo (sao lưu trước khi xóa)")
    s.add_argument("report_id", type=int, metavar="REPORT_ID")

    sub.add_parser("backup", help="sao lưu dữ liệu ngay")

    s = sub.add_parser("restore", help="khôi phục dữ liệu từ một bản sao lưu (không có tên tệp: liệt kê các bản sao lưu)")
    s.add_argument("backup", nargs="?", metavar="BACKUP_FILE")

    s = sub.add_parser("rollup", help="tổng hợp báo cáo của nhiều xã (tệp .json hoặc phụ lục .xlsx, tệp hay thư mục)")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument("--units", metavar="UNITS.csv", help="danh sách đơn vị phải gửi (cột name, có thể thêm code)")
    s.add_argument("--year", type=int, help="năm cần tổng hợp (mặc định: năm của đa số tệp)")
    s.add_argument("--period", choices=list(PERIODS), help="kỳ cần tổng hợp (mặc định: kỳ của đa số tệp)")
    s.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    s.add_argument("--xlsx", metavar="OUT.xlsx", help="ghi phụ lục tổng hợp: bảng đơn vị và từng biểu mẫu theo xã")
    s.add_argument("--docx", metavar="OUT.docx", help="ghi phụ lục Word (thể thức Nghị định 30) cho báo cáo của tỉnh: "
                   "tổng hợp từng biểu mẫu và danh sách đơn vị")

    s = sub.add_parser("catalog", help="bộ biểu mẫu của tỉnh: xuất ra Excel để sửa, dựng lại từ Excel")
    work = s.add_subparsers(dest="catalog_command", metavar="VIỆC", required=True)
    k = work.add_parser("export-xlsx", help="ghi bộ biểu mẫu dựng sẵn ra một bảng tính Excel")
    k.add_argument("--out", required=True, metavar="KIT.xlsx")
    k = work.add_parser("build", help="dựng tệp bộ biểu mẫu (.toml) từ bảng tính đã sửa, kiểm tra từng dòng")
    k.add_argument("kit", metavar="KIT.xlsx")
    k.add_argument("--out", required=True, metavar="FILE.toml")
    k = work.add_parser("install", help="cài bộ biểu mẫu của tỉnh (bảng tính .xlsx hoặc tệp .toml) cho các báo cáo "
                        "tạo mới; in những gì thay đổi so với bộ đang có")
    k.add_argument("file", metavar="KIT.xlsx|FILE.toml")
    k.add_argument("--check", action="store_true", help="chỉ kiểm tra và in những gì thay đổi, không cài")

    s = sub.add_parser("template", help="mẫu Word của tỉnh: cài, gỡ, xem mẫu đang dùng, lưu mẫu có sẵn ra để sửa")
    work = s.add_subparsers(dest="template_command", metavar="VIỆC", required=True)
    k = work.add_parser("install", help="kiểm tra rồi cài một tệp mẫu Word (.docx) vào thư mục dữ liệu")
    k.add_argument("file", metavar="MẪU.docx")
    work.add_parser("remove", help="gỡ mẫu của tỉnh, dùng lại mẫu có sẵn của chương trình")
    work.add_parser("show", help="cho biết mẫu Word đang dùng")
    k = work.add_parser("save-default", help="ghi mẫu Word có sẵn ra một tệp để sửa trong Word")
    k.add_argument("--out", required=True, metavar="MẪU.docx")
    return p


def _catalogs():
    """The catalogs, saying on stderr which province files were skipped (the command goes on)."""
    from cchc_desktop.core.catalog import CatalogRegistry

    registry = CatalogRegistry()
    skipped = registry.problems_message()
    if skipped:
        print(skipped, file=sys.stderr)
    return registry



def cmd_rollup(args) -> int:
    from cchc_desktop.services.rollup import read_units_csv, rollup, rollup_json_text

    units = read_units_csv(args.units) if args.units else None
    r = rollup(args.paths, _catalogs(), year=args.year, period=args.period, units=units)
    if args.xlsx and r.units:
        from cchc_desktop.services.rollup_xlsx import write_rollup_xlsx
        from cchc_desktop.system.atomic import write_atomically

        write_atomically(Path(args.xlsx), lambda tmp: write_rollup_xlsx(r, tmp))
    if args.docx and r.units:
        from cchc_desktop.services.rollup_docx import write_rollup_docx
        from cchc_desktop.system.atomic import write_atomically

        write_atomically(Path(args.docx), lambda tmp: write_rollup_docx(r, tmp))
    if args.json:
        print(rollup_json_text(r))
        return r.exit_code
    print(f"Đã {r.counts_text()}.")
    for f in r.refused:
        print(f"  không nhận {f.file}: {f.reason}")
    for name in r.missing:
        print(f"  chưa gửi: {name}")
    for written in (args.xlsx, args.docx):
        if written and r.units:
            print(f"Đã ghi {written}")
    return r.exit_code


def cmd_catalog(args) -> int:
    import tomllib

    from cchc_desktop.formats.catalog_kit import build_catalog, write_kit
    from cchc_desktop.system.atomic import write_atomically

    if args.catalog_command == "install":
        from cchc_desktop.services.catalog_install import install, plan_install

        registry = _catalogs()
        plan = plan_install(Path(args.file), registry)  # refused: an InstallRefused, said by main(), exit 2
        print(plan.summary())
        if args.check:
            print("Chưa cài (--check).")
            return 0
        installed = install(plan, registry)
        print(f"Đã cài vào {installed}. Báo cáo tạo mới lập theo phiên bản {plan.catalog.version}; "
              "báo cáo đã có giữ bộ biểu mẫu của mình.")
        return 0
    if args.catalog_command == "export-xlsx":
        from cchc_desktop.core.catalog import BUILTIN_DIR, load_catalog, side_kind, version_key

        # the built-in forms, whatever a province installed beside them
        shipped = [load_catalog(f) for f in sorted(BUILTIN_DIR.glob("*.toml")) if side_kind(f) is None]
        catalog = max(shipped, key=lambda c: version_key(c.version))
        raw = tomllib.loads(catalog.path.read_text("utf-8"))
        write_atomically(Path(args.out), lambda tmp: write_kit(raw, tmp))
        print(f"Đã ghi bộ biểu mẫu {catalog.id} {catalog.version} ra {args.out}. Sửa trong Excel (đổi Phiên bản), "
              f"rồi chạy: cchc-desktop catalog build {args.out} --out TỆP.toml")
        return 0
    out = build_catalog(Path(args.kit), Path(args.out))
    from cchc_desktop.core.catalog import load_catalog

    built = load_catalog(out)
    print(f"Đã dựng bộ biểu mẫu {built.id} {built.version}: {len(built.indicators)} chỉ tiêu, "
          f"{len(built.rules)} quy tắc. Tệp: {out}")
    return 0

def main(argv: list[str] | None = None) -> int:
    _utf8_console()
    given = sys.argv[1:] if argv is None else argv
    if not given:
        # the clerk's double-click: straight to the window, without building every sub-command's
        # parser (~10 ms of each start)
        from cchc_desktop.gui.app import run

        return run(data_dir=None)
    args = _parser().parse_args(given)
    if args.command is None:
        from cchc_desktop.gui.app import run  # the only path that loads Qt

        return run(data_dir=args.data_dir)
    from cchc_desktop.system import logs

    logs.cli_setup(args.data_dir)  # warnings and up, in <data>/logs; nothing created until used
    if args.data_dir:
        # everything in this run, the province's catalog folder included, follows --data-dir
        os.environ["CCHC_DATA_DIR"] = str(args.data_dir)
    handler = globals()[f"cmd_{args.command.replace('-', '_')}"]
    try:
        return handler(args)
    except BrokenPipeError:
        # `cchc-desktop validate f.json | head` closed the pipe: nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the user gets a sentence, not a traceback
        # every error we explain shares one base; ValueError: argparse-level values (a year…)
        if isinstance(exc, (CchcError, ValueError)):
            logs.log.warning("%s: %s%s", args.command, exc, f" ({exc.detail})" if getattr(exc, "detail", None) else "")
            print(str(exc), file=sys.stderr)
            _advise_restore(exc)
            return EXIT_UNREADABLE
        if os.environ.get("CCHC_DEBUG"):
            raise
        path = logs.log_unexpected(type(exc), exc, exc.__traceback__, where=args.command)
        print(f"Có lỗi ngoài dự kiến, lệnh chưa làm xong ({type(exc).__name__}: {exc}).\n"
              f"Chi tiết kỹ thuật đã được ghi vào tệp nhật ký: {path}\n"
              "Những gì đã lưu trước đó vẫn an toàn trong tệp dữ liệu.", file=sys.stderr)
        return EXIT_UNEXPECTED


def _advise_restore(exc: Exception) -> None:
    """A damaged data file: name the newest backup that is really sound, and the command."""
    from cchc_desktop.storage.backups import newest_sound_backup
    from cchc_desktop.system.data_dirs import backup_dir
    from cchc_desktop.storage.store import DataFileDamaged

    if not isinstance(exc, DataFileDamaged):
        return
    folder = backup_dir(exc.path.parent)
    newest = newest_sound_backup(folder)
    if newest is None:
        print(f"Chưa có bản sao lưu dùng được nào trong “{folder}”. Nếu có bản sao lưu ở nơi khác (ví dụ trên USB), "
              "khôi phục bằng lệnh: cchc-desktop restore <đường dẫn tệp sao lưu>", file=sys.stderr)
        return
    inside = f"; {', '.join(newest.reports)}" if newest.reports else ""
    print(f"Bản sao lưu tốt gần nhất: {newest.path} ({newest.created:%d/%m/%Y %H:%M}{inside}).\n"
          f"Khôi phục bằng lệnh: cchc-desktop restore \"{newest.path.name}\"", file=sys.stderr)


def _utf8_console() -> None:
    # a Windows console defaults to a legacy code page that cannot print Vietnamese
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass


# ------------------------------------------------------------------------ the commands
def cmd_sample(args) -> int:
    from cchc_desktop.formats.exchange import write_exchange_file
    from cchc_desktop.services.sample import sample_doc

    write_exchange_file(sample_doc(), args.out)
    print(f"Đã ghi báo cáo mẫu vào {args.out}")
    return EXIT_OK


def cmd_demo(args) -> int:
    """A newcomer's first command: the whole job on the built-in sample, ending well. The sample
    keeps the one real error of the commune's own report, so it is checked (the error printed)
    and exported as a draft; `validate` keeps its exit codes for scripts."""
    from cchc_desktop.formats.doc_catalog import state_of
    from cchc_desktop.formats.exchange import write_exchange_file
    from cchc_desktop.formats.printed import PrintedReport
    from cchc_desktop.services.export_files import ExportError, default_paths, export_view
    from cchc_desktop.services.sample import sample_doc

    registry = _catalogs()
    folder = Path(args.folder)
    doc = sample_doc(registry)
    view = PrintedReport.from_doc(doc, registry)
    data = folder / "sample.json"
    docx, xlsx = default_paths(view, folder, draft=True)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_exchange_file(doc, data)
        _print_validation(doc, view.catalog, state_of(doc, view.catalog), view.state.sorted_issues())
        template, notice = _word_template(args)
        written = export_view(view, docx=docx, xlsx=xlsx, draft=True, template=template)
    except (ExportError, OSError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    if notice:
        print(notice, file=sys.stderr)
    print("Đã ghi:")
    for path in (data, *written):
        print(f"  {path}")
    print("Báo cáo mẫu giữ lỗi có thật của báo cáo gốc nên được xuất thành bản dự thảo (có chữ DỰ THẢO). "
          "Mở cửa sổ chương trình: cchc-desktop")
    return EXIT_OK


def cmd_validate(args) -> int:
    from cchc_desktop.formats.doc_catalog import load_doc, state_of

    doc, catalog = load_doc(args.file, _catalogs())
    state = state_of(doc, catalog)
    issues = state.sorted_issues()
    if args.json:
        print(json.dumps({"issues": [i.as_json() for i in issues], "derived": state.derived_texts()}, ensure_ascii=False, indent=2))
    else:
        _print_validation(doc, catalog, state, issues)
    return EXIT_ISSUES if state.blocking_count else EXIT_OK


def _print_validation(doc, catalog, state, issues) -> None:
    from cchc_desktop.services.reports import report_label, unit_display_name
    from cchc_desktop.core.vocabulary import SEVERITY_WORDS, counts_text

    rep = doc["report"]
    print(f"{unit_display_name(doc['unit'])} — báo cáo {report_label(rep)} (bộ biểu mẫu {catalog.id} {catalog.version})")
    for issue in issues:
        print(f"  {SEVERITY_WORDS[issue.severity].upper():9} {issue.message}")
    if not issues:
        print("  Không có lỗi hay cảnh báo nào.")
    print("Tỷ lệ tự tính:")
    for ident, text in state.derived_texts().items():
        ind = catalog.indicators[ident]
        print(f"  {ind.row_name:21} {text:>7}%  {ind.label}")  # the STT is numbered within its form
    print(f"Tổng cộng: {counts_text(state.count, ', ')}.")


def _open(args):
    from cchc_desktop.storage.backups import auto_backup
    from cchc_desktop.storage.housekeeping import remove_stale_temps
    from cchc_desktop.system.data_dirs import backup_dir, resolve_data_dir, written_folders
    from cchc_desktop.storage.store import Store

    data_dir = resolve_data_dir(args.data_dir)
    remove_stale_temps(written_folders(data_dir))
    store = Store.open(data_dir)
    if store.list_reports():
        auto_backup(store, backup_dir(data_dir))
    return store, data_dir


@contextmanager
def _folder_held(args) -> Iterator[None]:
    """For a command that changes data: refused while the window holds the data folder, which
    would otherwise write its open report back over the change."""
    from cchc_desktop.storage import folder_lock
    from cchc_desktop.system.data_dirs import resolve_data_dir

    data_dir = resolve_data_dir(args.data_dir)
    args.data_dir = str(data_dir)  # the command works in the folder it locked; a fallback notice is said once
    lock = folder_lock.acquire(data_dir)
    if lock is None:
        raise CliError(folder_lock.refused_message(data_dir))
    with lock:
        yield


def _changes_data(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    @functools.wraps(handler)
    def locked(args: argparse.Namespace) -> int:
        with _folder_held(args):
            return handler(args)
    return locked


@_changes_data
def cmd_import(args) -> int:
    from cchc_desktop.formats.doc_catalog import load_doc
    from cchc_desktop.services.report_io import IMPORTED_AS_DRAFT, import_doc
    from cchc_desktop.services.reports import report_label

    registry = _catalogs()
    doc, _ = load_doc(args.file, registry)
    store, _ = _open(args)
    with store:
        rid = import_doc(store, registry, doc)
        print(f"Đã nhập báo cáo {report_label(store.get_report(rid))}, mã {rid}.")
    if doc["report"]["status"] == "complete":
        print(f"{IMPORTED_AS_DRAFT}: cchc-desktop complete {rid}")
    return EXIT_OK


def cmd_export_json(args) -> int:
    from cchc_desktop.services.report_io import export_file

    store, _ = _open(args)
    with store:
        export_file(store, args.report_id, args.file)
    print(f"Đã xuất báo cáo mã {args.report_id} ra {args.file}")
    return EXIT_OK


def cmd_export(args) -> int:
    from cchc_desktop.services.export_files import ExportError, default_folder, default_paths, export_view
    from cchc_desktop.formats.printed import PrintedReport
    from cchc_desktop.storage.housekeeping import remove_stale_temps

    template, notice = _word_template(args)  # a refused --template: said before any work, exit 2
    registry = _catalogs()
    if args.sample:
        from cchc_desktop.services.sample import sample_doc

        view = PrintedReport.from_doc(sample_doc(registry), registry)
    elif args.source.isdigit():
        store, _ = _open(args)
        with store:
            from cchc_desktop.services.export_files import printed_report

            view = printed_report(store, int(args.source), registry)
    else:
        from cchc_desktop.formats.exchange import read_exchange_file

        view = PrintedReport.from_doc(read_exchange_file(args.source), registry)
    docx, xlsx = (Path(args.docx) if args.docx else None), (Path(args.xlsx) if args.xlsx else None)
    if docx is None and xlsx is None:
        docx, xlsx = default_paths(view, Path(args.folder) if args.folder else default_folder(), draft=args.draft)
    remove_stale_temps({p.parent for p in (docx, xlsx) if p is not None})  # left by an export cut short
    try:
        written = export_view(view, docx=docx, xlsx=xlsx, draft=args.draft, appendix=not args.no_appendix,
                              template=template)
    except ExportError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ISSUES if view.blocking_issues and not args.draft else EXIT_UNREADABLE
    if notice and docx is not None:
        print(notice, file=sys.stderr)
    for path in written:
        print(f"Đã ghi {path}")
    return EXIT_OK


def _word_template(args) -> tuple[Path, str]:
    """The Word template of an export and what must be said about it: `--template` once it passed
    the check (a refused file is a TemplateRefused, said by main() with exit 2), else the data
    folder's active one (the province's, or the built-in one with why an installed one was not used)."""
    from cchc_desktop.services.word_template import active_template, check_template
    from cchc_desktop.system.data_dirs import choose_data_dir

    if getattr(args, "template", None):
        check_template(args.template)
        return Path(args.template), ""
    active = active_template(choose_data_dir(args.data_dir)[0])  # reads only: no folder is made for it
    return active.path, active.notice


def cmd_template(args) -> int:
    from cchc_desktop.services import word_template as wt
    from cchc_desktop.system.data_dirs import resolve_data_dir

    if args.template_command == "save-default":
        out = wt.save_builtin(args.out)
        print(f"Đã ghi mẫu Word có sẵn ra {out}. Sửa các kiểu (Style) trong Word, giữ nguyên tên kiểu, "
              f"rồi cài: cchc-desktop template install \"{out}\"")
        return EXIT_OK
    data_dir = resolve_data_dir(args.data_dir)
    if args.template_command == "install":
        active = wt.install_template(data_dir, args.file)
        print(f"Đã cài {active.describe()} vào {active.path}. Các báo cáo Word xuất từ nay dùng mẫu này; "
              "gỡ bằng lệnh: cchc-desktop template remove")
        return EXIT_OK
    if args.template_command == "remove":
        if wt.remove_template(data_dir):
            print(f"Đã gỡ mẫu Word của tỉnh; từ nay dùng {wt.active_template(data_dir).describe()}. "
                  f"Bản vừa gỡ được giữ ở {wt.template_dir(data_dir) / wt.PREVIOUS_NAME}")
        else:
            print("Chưa cài mẫu Word nào của tỉnh; đang dùng mẫu có sẵn của chương trình.")
        return EXIT_OK
    active = wt.active_template(data_dir)
    print(f"Đang dùng {active.describe()}: {active.path}")
    if active.notice:
        print(active.notice, file=sys.stderr)
        return EXIT_ISSUES
    return EXIT_OK


def cmd_list(args) -> int:
    from cchc_desktop.services.reports import report_label
    from cchc_desktop.core.vocabulary import status_label

    store, data_dir = _open(args)
    with store:
        reports = store.list_reports()
    if not reports:
        print(f"Chưa có báo cáo nào (dữ liệu ở {data_dir}).")
    for r in reports:
        print(f"{r['id']:>4}  {r['unit_name']:<24} {report_label(r):<12} {status_label(r['status']):<13} bộ biểu mẫu {r['catalog_version']}")
    return EXIT_OK


@_changes_data
def cmd_create(args) -> int:
    from cchc_desktop.services.reports import copy_report, copy_summary, create_report, report_label

    store, _ = _open(args)
    with store:
        # ReportExists is a CchcError: said in main() like any other, exit 2
        if args.copy_from is None:
            rid, summary = create_report(store, _catalogs(), args.year, args.period), ""
        else:
            copied = copy_report(store, _catalogs(), args.year, args.period, copy_from=args.copy_from,
                                 copy_values=args.with_values)
            rid, summary = copied.report_id, copy_summary(copied)
        print(f"Đã tạo báo cáo {report_label(store.get_report(rid))}, mã {rid}.")
        if summary:
            print(summary)
    return EXIT_OK


@_changes_data
def cmd_complete(args) -> int:
    from cchc_desktop.services.session import EditError, ReportSession

    store, _ = _open(args)
    with store:
        try:
            ReportSession(store, args.report_id, _catalogs()).mark_complete()
        except EditError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_ISSUES
    print(f"Đã đánh dấu hoàn thành báo cáo mã {args.report_id}.")
    return EXIT_OK


@_changes_data
def cmd_delete(args) -> int:
    from cchc_desktop.system.data_dirs import backup_dir
    from cchc_desktop.services.reports import delete_report

    store, data_dir = _open(args)
    with store:
        path = delete_report(store, args.report_id, backup_dir(data_dir))
    print(f"Đã xóa báo cáo mã {args.report_id}. Bản sao lưu trước khi xóa: {path}")
    return EXIT_OK


def cmd_backup(args) -> int:
    from cchc_desktop.storage.backups import make_backup
    from cchc_desktop.system.data_dirs import backup_dir

    store, data_dir = _open(args)
    with store:
        path = make_backup(store, backup_dir(data_dir), reason="thu-cong")
    print(f"Đã sao lưu vào {path}")
    return EXIT_OK


def cmd_restore(args) -> int:
    from cchc_desktop.storage.housekeeping import remove_stale_temps
    from cchc_desktop.system.data_dirs import backup_dir, resolve_data_dir

    data_dir = resolve_data_dir(args.data_dir)
    folder = backup_dir(data_dir)
    remove_stale_temps([data_dir, folder])
    if not args.backup:
        return _list_backups(folder)
    with _folder_held(args):
        return _restore(data_dir, folder, Path(args.backup))


def _list_backups(folder: Path) -> int:
    from cchc_desktop.storage.backups import inspect_backup, list_backups

    backups = list_backups(folder)
    if not backups:
        print(f"Chưa có bản sao lưu nào trong {folder}.")
    for info in backups:
        check = inspect_backup(info.path)
        what = "; ".join(check.reports) if check.ok else f"HỎNG, không khôi phục được: {check.problem}"
        print(f"{info.created:%d/%m/%Y %H:%M:%S}  {what or 'chưa có báo cáo'}  {info.path}")
    if backups:
        print("Khôi phục: cchc-desktop restore <tên tệp sao lưu>")
    return EXIT_OK


def _restore(data_dir: Path, folder: Path, backup: Path) -> int:
    from cchc_desktop.storage.backups import restore_backup
    from cchc_desktop.system.data_dirs import db_path

    if not backup.is_absolute() and not backup.exists():
        backup = folder / backup
    safety = restore_backup(db_path(data_dir), backup, folder)
    kept = f" Dữ liệu ngay trước khi khôi phục được giữ ở {safety}" if safety else ""
    print(f"Đã khôi phục dữ liệu từ {backup}.{kept}")
    return EXIT_OK

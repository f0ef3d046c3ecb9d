"""Writing the Word and Excel files where the clerk wants them, never half-written.

Each file is written to a temporary name in the target folder and moved into place in one
step, so a power cut or a crash leaves the old file or the new one, never a torn one. A
target that Word or Excel holds open (Windows refuses the replace), or a folder that cannot
be written, gives a message that says so and offers another name or folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from cchc_desktop.errors import CchcError
from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.core.engine import section_name
from cchc_desktop.core.numbers import BLANK_MARK
from cchc_desktop.formats.printed import PrintedReport
from cchc_desktop.system import atomic

Progress = Callable[[int, str], None]  # (percent done, what is being done)
FOLDER_NAME = "Bao cao CCHC"


class ExportError(CchcError):
    def __init__(self, message: str, suggestion: Path | None = None):
        super().__init__(message)
        self.suggestion = suggestion  # another path to offer the clerk, if any


def printed_report(store, report_id: int, registry: CatalogRegistry) -> PrintedReport:
    """A stored report as it is printed (the printed view itself knows no storage)."""
    from cchc_desktop.services.report_io import report_to_doc

    return PrintedReport.from_doc(report_to_doc(store, report_id), registry)


def default_folder() -> Path:
    """Documents/"Bao cao CCHC" — an ASCII name a clerk can find and type."""
    import platformdirs

    return Path(platformdirs.user_documents_dir()) / FOLDER_NAME


def free_name(path: Path) -> Path:
    """path, or path_2, path_3 … — the first that does not exist yet."""
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}_{n}{path.suffix}")
        n += 1
    return candidate


def _fallback(target: Path) -> Path | None:
    other = default_folder() / target.name
    return None if other.parent.resolve() == target.parent.resolve() else free_name(other)


def write_atomically(target: Path, write: Callable[[Path], None]) -> Path:
    """system.atomic.write_atomically, with the advice the export dialog offers: another folder
    when this one takes no file, another name when the target is held open."""
    target = Path(target)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return atomic.write_atomically(target, write)
    except (OSError, atomic.AtomicWriteError) as exc:
        stage = getattr(exc, "stage", "temp")  # a bare OSError: the folder could not be made
    if stage == "temp":
        raise ExportError(
            f"Không ghi được vào thư mục “{folder}” (thư mục chỉ cho đọc hoặc không có quyền ghi). "
            "Hãy chọn thư mục khác, ví dụ thư mục Tài liệu (Documents).",
            _fallback(target),
        ) from None
    if stage == "write":
        raise ExportError(
            f"Không ghi xong được tệp “{target.name}” vào “{folder}”: ổ đĩa có thể đã đầy, "
            "hoặc USB vừa bị rút ra. Tệp cũ (nếu có) vẫn còn nguyên. Hãy giải phóng chỗ trống "
            "hoặc chọn thư mục khác, rồi xuất lại.",
            _fallback(target),
        ) from None
    other = free_name(target)
    raise ExportError(
        f"Không ghi được tệp “{target.name}”: tệp đang mở trong Word hoặc Excel, hoặc chỉ cho đọc. "
        f"Hãy đóng tệp đó rồi xuất lại, hoặc lưu với tên khác: “{other.name}”.",
        other,
    ) from None


def export_view(
    view: PrintedReport,
    *,
    docx: Path | None = None,
    xlsx: Path | None = None,
    draft: bool = False,
    appendix: bool = True,
    progress: Progress | None = None,
    template: Path | None = None,
) -> list[Path]:
    """Writes the files asked for. A final (non-draft) export is refused while the report has
    errors: the province must not receive figures that contradict each other as final.
    `template`: the Word template (None: the built-in one). The window and the command line pass
    `services.word_template.active_template(data_dir).path` (the province's when installed) and
    say its `notice` when an installed one was damaged and the built-in one used instead."""
    if not draft and view.blocking_issues:
        raise ExportError(
            f"Báo cáo còn {view.blocking_issues} lỗi nên chưa xuất bản chính thức được. "
            "Sửa các lỗi ở thẻ Kiểm tra và xuất, hoặc xuất bản dự thảo (có chữ DỰ THẢO) để xem trước."
        )
    if not draft and view.blank_citations:
        cited = view.blank_citations
        section_id = cited[0].rule.split(":")[1]  # text:<section>:<row>
        first = f"{section_name(view.catalog, section_id)} dùng {view.catalog.row_name(cited[0].indicators[0])}"
        raise ExportError(
            f"Phần lời còn {len(cited)} chỗ chèn số liệu của dòng đang trống ({first}); bản chính thức "
            f"không được in “{BLANK_MARK}” thay cho số liệu. Nhập số liệu cho các dòng đó hoặc xóa chỗ chèn "
            "(xem danh sách ở thẻ Kiểm tra và xuất), hoặc xuất bản dự thảo để xem trước."
        )
    report = progress or (lambda pct, what: None)
    written = []
    if docx is not None:
        from cchc_desktop.formats.word import write_docx

        report(10, "Đang tạo báo cáo Word…")
        written.append(write_atomically(docx, lambda p: write_docx(view, p, draft=draft, appendix=appendix,
                                                                          template=template)))
    if xlsx is not None:
        from cchc_desktop.formats.excel import write_xlsx

        report(60, "Đang tạo phụ lục Excel…")
        written.append(write_atomically(xlsx, lambda p: write_xlsx(view, p, draft=draft)))
    report(100, "Đã xuất xong.")
    return written


def default_paths(view: PrintedReport, folder: Path, *, draft: bool = False) -> tuple[Path, Path]:
    # the report and its appendix are two documents: BaoCao_… and PhuLuc_… (a clerk sending both
    # must tell them apart in the e-mail's attachment list)
    tail = "_DuThao" if draft else ""
    return folder / f"{view.file_stem('BaoCao')}{tail}.docx", folder / f"{view.file_stem('PhuLuc')}{tail}.xlsx"

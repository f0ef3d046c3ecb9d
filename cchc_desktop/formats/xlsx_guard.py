"""A workbook that arrives by e-mail or USB stick is read as an untrusted file: its size, its
unzipped size and ratio (a zip bomb) and its XML (no DOCTYPE or ENTITY: the billion laughs and
external entities) are checked before openpyxl parses anything. Shared by the province kit and
the appendices a province reads back."""

from __future__ import annotations

import io
import zipfile

from cchc_desktop.errors import CchcError

MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100  # a real workbook compresses ~5–10×; a bomb by thousands


class UntrustedWorkbook(CchcError):
    pass


def check_workbook_bytes(data: bytes, max_bytes: int, what: str) -> None:
    if len(data) > max_bytes:
        raise UntrustedWorkbook(
            f"Tệp {what} lớn {len(data) // 1024:,} KB, vượt giới hạn {max_bytes // 1024 // 1024} MB. ".replace(",", ".")
            + f"Đây không giống một tệp {what}; kiểm tra lại tệp.")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise UntrustedWorkbook("Tệp không phải bảng tính Excel (.xlsx) hoặc đã bị hỏng. "
                                "Lưu lại tệp bằng Excel dạng .xlsx rồi thử lại.") from None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNZIPPED_BYTES or total / packed > MAX_RATIO:
        raise UntrustedWorkbook("Tệp bảng tính giải nén ra quá lớn so với kích thước của nó (có thể là tệp độc hại). "
                                "Chương trình không mở tệp này.")
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            # a text cell's "<" is always escaped, so a raw declaration is never anyone's text
            part = zf.read(info).upper()
            if b"<!DOCTYPE" in part or b"<!ENTITY" in part:
                raise UntrustedWorkbook("Tệp bảng tính chứa khai báo XML không được phép (DOCTYPE/ENTITY). "
                                        "Chương trình không mở tệp này.")

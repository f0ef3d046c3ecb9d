"""A workbook that arrives by e-mail or USB stick is read as an untrusted file: its size, its
unzipped size and ratio (a zip bomb) and its XML (no DOCTYPE or ENTITY: the billion laughs and
external entities) are checked before openpyxl parses anything (`zip_guard`, shared with the
Word template's check). Shared by the province kit and the appendices a province reads back."""

from __future__ import annotations

from cchc_desktop.formats.zip_guard import MAX_RATIO, MAX_UNZIPPED_BYTES, UntrustedFile, ZipWords, check_zip_bytes

__all__ = ["MAX_RATIO", "MAX_UNZIPPED_BYTES", "UntrustedWorkbook", "check_workbook_bytes"]

NOT_A_WORKBOOK = ("Tệp không phải bảng tính Excel (.xlsx) hoặc đã bị hỏng. "
                  "Lưu lại tệp bằng Excel dạng .xlsx rồi thử lại.")


class UntrustedWorkbook(UntrustedFile):
    pass


def check_workbook_bytes(data: bytes, max_bytes: int, what: str) -> None:
    check_zip_bytes(data, max_bytes, ZipWords(what, "bảng tính", NOT_A_WORKBOOK), error=UntrustedWorkbook)

"""An Office file (.xlsx, .docx) that arrives by e-mail or USB stick is read as an untrusted zip:
its size, its unzipped size and ratio (a zip bomb) and its XML (no DOCTYPE or ENTITY: the billion
laughs and external entities) are checked before openpyxl or python-docx parses anything.

`check_zip_bytes` is the one check; `xlsx_guard` (workbooks) and `word_template` (the province's
Word template) give it their own words for the clerk.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from cchc_desktop.errors import CchcError

MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100  # a real Office file compresses ~5–10×; a bomb by thousands


class UntrustedFile(CchcError):
    """``problem`` says which check refused the file: "too_large", "not_zip", "bomb" or
    "xml_declaration" (for a caller that words the reason its own way)."""

    problem = ""


def _refused(error: type[CchcError], message: str, problem: str) -> CchcError:
    exc = error(message)
    exc.problem = problem  # type: ignore[attr-defined]
    return exc


@dataclass(frozen=True)
class ZipWords:
    """How the clerk hears about one kind of file."""

    what: str  # the file's role: "bộ biểu mẫu", "phụ lục", "mẫu Word"
    kind: str  # the kind of file: "bảng tính", "Word"
    not_this: str  # the whole message when the bytes are no zip at all


def too_large(size: int, max_bytes: int, what: str) -> str:
    return (f"Tệp {what} lớn {size // 1024:,} KB, vượt giới hạn {max_bytes // 1024 // 1024} MB. ".replace(",", ".")
            + f"Đây không giống một tệp {what}; kiểm tra lại tệp.")


def xml_named(info: zipfile.ZipInfo) -> bool:
    return info.filename.endswith((".xml", ".rels"))


def check_zip_bytes(
    data: bytes,
    max_bytes: int,
    words: ZipWords,
    *,
    error: type[CchcError] = UntrustedFile,
    xml_part: Callable[[zipfile.ZipFile, zipfile.ZipInfo], bool] | None = None,
) -> zipfile.ZipFile:
    """The zip, once it passed every check; raises `error` with the clerk's message otherwise.
    `xml_part(zf, info)` says which members a parser will read (default: the .xml and .rels)."""
    if len(data) > max_bytes:
        raise _refused(error, too_large(len(data), max_bytes, words.what), "too_large")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise _refused(error, words.not_this, "not_zip") from None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNZIPPED_BYTES or total / packed > MAX_RATIO:
        raise _refused(error, f"Tệp {words.kind} giải nén ra quá lớn so với kích thước của nó (có thể là tệp độc hại). "
                       "Chương trình không mở tệp này.", "bomb")
    parsed = xml_part or (lambda _zf, info: xml_named(info))
    for info in infos:
        if not parsed(zf, info):
            continue
        try:
            # a text's "<" is always escaped, so a raw declaration is never anyone's text
            part = zf.read(info).upper()
        except (zipfile.BadZipFile, ValueError, NotImplementedError, OSError):  # CRC, encryption, method
            raise _refused(error, words.not_this, "not_zip") from None
        if b"<!DOCTYPE" in part or b"<!ENTITY" in part:
            raise _refused(error, f"Tệp {words.kind} chứa khai báo XML không được phép (DOCTYPE/ENTITY). "
                           "Chương trình không mở tệp này.", "xml_declaration")
    return zf

"""A province's Word template, checked before it is used, and what a preview needs from it.

A template arrives by e-mail or USB stick, so it is read as an untrusted file (`zip_guard`: size,
unzipped size and ratio, no DOCTYPE/ENTITY in any part python-docx parses). Then python-docx
opens it and every named style the report is written with (`docx_parts.S`, the one list) must be
there with its kind (paragraph, table, character): `word._open_template` would quietly add a
plain one for a missing style, which keeps an old export going but is not what a province that
installs its template wants — the check refuses it and names the missing styles.

`check_template` returns the look of the template for a preview of page 1 (no Qt here): the page
size, orientation and margins, and for each paragraph style its font, size, bold/italic, colour,
alignment, indents and spacing, each followed through the style's base styles and the document
defaults as Word does.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from cchc_desktop.errors import CchcError
from cchc_desktop.formats.docx_parts import FONT, S
from cchc_desktop.formats.zip_guard import (
    UntrustedFile,
    ZipWords,
    check_zip_bytes,
    too_large,
)

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024  # the built-in one is ~30 KB; room for a logo or two
MAIN_PART = "word/document.xml"
SAVE_DEFAULT_HOW = ("trong cửa sổ: Báo cáo → Mẫu Word của tỉnh… → “Lưu mẫu có sẵn ra…”; "
                    "ở dòng lệnh: cchc-desktop template save-default --out TỆP.docx")
_DOCX_ADVICE = "Mở tệp bằng Word, chọn Tệp → Lưu thành, kiểu “Tài liệu Word (*.docx)”, rồi chọn lại tệp vừa lưu."
# parts python-docx keeps as bytes and never parses as XML
_BINARY_TYPES = ("image/", "font/", "application/vnd.openxmlformats-officedocument.obfuscatedFont")
_ALIGN = {0: "left", 1: "center", 2: "right", 3: "justify", 4: "justify", 5: "justify", 7: "justify",
          8: "justify", 9: "justify"}  # WD_ALIGN_PARAGRAPH values; distributed/thai/kashida read as justify


# why a file is refused, as a clause after "mẫu …" (what an export says of an installed one it ignored)
REASONS = {
    "too_large": "lớn quá mức cho một mẫu Word",
    "not_zip": "không phải tệp Word (.docx) hoặc đã bị hỏng",
    "bomb": "giải nén ra quá lớn so với kích thước của nó (có thể là tệp độc hại)",
    "xml_declaration": "chứa khai báo XML không được phép (DOCTYPE/ENTITY, có thể là tệp độc hại)",
    "unreadable": "không đọc được",
    "missing": "không còn tệp",
    "no_page": "không có phần thiết lập trang (khổ giấy, lề)",
}


class TemplateRefused(CchcError):
    """The file cannot be the report's template; ``str()`` says why and what to do, ``reason``
    only why (a clause: "không phải tệp Word (.docx) hoặc đã bị hỏng"). ``missing``: the named
    styles it lacks (or has as another kind), when that is the reason."""

    def __init__(self, message: str, *, reason: str = REASONS["not_zip"], missing: tuple[str, ...] = (),
                 detail: str | None = None):
        super().__init__(message, detail=detail)
        self.reason, self.missing = reason, missing


@dataclass(frozen=True)
class StyleLook:
    """A paragraph style as it prints; lengths in points, colour as "RRGGBB" (None: automatic, black)."""

    name: str
    font: str = FONT
    size: float = 10.0
    bold: bool = False
    italic: bool = False
    color: str | None = None
    align: str = "left"  # left, center, right, justify
    first_indent: float = 0.0
    left_indent: float = 0.0
    right_indent: float = 0.0
    space_before: float = 0.0
    space_after: float = 0.0
    line: float = 1.0  # multiple of a single line (an exact spacing is read as its multiple of the size)


@dataclass(frozen=True)
class PageLook:
    """The first section's page, in millimetres."""

    width: float = 210.0
    height: float = 297.0
    top: float = 20.0
    bottom: float = 20.0
    left: float = 30.0
    right: float = 15.0

    @property
    def landscape(self) -> bool:
        return self.width > self.height


@dataclass(frozen=True)
class TemplateLook:
    page: PageLook
    styles: dict[str, StyleLook] = field(default_factory=dict)

    def style(self, name: str) -> StyleLook:
        return self.styles.get(name) or StyleLook(name)


def expected_kind(name: str) -> str:
    """The kind of style the report writes with `name` (as word._open_template adds a lost one)."""
    if name == S.DRAFT:
        return "character"
    return "table" if name.endswith("Table") else "paragraph"


# ------------------------------------------------------------------------------ the check
def check_template(path: str | Path) -> TemplateLook:
    """The template's look, once the file passed every check; else TemplateRefused."""
    path = Path(path)
    return check_template_bytes(read_template(path), path.name)


def read_template(path: str | Path) -> bytes:
    """The file's bytes (checked afterwards, and those very bytes installed); a file too large
    is refused before it is read into memory."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEMPLATE_BYTES:
            raise TemplateRefused(too_large(size, MAX_TEMPLATE_BYTES, "mẫu Word"), reason=REASONS["too_large"])
        return path.read_bytes()
    except FileNotFoundError:
        raise TemplateRefused(f"Không tìm thấy tệp mẫu Word “{path}”. Kiểm tra lại tên và thư mục của tệp.",
                              reason=REASONS["missing"]) from None
    except OSError as exc:
        raise TemplateRefused(f"Không đọc được tệp mẫu Word “{path}” (tệp đang mở ở chương trình khác, hoặc không có "
                              "quyền đọc). Đóng tệp rồi thử lại.", reason=REASONS["unreadable"], detail=repr(exc)) from None


def check_template_bytes(data: bytes, name: str = "mẫu Word") -> TemplateLook:
    not_docx = f"Tệp “{name}” không phải tệp Word (.docx) hoặc đã bị hỏng. {_DOCX_ADVICE}"
    words = ZipWords("mẫu Word", "Word", not_docx)
    try:
        zf = check_zip_bytes(data, MAX_TEMPLATE_BYTES, words, error=UntrustedFile, xml_part=_parsed_by_docx)
    except UntrustedFile as exc:
        raise TemplateRefused(str(exc), reason=REASONS.get(exc.problem, REASONS["not_zip"])) from None
    if MAIN_PART not in zf.namelist():
        raise TemplateRefused(not_docx, detail=f"{name}: no {MAIN_PART}")
    doc = _open(data, name, not_docx)
    problems = missing_styles(doc)
    if problems:
        raise TemplateRefused(
            f"Mẫu Word “{name}” thiếu {len(problems)} kiểu (Style) mà báo cáo cần: {', '.join(problems)}. "
            "Hãy bắt đầu từ mẫu có sẵn của chương trình (" + SAVE_DEFAULT_HOW + "), sửa định dạng các kiểu "
            "trong Word (Home → Styles → Modify) mà không xóa hay đổi tên kiểu nào, rồi cài lại tệp đó.",
            reason=f"thiếu {len(problems)} kiểu (Style) mà báo cáo cần: {', '.join(problems)}", missing=tuple(problems))
    if not len(doc.sections):
        raise TemplateRefused(f"Mẫu Word “{name}” không có phần thiết lập trang (khổ giấy, lề). Hãy bắt đầu từ mẫu "
                              f"có sẵn của chương trình ({SAVE_DEFAULT_HOW}) rồi sửa trong Word.", reason=REASONS["no_page"])
    try:
        return look_of(doc)
    except Exception as exc:  # noqa: BLE001 - an odd value python-docx cannot read is a damaged file
        raise TemplateRefused(not_docx, detail=f"{name}: {exc!r}") from None


def _open(data: bytes, name: str, not_docx: str):
    import io

    from docx import Document

    try:
        return Document(io.BytesIO(data))
    except ValueError as exc:
        if "template.main" in str(exc):
            raise TemplateRefused(f"Tệp “{name}” là tệp mẫu của Word (.dotx), chương trình cần một tài liệu Word "
                                  f"(.docx). {_DOCX_ADVICE}", reason="là tệp mẫu của Word (.dotx), không phải tài liệu .docx",
                                  detail=repr(exc)) from None
        if "macroEnabled" in str(exc):
            raise TemplateRefused(f"Tệp “{name}” là tài liệu Word có macro (.docm); mẫu báo cáo không được có macro. "
                                  f"{_DOCX_ADVICE}", reason="là tài liệu Word có macro (.docm)", detail=repr(exc)) from None
        raise TemplateRefused(not_docx, detail=repr(exc)) from None
    except Exception as exc:  # noqa: BLE001 - whatever a damaged package makes python-docx raise
        raise TemplateRefused(not_docx, detail=repr(exc)) from None


def _parsed_by_docx(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Every part except those [Content_Types].xml declares binary (images, fonts): a part's
    name does not decide how python-docx reads it, its content type does."""
    if info.filename == "[Content_Types].xml" or info.filename.endswith((".xml", ".rels")):
        return True
    defaults, overrides = _content_types(zf)
    kind = overrides.get("/" + info.filename.lstrip("/"))
    if kind is None:
        kind = defaults.get(posixpath.splitext(info.filename)[1].lstrip(".").lower(), "")
    return not kind.startswith(_BINARY_TYPES)


def _content_types(zf: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    cached = getattr(zf, "_cchc_content_types", None)
    if cached is not None:
        return cached
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    try:
        raw = zf.read("[Content_Types].xml")
    except (KeyError, zipfile.BadZipFile, ValueError, OSError):
        raw = b""
    if raw and b"<!DOCTYPE" not in raw.upper() and b"<!ENTITY" not in raw.upper():
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            root = etree.fromstring(raw, parser)
        except etree.XMLSyntaxError:
            root = None
        for el in root.iter() if root is not None else ():
            tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
            if tag == "Default":
                defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")
            elif tag == "Override":
                overrides[el.get("PartName", "")] = el.get("ContentType", "")
    zf._cchc_content_types = (defaults, overrides)  # type: ignore[attr-defined]
    return defaults, overrides


def missing_styles(doc) -> list[str]:
    """The report's named styles the document lacks, in S's order; one of another kind is named
    with the kind it must be ("CCHC Body (phải là kiểu đoạn văn)")."""
    from docx.enum.style import WD_STYLE_TYPE

    kinds = {WD_STYLE_TYPE.PARAGRAPH: "paragraph", WD_STYLE_TYPE.TABLE: "table", WD_STYLE_TYPE.CHARACTER: "character"}
    words = {"paragraph": "kiểu đoạn văn", "table": "kiểu bảng", "character": "kiểu ký tự"}
    present: dict[str, str] = {}
    for style in doc.styles:
        try:
            present[style.name] = kinds.get(style.type, "other")
        except (ValueError, KeyError):  # a style type python-docx does not know (numbering…)
            continue
    out = []
    for name in S.all():
        if name not in present:
            out.append(name)
        elif present[name] != expected_kind(name):
            out.append(f"{name} (phải là {words[expected_kind(name)]})")
    return out


# ------------------------------------------------------------------------------ the look
def look_of(doc) -> TemplateLook:
    section = doc.sections[0]
    base = PageLook()

    def mm(value, default: float) -> float:
        return round(value.mm, 1) if value is not None else default

    page = PageLook(
        width=mm(section.page_width, base.width), height=mm(section.page_height, base.height),
        top=mm(section.top_margin, base.top), bottom=mm(section.bottom_margin, base.bottom),
        left=mm(section.left_margin, base.left), right=mm(section.right_margin, base.right))
    font, size = _doc_defaults(doc)
    styles = {name: _style_look(doc, name, font, size) for name in S.all() if expected_kind(name) == "paragraph"}
    return TemplateLook(page, styles)


def _doc_defaults(doc) -> tuple[str, float]:
    """The document defaults' font and size (w:docDefaults), Word's own when there are none."""
    from docx.oxml.ns import qn

    font, size = FONT, 10.0
    rpr = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is not None:
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None and fonts.get(qn("w:ascii")):
            font = fonts.get(qn("w:ascii"))
        sz = rpr.find(qn("w:sz"))
        if sz is not None and (sz.get(qn("w:val")) or "").isdigit():
            size = int(sz.get(qn("w:val"))) / 2
    return font, size


def _chain(doc, name: str) -> list:
    try:
        style = doc.styles[name]
    except KeyError:
        return []
    chain, seen = [], set()
    while style is not None and id(style.element) not in seen and len(chain) < 20:  # a loop of base styles
        seen.add(id(style.element))
        chain.append(style)
        style = style.base_style
    return chain


def _first(chain, read):
    """The first value the style or one of its bases sets (None: none does)."""
    for style in chain:
        try:
            value = read(style)
        except (ValueError, KeyError, AttributeError):  # a value python-docx cannot map
            value = None
        if value is not None:
            return value
    return None


def _style_look(doc, name: str, font: str, size: float) -> StyleLook:
    chain = _chain(doc, name)
    if not chain:
        return StyleLook(name, font=font, size=size)
    got_size = _first(chain, lambda s: s.font.size)
    color = _first(chain, lambda s: s.font.color.rgb if s.font.color.type is not None else None)
    align = _first(chain, lambda s: s.paragraph_format.alignment)
    line = _first(chain, lambda s: s.paragraph_format.line_spacing)
    pt_size = got_size.pt if got_size is not None else size
    if line is None:
        multiple = 1.0
    elif isinstance(line, float):
        multiple = line
    else:  # an exact or at-least spacing, a Length: as a multiple of this size's single line
        multiple = max(0.1, line.pt / (pt_size * 1.15))

    def pt(read) -> float:
        value = _first(chain, read)
        return round(value.pt, 1) if value is not None else 0.0

    return StyleLook(
        name=name,
        font=_first(chain, lambda s: s.font.name) or font,
        size=pt_size,
        bold=bool(_first(chain, lambda s: s.font.bold)),
        italic=bool(_first(chain, lambda s: s.font.italic)),
        color=str(color) if color is not None else None,
        align=_ALIGN.get(int(align), "left") if align is not None else "left",
        first_indent=pt(lambda s: s.paragraph_format.first_line_indent),
        left_indent=pt(lambda s: s.paragraph_format.left_indent),
        right_indent=pt(lambda s: s.paragraph_format.right_indent),
        space_before=pt(lambda s: s.paragraph_format.space_before),
        space_after=pt(lambda s: s.paragraph_format.space_after),
        line=round(multiple, 2),
    )

"""The province's own Word template (issue 11 §5): checked before it is installed — a restyle passes
and carries into the report, a text file, a zip bomb, an XXE file or a file without the report's
styles is refused with its message and nothing is installed — and installed in the data folder,
where a damaged one falls back to the built-in template with the reason."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm, Pt, RGBColor

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.formats.docx_parts import S
from cchc_desktop.formats.printed import PrintedReport
from cchc_desktop.formats.word import DEFAULT_TEMPLATE
from cchc_desktop.formats.word_template import (
    MAX_TEMPLATE_BYTES,
    TemplateRefused,
    check_template,
)
from cchc_desktop.services import word_template as wt
from cchc_desktop.services.export_files import export_view
from cchc_desktop.services.sample import sample_doc
from cchc_desktop.system.data_dirs import template_dir

RED = RGBColor(0xC0, 0x00, 0x00)


def restyled(folder: Path, name: str = "mau_tinh.docx") -> Path:
    """The built-in template restyled as a province would in Word: body 13 pt, red headings, a 30 mm left margin."""
    doc = Document(str(DEFAULT_TEMPLATE))
    doc.styles[S.BODY].font.size = Pt(13)
    doc.styles[S.HEADING1].font.color.rgb = RED
    doc.sections[0].left_margin = Mm(30)
    path = folder / name
    doc.save(str(path))
    return path


def with_parts(folder: Path, name: str, replace: dict[str, bytes], base: Path = DEFAULT_TEMPLATE) -> Path:
    """A copy of `base` with some parts replaced or added, zipped as Word does."""
    path = folder / name
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, replace.pop(info.filename, src.read(info)))
        for part, data in replace.items():
            out.writestr(part, data)
    return path


@pytest.fixture(scope="module")
def view():
    registry = CatalogRegistry()
    return PrintedReport.from_doc(sample_doc(registry), registry)


def styles_of(path: Path) -> dict:
    doc = Document(str(path))
    return {"body": doc.styles[S.BODY].font.size, "h1": doc.styles[S.HEADING1].font.color.rgb, "doc": doc}


# ------------------------------------------------------------------------------ the check
def test_the_built_in_template_passes_with_its_look():
    look = check_template(DEFAULT_TEMPLATE)
    assert (look.page.width, look.page.height, look.page.left, look.page.top) == (210.0, 297.0, 35.0, 25.0)
    body, title = look.style(S.BODY), look.style(S.TITLE)
    assert (body.font, body.size, body.align, body.bold) == ("Times New Roman", 14.0, "justify", False)
    assert (title.size, title.bold, title.align) == (14.0, True, "center")
    assert look.style(S.PLACE_DATE).italic and look.style(S.AGENCY).size == 13.0


def test_a_restyled_template_passes_and_the_report_carries_the_restyle(tmp_path, view):
    mau = restyled(tmp_path)
    look = check_template(mau)
    assert look.style(S.BODY).size == 13.0 and look.style(S.HEADING1).color == "C00000"
    assert look.page.left == 30.0 and look.style(S.HEADING2).color == "000000"

    out = tmp_path / "bao_cao.docx"
    export_view(view, docx=out, draft=True, template=mau)
    got = styles_of(out)
    assert got["body"] == Pt(13) and got["h1"] == RED
    doc = got["doc"]
    assert round(doc.sections[0].left_margin.mm, 1) == 30.0
    body = [p for p in doc.paragraphs if p.style.name == S.BODY]
    headings = [p for p in doc.paragraphs if p.style.name == S.HEADING1]
    assert len(body) > 20 and headings and headings[0].text.startswith("I.")
    # the built-in template is as it was: the next report without --template is 14 pt
    plain = tmp_path / "mac_dinh.docx"
    export_view(view, docx=plain, draft=True)
    assert styles_of(plain)["body"] == Pt(14)


def refused(path: Path, tmp_path: Path, match: str) -> TemplateRefused:
    """Refused by the check and by install, which leaves nothing in the data folder."""
    with pytest.raises(TemplateRefused, match=match) as caught:
        check_template(path)
    data = tmp_path / "data"
    with pytest.raises(TemplateRefused, match=match):
        wt.install_template(data, path)
    assert not wt.installed_path(data).exists()
    assert not template_dir(data).exists() or not any(template_dir(data).iterdir())
    assert wt.active_template(data).path == DEFAULT_TEMPLATE
    return caught.value


def test_a_text_file_named_docx_is_refused(tmp_path):
    text = tmp_path / "mau.docx"
    text.write_text("Đây là văn bản, không phải tệp Word.", "utf-8")
    exc = refused(text, tmp_path, "không phải tệp Word")
    assert "Lưu thành" in str(exc) and exc.reason == "không phải tệp Word (.docx) hoặc đã bị hỏng"


def test_a_zip_without_a_word_document_is_refused(tmp_path):
    path = tmp_path / "bang_tinh.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    refused(path, tmp_path, "không phải tệp Word")


def test_a_zip_bomb_is_refused(tmp_path):
    bomb = with_parts(tmp_path, "bom.docx", {"word/bom.xml": b"<a>" + b" " * (60 * 1024 * 1024) + b"</a>"})
    assert bomb.stat().st_size < 1024 * 1024  # small on the disk, 60 MB unzipped
    exc = refused(bomb, tmp_path, "giải nén ra quá lớn")
    assert "độc hại" in str(exc)


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "to.docx"
    with open(big, "wb") as fh:
        fh.truncate(MAX_TEMPLATE_BYTES + 1)
    refused(big, tmp_path, "vượt giới hạn 10 MB")


XXE = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
       b'<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')


def test_an_xxe_docx_is_refused(tmp_path):
    path = with_parts(tmp_path, "xxe.docx", {"word/document.xml": XXE})
    exc = refused(path, tmp_path, "DOCTYPE/ENTITY")
    assert "passwd" not in str(exc)


def test_billion_laughs_in_a_part_not_named_xml_is_refused(tmp_path):
    """python-docx reads a part by its content type, not its name: such a part is checked too."""
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              b'<lolz>&lol2;</lolz>')
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as zf:
        types = zf.read("[Content_Types].xml").replace(
            b"</Types>", b'<Override PartName="/word/extra.dat" ContentType="application/xml"/></Types>')
    path = with_parts(tmp_path, "lol.docx", {"[Content_Types].xml": types, "word/extra.dat": laughs})
    refused(path, tmp_path, "DOCTYPE/ENTITY")


def test_an_image_part_is_not_read_as_xml(tmp_path):
    """An SVG logo may carry a DOCTYPE; python-docx keeps images as bytes, so it is no reason to refuse."""
    svg = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg/>'
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as zf:
        types = zf.read("[Content_Types].xml").replace(
            b"</Types>", b'<Default Extension="svg" ContentType="image/svg+xml"/></Types>')
    path = with_parts(tmp_path, "logo.docx", {"[Content_Types].xml": types, "word/media/logo.svg": svg})
    assert check_template(path).style(S.BODY).size == 14.0


def test_a_template_without_the_reports_styles_is_refused_with_their_names(tmp_path):
    doc = Document(str(DEFAULT_TEMPLATE))
    for name in (S.SIGNER_NAME, S.BODY):
        style = doc.styles[name]
        style.element.getparent().remove(style.element)
    path = tmp_path / "thieu.docx"
    doc.save(str(path))
    exc = refused(path, tmp_path, "thiếu 2 kiểu")
    assert exc.missing == (S.BODY, S.SIGNER_NAME)  # in the report's order
    assert "CCHC Body, CCHC Signer Name" in str(exc)
    assert "Lưu mẫu có sẵn ra" in str(exc) and "template save-default" in str(exc)


def test_a_plain_word_document_is_refused_with_every_missing_style(tmp_path):
    path = tmp_path / "trang.docx"
    Document().save(str(path))  # Word's blank document: no CCHC style at all
    exc = refused(path, tmp_path, "kiểu")
    assert S.BODY in exc.missing and S.DATA_TABLE in exc.missing and "Heading 1" not in exc.missing


def test_a_style_of_the_wrong_kind_is_named(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE

    doc = Document(str(DEFAULT_TEMPLATE))
    style = doc.styles[S.DRAFT]
    style.element.getparent().remove(style.element)
    doc.styles.add_style(S.DRAFT, WD_STYLE_TYPE.PARAGRAPH)
    path = tmp_path / "sai_loai.docx"
    doc.save(str(path))
    exc = refused(path, tmp_path, "kiểu ký tự")
    assert exc.missing == (f"{S.DRAFT} (phải là kiểu ký tự)",)


# ------------------------------------------------------------------------------ the data folder
def test_install_keeps_the_previous_one_and_remove_goes_back_to_the_built_in(tmp_path, view):
    data = tmp_path / "data"
    assert wt.active_template(data) == wt.ActiveTemplate(DEFAULT_TEMPLATE, False)
    first = wt.install_template(data, restyled(tmp_path, "tinh_v1.docx"))
    assert first.installed and first.path == template_dir(data) / "bao_cao_cchc_xa.docx"
    assert first.source_name == "tinh_v1.docx" and "tinh_v1.docx" in first.describe()
    assert not (template_dir(data) / wt.PREVIOUS_NAME).exists()

    second = Document(str(DEFAULT_TEMPLATE))
    second.styles[S.BODY].font.size = Pt(12)
    second.save(str(tmp_path / "tinh_v2.docx"))
    active = wt.install_template(data, tmp_path / "tinh_v2.docx")
    assert active.source_name == "tinh_v2.docx" and active.look.style(S.BODY).size == 12.0
    previous = template_dir(data) / wt.PREVIOUS_NAME
    assert check_template(previous).style(S.BODY).size == 13.0  # the one it replaced, kept

    out = tmp_path / "bc.docx"
    export_view(view, docx=out, draft=True, template=wt.active_template(data).path)
    assert styles_of(out)["body"] == Pt(12)

    assert wt.remove_template(data) is True
    assert wt.active_template(data).path == DEFAULT_TEMPLATE
    assert check_template(previous).style(S.BODY).size == 12.0  # the removed one is the kept copy now
    assert wt.remove_template(data) is False


def test_a_damaged_installed_template_falls_back_to_the_built_in_with_the_reason(tmp_path):
    data = tmp_path / "data"
    wt.install_template(data, restyled(tmp_path))
    wt.installed_path(data).write_bytes(b"PK\x03\x04 cut short by a power cut")
    active = wt.active_template(data)
    assert active.path == DEFAULT_TEMPLATE and not active.installed
    assert active.ignored == "không phải tệp Word (.docx) hoặc đã bị hỏng"
    assert active.notice.startswith("Đã dùng mẫu có sẵn vì mẫu Word của tỉnh đã cài không phải tệp Word")
    assert "Mẫu Word của tỉnh…" in active.notice and "template install" in active.notice


def test_a_template_copied_in_by_hand_is_used_and_named_by_its_file(tmp_path):
    data = tmp_path / "data"
    wt.install_template(data, restyled(tmp_path, "cu.docx"))
    other = Document(str(DEFAULT_TEMPLATE))
    other.styles[S.BODY].font.size = Pt(12)
    other.save(str(wt.installed_path(data)))  # over it, by hand: the note of the install no longer fits
    active = wt.active_template(data)
    assert active.installed and active.source_name == "bao_cao_cchc_xa.docx" and active.look.style(S.BODY).size == 12.0


def test_save_builtin_writes_the_programs_template(tmp_path):
    out = wt.save_builtin(tmp_path / "moi" / "mau.docx")
    assert out.read_bytes() == DEFAULT_TEMPLATE.read_bytes()


def test_xlsx_guard_keeps_its_words():
    from cchc_desktop.formats.xlsx_guard import UntrustedWorkbook, check_workbook_bytes

    with pytest.raises(UntrustedWorkbook, match="không phải bảng tính Excel"):
        check_workbook_bytes(b"not a zip", 1024 * 1024, "phụ lục")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/sheet.xml", b" " * 2_000_000)
    with pytest.raises(UntrustedWorkbook, match="Tệp bảng tính giải nén ra quá lớn"):
        check_workbook_bytes(buf.getvalue(), 1024 * 1024, "phụ lục")

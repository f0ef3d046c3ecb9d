"""The Word report: read back with python-docx / the XML and checked against Decree 30/2020
(layout) and against the PrintedReport (content); one render through LibreOffice when it is installed."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.formats.docx_parts import FONT, S
from cchc_desktop.formats.printed import PrintedReport
from cchc_desktop.formats.word import DEFAULT_TEMPLATE, write_docx
from cchc_desktop.services.sample import sample_doc

ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NOTE = ("bm3.3.1", "Theo Hệ thống thông tin giải quyết TTHC của tỉnh")


@pytest.fixture(scope="module")
def registry():
    return CatalogRegistry()


def make_view(registry, *, blank: bool = False, note: bool = True) -> PrintedReport:
    doc = copy.deepcopy(sample_doc(registry))
    if blank:
        doc["report"]["header"]["number"] = ""
        doc["report"]["header"]["date"] = ""
    if note:
        doc["notes"][NOTE[0]] = NOTE[1]
    return PrintedReport.from_doc(doc, registry, today=dt.date(2025, 12, 1))


@pytest.fixture(scope="module")
def view(registry):
    return make_view(registry)


@pytest.fixture(scope="module")
def written(view, tmp_path_factory):
    path = tmp_path_factory.mktemp("word") / "bao_cao.docx"
    write_docx(view, path)
    return path


@pytest.fixture(scope="module")
def docx(written):
    return Document(str(written))


def parts_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def all_text(path: Path) -> str:
    """Every w:t of the document and its headers, paragraph by paragraph."""
    from lxml import etree

    out = []
    for name, xml in parts_xml(path).items():
        if name.startswith("word/document") or name.startswith("word/header"):
            root = etree.fromstring(xml.encode("utf-8"))
            for p in root.iter(f"{W}p"):
                out.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return "\n".join(out)


def effective(paragraph, attr: str):
    """A paragraph_format attribute: direct formatting, else the style chain."""
    value = getattr(paragraph.paragraph_format, attr)
    style = paragraph.style
    while value is None and style is not None:
        value = getattr(style.paragraph_format, attr)
        style = style.base_style
    return value


def effective_font(paragraph, attr: str):
    style = paragraph.style
    while style is not None:
        value = getattr(style.font, attr)
        if value is not None:
            return value
        style = style.base_style
    return None


def header_table(docx):
    return docx.tables[0]


# ---------------------------------------------------------------- the template
def test_template_exists_opens_and_has_every_style():
    assert DEFAULT_TEMPLATE == ROOT / "templates_docx" / "bao_cao_cchc_xa.docx"
    assert DEFAULT_TEMPLATE.is_file()
    doc = Document(str(DEFAULT_TEMPLATE))
    names = {s.name for s in doc.styles}
    assert set(S.all()) <= names
    sec = doc.sections[0]
    assert abs(sec.page_width - Mm(210)) <= Mm(0.5) and abs(sec.page_height - Mm(297)) <= Mm(0.5)


def test_template_is_what_the_builder_builds():
    """The committed template and build_template.py agree part for part (rebuild after editing it)."""
    sys.path.insert(0, str(ROOT / "templates_docx"))
    try:
        import build_template
    finally:
        sys.path.pop(0)
    built = build_template.build_bytes()
    with zipfile.ZipFile(io.BytesIO(built)) as new, zipfile.ZipFile(DEFAULT_TEMPLATE) as old:
        assert sorted(new.namelist()) == sorted(old.namelist())
        for name in new.namelist():
            assert new.read(name) == old.read(name), f"{name} differs: run python templates_docx/build_template.py"


def test_missing_template_is_a_clear_error(view, tmp_path):
    with pytest.raises(FileNotFoundError, match="mẫu Word"):
        write_docx(view, tmp_path / "x.docx", template=tmp_path / "khong_co.docx")
    assert not (tmp_path / "x.docx").exists()


def test_a_template_that_lost_a_style_still_writes(view, tmp_path):
    doc = Document(str(DEFAULT_TEMPLATE))
    style = doc.styles[S.SIGNER_NAME]
    style.element.getparent().remove(style.element)
    damaged = tmp_path / "mau.docx"
    doc.save(str(damaged))
    write_docx(view, tmp_path / "x.docx", template=damaged)
    assert "Nguyễn Văn Minh" in all_text(tmp_path / "x.docx")


# ---------------------------------------------------------------- page set-up
def test_a4_portrait_with_the_model_form_margins(docx):
    sec = docx.sections[0]
    assert sec.orientation == WD_ORIENT.PORTRAIT
    assert abs(sec.page_width - Mm(210)) <= Mm(0.5)
    assert abs(sec.page_height - Mm(297)) <= Mm(0.5)
    for side, mm in (("top", 25), ("bottom", 20), ("left", 35), ("right", 20)):
        assert abs(getattr(sec, f"{side}_margin") - Mm(mm)) <= Mm(0.5), side


def test_appendix_is_a_landscape_a4_section_numbered_on_its_own(docx):
    assert len(docx.sections) == 2
    sec = docx.sections[1]
    assert sec.orientation == WD_ORIENT.LANDSCAPE
    assert abs(sec.page_width - Mm(297)) <= Mm(0.5) and abs(sec.page_height - Mm(210)) <= Mm(0.5)
    assert sec._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    # the paragraph that carries the section break is the 1-pt "CCHC Section Break", not an empty line
    breaker = docx.element.body.xpath("./w:p[w:pPr/w:sectPr]")
    assert len(breaker) == 1 and breaker[0].pPr.pStyle.val == docx.styles[S.SECTION_BREAK].style_id


# ---------------------------------------------------------------- fonts
def test_every_style_and_the_defaults_name_times_new_roman_in_all_four_slots(docx):
    styles = docx.styles.element
    rfonts = list(styles.iter(qn("w:rFonts")))
    assert styles.find(qn("w:docDefaults")).find(f".//{W}rFonts") is not None
    assert len(rfonts) >= len(S.all())
    for rf in rfonts:
        for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
            assert rf.get(qn(f"w:{slot}")) == FONT, (slot, rf.getparent().getparent().get(qn("w:styleId")))
        assert not [a for a in rf.attrib if "Theme" in a or "theme" in a]
    for name in S.all():  # paragraph, character and table styles alike
        assert docx.styles[name].element.find(f"{W}rPr/{W}rFonts") is not None, name
    colors = {c.get(qn("w:val")) for c in styles.iter(qn("w:color"))}
    assert colors == {"000000"}


def test_no_run_names_another_font(written):
    for name, xml in parts_xml(written).items():
        for rfonts in re.findall(r"<w:rFonts [^>]*>", xml):
            for font in re.findall(r'w:(?:ascii|hAnsi|cs|eastAsia)="([^"]+)"', rfonts):
                assert font == FONT, (name, font)
        assert "Theme=" not in xml.replace("themeFontLang", ""), name


# ---------------------------------------------------------------- the letterhead
def test_letterhead_is_a_borderless_two_column_table(docx, view):
    table = header_table(docx)
    assert len(table.columns) == 2
    widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert 6.0 <= widths[0] / 567 <= 7.0 and 9.5 <= widths[1] / 567 <= 10.5
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None and len(borders) == 6
    assert all(b.get(qn("w:val")) in ("nil", "none") for b in borders)
    cells = [c.text for row in table.rows for c in row.cells]
    left, right = "\n".join(cells[0::2]), "\n".join(cells[1::2])
    for text in ("ỦY BAN NHÂN DÂN", "XÃ BÌNH PHƯỚC", "Số: 278/BC-UBND"):
        assert text in left
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Bình Phước, ngày 03 tháng 11 năm 2023"):
        assert text in right
    paras = {p.text: p for row in table.rows for c in row.cells for p in c.paragraphs}
    date = paras["Bình Phước, ngày 03 tháng 11 năm 2023"]
    assert effective_font(date, "italic") is True
    assert effective_font(date, "size") in (Pt(13), Pt(14))
    for text in ("ỦY BAN NHÂN DÂN", "XÃ BÌNH PHƯỚC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"):
        assert effective_font(paras[text], "bold") is True, text
    assert not effective_font(paras["Số: 278/BC-UBND"], "bold")
    assert effective_font(paras["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], "size") in (Pt(12), Pt(13))


def test_letterhead_draws_the_two_short_lines(docx):
    table = header_table(docx)
    rules = [p for row in table.rows for c in row.cells for p in c.paragraphs if p.style.name in (S.AGENCY_RULE, S.MOTTO_RULE)]
    assert [p.style.name for p in rules] == [S.AGENCY_RULE, S.MOTTO_RULE]
    for p in rules:
        bottom = p.style.element.find(f"{W}pPr/{W}pBdr/{W}bottom")
        assert bottom.get(qn("w:val")) == "single"
        indent = p.style.paragraph_format.left_indent
        assert indent > Cm(1.5)  # a short line, centred, not the column's width


@pytest.mark.parametrize("window_end, printed", [("2023-12-14", "tháng 12 năm 2023"), ("2023-10-31", "tháng 11 năm 2023"),
                                                  ("", "tháng 12 năm 2023"), ("2023-01-31", "tháng 02 năm 2023")])
def test_a_blank_date_takes_the_month_and_year_from_the_report(registry, window_end, printed):
    """Issue 11 §3: signed once the data are closed — the day after the window ends; without a
    window, by the period's deadline (20/12 for a year's report). Never the PC's clock."""
    doc = copy.deepcopy(sample_doc(registry))
    doc["report"]["header"]["date"] = ""
    doc["report"]["window_end"] = window_end
    view = PrintedReport.from_doc(doc, registry, today=dt.date(2026, 12, 1))
    assert view.place_date_line() == f"Bình Phước, ngày      {printed}"
    month, year = printed.split()[1], printed.split()[3]
    assert view.appendix_reference().startswith(f"(Kèm theo Báo cáo số 278/BC-UBND ngày       /{int(month):02d}/{year} ")


def _rule_length(cell_paragraph, column_twips: int) -> float:
    """A rule paragraph's line, in points: its column less the direct left and right indents."""
    pf = cell_paragraph.paragraph_format
    assert pf.left_indent == pf.right_indent
    return column_twips / 20 - 2 * pf.left_indent.pt


@pytest.mark.parametrize("kind, name, line", [("xã", "Ea Tu", "XÃ EA TU"), ("xã", "Bình Phước", "XÃ BÌNH PHƯỚC"),
                                              ("phường", "Hoàng Văn Thụ", "PHƯỜNG HOÀNG VĂN THỤ"),
                                              ("đặc khu", "Phú Quốc", "ĐẶC KHU PHÚ QUỐC")])
def test_the_line_under_the_agency_follows_the_names_length(registry, tmp_path, kind, name, line):
    """Decree 30: 1/3–1/2 of that line of text (it was a fixed 22 mm: 58 % of "XÃ BÌNH PHƯỚC",
    102 % of "XÃ EA TU"); the motto's line as long as the motto. Read back from the .docx."""
    from cchc_desktop.formats.text_metrics import text_width_pt

    doc = copy.deepcopy(sample_doc(registry))
    doc["unit"].update(kind=kind, name=name)
    doc["unit"].pop("agency_name", None)
    view = PrintedReport.from_doc(doc, registry)
    path = tmp_path / "x.docx"
    write_docx(view, path)
    table = header_table(Document(str(path)))
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    agency_cell, national_cell = table.rows[0].cells
    texts = [p.text for p in agency_cell.paragraphs]
    assert texts[-2] == line
    rule = agency_cell.paragraphs[-1]
    assert rule.style.name == S.AGENCY_RULE
    size = effective_font(agency_cell.paragraphs[-2], "size").pt
    text = text_width_pt(line, size, bold=True)
    assert text / 3 <= _rule_length(rule, grid[0]) <= text / 2, (line, _rule_length(rule, grid[0]), text)
    motto = national_cell.paragraphs[-1]
    assert motto.style.name == S.MOTTO_RULE
    motto_text = text_width_pt("Độc lập - Tự do - Hạnh phúc", effective_font(national_cell.paragraphs[-2], "size").pt, bold=True)
    assert _rule_length(motto, grid[1]) == pytest.approx(motto_text, abs=1)


def test_the_built_in_widths_are_times_new_romans():
    """The table against what the issue measured (22 mm = 58 % of "XÃ BÌNH PHƯỚC", 102 % of
    "XÃ EA TU", 13 pt bold) and against the font file where one is installed."""
    from cchc_desktop.formats.text_metrics import text_width_pt

    mm = lambda t: text_width_pt(t, 13, bold=True) * 25.4 / 72  # noqa: E731
    assert 22 / mm("XÃ BÌNH PHƯỚC") == pytest.approx(0.58, abs=0.01)
    assert 22 / mm("XÃ EA TU") == pytest.approx(1.02, abs=0.01)
    assert text_width_pt("ấ", 10) == text_width_pt("â", 10) and text_width_pt("ự", 10, True) == text_width_pt("ư", 10, True)


def test_blank_number_and_day_are_left_for_the_pen(registry, tmp_path):
    view = make_view(registry, blank=True)
    path = tmp_path / "blank.docx"
    write_docx(view, path)
    doc = Document(str(path))
    number, place_date = view.number_line(), view.place_date_line()
    assert number == "Số:      /BC-UBND"
    # the report's month and year (its data window closes on 31/10/2023), not the PC's clock (2025)
    assert place_date == "Bình Phước, ngày      tháng 11 năm 2023"
    cells = [c.text for row in header_table(doc).rows for c in row.cells]
    assert number in cells and place_date in cells
    document_xml = parts_xml(path)["word/document.xml"]
    for text in (number, place_date, view.appendix_reference()):
        assert f'<w:t xml:space="preserve">{text}</w:t>' in document_xml



@pytest.mark.parametrize("typed, printed", [("5", "05"), (" 7 ", "07"), ("05", "05"), ("10", "10"), ("278", "278"),
                                            ("12a", "12a"), ("", "     ")])
def test_a_number_below_ten_takes_a_leading_zero(registry, tmp_path, typed, printed):
    """report.md: "Số: 05/BC-UBND", in the letterhead and in the appendix's "Kèm theo Báo cáo số …";
    what the clerk typed is stored as typed."""
    doc = copy.deepcopy(sample_doc(registry))
    doc["report"]["header"]["number"] = typed
    view = PrintedReport.from_doc(doc, registry, today=dt.date(2025, 12, 1))
    assert view.number_line() == f"Số: {printed}/BC-UBND"
    assert view.appendix_reference().startswith(f"(Kèm theo Báo cáo số {printed}/BC-UBND ngày ")
    assert view.header["number"] == typed
    path = tmp_path / "so.docx"
    write_docx(view, path)
    cells = [c.text for row in header_table(Document(str(path))).rows for c in row.cells]
    assert f"Số: {printed}/BC-UBND" in cells

# ---------------------------------------------------------------- title, recipients, body
def test_title_block_and_recipients(docx, view):
    paras = docx.paragraphs
    texts = [p.text for p in paras]
    title = texts.index("BÁO CÁO")
    assert texts[title + 1] == view.trich_yeu()
    for p in (paras[title], paras[title + 1]):
        assert effective_font(p, "bold") and effective_font(p, "size") == Pt(14)
        assert effective(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert paras[title + 2].style.name == S.SUBJECT_RULE
    recipients = paras[title + 3]
    assert recipients.text == "Kính gửi:\t- Ủy ban nhân dân tỉnh Quảng Ngãi;\n- Sở Nội vụ tỉnh Quảng Ngãi."
    # the recipients stand under one another, after "Kính gửi:" (hanging indent + tab at the indent)
    left, first = effective(recipients, "left_indent"), effective(recipients, "first_line_indent")
    assert left > Cm(3) and first < 0


def test_headings_i_to_v_in_order(docx, view):
    level1 = [p.text for p in docx.paragraphs if p.style.name == S.HEADING1]
    assert [h.split(".")[0] for h in level1] == ["I", "II", "III", "IV", "V"]
    assert level1 == [b.heading for b in view.body() if b.level == 1]
    level2 = [p.text for p in docx.paragraphs if p.style.name == S.HEADING2]
    assert level2 == [b.heading for b in view.body() if b.level == 2]
    for p in docx.paragraphs:
        if p.style.name in (S.HEADING1, S.HEADING2):
            assert effective_font(p, "bold") and effective(p, "keep_with_next")


def test_body_is_the_views_prose_with_dash_and_plus_lines(docx, view, written):
    body = [p.text for p in docx.paragraphs if p.style.name == S.BODY]
    expected = [f"{p.bullet} {p.text}" if p.bullet else p.text for p in view.opening()]
    for block in view.body():
        expected += [f"{p.bullet} {p.text}" if p.bullet else p.text for p in block.paragraphs]
    expected += [p.text for p in view.closing()]
    assert body == expected
    assert any(t.startswith("- ") for t in body) and any(t.startswith("+ ") for t in body)
    assert not docx.element.body.findall(f".//{W}numPr")  # typed dashes, not Word bullets
    text = all_text(written)
    assert "{bm" not in text and "{{" not in text
    assert "tổng số hồ sơ được tiếp nhận và giải quyết tại Bộ phận Một cửa xã là 1.962 hồ sơ" in text
    assert "đạt tỷ lệ 99,05%" in text


def test_body_paragraphs_are_justified_indented_and_spaced(docx):
    body = [p for p in docx.paragraphs if p.style.name == S.BODY]
    assert len(body) > 30
    for p in body:
        assert effective(p, "alignment") == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert Cm(0.95) <= effective(p, "first_line_indent") <= Cm(1.3)
        assert effective(p, "space_after") >= Pt(6)
        assert effective_font(p, "size") in (Pt(13), Pt(14))
        spacing = effective(p, "line_spacing")
        assert (isinstance(spacing, float) and 1.0 <= spacing <= 1.5) or Pt(17) <= spacing <= Pt(21)


# ---------------------------------------------------------------- page headers
def _page_field(header) -> bool:
    xml = header._element.xml
    return "PAGE" in "".join(t.text or "" for t in header._element.iter(qn("w:instrText"))) and "fldChar" in xml


def test_page_number_in_the_header_but_not_on_page_one(docx):
    for sec in docx.sections:
        assert sec.different_first_page_header_footer  # w:titlePg
        assert _page_field(sec.header)
        assert not _page_field(sec.first_page_header)
        assert effective(sec.header.paragraphs[0], "alignment") == WD_ALIGN_PARAGRAPH.CENTER
        assert effective_font(sec.header.paragraphs[0], "size") in (Pt(13), Pt(14))


def test_draft_mark_on_every_page_only_in_a_draft(view, tmp_path, written):
    draft = tmp_path / "du_thao.docx"
    write_docx(view, draft, draft=True)
    doc = Document(str(draft))
    for sec in doc.sections:
        for header in (sec.header, sec.first_page_header):
            runs = [r for p in header.paragraphs for r in p.runs if r.text == "DỰ THẢO"]
            assert runs and runs[0].style.name == S.DRAFT and doc.styles[S.DRAFT].font.bold
        assert _page_field(sec.header)
    assert "DỰ THẢO" not in all_text(written)
    assert "DỰ THẢO" not in "".join(parts_xml(written).values())


# ---------------------------------------------------------------- signature
def test_signature_block_beside_the_recipients_list(docx, view):
    table = docx.tables[1]
    assert len(table.columns) == 2 and len(table.rows) == 1
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert all(b.get(qn("w:val")) in ("nil", "none") for b in borders)
    cc, signer = table.rows[0].cells
    assert cc.paragraphs[0].text == "Nơi nhận:"
    label = cc.paragraphs[0]
    assert effective_font(label, "bold") and effective_font(label, "italic") and effective_font(label, "size") == Pt(12)
    assert [p.text for p in cc.paragraphs[1:]] == view.cc_lines()
    assert all(effective_font(p, "size") == Pt(11) for p in cc.paragraphs[1:])
    assert [p.text for p in signer.paragraphs] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Minh"]
    name = signer.paragraphs[-1]
    assert effective(name, "space_before") >= Pt(56)  # room for the signature and the seal
    assert all(effective_font(p, "bold") and effective_font(p, "size") == Pt(14) for p in signer.paragraphs)
    assert table.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_a_vice_chairman_signing_for_the_chairman_prints_three_lines(registry, tmp_path):
    """../shared/domain/report.md: "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"."""
    doc = copy.deepcopy(sample_doc(registry))
    doc["report"]["header"].update(signing_authority="KT.", authority_line="KT. CHỦ TỊCH",
                                   signer_title="PHÓ CHỦ TỊCH", signer_name="Trần Thị Hoa")
    path = tmp_path / "kt.docx"
    write_docx(PrintedReport.from_doc(doc, registry), path)
    signer = Document(str(path)).tables[1].rows[0].cells[1]
    assert [p.text for p in signer.paragraphs] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị Hoa"]


# ---------------------------------------------------------------- appendix
def test_appendix_heading_block(docx, view):
    texts = [p.text for p in docx.paragraphs]
    at = texts.index("Phụ lục")
    assert texts[at + 1] == view.appendix_title()
    assert texts[at + 2] == view.appendix_reference()
    assert effective_font(docx.paragraphs[at + 2], "italic")
    titles = [p.text for p in docx.paragraphs if p.style.name == S.FORM_TITLE]
    assert titles == [f.title for f in view.forms()]


def test_every_indicator_in_its_appendix_cell(docx, view):
    rows = {}
    tables = docx.tables[2:]
    assert len(tables) == len(view.forms()) == 7
    for form, table in zip(view.forms(), tables):
        head = table.rows[0]
        assert [c.text for c in head.cells] == ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"]
        assert head._tr.trPr.find(qn("w:tblHeader")) is not None
        assert table.style.name == S.DATA_TABLE
        for row in table.rows[1:]:
            cells = row.cells
            ident = f"bm{form.number}.{cells[0].text}"  # the STT is numbered within the form
            assert ident not in rows
            rows[ident] = cells
    count = 0
    for form in view.forms():
        for r in form.rows:
            cells = rows[r.id]
            assert cells[1].text == r.label and cells[2].text == r.unit
            assert cells[3].text == r.text, r.stt
            assert cells[4].text == r.note, r.stt
            number = cells[3].paragraphs[0]
            assert effective(number, "alignment") == WD_ALIGN_PARAGRAPH.RIGHT
            # one rule with the Excel appendix (PrintedReport's Row.bold): headings and level-1 rows bold
            runs = [run for c in cells for p in c.paragraphs for run in p.runs]
            assert all(bool(run.bold) == r.bold for run in runs), r.stt
            label_indent = cells[1].paragraphs[0].paragraph_format.left_indent or 0
            assert (label_indent > 0) == (r.depth > 1)
            count += 1
    assert count == sum(len(f.rows) for f in view.forms()) > 100
    assert rows["bm3.3.5"][3].text == "99,05%" and rows["bm6.1.2"][3].text == "1.005,8"
    assert rows["bm3.3.1"][3].text == "1.962" and rows["bm3.3.1"][4].text == NOTE[1]
    # numbered within each form, as the real forms are: bm3.3.2.1 is "3.2.1", bm4.3 is "3"
    assert [c.text for c in (rows["bm3.3.2.1"][0], rows["bm4.3"][0])] == ["3.2.1", "3"]
    assert [t.rows[1].cells[0].text for t in tables] == ["1"] * 7


def test_without_appendix_there_is_no_appendix(view, tmp_path):
    path = tmp_path / "khong_phu_luc.docx"
    write_docx(view, path, appendix=False)
    doc = Document(str(path))
    assert len(doc.sections) == 1 and doc.sections[0].orientation == WD_ORIENT.PORTRAIT
    assert "Phụ lục" not in all_text(path)
    assert len(doc.tables) == 2
    assert "Nguyễn Văn Minh" in all_text(path)


def test_text_pasted_with_control_characters_still_writes(registry, tmp_path):
    doc = copy.deepcopy(sample_doc(registry))
    doc["narratives"]["opening"] += "\nDán từ Word:\x0bdòng mới\x07 hết."
    view = PrintedReport.from_doc(doc, registry)
    path = tmp_path / "dan.docx"
    write_docx(view, path)
    assert "Dán từ Word:\ndòng mới hết." in [p.text for p in Document(str(path)).paragraphs]


def test_writing_imports_no_qt():
    code = (
        "import sys; from cchc_desktop.formats import word; "
        "assert not [m for m in sys.modules if m.startswith('PySide6')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# ---------------------------------------------------------------- rendered by LibreOffice
def test_renders_in_libreoffice(written, tmp_path):
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed: render test not run")
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        pytest.skip("poppler-utils (pdftotext, pdfinfo) are not installed: render test not run")
    profile = tmp_path / "lo-profile"  # a private profile: no clash with another soffice running
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(written)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = tmp_path / (written.stem + ".pdf")
    assert pdf.is_file()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # the national title also checks that it fits its column: wrapped, it would be two lines
    for needle in ("BÁO CÁO", "Kính gửi", "Phụ lục", "99,05%", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"):
        assert needle in text, needle
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 5 <= pages <= 40
    first_page = subprocess.run(["pdftotext", "-l", "1", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert not re.search(r"^\s*1\s*$", first_page, re.M)  # no page number on page one

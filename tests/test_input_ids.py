"""One id grammar (cchc_desktop.core.ids) for the catalog, the formulas, the placeholders and the
exchange file: a province's Biểu mẫu 10 or section IX.2 is typed, printed AND exchanged."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from cchc_desktop.core import engine, expressions, ids, narrative

from cchc_desktop.formats import exchange
from cchc_desktop.core.catalog import BUILTIN_DIR, CatalogError, CatalogRegistry, load_catalog
from cchc_desktop.services.export_files import default_paths, export_view, printed_report
from cchc_desktop.formats.doc_catalog import load_doc
from cchc_desktop.services.report_io import export_file, import_doc
from cchc_desktop.services.sample import sample_doc
from cchc_desktop.services.session import ReportSession
from cchc_desktop.storage.store import Store
from tests.test_input_crashes import docx_text, sheet_text

SHIPPED = BUILTIN_DIR / "xa-2025.1.toml"
_sample = functools.cache(sample_doc)  # read-only here: each test replaces whole maps

FORM_10 = '''
[[sections]]
id = "IV.1"
number = "1."
title = "Nhiệm vụ trọng tâm"

[[sections]]
id = "IV.1.2"
number = "1.2."
title = "Chuyển đổi số"

[[sections]]
id = "IX"
number = "IX."
title = "CÔNG TÁC RIÊNG CỦA TỈNH"

[[sections]]
id = "IX.2"
number = "2."
title = "Biểu mẫu riêng"

[[forms]]
number = 10
title = "Biểu mẫu riêng của tỉnh"
section = "IX.2"

[[indicators]]
id = "bm10.1"
label = "Tổng số hồ sơ của tỉnh"
unit = "Hồ sơ"
kind = "count"

[[indicators]]
id = "bm10.2"
label = "Số hồ sơ đúng hạn"
unit = "Hồ sơ"
kind = "count"

[[indicators]]
id = "bm10.3"
label = "Tỷ lệ đúng hạn"
unit = "%"
kind = "percent"
formula = "bm10.2 / bm10.1"

[[rules]]
id = "bm10.2#1"
severity = "E"
check = "bm10.2 <= bm10.1"
message = "Biểu mẫu 10: dòng {stt:bm10.2} ({left}) lớn hơn dòng {stt:bm10.1} ({right})."
'''


def province_catalog(folder: Path) -> Path:
    """The shipped catalog as a province's 2026.1 with a Biểu mẫu 10 under section IX.2 and a
    third-level section IV.1.2 (so IV and IV.1 become headings)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SHIPPED.read_text(encoding="utf-8").replace('version = "2025.1"', 'version = "2026.1"')
    text = text.replace('sections = ["III.1", "III.2", "III.3", "IV", "V"]',
                        'sections = ["III.1", "III.2", "III.3", "IV.1.2", "V", "IX.2"]\nforms = [10]')
    marker = "# ---------------- the forms and where they sit in the outline"
    assert marker in text
    path = folder / "tinh-2026.1.toml"
    path.write_text(text.replace(marker, FORM_10 + marker), encoding="utf-8")
    return path


def test_a_province_biểu_mẫu_10_and_sections_ix_2_iv_1_2_round_trip_through_the_exchange_file(tmp_path):
    registry = CatalogRegistry([tmp_path / "tinh"])
    province_catalog(tmp_path / "tinh")
    catalog = registry.latest()
    assert catalog.version == "2026.1" and catalog.indicators["bm10.1"].form == 10
    assert catalog.row_name("bm10.2") == "Biểu mẫu 10, dòng 2"  # numbered within Biểu mẫu 10
    assert next(r for r in catalog.rules if r.id == "bm10.2#1").message == \
        "Biểu mẫu 10: dòng 2 ({left}) lớn hơn dòng 1 ({right})."
    doc = sample_doc(registry)  # on the built-in catalog it was written for, whatever is installed
    assert doc["catalog"]["version"] == "2025.1"
    doc["catalog"]["version"] = catalog.version  # the sample's figures, filled in on the province's catalog
    doc["values"].update({"bm10.1": "40", "bm10.2": "30"})
    doc["notes"]["bm10.1"] = "Số liệu của tỉnh."
    doc["narratives"].pop("IV", None)
    doc["narratives"].update({"IX.2": "Tỉnh tiếp nhận {bm10.1} hồ sơ, đúng hạn {bm10.3}%.",
                              "IV.1.2": "Đẩy mạnh chuyển đổi số."})
    source = tmp_path / "vao.json"
    source.write_bytes(exchange.dump_exchange(doc))

    store = Store(tmp_path / "cchc.sqlite")
    rid = import_doc(store, registry, load_doc(source, registry)[0])  # as `cchc-desktop import` does
    session = ReportSession(store, rid, registry)
    assert session.state.derived_text("bm10.3") == "75,00"
    session.set_value("bm10.2", "41")
    assert "bm10.2#1" in session.state.issues
    session.set_value("bm10.2", "30")
    out = tmp_path / "ra.json"
    export_file(store, rid, out)
    back = exchange.read_exchange_file(out)
    assert {k: back["values"][k] for k in ("bm10.1", "bm10.2")} == {"bm10.1": "40", "bm10.2": "30"}
    assert back["notes"]["bm10.1"] == "Số liệu của tỉnh."
    assert back["narratives"]["IX.2"] == doc["narratives"]["IX.2"]
    assert back["narratives"]["IV.1.2"] == "Đẩy mạnh chuyển đổi số."

    view = printed_report(store, rid, registry)
    docx, xlsx = export_view(view, **dict(zip(("docx", "xlsx"), default_paths(view, tmp_path / "out", draft=True))),
                             draft=True)
    text = docx_text(Document(str(docx)))
    assert "Tỉnh tiếp nhận 40 hồ sơ, đúng hạn 75%." in text and "Biểu mẫu 10. Biểu mẫu riêng của tỉnh" in text
    wb = load_workbook(xlsx)  # the form's title in two lines, as on the real appendices, and its own sheet
    assert "Biểu mẫu 10\nBiểu mẫu riêng của tỉnh" in sheet_text(wb) and "Biểu mẫu 10" in wb.sheetnames
    store.close()


@pytest.mark.parametrize("bad", ["phu_luc", "VV", "IIII", "iv", "IV.", "IV..1", "I.a"])
def test_the_catalog_refuses_a_section_id_the_exchange_file_could_not_carry(tmp_path, bad):
    path = tmp_path / "sai.toml"
    text = SHIPPED.read_text(encoding="utf-8").replace('id = "V"\nnumber = "V."', f'id = "{bad}"\nnumber = "V."')
    path.write_text(text.replace('"III.3", "IV", "V"]', f'"III.3", "IV", "{bad}"]'), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert bad in str(err.value) and "IX.2" in str(err.value)


# ---------------------------------------------------------------- every consumer, one grammar

indicator_ids = st.from_regex(ids.INDICATOR_ID, fullmatch=True)
section_ids = st.from_regex(ids.SECTION_ID, fullmatch=True)


def test_every_consumer_uses_the_one_grammar():
    assert exchange.INDICATOR_ID is ids.INDICATOR_ID and exchange.SECTION_ID is ids.SECTION_ID
    assert engine.PLACEHOLDER is ids.PLACEHOLDER and narrative.PLACEHOLDER is ids.PLACEHOLDER


@given(indicator_ids)
def test_any_indicator_id_is_a_formula_token_a_placeholder_and_an_exchange_key(ident):
    assert expressions.parse_comparison(f"{ident} <= ({ident} + 1)").ids == (ident,)
    assert narrative.placeholders(f"có {{{ident}}} hồ sơ") == [ident]
    form, stt = ids.split_indicator_id(ident)
    assert ident == f"bm{form}.{stt}"  # the printed STT is the id without "bm<form>."
    doc = exchange.parse_exchange_bytes(exchange.dump_exchange({**_sample(), "values": {ident: "1"},
                                                                "notes": {ident: "x"}}))
    assert doc["values"] == {ident: "1"}


@given(section_ids)
def test_any_section_id_is_an_exchange_key(sid):
    doc = exchange.parse_exchange_bytes(exchange.dump_exchange({**_sample(), "narratives": {sid: "x"}}))
    assert doc["narratives"] == {sid: "x"}


@given(st.text(st.characters(blacklist_characters="{}"), max_size=12))
def test_an_id_is_refused_alike_everywhere(text):
    if ids.is_indicator_id(text):
        return
    assert narrative.placeholders("{" + text + "}") == []
    with pytest.raises(exchange.ExchangeError):
        exchange.dump_exchange({**_sample(), "values": {text: "1"}})

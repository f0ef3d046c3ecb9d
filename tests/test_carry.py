"""Copying from the previous period the way the figures behave (issue 10 §7): the catalog's
`carry`, checked by the loader; a copied report's figures (stock as typed, flow blank, carry-over
rows from the row they name); the copied prose's figures made live placeholders."""

import dataclasses
import re
import tomllib
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_desktop.core.carry import AFTER, SAME, carry_values, live_figures, windows_follow
from cchc_desktop.core.catalog import CARRY_FLOW, CARRY_STOCK, CatalogError, CatalogRegistry, load_catalog
from cchc_desktop.core.engine import validator_for
from cchc_desktop.core.ids import PLACEHOLDER
from cchc_desktop.core.narrative import render
from cchc_desktop.core.numbers import format_count
from cchc_desktop.core.prose_check import row_unit
from cchc_desktop.services.reports import copy_report, copy_summary, create_report
from tests.test_catalog import SHIPPED, _broken, newer_catalog

CATALOG = load_catalog(SHIPPED)

# the rows a copy carries as typed: what exists at the end of a period (the decision, pinned)
STOCK = {
    "bm1.2.1",  # the year's plan
    "bm3.1.1", "bm3.2.1", "bm3.2.2", "bm3.2.3", "bm3.2.4",  # procedures, one-stop
    "bm4.1.1", "bm4.1.2", "bm4.2.1", "bm4.2.2", "bm4.2.2.1", "bm4.2.2.2", "bm4.2.3", "bm4.3", "bm4.4.1", "bm4.4.2",
    "bm5.1", "bm5.8", "bm5.9", *(f"bm5.3.{n}" for n in range(1, 6)), *(f"bm5.4.{n}" for n in range(1, 5)),
    *(f"bm5.5.{n}" for n in range(1, 5)),
    "bm6.1.1", "bm6.2.1", "bm6.3.1", *(f"bm6.4.{n}" for n in range(1, 6)), "bm6.5",
    "bm7.2.1", "bm7.2.2", "bm7.3.1", "bm7.3.2", "bm7.7.1", "bm7.7.2",
}


# ---------------------------------------------------------------- the catalog's declarations

def test_every_input_row_of_the_shipped_catalog_declares_how_it_carries():
    raw = {r["id"]: r for r in tomllib.loads(SHIPPED.read_text("utf-8"))["indicators"]}
    for ind in CATALOG.indicators.values():
        assert ("carry" in raw[ind.id]) == ind.is_input, ind.id  # decided row by row, never left to the default
    assert {i.id for i in CATALOG.inputs() if i.carry == CARRY_STOCK} == STOCK
    moved = {i.id: i.carry_source for i in CATALOG.inputs() if i.carry_source}
    assert moved == {"bm3.3.1.1": "bm3.3.3"}  # Số hồ sơ kỳ trước chuyển sang = đang giải quyết kỳ trước


@pytest.mark.parametrize("ident", [i.id for i in CATALOG.inputs() if "trong kỳ" in i.label.lower()]
                         + ["bm3.3.1", "bm3.3.3", "bm1.1", "bm2.1", "bm5.6", "bm7.5.2"])
def test_what_is_counted_in_the_period_starts_blank(ident):
    assert CATALOG.indicators[ident].carry == CARRY_FLOW


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('sample = "28"\ncarry = "stock"', 'sample = "28"\ncarry = "tồn"', "carry “tồn” không có"),  # unknown word
        ('sample = "28"\ncarry = "stock"', 'sample = "28"\ncarry = 1', "carry “1” không có"),  # not a string
        ('sample = "17"\ncarry = "bm3.3.3"', 'sample = "17"\ncarry = "bm3.3.9"', "chỉ tiêu bm3.3.9, nhưng bộ biểu mẫu không có"),  # no such row
        ('sample = "17"\ncarry = "bm3.3.3"', 'sample = "17"\ncarry = "bm3.3"', "bm3.3 là dòng tiêu đề"),  # a heading is not an input
        ('sample = "17"\ncarry = "bm3.3.3"', 'sample = "17"\ncarry = "bm3.3.5"', "bm3.3.5 là tỷ lệ tự tính"),  # nor is a percentage
        ('sample = "17"\ncarry = "bm3.3.3"', 'sample = "17"\ncarry = "bm3.2.4"', "loại flag"),  # a flag's value is no count
        ('sample = "17"\ncarry = "bm3.3.3"', 'sample = "17"\ncarry = "bm3.3.1.1"', "chính nó"),
        ('formula = "bm1.2.2 / bm1.2.1"', 'formula = "bm1.2.2 / bm1.2.1"\ncarry = "stock"', "tự tính"),  # derived
        ('label = "Kiểm tra CCHC"\nkind = "heading"', 'label = "Kiểm tra CCHC"\nkind = "heading"\ncarry = "flow"',
         "dòng tiêu đề"),
    ],
)
def test_a_wrong_carry_is_refused_naming_the_row(tmp_path, old, new, expected):
    with pytest.raises(CatalogError) as err:
        load_catalog(_broken(tmp_path, old, new))
    assert expected in str(err.value) and "broken.toml" in str(err.value)
    assert "carry" in str(err.value)


def test_a_row_without_carry_starts_blank(tmp_path):
    cat = load_catalog(_broken(tmp_path, 'sample = "28"\ncarry = "stock"', 'sample = "28"'))
    assert cat.indicators["bm1.2.1"].carry == CARRY_FLOW and cat.indicators["bm1.2.1"].carry_source is None


# ---------------------------------------------------------------- the figures

@pytest.mark.parametrize("old, new, follows", [
    (("2023-12-15", "2024-12-14"), ("2024-12-15", "2025-03-14"), AFTER),  # Năm 2024 → Quý I 2025
    (("2024-12-15", "2025-06-14"), ("2025-06-15", "2025-09-14"), AFTER),  # 6 tháng → Quý III
    (("2024-12-15", "2025-03-14"), ("2024-12-15", "2025-06-14"), SAME),  # Quý I → 6 tháng: one opening
    (("2024-12-15", "2025-03-14"), ("2025-06-15", "2025-09-14"), None),  # Quý I → Quý III: a gap
    (("2022-12-15", "2023-10-31"), ("2023-12-15", "2024-03-14"), None),  # a window the clerk cut short
    ((None, "2024-12-14"), ("2024-12-15", "2025-03-14"), None),
    (("2024-12-15", "hôm qua"), ("2024-12-15", "2025-03-14"), None),
])
def test_how_two_data_windows_stand(old, new, follows):
    assert windows_follow(old, new) == follows


def test_stock_as_typed_flow_blank_and_the_files_pending_become_those_carried_in():
    old = {"bm4.2.1": ("20", "theo Quyết định 12"), "bm4.2.2": ("hai mươi", ""), "bm3.1.1": ("", "chưa có số"),
           "bm3.3.1": ("1.962", "n"), "bm3.3.3": ("17", "ghi chú"), "bm3.3.1.1": ("5", ""), "bm1.1": ("4", ""),
           "bm3.3.5": (None, "ghi chú ở dòng tỷ lệ")}
    after = carry_values(CATALOG, old, ("2023-12-15", "2024-12-14"), ("2024-12-15", "2025-03-14"))
    assert after.values == {"bm4.2.1": ("20", "theo Quyết định 12"), "bm4.2.2": ("hai mươi", ""),
                            "bm3.1.1": ("", "chưa có số"), "bm3.3.1.1": ("17", "")}
    assert after.stock == ("bm3.1.1", "bm4.2.1", "bm4.2.2") and after.moved == (("bm3.3.1.1", "bm3.3.3"),)
    assert set(after.blank) == {"bm3.3.1", "bm3.3.3", "bm1.1"} and after.not_moved == ()
    same = carry_values(CATALOG, old, ("2024-12-15", "2025-03-14"), ("2024-12-15", "2025-06-14"))
    assert same.values["bm3.3.1.1"] == ("5", "") and same.moved == (("bm3.3.1.1", "bm3.3.1.1"),)
    gap = carry_values(CATALOG, old, ("2024-12-15", "2025-03-14"), ("2025-06-15", "2025-09-14"))
    assert "bm3.3.1.1" not in gap.values and [r for r, _ in gap.not_moved] == ["bm3.3.1.1"]
    assert "số hồ sơ đang giải quyết" in gap.not_moved[0][1]


# ---------------------------------------------------------------- create_report on a real file

def _previous(store, registry, year=2024, period="nam", values=None, narratives=None):
    rid = create_report(store, registry, year, period)
    for ident, raw in (values or {}).items():
        store.set_value(rid, ident, raw)
    for sid, text in (narratives or {}).items():
        store.set_narrative(rid, sid, text)
    return rid


FIGURES = {"bm4.2.1": "20", "bm4.3": "10", "bm3.1.1": "245", "bm3.3.1": "1.962", "bm3.3.2": "1.886",
           "bm3.3.2.1": "1.868", "bm3.3.3": "17", "bm3.3.3.1": "17", "bm3.3.1.1": "12", "bm1.1": "6"}
PROSE = {
    "II.2": ("Trong năm, tiếp nhận, giải quyết TTHC: đã giải quyết 1.886 hồ sơ, trong đó giải quyết trước hạn, "
             "đúng hạn 1.868 hồ sơ; đang giải quyết 17 hồ sơ. Kế hoạch số 15/KH-UBND ngày 17/12/2024."),
    "V": "Kiến nghị cũ.",
}


def test_a_copy_with_figures_carries_what_the_catalog_says(store):
    registry = CatalogRegistry()
    old = _previous(store, registry, values=FIGURES, narratives=PROSE)
    store.set_note(old, "bm4.2.1", "theo Quyết định giao biên chế")
    copied = copy_report(store, registry, 2025, "quy1", copy_from=old, copy_values=True)
    values = {k: (r.raw, r.note) for k, r in store.get_values(copied.report_id).items()}
    assert values == {"bm4.2.1": ("20", "theo Quyết định giao biên chế"), "bm4.3": ("10", ""),
                      "bm3.1.1": ("245", ""), "bm3.3.1.1": ("17", "")}  # flows blank; 17 pending → carried in
    assert copied.values.moved == (("bm3.3.1.1", "bm3.3.3"),) and len(copied.values.stock) == 3
    narratives = store.get_narratives(copied.report_id)
    assert narratives["V"] == "Kiến nghị cũ."
    assert "{bm3.3.2} hồ sơ" in narratives["II.2"] and "{bm3.3.2.1} hồ sơ" in narratives["II.2"]
    assert "đang giải quyết 17 hồ sơ" in narratives["II.2"]  # 17 is two rows' value: left, for review
    assert "15/KH-UBND ngày 17/12/2024" in narratives["II.2"]
    assert [(r.section, r.figure, r.row) for r in copied.prose.replaced] == [("II.2", "1.886", "bm3.3.2"),
                                                                             ("II.2", "1.868", "bm3.3.2.1")]
    assert [(r.section, r.figure) for r in copied.prose.review] == [("II.2", "17")]
    said = copy_summary(copied)
    assert "đã chép 3 số liệu tồn cuối kỳ" in said and "Số hồ sơ kỳ trước chuyển sang" in said and "17" in said
    assert "2 con số" in said and "Cần đọc lại 1 con số" in said and "Mục II.2 (Cải cách thủ tục hành chính)" in said
    assert "số liệu phát sinh trong kỳ" in said and "để trống" in said


def test_a_copy_without_figures_still_makes_the_prose_live(store):
    registry = CatalogRegistry()
    old = _previous(store, registry, values=FIGURES, narratives=PROSE)
    copied = copy_report(store, registry, 2025, "quy1", copy_from=old)
    assert store.get_values(copied.report_id) == {} and copied.values is None
    assert "{bm3.3.2}" in store.get_narratives(copied.report_id)["II.2"]
    assert "không chép" in copy_summary(copied)


def test_within_one_year_the_opening_balance_stays_and_a_row_the_old_report_lacks_stays_blank(store, tmp_path):
    registry = CatalogRegistry()
    old = _previous(store, registry, 2025, "quy1", values=FIGURES)
    path = newer_catalog(tmp_path / "province")  # has bm7.7.3, which Quý I had not
    path.write_text(path.read_text("utf-8").replace('unit = "Người"\nkind = "count"\n\n[[indicators]]\nid = "bm7.7.2"',
                                                    'unit = "Người"\nkind = "count"\ncarry = "stock"\n\n'
                                                    '[[indicators]]\nid = "bm7.7.2"'), "utf-8")
    registry2 = CatalogRegistry([tmp_path / "province"])
    assert registry2.latest().indicators["bm7.7.3"].carry == CARRY_STOCK
    copied = copy_report(store, registry2, 2025, "6thang", copy_from=old, copy_values=True)
    values = store.get_values(copied.report_id)
    assert values["bm3.3.1.1"].raw == "12"  # Quý I and 6 tháng both start on 15/12: the same files carried in
    assert "bm7.7.3" not in values and "bm3.3.1" not in values
    assert "giữ như kỳ trước" in copy_summary(copied)


def test_create_report_still_answers_the_new_id(store):
    registry = CatalogRegistry()
    old = _previous(store, registry, values=FIGURES)
    rid = create_report(store, registry, 2025, "quy1", copy_from=old, copy_values=True)
    assert store.get_values(rid)["bm3.3.1.1"].raw == "17"


# ---------------------------------------------------------------- the prose

def _state(values, catalog=CATALOG):
    return validator_for(catalog).state(values)


STATE = _state({"bm3.3.1": "1.962", "bm3.3.2": "1.886", "bm3.3.2.1": "1.868", "bm3.3.3": "17", "bm3.3.3.1": "17",
                "bm3.1.2": "8", "bm4.2.1": "20", "bm4.2.2": "20", "bm3.1.3": "15", "bm3.3.4": "2023"})


@pytest.mark.parametrize("text, new, replaced, review", [
    ("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn đạt 99,05%.", "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn đạt {bm3.3.5}%.",
     [("99,05%", "bm3.3.5")], []),
    ("UBND xã ban hành Kế hoạch số 15/KH-UBND ngày 16/02/2023 về rà soát, đánh giá 08 TTHC năm 2023.",
     "UBND xã ban hành Kế hoạch số 15/KH-UBND ngày 16/02/2023 về rà soát, đánh giá {bm3.1.2} TTHC năm 2023.",
     [("08", "bm3.1.2")], []),  # the document number, the date and the year are never figures
    ("Số hồ sơ đang giải quyết là 17 hồ sơ.", None, [], [("17", "2 dòng")]),  # two rows hold 17
    ("Có 20 cán bộ, công chức.", None, [], [("20", "2 dòng")]),
    ("Tổng số hồ sơ TTHC tiếp nhận, giải quyết là 1.962 hồ sơ.", None, [], [("1.962", "không nói rõ")]),
    ("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn đạt 99,05 %.", None, [], [("99,05%", "viết khác")]),
    ("Cấp huyện đã giải quyết 1.886 hồ sơ.", None, [], []),  # another level's figure is not this report's
    ("Đã giải quyết {bm3.3.2} hồ sơ.", None, [], []),  # a placeholder already
])
def test_a_figure_becomes_a_placeholder_only_when_it_is_clearly_one_rows(text, new, replaced, review):
    out, done, left = live_figures(text, STATE)
    assert out == (new or text) and done == replaced
    assert [(fig, word) for (fig, why), (_, word) in zip(left, review) if word in why] == review
    assert len(left) == len(review)
    assert render(out, STATE) == render(text, STATE)


def test_a_row_the_new_catalog_lacks_is_left_for_review():
    newer = dataclasses.replace(CATALOG, indicators={k: v for k, v in CATALOG.indicators.items() if k != "bm3.1.2"})
    text = "UBND xã đã rà soát, đánh giá 08 TTHC."
    assert live_figures(text, STATE)[0] != text
    out, done, left = live_figures(text, STATE, newer)
    assert out == text and done == [] and "không còn trong bộ biểu mẫu mới" in left[0][1]


_ROWS = ["bm3.3.1", "bm3.3.2", "bm3.3.2.1", "bm3.3.3", "bm3.3.3.1", "bm3.1.2", "bm3.1.3", "bm4.2.1", "bm4.2.2",
         "bm7.3.3", "bm7.3.4"]
_NUMBERS = st.sampled_from([0, 1, 2, 8, 15, 17, 20, 812, 1524, 1868, 1886, 2023])
# sentences as clerks write them; a figure named by a row ("{bm3.3.2}") is drawn as that row's
# value or another number, "{x}" any number
_SENTENCES = [
    "Trong năm, tiếp nhận, giải quyết TTHC: đã giải quyết {bm3.3.2} hồ sơ, trong đó giải quyết trước hạn, đúng hạn "
    "{bm3.3.2.1} hồ sơ", "Về tiếp nhận, giải quyết TTHC, đang giải quyết {bm3.3.3} hồ sơ",
    "Tổng số hồ sơ TTHC tiếp nhận, giải quyết là {bm3.3.1} hồ sơ",
    "UBND xã ban hành Kế hoạch số {x}/KH-UBND ngày {d}/02/{y} về rà soát, đánh giá {bm3.1.2} TTHC năm {y}",
    "đã rà soát, đánh giá {bm3.1.2} TTHC, đề xuất sửa đổi, bổ sung, đơn giản hóa {bm3.1.3} TTHC",
    "có {bm4.2.2} cán bộ, công chức", "số hồ sơ nộp trực tuyến là {bm7.3.4}/{bm7.3.3} hồ sơ, đạt {p}%",
    "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn đạt {p}%", "Cấp huyện tiếp nhận {bm3.3.1} hồ sơ",
    "dịch vụ công mức độ {x}",
]
_SLOT = re.compile(r"\{(bm[\d.]+|x)\}")


@st.composite
def _texts(draw, values):
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.integers(0, 3)):
            template = draw(st.sampled_from(_SENTENCES))
            style = draw(st.sampled_from([format_count, format_count, str, lambda v: f"{v:02d}"]))

            def slot(m):
                row = m.group(1)
                own = values.get(row)
                return style(own if own is not None and draw(st.integers(0, 3)) else draw(_NUMBERS))

            text = _SLOT.sub(slot, template)
            parts.append(text.format(d=draw(st.integers(1, 28)), y=draw(st.sampled_from([2023, 2024, 2025])),
                                     p=draw(st.sampled_from(["99,05", "53,28", "100", "0", "43,6"]))))
        else:
            parts.append(draw(st.text(st.sampled_from("abc hồ sơ TTHC 0123456789.,;:/%()\n"), max_size=30)))
    return "".join(p + draw(st.sampled_from([". ", "; ", ", ", "\n", " "])) for p in parts)


@st.composite
def _reports(draw):
    values = draw(st.dictionaries(st.sampled_from(_ROWS), _NUMBERS, max_size=len(_ROWS)))
    return draw(_texts(values)), values


@settings(max_examples=300, deadline=None)
@given(_reports())
def test_converting_changes_nothing_but_the_replaced_figures(report):
    text, values = report
    state = _state({k: str(v) for k, v in values.items()})
    out, done, left = live_figures(text, state)
    # every placeholder in the result is one replaced figure, in order; putting the figures back
    # gives the text typed, character for character
    assert PLACEHOLDER.findall(out) == [row for _, row in done]
    figures = iter(fig.removesuffix("%") for fig, _ in done)
    assert PLACEHOLDER.sub(lambda m: next(figures), out) == text
    # printed with the old figures, the converted text reads exactly as the original
    assert render(out, state) == text
    # a replaced figure is its row's value, and no other row of its unit holds it
    for fig, row in done:
        typed = Decimal(fig.removesuffix("%").replace(".", "").replace(",", "."))
        assert typed == Decimal(state.values[row])
        unit = row_unit(CATALOG.indicators[row])
        assert [r for r, v in state.values.items() if v is not None and row_unit(CATALOG.indicators[r]) == unit
                and Decimal(v) == typed] == [row]
    assert not set(done) & {(fig, row) for fig, row in left}


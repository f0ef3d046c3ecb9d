"""The catalog is data a province edits by hand: it must match the published indicator
list exactly, and a broken file must stop with a message that names the problem."""

import tomllib
import copy
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_desktop.core.carry import carry_values
from cchc_desktop.core.catalog import BUILTIN_DIR, CatalogError, CatalogRegistry, _Builder, load_catalog
from cchc_desktop.core.engine import Validator
from tests.conftest import SHARED

SHIPPED = BUILTIN_DIR / "xa-2025.1.toml"


# the published list, kept with the tests so they run in every clone; the copy is checked
# against ../shared where that is beside the project
PUBLISHED = Path(__file__).with_name("data") / "indicators-xa.md"


def test_the_kept_copy_of_the_published_list_is_the_current_one():
    src = SHARED / "domain" / "indicators-xa.md"
    if not src.exists():
        pytest.skip(f"the shared indicator list is not beside the project ({src})")
    assert PUBLISHED.read_bytes() == src.read_bytes(), "copy ../shared/domain/indicators-xa.md to tests/data/"


def _spec_rows():
    src = PUBLISHED
    rows = []
    for line in src.read_text(encoding="utf-8").splitlines():
        if line.startswith("| bm"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows


def test_every_indicator_of_the_published_list_is_in_the_catalog_unchanged(catalog):
    rows = _spec_rows()
    assert [r[0] for r in rows] == list(catalog.indicators)
    for ident, label, unit, kind_formula, _rules, sample in rows:
        ind = catalog.indicators[ident]
        assert (ind.label, ind.unit, ind.kind) == (label, unit, kind_formula.split()[0]), ident
        if ind.kind == "percent":
            spec = kind_formula.removeprefix("percent ").replace("−", "-")
            assert set(re.findall(r"bm[0-9.]+[0-9]", spec)) == set(ind.formula.ids), ident
        if sample and not sample.startswith("("):
            assert ind.sample == sample, ident


def test_every_rule_of_the_published_list_is_declared(catalog):
    rows = _spec_rows()
    spec_rule_count = sum(len(_spec_rules(r[4])) for r in rows if r[4])
    assert len(catalog.rules) == spec_rule_count == 40
    rows_with_rules = {r[0] for r in rows if r[4]}
    # a rule's id (the key of its issue) is the published row holding it, "#", its place there
    assert {_published_row(rule) for rule in catalog.rules} == rows_with_rules
    for rule in catalog.rules:
        # every message names its own row by STT, the way the clerk sees it on paper
        stt = _published_row(rule).split(".", 1)[1]
        assert stt in rule.message, rule.id
        assert rule.severity == ("error" if rule_severity(rows, rule) == "E" else "warning")


def _published_row(rule) -> str:
    row, sep, place = rule.id.partition("#")
    assert sep and place.isdigit(), rule.id
    return row


def _spec_rules(cell: str) -> list[str]:
    return re.split(r"; (?=[EW]:)", cell)


def rule_severity(rows, rule):
    spec = next(r[4] for r in rows if r[0] == _published_row(rule))
    part = _spec_rules(spec)[int(rule.id.split("#")[1]) - 1]
    return part[0]


def test_outline_and_tabs(catalog):
    assert [t.title for t in catalog.tabs] == [
        "Thông tin chung",
        "Chỉ đạo, điều hành",
        "Thể chế",
        "Thủ tục hành chính",
        "Tổ chức bộ máy",
        "Công vụ",
        "Tài chính công",
        "Chính quyền số",
        "Đánh giá, phương hướng, kiến nghị",
        "Kiểm tra và xuất",
    ]
    assert catalog.sections["II"].children == tuple(f"II.{n}" for n in range(1, 7))
    assert not catalog.sections["II"].holds_text and catalog.sections["IV"].holds_text
    assert [f.section for f in catalog.forms.values()] == ["I", "II.1", "II.2", "II.3", "II.4", "II.5", "II.6"]
    assert catalog.indicators["bm1.6.2"].codes == {0: "Trực tuyến", 1: "Phát phiếu", 2: "Kết hợp"}


def _broken(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('id = "bm1.2.1"', 'id = "bm1.1"', "bm1.1"),  # duplicate id
        ('formula = "bm1.2.2 / bm1.2.1"', 'formula = "bm1.2.2 / bm1.2.9"', "bm1.2.9"),  # unknown id in formula
        ('check = "bm1.2.2 <= bm1.2.1"', 'check = "bm1.2.2 <= bm9.9"', "bm9.9"),  # unknown id in rule
        ('kind = "count"', 'kind = "number"', "number"),  # unknown kind
        ('severity = "E"', 'severity = "X"', "X"),
        ('check = "bm1.2.2 <= bm1.2.1"', 'check = "bm1.2.2 <= bm1.3"', "bm1.3"),  # a heading has no value
        ("(dòng {stt:bm1.2.2}: {left})", "(dòng {stt:bm1.2.2}: {total})", "{left}"),  # messages only know {left} and {right}
        # … and name their rows by id, never by a number typed by hand, so they cannot drift from the rows
        ("(dòng {stt:bm1.2.2}: {left})", "(dòng 1.2.2: {left})", "bằng tay"),
        ("(dòng {stt:bm1.2.1}: {right})", "(dòng {stt:bm1.2.2} + 1.2.1: {right})", "bằng tay"),
        ("(dòng {stt:bm1.2.2}: {left})", "(dòng {stt:bm1.2.9}: {left})", "bm1.2.9"),  # a row the catalog lacks
        ("(dòng {stt:bm1.2.2}: {left})", "(dòng {stt:bm3.3.1}: {left})", "{row:bm3.3.1}"),  # another form: {row:…}
        ('codes = { "1" = "Có", "0" = "Không" }', "", "mã"),  # a flag without codes
        ('version = "2025.1"', 'version = "mới"', "mới"),
    ],
)
def test_a_broken_catalog_stops_with_a_message_naming_the_problem(tmp_path, old, new, expected):
    with pytest.raises(CatalogError) as err:
        load_catalog(_broken(tmp_path, old, new))
    assert expected in str(err.value)
    assert "broken.toml" in str(err.value)


def test_a_cycle_among_derived_values_is_refused(tmp_path):
    path = _broken(tmp_path, 'formula = "bm1.2.2 / bm1.2.1"', 'formula = "bm1.3.2 / bm1.2.1"')
    text = path.read_text(encoding="utf-8").replace(
        'formula = "bm1.3.2.2 / bm1.3.2.1"', 'formula = "bm1.2 / bm1.3.2.1"'
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert "vòng tròn" in str(err.value) and "bm1.2" in str(err.value) and "bm1.3.2" in str(err.value)


def test_derived_values_may_use_derived_values_in_order(tmp_path):
    path = _broken(tmp_path, 'formula = "bm1.2.2 / bm1.2.1"', 'formula = "bm1.3.2 / bm1.2.1"')
    cat = load_catalog(path)
    assert cat.derived_order.index("bm1.3.2") < cat.derived_order.index("bm1.2")


def test_unreadable_toml_is_refused(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[catalog\nid = ", encoding="utf-8")
    with pytest.raises(CatalogError, match="TOML"):
        load_catalog(path)


def newer_catalog(folder: Path) -> Path:
    """A province's next version: a renamed label, a rule made a warning, an extra row."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SHIPPED.read_text(encoding="utf-8")
    text = text.replace('version = "2025.1"', 'version = "2026.1"')
    text = text.replace('label = "Số người hoạt động không chuyên trách (nếu còn bố trí) (*)"', 'label = "Số người hoạt động không chuyên trách"')
    text = text.replace('id = "bm5.5#1"\nseverity = "E"', 'id = "bm5.5#1"\nseverity = "W"')
    text = text.replace(
        '[[indicators]]\nid = "bm7.7.2"',
        '[[indicators]]\nid = "bm7.7.3"\nlabel = "Số thành viên Tổ công nghệ số cộng đồng"\nunit = "Người"\nkind = "count"\n\n[[indicators]]\nid = "bm7.7.2"',
    )
    path = folder / "xa-2026.1.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_two_versions_side_by_side(tmp_path):
    newer_catalog(tmp_path / "extra")
    reg = CatalogRegistry([tmp_path / "extra"])
    assert reg.versions() == ["2025.1", "2026.1"]
    old, new = reg.get("xa", "2025.1"), reg.latest()
    assert new.version == "2026.1" and "bm7.7.3" in new.indicators and "bm7.7.3" not in old.indicators
    assert {r.id: r.severity for r in old.rules}["bm5.5#1"] == "error"
    assert {r.id: r.severity for r in new.rules}["bm5.5#1"] == "warning"


def test_a_missing_version_names_what_is_installed():
    with pytest.raises(CatalogError) as err:
        CatalogRegistry().get("xa", "2019.1")
    assert "2019.1" in str(err.value) and "2025.1" in str(err.value)


def test_the_same_version_twice_keeps_the_first_and_reports_the_second(tmp_path):
    (tmp_path / "extra").mkdir()
    shutil.copy(SHIPPED, tmp_path / "extra" / "copy.toml")
    registry = CatalogRegistry([tmp_path / "extra"])
    assert registry.versions() == ["2025.1"] and registry.latest().path == SHIPPED
    assert [p.path.name for p in registry.problems] == ["copy.toml"] and "2025.1" in registry.problems_message()


def test_a_province_catalog_in_the_data_folder_is_found(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))
    newer_catalog(tmp_path / "data" / "catalogs")
    assert CatalogRegistry().versions() == ["2025.1", "2026.1"]
    with pytest.raises(CatalogError) as err:
        CatalogRegistry().get("xa", "2019.1")
    assert str(tmp_path / "data" / "catalogs") in str(err.value)


# ---------------------------------------------------------------- any hand edit (issue 8)

_RAW = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
_TOML_VALUES = st.one_of(
    st.integers(-2, 2) | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=8)
    | st.sampled_from(["bm1.1", "bm1.2", "I", "II.1", "E", "note", "zero", "1 = 1", "bm1.1 / 0", "2 <= bm1.1",
                       "stock", "flow", "bm3.3.3"]),
    st.lists(st.integers(0, 9) | st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(0, 2) | st.text(max_size=2), max_size=2),
)
_KEYS = {
    "catalog": ["id", "version", "title", "appendix_title"],
    "sections": ["id", "title", "number"],
    "indicators": ["id", "label", "unit", "kind", "codes", "formula", "sample", "carry"],
    "forms": ["number", "title", "section"],
    "rules": ["id", "severity", "check", "when", "message", "blanks", "type"],
    "tabs": ["id", "title", "sections", "forms"],
}


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(sorted(_KEYS)), st.integers(0, 10**6), st.data(), st.none() | _TOML_VALUES)
def test_any_single_hand_edit_loads_or_is_a_catalog_error(table, row, data, value):
    """What a province can type into one field: the loader either builds a catalog every part
    of the program can use, or refuses it with a CatalogError; never another exception."""
    key = data.draw(st.sampled_from(_KEYS[table]))
    raw = copy.deepcopy(_RAW)
    target = raw[table] if table == "catalog" else raw[table][row % len(raw[table])]
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value
    try:
        cat = _Builder(Path("tinh.toml"), raw).build()
    except CatalogError as exc:
        assert "tinh.toml" in str(exc)
        return
    state = Validator(cat).state({i.id: "1" for i in cat.inputs()})
    state.sorted_issues()
    # a copy from the previous period works on whatever `carry` the loader let through
    carry_values(cat, {i.id: ("1", "") for i in cat.inputs()}, ("2024-12-15", "2025-03-14"), ("2025-03-15", "2025-06-14"))


def test_every_message_names_its_rows_by_id_and_prints_their_stt_within_the_form():
    """Issue 11 §1: the rows a message names are written {stt:…}/{row:…} in the file and printed
    from the ids (the STT is the id without "bm<form>."), each one a row the rule checks."""
    import re
    import tomllib

    from cchc_desktop.core.catalog import MESSAGE_ROW

    raw = {r["id"]: r["message"] for r in tomllib.loads(SHIPPED.read_text(encoding="utf-8"))["rules"]}
    catalog = load_catalog(SHIPPED)
    assert len(raw) == len(catalog.rules) >= 40
    for rule in catalog.rules:
        named = MESSAGE_ROW.findall(raw[rule.id])
        assert named, rule.id
        assert {ref for _, ref in named} <= set(rule.ids), rule.id
        assert "{stt:" not in rule.message and "{row:" not in rule.message
        # the message's own form: the one its rows are numbered in
        assert re.match(rf"Biểu mẫu {catalog.indicators[rule.ids[0]].form}\b", rule.message), rule.message
    by_id = {r.id: r.message for r in catalog.rules}
    assert by_id["bm5.5#1"].startswith("Biểu mẫu 5: tổng các dòng 5.1 đến 5.4 ")
    assert "nhưng Biểu mẫu 4, dòng 3 ghi {right}" in by_id["bm5.5#1"]
    assert "(dòng 3.2.1 + 3.2.2: {right})" in by_id["bm3.3.2#1"]

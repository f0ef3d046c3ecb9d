"""A catalog's side files — its drafted sentences (<name>.drafts.toml) and the built-in sample's
words (<name>.sample.toml) — cite its rows and sections, so the loader checks them against it:
a placeholder naming no row of that version, text for a section that holds none, or a side file
written for another version stops the catalog with a Vietnamese message naming the file, the
section and the id, like the loader's other checks."""

import shutil

import pytest

from cchc_desktop.core.catalog import BUILTIN_DIR, CatalogError, CatalogRegistry, load_catalog, side_file
from cchc_desktop.core.vocabulary import SEVERITY_WORDS

SHIPPED = BUILTIN_DIR / "xa-2025.1.toml"


def _copy(folder, name="tinh", kinds=("drafts", "sample")):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    shutil.copy(SHIPPED, path)
    for kind in kinds:
        shutil.copy(side_file(SHIPPED, kind), side_file(path, kind))
    return path


def _edited(tmp_path, kind, old, new):
    path = _copy(tmp_path / "tinh")
    side = side_file(path, kind)
    text = side.read_text(encoding="utf-8")
    assert old in text, old
    side.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _refused(path) -> str:
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    return str(err.value)


def test_the_shipped_side_files_load_with_their_catalog(catalog):
    assert catalog.path == SHIPPED
    assert set(catalog.drafts) == {"I.1", "I.2", "I.4", "II.1", "II.2", "II.3", "II.4", "II.5", "II.6"}
    assert catalog.sample.unit["name"] == "Bình Phước" and catalog.sample.report["year"] == 2023
    assert "{bm1.2.1}" in catalog.sample.narratives["I.1"]
    # the side files are parts of their catalog, not catalogs of their own
    assert CatalogRegistry().problems == []


def test_a_copy_with_its_side_files_loads_the_same(tmp_path, catalog):
    copy = load_catalog(_copy(tmp_path / "tinh"))
    assert copy.drafts == catalog.drafts and copy.sample == catalog.sample


@pytest.mark.parametrize("kind, old, new, names", [
    # a placeholder citing a row the catalog does not have
    ("drafts", "hoàn thành đúng hạn {bm1.5.2} nhiệm vụ", "hoàn thành đúng hạn {bm1.5.9} nhiệm vụ",
     ["tinh.drafts.toml", "“I.4”", "đoạn 1", "bm1.5.9", "2025.1"]),
    ("drafts", "{bm3.3.1} hồ sơ\"", "{bm9.9} hồ sơ\"", ["tinh.drafts.toml", "“II.2”", "“lead”", "bm9.9"]),
    # … or a heading, which has no figure
    ("drafts", "{bm3.3.1} hồ sơ\"", "{bm3.3} hồ sơ\"", ["tinh.drafts.toml", "“II.2”", "bm3.3", "tiêu đề"]),
    ("sample", "đã đề ra {bm1.2.1} nhiệm vụ", "đã đề ra {bm1.2.7} nhiệm vụ",
     ["tinh.sample.toml", "[narratives]", "“I.1”", "bm1.2.7"]),
    # a section the outline does not have, or one that is only a heading
    ("drafts", '[[drafts."I.1"]]', '[[drafts."I.9"]]', ["tinh.drafts.toml", "“I.9”", "đề cương"]),
    ("drafts", '[[drafts."I.1"]]', '[[drafts."I"]]', ["tinh.drafts.toml", "“I”", "I.1, I.2", "không chứa lời văn"]),
    ("sample", '"III.1" = """', '"VI" = """', ["tinh.sample.toml", "“VI”", "đề cương"]),
    ("sample", '"III.1" = """', '"III" = """', ["tinh.sample.toml", "“III”", "không chứa lời văn"]),
    # written for another version of the catalog, or for none
    ("drafts", 'version = "2025.1"', 'version = "2026.1"', ["tinh.drafts.toml", "2026.1", "tinh.toml", "2025.1"]),
    ("sample", 'id = "xa"', 'id = "huyen"', ["tinh.sample.toml", "huyen", "tinh.toml"]),
    ("drafts", '[catalog]\nid = "xa"\nversion = "2025.1"\n', "", ["tinh.drafts.toml", "thiếu bảng [catalog]"]),
    # a misspelt key would otherwise drop its sentences without a word
    ("drafts", '[[drafts."I.1"]]', '[[draft."I.1"]]', ["tinh.drafts.toml", "“draft”", "không dùng đến"]),
    ("drafts", "clauses = [", "clause = [", ["tinh.drafts.toml", "“clause”", "không dùng đến"]),
    ("drafts", 'open = ""', "open = 1", ["tinh.drafts.toml", "“I.1”", "“open”"]),
    ("sample", "[unit]", "[don_vi]", ["tinh.sample.toml", "don_vi"]),
    ("sample", 'period = "nam"\n', "", ["tinh.sample.toml", "[report]", "period"]),
    ("sample", "[narratives]\nopening = ", "[narratives]\nopening = 1\nx = ",
     ["tinh.sample.toml", "“opening”"]),
    ("drafts", "clauses = [", "clauses = [1,", ["tinh.drafts.toml", "“I.4”", "đoạn 1, vế 1", "chuỗi văn bản"]),
])
def test_a_side_file_that_does_not_fit_its_catalog_is_refused_naming_file_section_and_id(tmp_path, kind, old, new,
                                                                                          names):
    message = _refused(_edited(tmp_path, kind, old, new))
    for part in names:
        assert part in message, (part, message)


def test_a_side_file_that_is_not_toml_is_refused_naming_it(tmp_path):
    path = _copy(tmp_path / "tinh")
    side_file(path, "sample").write_text("[unit\n", encoding="utf-8")
    message = _refused(path)
    assert "tinh.sample.toml" in message and "TOML" in message and "báo cáo mẫu" in message


def test_without_side_files_a_catalog_has_no_drafts_and_no_sample(tmp_path):
    cat = load_catalog(_copy(tmp_path / "tinh", kinds=()))
    assert cat.drafts == {} and cat.sample is None


def test_a_province_catalog_with_a_wrong_side_file_is_skipped_and_reported(tmp_path, monkeypatch):
    folder = tmp_path / "data" / "catalogs"
    path = _copy(folder, "xa-2026.1", kinds=("drafts",))
    path.write_text(path.read_text(encoding="utf-8").replace('version = "2025.1"', 'version = "2026.1"', 1),
                    encoding="utf-8")
    registry = CatalogRegistry()
    (problem,) = registry.problems
    assert problem.path == side_file(path, "drafts") and "2026.1" in str(problem)  # still names 2025.1
    assert registry.versions() == ["2025.1"] and "xa-2026.1.drafts.toml" in registry.problems_message()
    side = side_file(path, "drafts")
    side.write_text(side.read_text(encoding="utf-8").replace('version = "2025.1"', 'version = "2026.1"', 1),
                    encoding="utf-8")
    registry = CatalogRegistry()
    assert registry.problems == [] and registry.versions() == ["2025.1", "2026.1"]
    assert registry.latest().drafts == registry.get("xa", "2025.1").drafts


def test_a_side_file_without_its_catalog_is_reported_not_loaded_as_a_catalog(tmp_path):
    folder = tmp_path / "extra"
    folder.mkdir()
    shutil.copy(side_file(SHIPPED, "drafts"), folder / "xa-2026.1.drafts.toml")
    registry = CatalogRegistry([folder])
    (problem,) = registry.problems
    assert problem.path.name == "xa-2026.1.drafts.toml" and "xa-2026.1.toml" in str(problem)
    assert "đoạn mẫu" in str(problem) and registry.versions() == ["2025.1"]


def test_the_severity_words_of_a_wrong_severity_are_the_programs_own(tmp_path):
    path = tmp_path / "muc-do.toml"
    path.write_text(SHIPPED.read_text(encoding="utf-8").replace('severity = "E"', 'severity = "L"', 1),
                    encoding="utf-8")
    message = _refused(path)
    assert f"E ({SEVERITY_WORDS['error'].lower()})" in message and f"W ({SEVERITY_WORDS['warning'].lower()})" in message

"""The compiled catalog cache the window keeps in its data folder (catalog.CompiledCache): the
same catalog as a fresh parse, parsed afresh whenever the file changes, and never trusted —
a damaged or foreign cache file means a parse, never an error or code run."""

import os
import pickle

import pytest

from cchc_desktop.core import catalog
from cchc_desktop.core.catalog import BUILTIN_DIR, CatalogRegistry

SHIPPED = BUILTIN_DIR / "xa-2025.1.toml"


@pytest.fixture
def cache(tmp_path):
    folder = tmp_path / "cache"
    catalog.use_compiled_cache(folder)
    yield folder
    catalog.use_compiled_cache(None)


def _province(tmp_path, version="2026.1"):
    folder = tmp_path / "extra"
    folder.mkdir(exist_ok=True)
    path = folder / "tinh.toml"
    path.write_text(SHIPPED.read_text(encoding="utf-8").replace('version = "2025.1"', f'version = "{version}"', 1),
                    encoding="utf-8")
    return path


def _no_parse(monkeypatch):
    def fail(path):
        raise AssertionError(f"parsed {path} although the cache holds it")

    monkeypatch.setattr(catalog, "load_catalog", fail)


def test_a_cached_catalog_is_the_parsed_one_and_is_read_without_parsing(cache, monkeypatch):
    parsed = CatalogRegistry().latest()  # parses, writes the cache
    assert len(list(cache.iterdir())) == 1
    _no_parse(monkeypatch)
    cached = CatalogRegistry().latest()
    assert cached is not parsed and cached.path == SHIPPED
    for f in ("id", "version", "title", "appendix_title", "indicators", "rules", "sections", "forms", "tabs",
              "derived_order"):
        assert getattr(cached, f) == getattr(parsed, f), f


def test_an_edited_province_file_is_parsed_again_even_with_the_same_size_and_time(cache, tmp_path):
    path = _province(tmp_path)
    assert CatalogRegistry([path.parent]).versions() == ["2025.1", "2026.1"]
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace('version = "2026.1"', 'version = "2026.2"', 1),
                    encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    assert CatalogRegistry([path.parent]).versions() == ["2025.1", "2026.2"]


@pytest.mark.parametrize("content", [b"", b"\0" * 100, b"garbage", pickle.dumps(("key", os.system)),
                                     pickle.dumps(("key", {"not": "a catalog"}))],
                         ids=["empty", "zeros", "garbage", "foreign-code", "foreign-data"])
def test_a_damaged_or_foreign_cache_file_means_a_parse(cache, content):
    CatalogRegistry().latest()
    (entry,) = cache.iterdir()
    entry.write_bytes(content)
    registry = CatalogRegistry()
    assert registry.latest().version == "2025.1" and registry.problems == []
    assert entry.read_bytes() != content  # rewritten from the parse


def test_a_broken_province_file_is_still_a_problem_and_never_cached(cache, tmp_path):
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "hong.toml").write_text("a = [", encoding="utf-8")
    for _ in range(2):
        registry = CatalogRegistry([folder])
        assert [p.path.name for p in registry.problems] == ["hong.toml"]
        assert registry.versions() == ["2025.1"]
    assert len(list(cache.iterdir())) == 1  # the shipped catalog only


def test_a_cache_folder_that_cannot_be_written_is_no_cache(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    catalog.use_compiled_cache(blocker / "cache")
    try:
        assert CatalogRegistry().latest().version == "2025.1"
    finally:
        catalog.use_compiled_cache(None)


def test_only_the_window_turns_the_cache_on():
    assert catalog._compiled_cache is None  # the command line and the tests parse every time


def _drafted_province(tmp_path):
    path = _province(tmp_path)
    side = catalog.side_file(path, "drafts")
    side.write_text(catalog.side_file(SHIPPED, "drafts").read_text(encoding="utf-8")
                    .replace('version = "2025.1"', 'version = "2026.1"', 1), encoding="utf-8")
    return path, side


def test_the_side_files_are_part_of_the_key(cache, tmp_path):
    """An edited, added or removed drafts file, beside an unchanged catalog file, is parsed again."""
    path, side = _drafted_province(tmp_path)
    lead = "Đang giải quyết {bm3.3.3} hồ sơ"

    def drafts():
        return CatalogRegistry([path.parent]).get("xa", "2026.1").drafts

    assert drafts()["II.2"][2].lead == lead
    side.write_text(side.read_text(encoding="utf-8").replace(lead, "Còn {bm3.3.3} hồ sơ", 1), encoding="utf-8")
    assert drafts()["II.2"][2].lead == "Còn {bm3.3.3} hồ sơ"
    side.unlink()
    assert drafts() == {}
    side.write_text(catalog.side_file(SHIPPED, "drafts").read_text(encoding="utf-8")
                    .replace('version = "2025.1"', 'version = "2026.1"', 1), encoding="utf-8")
    assert drafts()["II.2"][2].lead == lead


def test_a_cached_catalog_keeps_its_drafts_and_sample(cache, monkeypatch):
    parsed = CatalogRegistry().latest()
    _no_parse(monkeypatch)
    cached = CatalogRegistry().latest()
    assert cached.drafts == parsed.drafts and cached.sample == parsed.sample and cached.sample is not None

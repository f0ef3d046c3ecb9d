"""The built-in sample is opened on the catalog it was written for, whatever else is installed:
a province's catalog without `sample` values (a real bug report: the sample came up empty) or a
newer one must not change it."""

import pytest

from cchc_desktop.core.catalog import BUILTIN_DIR, CatalogError, CatalogRegistry
from cchc_desktop.services.sample import sample_catalog, sample_doc

SHIPPED = BUILTIN_DIR / "xa-2025.1.toml"


def _province_without_samples(folder, version="2026.1"):
    folder.mkdir(parents=True, exist_ok=True)
    lines = SHIPPED.read_text(encoding="utf-8").replace('version = "2025.1"', f'version = "{version}"', 1)
    lines = [line for line in lines.splitlines(keepends=True) if not line.startswith("sample = ")]
    path = folder / f"xa-{version}.toml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_the_sample_carries_its_catalogs_figures_and_words():
    doc = sample_doc()
    catalog = CatalogRegistry().get("xa", "2025.1")
    assert doc["catalog"] == {"id": "xa", "version": "2025.1"}
    assert doc["values"] == {i.id: i.sample for i in catalog.inputs() if i.sample is not None}
    assert len(doc["values"]) > 50 and doc["unit"]["name"] == "Bình Phước"
    assert doc["narratives"]["I.1"].startswith("Thực hiện Nghị quyết số 76/NQ-CP")


def test_a_province_catalog_without_samples_leaves_the_sample_unchanged(tmp_path):
    before = sample_doc(CatalogRegistry())
    province = _province_without_samples(tmp_path / "data" / "catalogs")  # the clerk's catalogs folder
    registry = CatalogRegistry()
    assert registry.latest().path == province and registry.problems == []
    assert all(i.sample is None for i in registry.latest().indicators.values())
    assert sample_doc(registry) == before
    assert sample_catalog(registry).path == SHIPPED


def test_a_sample_file_beside_a_province_catalog_is_not_the_built_in_sample(tmp_path):
    folder = tmp_path / "extra"
    province = _province_without_samples(folder, "2027.1")
    sample = (BUILTIN_DIR / "xa-2025.1.sample.toml").read_text(encoding="utf-8")
    province.with_name("xa-2027.1.sample.toml").write_text(
        sample.replace('version = "2025.1"', 'version = "2027.1"', 1).replace("Bình Phước", "Tỉnh Mới"),
        encoding="utf-8")
    registry = CatalogRegistry([folder])
    assert registry.latest().sample.unit["name"] == "Tỉnh Mới"
    assert sample_doc(registry)["unit"]["name"] == "Bình Phước" and sample_catalog(registry).path == SHIPPED


def test_without_a_built_in_sample_the_clerk_is_told_to_reinstall(monkeypatch, tmp_path):
    registry = CatalogRegistry()
    monkeypatch.setattr(registry, "builtin", lambda: [])
    with pytest.raises(CatalogError, match="cài đặt lại"):
        sample_doc(registry)

"""The package's layout by role, held by a test: each layer imports only the layers below it,
the developer tools stay outside the package, and no two modules share a class name across
layers (a newcomer reading `ReportView` should not have to ask "which one?")."""

import ast
from collections import defaultdict
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "cchc_desktop"
# a layer -> the layers it may import (besides itself and the package's top: errors, __version__)
ALLOWED = {
    "core": {"system"},
    "system": set(),
    "storage": {"core", "system"},
    "formats": {"core", "system"},
    "services": {"core", "system", "storage", "formats"},
    "gui": {"core", "system", "storage", "formats", "services"},
    "top": {"core", "system", "storage", "formats", "services", "gui"},  # cli.py, __main__.py
}
TOP_MODULES = {"errors", "__init__"}


def layer_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE).parts
    return rel[0] if len(rel) > 1 else "top"


def imported_layers(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "cchc_desktop" and len(parts) > 1 and parts[1] not in TOP_MODULES | {"__version__"}:
                out.add(parts[1] if (PACKAGE / parts[1]).is_dir() else "top")
    return out


def modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_layer_imports_only_the_layers_below_it():
    wrong = []
    for path in modules():
        layer = layer_of(path)
        for used in imported_layers(path) - ALLOWED[layer] - {layer}:
            wrong.append(f"{path.relative_to(ROOT)} ({layer}) imports {used}")
    assert not wrong, "\n".join(wrong)


def test_no_relative_imports():
    """Absolute imports only: a module's imports then read the same wherever it moves."""
    rel = [str(p.relative_to(ROOT)) for p in modules()
           if any(isinstance(n, ast.ImportFrom) and n.level for n in ast.walk(ast.parse(p.read_text("utf-8"))))]
    assert not rel, rel


def test_developer_tools_are_outside_the_package():
    names = {p.stem for p in modules()}
    assert not names & {"bench", "gui_bench", "bench_start", "bench_core", "bench_export", "screenshots", "size_budget"}
    assert (ROOT / "tools" / "bench_start.py").is_file()


def test_no_class_name_is_defined_in_two_modules():
    where = defaultdict(list)
    for path in modules():
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                where[node.name].append(str(path.relative_to(ROOT)))
    assert {k: v for k, v in where.items() if len(v) > 1} == {}


def test_the_layer_test_sees_a_wrong_import(tmp_path):
    """The check above must be able to fail: a core module importing a service is caught."""
    fake = PACKAGE / "core" / "_layer_probe.py"
    fake.write_text("from cchc_desktop.services.reports import create_report\n", "utf-8")
    try:
        assert "services" in imported_layers(fake) and layer_of(fake) == "core"
    finally:
        fake.unlink()

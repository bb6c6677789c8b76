"""Architecture rules: MkDocs stays at the edges, the plugin is registered."""

from __future__ import annotations

import ast
import importlib.metadata
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "site_builder"
ADAPTERS = {"plugin.py", "cli.py"}  # the only modules allowed to import MkDocs / Material
FORBIDDEN = {"mkdocs", "material"}


def imported_roots(source: str) -> set[str]:
    """Top-level package names imported anywhere in `source` (functions included)."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            roots.add(node.args[0].value.split(".")[0])
    return roots


def test_import_detector():
    source = (
        "import os\nimport mkdocs.config as c\nfrom material.plugins import x\n"
        "def f():\n    from mkdocs import utils\n    importlib.import_module('material.extensions')\n"
        "from . import mkdocs_like\n"
    )
    assert imported_roots(source) == {"os", "mkdocs", "material"}


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).as_posix() not in ADAPTERS)


def test_package_has_modules():
    assert len(MODULES) > 10
    assert (PACKAGE / "plugin.py").is_file() and (PACKAGE / "cli.py").is_file()


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_only_the_adapters_import_mkdocs(module):
    roots = imported_roots(module.read_text(encoding="utf-8"))
    assert not roots & FORBIDDEN, f"{module.relative_to(PACKAGE)} imports {sorted(roots & FORBIDDEN)}"


def test_plugin_module_does_import_mkdocs():
    """The adapter is where MkDocs lives (guards against the rule passing vacuously)."""
    assert "mkdocs" in imported_roots((PACKAGE / "plugin.py").read_text(encoding="utf-8"))


def test_plugin_entry_point_is_registered():
    entry_points = [ep for ep in importlib.metadata.entry_points(group="mkdocs.plugins") if ep.name == "site_builder"]
    assert len(entry_points) == 1
    assert entry_points[0].value == "site_builder.plugin:SiteBuilderPlugin"
    from mkdocs.plugins import BasePlugin

    plugin_class = entry_points[0].load()
    assert issubclass(plugin_class, BasePlugin)


def test_console_script_is_registered():
    scripts = [ep for ep in importlib.metadata.entry_points(group="console_scripts") if ep.name == "site-builder"]
    assert [ep.value for ep in scripts] == ["site_builder.cli:main"]

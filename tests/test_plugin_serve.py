"""`mkdocs serve` / `site-builder serve` preview drafts; `build` does not, unless asked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mkdocs.config import load_config

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.mark.parametrize(("command", "drafts"), [("serve", True), ("build", False)])
def test_serve_shows_drafts(command, drafts, tmp_path):
    config = load_config(config_file=str(REPO / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    plugin = config.plugins["site_builder"]
    config.plugins.on_startup(command=command, dirty=False)
    plugin.on_config(config)
    assert plugin.settings.drafts is drafts
    plugin.on_build_error(error=RuntimeError("test over"))  # removes the staging folder of a build
    assert not any(p.name.startswith(".site-staging") for p in tmp_path.iterdir())

"""`mkdocs serve` / `site-builder serve` preview drafts; `build` does not, unless asked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mkdocs.config import load_config

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.mark.parametrize(("command", "drafts"), [("serve", True), ("build", False)])
def test_serve_shows_drafts_and_does_not_precompress(command, drafts, tmp_path):
    config = load_config(config_file=str(REPO / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    plugin = config.plugins["site_builder"]
    config.plugins.on_startup(command=command, dirty=False)
    plugin.on_config(config)
    assert plugin.settings.drafts is drafts
    assert plugin.settings.precompress is not drafts  # .br/.gz copies for `build` only
    plugin.on_build_error(error=RuntimeError("test over"))  # removes the staging folder of a build
    assert not any(p.name.startswith(".site-staging") for p in tmp_path.iterdir())


def test_serve_without_site_url_warns_and_build_refuses(tmp_path, caplog):
    from mkdocs.exceptions import PluginError

    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("site_url: https://guongsang.example.vn/\n", "")
    config_file = tmp_path / "mkdocs.yml"
    text = text.replace("docs_dir: content", f"docs_dir: {REPO / 'content'}")
    config_file.write_text(text.replace("custom_dir: themes/", f"custom_dir: {REPO / 'themes'}/"), encoding="utf-8")
    for command in ("serve", "build"):
        config = load_config(config_file=str(config_file), site_dir=str(tmp_path / "site"))
        plugin = config.plugins["site_builder"]
        config.plugins.on_startup(command=command, dirty=False)
        if command == "serve":
            plugin.on_config(config)
            assert any("site_url" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")
        else:
            with pytest.raises(PluginError, match="site_url"):
                plugin.on_config(config)

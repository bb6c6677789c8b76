"""The MkDocs adapter: the only module that imports MkDocs.

It translates MkDocs events into calls of the MkDocs-free pipeline:
content → catalog → pages → (render with the theme's Jinja environment) → publish.
Stories and term pages are never MkDocs pages and never in the nav: they are
rendered here from the catalog, so the build stays linear in the number of stories.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from jinja2 import pass_context
from mkdocs.utils import CountHandler

from site_builder import publish
from site_builder.build import BuildOptions, SiteBuild, prepare_build
from site_builder.content import ContentErrors
from site_builder.images import ImageErrors
from site_builder.render import PageRenderer
from site_builder.search import SearchIndexError
from site_builder.settings import SettingsError, parse_settings

log = logging.getLogger("mkdocs.plugins.site_builder")

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


class _OrganisationConfig(Config):
    name = opt.Type(str)
    logo = opt.Type(str, default="")
    address = opt.Type(str, default="")
    phone = opt.Type(str, default="")
    email = opt.Type(str, default="")


class _FeedbackConfig(Config):
    email = opt.Type(str, default="")
    form_url = opt.Type(str, default="")


class SiteBuilderConfig(Config):
    """`plugins: - site_builder: ...` options (validated again, in full, by `SiteSettings`)."""

    organisation = opt.SubConfig(_OrganisationConfig)
    feedback = opt.SubConfig(_FeedbackConfig)
    footer_links = opt.Type(list, default=[])
    per_page = opt.Type(int, default=24)
    related_count = opt.Type(int, default=5)
    latest_count = opt.Type(int, default=5)
    featured_count = opt.Type(int, default=4)
    content_dir = opt.Type(str, default="content")
    images_dir = opt.Type(str, default="images")
    drafts = opt.Type(bool, default=False)
    future = opt.Type(bool, default=False)
    images = opt.Type(dict, default={})
    social_cards = opt.Type((str, bool), default="auto")  # auto | all | off (a bare YAML `off` is false)
    atomic = opt.Type(bool, default=True)


class SiteBuilderPlugin(BasePlugin[SiteBuilderConfig]):
    """Registers as `site_builder` (entry point in pyproject.toml)."""

    def __init__(self) -> None:
        self._command = "build"
        self._site_dir: Path | None = None
        self._staging: Path | None = None
        self._build: SiteBuild | None = None
        self._started = 0.0
        self.summary: dict[str, Any] = {}
        self._warnings = CountHandler()

    # --- lifecycle -----------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._command = command

    def on_config(self, config):
        self._started = time.monotonic()
        raw = dict(self.config)
        raw.pop("atomic")
        raw["site_name"] = config.site_name
        raw["site_url"] = config.site_url or ""
        raw["site_description"] = config.site_description or ""
        if self._command == "serve":
            raw["drafts"] = True
        try:
            self.settings = parse_settings(raw)
        except SettingsError as exc:
            raise PluginError(f"Invalid site settings in {config.config_file_path}:\n{exc}") from None
        self.root = Path(config.config_file_path).resolve().parent
        config.extra.setdefault("homepage", ".")  # the logo links home; generated pages are not in the nav
        logging.getLogger("mkdocs").removeHandler(self._warnings)
        self._warnings = CountHandler()
        self._warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(self._warnings)
        if self._command == "build" and self.config.atomic:
            self._site_dir = Path(config.site_dir).resolve()
            self._staging = publish.staging_dir_for(self._site_dir)
            config.site_dir = str(self._staging)
        return config

    def on_files(self, files, *, config):
        """Drop content sources from MkDocs' files and load/validate them ourselves; drop the
        theme's lunr language files too (34 files, ~1 MB: search is Pagefind, Material's search
        plugin is not used)."""
        dropped = ("stories/", "profiles/", "vocabularies/", "assets/javascripts/lunr/")
        for file in list(files):
            if file.src_uri.startswith(dropped):
                files.remove(file)
        try:
            # The search index needs only the catalog: it starts at once, beside the photos,
            # MkDocs' own work (copying the theme's files) and the page rendering.
            self._build = prepare_build(
                self.root, self.settings, BuildOptions.from_settings(self.settings),
                site_dir=Path(config.site_dir), parallel=self._command != "serve",
            )
        except (ContentErrors, ImageErrors) as exc:
            raise PluginError(str(exc)) from None
        except SearchIndexError as exc:
            raise PluginError(f"Search index: {exc}") from None
        for warning in self._build.warnings:
            log.warning(str(warning))
        return files

    def on_nav(self, nav, *, config, files):
        self._nav = nav
        return nav

    def on_env(self, env, *, config, files):
        self._env = env
        return env

    @event_priority(-100)
    def on_post_build(self, *, config) -> None:
        assert self._build is not None
        site_dir = Path(config.site_dir)
        try:
            count = self._build.write(site_dir, self._renderer(config), parallel=self._command != "serve")
        except SearchIndexError as exc:
            raise PluginError(f"Search index: {exc}") from None
        self.summary = {
            "stories": len(self._build.catalog.stories),
            "pages": count,
            "warnings": len(self._build.warnings),
            "seconds": round(time.monotonic() - self._started, 2),
        }
        log.info(
            "Gương Sáng: %(stories)d bài viết, %(pages)d trang, %(warnings)d cảnh báo, %(seconds).2f giây",
            self.summary,
        )
        if self._staging is not None and self._site_dir is not None:
            if config.strict and self._warnings.get_counts():
                raise PluginError("Strict mode: warnings were logged, the previous site is kept.")
            publish.swap_into_place(self._staging, self._site_dir)
            config.site_dir = str(self._site_dir)
            self._staging = None

    def on_build_error(self, *, error: Exception) -> None:
        if self._build is not None:
            self._build.abort()
        if self._staging is not None:
            publish.discard(self._staging)
            self._staging = None

    def on_serve(self, server, *, config, builder):
        for folder in (self.settings.images_dir, "themes"):
            path = self.root / folder
            if path.is_dir():
                server.watch(str(path))
        return server

    # --- rendering -----------------------------------------------------------------

    def _renderer(self, config) -> PageRenderer:
        """A PageRenderer backed by the theme's Jinja environment (Material + our overrides)."""
        import mkdocs
        from mkdocs.utils import get_build_datetime

        common = {
            "config": config,
            "nav": self._nav,
            "pages": [],
            "mkdocs_version": mkdocs.__version__,
            "build_date_utc": get_build_datetime(),
            "extra_css": [],
            "extra_javascript": [],
        }
        return PageRenderer(
            self._env, common, config.site_url or "", config.site_name, config.site_description or "",
            prepare_env=_keep_script_tags,
        )


def _keep_script_tags(env) -> None:
    """Material's `script_tag` filter returns plain HTML strings; under autoescaping they must be Markup."""
    from markupsafe import Markup

    script_tag = env.filters["script_tag"]

    @pass_context
    def safe_script_tag(context, value):
        return Markup(script_tag(context, value))

    env.filters["script_tag"] = safe_script_tag

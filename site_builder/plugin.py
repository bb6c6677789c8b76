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
from mkdocs.utils import CountHandler, get_relative_url, normalize_url

from site_builder import publish
from site_builder.build import BuildOptions, SiteBuild, prepare_build
from site_builder.content import ContentErrors
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
    per_page = opt.Type(int, default=12)
    related_count = opt.Type(int, default=5)
    latest_count = opt.Type(int, default=5)
    featured_count = opt.Type(int, default=4)
    content_dir = opt.Type(str, default="content")
    images_dir = opt.Type(str, default="images")
    drafts = opt.Type(bool, default=False)
    future = opt.Type(bool, default=False)
    atomic = opt.Type(bool, default=True)


class _PageView:
    """What Material's base template reads from `page` for a generated page."""

    def __init__(self, url: str, title: str, description: str, canonical_url: str | None) -> None:
        self.url = url
        self.title = title
        self.meta = {"description": description} if description else {}
        self.canonical_url = canonical_url
        self.is_homepage = url == ""
        self.toc: list = []
        self.previous_page = None
        self.next_page = None
        self.edit_url = None
        self.ancestors: list = []
        self.content = ""


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
        """Drop content sources from MkDocs' files and load/validate them ourselves."""
        content_prefixes = ("stories/", "profiles/", "vocabularies/")
        for file in list(files):
            if file.src_uri.startswith(content_prefixes):
                files.remove(file)
        try:
            self._build = prepare_build(self.root, self.settings, BuildOptions.from_settings(self.settings))
        except ContentErrors as exc:
            raise PluginError(str(exc)) from None
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
        count = self._build.write(site_dir, self._render_with(config))
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

    def _render_with(self, config):
        """Return `render(template, url, title, description, context) -> html` using the theme env."""
        import mkdocs
        from mkdocs.utils import get_build_datetime

        env = _escaping_env(self._env)
        site_url = (config.site_url or "").rstrip("/") + "/" if config.site_url else ""
        common = {
            "config": config,
            "nav": self._nav,
            "pages": [],
            "mkdocs_version": mkdocs.__version__,
            "build_date_utc": get_build_datetime(),
        }
        templates: dict[str, Any] = {}

        def render(template: str, url: str, title: str, description: str, context: dict) -> str:
            if template not in templates:
                templates[template] = env.get_template(template)
            page = _PageView(url, title, description, site_url + url if site_url else None)
            base_url = get_relative_url(".", url or ".")
            ctx = dict(common)
            ctx.update(
                page=page,
                base_url=base_url,
                extra_css=[normalize_url(path, page) for path in config.extra_css],
                extra_javascript=[normalize_url(str(script), page) for script in config.extra_javascript],
                gs=context,
            )
            return templates[template].render(ctx)

        return render



def _escaping_env(env):
    """Our templates render with autoescaping on: every value is HTML-escaped unless marked safe.

    Material's `script_tag` filter returns a plain string of HTML; in the overlay it
    returns Markup so the script tags it builds are kept.
    """
    from markupsafe import Markup

    overlay = env.overlay(autoescape=True)
    overlay.filters = dict(env.filters)
    script_tag = env.filters["script_tag"]

    def safe_script_tag(context, value):
        return Markup(script_tag(context, value))

    safe_script_tag.jinja_pass_arg = script_tag.jinja_pass_arg  # keep @pass_context
    overlay.filters["script_tag"] = safe_script_tag
    return overlay

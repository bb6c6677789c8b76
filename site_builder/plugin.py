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

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from jinja2 import pass_context
from mkdocs.utils import CountHandler

from site_builder import publish
from site_builder.i18n import N_, _
from site_builder.assets import FINGERPRINTED_SUFFIXES
from site_builder.build import BuildFailure, BuildOptions, PageFailure, SiteBuild, prepare_build
from site_builder.faults import checkpoint
from site_builder.files import DiskFull
from site_builder.processes import ChildFailed
from site_builder.content import ContentErrors
from site_builder.images import ImageErrors
from site_builder.render import PageRenderer
from site_builder.routes.registry import Producer, RouteConflicts, RouteRegistry
from site_builder.search import SearchIndexError
from site_builder.settings import SettingsError, settings_from_mkdocs

log = logging.getLogger("mkdocs.plugins.site_builder")

#: What the pipeline raises for problems the build's output explains (each with a message for editors).
BUILD_ERRORS = (ContentErrors, ImageErrors, RouteConflicts, BuildFailure, PageFailure, ChildFailed, DiskFull,
                SearchIndexError)

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def mkdocs_outputs(files, config, root: Path) -> RouteRegistry:
    """A registry holding the files MkDocs writes itself: the content folder's pages and files,
    the theme's assets and its static pages (404.html)."""
    registry = RouteRegistry()
    docs = Path(config.docs_dir).resolve()
    for file in files:
        source = Path(file.abs_src_path).resolve() if file.abs_src_path else None
        if source is not None and source.is_relative_to(docs):
            producer = Producer.file(source, root)
        elif file.generated_by:
            producer = Producer.generated(N_("a file made by {plugin}"), plugin=str(file.generated_by))
        else:
            producer = Producer.generated(N_("the theme's file {name}"), name=file.src_uri)
        registry.claim(file.dest_uri, producer)
    for name in sorted(config.theme.static_templates):
        registry.claim(name, Producer.generated(N_("the theme's page {name}"), name=name))
    return registry


def own_sitemap(config) -> None:
    """Our build writes sitemap.xml with every generated page: the theme's template is neither
    rendered (not a static template) nor copied (`content_files` drops it)."""
    config.theme.static_templates.discard("sitemap.xml")


def content_files(files, config) -> None:
    """Leave out of MkDocs' files what our build makes itself: the content's sources (stories,
    profiles, vocabularies), the theme's lunr language files (34 files, ~1 MB: search is Pagefind,
    Material's search plugin is not used) and its sitemap template (ours lists every page)."""
    dropped = ("stories/", "profiles/", "vocabularies/", "assets/javascripts/lunr/")
    docs = Path(config.docs_dir).resolve()
    for file in list(files):
        from_theme = not (file.abs_src_path and Path(file.abs_src_path).resolve().is_relative_to(docs))
        if file.src_uri.startswith(dropped) or (from_theme and file.src_uri == "sitemap.xml"):
            files.remove(file)


def fingerprinted_files(files, config) -> dict[str, Path]:
    """Take the custom theme's CSS and JavaScript out of MkDocs' files: our build publishes them under
    content-hash names (`site_builder.assets`). Returns their site paths and source files."""
    theme_dir = config.theme.custom_dir
    if not theme_dir:
        return {}
    theme = Path(theme_dir).resolve()
    docs = Path(config.docs_dir).resolve()
    taken = {}
    for file in list(files):
        source = Path(file.abs_src_path).resolve() if file.abs_src_path else None
        if (source is not None and source.is_relative_to(theme) and not source.is_relative_to(docs)
                and file.dest_uri.endswith(FINGERPRINTED_SUFFIXES)):
            taken[file.dest_uri] = source
            files.remove(file)
    return taken


def use_fingerprints(config, fingerprints) -> None:
    """Point `extra_css` and `extra_javascript` at the fingerprinted names."""
    config.extra_css = [fingerprints(path) for path in config.extra_css]
    for i, script in enumerate(config.extra_javascript):
        if isinstance(script, str):
            config.extra_javascript[i] = fingerprints(script)
        else:
            script.path = fingerprints(script.path)


class SiteBuilderPlugin(BasePlugin):
    """Registers as `site_builder` (entry point in pyproject.toml).

    Its options are the fields of `site_builder.settings.SiteSettings` (`plugin_options()`):
    MkDocs passes them through untouched (`load_config`) and `on_config` validates them with
    the rest of the settings, so each setting is declared once.
    """

    def __init__(self) -> None:
        self.config: dict[str, Any] = {}
        self.overrides: dict[str, Any] = {}  # set by the CLI: drafts, future
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

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None):
        """Keep the options as written: `on_config` validates them with `SiteSettings`."""
        self.config = dict(options)
        return [], []

    def on_config(self, config):
        self._started = time.monotonic()
        options = {**self.config, **self.overrides}
        if self._command == "serve":
            options["drafts"] = True
            options["precompress"] = False
        try:
            self.settings = settings_from_mkdocs(options, config, config.config_file_path)
        except SettingsError as exc:
            raise PluginError(str(exc)) from None
        checkpoint("config")
        if not self.settings.site_url:
            problem = SettingsError.missing_site_url(Path(config.config_file_path).name)
            if self._command != "serve":
                raise PluginError(str(problem))
            log.warning(str(problem))
        self.root = Path(config.config_file_path).resolve().parent
        config.extra.setdefault("homepage", ".")  # the logo links home; generated pages are not in the nav
        logging.getLogger("mkdocs").removeHandler(self._warnings)
        self._warnings = CountHandler()
        self._warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(self._warnings)
        own_sitemap(config)
        if self._command == "build" and self.settings.atomic:
            self._site_dir = Path(config.site_dir).resolve()
            self._staging = publish.staging_dir_for(self._site_dir)
            config.site_dir = str(self._staging)
        return config

    def on_files(self, files, *, config):
        """Take out of MkDocs' files what our build makes (`content_files`), then load, validate
        and claim everything."""
        content_files(files, config)
        theme_sources = fingerprinted_files(files, config)
        try:
            # The search index needs only the catalog: it starts at once, beside the photos,
            # MkDocs' own work (copying the theme's files) and the page rendering.
            self._build = prepare_build(
                self.root, self.settings, BuildOptions.from_settings(self.settings),
                site_dir=Path(config.site_dir), parallel=self._command != "serve",
                registry=mkdocs_outputs(files, config, self.root), theme_sources=theme_sources,
            )
        except BUILD_ERRORS as exc:
            raise PluginError(str(exc)) from None
        for warning in self._build.warnings:
            log.warning(str(warning))
        use_fingerprints(config, self._build.fingerprints)
        return files

    def on_nav(self, nav, *, config, files):
        self._nav = nav
        return nav

    def on_env(self, env, *, config, files):
        checkpoint("mkdocs.env")
        self._env = env
        env.filters["asset"] = self._build.fingerprints if self._build is not None else str
        return env

    @event_priority(-100)
    def on_post_build(self, *, config) -> None:
        assert self._build is not None
        site_dir = Path(config.site_dir)
        try:
            count = self._build.write(site_dir, self._renderer(config), parallel=self._command != "serve")
            finishing = time.monotonic()
            self._build.finish(site_dir, parallel=self._command != "serve")
            finished = time.monotonic() - finishing
        except BUILD_ERRORS as exc:
            raise PluginError(str(exc)) from None
        self.summary = {
            "stories": len(self._build.catalog.stories),
            "pages": count,
            "warnings": len(self._build.warnings),
            "seconds": round(time.monotonic() - self._started, 2),
            "finish_seconds": round(finished, 2),  # precompression and the CSP's scan (bench/deploy.py)
        }
        log.info(_("Gương Sáng: {stories} stories, {pages} pages, {warnings} warnings, {seconds:.2f} seconds")
                 .format(**self.summary))
        if self._staging is not None and self._site_dir is not None:
            if config.strict and self._warnings.get_counts():
                raise PluginError(_("--strict: the build gave warnings, so the site built before is kept. Correct "
                                    "the warnings above, then build again."))
            checkpoint("publish.before")
            publish.swap_into_place(self._staging, self._site_dir)
            checkpoint("publish.after")
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

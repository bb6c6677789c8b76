"""The build pipeline without MkDocs: content → catalog → pages → files.

`prepare_build` loads and validates everything (raising ContentErrors with every
problem); `SiteBuild.write` renders pages with a caller-supplied render function
(the MkDocs adapter passes one backed by the theme) and writes the outputs.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from site_builder import fonts
from site_builder.catalog import Catalog, build_catalog
from site_builder.content import ContentErrors, ContentIssue, validate_content
from site_builder.markdown_render import MarkdownRenderer
from site_builder.pages.generate import PageGenerator, PageSpec, now_in_vietnam
from site_builder.pages.photos import PhotoViews
from site_builder.settings import SiteSettings

# render(template, url, title, description, data) -> html
RenderFunction = Callable[[str, str, str, str, dict], str]


@dataclass(frozen=True)
class BuildOptions:
    drafts: bool = False
    future: bool = False
    now: dt.datetime | None = None

    @classmethod
    def from_settings(cls, settings: SiteSettings) -> "BuildOptions":
        return cls(drafts=settings.drafts, future=settings.future)


class SiteBuild:
    """A validated site, ready to be written."""

    def __init__(self, root: Path, settings: SiteSettings, catalog: Catalog, warnings: list[ContentIssue]) -> None:
        self.root = root
        self.settings = settings
        self.catalog = catalog
        self.warnings = warnings
        self.photos = PhotoViews(root / settings.images_dir)
        self.photos.prepare(catalog)
        self._markdown = MarkdownRenderer()

    def pages(self) -> PageGenerator:
        return PageGenerator(self.catalog, self.settings, self.photos, self._markdown.convert)

    def write(self, site_dir: Path, render: RenderFunction) -> int:
        """Render every page into `site_dir`; returns the number of HTML pages written."""
        count = 0
        progress = _Progress(len(self.catalog.stories))
        for spec in self.pages().all():
            _write_page(site_dir, spec, render(spec.template, spec.url, spec.title, spec.description, spec.data))
            count += 1
            progress.advance(spec)
        progress.close()
        self.photos.publish(site_dir)
        fonts.publish_fonts(self.root / ".cache" / "fonts", site_dir / "assets" / "fonts")
        return count


def _write_page(site_dir: Path, spec: PageSpec, html: str) -> None:
    target = site_dir / spec.url / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")


class _Progress:
    """A progress bar on long runs when stderr is a terminal; silent otherwise."""

    def __init__(self, stories: int) -> None:
        self._bar = None
        if stories >= 500 and sys.stderr.isatty():
            from rich.progress import Progress

            self._bar = Progress(transient=True)
            self._bar.start()
            self._task = self._bar.add_task("Đang dựng trang", total=stories)

    def advance(self, spec: PageSpec) -> None:
        if self._bar is not None and spec.template == "gs/story.html":
            self._bar.advance(self._task)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def prepare_build(root: Path, settings: SiteSettings, options: BuildOptions) -> SiteBuild:
    """Load, validate and index the content; raise ContentErrors listing every problem."""
    content, issues = validate_content(root)
    errors = [i for i in issues if i.is_error]
    if errors:
        raise ContentErrors(issues)
    warnings = [i for i in issues if not i.is_error]
    catalog = build_catalog(
        content, options.now or now_in_vietnam(), include_drafts=options.drafts, include_future=options.future
    )
    return SiteBuild(root, settings, catalog, warnings)

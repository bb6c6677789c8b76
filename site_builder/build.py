"""The build pipeline without MkDocs: content → catalog → pages → files.

`prepare_build` loads and validates everything (raising ContentErrors with every
problem); `SiteBuild.write` renders pages with a caller-supplied render function
(the MkDocs adapter passes one backed by the theme) and writes the outputs.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from site_builder import fonts
from site_builder import vietnamese as vi
from site_builder.catalog import Catalog, build_catalog
from site_builder.content import ContentErrors, ContentIssue, validate_content
from site_builder.images.social import CardRequest, SocialCards
from site_builder.markdown_render import MarkdownRenderer
from site_builder.outputs.sitemap import write_sitemap
from site_builder.pages.generate import PAGE_TEMPLATES, PageGenerator, PageSpec, now_in_vietnam
from site_builder.pages.photos import PhotoViews
from site_builder.progress import ProgressBar
from site_builder.search import build_search_index
from site_builder.settings import SiteSettings, image_settings


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
        self.photos = PhotoViews(root, settings.images_dir, image_settings(settings.images))
        self.photos.prepare(catalog)
        self.cards = SocialCards(self.photos.pipeline, settings.site_name, root / ".cache" / "cards")
        self.card_urls = self.cards.render_all(
            [
                CardRequest(s.slug, s.title, vi.format_date(s.published_at), s.cover.src if s.cover else None)
                for s in catalog.stories
                if settings.wants_social_card(s.cover is not None)
            ]
        )
        self._markdown = MarkdownRenderer(self.photos)

    def pages(self) -> PageGenerator:
        return PageGenerator(self.catalog, self.settings, self.photos, self._markdown.convert, self.card_urls)

    def write(self, site_dir: Path, renderer: "Renderer", parallel: bool = True) -> int:
        """Render every page into `site_dir` and write the other outputs; returns the number of HTML pages.

        With `parallel`, the search index (mostly the Pagefind binary's work) is built in a
        forked process while pages render, and large sites are rendered by forked workers,
        each taking every k-th page (they share the catalog by copy-on-write, nothing is pickled).
        """
        tasks = list(self.pages().tasks())
        renderer.warm_up(PAGE_TEMPLATES)
        _make_folders(site_dir, [t.url for t in tasks])
        workers = _worker_count(len(tasks)) if parallel else 1
        context = multiprocessing.get_context("fork")
        children = []
        if parallel:
            children.append(context.Process(target=build_search_index, args=(self.catalog, site_dir, self.root)))
        children += [
            context.Process(target=_render_share, args=(tasks, k, workers, site_dir, renderer, None))
            for k in range(1, workers)
        ]
        for child in children:
            child.start()
        try:
            _render_share(tasks, 0, workers, site_dir, renderer, _Progress(len(tasks), scale=workers))
        finally:
            for child in children:
                child.join()
        failed = [c.exitcode for c in children if c.exitcode != 0]
        if failed:
            raise RuntimeError(f"{len(failed)} build worker(s) failed (exit codes {failed}); see the messages above")
        if not parallel:
            build_search_index(self.catalog, site_dir, self.root)
        self.photos.publish(site_dir)
        self.cards.publish(site_dir)
        write_sitemap(site_dir, self.settings.site_url, [t.url for t in tasks], self.catalog)
        fonts.publish_fonts(self.root / ".cache" / "fonts", site_dir / "assets" / "fonts")
        return len(tasks)


class Renderer(Protocol):
    def render(self, spec: PageSpec) -> str: ...

    def warm_up(self, templates: set[str]) -> None: ...


MIN_PAGES_PER_WORKER = 400


def _worker_count(pages: int) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, pages // MIN_PAGES_PER_WORKER))


def _render_share(tasks, k: int, workers: int, site_dir: Path, renderer: "Renderer", progress) -> None:
    """Render tasks k, k+workers, k+2*workers, ... (runs in the parent or a forked worker)."""
    for task in tasks[k::workers]:
        spec = task.build()
        _write_page(site_dir, spec.url, renderer.render(spec))
        if progress is not None:
            progress.advance()
    if progress is not None:
        progress.close()


def _make_folders(site_dir: Path, urls: list[str]) -> None:
    """Create every page's folder once, parents first (workers then only write files)."""
    made = {""}
    for url in sorted(urls):
        parts = url.strip("/").split("/") if url else []
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth])
            if folder not in made:
                os.makedirs(os.path.join(site_dir, folder), exist_ok=True)
                made.add(folder)


def _write_page(site_dir: Path, url: str, html: str) -> None:
    with open(os.path.join(site_dir, url, "index.html"), "w", encoding="utf-8") as out:
        out.write(html)


class _Progress:
    """A progress bar on long runs when stderr is a terminal; silent otherwise.

    With several workers the parent sees only its share and advances by `scale`.
    """

    def __init__(self, pages: int, scale: int = 1) -> None:
        self._scale = scale
        self._bar = ProgressBar("Trang", pages) if pages >= 1000 and sys.stderr.isatty() else None

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(steps=self._scale)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


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

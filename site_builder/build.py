"""The build pipeline without MkDocs: content → catalog → pages → files.

`prepare_build` loads and validates everything (raising ContentErrors with every
problem); `SiteBuild.write` renders pages with a caller-supplied render function
(the MkDocs adapter passes one backed by the theme) and writes the outputs.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from site_builder import fonts
from site_builder import vietnamese as vi
from site_builder.catalog import Catalog, build_catalog
from site_builder.content import ContentErrors, ContentIssue, validate_content
from site_builder.content.models import Story
from site_builder.images.social import CardRequest, SocialCards
from site_builder.markdown_render import MarkdownRenderer
from site_builder.outputs.sitemap import write_sitemap
from site_builder.pages import views
from site_builder.pages.generate import PAGE_TEMPLATES, PageGenerator, PageSpec, now_in_vietnam
from site_builder.pages.photos import PhotoViews
from site_builder.progress import ProgressBar
from site_builder.search import SearchIndexError, binary_version, build_search_index, find_binary
from site_builder.search.compat import page_preloads
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
    """A validated site, ready to be written (see `prepare_build`)."""

    def __init__(self, root: Path, settings: SiteSettings, catalog: Catalog, warnings: list[ContentIssue]) -> None:
        self.root = root
        self.settings = settings
        self.catalog = catalog
        self.warnings = warnings
        self.photos = PhotoViews(root, settings.images_dir, image_settings(settings.images))
        self.cards = SocialCards(self.photos.pipeline, settings.site_name, root / ".cache" / "cards")
        self.card_urls: dict[str, str] = {}
        self._markdown = MarkdownRenderer(self.photos)
        self._outputs: multiprocessing.process.BaseProcess | _Done | None = None
        self._search_failures: Any = None  # the search process's end of a pipe: its failure message
        self._search_tool: tuple[Path, str] | None = None

    def prepare_media(self) -> None:
        """Process every photo the pages show and draw the social cards they need (raises ImageErrors)."""
        self.photos.prepare(self.catalog)
        self.card_urls = self.cards.render_all(
            [
                CardRequest(s.slug, s.title, vi.format_date(s.published_at), s.cover.src if s.cover else None)
                for s in self.catalog.stories
                if self.settings.wants_social_card(self._has_shareable_cover(s))
            ]
        )

    def _has_shareable_cover(self, story: Story) -> bool:
        image = self.photos.get(story.cover.src) if story.cover else None
        return image is not None and views.shareable(image)

    def pages(self) -> PageGenerator:
        return PageGenerator(self.catalog, self.settings, self.photos, self._markdown.convert, self.card_urls,
                             search_preloads=page_preloads(self.search_tool()[1]))

    def search_tool(self) -> tuple[Path, str]:
        """The Pagefind binary and its version, found once (raises SearchIndexError saying what to install)."""
        if self._search_tool is None:
            binary = find_binary(self.root)
            self._search_tool = (binary, binary_version(binary))
        return self._search_tool

    def start_outputs(self, site_dir: Path, parallel: bool = True) -> None:
        """Start the search index, which needs only the catalog.

        With `parallel` it is built in a forked process (mostly the Pagefind binary's work)
        while the caller goes on; `write` waits for it. `prepare_build` starts it as soon as
        the catalog exists, so it runs beside the photos, MkDocs' own work and the pages.
        """
        if self._outputs is not None:
            return
        binary, _ = self.search_tool()
        if not parallel:
            self._outputs = _Done()
            _index_search(self.catalog, site_dir, self.root, binary, None)
            return
        gc.freeze()  # the forked process's GC then leaves the shared objects' pages alone (fewer copies)
        context = multiprocessing.get_context("fork")
        self._search_failures, failures = context.Pipe(duplex=False)
        self._outputs = context.Process(target=_index_search, name="gs-search-index",
                                        args=(self.catalog, site_dir, self.root, binary, failures))
        self._outputs.start()
        failures.close()

    def abort(self) -> None:
        """Stop the search index's process of a build that failed elsewhere."""
        if self._outputs is not None and not isinstance(self._outputs, _Done):
            self._outputs.terminate()
            self._outputs.join()
        gc.unfreeze()

    def write(self, site_dir: Path, renderer: "Renderer", parallel: bool = True) -> int:
        """Render every page into `site_dir` and write the other outputs; returns the number of HTML pages.

        With `parallel`, large sites are rendered by forked workers, each taking every k-th
        page and making its own pages' folders (they share the catalog by copy-on-write,
        nothing is pickled), while the search index (`start_outputs`) is built beside them.
        """
        generator = self.pages()
        tasks = list(generator.tasks())
        renderer.warm_up(PAGE_TEMPLATES, [generator.card(s) for s in self.catalog.stories])
        self.start_outputs(site_dir, parallel)
        workers = _worker_count(len(tasks)) if parallel else 1
        if workers > 1:
            gc.freeze()  # see start_outputs
        context = multiprocessing.get_context("fork")
        children = [
            context.Process(target=_render_share, args=(tasks, k, workers, site_dir, renderer, None))
            for k in range(1, workers)
        ]
        for child in children:
            child.start()
        try:
            _render_share(tasks, 0, workers, site_dir, renderer, _Progress(len(tasks), scale=workers))
            fonts.publish_fonts(self.root / ".cache" / "fonts", site_dir / "assets" / "fonts")
        finally:
            for child in children:
                child.join()
            assert self._outputs is not None
            self._outputs.join()
            gc.unfreeze()  # the build's objects may be collected again (a process may build more than once)
        failed = [c.exitcode for c in children if c.exitcode != 0]
        pages = f"{len(failed)} page worker(s) failed (exit codes {failed}); see the messages above" if failed else ""
        if self._outputs.exitcode != 0:
            raise SearchIndexError("\n".join(filter(None, [self._search_failure(), pages])))
        if failed:
            raise RuntimeError(pages)
        self.photos.publish(site_dir)
        self.cards.publish(site_dir)
        write_sitemap(site_dir, self.settings.site_url, [t.url for t in tasks], self.catalog)
        return len(tasks)

    def _search_failure(self) -> str:
        """Why the search process failed: its own message, else how it ended."""
        code = self._outputs.exitcode if self._outputs is not None else None
        try:
            if self._search_failures is not None and self._search_failures.poll():
                return self._search_failures.recv()
        except EOFError:  # it ended without a word
            pass
        if code is not None and code < 0:
            return f"the search index process was killed by {signal.Signals(-code).name}"
        return f"the search index process exited with code {code}"


def _index_search(catalog: Catalog, site_dir: Path, root: Path, binary: Path, failures) -> None:
    """Build the search index (in the cache) and publish it into `site_dir`. In a forked process,
    a failure's message also goes to the parent through `failures` (one end of a pipe)."""
    try:
        build_search_index(catalog, root, binary).publish(site_dir)
    except SearchIndexError as exc:
        if failures is None:
            raise
        failures.send(str(exc))  # the parent raises it: no traceback here
        raise SystemExit(1) from None
    except BaseException as exc:
        if failures is not None:
            failures.send(f"{type(exc).__name__}: {exc} (the traceback is above)")
        raise


class _Done:
    """Stands for a finished process when the search index was built in this one."""

    exitcode = 0

    def join(self) -> None:
        pass


class Renderer(Protocol):
    def render(self, spec: PageSpec) -> str: ...

    def warm_up(self, templates: set[str], cards: Iterable[dict[str, Any]] = ()) -> None: ...


MIN_PAGES_PER_WORKER = 400


def _worker_count(pages: int) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, pages // MIN_PAGES_PER_WORKER))


def _render_share(tasks, k: int, workers: int, site_dir: Path, renderer: "Renderer", progress) -> None:
    """Render tasks k, k+workers, k+2*workers, ... (runs in the parent or a forked worker).

    Each share makes its own pages' folders, so the file system's latency is spread
    over the workers too (`os.makedirs` tolerates a folder another worker just made).
    """
    for task in tasks[k::workers]:
        folder = os.path.join(site_dir, task.url)
        os.makedirs(folder, exist_ok=True)
        spec = task.build()
        _write_page(folder, renderer.render(spec))
        if progress is not None:
            progress.advance()
    if progress is not None:
        progress.close()


def _write_page(folder: str, html: str) -> None:
    with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as out:
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


def prepare_build(
    root: Path, settings: SiteSettings, options: BuildOptions, site_dir: Path | None = None, parallel: bool = True
) -> SiteBuild:
    """Load, validate and index the content, process the photos; raise ContentErrors or
    ImageErrors listing every problem.

    With `site_dir`, the search index starts (`SiteBuild.start_outputs`) as soon as the
    catalog exists, before the photos are processed. With `parallel`, the fonts are subset
    (on a cold cache) beside the validation, which leaves the other cores idle.
    """
    if parallel:
        fonts.prepare_in_background(root / ".cache" / "fonts")
    content, issues = validate_content(root)
    errors = [i for i in issues if i.is_error]
    if errors:
        raise ContentErrors(issues)
    warnings = [i for i in issues if not i.is_error]
    catalog = build_catalog(
        content, options.now or now_in_vietnam(), include_drafts=options.drafts, include_future=options.future
    )
    build = SiteBuild(root, settings, catalog, warnings)
    if site_dir is not None:
        build.start_outputs(site_dir, parallel)
    try:
        build.prepare_media()
    except BaseException:
        build.abort()
        raise
    return build

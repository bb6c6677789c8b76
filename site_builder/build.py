"""The build pipeline without MkDocs: content → catalog → routes → photos, pages, outputs.

`prepare_build` loads and validates everything (raising ContentErrors with every
problem), claims every output path in the route registry (raising RouteConflicts when
two producers claim one), starts the search index and processes the photos.
`SiteBuild.write` renders the pages with a caller-supplied renderer (the MkDocs adapter
passes one backed by the theme) and writes every output through the one writer.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from site_builder import fonts
from site_builder.assets import Fingerprints, ThemeAsset, font_names, theme_assets
from site_builder.compress import CompressionCache, precompressed, siblings
from site_builder.faults import checkpoint
from site_builder import vietnamese as vi
from site_builder.i18n import N_, _
from site_builder.catalog import Catalog, build_catalog
from site_builder.content import ContentErrors, ContentIssue, validate_content
from site_builder.content.models import ContentSet, Photo, Profile, Story
from site_builder.images import CardRequest, ImagePipeline, check_references
from site_builder.bodies import Bodies
from site_builder.outputs import OUTPUTS, OutputContext, OutputPlan, server_rules
from site_builder.outputs.csp import inline_script_hashes
from site_builder.pages import present
from site_builder.pages.generate import PAGE_TEMPLATES, PageGenerator, PageSpec, PageTask
from site_builder.pages.photos import PhotoViews
from site_builder.processes import ChildProcess, cores, describe
from site_builder.progress import ProgressBar
from site_builder.routes import urls
from site_builder.routes.registry import Producer, RouteRegistry
from site_builder.search import binary_version, build_search_index, find_binary
from site_builder.search.compat import page_preloads
from site_builder.settings import SiteSettings, image_settings
from site_builder.takedown.purge import (audit_site, forget_in_search_cache, forget_photos, leak_report,
                                         withdrawn_traces)
from site_builder.takedown.traces import Traces, item_photos
from site_builder.writer import SiteWriter

#: Producers of the outputs that are not pages.
IMAGES = Producer.generated(N_("the site's photos (resized photos and social cards)"))
FONTS = Producer.generated(N_("the site's fonts (Be Vietnam Pro)"))
SEARCH = Producer.generated(N_("the search index (Pagefind)"))
ASSETS = Producer.generated(N_("the theme's styles and scripts (fingerprinted)"))
PRECOMPRESSED = Producer.generated(N_("the precompressed copies (.br, .gz) of the site's text files"))
SERVER_RULES = Producer.generated(N_("the rules for the web server (_server/rules.json)"))


class BuildFailure(RuntimeError):
    """A part of the build failed; the message says which part and why (for the build's output)."""


@dataclass(frozen=True)
class BuildOptions:
    drafts: bool = False
    future: bool = False
    now: dt.datetime | None = None

    @classmethod
    def from_settings(cls, settings: SiteSettings) -> "BuildOptions":
        return cls(drafts=settings.drafts, future=settings.future)


class SiteBuild:
    """A validated site whose outputs are claimed, ready to be written (see `prepare_build`)."""

    def __init__(self, root: Path, settings: SiteSettings, catalog: Catalog, warnings: list[ContentIssue],
                 registry: RouteRegistry | None = None, theme_sources: dict[str, Path] | None = None) -> None:
        self.root = root
        self.settings = settings
        self.catalog = catalog
        self.warnings = warnings
        self.registry = registry if registry is not None else RouteRegistry()
        self.photos = PhotoViews(root, settings.images_dir, image_settings(settings.images))
        self.card_urls: dict[str, str] = {}
        self.bodies = Bodies(root / ".cache" / "bodies", root, settings.images_dir)
        self._search_tool: tuple[Path, str] | None = None
        self._generator = PageGenerator(catalog, settings, self.photos, self._body_html, self.card_urls, root,
                                        search_preloads=page_preloads(self.search_tool()[1]),
                                        built=self.registry.__contains__)
        self._tasks: list[PageTask] = []
        self._search: ChildProcess | _Done | None = None
        self._outputs: ChildProcess | None = None  # the outputs' worker, on a large site (`start_outputs`)
        self.assets: list[ThemeAsset] = theme_assets(theme_sources or {})
        self.fingerprints = Fingerprints({**font_names(), **{a.path: a.published for a in self.assets}})
        self.takedown: list[Traces] = []  # what identifies each withdrawn item (`forget_withdrawn`)

    @property
    def font_cache(self) -> Path:
        return self.root / ".cache" / "fonts"

    def claim_routes(self) -> None:
        """Claim every page and fixed output in the registry (photos and cards: `prepare_media`)."""
        self._tasks = list(self._generator.tasks())
        claim_outputs(self.registry, self._tasks, self.output_plan())
        for asset in self.assets:
            self.registry.claim(asset.published, ASSETS)

    def claim_precompressed(self) -> None:
        """With `precompress`, claim the .br and .gz siblings of every claimed text file (and of those
        in claimed folders, `pagefind/`, as they are written). A file the site already has at a
        sibling's path is kept (a .gz that is an output of its own)."""
        if not self.settings.precompress:
            return
        for path in self.registry.files():
            if precompressed(path):
                for sibling in siblings(path):
                    if sibling not in self.registry:
                        self.registry.claim(sibling, PRECOMPRESSED)

    def output_plan(self) -> OutputPlan:
        return OutputPlan(self.catalog, self.settings, tuple(t.url for t in self._tasks if t.listed),
                          page_modified=_page_modified(self._tasks), root=self.root)

    def _body_html(self, item, url_base: str) -> str:
        return self.bodies.html(item, self.photos, url_base)

    def prepare_bodies(self, drafts_too: list, parallel: bool = True, purge: bool = False) -> None:
        """Parse every published body (or take it from the cache); raises ContentErrors for their
        problems. The cache also keeps the bodies of `drafts_too` (content the build leaves out);
        with `purge` (withdrawn items), the bodies it forgets are erased from its files at once."""
        issues = self.bodies.prepare([*self.catalog.stories, *self.catalog.profiles], parallel, keep=drafts_too,
                                     purge=purge)
        if issues:
            raise ContentErrors(issues + self.warnings)

    def prepare_media(self) -> None:
        """Process every photo the pages show (covers and bodies' photos) and draw the social cards
        they need (raises ImageErrors), and claim their files."""
        self.photos.prepare(self.catalog, self.bodies)
        checkpoint("photos")
        self.warnings += [note.to_issue("warning", self.root) for note in self.photos.pipeline.notes]
        cards = self.photos.pipeline.render_cards(
            [
                CardRequest(s.slug, s.title, vi.format_date(s.published_at), self.settings.site_name,
                            s.cover.src if s.cover else None, s.path, (s.cover.line or None) if s.cover else None)
                for s in self.catalog.stories
                if self.settings.wants_social_card(self._has_shareable_cover(s))
            ]
        )
        self.card_urls.update({slug: card.url for slug, card in cards.items()})
        checkpoint("cards")
        for path, _source in self.photos.pipeline.outputs():
            self.registry.claim(path, IMAGES)

    def forget_withdrawn(self) -> None:
        """Record what identifies each withdrawn item, then delete its search bundles from the cache
        (before the search index starts)."""
        if self.catalog.withdrawn:
            self.takedown = withdrawn_traces(self.catalog.withdrawn, self.root, self.photos.pipeline,
                                             self.settings.images_dir, record=True)
            forget_in_search_cache(self.root / ".cache" / "search", self.takedown)

    def forget_withdrawn_photos(self, content: ContentSet) -> None:
        """Delete the withdrawn items' photo variants and cards from the cache, except photos that
        something else still shows (published: then the audit says where; or a draft)."""
        if not self.takedown:
            return
        published = [*self.catalog.stories, *self.catalog.profiles]
        shown = {src for item in published for src, _line in self.bodies.photo_refs(item)}
        shown |= {p.src for item in published if (p := _photo(item)) is not None}
        published_paths = {item.path for item in published}
        for item in (*content.stories, *content.profiles):  # drafts and scheduled stories
            if item.withdrawn is None and item.path not in published_paths:
                shown |= item_photos(item, self.settings.images_dir)
        forget_photos(self.photos.pipeline, self.takedown, shown)

    def _has_shareable_cover(self, story: Story) -> bool:
        image = self.photos.get(story.cover.src) if story.cover else None
        return image is not None and present.shareable(image)

    def pages(self) -> PageGenerator:
        return self._generator

    def search_tool(self) -> tuple[Path, str]:
        """The Pagefind binary and its version, found once (raises SearchIndexError saying what to install)."""
        if self._search_tool is None:
            binary = find_binary(self.root)
            self._search_tool = (binary, binary_version(binary))
        return self._search_tool

    def start_search(self, site_dir: Path, parallel: bool = True) -> None:
        """Build the search index, which needs only the catalog.

        With `parallel` it is built in a forked process (mostly the Pagefind binary's work)
        while the caller goes on; `write` waits for it. `prepare_build` starts it as soon as
        the routes are claimed, so it runs beside the photos, MkDocs' own work and the pages.
        """
        if self._search is not None:
            return
        binary, _version = self.search_tool()
        if not parallel:
            self._search = _Done()
            _publish_search_index(self.catalog, site_dir, self.root, self.registry, binary)
            return
        gc.freeze()  # the forked process's GC then leaves the shared objects' pages alone (fewer copies)
        self._search = ChildProcess("gs-search-index", _("the search index"), _publish_search_index,
                                    (self.catalog, site_dir, self.root, self.registry, binary))

    def start_outputs(self, site_dir: Path, parallel: bool = True) -> None:
        """Write the outputs (sitemaps, feeds, API, embed cards...), which need the catalog, the
        bodies and the photos but no page.

        On a site large enough for page workers, with `parallel`, they are written by a forked
        process that `prepare_build` starts as soon as the photos are ready: it runs beside MkDocs'
        own work, the templates' warm-up (which leave a core idle) and the pages; `write` waits
        for it. Otherwise `write` writes them itself, after the pages.
        """
        if self._outputs is not None or not parallel or _worker_count(len(self._tasks)) < 2:
            return
        gc.freeze()  # see start_search
        self._outputs = ChildProcess("gs-outputs", _("the outputs' worker (feeds, API, embed cards...)"),
                                     self._write_outputs_in_child, (site_dir,))

    def _write_outputs_in_child(self, site_dir: Path) -> None:
        gc.disable()  # a short-lived process whose garbage is freed by reference counting: the collector's
        self._write_outputs(site_dir)  # passes over its many short-lived objects would only cost time

    def abort(self) -> None:
        """Stop the search index's and the outputs' processes of a build that failed elsewhere."""
        for child in (self._search, self._outputs):
            if isinstance(child, ChildProcess):
                child.terminate()
        gc.unfreeze()

    def write(self, site_dir: Path, renderer: "Renderer", parallel: bool = True) -> int:
        """Render every page into `site_dir` and write the other outputs; returns the number of HTML pages.

        With `parallel`, large sites are rendered by forked workers, each taking every k-th
        page (they share the catalog by copy-on-write, nothing is pickled), while the search
        index (`start_search`) and the other outputs (`start_outputs`) are built beside them.
        A worker that fails says which page.
        """
        generator, tasks = self._generator, self._tasks
        renderer.warm_up(PAGE_TEMPLATES, [generator.card(s) for s in self.catalog.stories])
        self.start_search(site_dir, parallel)
        workers = _worker_count(len(tasks)) if parallel else 1
        if workers > 1:
            gc.freeze()  # see start_search
        children = [
            ChildProcess(f"gs-render-{k}", _("a page worker"), _render_share,
                         (tasks, k, workers, site_dir, self.registry, renderer, None))
            for k in range(1, workers)
        ]
        writer = SiteWriter(site_dir, self.registry)
        try:
            _render_share(tasks, 0, workers, site_dir, self.registry, renderer,
                          _Progress(len(tasks), scale=workers), writer)
            checkpoint("pages.done")
            for face, cached in fonts.prepared_fonts(self.font_cache):
                writer.link(fonts.published_path(face), cached)
            for asset in self.assets:
                writer.write_bytes(asset.published, asset.data)
            checkpoint("fonts")
            writer.link_all(self.photos.pipeline.outputs())  # while the workers may still be busy
        finally:
            failures = [f for f in (c.wait() for c in children) if f]
            assert self._search is not None
            failures += [f for f in [self._search.wait()] if f]
            if self._outputs is not None:
                failures += [f for f in [self._outputs.wait()] if f]
            gc.unfreeze()  # the build's objects may be collected again (a process may build more than once)
        if failures:
            raise BuildFailure("\n".join(failures))
        if self._outputs is None:
            self._write_outputs(site_dir)
        if self.takedown:
            leaks = audit_site(site_dir, self.takedown)
            if leaks:
                raise BuildFailure(leak_report(leaks) + "\n" + _(
                    "Nothing was published. Remove what still shows the withdrawn item (a photo it shared with "
                    "another story, a link in another story's text), then build again."))
        return len(tasks)

    def _write_outputs(self, site_dir: Path) -> None:
        """Write every file of `OUTPUTS` (runs in the parent or a forked worker)."""
        plan = self.output_plan()
        context = OutputContext(plan.catalog, plan.settings, plan.page_urls, self.photos,
                                lambda item, base: self.bodies.html(item, self.photos, base), self.card_urls,
                                page_modified=plan.page_modified, root=plan.root)
        writer = SiteWriter(site_dir, self.registry)
        for output in OUTPUTS:
            for path, data in output.files(context):
                writer.write_bytes(path, data)
        checkpoint("outputs")

    def finish(self, site_dir: Path, parallel: bool = True) -> None:
        """Once every file is in `site_dir` (ours and MkDocs'): precompress the text files (with
        `precompress`), find the pages' inline scripts for the CSP, write the server's rules.

        The files are shared among forked workers (each reads its files once, for both jobs);
        siblings come from the compression cache, so an unchanged file is not compressed again.
        """
        files = _site_files(site_dir)
        cache = CompressionCache(self.root / ".cache" / "compress") if self.settings.precompress else None
        workers = min(cores(), max(1, len(files) // 200)) if parallel else 1
        children = [
            ChildProcess(f"gs-finish-{k}", _("a compression worker"), _finish_share,
                         (files, k, workers, site_dir, self.registry, cache))
            for k in range(1, workers)
        ]
        hashes: set[str] = set()
        keys: set[str] = set()
        try:
            found, used = _finish_share(files, 0, workers, site_dir, self.registry, cache)
            hashes |= found
            keys |= used
        finally:
            failures = [f for f in (c.wait() for c in children) if f]
        if failures:
            raise BuildFailure("\n".join(failures))
        for child in children:
            found, used = child.result  # type: ignore[misc]
            hashes |= found
            keys |= used
        if cache is not None and self.takedown:  # no compressed copy of a withdrawn page stays in the cache
            cache.keep_only(keys)
        checkpoint("precompress")
        rules = server_rules.ServerRules(
            redirects=tuple(server_rules.site_redirects(self.catalog, self.settings, self.root)),
            gone=tuple(server_rules.site_gone(self.catalog)),
            script_hashes=tuple(sorted(hashes)),
            hashed_folders=tuple(sorted({"assets/", self.photos.pipeline.settings.url_prefix})),
        )
        SiteWriter(site_dir, self.registry).write_bytes(urls.SERVER_RULES, rules.to_json())


def _site_files(site_dir: Path) -> list[str]:
    """Site-relative paths of the files in `site_dir` that `finish` reads: siblings (.br, .gz) left
    out, and the folders of `urls.compressed_on_request` (embed cards, which have no script, and
    the API's per-story files: thousands of files that get no sibling) not entered."""
    out = []
    for folder, dirs, names in os.walk(site_dir):
        relative = os.path.relpath(folder, site_dir)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        dirs[:] = [d for d in dirs if not urls.compressed_on_request(f"{prefix}{d}/")]
        out += [prefix + name for name in names if not name.endswith((".br", ".gz"))]
    out.sort()
    return out


def _finish_share(files: list[str], k: int, workers: int, site_dir: Path, registry: RouteRegistry,
                  cache: CompressionCache | None) -> tuple[set[str], set[str]]:
    """Files k, k+workers...: their precompressed siblings (with a `cache`); returns the hashes of the
    inline scripts of the HTML ones and the cache keys used (runs in the parent or a forked worker)."""
    writer = SiteWriter(site_dir, registry)
    hashes: set[str] = set()
    keys: set[str] = set()
    for path in files[k::workers]:
        is_html = path.endswith(".html")
        compress = cache is not None and precompressed(path)
        if not is_html and not compress:
            continue
        with open(os.path.join(site_dir, path), "rb") as source:
            data = source.read()
        if is_html:
            hashes |= inline_script_hashes(data)
        if compress and cache is not None:
            key = cache.key(data)
            keys.add(key)
            for suffix, cached in cache.siblings_of(data, key):
                if _ours_to_write(registry, path + suffix):
                    writer.link(path + suffix, cached)
        if k > 0 and writer.count:
            checkpoint("precompress.worker")  # once it wrote something
    return hashes, keys


def _ours_to_write(registry: RouteRegistry, sibling: str) -> bool:
    """Whether the precompression writes `sibling`: claimed for it, or inside a claimed folder (the
    search index's files) where no file was claimed at that path."""
    owner = registry.owner(sibling)
    return owner == PRECOMPRESSED or (owner is not None and not registry.claimed_file(sibling))


def claim_outputs(registry: RouteRegistry, tasks: Iterable[PageTask], plan: OutputPlan) -> None:
    """Claim every page and every output whose path is known before the photos are processed."""
    for task in tasks:
        registry.claim(task.path, task.producer)
    for face in fonts.FACES:
        registry.claim(fonts.published_path(face), FONTS)
    registry.claim(urls.SERVER_RULES, SERVER_RULES)
    for output in OUTPUTS:
        for path, producer in output.claimed(plan):
            registry.claim(path, producer)
    registry.claim_folder(urls.SEARCH_BUNDLES, SEARCH)


def route_conflicts(root: Path, settings: SiteSettings, content: ContentSet,
                    registry: RouteRegistry) -> list[ContentIssue]:
    """What a build of `content` would find claimed twice (`registry` holding the files MkDocs
    writes itself), as issues on the files involved (for `site-builder check`)."""
    catalog = build_catalog(content, vi.now_in_vietnam(), include_drafts=True, include_future=True)
    tasks = list(PageGenerator(catalog, settings, None, None, root=root).tasks())  # type: ignore[arg-type]
    claim_outputs(registry, tasks, OutputPlan(catalog, settings, tuple(t.url for t in tasks if t.listed),
                                              page_modified=_page_modified(tasks), root=root))
    issues = []
    for conflict in registry.conflicts:
        pair = (conflict.second, conflict.first)
        alias = next((p for p in pair if p.alias and p.path is not None), None)
        if alias is not None:  # on the line of aliases: to change
            issues.append(ContentIssue(alias.path, alias.line or 1, alias.alias, str(conflict), root=root))
            continue
        source = next((p.path for p in pair if p.path is not None), None)
        issues.append(ContentIssue(source or root / settings.docs_dir, 1, "", str(conflict), root=root))
    return issues


def _page_modified(tasks: Iterable[PageTask]) -> dict[str, dt.datetime]:
    """When each page last changed, for the pages whose date is known (the sitemap's lastmod)."""
    return {t.url: t.modified for t in tasks if t.modified is not None}


class _Done:
    """Stands for a finished child when the work was done in this process."""

    def wait(self) -> None:
        return None


class Renderer(Protocol):
    def render(self, spec: PageSpec) -> str: ...

    def warm_up(self, templates: Iterable[str], cards: Iterable[Any] = ()) -> None: ...


MIN_PAGES_PER_WORKER = 400


def _worker_count(pages: int) -> int:
    return max(1, min(cores(), pages // MIN_PAGES_PER_WORKER))


class PageFailure(RuntimeError):
    """A page that could not be rendered, with its URL and what produced it."""


def _render_share(tasks: list[PageTask], k: int, workers: int, site_dir: Path, registry: RouteRegistry,
                  renderer: "Renderer", progress: "_Progress | None", writer: SiteWriter | None = None) -> None:
    """Render tasks k, k+workers, k+2*workers, ... (runs in the parent or a forked worker)."""
    writer = writer or SiteWriter(site_dir, registry)
    for task in tasks[k::workers]:
        try:
            html = renderer.render(task.build())
        except Exception as exc:  # a bug (in a template, a view...): its traceback is for developers
            traceback.print_exc(file=sys.stderr)
            raise PageFailure(
                _("the page /{url} ({producer}) could not be made: {error}; check {producer}, and if you find nothing "
                  "wrong there, tell the technical staff").format(url=task.url, producer=task.producer,
                                                                   error=describe(exc))
            ) from exc
        writer.write_text(task.path, html)
        checkpoint("pages.first" if k == 0 else "pages.worker")
        if progress is not None:
            progress.advance()
    if progress is not None:
        progress.close()


def _publish_search_index(catalog: Catalog, site_dir: Path, root: Path, registry: RouteRegistry,
                          binary: Path) -> None:
    """Build the search index (in the cache; raises SearchIndexError saying which bundle failed)
    and publish it through the writer."""
    checkpoint("search.start")
    index = build_search_index(catalog, root, binary)
    checkpoint("search.bundle")
    writer = SiteWriter(site_dir, registry)
    writer.link_all(index.files)
    writer.write_bytes(index.manifest_path, index.manifest)


class _Progress:
    """A progress bar on long runs when stderr is a terminal; silent otherwise.

    With several workers the parent sees only its share and advances by `scale`.
    """

    def __init__(self, pages: int, scale: int = 1) -> None:
        self._scale = scale
        self._bar = ProgressBar(_("Pages"), pages) if pages >= 1000 and sys.stderr.isatty() else None

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(steps=self._scale)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _photo(item: Story | Profile) -> Photo | None:
    return item.cover if isinstance(item, Story) else item.photo


def _no_body_refs(item) -> tuple:
    return ()  # bodies are parsed only once the content is valid


def prepare_build(
    root: Path, settings: SiteSettings, options: BuildOptions, site_dir: Path | None = None, parallel: bool = True,
    registry: RouteRegistry | None = None, theme_sources: dict[str, Path] | None = None,
) -> SiteBuild:
    """Load, validate and index the content, claim every output, process the photos.

    Raises ContentErrors, RouteConflicts or ImageErrors listing every problem. `registry`
    may already hold the paths of files the caller writes itself (MkDocs' theme and
    content files). With `site_dir`, the search index starts (`SiteBuild.start_search`) as
    soon as the routes are claimed, before the photos are processed. With `parallel`, the
    fonts are subset (on a cold cache) beside the validation, which leaves the other cores idle.
    """
    if parallel:
        fonts.prepare_in_background(root / ".cache" / "fonts")
    content, issues = validate_content(root, settings.docs_dir, settings.privacy.require_consent,
                                       site_url=settings.site_url)
    checkpoint("content")
    if any(i.is_error for i in issues):  # with the photos that are missing, so every problem is said at once
        photos = ImagePipeline(settings.photos_dir(root), image_settings(settings.images), project_root=root)
        bad = check_references(photos, [*content.stories, *content.profiles], _no_body_refs, content.photos_of_rejected)
        raise ContentErrors(issues + [error.to_issue(root=root) for error in bad])
    warnings = [i for i in issues if not i.is_error]
    catalog = build_catalog(
        content, options.now or vi.now_in_vietnam(), include_drafts=options.drafts, include_future=options.future
    )
    checkpoint("catalog")
    build = SiteBuild(root, settings, catalog, warnings, registry, theme_sources)
    build.claim_routes()
    build.registry.check()
    checkpoint("routes")
    build.forget_withdrawn()
    if site_dir is not None:
        build.start_search(site_dir, parallel)
    try:
        build.prepare_bodies([i for i in (*content.stories, *content.profiles) if i.withdrawn is None], parallel,
                             purge=bool(catalog.withdrawn))
        checkpoint("bodies")
        build.forget_withdrawn_photos(content)
        build.prepare_media()
        build.claim_precompressed()
        build.registry.check()
        if site_dir is not None:
            build.start_outputs(site_dir, parallel)
    except BaseException:
        build.abort()
        raise
    return build

"""Site search with Pagefind: records from the catalog, Vietnamese folding, sharded bundles.

`build_search_index(catalog, root)` builds, in the cache (`.cache/search/<key>/`),

- the primary bundle: the newest `FIRST_SIZE` stories and every profile, published at `pagefind/`,
- older stories' bundles, each twice the size of the one before it up to `SHARD_SIZE` stories
  (never cutting a day), published at `pagefind/<n>/`,

and returns a `SearchIndex`: the files to publish (site-relative path, file in the cache), the
manifest `pagefind/gs-search.json` that assets/search.js reads (Pagefind's version; the bundles
newest first, with their date range, record count and cache tag, and for a verified Pagefind
version the files Pagefind reads first and the primary bundle's index chunk list: `compat`), and
a report. It writes nothing into the site: `SearchIndex.publish` (or the site writer) does.

The browser searches the primary bundle first and merges older bundles
(`pagefind.mergeIndex`) only while a query has fewer than a page of results or when
the reader asks for older stories, so what a first query downloads does not grow
with the size of the archive. A site with at most `FIRST_SIZE` stories has one bundle.

What a first search costs (bench/search.py, 100,000 synthetic stories, 2 shared cores, medians/maxima
over ten queries): with 5,000-story bundles, Pagefind's worker and its default 20,000-location index
chunks, 223/294 KB and 362/433 ms from search.js to the first ten results shown, mostly a chain of
eight downloads (search.js, pagefind.js, the worker, the entry, the metadata and WebAssembly, the
chunks, the fragments) and searching 5,000 stories in JavaScript-inflated files. Now 144/167 KB and
194/259 ms (warm 20/39 ms): a 1,000-story primary bundle, chunks of `CHUNK_SIZE` locations (a word's
chunk is a quarter of the size), Pagefind on the page's thread, and the files of a search fetched
together (the search page preloads Pagefind, the manifest and the WebAssembly; search.js preloads the
entry, the metadata and the query's index chunks named in the manifest and has the browser inflate
them), so a search from the address waits for the page, the index files and the fragments. One 1.6.0
bundle of 100,000 stories needs 12 GB to build; bundles of at most 5,000 stories keep the binary
under 1 GB (0.8 GB, 144 s in all). 1.5.2's index chunks are 4-5x larger, which is why the build
needs Pagefind 1.6.0 (npm, `make search-deps`) and has no fallback to the `pagefind[bin]` wheel.

No MkDocs here: `bench/search.py` calls this with a catalog and no page build.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.catalog import Catalog
from site_builder.files import DiskFull, is_disk_full, link_or_copy, os_reason
from site_builder.i18n import _, ngettext
from site_builder.routes import urls
from site_builder.search import compat
from site_builder.search.compat import POLL
from site_builder.search.pagefind_runner import (
    BundleFiles, Record, SearchIndexError, binary_version, find_binary, index_records,
)
from site_builder.search.records import FILTERS, META_WEIGHTS, profile_record, records, story_record
from site_builder.search.text import markdown_text, searchable, shown

__all__ = [
    "CHUNK_SIZE",
    "FILTERS",
    "META_WEIGHTS",
    "POLL",
    "Record",
    "FIRST_SIZE",
    "SHARD_SIZE",
    "SearchIndex",
    "SearchIndexError",
    "SearchReport",
    "Shard",
    "binary_version",
    "build_search_index",
    "find_binary",
    "markdown_text",
    "plan_shards",
    "profile_record",
    "records",
    "searchable",
    "shard_sizes",
    "shown",
    "story_record",
]

SHARD_SIZE = 5000  # stories in an older bundle at most
FIRST_SIZE = 1000  # stories in the primary bundle (before the rest of its last day)
# Index chunk target (word locations per chunk; Pagefind 1.6.0 reads PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE,
# default 20,000): a query fetches one chunk per word, so smaller chunks cost it fewer bytes.
CHUNK_SIZE = 5000
# Pagefind writes its own UIs next to pagefind.js; the site uses assets/search.js instead, which runs
# Pagefind without its worker (`noWorker`). Merged bundles need no JavaScript of their own either.
UNUSED_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js", "pagefind-worker.js",
)
UNUSED_IN_OLDER = UNUSED_FILES + ("pagefind.js",)


@dataclass
class Shard:
    """Stories of one bundle, newest first (`key` "" is the primary bundle)."""

    key: str
    stories: list = field(default_factory=list)
    profiles: bool = False

    @property
    def path(self) -> str:
        """Its folder in the site: ``pagefind/`` or ``pagefind/<key>/``."""
        return urls.search_bundle(self.key)

    def describe(self, records: int, profiles: int) -> str:
        """The bundle in plain words, for error messages: which one, its dates and record count."""
        name = _("the primary search bundle") if not self.key else _("search bundle {key}").format(key=self.key)
        dates = [s.published_at for s in self.stories]
        n = len(self.stories)
        what = ngettext("{count} story", "{count} stories", n).format(count=n)
        if dates:
            # Translators: a date in messages
            day = _("{date:%Y-%m-%d}")
            what = _("{stories} from {first} to {last}").format(
                stories=what, first=day.format(date=min(dates)), last=day.format(date=max(dates)))
        if self.profiles:
            what = _("{stories} and {profiles}").format(
                stories=what, profiles=ngettext("{count} profile", "{count} profiles", profiles).format(count=profiles))
        return _("{bundle} ({path}: {what}, {records})").format(
            bundle=name, path=self.path, what=what,
            records=ngettext("{count} record", "{count} records", records).format(count=records))


def shard_sizes(total: int, first_size: int = FIRST_SIZE, shard_size: int = SHARD_SIZE) -> list[int]:
    """Target sizes of the bundles, newest first: `first_size`, then doubling up to `shard_size`."""
    sizes, size = [], max(1, min(first_size, shard_size))
    while sum(sizes) < total:
        sizes.append(size)
        size = min(size * 2, shard_size)
    return sizes or [0]


def plan_shards(catalog: Catalog, shard_size: int = SHARD_SIZE, first_size: int = FIRST_SIZE) -> list[Shard]:
    """Bundles newest first: the primary one (the newest `first_size` stories and all profiles), then
    older ones twice as large each time up to `shard_size` (`shard_sizes`).

    A bundle never cuts a day: it takes the rest of the day of its last story, so "stories from
    <date> on" (the manifest's `from`) is exact. Keys are "", "1", "2", ... (the manifest has the dates).
    """
    stories = catalog.stories  # newest first
    groups: list[list] = []
    i = 0
    for size in shard_sizes(len(stories), first_size, shard_size):
        if i >= len(stories):
            break
        end = min(i + size, len(stories))
        last_day = stories[end - 1].published_at.date()
        while end < len(stories) and stories[end].published_at.date() == last_day:
            end += 1
        groups.append(list(stories[i:end]))
        i = end
    groups = groups or [[]]
    shards = [Shard(str(i) if i else "", group) for i, group in enumerate(groups)]
    shards[0].profiles = True
    return shards


@dataclass
class SearchReport:
    """What `build_search_index` did."""

    version: str
    binary: str
    records: int
    bundles: int
    seconds: float
    peak_rss_kb: int  # largest peak resident memory of the Pagefind binary over the bundles indexed
    bytes_on_disk: int  # of what is published (the files and the manifest)
    reused: int = 0  # bundles taken from the cache


@dataclass(frozen=True)
class SearchIndex:
    """What to publish: `files` as (site-relative path, file in the cache) and the manifest's bytes
    at `urls.SEARCH_MANIFEST`. The cache files are shared by every site that publishes them (hard
    links): they must never be written to."""

    files: tuple[tuple[str, Path], ...]
    manifest: bytes
    report: SearchReport
    manifest_path: str = urls.SEARCH_MANIFEST

    def publish(self, site_dir: Path) -> None:
        """Hard-link (else copy) the files into `site_dir` and write the manifest there, replacing
        any previous search index (until the site writer does this)."""
        site_dir = Path(site_dir)
        shutil.rmtree(site_dir / urls.SEARCH_BUNDLES, ignore_errors=True)
        made: set[Path] = set()
        for rel, source in self.files:
            target = site_dir / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            link_or_copy(source, target)
        manifest = site_dir / self.manifest_path
        manifest.parent.mkdir(parents=True, exist_ok=True)
        manifest.write_bytes(self.manifest)


@dataclass(frozen=True)
class CachedBundle:
    """A complete cache entry: `folder` holds the bundle's files, `info` what the manifest needs."""

    folder: Path
    info: dict

    def files(self) -> list[str]:
        return self.info["files"]


class BundleCache:
    """Finished bundles by the hash of their records: an unchanged bundle is never re-indexed.

    `.cache/search/<key>/` holds a bundle's files as they are published (without Pagefind's UIs,
    pagefind.js patched: `compat`) in `files/`, and `bundle.json`: the list of files, what the
    manifest says of the bundle and what indexing it cost. An entry is made in a temporary folder
    and renamed into place when complete, so it exists whole or not at all, and it is never
    changed afterwards (the sites hard-link its files). Two builds making the same entry at once
    both succeed: the first rename wins, the other build uses it.
    """

    LAYOUT = "3"  # bumped when an entry's layout or content changes: older entries are never reused

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = Path(folder).absolute()  # the files to publish are named by absolute paths
        self.salt = f"{salt}|{self.LAYOUT}"

    def key(self, shard_records: list[Record], primary: bool) -> str:
        digest = hashlib.sha256(f"{self.salt}|{'primary' if primary else 'older'}".encode())
        for r in shard_records:  # the fields of `dataclasses.astuple(r)`, without its deep copies
            fields = (r.url, r.content, r.meta, r.filters, r.sort, r.language)
            digest.update(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode())
        return digest.hexdigest()[:24]

    def get(self, key: str) -> CachedBundle | None:
        entry = self.folder / key
        try:
            info = json.loads((entry / "bundle.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except ValueError as exc:  # never written by this class: made by hand, or the disk failed
            raise SearchIndexError(_("the search cache entry {entry} is damaged ({error}): delete this folder, then "
                                     "run the command again").format(entry=entry, error=exc)) from exc
        return CachedBundle(entry / "files", info)

    def forget(self, page_urls: set[str]) -> int:
        """Delete every entry whose records include one of `page_urls` (or that does not say which
        pages it holds); returns how many were deleted."""
        deleted = 0
        if not self.folder.is_dir():
            return 0
        for entry in self.folder.iterdir():
            if entry.name.startswith("."):
                continue
            try:
                held = json.loads((entry / "bundle.json").read_text(encoding="utf-8")).get("urls")
            except (OSError, ValueError):
                held = None
            if held is None or not page_urls.isdisjoint(held):
                shutil.rmtree(entry, ignore_errors=True)
                deleted += 1
        return deleted

    def put(self, key: str, files: dict[str, bytes], info: dict) -> CachedBundle:
        """Write an entry (`files`: path in the bundle -> content) unless one exists; returns the entry."""
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{key}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
        try:
            made: set[Path] = set()
            for rel, content in files.items():
                path = tmp / "files" / rel
                if path.parent not in made:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    made.add(path.parent)
                path.write_bytes(content)
            info = {**info, "files": sorted(files)}
            (tmp / "bundle.json").write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
            try:
                tmp.rename(self.folder / key)
            except OSError:  # made meanwhile by another build (a complete entry is never replaced)
                if self.get(key) is None:
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        entry = self.get(key)
        assert entry is not None
        return entry


def _shard_records(shard: Shard, catalog: Catalog):
    for story in shard.stories:
        yield story_record(story, catalog)
    if shard.profiles:
        for profile in catalog.profiles:
            yield profile_record(profile, catalog)


#: Pagefind processes at once: a shard's binary indexes while Python prepares the next shard's
#: records. Two 5,000-story bundles at once peak at about 1.6 GB (0.8 GB each).
CONCURRENT_SHARDS = 2


def _finish_bundle(made: BundleFiles, version: str, primary: bool) -> tuple[dict[str, bytes], dict]:
    """The files of a bundle as published, and what the manifest says of it beyond its dates."""
    empty = sorted(rel for rel, content in made.files.items() if not content)
    if empty or "pagefind.js" not in made.files:
        problem = (_("Pagefind returned an empty {files}").format(files=", ".join(empty)) if empty else
                   _("Pagefind returned no pagefind.js"))
        raise SearchIndexError(_("{problem}: run the command again; if it happens again, tell the technical staff")
                               .format(problem=problem))
    files = {rel: content for rel, content in made.files.items()
             if rel not in (UNUSED_FILES if primary else UNUSED_IN_OLDER)}
    if primary and "pagefind.js" in files:
        files["pagefind.js"] = compat.patch_pagefind_js(files["pagefind.js"].decode("utf-8"), version).encode("utf-8")
    details = compat.bundle_details(made.files, version, primary)
    return files, {"manifest": details, "records": made.records, "peak_rss_kb": made.peak_rss_kb}


def build_search_index(catalog: Catalog, root: Path, binary: str | os.PathLike | None = None,
                       shard_size: int = SHARD_SIZE, first_size: int = FIRST_SIZE,
                       chunk_size: int | None = CHUNK_SIZE, cache_dir: Path | None = None) -> SearchIndex:
    """Build the search bundles of `catalog` in the cache (`cache_dir`, by default `root`/.cache/search)
    and return what to publish. Raises SearchIndexError saying what failed, and for which bundle."""
    started = time.monotonic()
    exe = find_binary(root, binary)
    version = binary_version(exe)
    compat.note_unverified(version)
    env = compat.chunk_size_env(version, chunk_size, dict(os.environ))
    cache = BundleCache(cache_dir or Path(root) / ".cache" / "search", f"{version}|{chunk_size if env else ''}")
    shards = plan_shards(catalog, shard_size, first_size)

    def index(shard: Shard, shard_records: list[Record]) -> tuple[str, CachedBundle, bool]:
        primary = not shard.key
        key = cache.key(shard_records, primary)
        try:
            entry = cache.get(key)
            if entry is not None:
                return key, entry, True
            files, info = _finish_bundle(index_records(shard_records, exe, env), version, primary)
            info["urls"] = [r.url for r in shard_records]  # which pages it holds (`BundleCache.forget`)
            return key, cache.put(key, files, info), False
        except OSError as exc:  # writing the cache entry
            if is_disk_full(exc):
                raise DiskFull(cache.folder) from exc
            raise SearchIndexError(_("{bundle}: cannot write into {folder} ({reason}): check that this folder can "
                                     "be written, then run the command again").format(
                bundle=shard.describe(len(shard_records), len(catalog.profiles)), folder=cache.folder,
                reason=os_reason(exc))) from exc
        except SearchIndexError as exc:
            raise SearchIndexError(f"{shard.describe(len(shard_records), len(catalog.profiles))}: {exc}") from exc

    with ThreadPoolExecutor(max_workers=CONCURRENT_SHARDS) as pool:
        pending = []
        for shard in shards:
            if len(pending) >= CONCURRENT_SHARDS:  # keep at most this many shards' records in memory
                pending[-CONCURRENT_SHARDS].result()
            pending.append(pool.submit(index, shard, list(_shard_records(shard, catalog))))
        results = [future.result() for future in pending]

    manifest: dict = {"version": version, "bundles": []}
    files: list[tuple[str, Path]] = []
    size = 0
    for shard, (key, entry, _reused) in zip(shards, results):
        dates = [s.published_at for s in shard.stories]
        manifest["bundles"].append({
            "path": shard.key + "/" if shard.key else "",
            "stories": len(shard.stories),
            "profiles": len(catalog.profiles) if shard.profiles else 0,
            "from": min(dates).strftime("%Y-%m-%d") if dates else "",
            "to": max(dates).strftime("%Y-%m-%d") if dates else "",
            "tag": key,  # Pagefind's `metaCacheTag`: changes whenever the bundle does
            **entry.info["manifest"],
        })
        for rel in entry.files():
            source = entry.folder / rel
            files.append((shard.path + rel, source))
            size += source.stat().st_size
    data = json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    report = SearchReport(
        version, str(exe), sum(e.info["records"] for _key, e, _reused in results), len(shards),
        round(time.monotonic() - started, 2),
        max((e.info["peak_rss_kb"] for _key, e, reused in results if not reused), default=0),
        size + len(data), sum(reused for *_, reused in results),
    )
    return SearchIndex(tuple(files), data, report)

"""Site search with Pagefind: records from the catalog, Vietnamese folding, sharded bundles.

`build_search_index(catalog, site_dir, root=...)` writes

- `pagefind/`: the primary bundle: the newest `FIRST_SIZE` stories and every profile,
- `pagefind/<n>/`: older stories, each bundle twice the size of the one before it up to
  `SHARD_SIZE` stories (never cutting a day),
- `pagefind/gs-search.json`: the manifest assets/search.js reads: bundles newest first, with
  their date range, record count and the files Pagefind reads first (entry cache tag, metadata,
  WebAssembly), and the primary bundle's index chunk list (`bundle_meta`).

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
under 1 GB (0.8 GB, 144 s in all). 1.5.2's index chunks are 4-5x larger.

No MkDocs here: `bench/search.py` calls this with a catalog and no page build.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.catalog import Catalog
from site_builder.files import link_or_copy
from site_builder.search.bundle_meta import MetaFormatError, index_chunks
from site_builder.search.pagefind_runner import Record, binary_version, find_binary, write_index
from site_builder.search.records import FILTERS, META_WEIGHTS, profile_record, records, story_record
from site_builder.search.text import markdown_text, searchable, shown

__all__ = [
    "BUNDLE_DIR",
    "CHUNK_SIZE",
    "FILTERS",
    "META_WEIGHTS",
    "POLL",
    "Record",
    "FIRST_SIZE",
    "SHARD_SIZE",
    "SearchReport",
    "Shard",
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

BUNDLE_DIR = "pagefind"
MANIFEST = "gs-search.json"
SHARD_SIZE = 5000  # stories in an older bundle at most
FIRST_SIZE = 1000  # stories in the primary bundle (before the rest of its last day)
# Index chunk target (word locations per chunk; Pagefind 1.6.0 reads PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE,
# default 20,000): a query fetches one chunk per word, so smaller chunks cost it fewer bytes.
CHUNK_SIZE = 5000
# Pagefind writes its own UIs next to pagefind.js; the site uses assets/search.js instead.
UNUSED_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)


@dataclass
class Shard:
    """Stories of one bundle, newest first (`key` "" is the primary bundle)."""

    key: str
    stories: list = field(default_factory=list)
    profiles: bool = False

    @property
    def path(self) -> str:
        return f"{BUNDLE_DIR}/{self.key}/" if self.key else f"{BUNDLE_DIR}/"


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
    peak_rss_kb: int  # largest peak resident memory of the Pagefind binary over all bundles
    bytes_on_disk: int


class BundleCache:
    """Pagefind bundles by the hash of their records: an unchanged year is never re-indexed.

    Stored as Pagefind wrote it (before pruning) in `.cache/search/<hash>/`; restored
    into the site by hard links (copies across file systems).
    """

    def __init__(self, folder: Path | None, salt: str) -> None:
        self.folder = folder
        self.salt = salt

    def key(self, shard_records: list[Record]) -> str:
        digest = hashlib.sha256(self.salt.encode())
        for r in shard_records:  # the fields of `dataclasses.astuple(r)`, without its deep copies
            fields = (r.url, r.content, r.meta, r.filters, r.sort, r.language)
            digest.update(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode())
        return digest.hexdigest()[:24]

    def restore(self, key: str, bundle: Path) -> bool:
        source = self.folder / key if self.folder is not None else None
        if source is None or not (source / ".complete").exists():
            return False
        shutil.copytree(source, bundle, copy_function=link_or_copy, dirs_exist_ok=True, ignore=_own_files(source))
        return True

    def store(self, key: str, bundle: Path) -> None:
        if self.folder is None:
            return
        target = self.folder / key
        tmp = self.folder / f".{key}.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(bundle, tmp, copy_function=link_or_copy, ignore=_own_files(bundle))
        (tmp / ".complete").touch()
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)


def _own_files(bundle: Path):
    """copytree's `ignore` for one bundle's files: not the cache's marker, and not the older bundles'
    folders ("1", "2", ...) inside the primary one, which other shards write (at the same time)."""
    top = os.fspath(bundle)

    def ignore(folder: str, names: list[str]) -> set[str]:
        if os.fspath(folder) != top:
            return set()
        return {n for n in names if n == ".complete" or n.isdigit()}

    return ignore


def _shard_records(shard: Shard, catalog: Catalog):
    for story in shard.stories:
        yield story_record(story, catalog)
    if shard.profiles:
        for profile in catalog.profiles:
            yield profile_record(profile, catalog)


#: Pagefind processes at once: a shard's binary indexes while Python prepares the next shard's
#: records. Two 5,000-story bundles at once peak at about 1.6 GB (0.8 GB each).
CONCURRENT_SHARDS = 2


def build_search_index(catalog: Catalog, site_dir: Path, root: Path | None = None, binary: str | None = None,
                       shard_size: int = SHARD_SIZE, first_size: int = FIRST_SIZE,
                       chunk_size: int | None = CHUNK_SIZE) -> SearchReport:
    """Write the Pagefind bundles and the manifest into `site_dir`/pagefind/."""
    started = time.monotonic()
    exe = find_binary(root, binary)
    out = Path(site_dir) / BUNDLE_DIR
    if out.exists():
        shutil.rmtree(out)
    shards = plan_shards(catalog, shard_size, first_size)
    manifest = {"version": binary_version(exe), "bundles": []}
    # "|2": entries stored before `_own_files` may hold another bundle's files: never reuse them.
    cache = BundleCache(root / ".cache" / "search" if root else None, f"{manifest['version']}|{chunk_size}|2")

    def index(shard: Shard, shard_records: list[Record]) -> dict:
        bundle = Path(site_dir) / shard.path
        key = cache.key(shard_records)
        if cache.restore(key, bundle):
            return {"records": len(shard_records), "peak_rss_kb": 0}
        result = write_index(shard_records, bundle, exe, chunk_size=chunk_size)
        cache.store(key, bundle)
        return result

    with ThreadPoolExecutor(max_workers=CONCURRENT_SHARDS) as pool:
        pending = []
        for shard in shards:
            if len(pending) >= CONCURRENT_SHARDS:  # keep at most this many shards' records in memory
                pending[-CONCURRENT_SHARDS].result()
            pending.append(pool.submit(index, shard, list(_shard_records(shard, catalog))))
        results = [future.result() for future in pending]

    for shard, result in zip(shards, results):
        bundle = Path(site_dir) / shard.path
        dates = [s.published_at for s in shard.stories]
        manifest["bundles"].append({
            "path": shard.key + "/" if shard.key else "",
            "stories": len(shard.stories),
            "profiles": len(catalog.profiles) if shard.profiles else 0,
            "from": min(dates).strftime("%Y-%m-%d") if dates else "",
            "to": max(dates).strftime("%Y-%m-%d") if dates else "",
            **_entry_files(bundle),
        })
        if not shard.key:
            _add_chunks(manifest["bundles"][-1], bundle)
        _prune(bundle, primary=not shard.key)
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return SearchReport(manifest["version"], str(exe), sum(r["records"] for r in results), len(shards),
                        round(time.monotonic() - started, 2), max(r["peak_rss_kb"] for r in results), size)


def _entry_files(bundle: Path) -> dict:
    """What search.js preloads for a bundle before Pagefind asks for it: the metadata file and the
    WebAssembly file its entry names, and `tag`, the entry's cache tag (Pagefind's `metaCacheTag`:
    it asks for pagefind-entry.json?ts=<tag>, so the entry can be preloaded and cached per build)."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    lang = entry["languages"].get("vi") or max(entry["languages"].values(), key=lambda v: v["page_count"])
    return {"tag": lang["hash"], "meta": f"pagefind.{lang['hash']}.pf_meta",
            "wasm": f"wasm.{lang['wasm'] or 'unknown'}.pagefind"}


def _add_chunks(entry: dict, bundle: Path) -> None:
    """The primary bundle's index chunks, for search.js to fetch a query's chunks early."""
    try:
        entry["chunks"] = index_chunks(bundle / entry["meta"])
    except (OSError, MetaFormatError) as exc:  # a Pagefind whose metadata differs: search works without them
        print(f"search: no index chunk list in {MANIFEST} ({exc})")


# Pagefind's search waits for its WebAssembly to be ready by polling every 50 ms, which costs
# a first search 25 ms on average; every 4 ms costs nothing measurable.
POLL = ("asyncSleep(50)", "asyncSleep(4)")


def _prune(bundle: Path, primary: bool) -> None:
    """Drop Pagefind's own UIs and its worker (search.js runs Pagefind on the page); merged bundles
    need no JavaScript of their own either. Shorten the primary pagefind.js's polling (`POLL`)."""
    names = UNUSED_FILES + ("pagefind-worker.js",) if primary else UNUSED_FILES + ("pagefind.js", "pagefind-worker.js")
    for name in names:
        (bundle / name).unlink(missing_ok=True)
    script = bundle / "pagefind.js"
    if primary and script.is_file():
        text = script.read_text(encoding="utf-8")
        fresh = script.with_name(script.name + ".tmp")  # a new file: the bundle may be hard-linked to the cache
        fresh.write_text(text.replace(*POLL), encoding="utf-8")
        os.replace(fresh, script)

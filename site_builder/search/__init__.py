"""Site search with Pagefind: records from the catalog, Vietnamese folding, sharded bundles.

`build_search_index(catalog, site_dir, root=...)` writes

- `pagefind/`: the primary bundle: the newest stories and every profile,
- `pagefind/<n>/`: older stories, whole years grouped up to `shard_size` stories per
  bundle (a larger year is cut into consecutive parts),
- `pagefind/gs-search.json`: the manifest assets/search.js reads: bundles newest
  first, with their date range and record count.

The browser searches the primary bundle first and merges older bundles
(`pagefind.mergeIndex`) only while a query has fewer than a page of results or when
the reader asks for older stories, so what a first query downloads does not grow
with the size of the archive. A site with at most `shard_size` stories has one bundle.

Why Pagefind 1.6.0 and bundles (bench/search.py, 100,000 synthetic stories, 2 cores): one
1.6.0 bundle needs 12 GB of memory to build and a first query downloads 1.0-4.4 MB (search
0.4-3.1 s); bundles of 5,000 stories keep the binary under 0.7 GB and first queries at
199-294 KB (cold search 0.24-0.46 s, warm 3-113 ms). With the same bundles 1.5.2 downloads
365-1,309 KB per first query (its index chunks are 4-5x larger), searches about twice as
slowly, and names its filter files differently on every build.

No MkDocs here: `bench/search.py` calls this with a catalog and no page build.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.catalog import Catalog
from site_builder.search.pagefind_runner import Record, binary_version, find_binary, write_index
from site_builder.search.records import FILTERS, META_WEIGHTS, profile_record, records, story_record
from site_builder.search.text import markdown_text, searchable, shown

__all__ = [
    "BUNDLE_DIR",
    "FILTERS",
    "META_WEIGHTS",
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
    "shown",
    "story_record",
]

BUNDLE_DIR = "pagefind"
MANIFEST = "gs-search.json"
SHARD_SIZE = 5000
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


def plan_shards(catalog: Catalog, shard_size: int = SHARD_SIZE) -> list[Shard]:
    """Bundles newest first: the primary one (newest stories, all profiles), then older ones.

    Whole years are grouped while a bundle stays within `shard_size` stories; a larger year
    is cut into equal consecutive parts. Keys are "1", "2", ... (the manifest has the dates).
    """
    stories = catalog.stories  # newest first
    by_year: dict[int, list] = {}
    for story in stories:
        by_year.setdefault(story.published_at.year, []).append(story)
    groups: list[list] = [[]]
    for items in by_year.values():  # newest year first
        if len(items) > shard_size:
            parts = -(-len(items) // shard_size)
            size = -(-len(items) // parts)
            groups.extend(items[i * size:(i + 1) * size] for i in range(parts))
        elif len(groups[-1]) + len(items) <= shard_size:
            groups[-1].extend(items)
        else:
            groups.append(list(items))
    groups = [g for g in groups if g] or [[]]
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


def _shard_records(shard: Shard, catalog: Catalog):
    for story in shard.stories:
        yield story_record(story, catalog)
    if shard.profiles:
        for profile in catalog.profiles:
            yield profile_record(profile, catalog)


def build_search_index(catalog: Catalog, site_dir: Path, root: Path | None = None, binary: str | None = None,
                       shard_size: int = SHARD_SIZE) -> SearchReport:
    """Write the Pagefind bundles and the manifest into `site_dir`/pagefind/."""
    started = time.monotonic()
    exe = find_binary(root, binary)
    out = Path(site_dir) / BUNDLE_DIR
    if out.exists():
        shutil.rmtree(out)
    shards = plan_shards(catalog, shard_size)
    manifest = {"version": binary_version(exe), "bundles": []}
    total = peak = 0
    for shard in shards:
        result = write_index(_shard_records(shard, catalog), Path(site_dir) / shard.path, exe)
        total += result["records"]
        peak = max(peak, result["peak_rss_kb"])
        dates = [s.published_at for s in shard.stories]
        manifest["bundles"].append({
            "path": shard.key + "/" if shard.key else "",
            "stories": len(shard.stories),
            "profiles": len(catalog.profiles) if shard.profiles else 0,
            "from": min(dates).strftime("%Y-%m-%d") if dates else "",
            "to": max(dates).strftime("%Y-%m-%d") if dates else "",
        })
        _prune(Path(site_dir) / shard.path, primary=not shard.key)
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return SearchReport(manifest["version"], str(exe), total, len(shards), round(time.monotonic() - started, 2),
                        peak, size)


def _prune(bundle: Path, primary: bool) -> None:
    """Drop Pagefind's own UIs; merged bundles need no JavaScript of their own either."""
    names = UNUSED_FILES if primary else UNUSED_FILES + ("pagefind.js", "pagefind-worker.js")
    for name in names:
        (bundle / name).unlink(missing_ok=True)

"""Search bundles are cached by their records: unchanged bundles are not re-indexed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import site_builder.search as search
from site_builder.catalog import build_catalog
from site_builder.content import load_content
from site_builder.vietnamese import now_in_vietnam

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = search.write_index

    def write_index(records, output, *args, **kwargs):
        calls.append(output)
        return real(records, output, *args, **kwargs)

    monkeypatch.setattr(search, "write_index", write_index)
    return calls


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_unchanged_bundles_come_from_the_cache(tmp_path, counted):
    content = load_content(REPO)
    catalog = build_catalog(content, now_in_vietnam())
    root = tmp_path / "project"
    root.mkdir()
    (root / "node_modules").symlink_to(REPO / "node_modules")
    search.build_search_index(catalog, tmp_path / "a", root=root)
    assert len(counted) == 1
    search.build_search_index(catalog, tmp_path / "b", root=root)
    assert len(counted) == 1  # nothing re-indexed
    assert _tree(tmp_path / "a" / "pagefind") == _tree(tmp_path / "b" / "pagefind")

    story = catalog.stories[0]
    content.stories[content.stories.index(story)] = dataclasses.replace(story, title=story.title + " (sửa)")
    search.build_search_index(build_catalog(content, now_in_vietnam()), tmp_path / "c", root=root)
    assert len(counted) == 2  # the changed bundle is indexed again


def test_the_cache_key_covers_every_field_of_a_record():
    """BundleCache.key lists a record's fields itself: a new field must be added there too."""
    record = search.Record(url="a/", content="nội dung", meta={"title": "T"}, filters={"kind": ["x"]},
                           sort={"date": "2026"})
    cache = search.BundleCache(None, "salt")
    assert [f.name for f in dataclasses.fields(search.Record)] == ["url", "content", "meta", "filters", "sort",
                                                                   "language"]
    changed = [dataclasses.replace(record, **{f.name: value})
               for f, value in zip(dataclasses.fields(search.Record),
                                   ["b/", "khác", {"title": "U"}, {"kind": ["y"]}, {"date": "2025"}, "en"])]
    keys = {cache.key([r]) for r in [record, *changed]}
    assert len(keys) == 7


def test_bundles_indexed_at_once_never_share_cached_files(tmp_path):
    """Older bundles live inside the primary one (pagefind/1/...) and are indexed while it is: the
    primary's cache entry must not take their files, or restoring it later brings stale hard links
    that the next indexing of bundle 1 overwrites in place (breaking bundle 1's cache entry)."""
    import json

    content = load_content(REPO)
    root = tmp_path / "project"
    root.mkdir()
    (root / "node_modules").symlink_to(REPO / "node_modules")

    def build(site: str) -> Path:
        out = tmp_path / site
        search.build_search_index(build_catalog(content, now_in_vietnam()), out, root=root, first_size=1, shard_size=2)
        return out / "pagefind"

    def assert_whole(bundles: Path) -> None:
        manifest = json.loads((bundles / "gs-search.json").read_text(encoding="utf-8"))
        assert len(manifest["bundles"]) > 2
        for entry in manifest["bundles"]:
            assert (bundles / entry["path"] / entry["meta"]).is_file(), entry

    build("a")
    older = build_catalog(content, now_in_vietnam()).stories[1]  # in bundle 1
    i = content.stories.index(older)
    content.stories[i] = dataclasses.replace(older, title=older.title + " (sửa)")
    assert_whole(build("b"))
    content.stories[i] = older  # the edit undone: bundle 1 comes from the cache again
    assert_whole(build("c"))
    cached = [p for p in (root / ".cache" / "search").iterdir() if p.is_dir()]
    assert cached and not [d for entry in cached for d in entry.iterdir() if d.is_dir() and d.name.isdigit()]

"""Search bundles are cached by their records: unchanged bundles are not re-indexed."""

from __future__ import annotations

import dataclasses
import json
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
    real = search.index_records

    def index_records(records, *args, **kwargs):
        calls.append(len(records))
        return real(records, *args, **kwargs)

    monkeypatch.setattr(search, "index_records", index_records)
    return calls


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "node_modules").symlink_to(REPO / "node_modules")
    return root


def test_unchanged_bundles_come_from_the_cache(tmp_path, counted):
    content = load_content(REPO)
    catalog = build_catalog(content, now_in_vietnam())
    root = _project(tmp_path)
    search.build_search_index(catalog, root).publish(tmp_path / "a")
    assert len(counted) == 1
    again = search.build_search_index(catalog, root)
    again.publish(tmp_path / "b")
    assert len(counted) == 1 and again.report.reused == 1  # nothing re-indexed
    assert _tree(tmp_path / "a" / "pagefind") == _tree(tmp_path / "b" / "pagefind")

    story = catalog.stories[0]
    content.stories[content.stories.index(story)] = dataclasses.replace(story, title=story.title + " (sửa)")
    search.build_search_index(build_catalog(content, now_in_vietnam()), root).publish(tmp_path / "c")
    assert len(counted) == 2  # the changed bundle is indexed again


def test_the_cache_key_covers_every_field_of_a_record():
    """BundleCache.key lists a record's fields itself: a new field must be added there too."""
    record = search.Record(url="a/", content="nội dung", meta={"title": "T"}, filters={"kind": ["x"]},
                           sort={"date": "2026"})
    cache = search.BundleCache(Path("unused"), "salt")
    assert [f.name for f in dataclasses.fields(search.Record)] == ["url", "content", "meta", "filters", "sort",
                                                                   "language"]
    changed = [dataclasses.replace(record, **{f.name: value})
               for f, value in zip(dataclasses.fields(search.Record),
                                   ["b/", "khác", {"title": "U"}, {"kind": ["y"]}, {"date": "2025"}, "en"])]
    keys = {cache.key([r], primary=True) for r in [record, *changed]}
    assert len(keys) == 7
    assert cache.key([record], primary=True) != cache.key([record], primary=False)  # their files differ
    assert search.BundleCache(Path("unused"), "other salt").key([record], primary=True) != cache.key([record], True)


def test_bundles_indexed_at_once_never_share_cached_files(tmp_path):
    """Older bundles are published inside the primary one (pagefind/1/...) and are indexed while it is:
    each has its own cache entry, which holds only its own files, so editing a story of one bundle
    and undoing the edit restores every bundle whole."""
    content = load_content(REPO)
    root = _project(tmp_path)

    def build(site: str) -> Path:
        out = tmp_path / site
        search.build_search_index(build_catalog(content, now_in_vietnam()), root, first_size=1,
                                  shard_size=2).publish(out)
        return out / "pagefind"

    def assert_whole(bundles: Path) -> None:
        manifest = json.loads((bundles / "gs-search.json").read_text(encoding="utf-8"))
        assert len(manifest["bundles"]) > 2
        for entry in manifest["bundles"]:
            assert (bundles / entry["path"] / entry["meta"]).is_file(), entry

    first = _tree(build("a"))
    older = build_catalog(content, now_in_vietnam()).stories[1]  # in bundle 1
    i = content.stories.index(older)
    content.stories[i] = dataclasses.replace(older, title=older.title + " (sửa)")
    assert_whole(build("b"))
    content.stories[i] = older  # the edit undone: bundle 1 comes from the cache again
    assert_whole(build("c"))
    assert _tree(tmp_path / "c" / "pagefind") == first
    cached = [p for p in (root / ".cache" / "search").iterdir() if p.is_dir()]
    assert cached and not [d for entry in cached for d in (entry / "files").iterdir() if d.is_dir() and d.name.isdigit()]


def test_a_cache_entry_is_whole_or_absent_and_never_replaced(tmp_path, monkeypatch):
    """An entry appears by renaming a finished folder: a build stopped while writing one leaves none
    (the next build indexes again), and a second build making the same entry keeps the first."""
    from site_builder.search import BundleCache

    cache = BundleCache(tmp_path / "cache", "salt")
    files = {"pagefind.js": b"js", "index/a.pf_index": b"a", "fragment/b.pf_fragment": b"b"}
    real_write = Path.write_bytes

    def failing_write(path, data):
        if path.name == "a.pf_index":
            raise OSError(28, "No space left on device")
        return real_write(path, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    with pytest.raises(OSError, match="No space left"):
        cache.put("k", files, {"records": 1})
    monkeypatch.setattr(Path, "write_bytes", real_write)
    assert cache.get("k") is None and list((tmp_path / "cache").iterdir()) == []

    entry = cache.put("k", files, {"records": 1})
    assert sorted(entry.files()) == sorted(files) and (entry.folder / "index" / "a.pf_index").read_bytes() == b"a"
    inode = (entry.folder / "pagefind.js").stat().st_ino
    again = cache.put("k", {**files, "pagefind.js": b"other"}, {"records": 1})
    assert (again.folder / "pagefind.js").read_bytes() == b"js" and (again.folder / "pagefind.js").stat().st_ino == inode
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["k"]  # no temporary folder left


def test_a_cache_that_cannot_be_written_says_so(tmp_path, monkeypatch):
    """Not a full disk but, say, a read-only folder: the message names the bundle and the folder."""
    def refused(self, key, files, info):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(search.BundleCache, "put", refused)
    catalog = build_catalog(load_content(REPO), now_in_vietnam())
    with pytest.raises(search.SearchIndexError) as caught:
        search.build_search_index(catalog, _project(tmp_path))
    assert "search" in str(caught.value) and str(tmp_path) in str(caught.value)

"""The build's background processes: fonts subset early, the search index beside the photos."""

from __future__ import annotations

import multiprocessing
import re

import pytest
from fontTools.ttLib import TTFont

from site_builder import fonts
from site_builder.build import BuildOptions, prepare_build
from site_builder.images import ImageErrors
from site_builder.settings import parse_settings
from conftest import ENV, PAGEFIND_CRASH, low_memory_pagefind
from test_site_images import STORY  # a story with a cover photo

SETTINGS = {"site_name": "Gương Sáng", "organisation": {"name": "Ban biên tập"}, "feedback": {"email": "a@example.vn"}}


def _alive(name: str) -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name == name]


def test_fonts_subset_in_the_background_are_published(tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    fonts.prepare_in_background(cache)
    fonts.prepare_in_background(cache)  # once per folder
    assert len(_alive("gs-fonts")) <= 1
    written = fonts.publish_fonts(cache, out)  # waits for the background process
    assert not _alive("gs-fonts")
    assert sorted(p.name for p in written) == sorted(face.output_name for face in fonts.FACES)
    for path in written:
        font = TTFont(path)
        assert font.flavor == "woff2" and ord("ự") in font.getBestCmap()


def test_a_failed_photo_stops_the_search_index_already_started(tmp_project):
    """The index starts as soon as the content is loaded; a bad photo found after that stops it."""
    tmp_project.copy_image("2026/duong-hoa.jpg")
    tmp_project.add_story("duong-hoa", STORY)
    photo = tmp_project.root / "images" / "2026" / "duong-hoa.jpg"
    photo.write_bytes(photo.read_bytes()[:300])  # a truncated JPEG
    staging = tmp_project.root / "staging"
    with pytest.raises(ImageErrors, match="cover.src"):
        prepare_build(tmp_project.root, parse_settings(SETTINGS), BuildOptions(), site_dir=staging, parallel=True)
    assert not _alive("gs-search-index")


def test_the_search_index_is_built_beside_the_photos(tmp_project):
    tmp_project.copy_image("2026/duong-hoa.jpg")
    tmp_project.add_story("duong-hoa", STORY)
    site = tmp_project.root / "staging"
    build = prepare_build(tmp_project.root, parse_settings(SETTINGS), BuildOptions(), site_dir=site, parallel=True)
    try:
        assert _alive("gs-search-index") or (site / "pagefind" / "gs-search.json").exists()
    finally:
        build.abort()


def test_a_build_leaves_the_garbage_collector_as_it_found_it(tmp_project):
    """gc.freeze() before forking is undone: a process that builds many times does not keep every build."""
    import gc

    tmp_project.copy_image("2026/duong-hoa.jpg")
    tmp_project.add_story("duong-hoa", STORY)
    build = prepare_build(tmp_project.root, parse_settings(SETTINGS), BuildOptions(),
                          site_dir=tmp_project.root / "staging", parallel=True)
    build.abort()
    assert gc.get_freeze_count() == 0


def test_a_failed_search_index_says_why_and_for_which_bundle(tmp_project, monkeypatch):
    """The search index is built in a process of its own: its failure reaches the build's message
    (what failed, in which bundle), not only an exit code, and the previous site stays."""
    tmp_project.copy_image("2026/duong-hoa.jpg")
    tmp_project.add_story("duong-hoa", STORY)
    assert tmp_project.build().returncode == 0
    monkeypatch.setitem(ENV, "PAGEFIND_BINARY_PATH", str(low_memory_pagefind(tmp_project.root)))
    tmp_project.add_story("duong-hoa-2", STORY.replace("Đường hoa", "Đường hoa mới"))
    result = tmp_project.build()
    assert result.returncode == 1
    assert re.search(r"ERROR +- Search index: the primary search bundle \(pagefind/: 2 stories from 2026-03-14 to "
                     r"2026-03-14 and 0 profiles, 2 records\): " + PAGEFIND_CRASH, result.stderr), result.stderr
    assert "Traceback" not in result.stderr and "exit code" not in result.stderr.replace("exited with code", "")
    assert "trang đã dựng trước đó được giữ nguyên" in result.stderr
    assert (tmp_project.root / "site" / "pagefind" / "gs-search.json").is_file()


def test_no_pagefind_binary_stops_the_build_saying_what_to_do(tmp_project, monkeypatch):
    tmp_project.add_story("duong-hoa", STORY.replace("cover:\n  src: 2026/duong-hoa.jpg\n  alt: Đường hoa\n", ""))
    monkeypatch.setitem(ENV, "PAGEFIND_BINARY_PATH", str(tmp_project.root / "no-such-pagefind"))
    result = tmp_project.build()
    assert result.returncode == 1
    assert "- Search index: PAGEFIND_BINARY_PATH is" in result.stderr and "not an executable file" in result.stderr
    assert "Traceback" not in result.stderr

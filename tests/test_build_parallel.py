"""The build's background processes: fonts subset early, the search index beside the photos."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal

import pytest
from fontTools.ttLib import TTFont

from site_builder import fonts
from site_builder.build import BuildOptions, prepare_build
from site_builder.images import ImageErrors
from site_builder.settings import parse_settings
from conftest import ENV, PAGEFIND_CRASH, PAGEFIND_CRASH_VI, low_memory_pagefind
from imagekit import COVERED_STORY as STORY  # a story with a cover photo

SETTINGS = {"site_name": "Gương Sáng", "organisation": {"name": "Ban biên tập"}, "feedback": {"email": "a@example.vn"}}


def _alive(name: str) -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name == name]


def test_fonts_subset_in_the_background_are_published(tmp_path):
    cache = tmp_path / "cache"
    fonts.prepare_in_background(cache)
    fonts.prepare_in_background(cache)  # once per folder
    assert len(_alive("gs-fonts")) <= 1
    prepared = fonts.prepared_fonts(cache)  # waits for the background process
    assert not _alive("gs-fonts")
    assert [face for face, _ in prepared] == list(fonts.FACES)
    for _, path in prepared:
        font = TTFont(path)
        assert font.flavor == "woff2" and ord("ự") in font.getBestCmap()


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize("language, expected", [
    ("vi", "chỉ mục tìm kiếm bị lỗi: tiến trình bị dừng đột ngột (tín hiệu 9; có thể do hết bộ nhớ): hãy chạy lại lệnh; "
           "nếu vẫn lỗi, hãy báo cho bộ phận kỹ thuật"),
    ("en", "the search index failed: the process was killed (signal 9; out of memory?): run the command again; if it "
           "happens again, tell the technical staff"),
])
def test_a_killed_part_of_the_build_says_so_and_what_to_do(language, expected):
    from site_builder import i18n
    from site_builder.i18n import _
    from site_builder.processes import ChildProcess

    i18n.set_language(language)
    try:
        child = ChildProcess("gs-test-killed", _("the search index"), _killed)
        assert child.wait() == expected
    finally:
        i18n.set_language("vi")


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


# --- the parallel write path ---------------------------------------------------------------


class _PlainRenderer:
    """Stands for the theme's renderer: the page's URL and title, or a failure for one URL."""

    def __init__(self, fail_at: str | None = None) -> None:
        self.fail_at = fail_at

    def warm_up(self, templates, cards=()) -> None:
        pass

    def render(self, spec) -> str:
        if spec.url == self.fail_at:
            raise ValueError("boom")
        return f"<title>{spec.title}</title>{spec.url}"


def _project_with_stories(tmp_project, count: int = 6):
    from conftest import story_text

    for i in range(count):
        tmp_project.add_story(f"bai-{i}", story_text(f"Bài số {i}", f"2026-03-{i + 1:02d} 08:00",
                                                     extra=f"tags: [thẻ {i % 2}]"))
    return tmp_project.root


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_forked_page_workers_write_the_same_site_as_one_process(tmp_project, monkeypatch):
    from site_builder import build as build_module

    root = _project_with_stories(tmp_project)
    settings = parse_settings(SETTINGS)
    one, many = root / "one", root / "many"
    serial = prepare_build(root, settings, BuildOptions(), site_dir=one, parallel=False)
    pages = serial.write(one, _PlainRenderer(), parallel=False)
    monkeypatch.setattr(build_module, "_worker_count", lambda pages: 3)
    parallel = prepare_build(root, settings, BuildOptions(), site_dir=many, parallel=True)
    assert parallel.write(many, _PlainRenderer(), parallel=True) == pages
    assert pages > 6 and _files(one) == _files(many)
    assert (many / "bai-viet/bai-5/index.html").read_text(encoding="utf-8").startswith("<title>Bài số 5</title>")
    assert not _alive("gs-render-1") and not _alive("gs-search-index")


def test_a_failed_page_in_a_worker_names_the_page_and_its_file(tmp_project, monkeypatch):
    from site_builder import build as build_module

    root = _project_with_stories(tmp_project)
    monkeypatch.setattr(build_module, "_worker_count", lambda pages: 3)
    build = prepare_build(root, parse_settings(SETTINGS), BuildOptions(), site_dir=root / "site", parallel=True)
    victim = build.pages().catalog.stories[0]
    shares = [t.url for t in build._tasks[1::3] + build._tasks[2::3]]
    assert victim.url in shares  # rendered by a forked worker, not by this process
    with pytest.raises(build_module.BuildFailure) as caught:
        build.write(root / "site", _PlainRenderer(fail_at=victim.url), parallel=True)
    message = str(caught.value)
    assert f"/{victim.url}" in message and "content/stories/2026/" in message and "ValueError: boom" in message


def test_a_failed_search_index_says_why(tmp_project, monkeypatch):
    from site_builder import build as build_module

    def broken(*args):
        raise RuntimeError("the Pagefind binary stopped answering for bundle 1")

    root = _project_with_stories(tmp_project, count=2)
    monkeypatch.setattr(build_module, "_publish_search_index", broken)
    build = prepare_build(root, parse_settings(SETTINGS), BuildOptions(), site_dir=root / "site", parallel=True)
    with pytest.raises(build_module.BuildFailure) as caught:
        build.write(root / "site", _PlainRenderer(), parallel=True)
    assert str(caught.value) == (
        "chỉ mục tìm kiếm bị lỗi: RuntimeError: the Pagefind binary stopped answering for bundle 1 (lỗi của chương "
        "trình dựng trang, không phải của nội dung: hãy chạy lại lệnh; nếu vẫn lỗi, hãy báo cho bộ phận kỹ thuật kèm "
        "các chi tiết in ở trên)"
    )


def _language(monkeypatch, language: str) -> None:
    """The build's messages in `language`: Vietnamese by default, English with LANG=en."""
    from site_builder import i18n

    if language == "en":
        for name in i18n.ENVIRONMENT:
            monkeypatch.delitem(ENV, name, raising=False)
        monkeypatch.setitem(ENV, "LANG", "en_US.UTF-8")


SEARCH_FAILED = {
    "vi": (r"LỖI +- chỉ mục tìm kiếm bị lỗi: gói tìm kiếm chính \(pagefind/: 2 bài viết từ 14/03/2026 đến 14/03/2026 "
           r"và 0 hồ sơ, 2 bản ghi\): " + PAGEFIND_CRASH_VI + "\n",
           "Bản dựng thất bại; trang đã dựng trước đó được giữ nguyên.", "tiến trình dừng với mã lỗi"),
    "en": (r"ERROR +- the search index failed: the primary search bundle \(pagefind/: 2 stories from 2026-03-14 to "
           r"2026-03-14 and 0 profiles, 2 records\): " + PAGEFIND_CRASH + "\n",
           "The build failed; the site built before is kept.", "the process stopped with exit code"),
}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_failed_search_index_says_why_and_for_which_bundle(tmp_project, monkeypatch, language):
    """The search index is built in a process of its own: its failure reaches the build's message
    (what failed, in which bundle, what to do), not only an exit code, and the previous site stays."""
    tmp_project.copy_image("2026/duong-hoa.jpg")
    tmp_project.add_story("duong-hoa", STORY)
    assert tmp_project.build().returncode == 0
    monkeypatch.setitem(ENV, "PAGEFIND_BINARY_PATH", str(low_memory_pagefind(tmp_project.root)))
    _language(monkeypatch, language)
    tmp_project.add_story("duong-hoa-2", STORY.replace("Đường hoa", "Đường hoa mới"))
    result = tmp_project.build()
    assert result.returncode == 1
    failed, kept, child_exit = SEARCH_FAILED[language]
    assert re.search(failed, result.stderr), result.stderr
    assert "Traceback" not in result.stderr and child_exit not in result.stderr
    assert kept in result.stderr
    assert (tmp_project.root / "site" / "pagefind" / "gs-search.json").is_file()


NO_PAGEFIND = {
    "vi": "LỖI      - PAGEFIND_BINARY_PATH đang là {path}, không phải tệp chạy được: hãy sửa lại hoặc bỏ biến này",
    "en": "ERROR    - PAGEFIND_BINARY_PATH is {path}, which is not an executable file: correct it or unset it",
}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_pagefind_binary_stops_the_build_saying_what_to_do(tmp_project, monkeypatch, language):
    tmp_project.add_story("duong-hoa", STORY.replace("cover:\n  src: 2026/duong-hoa.jpg\n  alt: Đường hoa\n", ""))
    missing = tmp_project.root / "no-such-pagefind"
    monkeypatch.setitem(ENV, "PAGEFIND_BINARY_PATH", str(missing))
    _language(monkeypatch, language)
    result = tmp_project.build()
    assert result.returncode == 1
    assert NO_PAGEFIND[language].format(path=missing) in result.stderr.splitlines(), result.stderr
    assert "Traceback" not in result.stderr

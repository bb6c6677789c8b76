"""The map of the site: URL shapes, the route registry, the one writer, and collisions in real builds."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import ENV, SITE_BUILDER, run_tool, story_text
from site_builder import fonts, i18n
from site_builder.routes import urls
from site_builder.routes.registry import Producer, RouteConflicts, RouteRegistry
from site_builder.writer import SiteWriter, UnclaimedOutput, WrittenTwice

A = Producer.file(Path("/p/content/stories/2026/a.md"), Path("/p"), slug=True)
B = Producer.generated("the generated home page")
STATIC = Producer.file(Path("/p/content/index.md"), Path("/p"))


# --- URL shapes -----------------------------------------------------------------------------


def test_url_shapes():
    assert urls.story("x") == "bai-viet/x/"
    assert urls.profile("x") == "ho-so/x/"
    assert urls.term("place", "vinh-phuc/xa-tan-phong") == "dia-phuong/vinh-phuc/xa-tan-phong/"
    assert urls.page("linh-vuc/a/", 1) == "linh-vuc/a/"
    assert urls.page("linh-vuc/a", 3) == "linh-vuc/a/page/3/"
    assert urls.output_path("") == "index.html"
    assert urls.output_path("bai-viet/x/") == "bai-viet/x/index.html"
    with pytest.raises(ValueError):
        urls.page("x/", 0)


def test_reserved_slugs_are_the_generated_pages_next_to_stories_and_profiles():
    assert urls.reserved_slugs("story") == {"page"}
    assert urls.reserved_slugs("profile") == {"page", "ca-nhan", "tap-the", "mo-hinh"}
    for slug in urls.reserved_slugs("profile") - {"page"}:
        assert urls.profile(slug) in {urls.profile_kind(k) for k in urls.PROFILE_KINDS}


# --- the registry ----------------------------------------------------------------------------


def test_two_producers_of_one_file_are_a_conflict_naming_both():
    registry = RouteRegistry()
    registry.claim("index.html", B)
    registry.claim("index.html", A)
    with pytest.raises(RouteConflicts) as caught:
        registry.check()
    assert str(caught.value) == (
        "1 tệp của trang web bị tạo ra hai lần nên chưa có gì được xuất bản:\n"
        "  index.html: content/stories/2026/a.md trùng địa chỉ với trang chủ (tạo tự động): "
        "hãy đổi slug: trong content/stories/2026/a.md"
    )


def test_a_conflict_says_what_to_do_in_english_too(english):
    registry = RouteRegistry()
    registry.claim("index.html", STATIC)
    registry.claim("index.html", B)
    registry.claim("x/index.html", A)
    registry.claim("x/index.html", STATIC)
    registry.claim("robots.txt", Producer.generated("the sitemap (sitemap.xml) and robots.txt"))
    registry.claim("robots.txt", Producer.generated("the theme's file {name}", name="robots.txt"))
    with pytest.raises(RouteConflicts) as caught:
        registry.check()
    assert str(caught.value).splitlines() == [
        "3 files of the site would be made twice, so nothing was published:",
        "  index.html: content/index.md takes the address of the generated home page: rename or remove content/index.md",
        "  x/index.html: both content/stories/2026/a.md and content/index.md make this file of the site: "
        "change the slug: of one of them",
        "  robots.txt: both the sitemap (sitemap.xml) and robots.txt and the theme's file robots.txt make this file "
        "of the site: if images.url_prefix was changed in mkdocs.yml, choose another folder; otherwise tell the "
        "technical staff",
    ]


def test_a_producer_made_at_import_is_shown_in_the_language_chosen_later():
    from site_builder.build import SEARCH

    assert str(SEARCH) == "chỉ mục tìm kiếm (Pagefind)"
    i18n.set_language("en")
    try:
        assert str(SEARCH) == "the search index (Pagefind)"
    finally:
        i18n.set_language("vi")


def test_one_producer_may_claim_a_path_twice():
    registry = RouteRegistry()
    photos = Producer("the photo pipeline")
    registry.claim("assets/images/a.jpg", photos)
    registry.claim("assets/images/a.jpg", Producer("the photo pipeline"))  # equal producers
    registry.check()
    assert registry.owner("assets/images/a.jpg") == photos


def test_a_claimed_folder_owns_every_file_under_it():
    registry = RouteRegistry()
    search = Producer("the search index")
    registry.claim_folder("pagefind/", search)
    assert registry.owner("pagefind/1/index/x.pf_index") == search
    assert "pagefind/pagefind.js" in registry and "pagefindx" not in registry
    registry.claim("pagefind/pagefind.js", A)
    assert [c.path for c in registry.conflicts] == ["pagefind/pagefind.js"]


def test_a_folder_claimed_after_a_file_under_it_is_a_conflict():
    registry = RouteRegistry()
    registry.claim("pagefind/x.js", A)
    registry.claim_folder("pagefind", Producer("the search index"))
    assert [c.path for c in registry.conflicts] == ["pagefind/x.js"]


def test_a_file_where_another_needs_a_folder_is_a_conflict():
    registry = RouteRegistry()
    registry.claim("bai-viet/x/index.html", A)
    registry.claim("bai-viet/x", B)
    registry.claim("ho-so", B)
    registry.claim("ho-so/y/index.html", A)
    assert sorted(c.path for c in registry.conflicts) == ["bai-viet/x", "ho-so/y/index.html"]


def test_paths_are_compared_in_nfc():
    registry = RouteRegistry()
    registry.claim("ảnh.jpg", A)
    registry.claim("a\u0309nh.jpg", B)  # the same name, decomposed
    assert len(registry.conflicts) == 1


# --- the writer ------------------------------------------------------------------------------


def test_the_writer_writes_claimed_paths_once(tmp_path):
    registry = RouteRegistry()
    registry.claim("a/b/index.html", A)
    registry.claim("x.bin", A)
    registry.claim_folder("pagefind/", B)
    source = tmp_path / "cached.txt"
    source.write_text("cached")
    writer = SiteWriter(tmp_path / "site", registry)
    writer.write_text("a/b/index.html", "<p>ảnh</p>")
    writer.write_bytes("x.bin", b"\x00")
    writer.link("pagefind/1/f.txt", source)
    assert (tmp_path / "site/a/b/index.html").read_text(encoding="utf-8") == "<p>ảnh</p>"
    assert (tmp_path / "site/pagefind/1/f.txt").read_text() == "cached"
    assert writer.count == 3
    with pytest.raises(WrittenTwice):
        writer.write_text("a/b/index.html", "again")
    with pytest.raises(UnclaimedOutput):
        writer.write_text("elsewhere.html", "?")
    assert not (tmp_path / "site/elsewhere.html").exists()


# --- collisions in real builds: an error naming both, the last good site untouched ------------


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def good_site(tmp_project):
    """A project with one story, built once; returns (project, snapshot of its site)."""
    tmp_project.add_story("mot-bai", story_text("Một bài viết", "2026-03-14 08:30"))
    first = tmp_project.build()
    assert first.returncode == 0, first.stderr
    return tmp_project, _snapshot(tmp_project.root / "site")


def _fails_naming(project, snapshot, *names: str) -> str:
    result = project.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for name in names:
        assert name in output, f"{name!r} not in:\n{output}"
    assert _snapshot(project.root / "site") == snapshot  # the last good site, byte for byte
    assert not list(project.root.glob(".site-staging-*"))
    check = run_tool(SITE_BUILDER, "-f", project.config, "check", cwd=project.root)  # check finds it first
    assert check.returncode == 1 and all(name in check.stderr for name in names[:1]), check.stderr
    return output


PROFILE = "---\nname: Cá nhân\nkind: ca-nhan\nsummary: Một hồ sơ tên là Cá nhân.\n---\nTiểu sử.\n"


def test_a_profile_slug_equal_to_a_kind_does_not_replace_the_kinds_index(good_site):
    project, snapshot = good_site
    project.write("content/profiles/ca-nhan/ca-nhan.md", PROFILE)
    _fails_naming(project, snapshot, "content/profiles/ca-nhan/ca-nhan.md", "ho-so/ca-nhan/")


CONTENT_INDEX = {
    "vi": [
        "LỖI      - 1 tệp của trang web bị tạo ra hai lần nên chưa có gì được xuất bản:",
        "  index.html: content/index.md trùng địa chỉ với trang chủ (tạo tự động): hãy đổi tên hoặc xoá content/index.md",
        "Bản dựng thất bại; trang đã dựng trước đó được giữ nguyên. Hãy sửa các lỗi ở trên rồi dựng lại.",
    ],
    "en": [
        "ERROR    - 1 file of the site would be made twice, so nothing was published:",
        "  index.html: content/index.md takes the address of the generated home page: rename or remove content/index.md",
        "The build failed; the site built before is kept. Correct the errors above, then build again.",
    ],
}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_content_index_page_does_not_replace_the_home_page(good_site, monkeypatch, language):
    """What a staff member sees: every line Vietnamese and saying what to do; English with LANG=en."""
    project, snapshot = good_site
    if language == "en":
        for name in i18n.ENVIRONMENT:
            monkeypatch.delitem(ENV, name, raising=False)
        monkeypatch.setitem(ENV, "LANG", "en_US.UTF-8")
    project.write("content/index.md", "# Trang chủ của tôi\n")
    output = _fails_naming(project, snapshot, "content/index.md")
    assert output.splitlines() == CONTENT_INDEX[language], output


def test_two_stories_with_one_slug(good_site):
    project, snapshot = good_site
    project.add_story("mot-bai", story_text("Một bài khác", "2025-01-02 08:00"))  # content/stories/2025/mot-bai.md
    _fails_naming(project, snapshot, "content/stories/2025/mot-bai.md", "content/stories/2026/mot-bai.md")


FONT = fonts.published_path(fonts.FACES[0])  # assets/fonts/be-vietnam-pro-400.<hash>.woff2


@pytest.mark.parametrize("static, names", [
    ("content/robots.txt", ["content/robots.txt", "robots.txt"]),
    ("content/bai-viet/index.html", ["content/bai-viet/index.html", "trang danh sách mọi bài viết"]),
    (f"content/{FONT}", [f"content/{FONT}", "phông chữ"]),
])
def test_a_static_file_does_not_replace_a_generated_output(good_site, static, names):
    project, snapshot = good_site
    project.write(static, "x")
    _fails_naming(project, snapshot, *names)

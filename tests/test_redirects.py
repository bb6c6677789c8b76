"""Old addresses (`aliases:`): what editors may write, the redirect pages, and collisions in build and check."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import SITE_BUILDER, run_tool, story_text
from content_fixtures import PROFILE_PATH, STORY_PATH, edit, make_project
from site_builder.catalog import build_catalog
from site_builder.content import validate_content
from site_builder.content.aliases import old_path
from site_builder.content.scaffold import new_profile, new_story
from site_builder.outputs.base import OutputPlan
from site_builder.outputs.redirects import STORY_MOVED, Redirect, page, redirect_rules, redirects, target_url
from site_builder.routes import urls
from site_builder.routes.registry import Producer, RouteConflicts, RouteRegistry
from site_builder.settings import parse_settings

SITE = "https://guongsang.example.vn/"
HOSTILE = '</script><script>alert(1)</script> "Trích" & <b>đậm</b>'


# --- what an editor may write ------------------------------------------------------------------


@pytest.mark.parametrize("written, path", [
    ("/tin-tuc/binh-xuyen-nhieu-sang-tao-123456.html", "tin-tuc/binh-xuyen-nhieu-sang-tao-123456.html"),
    ("/bai-viet/old-slug/", "bai-viet/old-slug/"),
    ("/bai-viet/old-slug", "bai-viet/old-slug/"),  # a folder, with or without its slash
    ("bai-viet/old-slug", "bai-viet/old-slug/"),  # the first slash may be left out
    ("/tin-tuc/x.HTM", "tin-tuc/x.HTM"),
    ("/tin-tuc/x.html/", "tin-tuc/x.html/"),
    ("/chuyen-muc/bai.aspx", "chuyen-muc/bai.aspx/"),
    ("/tin-t%E1%BB%A9c/b%C3%A0i-c%C5%A9.html", "tin-tức/bài-cũ.html"),  # percent-encoded: decoded
    ("/tin-tu\u031b\u0301c/ba\u0300i.html", "tin-tức/bài.html"),  # decomposed: NFC
    ("/a//b/./c.html", "a/b/c.html"),
    ("https://guongsang.example.vn/tin-tuc/x-1.html", "tin-tuc/x-1.html"),  # a full URL on this site
    ("http://www.guongsang.example.vn/tin-tuc/x-1.html", "tin-tuc/x-1.html"),
    ("//GUONGSANG.example.vn/cu/", "cu/"),
    ("/danh-muc/page/2/", "danh-muc/page/2/"),  # not one of our lists
])
def test_old_addresses_become_decoded_site_paths(written, path):
    assert old_path(written, SITE) == path


def test_a_site_under_a_folder_takes_full_urls_under_it():
    assert old_path("https://example.org/guong-sang/tin-tuc/x.html", "https://example.org/guong-sang/") == \
        "tin-tuc/x.html"
    with pytest.raises(ValueError, match="nằm ngoài địa chỉ https://example.org/guong-sang/"):
        old_path("https://example.org/khac/x.html", "https://example.org/guong-sang/")


@pytest.mark.parametrize("written, message", [
    ("https://baovinhphuc.com.vn/tin-tuc/x.html",
     "'https://baovinhphuc.com.vn/tin-tuc/x.html' là địa chỉ của một trang web khác (baovinhphuc.com.vn): chỉ địa "
     "chỉ cũ của chính trang này (https://guongsang.example.vn/) mới chuyển tới đây được; hãy xoá dòng này"),
    ("/tin-tuc/x.html?id=12#muc",
     "'/tin-tuc/x.html?id=12#muc' có phần truy vấn (?...) hoặc phần neo (#...), điều mà trang chuyển hướng không "
     "thể có: hãy chỉ viết đường dẫn, ví dụ '/tin-tuc/x.html'"),
    ("/tin-tuc/x.html#muc", "phần neo"),
    ("/x%3F.html", "dấu ? hoặc #"),
    ("/tin-tuc/../robots.txt", "có '..': hãy viết cả đường dẫn tính từ gốc trang web"),
    ("/tin-tuc/%2e%2e/x.html", "có '..'"),
    ("/tin-tuc/%C3.html", "mã phần trăm (%..) không phải văn bản UTF-8"),
    ("/a%0Ab.html", "ký tự điều khiển"),
    ("/.git/config", "bắt đầu bằng '.'"),
    ("/" + "a" * 256 + ".html", "dài hơn 255 byte"),
    ("/", "'/' là địa chỉ của trang chủ: hãy xoá dòng này"),
    ("https://guongsang.example.vn", "là địa chỉ của trang chủ"),
    ("/index.html", "là địa chỉ của trang chủ"),
    ("/assets/images/x.html", "nằm trong /assets/, nơi trang web tự tạo ra"),
    ("/pagefind/pagefind.js", "nằm trong /pagefind/"),
    ("/sitemap.xml", "nằm trong /sitemap.xml"),
    ("/sitemap-3.xml", "nằm trong /sitemap-3.xml"),  # a part of the sitemap index, as the site grows
    ("/news-sitemap.xml", "nằm trong /news-sitemap.xml"),
    ("/api/stories/x.json", "nằm trong /api/"),
    ("/nhung/bai-moi/", "nằm trong /nhung/"),
    ("/robots.txt", "nằm trong /robots.txt"),
    ("/404.html", "nằm trong /404.html"),
    ("/rss.xml", "nằm trong /rss.xml"),  # the site's feed
    ("/page/2/", "nằm trong /page/2/"),
    ("/bai-viet/page/3", "nằm trong /bai-viet/page/3/"),
    ("/dia-phuong/vinh-phuc/page/2/", "nằm trong /dia-phuong/vinh-phuc/page/2/"),
    ("mailto:toasoan@guongsang.vn", "không phải địa chỉ web"),
    ("  ", "không được để trống"),
])
def test_refused_old_addresses_say_why_and_what_to_do(written, message):
    with pytest.raises(ValueError) as refused:
        old_path(written, SITE)
    assert message in str(refused.value)


def test_a_full_url_needs_the_sites_address():
    with pytest.raises(ValueError, match="mkdocs.yml chưa có site_url"):
        old_path("https://guongsang.example.vn/tin-tuc/x.html", "")
    assert old_path("/tin-tuc/x.html", "") == "tin-tuc/x.html"


def test_reserved_paths_are_the_builds_own_outputs():
    assert urls.redirect_output("tin-tuc/x.html") == "tin-tuc/x.html"
    assert urls.redirect_output("bai-viet/cu/") == urls.redirect_output("bai-viet/cu") == "bai-viet/cu/index.html"
    assert urls.reserved_path("") == "index.html"
    assert urls.reserved_path("ho-so/ca-nhan/page/2/") == "ho-so/ca-nhan/page/2/"
    assert urls.reserved_path("luu-tru/2026/03/page/4/") == "luu-tru/2026/03/page/4/"
    assert urls.reserved_path("tin-tuc/page/2/") == ""  # another site's lists are not ours
    assert urls.reserved_path("bai-viet/page-2/") == ""


# --- validation: every problem on its line --------------------------------------------------------

ALIASES = """\
aliases:
  - /tin-tuc/binh-xuyen-123456.html
  - https://baovinhphuc.com.vn/x.html
  - /tin-tuc/x.html?id=1
  - 12345
  - [a, b]
  - /bai-viet/binh-xuyen-sang-tao/
  - /tin-tuc/binh-xuyen-123456.html
  - /tin-t%E1%BB%A9c/b%C3%A0i.html
"""


def _issues(root: Path, site_url: str = SITE) -> list[tuple[str, int, str, str]]:
    _, issues = validate_content(root, site_url=site_url)
    return [(i.path.relative_to(root.resolve()).as_posix(), i.line, i.field, i.message) for i in issues]


def test_bad_entries_are_reported_on_their_lines(tmp_path):
    project = make_project(tmp_path)
    edit(project, STORY_PATH, "slug: binh-xuyen-sang-tao\n", "slug: binh-xuyen-sang-tao\n" + ALIASES)
    got = _issues(project)
    assert [(line, field) for _, line, field, _ in got] == [
        (42, "aliases[1]"), (43, "aliases[2]"), (45, "aliases[4]"),
    ]
    assert got[0][3].startswith("'https://baovinhphuc.com.vn/x.html' là địa chỉ của một trang web khác")
    assert got[2][3] == "cần một đoạn chữ, không phải một danh sách"


def test_the_pages_own_address_and_an_address_twice_are_reported(tmp_path):
    project = make_project(tmp_path)
    valid = "".join(line + "\n" for line in ALIASES.splitlines() if "baovinhphuc" not in line and "?" not in line
                    and "[a, b]" not in line)
    edit(project, STORY_PATH, "slug: binh-xuyen-sang-tao\n", "slug: binh-xuyen-sang-tao\n" + valid)
    assert _issues(project) == [
        (STORY_PATH, 43, "aliases[2]", "'/bai-viet/binh-xuyen-sang-tao/' chính là địa chỉ của trang này: hãy xoá "
                                       "dòng này"),
        (STORY_PATH, 44, "aliases[3]", "'/tin-tuc/binh-xuyen-123456.html' đã được ghi ở dòng 41: hãy xoá một trong "
                                       "hai dòng"),
    ]


def test_a_valid_list_keeps_paths_and_lines(tmp_path):
    project = make_project(tmp_path)
    edit(project, STORY_PATH, "slug: binh-xuyen-sang-tao\n",
         "slug: binh-xuyen-sang-tao\naliases: /tin-tuc/binh-xuyen-123456.html\n")
    edit(project, PROFILE_PATH, "---\nTiểu sử", "aliases:\n  - /ho-so/phuong-cu/\n  - //guongsang.example.vn/nguoi/"
                                               "ph%C6%B0%E1%BB%A3ng\n---\nTiểu sử")
    content, issues = validate_content(project, site_url=SITE)
    assert issues == []
    (story,), (profile,) = content.stories, content.profiles
    assert [(a.path, a.line) for a in story.aliases] == [("tin-tuc/binh-xuyen-123456.html", 40)]
    first = _line_of(project / PROFILE_PATH, "aliases:") + 1
    assert [(a.path, a.line) for a in profile.aliases] == [("ho-so/phuong-cu/", first), ("nguoi/phượng/", first + 1)]


def _line_of(path: Path, text: str) -> int:
    """The line (1-based) of the file that is `text`."""
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_too_many_old_addresses(tmp_path):
    project = make_project(tmp_path)
    many = "aliases:\n" + "".join(f"  - /cu/{n}.html\n" for n in range(51))
    edit(project, STORY_PATH, "slug: binh-xuyen-sang-tao\n", "slug: binh-xuyen-sang-tao\n" + many)
    assert _issues(project) == [(STORY_PATH, 40, "aliases", "quá nhiều: 51 mục, tối đa chỉ được 50: hãy bớt đi")]


def test_the_scaffolds_example_lines_validate(tmp_path):
    project = make_project(tmp_path)
    story = new_story(project, "Bài mới", today=dt.date(2026, 5, 4))
    profile = new_profile(project, "Hồ sơ mới", "ca-nhan")
    for path in (story, profile):
        text = path.read_text(encoding="utf-8")
        lines = [line[2:] if line.startswith(("# aliases:", "#   - /")) else line for line in text.splitlines()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    content, issues = validate_content(project, site_url=SITE)
    assert issues == []
    made = {s.slug: s for s in content.stories}["bai-moi"]
    assert [a.path for a in made.aliases] == ["tin-tuc/ten-bai-cu-123456.html", "bai-viet/slug-cu/"]
    assert [a.path for a in {p.slug: p for p in content.profiles}["ho-so-moi"].aliases] == ["ho-so/slug-cu/"]


# --- the redirect page and the list of redirects -----------------------------------------------------


class _Redirect:
    """A redirect page parsed with Beautiful Soup: what a browser and a search engine read in it."""

    def __init__(self, data: bytes) -> None:
        self.doc = BeautifulSoup(data.decode("utf-8"), "html.parser")
        self.canonical = [t["href"] for t in self.doc.find_all("link", rel="canonical")]
        self.refresh = [t["content"] for t in self.doc.find_all("meta", attrs={"http-equiv": "refresh"})]
        self.robots = [t["content"] for t in self.doc.find_all("meta", attrs={"name": "robots"})]
        self.links = [(a["href"], a.get_text()) for a in self.doc.body.find_all("a")]
        self.text = self.doc.body.get_text().strip()


def test_a_redirect_page_has_canonical_refresh_noindex_and_a_link():
    target = "https://guongsang.example.vn/bai-viet/binh-xuyen/"
    data = page(Redirect("tin-tuc/x.html", target, Producer("x"), HOSTILE, STORY_MOVED))
    parsed = _Redirect(data)
    assert parsed.doc.html["lang"] == "vi"
    assert parsed.canonical == [target]
    assert parsed.refresh == [f"0; url={target}"]
    assert parsed.robots == ["noindex"]
    assert parsed.links == [(target, HOSTILE)]
    assert parsed.text == f"Bài viết đã chuyển tới: {HOSTILE}"
    assert parsed.doc.title.string == f"Bài viết đã chuyển tới: {HOSTILE}"
    assert not parsed.doc.find_all("script") and b"<b>" not in data


def test_a_target_with_quotes_or_spaces_stays_one_address():
    parsed = _Redirect(page(Redirect("cu/", "https://example.org/a b/'x\"/", Producer("x"), "")))
    href = "https://example.org/a%20b/%27x%22/"
    assert parsed.canonical == [href] and parsed.refresh == [f"0; url={href}"]
    assert parsed.text == "Trang đã chuyển tới: https://example.org/a b/'x\"/"


def _catalog_with_aliases(tmp_path):
    project = make_project(tmp_path)
    edit(project, STORY_PATH, "slug: binh-xuyen-sang-tao\n",
         "slug: binh-xuyen-sang-tao\naliases: [/tin-tuc/binh-xuyen-123456.html, /bai-viet/binh-xuyen-cu]\n")
    edit(project, PROFILE_PATH, "---\nTiểu sử", "aliases: [/ho-so/phuong-cu/]\n---\nTiểu sử")
    content, issues = validate_content(project, site_url=SITE)
    assert issues == []
    return project, build_catalog(content, dt.datetime(2026, 6, 1))


def test_redirects_from_the_catalog_name_their_file_and_line(tmp_path):
    project, catalog = _catalog_with_aliases(tmp_path)
    settings = parse_settings({"site_name": "Gương Sáng", "site_url": SITE, "organisation": {"name": "Ban biên tập"},
                               "feedback": {"email": "a@example.vn"}})
    found = list(redirects(OutputPlan(catalog, settings, (), root=project)))
    assert [(r.path, r.output, r.target, str(r.producer), r.producer.alias, r.producer.line) for r in found] == [
        ("tin-tuc/binh-xuyen-123456.html", "tin-tuc/binh-xuyen-123456.html", SITE + "bai-viet/binh-xuyen-sang-tao/",
         STORY_PATH, "aliases[0]", 40),
        ("bai-viet/binh-xuyen-cu/", "bai-viet/binh-xuyen-cu/index.html", SITE + "bai-viet/binh-xuyen-sang-tao/",
         STORY_PATH, "aliases[1]", 40),
        ("ho-so/phuong-cu/", "ho-so/phuong-cu/index.html", SITE + "ho-so/nguyen-thi-phuong/", PROFILE_PATH,
         "aliases[0]", _line_of(project / PROFILE_PATH, "aliases: [/ho-so/phuong-cu/]")),
    ]
    assert found[2].title == "Nguyễn Thị Phượng" and found[2].notice == "Hồ sơ đã chuyển tới"
    assert redirect_rules(catalog, settings) == [
        ("/tin-tuc/binh-xuyen-123456.html", SITE + "bai-viet/binh-xuyen-sang-tao/"),
        ("/bai-viet/binh-xuyen-cu/", SITE + "bai-viet/binh-xuyen-sang-tao/"),
        ("/ho-so/phuong-cu/", SITE + "ho-so/nguyen-thi-phuong/"),
    ]


def test_without_a_site_url_a_redirect_leads_from_the_sites_root(tmp_path):
    """A preview (`serve`) may have no site_url: the redirect then leads to /bai-viet/x/ on the same host."""
    _, catalog = _catalog_with_aliases(tmp_path)
    settings = parse_settings({"site_name": "Gương Sáng", "organisation": {"name": "Ban biên tập"},
                               "feedback": {"email": "a@example.vn"}})
    plan = OutputPlan(catalog, settings, ())
    assert target_url(plan, "bai-viet/x/") == "/bai-viet/x/"
    assert [r.target for r in redirects(plan)][:1] == ["/bai-viet/binh-xuyen-sang-tao/"]
    assert str(next(iter(redirects(plan))).producer).endswith(STORY_PATH)  # no root: the file's whole path


def test_conflicts_of_old_addresses_say_which_aliases_line_to_change():
    story = Producer.file(Path("/p/content/stories/2026/a.md"), Path("/p"), slug=True)
    alias = Producer.alias_in(Path("/p/content/stories/2026/b.md"), Path("/p"), "aliases[1]", 9)
    other = Producer.alias_in(Path("/p/content/profiles/ca-nhan/c.md"), Path("/p"), "aliases[0]", 12)
    registry = RouteRegistry()
    registry.claim("bai-viet/a/index.html", story)
    registry.claim("bai-viet/a/index.html", alias)
    registry.claim("tin-tuc/x.html", alias)
    registry.claim("tin-tuc/x.html", other)
    registry.claim("tim-kiem/index.html", Producer.generated("the generated search page"))
    registry.claim("tim-kiem/index.html", other)
    with pytest.raises(RouteConflicts) as caught:
        registry.check()
    assert str(caught.value).splitlines()[1:] == [
        "  bai-viet/a/index.html: địa chỉ cũ ghi trong content/stories/2026/b.md (aliases[1], dòng 9) là địa chỉ của "
        "content/stories/2026/a.md: hãy xoá hoặc sửa dòng đó của aliases: trong content/stories/2026/b.md",
        "  tin-tuc/x.html: địa chỉ cũ ghi trong content/stories/2026/b.md (aliases[1], dòng 9) cũng được ghi trong "
        "content/profiles/ca-nhan/c.md (aliases[0], dòng 12): hãy xoá nó khỏi aliases: của một trong hai tệp",
        "  tim-kiem/index.html: địa chỉ cũ ghi trong content/profiles/ca-nhan/c.md (aliases[0], dòng 12) là địa chỉ "
        "của trang tìm kiếm (tạo tự động): hãy xoá hoặc sửa dòng đó của aliases: trong content/profiles/ca-nhan/c.md",
    ]


# --- real builds ---------------------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_story_made_with_new_builds_its_redirects_with_its_hostile_title(tmp_project):
    made = run_tool(SITE_BUILDER, "-f", tmp_project.config, "new", "story", HOSTILE, "--kind", "ca-nhan",
                    cwd=tmp_project.root)
    assert made.returncode == 0, made.stderr
    path = tmp_project.root / made.stdout.strip()
    text = path.read_text(encoding="utf-8").replace("draft: true", "draft: false")
    old = ('aliases:\n  - /tin-tuc/binh-xuyen-nhieu-sang-tao-123456.html\n  - /bai-viet/ten-cu\n'
           '  - "/tin-t%E1%BB%A9c/<b>\\"c\\" & d</b>.html"\n  - https://guongsang.example.vn/ho-so/c%C5%A9/\n')
    path.write_text(text.replace("\n---\n", "\n" + old + "---\n", 1), encoding="utf-8")
    result = tmp_project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_project.root / "site"
    (story,) = [p.parent for p in (site / "bai-viet").glob("*/index.html") if p.parent.name != "ten-cu"]
    target = SITE + f"bai-viet/{story.name}/"
    for file in ["tin-tuc/binh-xuyen-nhieu-sang-tao-123456.html", "bai-viet/ten-cu/index.html",
                 'tin-tức/<b>"c" & d</b>.html', "ho-so/cũ/index.html"]:
        parsed = _Redirect((site / file).read_bytes())
        assert parsed.canonical == [target], file
        assert parsed.refresh == [f"0; url={target}"] and parsed.robots == ["noindex"]
        assert parsed.links == [(target, HOSTILE)]
    story_page = _Redirect((story / "index.html").read_bytes())
    assert story_page.canonical == [target]  # where the redirects lead


@pytest.fixture
def good_site(tmp_project):
    """A project with one story, built once; returns (project, snapshot of its site)."""
    tmp_project.add_story("mot-bai", story_text("Một bài viết", "2026-03-14 08:30"))
    first = tmp_project.build()
    assert first.returncode == 0, first.stderr
    return tmp_project, _snapshot(tmp_project.root / "site")


def _collides(project, snapshot, aliases: str, *names: str, line: str = "") -> None:
    """A story listing `aliases` stops build and check, both naming `names` (files, lines, the other output);
    check says it on `line` (``path:line: aliases[i]: ``)."""
    project.add_story("bai-hai", story_text("Bài thứ hai", "2026-03-15 08:30", extra=aliases))
    result = project.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for name in names:
        assert name in output, f"{name!r} not in:\n{output}"
    assert _snapshot(project.root / "site") == snapshot  # the last good site, byte for byte
    check = run_tool(SITE_BUILDER, "-f", project.config, "check", cwd=project.root)
    assert check.returncode == 1, check.stdout + check.stderr
    for name in names:
        assert name in check.stderr, f"{name!r} not in:\n{check.stderr}"
    assert line in check.stderr, check.stderr


def test_an_old_address_that_is_another_storys_page(good_site):
    project, snapshot = good_site
    _collides(project, snapshot, "aliases: [/tin-tuc/a.html, /bai-viet/mot-bai/]",
              "bai-viet/mot-bai/index.html: địa chỉ cũ ghi trong content/stories/2026/bai-hai.md (aliases[1], dòng 6) "
              "là địa chỉ của content/stories/2026/mot-bai.md: hãy xoá hoặc sửa dòng đó của aliases: trong "
              "content/stories/2026/bai-hai.md", line="content/stories/2026/bai-hai.md:6: aliases[1]: ")


def test_an_old_address_listed_by_two_stories(good_site):
    project, snapshot = good_site
    project.add_story("mot-bai", story_text("Một bài viết", "2026-03-14 08:30",
                                            extra="aliases:\n  - /tin-tuc/cu.html"))
    snapshot = _snapshot(project.root / "site")
    _collides(project, snapshot, "aliases:\n  - https://guongsang.example.vn/tin-tuc/cu.html",
              "tin-tuc/cu.html: địa chỉ cũ ghi trong ", "content/stories/2026/bai-hai.md (aliases[0], dòng 7)",
              "content/stories/2026/mot-bai.md (aliases[0], dòng 7)",
              "hãy xoá nó khỏi aliases: của một trong hai tệp")


def test_an_old_address_that_is_a_generated_page(good_site):
    project, snapshot = good_site
    _collides(project, snapshot, "aliases: /linh-vuc",
              "linh-vuc/index.html: địa chỉ cũ ghi trong content/stories/2026/bai-hai.md (aliases[0], dòng 6) là địa "
              "chỉ của trang mục lục (tạo tự động)", line="content/stories/2026/bai-hai.md:6: aliases[0]: ")


def test_an_old_address_that_is_a_file_of_the_content_folder(good_site):
    project, snapshot = good_site
    project.write("content/tin-tuc/cu.html", "<p>Trang cũ</p>")
    _collides(project, snapshot, "aliases: /tin-tuc/cu.html",
              "tin-tuc/cu.html: địa chỉ cũ ghi trong content/stories/2026/bai-hai.md (aliases[0], dòng 6) là địa chỉ "
              "của content/tin-tuc/cu.html: hãy xoá hoặc sửa dòng đó của aliases: trong content/stories/2026/bai-hai.md")


def test_a_bad_entry_stops_the_build_on_its_line(good_site):
    project, snapshot = good_site
    project.add_story("bai-hai", story_text("Bài thứ hai", "2026-03-15 08:30",
                                            extra="aliases:\n  - /tin-tuc/a.html\n  - /tin-tuc/b.php?id=2"))
    result = project.build()
    assert result.returncode != 0
    assert ("content/stories/2026/bai-hai.md:8: aliases[1]: '/tin-tuc/b.php?id=2' có phần truy vấn"
            in result.stdout + result.stderr)
    assert _snapshot(project.root / "site") == snapshot


def test_a_withdrawn_storys_old_addresses_are_gone_too(tmp_project):
    """A story taken down (`site-builder unpublish`) is gone from every output: its redirects too
    (they would name its title and address), and the build's scan for what is left passes."""
    tmp_project.add_story("mot-bai", story_text("Gương sáng xã Tân Phong", "2026-03-14 08:30",
                                                extra="aliases: [/tin-tuc/cu.html, /bai-viet/ten-cu/]"))
    assert tmp_project.build().returncode == 0
    site = tmp_project.root / "site"
    assert (site / "tin-tuc/cu.html").is_file() and (site / "bai-viet/ten-cu/index.html").is_file()
    taken = run_tool(SITE_BUILDER, "-f", tmp_project.config, "unpublish", "mot-bai", "--reason", "Nhân vật đề nghị",
                     cwd=tmp_project.root)
    assert taken.returncode == 0, taken.stderr
    result = tmp_project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (site / "tin-tuc/cu.html").exists() and not (site / "bai-viet/ten-cu").exists()

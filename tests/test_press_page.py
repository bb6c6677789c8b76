"""The press page (/bao-chi/, "Dành cho báo chí"): Vietnamese, linked from every footer, and every
example on it works: its addresses are fetched from the built demo served on 127.0.0.1, and its
JavaScript example is run with Node.js against that server."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO, served, text_of
from site_builder.catalog import build_catalog
from site_builder.content.models import ContentSet, Kind, Person, Place, Story
from site_builder.pages import press
from site_builder.settings import load_settings
from site_builder.vietnamese import now_in_vietnam

ADDRESS = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture(scope="module")
def press_doc(built_site):
    return built_site.page("bao-chi/")


def test_press_page_is_vietnamese(press_doc, demo_config):
    assert press_doc.html["lang"] == "vi"
    assert text_of(press_doc.title) == f"Dành cho báo chí – {demo_config['site_name']}"
    article = press_doc.select_one("article.gs-press")
    assert text_of(article.h1) == "Dành cho báo chí"
    headings = [text_of(h) for h in article.find_all("h2")]
    assert headings[:3] == ["Theo dõi tin mới", "Sơ đồ trang", "Dữ liệu JSON (API)"]
    assert headings[-1] == "Ghi nguồn khi đăng lại"
    feeds = [text_of(th) for th in article.select("#gs-theo-doi tbody th")]
    assert feeds[0] == "Toàn bộ bài viết" and feeds[1].startswith("Lĩnh vực: ") and len(feeds) >= 3
    crumbs = [text_of(a) for a in press_doc.select(".gs-breadcrumbs a, .gs-breadcrumbs [aria-current]")]
    assert crumbs[0] == "Trang chủ"
    assert press_doc.select_one('meta[name="description"]')["content"].startswith("Theo dõi, đăng lại")


def test_every_page_links_to_the_press_page(built_site):
    for url, doc in built_site.all_pages().items():
        if url == "404.html" or url.startswith("nhung/"):  # embed cards are not pages of the site
            continue
        link = doc.select_one(".gs-footer__press a")
        assert link is not None and text_of(link) == "Dành cho báo chí", url
        assert built_site.links(link.parent, url) == ["bao-chi/"], url


def test_examples_use_the_newest_story(press_doc, demo_catalog, demo_config):
    newest = demo_catalog.stories[0]
    base = demo_config["site_url"]
    text = press_doc.select_one("article.gs-press").get_text(" ")
    assert f"{base}api/stories/{newest.slug}.json" in text
    credit = text_of(press_doc.select_one(".gs-press__credit"))
    assert credit.startswith(f"Theo {demo_config['site_name']}: “{newest.title}”")
    assert credit.endswith(base + newest.url)


def _addresses(article) -> list[str]:
    """Every absolute address the page gives: its links and the addresses in its code examples."""
    found = [a["href"] for a in article.find_all("a", href=True) if a["href"].startswith("http")]
    for code in article.find_all("code"):
        found += ADDRESS.findall(code.get_text())
    return list(dict.fromkeys(found))


def test_every_example_address_works_on_the_built_site(built_site, press_doc, demo_config):
    base = demo_config["site_url"]
    article = press_doc.select_one("article.gs-press")
    addresses = [a for a in _addresses(article) if a.startswith(base)]
    assert f"{base}api/stories.json" in addresses and f"{base}sitemap.xml" in addresses
    links = {a["href"] for a in article.find_all("a", href=True)}
    fetched = 0
    with served(built_site.dir) as local:
        for address in addresses:
            if address not in links and address.endswith("/page/2.json"):
                continue  # shown as the next page's address, which a site of fewer stories does not have
            with urllib.request.urlopen(local + "/" + address[len(base):], timeout=10) as response:
                assert response.status == 200, address
                body = response.read()
            if address.endswith("feed.json"):
                assert json.loads(body)["version"] == "https://jsonfeed.org/version/1.1"
            elif address.endswith(".json"):
                assert json.loads(body)["version"] == 1
            elif address.endswith(".xml"):
                assert etree.fromstring(body).tag.endswith(("urlset", "sitemapindex", "rss", "feed"))
            fetched += 1
    assert fetched >= 5


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_javascript_example_reads_every_story(built_site, press_doc, demo_catalog, demo_config, tmp_path):
    base = demo_config["site_url"]
    codes = [c.get_text() for c in press_doc.select("code.language-js")]
    assert len(codes) == 1 and "fetch(" in codes[0]
    with served(built_site.dir) as local:
        script = tmp_path / "example.mjs"
        script.write_text(codes[0].replace(base, local + "/"), encoding="utf-8")
        result = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(demo_catalog.stories)
    assert [line.split(" ", 1)[1] for line in lines] == [f"{s.title} {base}{s.url}" for s in demo_catalog.stories]


# --- the view, with every output built or none ----------------------------------------------------

HOSTILE = '</script><script>alert(1)</script> "Trích" & <b>đậm</b>'


def _catalog():
    import datetime as dt

    now = now_in_vietnam()
    story = Story(path=Path("content/stories/x.md"), body="", body_line=6, title=HOSTILE, date=now - dt.timedelta(hours=1),
                  summary="Tóm tắt.", kind=Kind.PERSON, slug="bai-thu", fields=("giao-duc",),
                  place=Place(province="Vĩnh Phúc", commune="xã Tân Phong"), authors=("Thành An",),
                  people=(Person(name="Nguyễn Thị Phượng", profile="nguyen-thi-phuong"),))
    from site_builder.content.models import Profile

    profile = Profile(path=Path("content/profiles/ca-nhan/p.md"), body="", body_line=5, name="Nguyễn Thị Phượng",
                      kind=Kind.PERSON, summary="Tóm tắt.", slug="nguyen-thi-phuong")
    return build_catalog(ContentSet(stories=[story], profiles=[profile]), now)


def test_press_view_lists_every_feed_the_build_makes():
    settings = load_settings(REPO / "mkdocs.yml")
    base = settings.site_url
    view = press.press_view(_catalog(), settings, lambda path: True)
    assert [(f.name, f.page_url) for f in view.feeds] == [
        ("Toàn bộ bài viết", base),
        ("Lĩnh vực: giao-duc", f"{base}linh-vuc/giao-duc/"),
        ("Địa phương: Phú Thọ", f"{base}dia-phuong/phu-tho/"),  # today's province of Vĩnh Phúc (2025 reform)
        ("Hồ sơ: Nguyễn Thị Phượng", f"{base}ho-so/nguyen-thi-phuong/"),
    ]
    assert [(link.name, link.url) for link in view.feeds[1].formats] == [
        ("RSS 2.0", f"{base}linh-vuc/giao-duc/rss.xml"), ("Atom 1.0", f"{base}linh-vuc/giao-duc/atom.xml"),
        ("JSON Feed 1.1", f"{base}linh-vuc/giao-duc/feed.json")]
    assert [link.url for link in view.feeds[0].formats] == [f"{base}rss.xml", f"{base}atom.xml", f"{base}feed.json"]
    assert view.embed_url == f"{base}nhung/bai-thu/"
    assert view.embed_code is not None
    code = view.embed_code.code
    assert f'src="{base}nhung/bai-thu/"' in code
    assert 'title="&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &#34;Trích&#34; &amp; &lt;b&gt;đậm&lt;/b&gt;"' in code
    assert view.credit == f"Theo {settings.site_name}: “{HOSTILE}”, Bài: Thành An, {base}bai-viet/bai-thu/"


def test_press_view_leaves_out_what_the_build_does_not_make():
    settings = load_settings(REPO / "mkdocs.yml")
    view = press.press_view(_catalog(), settings, lambda path: False)
    assert view.feeds == () and view.api_files == () and view.api_examples == ()
    assert view.sitemap_url == view.news_sitemap_url == view.embed_url == "" and view.embed_code is None
    assert view.credit  # how to credit needs no file

"""sitemap.xml (lastmod of every page, the index past 50,000 URLs or 50 MB), news-sitemap.xml, robots.txt.

The XML is validated with lxml against the official schemas in tests/schemas/ (see its README);
expected dates are computed here from the demo's content, not read from the build.
"""

from __future__ import annotations

import gzip

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from site_builder.catalog import build_catalog
from site_builder.content.models import ContentSet, Kind, Story
from site_builder.outputs import news_sitemap, sitemap
from site_builder.routes import urls

SCHEMAS = Path(__file__).resolve().parent / "schemas"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
BASE = "https://guongsang.example.vn/"
VN = dt.timezone(dt.timedelta(hours=7))


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


URLSET = schema("sitemap.xsd")
INDEX = schema("siteindex.xsd")
NEWS_SCHEMA = schema("news-sitemap-check.xsd")


def valid(xsd: etree.XMLSchema, data: bytes) -> etree._Element:
    doc = etree.fromstring(data)
    assert xsd.validate(doc), xsd.error_log.filter_from_errors()
    return doc


def iso(value: dt.datetime) -> str:
    """The W3C date-time of a naive Vietnam time, made here independently of the build."""
    return value.replace(tzinfo=VN).isoformat()


def entries(doc) -> dict[str, str | None]:
    """loc -> lastmod text of a urlset."""
    out = {}
    for url in doc.iter(f"{SM}url"):
        lastmod = url.find(f"{SM}lastmod")
        out[url.findtext(f"{SM}loc")] = lastmod.text if lastmod is not None else None
    return out


# --- the demo's sitemap -------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_sitemap(built_site) -> dict[str, str | None]:
    return entries(valid(URLSET, (built_site.dir / "sitemap.xml").read_bytes()))


def test_demo_sitemap_is_one_valid_urlset_without_gz(built_site, demo_sitemap):
    assert demo_sitemap
    packed = built_site.dir / "sitemap.xml.gz"  # only as the precompressed copy of sitemap.xml, if at all
    assert not packed.exists() or gzip.decompress(packed.read_bytes()) == (built_site.dir / "sitemap.xml").read_bytes()
    assert not list(built_site.dir.glob("sitemap-*.xml"))


def test_every_indexable_page_is_in_the_sitemap_with_a_lastmod(built_site, demo_sitemap, demo_config):
    """Every built page that is its own canonical page (not a redirect, not an embed) is listed, and
    every listed URL is a built page."""
    base = demo_config["site_url"]
    indexable = []
    for url, doc in built_site.all_pages().items():
        canonical = doc.select_one('link[rel="canonical"]')
        robots = doc.select_one('meta[name="robots"]')
        if canonical is None or canonical["href"] != base + url or (robots and "noindex" in robots["content"]):
            continue
        indexable.append(base + url)
    assert base + "bao-chi/" in indexable and base in indexable
    missing = [u for u in indexable if u not in demo_sitemap]
    assert not missing, missing
    undated = [u for u, lastmod in demo_sitemap.items() if not lastmod]
    assert not undated, undated
    for loc in demo_sitemap:
        assert loc.startswith(base) and built_site.exists(loc[len(base):]), loc


def modified(story: Story) -> dt.datetime:
    return max(story.published_at, story.updated) if story.updated else story.published_at


def test_lastmod_of_stories_lists_terms_profiles_and_home(demo_sitemap, demo_catalog, demo_config):
    base = demo_config["site_url"]
    stories = demo_catalog.stories
    assert any(s.updated for s in stories), "the demo should have an updated story"
    assert any(p.updated for p in demo_catalog.profiles), "the demo should have an updated profile"
    for story in stories:
        assert demo_sitemap[base + story.url] == iso(modified(story)), story.url
    newest = max(map(modified, stories))
    for url in ("", urls.STORIES, urls.SEARCH, urls.PRESS):
        assert demo_sitemap[base + url] == iso(newest), url
    checked = 0
    for taxonomy in demo_catalog.taxonomies.values():
        assert demo_sitemap[base + taxonomy.url] == iso(max(modified(s) for t in taxonomy.terms for s in t.stories))
        for term in taxonomy.all_terms():
            expected = iso(max(map(modified, term.stories)))
            assert demo_sitemap[base + term.url] == expected, term.url
            if term.count > demo_config["plugin"]["per_page"]:
                assert demo_sitemap[base + term.url + "page/2/"] == expected
            checked += 1
    assert checked > 20
    for profile in demo_catalog.profiles:
        own = [modified(s) for s in stories if any(p.profile == profile.slug for p in s.people)]
        if profile.updated:
            own.append(profile.updated)
        assert own, f"{profile.slug} has no date: give it a story or updated:"
        assert demo_sitemap[base + profile.url] == iso(max(own)), profile.url


def test_robots_names_both_sitemaps(built_site, demo_config):
    base = demo_config["site_url"]
    lines = (built_site.dir / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {base}sitemap.xml" in lines
    assert f"Sitemap: {base}news-sitemap.xml" in lines
    assert "User-agent: *" in lines


def test_demo_news_sitemap_lists_exactly_the_last_two_days(built_site, demo_catalog, demo_config):
    doc = etree.fromstring((built_site.dir / "news-sitemap.xml").read_bytes())
    now = demo_catalog.now
    expected = [demo_config["site_url"] + s.url for s in demo_catalog.stories
                if now - dt.timedelta(days=2) <= s.published_at <= now]
    assert [u.findtext(f"{SM}loc") for u in doc.iter(f"{SM}url")] == expected
    if expected:
        valid(NEWS_SCHEMA, etree.tostring(doc))


# --- splitting ------------------------------------------------------------------------------


def test_120000_urls_make_an_index_of_three_valid_sitemaps():
    pages = [f"bai-viet/bai-so-{i}/" for i in range(120_000)]
    day = dt.datetime(2026, 1, 1, 8, 0)
    modified_at = {url: day + dt.timedelta(minutes=i) for i, url in enumerate(pages)}
    files = sitemap.sitemaps(BASE, pages, modified_at)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    assert sorted(files) == sorted(sitemap.sitemap_paths(pages, base=BASE, modified=modified_at))
    assert sitemap.sitemap_paths(pages[:50_000], base=BASE, modified=modified_at) == ["sitemap.xml"]
    index = valid(INDEX, files["sitemap.xml"])
    listed = [(s.findtext(f"{SM}loc"), s.findtext(f"{SM}lastmod")) for s in index.iter(f"{SM}sitemap")]
    parts = [entries(valid(URLSET, files[f"sitemap-{n}.xml"])) for n in (1, 2, 3)]
    assert [loc for loc, _ in listed] == [f"{BASE}sitemap-{n}.xml" for n in (1, 2, 3)]
    assert [len(part) for part in parts] == [50_000, 50_000, 20_000]
    assert [lastmod for _, lastmod in listed] == [max(part.values()) for part in parts]
    assert [loc for part in parts for loc in part] == [BASE + p for p in pages]
    assert parts[2][BASE + pages[-1]] == iso(modified_at[pages[-1]])


def test_split_by_size_keeps_each_sitemap_within_50_mb():
    """URLs near the protocol's 2,048-character limit: 30,000 of them are past 50 MB."""
    pages = [f"the/{'a' * 1990}-{i:05d}/" for i in range(30_000)]
    files = sitemap.sitemaps(BASE, pages, {})
    parts = [files[name] for name in sorted(files) if name != "sitemap.xml"]
    assert len(parts) == 2
    assert all(len(part) <= 50 * 1024 * 1024 for part in parts)
    assert sum(part.count(b"<url>") for part in parts) == 30_000
    assert len(parts[0]) > 50 * 1024 * 1024 - 2100  # filled up to the limit, not cut early


def test_split_limits_are_parameters():
    lines = [sitemap.url_entry(f"{BASE}{i}/", None) for i in range(10)]
    assert [len(r) for r in sitemap.split(lines, max_urls=4)] == [4, 4, 2]
    size = len(lines[0])
    frame = len('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                "</urlset>\n")
    assert [len(r) for r in sitemap.split(lines, max_bytes=frame + 3 * size)] == [3, 3, 3, 1]
    assert [len(r) for r in sitemap.split([])] == [0]


def test_no_site_url_makes_robots_only():
    assert sitemap.robots("") == b"User-agent: *\nAllow: /\n"


# --- the news sitemap with a frozen "now" ------------------------------------------------------


def story(slug: str, when: dt.datetime, title: str = "", **extra) -> Story:
    return Story(path=Path(f"content/stories/{when.year}/{slug}.md"), body="Nội dung.", body_line=6,
                 title=title or f"Bài {slug}", date=when, summary="Tóm tắt.", kind=Kind.PERSON, slug=slug, **extra)


NOW = dt.datetime(2026, 11, 27, 9, 0)
HOSTILE = '</script><script>alert(1)</script> "Trích" & <b>đậm</b>'


def test_news_sitemap_window_with_a_frozen_now():
    content = ContentSet(stories=[
        story("mot-gio", NOW - dt.timedelta(hours=1), HOSTILE),
        story("hai-ngay-tru-mot-phut", NOW - dt.timedelta(days=2) + dt.timedelta(minutes=1)),
        story("ba-ngay", NOW - dt.timedelta(days=3)),
        story("nam-ngay", NOW - dt.timedelta(days=5)),
        story("ngay-mai", NOW + dt.timedelta(days=1)),
    ])
    catalog = build_catalog(content, NOW, include_future=True)
    assert len(catalog.stories) == 5
    recent = news_sitemap.recent_stories(catalog)
    assert [s.slug for s in recent] == ["mot-gio", "hai-ngay-tru-mot-phut"]
    doc = valid(NEWS_SCHEMA, news_sitemap.news_sitemap(BASE, "Gương Sáng", recent))
    items = list(doc.iter(f"{SM}url"))
    assert [u.findtext(f"{SM}loc") for u in items] == [BASE + "bai-viet/mot-gio/", BASE + "bai-viet/hai-ngay-tru-mot-phut/"]
    first = items[0].find(f"{NEWS}news")
    assert first.findtext(f"{NEWS}publication/{NEWS}name") == "Gương Sáng"
    assert first.findtext(f"{NEWS}publication/{NEWS}language") == "vi"
    assert first.findtext(f"{NEWS}publication_date") == iso(NOW - dt.timedelta(hours=1))
    assert first.findtext(f"{NEWS}title") == HOSTILE


def test_news_sitemap_keeps_the_newest_1000():
    stories = [story(f"bai-{i:04d}", NOW - dt.timedelta(minutes=i)) for i in range(1200)]
    catalog = build_catalog(ContentSet(stories=stories), NOW)
    recent = news_sitemap.recent_stories(catalog)
    assert [s.slug for s in recent] == [f"bai-{i:04d}" for i in range(1000)]
    doc = valid(NEWS_SCHEMA, news_sitemap.news_sitemap(BASE, "Gương Sáng", recent))
    assert len(list(doc.iter(f"{NEWS}news"))) == 1000


def test_empty_news_sitemap_is_an_empty_urlset():
    catalog = build_catalog(ContentSet(stories=[story("cu", NOW - dt.timedelta(days=30))]), NOW)
    assert news_sitemap.recent_stories(catalog) == []
    doc = etree.fromstring(news_sitemap.news_sitemap(BASE, "Gương Sáng", []))
    assert doc.tag == f"{SM}urlset" and len(doc) == 0

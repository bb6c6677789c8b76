"""The feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) of the built demo site and of small projects.

What each feed should hold is worked out here from the content files themselves (front matter
read with PyYAML, vocabulary spellings resolved with python-slugify), not from the catalog, and
compared with what `feedparser` (RSS, Atom) and `json` (JSON Feed) read in the built files.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import json
from urllib.parse import urljoin
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import feedparser
import pytest
import yaml
from slugify import slugify

from conftest import REPO, SITE_BUILDER, BuiltSite, TmpProject, lead_figure, run_tool, site_path, story_text
from test_stats import DEMO_PLACES  # today's units of the demo's places as written
from site_builder.settings import SettingsError, load_settings, parse_settings

BASE = "https://guongsang.example.vn/"  # site_url of the demo's mkdocs.yml
FILES = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}
TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
N = 20  # feeds.items by default
VN = dt.timezone(dt.timedelta(hours=7))
HOSTILE = '</script><script>alert(1)</script> "Trích" & <b>đậm</b>'
KIND_LABELS = {"Cá nhân": "ca-nhan", "Tập thể": "tap-the", "Mô hình": "mo-hinh", "Tin tổng hợp": "tin-tong-hop"}


# --- what the content says -------------------------------------------------------------------------


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])


def nfc(text) -> str:
    return unicodedata.normalize("NFC", str(text)).strip()


def as_datetime(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    for shape in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(str(value).strip(), shape)
        except ValueError:
            pass
    raise AssertionError(f"unexpected date {value!r}")


def vocabulary(root: Path, name: str) -> dict[str, str]:
    """Every spelling's slug (name, key, short name, aliases) -> the term's key."""
    out = {}
    for term in yaml.safe_load((root / "content" / "vocabularies" / f"{name}.yml").read_text(encoding="utf-8")):
        key = term.get("key") or slugify(term["name"])
        for spelling in (term["name"], key, term.get("short_name") or "", *(term.get("aliases") or ())):
            if spelling:
                out[slugify(nfc(spelling))] = key
    return out


@dataclass
class Expected:
    slug: str
    title: str
    summary: str
    published: dt.datetime  # naive Vietnam time
    updated: dt.datetime
    authors: list[str]
    cover: str | None
    feeds: set[str] = field(default_factory=set)  # page URLs of the feeds that should carry it

    @property
    def url(self) -> str:
        return f"{BASE}bai-viet/{self.slug}/"


def expected_site(root: Path, now: dt.datetime) -> tuple[dict[str, list[Expected]], dict[str, dict]]:
    """(feed page URL -> its stories newest first, profile page URL -> the profile's front matter)."""
    fields, orgs, campaigns = (vocabulary(root, n) for n in ("fields", "organisations", "campaigns"))
    profiles = {}
    for path in sorted((root / "content" / "profiles").glob("*/*.md")):
        meta = front_matter(path)
        if not meta.get("draft"):
            profiles[f"ho-so/{meta.get('slug') or path.stem}/"] = meta
    stories = []
    for path in sorted((root / "content" / "stories").glob("*/*.md")):
        meta = front_matter(path)
        published = as_datetime(meta.get("publish_date") or meta["date"])
        if meta.get("draft") or published > now or (meta.get("expires") and as_datetime(meta["expires"]) <= now):
            continue
        authors = meta.get("authors") or []
        story = Expected(meta.get("slug") or path.stem, nfc(meta["title"]), nfc(meta["summary"]), published,
                         max(published, as_datetime(meta["updated"])) if meta.get("updated") else published,
                         [nfc(a) for a in ([authors] if isinstance(authors, str) else authors)],
                         (meta.get("cover") or {}).get("src"))
        kind = KIND_LABELS.get(nfc(meta["kind"]), nfc(meta["kind"]))
        story.feeds |= {"", f"loai/{kind}/"}
        story.feeds |= {f"linh-vuc/{fields[slugify(nfc(f))]}/" for f in meta.get("fields") or ()}
        if meta.get("organisation"):
            story.feeds.add(f"don-vi/{orgs[slugify(nfc(meta['organisation']))]}/")
        if meta.get("campaign"):
            story.feeds.add(f"phong-trao/{campaigns[slugify(nfc(meta['campaign']))]}/")
        place = meta.get("place") or {}
        if place.get("province"):  # the place pages are today's units (2025 reform)
            province, commune = DEMO_PLACES[(nfc(place["province"]), nfc(place.get("commune", "")))]
            story.feeds.add(f"dia-phuong/{slugify(province)}/")
            if commune:
                story.feeds.add(f"dia-phuong/{slugify(province)}/{slugify(commune)}/")
        story.feeds |= {f"the/{slugify(nfc(t))}/" for t in meta.get("tags") or () if slugify(nfc(t))}
        story.feeds |= {f"ho-so/{p['profile']}/" for p in meta.get("people") or ()
                        if p.get("profile") and f"ho-so/{p['profile']}/" in profiles}
        stories.append(story)
    stories.sort(key=lambda s: (-s.published.replace(tzinfo=dt.timezone.utc).timestamp(), s.slug))
    feeds: dict[str, list[Expected]] = {url: [] for url in profiles}
    for story in stories:
        for url in story.feeds:
            feeds.setdefault(url, []).append(story)
    return feeds, profiles


@pytest.fixture(scope="module")
def expected(build_now):
    return expected_site(REPO, build_now)


# --- what the built files say ------------------------------------------------------------------------


def feed_pages(site: BuiltSite) -> set[str]:
    """Page URLs of every folder of the site holding a feed."""
    found = set()
    for name in FILES.values():
        for path in site.dir.rglob(name):
            rel = path.parent.relative_to(site.dir).as_posix()
            found.add("" if rel == "." else rel + "/")
    return found


def parsed(site: BuiltSite, page_url: str, fmt: str):
    data = (site.dir / page_url / FILES[fmt]).read_bytes()
    if fmt == "json":
        return json.loads(data)
    result = feedparser.parse(data)
    assert not result.bozo, (page_url, fmt, result.get("bozo_exception"))
    return result


def utc(naive_vietnam: dt.datetime):
    return naive_vietnam.replace(tzinfo=VN).astimezone(dt.timezone.utc).timetuple()[:6]


def rfc822(naive_vietnam: dt.datetime) -> str:
    days, months = "Mon Tue Wed Thu Fri Sat Sun".split(), calendar.month_abbr
    d = naive_vietnam
    return f"{days[d.weekday()]}, {d.day:02d} {months[d.month]} {d.year} {d:%H:%M:%S} +0700"


def rfc3339(naive_vietnam: dt.datetime) -> str:
    return f"{naive_vietnam:%Y-%m-%dT%H:%M:%S}+07:00"


# --- the demo site -----------------------------------------------------------------------------------


def test_every_page_with_stories_to_follow_has_its_three_feeds_and_no_other_has_one(built_site, expected):
    feeds, _profiles = expected
    assert feed_pages(built_site) == set(feeds)
    assert {"", "loai/ca-nhan/", "linh-vuc/giao-duc/", "the/phu-nu/", "dia-phuong/phu-tho/xa-binh-tuyen/",
            "ho-so/nguyen-thi-phuong/"} <= set(feeds)  # the demo has each kind of feed
    for page_url in feeds:
        for name in FILES.values():
            assert (built_site.dir / page_url / name).is_file(), page_url + name


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_rss_and_atom_parse_cleanly_and_list_the_newest_stories_of_their_page(built_site, expected, fmt):
    feeds, _profiles = expected
    for page_url, stories in feeds.items():
        feed = parsed(built_site, page_url, fmt)
        assert feed.version == {"rss": "rss20", "atom": "atom10"}[fmt]
        assert feed.feed.link == BASE + page_url
        assert feed.feed.language == "vi"
        assert feed.feed.title == parsed(built_site, page_url, "json")["title"]
        shown = stories[:N]
        assert [e.link for e in feed.entries] == [s.url for s in shown], page_url
        for entry, story in zip(feed.entries, shown):
            assert entry.id == story.url
            assert entry.title == story.title
            # RSS descriptions are HTML (the summary escaped once more), Atom summaries plain text.
            assert (html.unescape(entry.summary) if fmt == "rss" else entry.summary) == story.summary
            assert entry.published_parsed[:6] == utc(story.published)
            if fmt == "atom":
                assert entry.updated_parsed[:6] == utc(story.updated)
            assert [a.name for a in entry.get("authors", []) if a.get("name")] == story.authors
            assert "content" not in entry  # feeds.content is "summary" by default


def test_a_term_feed_holds_only_that_terms_stories_newest_first_and_at_most_n(built_site, expected):
    feeds, _profiles = expected
    site = parsed(built_site, "", "rss")
    assert len(feeds[""]) > N and len(site.entries) == N  # the demo has more stories than a feed shows
    for page_url in feeds:
        if page_url in ("",):
            continue
        entries = parsed(built_site, page_url, "rss").entries
        assert len(entries) <= N
        slugs = [e.link.removeprefix(BASE + "bai-viet/").rstrip("/") for e in entries]
        dates = [e.published_parsed for e in entries]
        assert dates == sorted(dates, reverse=True), page_url
        for slug in slugs:
            story = next(s for s in feeds[""] if s.slug == slug)
            assert page_url in story.feeds, (page_url, slug)


def test_dates_are_rfc_822_in_rss_and_rfc_3339_in_atom_and_json_at_vietnam_time(built_site, expected):
    feeds, _profiles = expected
    shown = feeds[""][:N]
    rss = ET.parse(built_site.dir / "rss.xml").getroot()
    assert [i.findtext("pubDate") for i in rss.iter("item")] == [rfc822(s.published) for s in shown]
    assert rss.find("channel").findtext("lastBuildDate") == rfc822(max(s.updated for s in shown))
    atom = ET.parse(built_site.dir / "atom.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:published", namespaces=ns) for e in atom.iterfind("a:entry", ns)] == \
        [rfc3339(s.published) for s in shown]
    assert atom.findtext("a:updated", namespaces=ns) == rfc3339(max(s.updated for s in shown))
    items = parsed(built_site, "", "json")["items"]
    assert [i["date_published"] for i in items] == [rfc3339(s.published) for s in shown]
    assert [i["date_modified"] for i in items] == [rfc3339(s.updated) for s in shown]


def lead_photo_files(built_site: BuiltSite, story: Expected) -> set[str]:
    """Site paths of every file the story page's lead photo shows (src and srcset of its <picture>)."""
    url = f"bai-viet/{story.slug}/"
    figure = lead_figure(built_site.page(url))
    assert figure is not None, url
    found = set()
    for tag in figure.find_all(["img", "source"]):
        for candidate in [tag.get("src"), *(tag.get("srcset") or "").split(",")]:
            if candidate and candidate.strip():
                found.add(site_path(url, candidate.split()[0]))
    return found


def test_enclosures_are_the_lead_photos_as_published(built_site, expected):
    feeds, _profiles = expected
    shown = feeds[""][:N]
    assert any(s.cover for s in shown)  # (a story without a cover: test_a_story_without_a_cover_has_no_enclosure)
    rss, atom, jsonfeed = (parsed(built_site, "", fmt) for fmt in ("rss", "atom", "json"))
    for story, rss_entry, atom_entry, item in zip(shown, rss.entries, atom.entries, jsonfeed["items"]):
        if story.cover is None:
            assert not rss_entry.get("enclosures") and not atom_entry.get("enclosures") and "image" not in item
            continue
        (enclosure,) = rss_entry.enclosures
        assert enclosure.href.startswith(BASE) and enclosure.type == "image/jpeg"
        path = enclosure.href.removeprefix(BASE)
        assert path in lead_photo_files(built_site, story), story.slug
        assert int(enclosure.length) == (built_site.dir / path).stat().st_size
        (atom_enclosure,) = atom_entry.enclosures
        assert (atom_enclosure.href, atom_enclosure.type, atom_enclosure.length) == \
            (enclosure.href, enclosure.type, enclosure.length)
        assert item["image"] == enclosure.href


def test_json_feeds_have_the_required_fields_and_the_stories_of_their_page(built_site, expected):
    feeds, _profiles = expected
    for page_url, stories in feeds.items():
        feed = parsed(built_site, page_url, "json")
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert isinstance(feed["title"], str) and feed["title"]
        assert feed["home_page_url"] == BASE + page_url
        assert feed["feed_url"] == BASE + page_url + "feed.json"
        assert feed["language"] == "vi"
        assert isinstance(feed["items"], list)
        shown = stories[:N]
        assert [i["id"] for i in feed["items"]] == [s.url for s in shown]
        for item, story in zip(feed["items"], shown):
            assert isinstance(item["id"], str)
            assert ("content_html" in item) or ("content_text" in item)
            assert item["url"] == story.url and item["title"] == story.title and item["summary"] == story.summary
            assert item["content_text"] == story.summary
            assert [a["name"] for a in item.get("authors", [])] == story.authors


def test_feed_titles_and_descriptions_are_vietnamese(built_site, expected, demo_config):
    site = parsed(built_site, "", "atom").feed
    assert (site.title, site.subtitle) == (demo_config["site_name"], demo_config["site_description"])
    giao_duc = next(t["name"] for t in yaml.safe_load((REPO / "content/vocabularies/fields.yml").read_text("utf-8"))
                    if t.get("key", slugify(t["name"])) == "giao-duc")
    field_feed = parsed(built_site, "linh-vuc/giao-duc/", "rss").feed
    assert field_feed.title == f"Gương Sáng – Lĩnh vực: {giao_duc}"
    assert field_feed.subtitle == f"Những bài viết mới nhất thuộc lĩnh vực “{giao_duc}” trên Gương Sáng."
    _feeds, profiles = expected
    person = parsed(built_site, "ho-so/nguyen-thi-phuong/", "json")
    name = profiles["ho-so/nguyen-thi-phuong/"]["name"]
    assert person["title"] == f"Gương Sáng – Cá nhân: {name}"
    assert person["description"] == f"Những bài viết mới nhất về {name} trên Gương Sáng."


FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


def alternates(doc) -> list[tuple[str, str, str]]:
    """The feed links of a page's head (not its other alternates, such as a story's oEmbed)."""
    return [(link["type"], link["title"], link["href"]) for link in doc.select('head link[rel="alternate"]')
            if link["type"] in FEED_TYPES]


def test_pages_link_their_own_feeds_in_the_head_and_in_a_follow_menu(built_site, expected):
    feeds, _profiles = expected
    checked = 0
    for url in built_site.html_urls():
        doc = built_site.page(url)
        owner = re.sub(r"page/\d+/$", "", url)
        links = alternates(doc)
        menu = doc.select_one("details.gs-follow")
        if owner in feeds or owner == "bai-viet/":  # the list of all stories offers the site's feeds
            target = "" if owner == "bai-viet/" else owner
            assert [(t, site_path(url, h)) for t, _title, h in links] == \
                [(TYPES[f], target + FILES[f]) for f in ("rss", "atom", "json")], url
            title = parsed(built_site, target, "json")["title"]  # the same in RSS and Atom (tested above)
            assert [t for _type, t, _href in links] == [f"{title} ({label})" for label in ("RSS", "Atom", "JSON Feed")]
            assert menu is not None and menu.summary.get_text(strip=True) == "Theo dõi", url
            assert [site_path(url, a["href"]) for a in menu.select("a")] == [target + FILES[f] for f in FILES]
            checked += 1
        else:
            assert links == [] and menu is None, url  # stories, the archive, indexes: no feed of their own
    assert checked > len(feeds)  # paginated lists (e.g. /bai-viet/page/2/) too


class NoPhotos:
    """Pages drawn without photos (the test looks at their feeds only)."""

    def view(self, photo):
        return None


def test_a_page_without_a_site_url_has_no_feed_and_links_none(demo_content, build_now):
    from site_builder.catalog import build_catalog
    from site_builder.outputs import OutputPlan, feeds
    from site_builder.pages.generate import PageGenerator

    settings = load_settings(REPO / "mkdocs.yml").model_copy(update={"site_url": ""})
    catalog = build_catalog(demo_content, build_now)
    assert list(feeds.OUTPUT.paths(OutputPlan(catalog, settings, ()))) == []
    generator = PageGenerator(catalog, settings, NoPhotos(), lambda item, base: "")  # type: ignore[arg-type]
    tasks = {t.url: t for t in generator.tasks()}
    for url in ("", "bai-viet/", "linh-vuc/giao-duc/", "ho-so/nguyen-thi-phuong/"):
        assert tasks[url].build().page.feeds == (), url


# --- settings -----------------------------------------------------------------------------------------


SETTINGS = {"site_name": "Gương Sáng", "organisation": {"name": "Ban biên tập"}, "feedback": {"email": "a@example.vn"}}


def test_feed_settings_default_to_summaries_of_the_newest_twenty():
    feeds = parse_settings(SETTINGS).feeds
    assert (feeds.content, feeds.items) == ("summary", 20)
    assert parse_settings({**SETTINGS, "feeds": {"content": "full", "items": 5}}).feeds.content == "full"


@pytest.mark.parametrize("value, key, words", [
    ({"content": "day-du"}, "feeds.content", "hãy viết một trong các giá trị 'summary', 'full'"),
    ({"items": 0}, "feeds.items", "hãy viết một số từ 1 trở lên"),
    ({"items": 501}, "feeds.items", "hãy viết một số không quá 500"),
    ({"count": 5}, "feeds.count", ""),
])
def test_a_bad_feed_setting_names_its_line_of_mkdocs_yml(tmp_path, value, key, words):
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    option, setting = next(iter(value.items()))
    text = re.sub(r"(?m)^      feeds:\n(        .*\n)*", f"      feeds:\n        {option}: {setting}\n", text)
    assert text.count("feeds:") == 1
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_settings(config)
    (problem,) = info.value.problems
    line = int(problem.split(":")[1])
    assert problem.split(": ")[1] == f"plugins.site_builder.{key}" and words in problem, problem
    assert text.splitlines()[line - 1].strip() == f"{option}: {setting}"


# --- a small project: the hostile title, full content, N --------------------------------------------


PAST = dt.datetime.now(VN).replace(tzinfo=None, second=0, microsecond=0) - dt.timedelta(days=3)
PROFILE = f"---\nname: {json.dumps(HOSTILE)}\nkind: ca-nhan\nsummary: {json.dumps(HOSTILE)}\nslug: nguoi-la\n---\nTiểu sử.\n"
BODY = ("Đoạn mở đầu.\n\n![Đường hoa của thôn](2026/hoa.jpg \"Chú thích ảnh\")\n\nĐoạn kết & <b>thẻ</b>.\n\n"
        "Xem [bài trước](../bai-cu-2/), [ghi chú](#ghi-chu), [Hà Nội](https://vi.wikipedia.org/wiki/H%C3%A0?a=1&b=2) "
        "và [thư](mailto:toasoan@example.vn).\n")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[TmpProject, BuiltSite, str]:
    p = TmpProject(tmp_path_factory.mktemp("feeds") / "project")
    created = run_tool(SITE_BUILDER, "new", "story", HOSTILE, "--kind", "ca-nhan", cwd=p.root)
    assert created.returncode == 0, created.stderr
    path = p.root / created.stdout.strip()
    text = path.read_text(encoding="utf-8").replace("draft: true", "draft: false")
    text = re.sub(r"(?m)^summary: .*$", lambda _m: f"summary: {json.dumps(HOSTILE)}", text)
    text = re.sub(r"(?m)^(slug: .*)$", lambda m: f"{m.group(1)}\npeople: [{{name: Người lạ, profile: nguoi-la}}]\n"
                  f"tags: [{json.dumps(HOSTILE)}]", text)
    path.write_text(text, encoding="utf-8")
    p.write("content/profiles/ca-nhan/nguoi-la.md", PROFILE)
    p.copy_image("2026/hoa.jpg")
    p.copy_image("2026/bia.jpg", "2026/phu-nu-la-bang-lam-giau-tu-bup-che.jpg")
    for day in (1, 2):
        p.add_story(f"bai-cu-{day}", story_text(f"Bài cũ {day}", PAST - dt.timedelta(days=day), body=BODY,
                                                extra="cover: {src: 2026/bia.jpg, alt: Ảnh bìa}"))
    config = p.root / "mkdocs-full.yml"
    text, replaced = re.subn(r"(?m)^      feeds:\n(        .*\n)*", "      feeds: {content: full, items: 2}\n",
                             p.config.read_text(encoding="utf-8"))
    assert replaced == 1  # the demo's mkdocs.yml spells out its feeds: block
    config.write_text(text, encoding="utf-8")
    out = p.root / "site"
    result = run_tool(SITE_BUILDER, "-f", config, "build", "-d", out, cwd=p.root)
    assert result.returncode == 0, result.stdout + result.stderr
    return p, BuiltSite(out, result.stdout, result.stderr), created.stdout.strip()


def test_the_scaffolded_hostile_story_is_the_one_built(hostile):
    p, _site, created = hostile
    meta = front_matter(p.root / created)
    assert meta["title"] == HOSTILE and meta["draft"] is False


def test_a_hostile_title_round_trips_in_every_feed(hostile):
    _p, site, _created = hostile
    owners = ["", "loai/ca-nhan/", "ho-so/nguoi-la/", "the/" + slugify(HOSTILE) + "/"]
    for owner in owners:
        rss = parsed(site, owner, "rss")
        assert rss.entries[0].title == HOSTILE, owner
        assert html.unescape(rss.entries[0].summary) == HOSTILE
        raw = ET.parse(site.dir / owner / "rss.xml").getroot()
        assert raw.find("channel/item/title").text == HOSTILE
        assert html.unescape(raw.find("channel/item/description").text) == HOSTILE
        atom = parsed(site, owner, "atom")
        assert atom.entries[0].title == HOSTILE and atom.entries[0].summary == HOSTILE
        item = parsed(site, owner, "json")["items"][0]
        assert item["title"] == HOSTILE and item["summary"] == HOSTILE
    profile_title = f"Gương Sáng – Cá nhân: {HOSTILE}"
    assert parsed(site, "ho-so/nguoi-la/", "json")["title"] == profile_title
    assert parsed(site, "ho-so/nguoi-la/", "atom").feed.title == profile_title
    assert ET.parse(site.dir / "ho-so/nguoi-la/rss.xml").getroot().findtext("channel/title") == profile_title
    doc = site.page("ho-so/nguoi-la/")
    assert [title for _type, title, _href in alternates(doc)] == \
        [f"{profile_title} ({label})" for label in ("RSS", "Atom", "JSON Feed")]
    assert not doc.select("head script:not([type='application/ld+json']):-soup-contains('alert(1)')")


def test_full_content_carries_the_body_with_absolute_addresses_and_n_limits_every_feed(hostile):
    _p, site, _created = hostile
    rss, atom, jsonfeed = (parsed(site, "", fmt) for fmt in ("rss", "atom", "json"))
    assert len(rss.entries) == len(atom.entries) == len(jsonfeed["items"]) == 2  # of 3 stories
    assert [e.title for e in rss.entries] == [HOSTILE, "Bài cũ 1"]
    page = site.page("bai-viet/bai-cu-1/")
    body_text = " ".join(page.select_one(".gs-article__body").get_text(" ").split())
    photos = {site_path("bai-viet/bai-cu-1/", img["src"]) for img in page.select(".gs-article__body img")}
    assert photos
    page_links = [urljoin(BASE + "bai-viet/bai-cu-1/", href) for href in links_of(page.select_one(".gs-article__body"))]
    assert page_links == [BASE + "bai-viet/bai-cu-2/", BASE + "bai-viet/bai-cu-1/#ghi-chu",
                          "https://vi.wikipedia.org/wiki/H%C3%A0?a=1&b=2", "mailto:toasoan@example.vn"]
    for content in (rss.entries[1].content[0].value, atom.entries[1].content[0].value,
                    jsonfeed["items"][1]["content_html"]):
        from bs4 import BeautifulSoup

        doc = BeautifulSoup(content, "html.parser")
        assert " ".join(doc.get_text(" ").split()) == body_text
        sources = {img["src"] for img in doc.select("img")}
        assert sources == {BASE + path for path in photos}
        assert "Đoạn kết & <b>thẻ</b>." in doc.get_text()
        assert links_of(doc) == page_links  # typed relative in the body, absolute away from the page
    assert "content_text" not in jsonfeed["items"][1]
    from bs4 import BeautifulSoup

    api = json.loads((site.dir / "api/stories/bai-cu-1.json").read_text(encoding="utf-8"))
    assert links_of(BeautifulSoup(api["body_html"], "html.parser")) == page_links


def links_of(doc) -> list[str]:
    return [a["href"] for a in doc.select("a[href]")]


def test_a_story_without_a_cover_has_no_enclosure(hostile):
    _p, site, _created = hostile
    rss, atom, jsonfeed = (parsed(site, "", fmt) for fmt in ("rss", "atom", "json"))
    assert not rss.entries[0].get("enclosures") and not atom.entries[0].get("enclosures")
    assert "image" not in jsonfeed["items"][0]
    (enclosure,) = rss.entries[1].enclosures  # "Bài cũ 1" has a cover
    assert int(enclosure.length) == (site.dir / enclosure.href.removeprefix(BASE)).stat().st_size


def test_a_feed_of_a_profile_without_stories_is_valid_and_empty(tmp_project):
    p = tmp_project
    p.add_story("mot-bai", story_text("Một bài", PAST))
    p.write("content/profiles/tap-the/to-moi.md", "---\nname: Tổ mới\nkind: tap-the\nsummary: Chưa có bài.\n---\nGiới thiệu.\n")
    result = p.build()
    assert result.returncode == 0, result.stdout + result.stderr
    site = BuiltSite(p.root / "site", "", "")
    for fmt in ("rss", "atom"):
        feed = parsed(site, "ho-so/to-moi/", fmt)
        assert feed.entries == []
    assert parsed(site, "ho-so/to-moi/", "atom").feed.updated == rfc3339(PAST)
    assert parsed(site, "ho-so/to-moi/", "json")["items"] == []


def test_a_content_file_at_a_feeds_address_is_reported_naming_both(tmp_project):
    p = tmp_project
    p.add_story("mot-bai", story_text("Một bài", PAST))
    p.write("content/rss.xml", "<rss/>")
    check = run_tool(SITE_BUILDER, "-f", p.config, "check", cwd=p.root)
    assert check.returncode == 1
    assert "content/rss.xml" in check.stderr and "các kênh tin (RSS, Atom và JSON Feed)" in check.stderr, check.stderr


# --- the XML writer -----------------------------------------------------------------------------------


def test_characters_xml_cannot_carry_are_dropped_and_the_rest_escaped():
    from site_builder.outputs.feeds.entries import Entry
    from site_builder.outputs.feeds.rss import RssFeeds
    from site_builder.outputs.feeds.sources import FeedSource

    when = dt.datetime(2026, 3, 14, 8, 30, tzinfo=VN)
    entry = Entry(BASE + "bai-viet/x/", "Tiêu\x0b đề\x00 " + HOSTILE, "Sapo\x1f", "", when, when, ("A\ufffe",), (), None)
    data = RssFeeds(BASE).feed(FeedSource("", "Trang", "Mô tả", ()), [entry])
    item = ET.fromstring(data).find("channel/item")
    assert item.findtext("title") == "Tiêu đề " + HOSTILE
    assert item.findtext("pubDate") == "Sat, 14 Mar 2026 08:30:00 +0700"

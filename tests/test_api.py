"""The JSON API (api/stories.json and its pages, api/stories/<slug>.json, api/taxonomies.json).

Values are compared with the stories' files (front matter read here with PyYAML), the built pages
and the photo files themselves; a small project with `api_per_page: 2` checks the pagination, the
news sitemap's window with real dates, and a hostile title through JSON, XML and HTML.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from lxml import etree
from PIL import Image

from conftest import REPO, SITE_BUILDER, TmpProject, run_tool, soup_of, story_text, text_of
from test_stats import DEMO_PLACES  # today's units of the demo's places as written
from site_builder.vietnamese import now_in_vietnam

VN = dt.timezone(dt.timedelta(hours=7))
HOSTILE = '</script><script>alert(1)</script> "Trích" & <b>đậm</b>'
PIL_TYPES = {"JPEG": "image/jpeg", "WEBP": "image/webp", "AVIF": "image/avif"}


def load(site: Path, path: str) -> dict:
    return json.loads((site / path).read_text(encoding="utf-8"))


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])


def iso(value: str | dt.datetime | dt.date) -> str:
    """A front matter date ("2026-03-14 08:30" or a date) as the API writes it (Vietnam time)."""
    if isinstance(value, str):
        value = dt.datetime.strptime(value, "%Y-%m-%d %H:%M")
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return value.replace(tzinfo=VN).isoformat()


def page_of(built_site, base: str, url: str):
    assert url.startswith(base), url
    return built_site.page(url[len(base):])


# --- the demo -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api(built_site) -> dict:
    """Every file under api/ of the demo, parsed (site path -> data)."""
    files = {p.relative_to(built_site.dir).as_posix(): p for p in (built_site.dir / "api").rglob("*")
             if p.is_file() and p.suffix not in (".br", ".gz")}  # not the precompressed copies
    return {path: json.loads(p.read_text(encoding="utf-8")) for path, p in files.items()}


def test_api_files_parse_and_carry_version_and_site(api, demo_config):
    assert api
    for path, data in api.items():
        assert data["version"] == 1, path
        assert data["site"] == {"name": demo_config["site_name"], "url": demo_config["site_url"], "language": "vi",
                                "publisher": demo_config["plugin"]["organisation"]["name"]}, path


def test_every_published_story_is_in_the_api_once(api, demo_catalog, demo_content):
    first = api["api/stories.json"]
    assert (first["page"], first["pages"], first["prev"], first["next"]) == (1, 1, None, None)
    assert first["total"] == len(demo_catalog.stories)
    assert [s["slug"] for s in first["stories"]] == [s.slug for s in demo_catalog.stories]
    expected_files = {f"api/stories/{s.slug}.json" for s in demo_catalog.stories}
    assert set(api) == {"api/stories.json", "api/taxonomies.json", *expected_files}
    published = {s.slug for s in demo_catalog.stories}
    assert any(s.slug not in published for s in demo_content.stories), "the demo has unpublished stories"


def test_each_story_file_matches_its_content(api, built_site, demo_catalog, demo_config):
    base = demo_config["site_url"]
    listed = {s["slug"]: s for s in api["api/stories.json"]["stories"]}
    checked_photos = 0
    for story in demo_catalog.stories:
        data = api[f"api/stories/{story.slug}.json"]
        raw = front_matter(story.path)
        assert {k: v for k, v in data.items() if k not in ("body_html", "version", "site")} == listed[story.slug]
        assert data["url"] == f"{base}bai-viet/{story.slug}/" and built_site.exists(f"bai-viet/{story.slug}/")
        assert data["api_url"] == f"{base}api/stories/{story.slug}.json"
        assert data["title"] == raw["title"]
        assert data["summary"] == " ".join(raw["summary"].split())
        assert data["date_published"] == iso(raw.get("publish_date") or raw["date"])
        assert data["date_updated"] == (iso(raw["updated"]) if raw.get("updated") else None)
        page = built_site.page(f"bai-viet/{story.slug}/")
        # Terms: each links to a built page whose heading is the term's name.
        kind_page = page_of(built_site, base, data["kind"]["url"])
        assert data["kind"]["key"] == story.kind.value and text_of(kind_page.h1) == data["kind"]["name"]
        assert len(data["fields"]) == len(set(raw.get("fields", [])))
        for term in data["fields"] + [t for t in (data["organisation"], data["campaign"]) if t]:
            assert text_of(page_of(built_site, base, term["url"]).h1) == term["name"]
        assert (data["organisation"] is not None) == bool(raw.get("organisation"))
        assert (data["campaign"] is not None) == bool(raw.get("campaign"))
        assert [text_of(page_of(built_site, base, t["url"]).h1) for t in data["tags"]] == [f"#{t['name']}" for t in data["tags"]]
        assert len(data["tags"]) == len(raw.get("tags", []))
        if raw.get("place"):
            assert data["place"]["province"] == raw["place"]["province"]
            assert data["place"]["commune"] == raw["place"].get("commune", "")
            # its page is today's commune (or province): the place pages follow the 2025 reform
            province, commune = DEMO_PLACES[(raw["place"]["province"], raw["place"].get("commune", ""))]
            assert (commune or province).lower() in text_of(page_of(built_site, base, data["place"]["url"]).h1).lower()
        else:
            assert data["place"] is None
        people = raw.get("people", [])
        assert [p["name"] for p in data["people"]] == [p["name"] for p in people]
        for person, written in zip(data["people"], people):
            assert person["role"] == written.get("role", "") and person["birth_year"] == written.get("birth_year")
            if person["profile_url"]:
                assert person["profile_url"] == f"{base}ho-so/{written['profile']}/"
                assert built_site.exists(person["profile_url"][len(base):])
            else:
                assert not written.get("profile") or written["profile"] not in demo_catalog.profile_by_slug
        assert [r["title"] for r in data["recognition"]] == [r["title"] for r in raw.get("recognition", [])]
        # The cover: every size is a real file of that size and type.
        if raw.get("cover"):
            cover = data["cover"]
            assert (cover["alt"], cover["caption"], cover["credit"]) == (
                raw["cover"]["alt"], raw["cover"].get("caption", ""), raw["cover"].get("credit", ""))
            assert {v["type"] for v in cover["variants"]} >= {"image/jpeg", "image/webp"}
            for variant in cover["variants"]:
                with Image.open(built_site.dir / variant["url"][len(base):]) as image:
                    assert image.size == (variant["width"], variant["height"])
                    assert PIL_TYPES[image.format] == variant["type"]
                checked_photos += 1
        else:
            assert data["cover"] is None
        credits = data["credits"]
        assert credits["authors"] == raw.get("authors", []) and credits["photographer"] == raw.get("photographer", "")
        byline = page.select_one(".gs-article__byline")
        assert credits["byline"] == (text_of(byline) if byline else "")
        assert (credits["source"] or {}).get("outlet") == (raw.get("source") or {}).get("outlet")
        # The body: the page's text, every address absolute.
        body = soup_of_html(data["body_html"])
        assert text_of(body) == text_of(page.select_one(".gs-article__body"))
        for tag in body.find_all(["img", "source", "a"]):
            for attr in ("src", "href"):
                if tag.get(attr):
                    assert tag[attr].startswith(("http://", "https://", "mailto:")), tag
            for candidate in tag.get("srcset", "").split(","):
                if candidate.strip():
                    assert candidate.strip().startswith(base), tag
        for img in body.find_all("img"):
            assert (built_site.dir / img["src"][len(base):]).is_file()
    assert checked_photos > 20


def soup_of_html(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def test_taxonomies_list_every_term_with_its_count(api, built_site, demo_catalog, demo_config):
    base = demo_config["site_url"]
    data = api["api/taxonomies.json"]
    assert [t["name"] for t in data["taxonomies"]] == list(demo_catalog.taxonomies)

    def flat(terms):
        for term in terms:
            yield term
            yield from flat(term["children"])

    # What each story page links to, to count the stories of a term independently.
    links = [set(built_site.links(built_site.page(s.url).select_one("article"), s.url)) for s in demo_catalog.stories]
    for taxonomy in data["taxonomies"]:
        catalog_terms = list(demo_catalog.taxonomies[taxonomy["name"]].all_terms())
        terms = list(flat(taxonomy["terms"]))
        assert [(t["key"], t["name"], t["count"]) for t in terms] == [(t.key, t.name, t.count) for t in catalog_terms]
        assert built_site.exists(taxonomy["url"][len(base):])
        for term in terms:
            url = term["url"][len(base):]
            assert built_site.exists(url), term["url"]
            if taxonomy["name"] != "archive":  # story pages link to their kind, fields, place, tags... not their month
                assert sum(url in linked for linked in links) == term["count"], term


# --- a small project: pagination, the news window, a hostile title --------------------------------


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> dict:
    p = TmpProject(tmp_path_factory.mktemp("api") / "project")
    config = p.config.read_text(encoding="utf-8")
    assert "      per_page: 24\n" in config
    p.config.write_text(config.replace("      per_page: 24\n", "      per_page: 24\n      api_per_page: 2\n"),
                        encoding="utf-8")
    now = now_in_vietnam().replace(second=0, microsecond=0)
    ages = {"mot-ngay": dt.timedelta(days=1), "bon-muoi-bay-gio": dt.timedelta(hours=47),
            "ba-ngay": dt.timedelta(days=3), "muoi-ngay": dt.timedelta(days=10)}
    for slug, age in ages.items():
        p.add_story(slug, story_text(f"Bài {slug}", now - age, extra="tags: [thử nghiệm]"))
    made = run_tool(SITE_BUILDER, "new", "story", HOSTILE, "--kind", "ca-nhan", cwd=p.root)
    assert made.returncode == 0, made.stderr
    path = p.root / made.stdout.strip()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("draft: true", "draft: false", 1), encoding="utf-8")
    result = p.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return {"site": p.root / "site", "hostile": front_matter(path)["slug"], "ages": ages,
            "base": yaml.safe_load(config)["site_url"]}


def test_pages_of_the_list_cover_every_story_once(small_site):
    site, base = small_site["site"], small_site["base"]
    url, seen, numbers, previous = f"{base}api/stories.json", [], [], None
    while url:
        page = load(site, url[len(base):])
        assert page["prev"] == previous and page["per_page"] == 2 and page["total"] == 5 and page["pages"] == 3
        assert page["first"] == f"{base}api/stories.json" and page["last"] == f"{base}api/stories/page/3.json"
        assert len(page["stories"]) == (2 if page["page"] < 3 else 1)
        numbers.append(page["page"])
        seen += [s["slug"] for s in page["stories"]]
        previous, url = url, page["next"]
    assert numbers == [1, 2, 3]
    assert previous == f"{base}api/stories/page/3.json"
    expected = [small_site["hostile"], *small_site["ages"]]  # newest first
    assert seen == expected
    pages = sorted(p.name for p in (site / "api" / "stories" / "page").iterdir() if p.suffix == ".json")
    assert pages == ["2.json", "3.json"]  # (beside their precompressed copies)


def test_hostile_title_round_trips_in_json(small_site):
    site, slug = small_site["site"], small_site["hostile"]
    one = load(site, f"api/stories/{slug}.json")
    assert one["title"] == HOSTILE
    assert load(site, "api/stories.json")["stories"][0]["title"] == HOSTILE
    raw = (site / f"api/stories/{slug}.json").read_text(encoding="utf-8")
    assert json.dumps(HOSTILE, ensure_ascii=False) in raw


def test_news_sitemap_holds_the_last_two_days_and_the_exact_title(small_site):
    site, base = small_site["site"], small_site["base"]
    here = Path(__file__).resolve().parent / "schemas"
    xsd = etree.XMLSchema(etree.parse(str(here / "news-sitemap-check.xsd")))
    doc = etree.parse(str(site / "news-sitemap.xml"))
    assert xsd.validate(doc), xsd.error_log
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}
    locs = doc.xpath("//s:url/s:loc/text()", namespaces=ns)
    assert locs == [f"{base}bai-viet/{slug}/" for slug in (small_site["hostile"], "mot-ngay", "bon-muoi-bay-gio")]
    assert doc.xpath("//n:title/text()", namespaces=ns)[0] == HOSTILE
    assert set(doc.xpath("//n:name/text()", namespaces=ns)) == {"Gương Sáng"}
    assert set(doc.xpath("//n:language/text()", namespaces=ns)) == {"vi"}


def test_hostile_title_on_the_press_page_is_text(small_site):
    doc = soup_of(small_site["site"] / "bao-chi" / "index.html")
    article = doc.select_one("article.gs-press")
    assert HOSTILE in text_of(article.select_one(".gs-press__credit"))
    assert article.find("b") is None and article.find("script") is None
    assert "<script>alert(1)" not in (small_site["site"] / "bao-chi" / "index.html").read_text(encoding="utf-8")


def test_site_without_api_files_claims_none(tmp_path):
    """No site_url (a `serve` preview): no API, no sitemap, and the press page shows neither."""
    from site_builder.catalog import build_catalog
    from site_builder.content import load_content
    from site_builder.outputs import api, sitemap
    from site_builder.outputs.base import OutputPlan
    from site_builder.settings import load_settings

    settings = load_settings(REPO / "mkdocs.yml").model_copy(update={"site_url": ""})
    catalog = build_catalog(load_content(REPO), now_in_vietnam())
    plan = OutputPlan(catalog, settings, ("",))
    assert list(api.OUTPUT.paths(plan)) == []
    assert list(sitemap.OUTPUT.paths(plan)) == ["robots.txt"]


def test_no_slug_takes_the_address_of_a_page_of_the_list():
    """A story's file ends in .json, the list's pages live in the folder page/: even a story slugged
    "page" (which stories may not take anyway) or "2" cannot collide with them."""
    from site_builder.routes import urls
    from site_builder.routes.registry import Producer, RouteRegistry

    registry = RouteRegistry()
    for number in range(1, 4):
        registry.claim(urls.api_stories(number), Producer.generated("the JSON API (api/)"))
    for slug in ("page", "2", "stories"):
        registry.claim(urls.api_story(slug), Producer.generated("a story {slug}", slug=slug))
    assert registry.conflicts == []
    assert urls.api_stories(2) == "api/stories/page/2.json" and urls.api_story("page") == "api/stories/page.json"

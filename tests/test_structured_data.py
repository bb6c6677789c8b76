"""Structured data, Open Graph, embed cards, oEmbed and "Trích dẫn", read from built pages with
extruct and compared with the content files' front matter (parsed here with PyYAML, not with the
site builder's loader): the demo site, and a small project whose story was made with
`site-builder new story` under a hostile title."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

import extruct
import pytest
import yaml
from bs4 import BeautifulSoup
from PIL import Image

from conftest import REPO, SITE_BUILDER, BuiltSite, TmpProject, run_tool, site_path, soup_of, text_of

BASE = "https://guongsang.example.vn/"  # site_url of the demo's mkdocs.yml
HOSTILE = '</script><script>alert(1)</script> "Trích" & <b>đậm</b>'
KIND_LABELS = {"ca-nhan": "Cá nhân", "tap-the": "Tập thể", "mo-hinh": "Mô hình", "tin-tong-hop": "Tin tổng hợp"}
ORGANISATION_FOLDERS = ("tap-the", "mo-hinh")  # profiles that are organisations, not persons
VN = dt.timezone(dt.timedelta(hours=7))


# --- what the content files say (independently of site_builder.content) --------------------


def nfc(value):
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])


def slug_of(path: Path, fm: dict) -> str:
    return fm.get("slug") or path.stem


def when(value) -> dt.datetime:
    """A front matter date or "YYYY-MM-DD HH:MM" as Vietnam time."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=VN)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=VN)
    return dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=VN)


def as_list(value) -> list:
    if value is None:
        return []
    return [nfc(value)] if isinstance(value, str) else [nfc(v) for v in value]


class Content:
    """Stories and profiles of a project by slug, its vocabularies and settings."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.stories = {slug_of(p, fm): fm for p, fm in self._files("stories")}
        self.profiles = {slug_of(p, fm): {**fm, "folder": p.parent.name} for p, fm in self._files("profiles")}
        self.fields = yaml.safe_load((root / "content/vocabularies/fields.yml").read_text(encoding="utf-8"))
        config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
        self.site_name = config["site_name"]
        self.organisation = next(p["site_builder"] for p in config["plugins"] if isinstance(p, dict))["organisation"]

    def _files(self, folder: str):
        for path in sorted((self.root / "content" / folder).glob("*/*.md")):
            yield path, {k: nfc(v) for k, v in front_matter(path).items()}

    def field_name(self, written: str) -> str:
        for term in self.fields:
            spellings = [term["name"], term.get("key", ""), term.get("short_name", ""), *term.get("aliases", [])]
            if written.casefold() in (s.casefold() for s in spellings if s):
                return term["name"]
        raise AssertionError(f"unknown field {written!r}")

    def published_profile(self, slug: str) -> dict | None:
        profile = self.profiles.get(slug)
        return profile if profile is not None and not profile.get("draft") else None

    def kind(self, fm: dict) -> str:
        kind = fm["kind"]
        return KIND_LABELS.get(kind, kind)

    def published(self, fm: dict) -> dt.datetime:
        return when(fm.get("publish_date") or fm["date"])

    def citation(self, fm: dict, url: str) -> str:
        authors = as_list(fm.get("authors"))
        head = ([", ".join(authors)] if authors else []) + [f"“{fm['title']}”"]
        here = f"{self.site_name}, {self.published(fm):%d/%m/%Y}, {url}"
        source = fm.get("source")
        if not source:
            return ", ".join([*head, here])
        original = source["outlet"] + (f", {source['date']:%d/%m/%Y}" if source.get("date") else "")
        return ", ".join([*head, original]) + f"; đăng lại trên {here}"


# --- what the built pages say ------------------------------------------------------------------


def extract(site: BuiltSite, url: str) -> dict:
    html = site.file(url).read_text(encoding="utf-8")
    return extruct.extract(html, base_url=BASE + url, syntaxes=["json-ld", "opengraph"], uniform=False)


def json_ld(data: dict, kind: str) -> dict:
    found = [block for block in data["json-ld"] if block.get("@type") == kind]
    assert len(found) == 1, [block.get("@type") for block in data["json-ld"]]
    return found[0]


def og(data: dict) -> list[tuple[str, str]]:
    """Every Open Graph (og:, article:) property of the page, in order."""
    assert len(data["opengraph"]) == 1
    return data["opengraph"][0]["properties"]


def og_one(data: dict, name: str) -> str | None:
    values = [v for k, v in og(data) if k == name]
    assert len(values) <= 1, (name, values)
    return values[0] if values else None


def local(url: str) -> str:
    assert url.startswith(BASE), url
    return url[len(BASE):]


def assert_image_object(site: BuiltSite, image: dict) -> None:
    """An ImageObject whose file exists with the declared size."""
    assert image["@type"] == "ImageObject"
    with Image.open(site.file(local(image["url"]))) as im:
        assert im.size == (image["width"], image["height"]), image["url"]


def story_urls(site: BuiltSite) -> list[str]:
    return [u for u in site.html_urls() if re.fullmatch(r"bai-viet/[a-z0-9-]+/", u)]


# --- the demo site ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> Content:
    return Content(REPO)


def check_news_article(site: BuiltSite, content: Content, url: str) -> dict:
    """The story page's NewsArticle and Open Graph against its front matter; returns the NewsArticle."""
    slug = url.split("/")[1]
    fm = content.stories[slug]
    data = extract(site, url)
    article = json_ld(data, "NewsArticle")
    published = content.published(fm)
    modified = when(fm["updated"]) if fm.get("updated") else published
    assert article["headline"] == fm["title"]
    assert article["description"] == fm["summary"]
    assert article["url"] == BASE + url and article["mainEntityOfPage"]["@id"] == BASE + url
    assert dt.datetime.fromisoformat(article["datePublished"]) == published
    assert dt.datetime.fromisoformat(article["dateModified"]) == modified
    assert article["inLanguage"] == "vi"
    organisation = {"@type": "Organization", "name": content.organisation["name"], "url": BASE,
                    "logo": {"@type": "ImageObject", "url": BASE + "assets/publisher-logo.png", "width": 512,
                             "height": 512}}
    assert article["publisher"] == organisation
    authors = as_list(fm.get("authors"))
    assert article["author"] == ([{"@type": "Person", "name": a} for a in authors] or organisation)
    source = fm.get("source")
    assert article["copyrightHolder"] == ({"@type": "Organization", "name": source["outlet"]} if source else organisation)
    if source:
        based_on = article["isBasedOn"]
        assert based_on["publisher"] == {"@type": "Organization", "name": source["outlet"]}
        assert based_on.get("url") == source.get("url")
        assert based_on.get("datePublished") == (source["date"].isoformat() if source.get("date") else None)
    else:
        assert "isBasedOn" not in article
    assert article["articleSection"] == [content.kind(fm), *(content.field_name(f) for f in as_list(fm.get("fields")))]
    tags = list(dict.fromkeys(as_list(fm.get("tags"))))
    assert article.get("keywords", []) == tags
    about = []
    for person in fm.get("people") or []:
        profile = content.published_profile(person.get("profile", ""))
        entry = {"@type": "Organization" if profile and profile["folder"] in ORGANISATION_FOLDERS else "Person",
                 "name": person["name"]}
        if profile:
            entry["url"] = f"{BASE}ho-so/{person['profile']}/"
        if person.get("role"):
            entry["jobTitle" if entry["@type"] == "Person" else "description"] = person["role"]
        about.append(entry)
    assert article.get("about", []) == about
    place = fm.get("place")
    if place:
        written = ", ".join(place[k] for k in ("commune", "district", "province") if place.get(k))
        assert article["contentLocation"]["@type"] == "Place" and article["contentLocation"]["name"] == written
        assert article["contentLocation"]["address"]["addressRegion"] == place["province"]
    else:
        assert "contentLocation" not in article
    images = article.get("image", [])
    for image in images:
        assert_image_object(site, image)
    og_image = og_one(data, "og:image")
    assert [i["url"] for i in images[:1]] == ([og_image] if og_image else [])
    if fm.get("cover"):
        assert len(images) >= 2, "the cover in several sizes"
    # Open Graph
    assert og_one(data, "og:type") == "article" and og_one(data, "og:title") == fm["title"]
    assert dt.datetime.fromisoformat(og_one(data, "article:published_time")) == published
    modified_time = og_one(data, "article:modified_time")
    assert (dt.datetime.fromisoformat(modified_time) if modified_time else None) == (
        when(fm["updated"]) if fm.get("updated") else None)
    assert og_one(data, "article:section") == content.kind(fm)
    assert [v for k, v in og(data) if k == "article:tag"] == tags
    return article


def test_news_article_of_every_demo_story(built_site, demo):
    urls = story_urls(built_site)
    assert len(urls) >= 20
    sources = about = places = 0
    for url in urls:
        article = check_news_article(built_site, demo, url)
        sources += "isBasedOn" in article
        about += "about" in article
        places += "contentLocation" in article
    assert sources and about and places  # the demo exercises each optional property


def test_publisher_logo_is_a_png(built_site):
    with Image.open(built_site.file("assets/publisher-logo.png")) as logo:
        assert logo.format == "PNG" and logo.size == (512, 512)  # Google: at least 112×112, raster
        assert logo.getpixel((5, 5)) != logo.getpixel((256, 256))  # a mark on a background


def first_page(url: str) -> str:
    """The list a numbered page belongs to: ``bai-viet/page/2/`` -> ``bai-viet/``."""
    return re.sub(r"page/\d+/$", "", url)


def breadcrumb_pairs(site: BuiltSite, url: str) -> list[tuple[str, str]]:
    """(name, absolute URL) of the breadcrumbs shown on the page (the last one, not a link, is the
    page itself, or the list of a numbered page)."""
    nav = site.page(url).select_one("nav.gs-breadcrumbs")
    pairs = []
    for li in nav.find_all("li"):
        a = li.find("a")
        pairs.append((text_of(li), BASE + (site_path(url, a["href"]) if a else first_page(url))))
    return pairs


def test_every_page_with_breadcrumbs_has_a_breadcrumb_list(built_site):
    kinds = set()
    for url in built_site.html_urls():
        if url in ("", "404.html") or url.startswith("nhung/"):
            continue
        crumbs = json_ld(extract(built_site, url), "BreadcrumbList")
        items = crumbs["itemListElement"]
        assert [i["position"] for i in items] == list(range(1, len(items) + 1))
        assert [(i["name"], i["item"]) for i in items] == breadcrumb_pairs(built_site, url), url
        assert items[0]["item"] == BASE and items[-1]["item"] == BASE + first_page(url)
        kinds.add(url.split("/")[0])
    assert {"bai-viet", "ho-so", "linh-vuc", "dia-phuong", "the", "luu-tru", "loai", "tim-kiem"} <= kinds


def test_home_page_is_the_website(built_site, demo):
    website = json_ld(extract(built_site, ""), "WebSite")
    assert website["url"] == BASE and website["name"] == demo.site_name
    assert website["publisher"]["logo"]["url"] == BASE + "assets/publisher-logo.png"


def test_profiles_are_persons_or_organisations_with_their_stories(built_site, demo):
    about: dict[str, set[str]] = {}
    for url in story_urls(built_site):
        for person in demo.stories[url.split("/")[1]].get("people") or []:
            if person.get("profile"):
                about.setdefault(person["profile"], set()).add(BASE + url)
    seen = 0
    for slug, profile in demo.profiles.items():
        if profile.get("draft"):
            continue
        url = f"ho-so/{slug}/"
        kind = "Organization" if profile["folder"] in ORGANISATION_FOLDERS else "Person"
        entity = json_ld(extract(built_site, url), kind)
        assert entity["name"] == profile["name"] and entity["url"] == BASE + url
        assert entity["description"] == profile["summary"]
        if kind == "Person" and profile.get("role"):
            assert entity["jobTitle"] == profile["role"]
        stories = {s["url"] for s in entity["subjectOf"]}
        assert stories == about.get(slug, set()), slug
        assert all(s["@type"] == "NewsArticle" and s["headline"] for s in entity["subjectOf"])
        for image in entity.get("image", []):
            assert_image_object(built_site, image)
        seen += 1
    assert seen >= 10


def check_embed(site: BuiltSite, content: Content, url: str) -> None:
    """The story's embed card, its oEmbed JSON and the story page's embed code, citation and discovery link."""
    slug = url.split("/")[1]
    fm = content.stories[slug]
    card_url = f"nhung/{slug}/"
    card = site.page(card_url)
    assert card.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert card.find("script") is None and card.find("style") is None
    assert not card.find_all(style=True), "no inline style (CSP)"
    assert text_of(card.h1) == fm["title"] and card.title.string == f"{fm['title']} – {content.site_name}"
    assert text_of(card.select_one(".gs-embed__summary")) == fm["summary"]
    links = card.find_all("a")
    assert links and all(a["target"] == "_top" for a in links)
    assert site_path(card_url, card.h1.a["href"]) == url
    assert text_of(card.select_one(".gs-embed__credit")).endswith(content.site_name)
    css = site_path(card_url, card.find("link", rel="stylesheet")["href"])
    assert css == "nhung/nhung.css" and site.exists(css)
    for img in card.find_all("img"):
        assert site.exists(site_path(card_url, img["src"]))
        assert img["alt"] == fm["cover"]["alt"]
    answer = json.loads(site.file(card_url + "oembed.json").read_text(encoding="utf-8"))
    assert (answer["version"], answer["type"]) == ("1.0", "rich")
    assert answer["title"] == fm["title"] and answer["provider_name"] == content.site_name
    assert answer["provider_url"] == BASE
    assert answer["author_name"] == (", ".join(as_list(fm.get("authors"))) or content.organisation["name"])
    iframe = BeautifulSoup(answer["html"], "html.parser").find("iframe")
    assert iframe["src"] == BASE + card_url and iframe["title"] == fm["title"]
    assert (int(iframe["width"]), int(iframe["height"])) == (answer["width"], answer["height"])
    if "thumbnail_url" in answer:
        with Image.open(site.file(local(answer["thumbnail_url"]))) as im:
            assert im.size == (answer["thumbnail_width"], answer["thumbnail_height"])
    page = site.page(url)
    discovery = page.find("link", type="application/json+oembed")
    assert discovery["rel"] == ["alternate"] and discovery["href"] == BASE + card_url + "oembed.json"
    assert discovery["title"] == fm["title"]
    assert page.select_one("#gs-ma-nhung").get_text() == answer["html"]
    assert text_of(page.select_one(".gs-citation")) == "Trích dẫn: " + content.citation(fm, BASE + url)


def test_embed_card_and_oembed_of_every_demo_story(built_site, demo):
    urls = story_urls(built_site)
    for url in urls:
        check_embed(built_site, demo, url)
    cards = [p for p in (built_site.dir / "nhung").iterdir() if p.is_dir()]
    assert len(cards) == len(urls)


def test_embed_cards_are_left_out_of_the_sitemap(built_site):
    assert "/nhung/" not in built_site.file("sitemap.xml").read_text(encoding="utf-8")


# --- a story made with `site-builder new story` under a hostile title ---------------------------


@pytest.fixture(scope="module")
def press(tmp_path_factory) -> dict:
    """A project with the hostile story (a republished one, updated, with people, place, tags and
    a cover) and a collective's profile; built once."""
    project = TmpProject(tmp_path_factory.mktemp("press") / "project")
    made = run_tool(SITE_BUILDER, "new", "story", HOSTILE, "--kind", "ca-nhan", cwd=project.root)
    assert made.returncode == 0, made.stdout + made.stderr
    path = Path(made.stdout.strip().splitlines()[-1])
    path = path if path.is_absolute() else project.root / path
    project.copy_image("2026/bia.jpg")
    text = path.read_text(encoding="utf-8").replace("draft: true", "draft: false")
    text = re.sub(r"(?m)^date: .*$", "date: 2025-12-30 08:00", text)
    extra = f"""authors: [{json.dumps('Tác giả ' + HOSTILE)}, Thành An]
updated: 2026-01-02 09:15
source: {{outlet: {json.dumps('Báo ' + HOSTILE)}, url: "https://example.com/?a=1&b=2", date: 2019-05-10}}
place: {{commune: xã Tân Phong, district: huyện Bình Xuyên, province: Vĩnh Phúc}}
tags: [{json.dumps(HOSTILE)}, phụ nữ]
fields: [VH - XH]
people:
  - {{name: {json.dumps('Tổ ' + HOSTILE)}, role: Tổ tự quản, profile: to-tu-quan}}
  - {{name: Nguyễn Văn A, role: {json.dumps('Vai ' + HOSTILE)}}}
cover: {{src: 2026/bia.jpg, alt: {json.dumps('Ảnh ' + HOSTILE)}}}
"""
    _, head, body = text.split("---\n", 2)
    path.write_text("---\n" + head + extra + "---\n" + body, encoding="utf-8")
    project.write("content/profiles/tap-the/to-tu-quan.md",
                  f"---\nname: {json.dumps('Tổ tự quản ' + HOSTILE)}\nkind: tap-the\nsummary: Một tổ tự quản.\n---\nThân.\n")
    result = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    site = BuiltSite(project.root / "site", result.stdout, result.stderr)
    (url,) = story_urls(site)
    return {"site": site, "content": Content(project.root), "url": url}


def test_new_story_with_hostile_title_round_trips_in_json_ld_and_open_graph(press):
    site, content, url = press["site"], press["content"], press["url"]
    assert content.stories[url.split("/")[1]]["title"] == HOSTILE
    article = check_news_article(site, content, url)
    assert article["headline"] == HOSTILE and article["keywords"] == [HOSTILE, "phụ nữ"]
    assert article["about"][0] == {"@type": "Organization", "name": "Tổ " + HOSTILE, "url": BASE + "ho-so/to-tu-quan/",
                                   "description": "Tổ tự quản"}
    assert article["isBasedOn"]["url"] == "https://example.com/?a=1&b=2"
    assert article["dateModified"] == "2026-01-02T09:15:00+07:00"
    data = extract(site, url)
    assert og_one(data, "og:title") == HOSTILE
    assert og_one(data, "article:modified_time") == "2026-01-02T09:15:00+07:00"
    assert json_ld(data, "BreadcrumbList")["itemListElement"][-1]["name"] == HOSTILE
    raw = site.file(url).read_text(encoding="utf-8")
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S):
        assert "<" not in block and ">" not in block and "&" not in block  # escaped as \u003c, \u003e, \u0026
    profile = json_ld(extract(site, "ho-so/to-tu-quan/"), "Organization")
    assert profile["name"] == "Tổ tự quản " + HOSTILE and [s["headline"] for s in profile["subjectOf"]] == [HOSTILE]


def test_hostile_title_round_trips_in_the_embed_oembed_and_citation(press):
    site, content, url = press["site"], press["content"], press["url"]
    check_embed(site, content, url)
    card = site.page(f"nhung/{url.split('/')[1]}/")
    assert card.find("img")["alt"] == "Ảnh " + HOSTILE
    assert text_of(card.select_one(".gs-embed__credit")).startswith(f"Bài: Tác giả {HOSTILE}, Thành An")
    citation = text_of(site.page(url).select_one(".gs-citation"))
    assert citation == (f"Trích dẫn: Tác giả {HOSTILE}, Thành An, “{HOSTILE}”, Báo {HOSTILE}, 10/05/2019; "
                        f"đăng lại trên Gương Sáng, {content.published(content.stories[url.split('/')[1]]):%d/%m/%Y}, "
                        f"{BASE}{url}")


def test_embed_output_is_claimed_and_collides_like_any_other(tmp_project):
    """A content file at an embed card's address stops the build, naming both producers."""
    tmp_project.add_story("bai-mot", "---\ntitle: Bài một\ndate: 2024-05-01\nsummary: Tóm tắt.\nkind: ca-nhan\n---\nThân.\n")
    tmp_project.write("content/nhung/bai-mot/index.md", "# Trang trùng địa chỉ\n")
    result = tmp_project.build()
    assert result.returncode != 0
    assert "nhung/bai-mot/index.html" in result.stdout + result.stderr

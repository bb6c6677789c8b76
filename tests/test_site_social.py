"""The `social_cards` setting end to end: which stories get a generated card, and what
og:image / JSON-LD show instead (the cover photo's JPEG variant)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from PIL import Image

from conftest import SITE_BUILDER, BuiltSite, TmpProject, lead_figure, run_tool, site_path, story_text
from site_builder.build import BuildOptions, prepare_build
from site_builder.routes import urls
from site_builder.settings import parse_settings
from site_builder.vietnamese import now_in_vietnam

PAST = now_in_vietnam().replace(second=0, microsecond=0) - dt.timedelta(days=10)
BASE = "https://guongsang.example.vn/"  # site_url of the demo's mkdocs.yml
HOSTILE_ALT = 'Ảnh bìa "><script>alert(1)</script> & \'đơn\''

COVERED = "bai-co-anh"  # a 1600 px cover: og:image is its 1600 px JPEG
SMALL = "bai-anh-nho"  # a 1000 px cover: no JPEG reaches 1200 px, og:image is the largest (960)
TINY = "bai-anh-ti-hon"  # a 400 px cover: too narrow for a large preview, so `auto` draws a card
UNCOVERED = "bai-khong-anh"
TITLES = {COVERED: "Bài có ảnh bìa", SMALL: "Bài có ảnh nhỏ", TINY: "Bài có ảnh tí hon",
          UNCOVERED: "Bài không có ảnh bìa"}


def cover_yaml(src: str, alt: str) -> str:
    return f"cover: {{src: {src}, alt: {json.dumps(alt)}}}"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> TmpProject:
    p = TmpProject(tmp_path_factory.mktemp("social") / "project")
    p.copy_image("2026/bia.jpg")
    small = p.root / "images" / "2026" / "nho.jpg"
    with Image.open(p.root / "images" / "2026" / "bia.jpg") as im:
        im.resize((1000, 625)).save(small, "JPEG", quality=85)
    p.add_story(COVERED, story_text(TITLES[COVERED], PAST, extra=cover_yaml("2026/bia.jpg", HOSTILE_ALT)))
    p.add_story(SMALL, story_text(TITLES[SMALL], PAST - dt.timedelta(days=1), extra=cover_yaml("2026/nho.jpg", "Ảnh nhỏ")))
    with Image.open(small) as im:
        im.resize((400, 250)).save(p.root / "images" / "2026" / "ti-hon.jpg", "JPEG", quality=85)
    p.add_story(TINY, story_text(TITLES[TINY], PAST - dt.timedelta(days=3), extra=cover_yaml("2026/ti-hon.jpg", "Tí hon")))
    p.add_story(UNCOVERED, story_text(TITLES[UNCOVERED], PAST - dt.timedelta(days=2)))
    return p


def with_setting(project: TmpProject, line: str, name: str):
    """A copy of the project's mkdocs.yml with `line` added to the site_builder options."""
    text = project.config.read_text(encoding="utf-8")
    marker = "  - site_builder:\n"
    assert marker in text
    config = project.root / f"mkdocs-{name}.yml"
    config.write_text(text.replace(marker, f"{marker}      {line}\n"), encoding="utf-8")
    return config


def build(project: TmpProject, mode: str | None) -> BuiltSite:
    name = mode or "default"
    config = project.config if mode is None else with_setting(project, f"social_cards: {mode}", name)
    out = project.root / f"site-{name}"
    result = run_tool(SITE_BUILDER, "-f", config, "build", "-d", out, cwd=project.root)
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(out, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def sites(project):
    """mode → the project built with `social_cards: <mode>` (None: the setting left out), built once."""
    built: dict[str | None, BuiltSite] = {}

    def get(mode: str | None) -> BuiltSite:
        if mode not in built:
            built[mode] = build(project, mode)
        return built[mode]

    return get


def story_url(slug: str) -> str:
    return f"bai-viet/{slug}/"


def metas(doc) -> dict[str, str]:
    """The page's og:image* and twitter:* meta values."""
    found = {m["property"]: m["content"] for m in doc.find_all("meta", property=re.compile(r"^og:image"))}
    found |= {m["name"]: m["content"] for m in doc.find_all("meta", attrs={"name": re.compile(r"^twitter:")})}
    return found


def json_ld(doc) -> dict:
    """The page's first JSON-LD block (a story's NewsArticle)."""
    return json.loads(doc.find("script", type="application/ld+json").string)


def image_urls(data: dict) -> list[str]:
    """URLs of a JSON-LD `image` list of ImageObjects."""
    return [image["url"] for image in data.get("image", [])]


def local(url: str) -> str:
    assert url.startswith(BASE), url
    return url[len(BASE):]


def card_files(site: BuiltSite) -> list[str]:
    folder = site.dir / "assets" / "cards"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def expected_cover_variant(site: BuiltSite, slug: str) -> str:
    """The lead photo's narrowest JPEG at least 1200 px wide, else its widest (site-relative)."""
    url = story_url(slug)
    img = lead_figure(site.page(url)).find("img")
    jpegs = sorted((int(w.rstrip("w")), href) for href, w in (part.split() for part in img["srcset"].split(",")))
    wide = [href for width, href in jpegs if width >= 1200]
    return site_path(url, wide[0] if wide else jpegs[-1][1])


def assert_cover_is_og_image(site: BuiltSite, slug: str, alt: str) -> None:
    doc = site.page(story_url(slug))
    m = metas(doc)
    path = local(m["og:image"])
    assert path.startswith("assets/images/") and path == expected_cover_variant(site, slug)
    with Image.open(site.file(path)) as im:
        assert im.format == "JPEG"
        assert (int(m["og:image:width"]), int(m["og:image:height"])) == im.size
    assert m["og:image:type"] == "image/jpeg" and m["og:image:alt"] == alt
    assert m["twitter:card"] == "summary_large_image"
    assert image_urls(json_ld(doc))[0] == m["og:image"]  # the shared image first, then the cover's sizes


def assert_card_is_og_image(site: BuiltSite, slug: str) -> None:
    doc = site.page(story_url(slug))
    m = metas(doc)
    path = local(m["og:image"])
    assert re.fullmatch(r"assets/cards/[a-z0-9-]+-[0-9a-f]{10}\.jpg", path), path
    with Image.open(site.file(path)) as card:
        assert card.format == "JPEG" and card.size == (1200, 630)
    assert (m["og:image:width"], m["og:image:height"], m["og:image:type"]) == ("1200", "630", "image/jpeg")
    assert m["og:image:alt"] == TITLES[slug]
    assert m["twitter:card"] == "summary_large_image"
    assert image_urls(json_ld(doc))[0] == m["og:image"]  # the shared image first, then the cover's sizes


def test_default_is_auto(sites):
    default, auto = sites(None), sites("auto")
    for slug in TITLES:
        assert metas(default.page(story_url(slug))) == metas(auto.page(story_url(slug))), slug
    assert card_files(default) == card_files(auto)


def test_auto_shares_covers_and_makes_cards_only_for_uncovered_stories(sites):
    site = sites("auto")
    assert_cover_is_og_image(site, COVERED, HOSTILE_ALT)
    assert_cover_is_og_image(site, SMALL, "Ảnh nhỏ")
    assert metas(site.page(story_url(SMALL)))["og:image:width"] == "960"  # the largest: none reaches 1200
    assert metas(site.page(story_url(COVERED)))["og:image:width"] == "1600"
    assert_card_is_og_image(site, TINY)  # 400 px: under 600, a preview would be a thumbnail
    assert_card_is_og_image(site, UNCOVERED)
    assert len(card_files(site)) == 2


def test_all_makes_a_card_for_every_story(sites):
    site = sites("all")
    for slug in TITLES:
        assert_card_is_og_image(site, slug)
    assert len(card_files(site)) == len(TITLES)


def test_off_makes_no_card(sites):
    """A bare `off` in YAML is false: it means off too."""
    site = sites("off")
    assert card_files(site) == [] and not (site.dir / "assets" / "cards").exists()
    assert_cover_is_og_image(site, COVERED, HOSTILE_ALT)
    assert_cover_is_og_image(site, SMALL, "Ảnh nhỏ")
    assert_cover_is_og_image(site, TINY, "Tí hon")  # no card at all: even a small cover is shared
    doc = site.page(story_url(UNCOVERED))
    assert metas(doc) == {}
    assert "image" not in json_ld(doc)


def test_hostile_cover_alt_stays_an_attribute_value(sites):
    site = sites("auto")
    doc = site.page(story_url(COVERED))
    assert doc.head.find("meta", property="og:image:alt")["content"] == HOSTILE_ALT
    assert [s for s in doc.find_all("script") if "alert(1)" in (s.string or "")] == []
    assert "<script>alert(1)" not in site.file(story_url(COVERED)).read_text(encoding="utf-8")


def test_a_bad_value_fails_the_build_naming_the_setting(project):
    config = with_setting(project, "social_cards: sometimes", "bad")
    result = run_tool(SITE_BUILDER, "-f", config, "build", "-d", project.root / "site-bad", cwd=project.root)
    assert result.returncode != 0
    assert "social_cards" in result.stdout + result.stderr
    assert not (project.root / "site-bad").exists()


# ------------------------------------------------------------------------ what is published


HASHED = re.compile(r"-[0-9a-f]{10}\.(jpg|webp|avif)$")  # our files (the theme puts a favicon in assets/images/)


def referenced_media(site: BuiltSite) -> set[str]:
    """Site paths of the photos and cards the pages use: <img>/<source> src and srcset, og:image,
    twitter:image and the JSON-LD image."""
    found: set[str] = set()
    for url, doc in site.all_pages().items():
        hrefs = [img.get("src") for img in doc.find_all("img")]
        for tag in doc.find_all(["img", "source"], srcset=True):
            hrefs += [part.split()[0] for part in tag["srcset"].split(",")]
        hrefs += [m["content"] for m in doc.find_all("meta", content=True)
                  if m.get("property", m.get("name", "")) in ("og:image", "twitter:image")]
        ld = doc.find("script", type="application/ld+json")
        if ld is not None:
            hrefs += image_urls(json.loads(ld.string))
        for href in hrefs:
            path = site_path(url, href.replace(BASE, "/") if href else href)
            if path and path.startswith((urls.PHOTOS, urls.CARDS)):
                found.add(path)
    return found


def published_media(site: BuiltSite) -> set[str]:
    return {p.relative_to(site.dir).as_posix() for folder in (urls.PHOTOS, urls.CARDS) if (site.dir / folder).is_dir()
            for p in (site.dir / folder).iterdir() if HASHED.search(p.name)}


@pytest.mark.parametrize("mode", ["auto", "all", "off"])
def test_the_published_photos_and_cards_are_exactly_those_the_pages_use(sites, mode):
    site = sites(mode)
    published = published_media(site)
    assert published and referenced_media(site) == published
    assert any(p.startswith(urls.CARDS) for p in published) == (mode != "off")


def test_the_outputs_are_known_before_any_page_is_rendered(project):
    """Right after the photos and cards are made: every variant of every cover, and the cards."""
    raw = {"site_name": "Gương Sáng", "organisation": {"name": "Ban biên tập"},
           "feedback": {"email": "a@example.vn"}, "social_cards": "auto"}
    build = prepare_build(project.root, parse_settings(raw), BuildOptions(now=now_in_vietnam()), parallel=False)
    outputs = dict(build.photos.pipeline.outputs())
    covers = [build.photos.get(s.cover.src) for s in build.catalog.stories if s.cover]
    variants = {v.url: build.photos.pipeline.cache.path_of(v.name) for image in covers for v in image.variants}
    cards = {url: outputs[url] for url in build.card_urls.values()}
    assert sorted(build.card_urls) == sorted([TINY, UNCOVERED])
    assert outputs == variants | cards
    assert all(source.is_file() and source.is_relative_to(project.root / ".cache" / "images")
               for source in outputs.values())

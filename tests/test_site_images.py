"""Photos in the built demo site: the HTML attributes match the published files."""

from __future__ import annotations

import re

from PIL import Image

from conftest import lead_figure, site_path
from imagekit import COVERED_STORY as STORY




def _srcset(value: str) -> list[tuple[str, int]]:
    entries = []
    for part in value.split(","):
        url, width = part.split()
        entries.append((url, int(width.rstrip("w"))))
    return entries


def test_lead_photo_matches_its_files(built_site, page, seed_story):
    url = seed_story.url
    figure = lead_figure(page(url))
    img = figure.find("img")
    assert img["fetchpriority"] == "high" and img["loading"] == "eager"
    webp = figure.find("source", type="image/webp")
    assert webp is not None and webp["sizes"]
    jpeg_widths = []
    for srcset, fmt in ((img["srcset"], "JPEG"), (webp["srcset"], "WEBP")):
        for href, width in _srcset(srcset):
            with Image.open(built_site.file(site_path(url, href))) as published:
                assert published.format == fmt
                assert published.width == width
                assert not published.getexif()  # no EXIF / GPS in any output
            if fmt == "JPEG":
                jpeg_widths.append(width)
    with Image.open(built_site.file(site_path(url, img["src"]))) as fallback:
        assert fallback.format == "JPEG"
    largest = max(jpeg_widths)
    with Image.open(built_site.file(site_path(url, dict((w, h) for h, w in _srcset(img["srcset"]))[largest]))) as big:
        assert (int(img["width"]), int(img["height"])) == big.size
    assert len(img["style"]) < 400 and "data:image/" in img["style"]  # tiny inline placeholder
    caption = figure.find("figcaption")
    assert seed_story.cover.caption in caption.get_text() and f"Ảnh: {seed_story.cover.credit}" in caption.get_text()


def test_card_photos_are_lazy(page):
    doc = page("")
    cards = doc.select(".gs-card img")
    assert cards and all(img["loading"] == "lazy" and img["decoding"] == "async" for img in cards)


def test_og_image_of_a_covered_story_is_its_lead_photo(built_site, page, seed_story, demo_catalog):
    """`social_cards: auto` (the demo's default): the cover's JPEG at least 1200 px wide, no card."""
    doc = page(seed_story.url)
    meta = {m["property"]: m["content"] for m in doc.find_all("meta", property=re.compile("^og:image"))}
    path = re.sub(r"^https?://[^/]+/", "", meta["og:image"])
    jpegs = sorted((w, site_path(seed_story.url, href)) for href, w in _srcset(lead_figure(doc).img["srcset"]))
    assert path == next(href for w, href in jpegs if w >= 1200)
    with Image.open(built_site.dir / path) as photo:
        assert photo.format == "JPEG"
        assert (int(meta["og:image:width"]), int(meta["og:image:height"])) == photo.size
    assert meta["og:image:type"] == "image/jpeg" and meta["og:image:alt"] == seed_story.cover.alt
    cards = built_site.dir / "assets" / "cards"
    made = len(list(cards.iterdir())) if cards.exists() else 0
    assert made == sum(1 for s in demo_catalog.stories if s.cover is None)  # cards only for uncovered stories


def test_broken_photo_fails_the_build_naming_file_and_line(tmp_project):
    tmp_project.copy_image("2026/duong-hoa.jpg")
    story = tmp_project.add_story("duong-hoa", STORY)
    photo = tmp_project.root / "images" / "2026" / "duong-hoa.jpg"
    photo.write_bytes(photo.read_bytes()[:300])  # a truncated JPEG
    images_before = {p: p.read_bytes() for p in (tmp_project.root / "images").rglob("*") if p.is_file()}
    result = tmp_project.build()
    assert result.returncode != 0
    line = next(i for i, text in enumerate(story.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("  src:"))
    assert f"content/stories/2026/duong-hoa.md:{line}: cover.src:" in result.stdout + result.stderr
    assert {p: p.read_bytes() for p in (tmp_project.root / "images").rglob("*") if p.is_file()} == images_before
    assert not (tmp_project.root / "site").exists()


def test_body_gallery_is_published(built_site, page, seed_story):
    """The seed story's paragraph of two photos is a gallery of figures with captions and real files."""
    url = seed_story.url
    gallery = page(url).select_one(".gs-article__body .gallery")
    assert gallery is not None
    figures = gallery.select("figure")
    assert len(figures) == 2 and all(f.figcaption.get_text(strip=True) for f in figures)
    for img in gallery.select("img"):
        assert img["loading"] == "lazy" and built_site.file(site_path(url, img["src"])).is_file()

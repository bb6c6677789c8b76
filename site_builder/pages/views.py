"""View models: plain dicts the templates read. No HTML is built here except
through `Markup` values that were already escaped or rendered from Markdown."""

from __future__ import annotations

import json
from typing import Any, Protocol
from urllib.parse import quote, urlencode

from markupsafe import Markup

from site_builder import vietnamese as vi
from site_builder.catalog import Catalog, TermEntry
from site_builder.content.models import Photo, Profile, Story
from site_builder.images import ProcessedImage
from site_builder.images.settings import MIME_TYPES
from site_builder.images.card_draw import CARD_HEIGHT, CARD_WIDTH
from site_builder.markdown_render import RenderMarkdown
from site_builder.settings import SiteSettings


class ImageViews(Protocol):
    """Turns a Photo into an image view dict (see `images_simple.SimpleImages`)."""

    def view(self, photo: Photo | None) -> dict[str, Any] | None: ...


def root_path(url: str) -> str:
    """Relative way from the page at `url` to the site root: '' or '../../'."""
    return "../" * url.count("/")


def term_link(entry: TermEntry | None) -> dict[str, str] | None:
    return {"name": entry.name, "url": entry.url} if entry else None


def short_date(story: Story) -> str:
    return story.published_at.strftime("%d/%m/%Y")


def place_label(story_or_profile: Story | Profile) -> str:
    place = story_or_profile.place
    if place is None:
        return ""
    return place.commune or place.province


def story_card(story: Story, catalog: Catalog, images: ImageViews) -> dict[str, Any]:
    """What a photo card or a compact list item shows."""
    return {
        "url": story.url,
        "title": story.title,
        "summary": story.summary,
        "kind": story.kind.label,
        "date": vi.format_date(story.published_at),
        "date_short": short_date(story),
        "iso": vi.iso_date(story.published_at),
        "place": place_label(story),
        "image": images.view(story.cover),
    }


def byline(story: Story) -> str:
    """'Bài, ảnh: Thành An' when writer and photographer are the same, else 'Bài: A; Ảnh: B'."""
    authors = ", ".join(story.authors)
    photo = story.photographer or (story.cover.credit if story.cover else "")
    if authors and photo and vi.fold(authors) == vi.fold(photo):
        return f"Bài, ảnh: {authors}"
    parts = []
    if authors:
        parts.append(f"Bài: {authors}")
    if story.photographer:
        parts.append(f"Ảnh: {story.photographer}")
    return "; ".join(parts)


def feedback_url(settings: SiteSettings, title: str, url: str) -> str:
    """Link for "Phản hồi", prefilled with the story's title and address."""
    fb = settings.feedback
    if fb.form_url:
        return fb.form_url.replace("{title}", quote(title, safe="")).replace("{url}", quote(url, safe=""))
    query = urlencode({"subject": f"Phản hồi: {title}", "body": f"Bài viết: {title}\n{url}\n\n"}, quote_via=quote)
    return f"mailto:{fb.email}?{query}"


def share_links(url: str, title: str) -> dict[str, str]:
    """Plain share links: no third-party script is loaded."""
    return {
        "url": url,
        "facebook": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        "zalo": "https://sp.zalo.me/share_to_zalo?" + urlencode({"url": url, "title": title}, quote_via=quote),
    }


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON-LD safe to embed in <script>: `<`, `>` and `&` are escaped as \\u sequences."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def place_parts(catalog: Catalog, item: Story | Profile) -> dict[str, Any] | None:
    """The place as written, with links to its commune and province pages."""
    if item.place is None:
        return None
    province, commune = catalog.place_terms(item.place)
    parts = [term_link(t) for t in (commune, province) if t]
    main = commune or province
    return {"name": item.place.label, "url": main.url if main else "", "parts": parts}


def recognition_view(catalog: Catalog, item: Story | Profile) -> list[dict[str, Any]]:
    return [
        {"title": r.title, "year": r.year, "level": catalog.vocab_name("recognition_levels", r.level)}
        for r in item.recognition
    ]


def absolute(settings: SiteSettings, url: str) -> str:
    base = settings.site_url.rstrip("/")
    return f"{base}/{url}" if base else f"/{url}"


def story_view(
    story: Story,
    catalog: Catalog,
    settings: SiteSettings,
    images: ImageViews,
    render_markdown: RenderMarkdown,
) -> dict[str, Any]:
    """Everything a story page shows."""
    terms = catalog.story_terms(story)
    page_url = absolute(settings, story.url)
    source = None
    if story.source:
        source = {
            "outlet": story.source.outlet,
            "url": story.source.url,
            "date": vi.format_date(story.source.date) if story.source.date else "",
            "iso": story.source.date.isoformat() if story.source.date else "",
        }
    return {
        "title": story.title,
        "summary": story.summary,
        "kind": term_link(terms.kind),
        "date": vi.format_datetime(story.published_at),
        "iso": vi.iso_date(story.published_at),
        "updated_iso": vi.iso_date(story.updated) if story.updated else "",
        "reading": vi.format_reading_time(vi.reading_time(story.body)),
        "place": place_parts(catalog, story),
        "cover": images.view(story.cover),
        "body_html": Markup(render_markdown(story.body, root_path(story.url))),
        "people": [
            {"name": p.name, "role": p.role, "birth_year": p.person.birth_year, "url": p.url} for p in terms.people
        ],
        "organisation": term_link(terms.organisation),
        "fields": [term_link(f) for f in terms.fields],
        "campaign": term_link(terms.campaign),
        "recognition": recognition_view(catalog, story),
        "tags": [term_link(t) for t in terms.tags],
        "byline": byline(story),
        "source": source,
        "share": share_links(page_url, story.title),
        "feedback_url": feedback_url(settings, story.title, page_url),
    }


SHARE_WIDTH = 1200  # px: the width Facebook and Zalo show a shared link's photo at
# px: below this, Facebook shows a shared photo as a small thumbnail, not a large preview
MIN_SHARE_WIDTH = 600


def shareable(image: ProcessedImage) -> bool:
    """Whether a processed cover is wide enough to be a link's large preview (`og:image`)."""
    return image.largest("jpeg").width >= MIN_SHARE_WIDTH


def social_image(
    story: Story, settings: SiteSettings, images: ImageViews, card_url: str | None
) -> dict[str, Any] | None:
    """The story's `og:image`: its generated card when it has one, else its cover photo, else None."""
    if card_url:
        return _card_image(settings, card_url, story.title)
    return _cover_image(settings, images.view(story.cover))


def _card_image(settings: SiteSettings, card_url: str, title: str) -> dict[str, Any]:
    return {
        "url": absolute(settings, card_url),
        "width": CARD_WIDTH,
        "height": CARD_HEIGHT,
        "type": MIME_TYPES["jpeg"],
        "alt": title,
    }


def _cover_image(settings: SiteSettings, cover: dict[str, Any] | None) -> dict[str, Any] | None:
    """The cover's narrowest JPEG at least SHARE_WIDTH wide (else its largest)."""
    if cover is None:
        return None
    variant = cover["image"].fallback("jpeg", SHARE_WIDTH)
    return {
        "url": absolute(settings, variant.url),
        "width": variant.width,
        "height": variant.height,
        "type": MIME_TYPES["jpeg"],
        "alt": cover["alt"],
    }


def story_json_ld(story: Story, settings: SiteSettings, image_url: str | None) -> Markup:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "description": story.summary,
        "datePublished": vi.iso_date(story.published_at),
        "dateModified": vi.iso_date(story.updated or story.published_at),
        "inLanguage": "vi",
        "mainEntityOfPage": absolute(settings, story.url),
        "author": [{"@type": "Person", "name": a} for a in story.authors]
        or {"@type": "Organization", "name": settings.organisation.name},
        "publisher": {"@type": "Organization", "name": settings.organisation.name},
    }
    if image_url:
        data["image"] = [image_url]
    return json_ld(data)


def profile_view(
    profile: Profile,
    catalog: Catalog,
    images: ImageViews,
    render_markdown: RenderMarkdown,
) -> dict[str, Any]:
    terms = catalog.profile_terms(profile)
    return {
        "name": profile.name,
        "kind": {"name": profile.kind.label, "url": f"ho-so/{profile.kind.value}/"},
        "role": profile.role,
        "summary": profile.summary,
        "birth_year": profile.birth_year,
        "organisation": term_link(terms.organisation)
        or ({"name": catalog.vocab_name("organisations", profile.organisation), "url": ""} if profile.organisation else None),
        "place": place_parts(catalog, profile),
        "fields": [term_link(f) for f in terms.fields],
        "recognition": recognition_view(catalog, profile),
        "photo": images.view(profile.photo),
        "body_html": Markup(render_markdown(profile.body, root_path(profile.url))),
    }


def profile_card(profile: Profile, catalog: Catalog, images: ImageViews) -> dict[str, Any]:
    return {
        "url": profile.url,
        "name": profile.name,
        "role": profile.role,
        "place": place_label(profile),
        "story_count": len(catalog.stories_for_profile(profile.slug)),
        "image": images.view(profile.photo),
    }


def pagination_view(page) -> dict[str, Any]:
    """Page links around the current one: 1 … 4 5 [6] 7 8 … 20."""
    numbers = sorted({1, page.total, *range(max(1, page.number - 2), min(page.total, page.number + 2) + 1)})
    links: list[dict[str, Any]] = []
    previous = 0
    for n in numbers:
        if n - previous > 1:
            links.append({"gap": True})
        links.append({"number": n, "current": n == page.number, "url": _page_url(page.first_url, n)})
        previous = n
    return {
        "number": page.number,
        "total": page.total,
        "prev_url": page.prev_url,
        "next_url": page.next_url,
        "links": links,
    }


def _page_url(first_url: str, n: int) -> str:
    return first_url if n == 1 else f"{first_url}page/{n}/"

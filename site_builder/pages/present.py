"""Turn catalog objects into the typed views of `site_builder.pages.views`.

No HTML is built here except through `Markup` values that were already escaped or
rendered from Markdown (bodies, JSON-LD).
"""

from __future__ import annotations

import json
from typing import Any, Callable, Protocol
from urllib.parse import quote, urlencode

from markupsafe import Markup

from site_builder import vietnamese as vi
from site_builder.catalog import Catalog, PageSlice, TermEntry
from site_builder.content.models import Photo, Profile, Story
from site_builder.images import ProcessedImage
from site_builder.images.settings import MIME_TYPES
from site_builder.images.card_draw import CARD_HEIGHT, CARD_WIDTH
from site_builder.pages import views
from site_builder.routes import urls
from site_builder.settings import SiteSettings


class PhotoLookup(Protocol):
    """Turns a content Photo into a photo view (see `pages.photos.PhotoViews`)."""

    def view(self, photo: Photo | None) -> views.Photo | None: ...


#: A story's or profile's body as HTML for the page at a URL depth: `(item, url_base) -> html`
#: (`site_builder.bodies.Bodies.html` with the build's photos).
RenderBody = Callable[[Story | Profile, str], str]


def root_path(url: str) -> str:
    """Relative way from the page at `url` to the site root: '' or '../../'."""
    return "../" * url.count("/")


def term_link(entry: TermEntry | None) -> views.Link | None:
    return views.Link(entry.name, entry.url) if entry else None


def _links(entries: Any) -> tuple[views.Link, ...]:
    return tuple(views.Link(e.name, e.url) for e in entries)


def short_date(story: Story) -> str:
    return story.published_at.strftime("%d/%m/%Y")


def place_label(story_or_profile: Story | Profile) -> str:
    place = story_or_profile.place
    if place is None:
        return ""
    return place.commune or place.province


def story_card(story: Story, photos: PhotoLookup) -> views.StoryCard:
    """What a photo card or a compact list item shows."""
    return views.StoryCard(
        url=story.url,
        title=story.title,
        summary=story.summary,
        kind=story.kind.label,
        date=vi.format_date(story.published_at),
        date_short=short_date(story),
        iso=vi.iso_date(story.published_at),
        place=place_label(story),
        image=photos.view(story.cover),
    )


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


def takedown_url(settings: SiteSettings, title: str, url: str) -> str:
    """Link for "Yêu cầu gỡ bỏ": the form of `privacy.takedown_url` ({url} and {title} filled), else an
    e-mail to the privacy contact, prefilled with the story's address."""
    privacy = settings.privacy_contact
    if privacy.takedown_url:
        return privacy.takedown_url.replace("{title}", quote(title, safe="")).replace("{url}", quote(url, safe=""))
    if not privacy.contact:  # neither an e-mail nor a form for privacy: the feedback form
        return feedback_url(settings, f"Yêu cầu gỡ bỏ: {title}", url)
    body = (f"Tôi đề nghị gỡ bỏ bài viết: {title}\n{url}\n\nLý do (ví dụ: tôi là người trong bài, ảnh của tôi "
            f"được đăng khi chưa đồng ý):\n\nHọ tên và cách liên hệ:\n")
    query = urlencode({"subject": f"Yêu cầu gỡ bỏ: {title}", "body": body}, quote_via=quote)
    return f"mailto:{privacy.contact}?{query}"


def share_links(url: str, title: str) -> views.Share:
    """Plain share links: no third-party script is loaded."""
    return views.Share(
        url=url,
        facebook="https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        zalo="https://sp.zalo.me/share_to_zalo?" + urlencode({"url": url, "title": title}, quote_via=quote),
    )


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON-LD safe to embed in <script>: `<`, `>` and `&` are escaped as \\u sequences."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def place_view(catalog: Catalog, item: Story | Profile) -> views.Place | None:
    """The place as written, with links to its commune and province pages."""
    if item.place is None:
        return None
    province, commune = catalog.place_terms(item.place)
    main = commune or province
    return views.Place(item.place.label, main.url if main else "", _links(t for t in (commune, province) if t))


def recognition_views(catalog: Catalog, item: Story | Profile) -> tuple[views.Recognition, ...]:
    return tuple(
        views.Recognition(r.title, r.year, catalog.vocab_name("recognition_levels", r.level)) for r in item.recognition
    )


def absolute(settings: SiteSettings, url: str) -> str:
    base = settings.site_url.rstrip("/")
    return f"{base}/{url}" if base else f"/{url}"


def story_view(
    story: Story,
    catalog: Catalog,
    settings: SiteSettings,
    photos: PhotoLookup,
    render_body: RenderBody,
) -> views.Story:
    """Everything a story page shows."""
    terms = catalog.story_terms(story)
    page_url = absolute(settings, story.url)
    source = None
    if story.source:
        date = story.source.date
        source = views.Source(story.source.outlet, story.source.url, vi.format_date(date) if date else "",
                              date.isoformat() if date else "")
    return views.Story(
        title=story.title,
        summary=story.summary,
        kind=views.Link(terms.kind.name, terms.kind.url),
        date=vi.format_datetime(story.published_at),
        iso=vi.iso_date(story.published_at),
        updated_iso=vi.iso_date(story.updated) if story.updated else "",
        reading=vi.format_reading_time(vi.reading_time(story.body)),
        place=place_view(catalog, story),
        cover=photos.view(story.cover),
        body_html=Markup(render_body(story, root_path(story.url))),
        people=tuple(views.Person(p.name, p.role, p.person.birth_year, p.url) for p in terms.people),
        organisation=term_link(terms.organisation),
        fields=_links(terms.fields),
        campaign=term_link(terms.campaign),
        recognition=recognition_views(catalog, story),
        tags=_links(terms.tags),
        byline=byline(story),
        source=source,
        share=share_links(page_url, story.title),
        feedback_url=feedback_url(settings, story.title, page_url),
        takedown_url=takedown_url(settings, story.title, page_url),
    )


SHARE_WIDTH = 1200  # px: the width Facebook and Zalo show a shared link's photo at
# px: below this, Facebook shows a shared photo as a small thumbnail, not a large preview
MIN_SHARE_WIDTH = 600


def shareable(image: ProcessedImage) -> bool:
    """Whether a processed cover is wide enough to be a link's large preview (`og:image`)."""
    return image.largest("jpeg").width >= MIN_SHARE_WIDTH


def social_image(
    story: Story, settings: SiteSettings, photos: PhotoLookup, card_url: str | None
) -> views.SocialImage | None:
    """The story's `og:image`: its generated card when it has one, else its cover photo, else None."""
    if card_url:
        return views.SocialImage(absolute(settings, card_url), CARD_WIDTH, CARD_HEIGHT, MIME_TYPES["jpeg"], story.title)
    cover = photos.view(story.cover)
    if cover is None:
        return None
    variant = cover.image.fallback("jpeg", SHARE_WIDTH)  # the narrowest JPEG at least SHARE_WIDTH wide
    return views.SocialImage(absolute(settings, variant.url), variant.width, variant.height, MIME_TYPES["jpeg"],
                             cover.alt)


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
    photos: PhotoLookup,
    render_body: RenderBody,
) -> views.Profile:
    terms = catalog.profile_terms(profile)
    organisation = term_link(terms.organisation)
    if organisation is None and profile.organisation:
        organisation = views.Link(catalog.vocab_name("organisations", profile.organisation), "")
    return views.Profile(
        name=profile.name,
        kind=views.Link(profile.kind.label, urls.profile_kind(profile.kind)),
        role=profile.role,
        summary=profile.summary,
        birth_year=profile.birth_year,
        organisation=organisation,
        place=place_view(catalog, profile),
        fields=_links(terms.fields),
        recognition=recognition_views(catalog, profile),
        photo=photos.view(profile.photo),
        body_html=Markup(render_body(profile, root_path(profile.url))),
    )


def profile_card(profile: Profile, catalog: Catalog, photos: PhotoLookup) -> views.ProfileCard:
    return views.ProfileCard(
        url=profile.url,
        name=profile.name,
        role=profile.role,
        place=place_label(profile),
        story_count=len(catalog.stories_for_profile(profile.slug)),
        image=photos.view(profile.photo),
    )


def pagination_view(page: PageSlice) -> views.Pagination:
    """Page links around the current one: 1 … 4 5 [6] 7 8 … 20."""
    numbers = sorted({1, page.total, *range(max(1, page.number - 2), min(page.total, page.number + 2) + 1)})
    links: list[views.PageNumber] = []
    previous = 0
    for n in numbers:
        if n - previous > 1:
            links.append(views.PageNumber(gap=True))
        links.append(views.PageNumber(number=n, url=urls.page(page.first_url, n), current=n == page.number))
        previous = n
    return views.Pagination(page.number, page.total, page.prev_url, page.next_url, tuple(links))

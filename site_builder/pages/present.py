"""Turn catalog objects into the typed views of `site_builder.pages.views`.

No HTML is built here except through `Markup` values that were already escaped or
rendered from Markdown (bodies, JSON-LD).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any, Callable, Protocol
from urllib.parse import quote, urlencode

import orjson
from markupsafe import Markup

from site_builder import vietnamese as vi
from site_builder.catalog import Catalog, PageSlice, TermEntry
from site_builder.catalog.places import place_keys
from site_builder.content.models import Photo, Profile, Story
from site_builder.images import ProcessedImage
from site_builder.images.settings import MIME_TYPES
from site_builder.images.card_draw import CARD_HEIGHT, CARD_WIDTH
from site_builder.i18n import in_language
from site_builder.pages import schema_org, views
from site_builder.pages.charts import bar_chart
from site_builder.routes import urls
from site_builder.settings import SiteSettings
from site_builder.stats import Stats, Table
from site_builder.stats.tables import COUNT


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
    """ "14/03/2026" (an f-string: strftime costs several times more, once per story and per card)."""
    day = story.published_at
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


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
    """JSON-LD safe to embed in <script>: `<`, `>` and `&` are escaped as \\u sequences. orjson writes
    what `json.dumps(ensure_ascii=False, separators=(",", ":"))` would, in a fifth of the time."""
    text = orjson.dumps(data).decode("utf-8")
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def place_view(catalog: Catalog, item: Story | Profile) -> views.Place | None:
    """The place as written, with links to today's commune(s) and province pages, and today's
    units when they differ from what is written (the 2025 reform)."""
    if item.place is None:
        return None
    province, communes = catalog.place_terms(item)
    main = communes[0] if communes else province
    found = place_keys(item).resolution
    return views.Place(item.place.label, main.url if main else "", _links((*communes, *(t for t in (province,) if t))),
                       now=found.now if found.changed else "")


def recognition_views(catalog: Catalog, item: Story | Profile) -> tuple[views.Recognition, ...]:
    return tuple(
        views.Recognition(r.title, r.year, catalog.vocab_name("recognition_levels", r.level)) for r in item.recognition
    )


def absolute(settings: SiteSettings, url: str) -> str:
    return urls.absolute(settings.site_url, url)


#: Size of the embed card's <iframe> (px); the card's style sheet (nhung.css) is laid out for it.
EMBED_WIDTH = 600
EMBED_HEIGHT = 200


def embed_code(story: Story, settings: SiteSettings) -> str:
    """The <iframe> that shows a story's embed card on another site (also the oEmbed `html`).

    Sandboxed without scripts (the card has none); a click on a link may open the story in the
    top window or a new tab.
    """
    return (
        f'<iframe src="{escape(absolute(settings, urls.embed(story.slug)))}" width="{EMBED_WIDTH}" '
        f'height="{EMBED_HEIGHT}" title="{escape(story.title)}" loading="lazy" '
        'sandbox="allow-top-navigation-by-user-activation allow-popups allow-popups-to-escape-sandbox" '
        'style="border:0;max-width:100%"></iframe>'
    )


def citation(story: Story, settings: SiteSettings) -> str:
    """How to credit a reprint ("Trích dẫn"): authors, “title”, where and when it appeared, address.

    "Thành An, “Tiêu đề”, Gương Sáng, 14/03/2026, https://…/bai-viet/x/"; a republished story
    names its original first: "…, “Tiêu đề”, Báo Vĩnh Phúc, 10/05/2019; đăng lại trên Gương Sáng, …".
    """
    parts = [", ".join(story.authors)] if story.authors else []
    parts.append(f"“{story.title}”")
    here = f"{settings.site_name}, {short_date(story)}, {absolute(settings, story.url)}"
    if story.source is None:
        return ", ".join([*parts, here])
    original = story.source.outlet + (f", {story.source.date:%d/%m/%Y}" if story.source.date else "")
    return ", ".join([*parts, original]) + f"; đăng lại trên {here}"


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
        keywords=tuple(dict.fromkeys(story.tags)),
        citation=citation(story, settings),
        embed_code=embed_code(story, settings),
        embed_url=urls.embed(story.slug),
        oembed_url=absolute(settings, urls.oembed(story.slug)) if settings.site_url else "",
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


def story_json_ld(story: Story, catalog: Catalog, settings: SiteSettings, og_image: views.SocialImage | None,
                  cover: views.Photo | None, iso: str = "") -> Markup:
    """The story's `NewsArticle`: its images are the shared one (`og_image`) first, then every
    JPEG size of its cover; `iso` is its publication date in ISO 8601 when already known."""
    images = [schema_org.image_object(og_image.url, og_image.width, og_image.height)] if og_image else []
    if cover is not None:
        images += [i for i in schema_org.photo_sizes(settings, cover.image) if not og_image or i["url"] != og_image.url]
    return json_ld(schema_org.news_article(story, catalog, settings, images, iso))


def breadcrumbs_json_ld(settings: SiteSettings, crumbs: Sequence[views.Crumb]) -> Markup:
    """The `BreadcrumbList` of the breadcrumbs a page shows."""
    return json_ld(schema_org.breadcrumb_list(settings, ((c.title, "" if c.url == "./" else c.url) for c in crumbs)))


def home_json_ld(settings: SiteSettings) -> Markup:
    return json_ld(schema_org.website(settings))


def profile_json_ld(profile: Profile, catalog: Catalog, settings: SiteSettings, photo: views.Photo | None,
                    organisation: views.Link | None) -> Markup:
    """The profile's `Person` or `Organization`, `subjectOf` the stories about it."""
    return json_ld(schema_org.profile_entity(profile, catalog.stories_for_profile(profile.slug), settings,
                                             photo.image if photo else None, organisation.name if organisation else ""))


def embed_card(story: Story, catalog: Catalog, settings: SiteSettings, cover: ProcessedImage | None) -> views.EmbedCard:
    """What a story's embed card (`nhung/<slug>/`) shows, with URLs relative to it."""
    base = root_path(urls.embed(story.slug))
    image = None
    if cover is not None and story.cover is not None:
        largest = cover.largest("jpeg")
        image = views.EmbedImage(
            src=base + cover.fallback("jpeg", 480).url,
            srcset=cover.srcset("jpeg", base),
            webp_srcset=cover.srcset("webp", base) if "webp" in cover.formats else "",
            width=largest.width,
            height=largest.height,
            alt=story.cover.alt,
        )
    return views.EmbedCard(
        title=story.title,
        summary=story.summary,
        kind=catalog.story_terms(story).kind.name,
        date=short_date(story),
        iso=vi.iso_date(story.published_at),
        url=base + story.url,
        credit=byline(story),
        site_name=settings.site_name,
        home=base,
        css=base + urls.EMBED_CSS,
        image=image,
    )


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


#: What the statistics page says under a table whose stories may count in several rows.
STATS_NOTES = {
    "linh-vuc": "Một bài viết có thể thuộc nhiều lĩnh vực.",
    "xa-phuong": "Theo đơn vị hành chính từ ngày 1/7/2025; một xã cũ được chia cho nhiều xã mới được tính ở mỗi xã.",
    "tinh": "Theo đơn vị hành chính từ ngày 1/7/2025.",
    "khen-thuong": "Một bài viết nêu khen thưởng ở nhiều cấp được tính ở mỗi cấp.",
}


def stats_table(table: Table) -> views.StatsTable:
    """A statistics table with its chart (Vietnamese: it is a page of the site)."""
    title = in_language(table.title, "vi")
    rows = tuple(views.StatsRow(r.label, vi.format_count(r.count), r.url, r.group) for r in table.rows)
    labels = [(f"{r.label}, {r.group}" if r.group else r.label, r.count) for r in table.rows]
    return views.StatsTable(
        id=table.key,
        title=title,
        label=in_language(table.label, "vi"),
        group_label=in_language(table.group_label, "vi") if table.group_label else "",
        count_label=in_language(COUNT, "vi"),
        rows=rows,
        chart=bar_chart(f"bieu-do-{table.key}", title, labels) if rows else None,
        csv_url=urls.stats_csv(table.key),
        note=STATS_NOTES.get(table.key, ""),
    )


def stats_intro(stats: Stats, profiles: int) -> str:
    return (f"Số liệu của {vi.format_count(stats.stories)} bài viết và {vi.format_count(profiles)} hồ sơ điển hình "
            "đã đăng, tính khi website được dựng. Mỗi bảng có biểu đồ, bảng số liệu và tệp CSV để tải về.")

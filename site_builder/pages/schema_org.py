"""schema.org objects of the pages' JSON-LD, as plain dicts (`present.json_ld` serialises them).

What Google documents for each type (https://developers.google.com/search/docs/appearance/structured-data):

- `NewsArticle` (Article): no property is required; recommended are `headline`, `image` (several,
  each at least 50,000 pixels), `datePublished`, `dateModified`, `author` (with `name`, and `url`
  when the author has a page). schema.org's own properties add what newsrooms and aggregators read:
  `articleSection`, `keywords`, `publisher` (an `Organization` with a raster `logo`), `about`,
  `contentLocation`, `isBasedOn` (the original of a republished story) and `copyrightHolder`.
- `BreadcrumbList`: `itemListElement`, each a `ListItem` with `position`, `name` and `item` (the URL).
- `Person` / `Organization` of a profile page: `name`, `url`, `description`, `image`, and
  `subjectOf`, the stories about them.

Every URL here is absolute (`urls.absolute`); text is as the editor wrote it (JSON escaping is
`present.json_ld`'s job).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from site_builder import vietnamese as vi
from site_builder.catalog import Catalog
from site_builder.content.models import Kind, Place, Profile, Source, Story
from site_builder.images import ProcessedImage
from site_builder.images.logo import LOGO_SIZE
from site_builder.routes import urls
from site_builder.settings import SiteSettings

CONTEXT = "https://schema.org"
#: Profiles of these kinds are organisations (a collective, a model run by people), the others persons.
ORGANISATION_KINDS = frozenset({Kind.COLLECTIVE, Kind.MODEL})

Data = dict[str, Any]


def _url(settings: SiteSettings, url: str) -> str:
    return urls.absolute(settings.site_url, url)


def publisher(settings: SiteSettings) -> Data:
    """The publishing organisation, with its PNG logo (`images.logo`)."""
    return {
        "@type": "Organization",
        "name": settings.organisation.name,
        "url": _url(settings, urls.HOME),
        "logo": image_object(_url(settings, urls.PUBLISHER_LOGO), LOGO_SIZE, LOGO_SIZE),
    }


def image_object(url: str, width: int, height: int) -> Data:
    return {"@type": "ImageObject", "url": url, "width": width, "height": height}


def photo_sizes(settings: SiteSettings, image: ProcessedImage) -> list[Data]:
    """Every JPEG size of a processed photo, the largest first."""
    return [image_object(_url(settings, v.url), v.width, v.height) for v in reversed(image.by_format("jpeg"))]


def place(where: Place) -> Data:
    """A `Place` named as written, with its parts as a `PostalAddress`."""
    address: Data = {"@type": "PostalAddress", "addressRegion": where.province, "addressCountry": "VN"}
    locality = ", ".join(p for p in (where.commune, where.district) if p)
    if locality:
        address["addressLocality"] = locality
    return {"@type": "Place", "name": where.label, "address": address}


def breadcrumb_list(settings: SiteSettings, crumbs: Iterable[tuple[str, str]]) -> Data:
    """`BreadcrumbList` of (title, site-relative URL) pairs, the home page first."""
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": title, "item": _url(settings, url)}
            for n, (title, url) in enumerate(crumbs, start=1)
        ],
    }


def website(settings: SiteSettings) -> Data:
    """The home page's `WebSite`, published by the organisation."""
    data: Data = {
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": settings.site_name,
        "url": _url(settings, urls.HOME),
        "inLanguage": "vi",
        "publisher": publisher(settings),
    }
    if settings.site_description:
        data["description"] = settings.site_description
    return data


def _featured(settings: SiteSettings, name: str, role: str, profile: Profile | None) -> Data:
    """Someone a story is about: an `Organization` for collectives and models, else a `Person`."""
    is_organisation = profile is not None and profile.kind in ORGANISATION_KINDS
    data: Data = {"@type": "Organization" if is_organisation else "Person", "name": name}
    if profile is not None:
        data["url"] = _url(settings, profile.url)
    if role:
        data["description" if is_organisation else "jobTitle"] = role
    return data


def _source(source: Source) -> Data:
    """The original of a republished story."""
    data: Data = {"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": source.outlet}}
    if source.url:
        data["url"] = source.url
    if source.date:
        data["datePublished"] = source.date.isoformat()
    return data


def news_article(story: Story, catalog: Catalog, settings: SiteSettings, images: Sequence[Data],
                 published: str = "") -> Data:
    """A story's `NewsArticle`; `images` are its ImageObjects (social image first), maybe none;
    `published` its `vi.iso_date(published_at)` when the caller has it."""
    terms = catalog.story_terms(story)
    page = _url(settings, story.url)
    published = published or vi.iso_date(story.published_at)
    by = publisher(settings)
    data: Data = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": story.title,
        "description": story.summary,
        "url": page,
        "mainEntityOfPage": {"@type": "WebPage", "@id": page},
        "datePublished": published,
        "dateModified": vi.iso_date(story.updated) if story.updated else published,
        "inLanguage": "vi",
        "author": [{"@type": "Person", "name": a} for a in story.authors] or by,
        "publisher": by,
        "copyrightHolder": {"@type": "Organization", "name": story.source.outlet} if story.source else by,
        "copyrightYear": story.published_at.year,
        "articleSection": [terms.kind.name, *(f.name for f in terms.fields)],
        "isAccessibleForFree": True,
    }
    keywords = list(dict.fromkeys(story.tags))
    if keywords:
        data["keywords"] = keywords
    about = [_featured(settings, p.name, p.role, p.profile) for p in terms.people]
    if about:
        data["about"] = about
    if story.place is not None:
        data["contentLocation"] = place(story.place)
    if story.source is not None:
        data["isBasedOn"] = _source(story.source)
    if images:
        data["image"] = list(images)
    return data


def profile_entity(profile: Profile, stories: Iterable[Story], settings: SiteSettings,
                   image: ProcessedImage | None, organisation: str) -> Data:
    """A profile page's `Person`, or `Organization` for collectives and models, with `subjectOf`
    the published stories about it; `organisation` is its organisation's name ("" for none)."""
    is_organisation = profile.kind in ORGANISATION_KINDS
    page = _url(settings, profile.url)
    data: Data = {
        "@context": CONTEXT,
        "@type": "Organization" if is_organisation else "Person",
        "name": profile.name,
        "url": page,
        "mainEntityOfPage": {"@type": "ProfilePage", "@id": page},
        "description": profile.summary,
    }
    if not is_organisation and profile.role:
        data["jobTitle"] = profile.role
    if not is_organisation and profile.birth_year:
        data["birthDate"] = str(profile.birth_year)  # a year is an ISO 8601 date
    if organisation:
        data["parentOrganization" if is_organisation else "affiliation"] = {"@type": "Organization",
                                                                            "name": organisation}
    if profile.place is not None:
        data["location" if is_organisation else "homeLocation"] = place(profile.place)
    if image is not None:
        data["image"] = photo_sizes(settings, image)
    data["subjectOf"] = [
        {"@type": "NewsArticle", "headline": s.title, "url": _url(settings, s.url),
         "datePublished": vi.iso_date(s.published_at)}
        for s in stories
    ]
    return data

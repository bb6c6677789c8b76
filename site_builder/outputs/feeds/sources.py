"""Which feeds the site has, what each is called and which stories it carries.

A feed belongs to a page and carries that page's stories, newest first: the home page's
are the whole site's, a term's (kind, field, organisation, campaign, place, tag; not the
archive's months) its stories, a profile's the stories naming that profile. The page
generator reads the same `FeedSource` for the page's autodiscovery links and its
"Theo dõi" menu, so a page links exactly the feeds the build writes. Feeds need absolute
addresses: a site without `site_url` has none.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from site_builder.catalog import Catalog, TermEntry
from site_builder.content.models import Profile, Story
from site_builder.routes import urls
from site_builder.settings import SiteSettings

#: Taxonomies whose terms have feeds (`catalog.taxonomy`).
FEED_TAXONOMIES = ("kind", "field", "organisation", "campaign", "place", "tag")

#: How a term feed's description names its stories, by taxonomy ({name}: the term's name).
_ABOUT = {
    "kind": "loại “{name}”",
    "field": "thuộc lĩnh vực “{name}”",
    "organisation": "về cơ quan, đơn vị “{name}”",
    "campaign": "thuộc phong trào “{name}”",
    "place": "về địa phương “{name}”",
    "tag": "gắn thẻ “{name}”",
}

#: What the taxonomy is called in a term feed's title ("Gương Sáng – Lĩnh vực: Xây dựng Đảng").
_LABELS = {
    "kind": "Loại",
    "field": "Lĩnh vực",
    "organisation": "Đơn vị",
    "campaign": "Phong trào",
    "place": "Địa phương",
    "tag": "Thẻ",
}


@dataclass(frozen=True)
class FeedFormat:
    name: str  # key of `routes.urls.FEED_FILES`
    label: str  # what readers see in the "Theo dõi" menu
    media_type: str


FORMATS: tuple[FeedFormat, ...] = (
    FeedFormat("rss", "RSS", "application/rss+xml"),
    FeedFormat("atom", "Atom", "application/atom+xml"),
    FeedFormat("json", "JSON Feed", "application/feed+json"),
)


@dataclass(frozen=True)
class FeedSource:
    """The feeds of one page: their title and description (Vietnamese) and all the page's stories."""

    page_url: str  # site-relative URL of the page the feeds belong to ("" for the home page)
    title: str
    description: str
    stories: Sequence[Story]  # newest first; a feed carries the first `feeds.items`

    def path(self, fmt: str) -> str:
        return urls.feed(self.page_url, fmt)


def has_feeds(settings: SiteSettings) -> bool:
    """Feeds need the site's absolute address (every link in them is absolute)."""
    return bool(settings.site_url)


def site_feed(catalog: Catalog, settings: SiteSettings) -> FeedSource:
    description = settings.site_description or f"Những bài viết mới nhất trên {settings.site_name}."
    return FeedSource(urls.HOME, settings.site_name, description, catalog.stories)


def term_name(term: TermEntry) -> str:
    """A term as its feeds name it: a commune with its province ("xã Tân Phong, Vĩnh Phúc")."""
    if term.parent is not None and term.taxonomy == "place":
        return f"{term.name}, {term.parent.name}"
    return term.name


def term_feed(term: TermEntry, settings: SiteSettings) -> FeedSource | None:
    """The feeds of a term's list pages; None for a taxonomy without feeds (the archive)."""
    if term.taxonomy not in FEED_TAXONOMIES:
        return None
    name = term_name(term)
    about = _ABOUT[term.taxonomy].format(name=name)
    return FeedSource(term.url, f"{settings.site_name} – {_LABELS[term.taxonomy]}: {name}",
                      f"Những bài viết mới nhất {about} trên {settings.site_name}.", term.stories)


def profile_feed(profile: Profile, catalog: Catalog, settings: SiteSettings) -> FeedSource:
    return FeedSource(profile.url, f"{settings.site_name} – {profile.kind.label}: {profile.name}",
                      f"Những bài viết mới nhất về {profile.name} trên {settings.site_name}.",
                      catalog.stories_for_profile(profile.slug))


def feed_sources(catalog: Catalog, settings: SiteSettings) -> Iterator[FeedSource]:
    """Every feed source of the site (none without a site_url)."""
    if not has_feeds(settings):
        return
    yield site_feed(catalog, settings)
    for name in FEED_TAXONOMIES:
        for term in catalog.taxonomies[name].all_terms():
            source = term_feed(term, settings)
            assert source is not None
            yield source
    for profile in catalog.profiles:
        yield profile_feed(profile, catalog, settings)

"""What templates may read: the typed views of every generated page (the template contract).

A template gets `gs`, one of the page types at the bottom of this module (`HomePage`,
`StoryPage`, `ListPage`, `IndexPage`, `ProfilesPage`, `ProfilePage`, `SearchPage`), all
sharing the fields of `Page`. Everything in them is plain, already computed data: text
(escaped by the templates' autoescaping), site-relative URLs (made page-relative by the
`rel` filter), and `Markup` only for HTML that was built safely (Markdown bodies, JSON-LD).
`site_builder.pages.present` builds them from the catalog; nothing here does work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Callable, ClassVar

from markupsafe import Markup

from site_builder.images import ProcessedImage
from site_builder.settings import Link as FooterLink, Organisation


# --- small parts ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    """A named link: a term page, a place, a profile kind."""

    name: str
    url: str


@dataclass(frozen=True, slots=True)
class Crumb:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Section:
    """A site section in the tabs and the drawer."""

    title: str
    url: str
    active: bool


@dataclass(frozen=True, slots=True)
class Photo:
    """A processed photo with its text (`picture()` and `figure()` in templates draw it)."""

    image: ProcessedImage
    alt: str
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True, slots=True)
class StoryCard:
    """A story in a card grid or a compact list."""

    url: str
    title: str
    summary: str
    kind: str
    date: str  # "Thứ Bảy, 14/03/2026"
    date_short: str  # "14/03/2026"
    iso: str
    place: str
    image: Photo | None


@dataclass(frozen=True, slots=True)
class Place:
    """A place as written, linking to its commune's (else province's) page; `parts` link both."""

    name: str
    url: str
    parts: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    role: str
    birth_year: int | None
    url: str | None  # the person's profile, when published


@dataclass(frozen=True, slots=True)
class Recognition:
    title: str
    year: int
    level: str


@dataclass(frozen=True, slots=True)
class Source:
    """"Theo <outlet> (<date>)" of a republished story."""

    outlet: str
    url: str
    date: str
    iso: str


@dataclass(frozen=True, slots=True)
class Share:
    """Plain share links (no third-party script)."""

    url: str
    facebook: str
    zalo: str


@dataclass(frozen=True, slots=True)
class SocialImage:
    """A page's `og:image`."""

    url: str
    width: int
    height: int
    type: str
    alt: str


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed of the page's stories: its autodiscovery link in <head> and an entry of the "Theo dõi" menu."""

    title: str  # "Gương Sáng – Lĩnh vực: Xây dựng Đảng (RSS)"
    url: str
    type: str  # MIME type: application/rss+xml, application/atom+xml, application/feed+json
    label: str  # "RSS", "Atom", "JSON Feed"


@dataclass(frozen=True, slots=True)
class PageNumber:
    """One entry of the page links: a number, or a gap (…)."""

    number: int = 0
    url: str = ""
    current: bool = False
    gap: bool = False


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    total: int
    prev_url: str | None
    next_url: str | None
    links: tuple[PageNumber, ...]


@dataclass(frozen=True, slots=True)
class Total:
    """A headline figure of the home page."""

    value: str
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class TermCount:
    name: str
    url: str
    count: int


@dataclass(frozen=True, slots=True)
class TermGroup:
    """A group of an index page: a province with its communes, a year with its months, or all terms."""

    title: str
    url: str
    count: int | None
    terms: tuple[TermCount, ...]


@dataclass(frozen=True, slots=True)
class FieldSection:
    """A field's block on the home page."""

    key: str
    name: str
    url: str
    count: int
    cards: tuple[StoryCard, ...]


@dataclass(frozen=True, slots=True)
class ProfileCard:
    url: str
    name: str
    role: str
    place: str
    story_count: int
    image: Photo | None


@dataclass(frozen=True, slots=True)
class Site:
    """Site-wide values of the footer."""

    organisation: Organisation
    footer_links: tuple[FooterLink, ...]
    year: int


# --- a story, a profile ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Story:
    """Everything a story page shows."""

    title: str
    summary: str
    kind: Link
    date: str
    iso: str
    updated_iso: str
    reading: str
    place: Place | None
    cover: Photo | None
    body_html: Markup
    people: tuple[Person, ...]
    organisation: Link | None
    fields: tuple[Link, ...]
    campaign: Link | None
    recognition: tuple[Recognition, ...]
    tags: tuple[Link, ...]
    byline: str
    source: Source | None
    share: Share
    feedback_url: str


@dataclass(frozen=True, slots=True)
class Profile:
    """Everything a profile page shows."""

    name: str
    kind: Link
    role: str
    summary: str
    birth_year: int | None
    organisation: Link | None  # url "" when the organisation has no page
    place: Place | None
    fields: tuple[Link, ...]
    recognition: tuple[Recognition, ...]
    photo: Photo | None
    body_html: Markup


# --- pages ---------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Page:
    """What every generated page has; the shared <head> also reads the optional fields."""

    template: ClassVar[str]
    title: str
    description: str
    sections: Sequence[Section]
    site: Site
    breadcrumbs: Sequence[Crumb] = ()
    story: Story | None = None
    og_image: SocialImage | None = None
    jsonld: Markup | None = None
    pagination: Pagination | None = None
    feeds: Sequence[Feed] = ()  # the feeds of the page's stories (home, a term's list pages, a profile)


@dataclass(kw_only=True)
class HomePage(Page):
    template: ClassVar[str] = "gs/home.html"
    featured: Sequence[StoryCard]
    latest: Sequence[StoryCard]
    field_sections: Sequence[FieldSection]
    totals: Sequence[Total]


@dataclass(kw_only=True)
class StoryPage(Page):
    template: ClassVar[str] = "gs/story.html"
    latest: Sequence[StoryCard]  # "Mới nhất"
    related: Sequence[StoryCard]  # "Các tin khác"


@dataclass(kw_only=True)
class ListPage(Page):
    """Stories of one list (all, a term), one page of them."""

    template: ClassVar[str] = "gs/list.html"
    heading: str
    kicker: str
    intro: str
    count_label: str
    cards: Sequence[StoryCard]
    subterms: Sequence[TermCount] | None = None  # communes of a province, months of a year (page 1)
    subterms_label: str = ""


@dataclass(kw_only=True)
class IndexPage(Page):
    """An index of terms with counts, or of profiles by kind."""

    template: ClassVar[str] = "gs/index.html"
    heading: str
    groups: Sequence[TermGroup]
    intro: str = ""


@dataclass(kw_only=True)
class ProfilesPage(Page):
    template: ClassVar[str] = "gs/profiles.html"
    heading: str
    count_label: str
    profiles: Sequence[ProfileCard]


@dataclass(kw_only=True)
class ProfilePage(Page):
    template: ClassVar[str] = "gs/profile.html"
    profile: Profile
    cards: Sequence[StoryCard]


@dataclass(kw_only=True)
class SearchPage(Page):
    template: ClassVar[str] = "gs/search.html"
    heading: str
    preloads: Sequence[str] = ()  # search index files to fetch with the page (site_builder.search.compat)


PAGE_TYPES: tuple[type[Page], ...] = (HomePage, StoryPage, ListPage, IndexPage, ProfilesPage, ProfilePage, SearchPage)
PAGE_TEMPLATES: frozenset[str] = frozenset(t.template for t in PAGE_TYPES)


@dataclass(frozen=True, slots=True)
class Shell:
    """What the page frame (gs/shell.html) reads: rendered once per URL depth and active section."""

    sections: Sequence[Section]
    site: Site
    marker: Callable[[str], Any]

"""What templates may read: the typed views of every generated page (the template contract).

A template gets `gs`, one of the page types at the bottom of this module (`HomePage`,
`StoryPage`, `ListPage`, `IndexPage`, `ProfilesPage`, `ProfilePage`, `SearchPage`, `TextPage`, `PressPage`, `StatsPage`), all
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
    """A place as written, linking to its commune's (else province's) page; `parts` link today's
    communes and province; `now` names today's units when they differ from what is written
    ("xã Bình Tuyền, tỉnh Phú Thọ", shown as "(nay là ...)")."""

    name: str
    url: str
    parts: tuple[Link, ...]
    now: str = ""


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
    note: str = ""  # a province: the former provinces it replaced


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
    privacy_url: str  # the personal data policy page (site-relative)
    press_url: str = ""  # "Dành cho báo chí" (the press page), "" for none
    pages: tuple[Link, ...] = ()  # the site's own pages the footer links to ("Thống kê")


@dataclass(frozen=True, slots=True)
class ChartBar:
    """One bar of a chart, in the chart's units: its label above, the bar, its value after it."""

    label: str  # as drawn: shortened when long (the table has it whole)
    value: str  # "1.234"
    y: int  # top of the row
    width: float  # length of the bar


@dataclass(frozen=True, slots=True)
class Chart:
    """A horizontal bar chart drawn as SVG at build time (`pages.charts`): `title` and `desc` are
    its accessible name and description, the same figures as the table next to it."""

    id: str
    title: str
    desc: str
    width: int
    height: int
    bars: tuple[ChartBar, ...]
    bar_x: int
    bar_height: int
    label_dy: int
    bar_dy: int


@dataclass(frozen=True, slots=True)
class StatsRow:
    label: str
    count: str  # "1.234"
    url: str  # the term page, "" when none
    group: str = ""  # the commune table: the province


@dataclass(frozen=True, slots=True)
class StatsTable:
    """A table of the statistics page with its chart and CSV file."""

    id: str
    title: str
    label: str  # heading of the label column
    group_label: str  # heading of the group column ("" when none)
    count_label: str  # heading of the count column
    rows: tuple[StatsRow, ...]
    chart: Chart | None  # None when the table is empty
    csv_url: str
    note: str = ""  # e.g. "a story may name several fields"


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
    takedown_url: str  # "Yêu cầu gỡ bỏ": a form or an e-mail, prefilled with the story's address
    keywords: tuple[str, ...]  # the tags as written (Open Graph's article:tag)
    citation: str  # "Trích dẫn": how to credit a reprint (`present.citation`)
    embed_code: str  # the <iframe> snippet of its embed card, as text to copy
    embed_url: str  # its embed card (site-relative)
    oembed_url: str  # its oEmbed JSON (absolute; "" without a site_url)


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


# --- the press page ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Feeds:
    """The feeds of one list (the whole site, a term, a profile): absolute URLs, one per format."""

    name: str
    page_url: str  # the list's page, absolute
    formats: tuple[Link, ...]  # ("RSS 2.0", url), ("Atom 1.0", url), ("JSON Feed 1.1", url)


@dataclass(frozen=True, slots=True)
class Code:
    """A code example shown as text to copy (`language`: "bash", "js", "html")."""

    title: str
    language: str
    code: str


@dataclass(frozen=True, slots=True)
class ApiFile:
    url: str  # absolute; a pattern such as ".../api/stories/<slug>.json" is not a link
    description: str
    link: bool = True


@dataclass(frozen=True, slots=True)
class Press:
    """What "Dành cho báo chí" shows; each part is empty when the build does not make its files."""

    site_name: str
    site_url: str
    feeds: tuple[Feeds, ...]
    sitemap_url: str
    news_sitemap_url: str
    api_files: tuple[ApiFile, ...]
    api_per_page: int
    api_version: int
    api_examples: tuple[Code, ...]
    story_title: str  # the example story (the newest), "" when the site has none
    story_url: str
    embed_url: str
    embed_code: Code | None
    credit: str  # an example credit line for a reprint


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
    jsonld: Sequence[Markup] = ()  # JSON-LD blocks (`present.json_ld`), one <script> each
    pagination: Pagination | None = None
    feeds: Sequence[Feed] = ()  # the feeds of the page's stories (home, a term's list pages, a profile)
    robots: str = ""  # e.g. "noindex": the page is not for search engines


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


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A section of a text page: a heading, paragraphs (plain text) and links."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()


@dataclass(kw_only=True)
class TextPage(Page):
    """A page of plain text: the personal data policy, the notice of a withdrawn story or profile."""

    template: ClassVar[str] = "gs/text.html"
    heading: str
    lead: str = ""
    blocks: Sequence[TextBlock] = ()


@dataclass(kw_only=True)
class PressPage(Page):
    template: ClassVar[str] = "gs/press.html"
    heading: str
    press: Press


@dataclass(kw_only=True)
class StatsPage(Page):
    """/thong-ke/: every statistics table, as a chart and a table, with its CSV file."""

    template: ClassVar[str] = "gs/stats.html"
    heading: str
    intro: str
    tables: Sequence[StatsTable]


PAGE_TYPES: tuple[type[Page], ...] = (HomePage, StoryPage, ListPage, IndexPage, ProfilesPage, ProfilePage, SearchPage,
                                      TextPage, PressPage, StatsPage)
PAGE_TEMPLATES: frozenset[str] = frozenset(t.template for t in PAGE_TYPES)


# --- an embed card (not a page of the site: no shell, no <head> of the site) ----------------


@dataclass(frozen=True, slots=True)
class EmbedImage:
    """The cover of an embed card: JPEG (and WebP) sizes, URLs relative to the card."""

    src: str
    srcset: str
    webp_srcset: str  # "" when the photos have no WebP variants
    width: int
    height: int
    alt: str


@dataclass(frozen=True, slots=True)
class EmbedCard:
    """What `nhung/<slug>/` shows (`site_builder.outputs.embeds.card_html`); URLs relative to it."""

    title: str
    summary: str
    kind: str
    date: str  # "14/03/2026"
    iso: str
    url: str  # the story
    credit: str  # the byline, "" for none
    site_name: str
    home: str
    css: str
    image: EmbedImage | None


@dataclass(frozen=True, slots=True)
class Shell:
    """What the page frame (gs/shell.html) reads: rendered once per URL depth and active section."""

    sections: Sequence[Section]
    site: Site
    marker: Callable[[str], Any]

"""Every generated page as a PageTask: its URL and producer now, its typed view when built.

Tasks are cheap (a URL, a producer, a callable), so the whole list is known before any
photo is processed or page rendered: the build claims every page's path in the route
registry first. Building a task's PageSpec (possibly in a forked worker) makes the view.
Work per story is constant: related/latest lists come from the catalog's indexes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Callable, Iterator

from site_builder import vietnamese as vi
from site_builder.catalog import Catalog, PageSlice, Taxonomy, TermEntry, paginate
from site_builder.catalog.dates import latest, newest, profile_modified, story_modified
from site_builder.i18n import N_
from site_builder.content.models import KIND_LABELS, PROFILE_KINDS, Kind, Profile, Story
from site_builder.outputs.feeds.sources import FORMATS, FeedSource, has_feeds, profile_feed, site_feed, term_feed
from site_builder.pages import present, press, views
from site_builder.pages.present import PhotoLookup, RenderBody
from site_builder.routes import urls
from site_builder.routes.registry import Producer
from site_builder.settings import SiteSettings
from site_builder.stats import compute as compute_stats

PROFILE_INDEX_LABELS = {
    Kind.PERSON: "Gương cá nhân tiêu biểu",
    Kind.COLLECTIVE: "Tập thể tiêu biểu",
    Kind.MODEL: "Mô hình hay, cách làm hiệu quả",
}

TAXONOMY_HEADINGS = {
    "kind": "Loại bài viết",
    "field": "Lĩnh vực",
    "organisation": "Cơ quan, đơn vị",
    "campaign": "Phong trào, cuộc vận động",
    "place": "Địa phương",
    "tag": "Từ khóa",
    "archive": "Lưu trữ",
}

#: The site's sections (tabs, drawer), in order: URL, title.
SECTIONS: tuple[tuple[str, str], ...] = (
    (urls.HOME, "Trang chủ"),
    (urls.kind(Kind.PERSON), "Cá nhân"),
    (urls.kind(Kind.COLLECTIVE), "Tập thể"),
    (urls.kind(Kind.MODEL), "Mô hình"),
    (urls.taxonomy("field"), "Lĩnh vực"),
    (urls.taxonomy("place"), "Địa phương"),
    (urls.PROFILES, "Hồ sơ điển hình"),
    (urls.taxonomy("archive"), "Lưu trữ"),
)

PAGE_TEMPLATES = views.PAGE_TEMPLATES


def feed_links(source: FeedSource | None) -> tuple[views.Feed, ...]:
    """The autodiscovery links and "Theo dõi" entries of a page's feeds (none when it has none)."""
    if source is None:
        return ()
    return tuple(views.Feed(f"{source.title} ({fmt.label})", source.path(fmt.name), fmt.media_type, fmt.label)
                 for fmt in FORMATS)


def generated(what: str, /, **fields: str) -> Producer:
    """The producer of a page made from the catalog rather than from one file: `what` is an
    English message marked with `N_()`, translated when shown (`Producer.generated`)."""
    return Producer.generated(what, **fields)


@dataclass(frozen=True)
class PageTask:
    """A page to build: its URL and producer now, its PageSpec when `build()` is called (maybe in a worker)."""

    url: str
    producer: Producer
    build: Callable[[], "PageSpec"]
    modified: dt.datetime | None = None  # when the page last changed (the sitemap's lastmod)
    listed: bool = True  # in the sitemap and the other lists of pages (not a removal notice)

    @property
    def path(self) -> str:
        """The file the page is written to."""
        return urls.output_path(self.url)


@dataclass
class PageSpec:
    """One HTML page to write at `url` (site-relative, '' is the home page)."""

    url: str
    page: views.Page

    @property
    def template(self) -> str:
        return self.page.template

    @property
    def title(self) -> str:
        return self.page.title


class PageGenerator:
    """Builds the pages' tasks and views from the catalog."""

    def __init__(
        self,
        catalog: Catalog,
        settings: SiteSettings,
        photos: PhotoLookup,
        render_body: RenderBody,
        social_cards: dict[str, str] | None = None,
        root: Path | None = None,
        search_preloads: tuple[str, ...] = (),
        built: Callable[[str], bool] | None = None,
    ) -> None:
        self.catalog = catalog
        self.root = root  # the project, to name content files relative to it
        self.search_preloads = search_preloads  # search index files /tim-kiem/ preloads (site_builder.search.compat)
        self.settings = settings
        self.photos = photos
        self.render_body = render_body
        self.social_cards = social_cards if social_cards is not None else {}  # story slug -> site-relative URL of its 1200×630 card, if it has one
        self._cards: dict[str, views.StoryCard] = {}
        self.built = built  # whether the build makes a file (a site path), for the press page's examples
        self.site = views.Site(settings.organisation, tuple(settings.footer_links), catalog.now.year,
                               privacy_url=urls.PRIVACY, press_url=urls.PRESS,
                               pages=(views.Link("Thống kê", urls.STATS),))
        self._sections: dict[str, tuple[views.Section, ...]] = {}

    # --- helpers -----------------------------------------------------------

    def card(self, story: Story) -> views.StoryCard:
        """Card view of a story, computed once per build."""
        cached = self._cards.get(story.slug)
        if cached is None:
            cached = self._cards[story.slug] = present.story_card(story, self.photos)
        return cached

    def cards(self, stories) -> tuple[views.StoryCard, ...]:
        return tuple(self.card(s) for s in stories)

    @cached_property
    def _latest(self) -> tuple[views.StoryCard, ...]:
        """One more than "Mới nhất" shows, so a story page can leave itself out."""
        return self.cards(self.catalog.latest(self.settings.latest_count + 1))

    def _feeds(self, source: FeedSource | None) -> tuple[views.Feed, ...]:
        """The page's feed links: none when the site has no feeds (no site_url)."""
        return feed_links(source) if has_feeds(self.settings) else ()

    @cached_property
    def _site_feeds(self) -> tuple[views.Feed, ...]:
        return self._feeds(site_feed(self.catalog, self.settings))

    def sections(self, active: str) -> tuple[views.Section, ...]:
        found = self._sections.get(active)
        if found is None:
            found = self._sections[active] = tuple(
                views.Section(title, url or "./", url == active) for url, title in SECTIONS
            )
        return found

    def _common(self, title: str, description: str, section: str, crumbs=()) -> dict:
        jsonld = (present.breadcrumbs_json_ld(self.settings, crumbs),) if crumbs else ()
        return {"title": title, "description": description, "sections": self.sections(section), "site": self.site,
                "breadcrumbs": crumbs, "jsonld": jsonld}

    @staticmethod
    def _crumbs(*pairs: tuple[str, str]) -> tuple[views.Crumb, ...]:
        return (views.Crumb("Trang chủ", "./"), *(views.Crumb(t, u) for t, u in pairs))

    # --- pages -------------------------------------------------------------

    def tasks(self) -> Iterator[PageTask]:
        """One cheap task per page; building it makes the PageSpec (so workers can share the list)."""
        root, site_modified = self.root, self._site_modified
        yield PageTask(urls.HOME, generated(N_("the generated home page")), self.home, site_modified)
        for story in self.catalog.stories:
            yield PageTask(story.url, Producer.file(story.path, root, slug=True), partial(self.story_page, story),
                           story_modified(story))
        yield from self.story_index()
        for taxonomy in self.catalog.taxonomies.values():
            modified = {term: newest(term.stories) for term in taxonomy.all_terms()}  # terms hash by identity
            yield PageTask(taxonomy.url, generated(N_("the generated index of {taxonomy}"), taxonomy=taxonomy.name),
                           partial(self.term_index, taxonomy), latest(modified[t] for t in taxonomy.terms))
            for term in taxonomy.all_terms():
                yield from self.term_pages(taxonomy, term, modified[term])
        profiles_modified = {p.slug: profile_modified(p, self.catalog.stories_for_profile(p.slug))
                             for p in self.catalog.profiles}
        yield PageTask(urls.PROFILES, generated(N_("the generated index of profiles")), self.profiles_index,
                       latest(profiles_modified.values()))
        for kind in PROFILE_KINDS:
            yield from self.profile_kind_pages(kind, profiles_modified)
        for profile in self.catalog.profiles:
            yield PageTask(profile.url, Producer.file(profile.path, root, slug=True),
                           partial(self.profile_page, profile), profiles_modified[profile.slug])
        yield PageTask(urls.SEARCH, generated(N_("the generated search page")), self.search_page, site_modified)
        yield PageTask(urls.PRESS, generated(N_("the generated page for the press")), self.press_page, site_modified)
        yield PageTask(urls.PRIVACY, generated(N_("the generated personal data policy")), self.privacy_page,
                       site_modified)
        for item in self.catalog.withdrawn:
            yield PageTask(item.url, Producer.file(item.path, root, slug=True), partial(self.removal_notice, item),
                           listed=False)
        yield PageTask(urls.STATS, generated(N_("the generated statistics page")), self.stats_page, site_modified)

    @cached_property
    def _site_modified(self) -> dt.datetime | None:
        """The latest change of any story: that of the home page and of the site-wide lists."""
        return newest(self.catalog.stories)

    def home(self) -> PageSpec:
        c = self.catalog
        featured = c.featured(self.settings.featured_count) or c.latest(1)
        shown = {s.slug for s in featured}
        sections = tuple(
            views.FieldSection(term.key, term.name, term.url, term.count, self.cards(term.stories[:4]))
            for term in sorted(c.taxonomies["field"].terms, key=lambda t: (-t.count, vi.sort_key(t.name)))
        )
        t = c.totals
        totals = (
            views.Total(vi.format_count(t.stories), "bài viết", urls.STORIES),
            views.Total(vi.format_count(t.people), "cá nhân", urls.profile_kind(Kind.PERSON)),
            views.Total(vi.format_count(t.collectives), "tập thể", urls.profile_kind(Kind.COLLECTIVE)),
            views.Total(vi.format_count(t.models), "mô hình", urls.profile_kind(Kind.MODEL)),
            views.Total(vi.format_count(t.places), "địa phương", urls.taxonomy("place")),
        )
        common = self._common(self.settings.site_name, self.settings.site_description, urls.HOME)
        common["jsonld"] = (present.home_json_ld(self.settings),)
        page = views.HomePage(
            **common,
            featured=self.cards(featured), latest=self.cards(c.latest(6, exclude=shown)),
            field_sections=sections, totals=totals, feeds=self._site_feeds,
        )
        return PageSpec(urls.HOME, page)

    def story_page(self, story: Story) -> PageSpec:
        c = self.catalog
        view = present.story_view(story, c, self.settings, self.photos, self.render_body)
        terms = c.story_terms(story)
        crumbs = self._crumbs((terms.kind.name, terms.kind.url), (story.title, story.url))
        og_image = present.social_image(story, self.settings, self.photos, self.social_cards.get(story.slug))
        common = self._common(story.title, story.summary, terms.kind.url, crumbs)
        article = present.story_json_ld(story, c, self.settings, og_image, view.cover, view.iso)
        common["jsonld"] = (article, *common["jsonld"])
        page = views.StoryPage(
            **common,
            story=view,
            latest=tuple(card for card in self._latest if card.url != story.url)[: self.settings.latest_count],
            related=self.cards(c.related(story, self.settings.related_count)),
            og_image=og_image,
        )
        return PageSpec(story.url, page)

    def story_index(self) -> Iterator[PageTask]:
        yield from self._paginated(
            urls.STORIES, "Tất cả bài viết", "Bài viết", list(self.catalog.stories), urls.HOME,
            self._crumbs(("Bài viết", urls.STORIES)), generated(N_("the generated list of all stories")),
            intro="Các bài viết mới nhất về gương người tốt, việc tốt.", feeds=self._site_feeds,
            modified=self._site_modified,
        )

    def _paginated(self, base_url, heading, kicker, stories, section, crumbs, producer, intro="", subterms=None,
                   subterms_label="", feeds=(), modified: dt.datetime | None = None) -> Iterator[PageTask]:
        """The pages of a list; each changes when any story of the list does (`modified`)."""
        for page in paginate(stories, self.settings.per_page, base_url):
            yield PageTask(page.url, producer, partial(
                self._list_page, page, heading, kicker, len(stories), section, crumbs, intro,
                subterms if page.number == 1 else None, subterms_label, feeds,
            ), modified)

    def _list_page(self, page: PageSlice, heading, kicker, total, section, crumbs, intro, subterms,
                   subterms_label, feeds) -> PageSpec:
        title = heading if page.number == 1 else f"{heading} – Trang {page.number}"
        view = views.ListPage(
            **self._common(title, intro or f"{heading}: {total} bài viết.", section, crumbs),
            heading=heading, kicker=kicker, intro=intro,
            count_label=f"{vi.format_count(total)} bài viết",
            cards=self.cards(page.items),
            pagination=present.pagination_view(page),
            subterms=subterms, subterms_label=subterms_label, feeds=feeds,
        )
        return PageSpec(page.url, view)

    def term_index(self, taxonomy: Taxonomy) -> PageSpec:
        heading = TAXONOMY_HEADINGS.get(taxonomy.name, taxonomy.label)
        if taxonomy.name in ("place", "archive"):
            groups = tuple(
                views.TermGroup(t.name, t.url, t.count, _term_counts(t.children), note=t.note) for t in taxonomy.terms
            )
        else:
            groups = (views.TermGroup("", "", None, _term_counts(taxonomy.terms)),)
        page = views.IndexPage(
            **self._common(heading, f"{heading}: danh mục bài viết theo {taxonomy.label.lower()}.", taxonomy.url,
                           self._crumbs((heading, taxonomy.url))),
            heading=heading, groups=groups,
        )
        return PageSpec(taxonomy.url, page)

    def term_pages(self, taxonomy: Taxonomy, term: TermEntry, modified: dt.datetime | None = None) -> Iterator[PageTask]:
        heading_root = TAXONOMY_HEADINGS.get(taxonomy.name, taxonomy.label)
        crumbs_pairs = [(heading_root, taxonomy.url)]
        if term.parent is not None:
            crumbs_pairs.append((term.parent.name, term.parent.url))
        crumbs_pairs.append((term.name, term.url))
        intro = term.term.description if term.term is not None else term.note
        subterms = _term_counts(term.children) or None
        section = taxonomy.url if taxonomy.name != "kind" else term.url
        heading = term.name if taxonomy.name != "tag" else f"#{term.name}"
        if term.parent is not None and taxonomy.name == "place":
            heading = f"{term.name}, {term.parent.name}"
        yield from self._paginated(
            term.url, heading, taxonomy.label, list(term.stories), section, self._crumbs(*crumbs_pairs),
            generated(N_("the generated list of {taxonomy} {term!r}"), taxonomy=taxonomy.name, term=term.name),
            intro=intro, subterms=subterms,
            subterms_label="Xã, phường" if taxonomy.name == "place" else "Các tháng",
            feeds=self._feeds(term_feed(term, self.settings)), modified=modified,
        )

    def profiles_index(self) -> PageSpec:
        c = self.catalog
        groups = tuple(
            views.TermGroup(
                PROFILE_INDEX_LABELS[kind], urls.profile_kind(kind), len(c.profiles_by_kind.get(kind, [])),
                tuple(views.TermCount(p.name, p.url, len(c.stories_for_profile(p.slug)))
                      for p in c.profiles_by_kind.get(kind, [])),
            )
            for kind in PROFILE_KINDS
        )
        page = views.IndexPage(
            **self._common("Hồ sơ điển hình", "Cá nhân, tập thể và mô hình tiêu biểu.", urls.PROFILES,
                           self._crumbs(("Hồ sơ điển hình", urls.PROFILES))),
            heading="Hồ sơ điển hình", groups=groups,
            intro="Cá nhân, tập thể và mô hình tiêu biểu; mỗi hồ sơ dẫn tới các bài viết về họ.",
        )
        return PageSpec(urls.PROFILES, page)

    def profile_kind_pages(self, kind: Kind, modified: dict[str, dt.datetime | None] | None = None
                           ) -> Iterator[PageTask]:
        """The pages listing the profiles of `kind`; `modified`: each profile's last change, by slug."""
        profiles = self.catalog.profiles_by_kind.get(kind, [])
        producer = generated(N_("the generated list of {kind} profiles"), kind=kind.value)
        changed = latest(modified[p.slug] for p in profiles) if modified is not None else None
        for page in paginate(profiles, self.settings.per_page * 2, urls.profile_kind(kind)):
            yield PageTask(page.url, producer, partial(self._profile_list_page, kind, page), changed)

    def _profile_list_page(self, kind: Kind, page: PageSlice) -> PageSpec:
        heading = PROFILE_INDEX_LABELS[kind]
        view = views.ProfilesPage(
            **self._common(heading if page.number == 1 else f"{heading} – Trang {page.number}",
                           f"{heading}: {page.total_items} hồ sơ.", urls.PROFILES,
                           self._crumbs(("Hồ sơ điển hình", urls.PROFILES), (KIND_LABELS[kind], urls.profile_kind(kind)))),
            heading=heading, count_label=f"{page.total_items} hồ sơ",
            profiles=tuple(present.profile_card(p, self.catalog, self.photos) for p in page.items),
            pagination=present.pagination_view(page),
        )
        return PageSpec(page.url, view)

    def profile_page(self, profile: Profile) -> PageSpec:
        view = present.profile_view(profile, self.catalog, self.photos, self.render_body)
        crumbs = self._crumbs(("Hồ sơ điển hình", urls.PROFILES),
                              (KIND_LABELS[profile.kind], urls.profile_kind(profile.kind)), (profile.name, profile.url))
        common = self._common(profile.name, profile.summary, urls.PROFILES, crumbs)
        entity = present.profile_json_ld(profile, self.catalog, self.settings, view.photo, view.organisation)
        common["jsonld"] = (entity, *common["jsonld"])
        page = views.ProfilePage(
            **common,
            profile=view, cards=self.cards(self.catalog.stories_for_profile(profile.slug)),
            feeds=self._feeds(profile_feed(profile, self.catalog, self.settings)),
        )
        return PageSpec(profile.url, page)

    def search_page(self) -> PageSpec:
        """/tim-kiem/: the search form; results, facets and counts come from assets/search.js."""
        page = views.SearchPage(
            **self._common(
                "Tìm kiếm",
                f"Tìm kiếm trong {vi.format_count(len(self.catalog.stories))} bài viết và "
                f"{vi.format_count(len(self.catalog.profiles))} hồ sơ điển hình.",
                urls.SEARCH, self._crumbs(("Tìm kiếm", urls.SEARCH)),
            ),
            heading="Tìm kiếm",
            preloads=tuple(self.search_preloads),
        )
        return PageSpec(urls.SEARCH, page)

    def privacy_page(self) -> PageSpec:
        """The personal data policy, from the `privacy` settings (Law 91/2025/QH15, Decree 356/2025)."""
        p = self.settings.privacy_contact
        contact = [f"{p.controller}."]
        contact += [f"Địa chỉ: {p.address}."] if p.address else []
        contact += [f"Điện thoại: {p.phone}."] if p.phone else []
        contact += [f"Thư điện tử: {p.contact}."] if p.contact else []
        request = ("Trên mỗi bài viết có liên kết “Yêu cầu gỡ bỏ”; bạn cũng có thể liên hệ theo địa chỉ dưới đây. "
                   "Bài viết được gỡ khỏi toàn bộ trang (ảnh, tìm kiếm, tin RSS, sơ đồ trang) ngay ở lần cập nhật "
                   "trang tiếp theo; địa chỉ cũ chỉ còn thông báo đã gỡ bỏ.")
        blocks = (
            views.TextBlock("Đơn vị chịu trách nhiệm", (
                f"{p.controller} chịu trách nhiệm xử lý dữ liệu cá nhân của những người được giới thiệu trên "
                f"trang {self.settings.site_name}.",)),
            views.TextBlock("Mục đích", (
                p.purpose,
                "Trang chỉ đăng họ tên, chức vụ, nơi công tác hoặc sinh sống (đến cấp thôn, xã), hình ảnh và câu "
                "chuyện của người được giới thiệu, khi người đó (hoặc người giám hộ, với trẻ em) đã đồng ý. "
                "Hồ sơ ghi nhận sự đồng ý được lưu tại đơn vị, không đăng trên trang.",
                "Trang không đăng số điện thoại, số căn cước, địa chỉ nhà riêng hay ngày sinh của trẻ em, trừ khi "
                "người được giới thiệu đồng ý.")),
            views.TextBlock("Quyền của bạn: sửa, gỡ bỏ", (
                "Người được giới thiệu (hoặc người giám hộ) có quyền yêu cầu sửa thông tin sai, rút lại sự đồng ý "
                "và yêu cầu gỡ bỏ bài viết, ảnh hoặc hồ sơ về mình.", request)),
            views.TextBlock("Liên hệ", tuple(contact)),
            views.TextBlock("Trang này không theo dõi bạn đọc", (
                "Trang không dùng cookie, không dùng công cụ theo dõi hay quảng cáo và không tải nội dung từ "
                "máy chủ khác. Cỡ chữ bạn chọn chỉ được lưu trên thiết bị của bạn.",)),
        )
        heading = "Chính sách bảo vệ dữ liệu cá nhân"
        page = views.TextPage(
            **self._common(heading, f"Cách {self.settings.site_name} xử lý dữ liệu cá nhân của những người được "
                           "giới thiệu, và cách yêu cầu sửa hoặc gỡ bỏ.", urls.HOME,
                           self._crumbs((heading, urls.PRIVACY))),
            heading=heading,
            lead="Theo Luật Bảo vệ dữ liệu cá nhân (Luật số 91/2025/QH15), Nghị định số 356/2025/NĐ-CP và Điều 32 "
                 "Bộ luật Dân sự về quyền của cá nhân đối với hình ảnh.",
            blocks=blocks,
        )
        return PageSpec(urls.PRIVACY, page)

    def removal_notice(self, item: Story | Profile) -> PageSpec:
        """What the address of a withdrawn story or profile shows: a notice, without its title or anything of it."""
        assert item.withdrawn is not None
        what = "Bài viết" if isinstance(item, Story) else "Hồ sơ"
        heading = f"{what} đã được gỡ bỏ"
        page = views.TextPage(
            **self._common(heading, heading + ".", urls.HOME, self._crumbs()),
            heading=heading,
            lead=f"{what} tại địa chỉ này đã được gỡ khỏi trang ngày {item.withdrawn.date:%d/%m/%Y}.",
            blocks=(views.TextBlock("", (), (
                views.Link("Về trang chủ", urls.HOME), views.Link("Chính sách bảo vệ dữ liệu cá nhân", urls.PRIVACY),
            )),),
            robots="noindex",
        )
        return PageSpec(item.url, page)

    def press_page(self) -> PageSpec:
        """/bao-chi/: the feeds, the sitemaps, the JSON API, embeds and credits, with examples from
        the site's newest story; only what this build makes is shown (`built`)."""
        heading = "Dành cho báo chí"
        page = views.PressPage(
            **self._common(heading, f"Theo dõi, đăng lại và nhúng bài viết của {self.settings.site_name}: nguồn tin "
                                    "RSS, Atom, JSON Feed, sơ đồ trang, dữ liệu JSON và cách ghi nguồn.",
                           urls.PRESS, self._crumbs((heading, urls.PRESS))),
            heading=heading,
            press=press.press_view(self.catalog, self.settings, self.built or (lambda _path: False)),
        )
        return PageSpec(urls.PRESS, page)


    def stats_page(self) -> PageSpec:
        """/thong-ke/: the statistics of every published story, each table as a chart, a table and a CSV file."""
        stats = compute_stats(self.catalog)
        page = views.StatsPage(
            **self._common("Thống kê", f"Thống kê {vi.format_count(stats.stories)} bài viết theo loại, lĩnh vực, "
                           "địa phương, năm, phong trào và cấp khen thưởng.", urls.STATS,
                           self._crumbs(("Thống kê", urls.STATS))),
            heading="Thống kê",
            intro=present.stats_intro(stats, len(self.catalog.profiles)),
            tables=tuple(present.stats_table(t) for t in stats.tables),
        )
        return PageSpec(urls.STATS, page)


def _term_counts(terms) -> tuple[views.TermCount, ...]:
    return tuple(views.TermCount(t.name, t.url, t.count) for t in terms)

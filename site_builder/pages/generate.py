"""Every generated page as a PageSpec: URL, template, title and its view data.

Pages are produced lazily (a generator), so a 100,000-story site never holds
all rendered contexts at once. Work per story is constant: related/latest
lists come from the catalog's indexes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable, Iterator

from site_builder import vietnamese as vi
from site_builder.catalog import Catalog, Taxonomy, TermEntry, paginate
from site_builder.content.models import KIND_LABELS, PROFILE_KINDS, Kind
from site_builder.markdown_render import RenderMarkdown
from site_builder.pages import views
from site_builder.settings import SiteSettings

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

PAGE_TEMPLATES = {"gs/home.html", "gs/story.html", "gs/list.html", "gs/index.html", "gs/profile.html", "gs/profiles.html"}
PAGE_TEMPLATES |= {"gs/search.html"}  # the site search page (site_builder.search, assets/search.js)
SEARCH_URL = "tim-kiem/"


@dataclass(frozen=True)
class PageTask:
    """A page to build: its URL now, its PageSpec when `build()` is called (possibly in a worker)."""

    url: str
    build: Callable[[], "PageSpec"]


@dataclass
class PageSpec:
    """One HTML page to write at `url` (site-relative, '' is the home page)."""

    url: str
    template: str
    title: str
    description: str = ""
    data: dict[str, Any] = field(default_factory=dict)


class PageGenerator:
    """Builds PageSpecs from the catalog; templates get `gs` = data + site-wide values."""

    def __init__(
        self,
        catalog: Catalog,
        settings: SiteSettings,
        images: views.ImageViews,
        render_markdown: RenderMarkdown,
        social_cards: dict[str, str] | None = None,
        search_preloads: tuple[str, ...] = (),
    ) -> None:
        self.catalog = catalog
        self.search_preloads = search_preloads  # search index files /tim-kiem/ preloads (site_builder.search.compat)
        self.settings = settings
        self.images = images
        self.render_markdown = render_markdown
        self.social_cards = social_cards or {}  # story slug -> site-relative URL of its 1200×630 card, if it has one
        self._cards: dict[str, dict[str, Any]] = {}
        self._latest = [self.card(s) for s in catalog.latest(settings.latest_count + 1)]
        self.site = {
            "organisation": settings.organisation.model_dump(),
            "footer_links": [link.model_dump() for link in settings.footer_links],
            "year": catalog.now.year,
        }

    # --- helpers -----------------------------------------------------------

    def card(self, story) -> dict[str, Any]:
        """Card view of a story, computed once per build."""
        cached = self._cards.get(story.slug)
        if cached is None:
            cached = self._cards[story.slug] = views.story_card(story, self.catalog, self.images)
        return cached

    def sections(self, active: str) -> list[dict[str, Any]]:
        items = [
            ("", "Trang chủ"),
            ("loai/ca-nhan/", "Cá nhân"),
            ("loai/tap-the/", "Tập thể"),
            ("loai/mo-hinh/", "Mô hình"),
            ("linh-vuc/", "Lĩnh vực"),
            ("dia-phuong/", "Địa phương"),
            ("ho-so/", "Hồ sơ điển hình"),
            ("luu-tru/", "Lưu trữ"),
        ]
        return [{"url": url or "./", "title": title, "active": url == active} for url, title in items]

    def _spec(self, url: str, template: str, title: str, description: str, section: str, **data: Any) -> PageSpec:
        data.setdefault("title", title)
        data.setdefault("description", description)
        data["sections"] = self.sections(section)
        data["site"] = self.site
        return PageSpec(url=url, template=template, title=title, description=description, data=data)

    @staticmethod
    def _crumbs(*pairs: tuple[str, str]) -> list[dict[str, str]]:
        return [{"title": "Trang chủ", "url": "./"}] + [{"title": t, "url": u} for t, u in pairs]

    # --- pages -------------------------------------------------------------

    def all(self) -> Iterator[PageSpec]:
        """Every page, in a stable order."""
        return (task.build() for task in self.tasks())

    def tasks(self) -> Iterator[PageTask]:
        """One cheap task per page; building it makes the PageSpec (so workers can share the list)."""
        yield PageTask("", self.home)
        for story in self.catalog.stories:
            yield PageTask(story.url, partial(self.story_page, story))
        yield from self.story_index()
        for taxonomy in self.catalog.taxonomies.values():
            yield PageTask(taxonomy.url, partial(self.term_index, taxonomy))
            for term in taxonomy.all_terms():
                yield from self.term_pages(taxonomy, term)
        yield PageTask("ho-so/", self.profiles_index)
        for kind in PROFILE_KINDS:
            yield from self.profile_kind_pages(kind)
        for profile in self.catalog.profiles:
            yield PageTask(profile.url, partial(self.profile_page, profile))
        yield PageTask(SEARCH_URL, self.search_page)

    def home(self) -> PageSpec:
        c = self.catalog
        featured = c.featured(self.settings.featured_count) or c.latest(1)
        shown = {s.slug for s in featured}
        latest = [self.card(s) for s in c.latest(6, exclude=shown)]
        sections = []
        for term in sorted(c.taxonomies["field"].terms, key=lambda t: (-t.count, vi.sort_key(t.name))):
            sections.append(
                {"key": term.key, "name": term.name, "url": term.url, "count": term.count,
                 "cards": [self.card(s) for s in term.stories[:4]]}
            )
        t = c.totals
        totals = [
            {"value": vi.format_count(t.stories), "label": "bài viết", "url": "bai-viet/"},
            {"value": vi.format_count(t.people), "label": "cá nhân", "url": "ho-so/ca-nhan/"},
            {"value": vi.format_count(t.collectives), "label": "tập thể", "url": "ho-so/tap-the/"},
            {"value": vi.format_count(t.models), "label": "mô hình", "url": "ho-so/mo-hinh/"},
            {"value": vi.format_count(t.places), "label": "địa phương", "url": "dia-phuong/"},
        ]
        return self._spec(
            "", "gs/home.html", self.settings.site_name, self.settings.site_description, "",
            is_home=True, featured=[self.card(s) | {"summary": s.summary} for s in featured],
            latest=latest, field_sections=sections, totals=totals,
        )

    def story_page(self, story) -> PageSpec:
        c = self.catalog
        view = views.story_view(story, c, self.settings, self.images, self.render_markdown)
        terms = c.story_terms(story)
        crumbs = self._crumbs((terms.kind.name, terms.kind.url), (story.title, story.url))
        og_image = views.social_image(story, self.settings, self.images, self.social_cards.get(story.slug))
        return self._spec(
            story.url, "gs/story.html", story.title, story.summary, terms.kind.url,
            story=view, breadcrumbs=crumbs,
            latest=[card for card in self._latest if card["url"] != story.url][: self.settings.latest_count],
            related=[self.card(s) for s in c.related(story, self.settings.related_count)],
            og_image=og_image,
            jsonld=views.story_json_ld(story, self.settings, og_image["url"] if og_image else None),
        )

    def story_index(self) -> Iterator[PageTask]:
        yield from self._paginated(
            "bai-viet/", "Tất cả bài viết", "Bài viết", list(self.catalog.stories), "",
            self._crumbs(("Bài viết", "bai-viet/")), intro="Các bài viết mới nhất về gương người tốt, việc tốt.",
        )

    def _paginated(self, base_url, heading, kicker, stories, section, crumbs, intro="", subterms=None,
                   subterms_label="") -> Iterator[PageTask]:
        for page in paginate(stories, self.settings.per_page, base_url):
            yield PageTask(page.url, partial(self._list_page, page, heading, kicker, len(stories), section, crumbs,
                                             intro, subterms if page.number == 1 else None, subterms_label))

    def _list_page(self, page, heading, kicker, total, section, crumbs, intro, subterms, subterms_label) -> PageSpec:
        title = heading if page.number == 1 else f"{heading} – Trang {page.number}"
        return self._spec(
            page.url, "gs/list.html", title, intro or f"{heading}: {total} bài viết.", section,
            heading=heading, kicker=kicker, intro=intro,
            count_label=f"{vi.format_count(total)} bài viết",
            cards=[self.card(s) for s in page.items],
            pagination=views.pagination_view(page), breadcrumbs=crumbs,
            subterms=subterms, subterms_label=subterms_label,
        )

    def term_index(self, taxonomy: Taxonomy) -> PageSpec:
        heading = TAXONOMY_HEADINGS.get(taxonomy.name, taxonomy.label)
        if taxonomy.name in ("place", "archive"):
            groups = [
                {"title": t.name, "url": t.url, "count": t.count,
                 "terms": [{"name": ch.name, "url": ch.url, "count": ch.count} for ch in t.children]}
                for t in taxonomy.terms
            ]
        else:
            groups = [{"title": "", "url": "", "count": None,
                       "terms": [{"name": t.name, "url": t.url, "count": t.count} for t in taxonomy.terms]}]
        return self._spec(
            taxonomy.url, "gs/index.html", heading, f"{heading}: danh mục bài viết theo {taxonomy.label.lower()}.",
            taxonomy.url, heading=heading, groups=groups,
            breadcrumbs=self._crumbs((heading, taxonomy.url)),
        )

    def term_pages(self, taxonomy: Taxonomy, term: TermEntry) -> Iterator[PageTask]:
        heading_root = TAXONOMY_HEADINGS.get(taxonomy.name, taxonomy.label)
        crumbs_pairs = [(heading_root, taxonomy.url)]
        if term.parent is not None:
            crumbs_pairs.append((term.parent.name, term.parent.url))
        crumbs_pairs.append((term.name, term.url))
        intro = term.term.description if term.term is not None else ""
        subterms = [{"name": ch.name, "url": ch.url, "count": ch.count} for ch in term.children] or None
        section = taxonomy.url if taxonomy.name != "kind" else term.url
        heading = term.name if taxonomy.name != "tag" else f"#{term.name}"
        if term.parent is not None and taxonomy.name == "place":
            heading = f"{term.name}, {term.parent.name}"
        yield from self._paginated(
            term.url, heading, taxonomy.label, list(term.stories), section, self._crumbs(*crumbs_pairs),
            intro=intro, subterms=subterms,
            subterms_label="Xã, phường" if taxonomy.name == "place" else "Các tháng",
        )

    def profiles_index(self) -> PageSpec:
        c = self.catalog
        groups = []
        for kind in PROFILE_KINDS:
            profiles = c.profiles_by_kind.get(kind, [])
            groups.append({
                "title": PROFILE_INDEX_LABELS[kind], "url": f"ho-so/{kind.value}/", "count": len(profiles),
                "terms": [{"name": p.name, "url": p.url, "count": len(c.stories_for_profile(p.slug))}
                          for p in profiles],
            })
        return self._spec(
            "ho-so/", "gs/index.html", "Hồ sơ điển hình", "Cá nhân, tập thể và mô hình tiêu biểu.", "ho-so/",
            heading="Hồ sơ điển hình", groups=groups, breadcrumbs=self._crumbs(("Hồ sơ điển hình", "ho-so/")),
            intro="Cá nhân, tập thể và mô hình tiêu biểu; mỗi hồ sơ dẫn tới các bài viết về họ.",
        )

    def profile_kind_pages(self, kind: Kind) -> Iterator[PageTask]:
        profiles = self.catalog.profiles_by_kind.get(kind, [])
        for page in paginate(profiles, self.settings.per_page * 2, f"ho-so/{kind.value}/"):
            yield PageTask(page.url, partial(self._profile_list_page, kind, page))

    def _profile_list_page(self, kind: Kind, page) -> PageSpec:
        heading = PROFILE_INDEX_LABELS[kind]
        base = f"ho-so/{kind.value}/"
        return self._spec(
            page.url, "gs/profiles.html", heading if page.number == 1 else f"{heading} – Trang {page.number}",
            f"{heading}: {page.total_items} hồ sơ.", "ho-so/",
            heading=heading, count_label=f"{page.total_items} hồ sơ",
            profiles=[views.profile_card(p, self.catalog, self.images) for p in page.items],
            pagination=views.pagination_view(page),
            breadcrumbs=self._crumbs(("Hồ sơ điển hình", "ho-so/"), (KIND_LABELS[kind], base)),
        )

    def profile_page(self, profile) -> PageSpec:
        view = views.profile_view(profile, self.catalog, self.images, self.render_markdown)
        base = f"ho-so/{profile.kind.value}/"
        return self._spec(
            profile.url, "gs/profile.html", profile.name, profile.summary, "ho-so/",
            profile=view, cards=[self.card(s) for s in self.catalog.stories_for_profile(profile.slug)],
            breadcrumbs=self._crumbs(("Hồ sơ điển hình", "ho-so/"), (KIND_LABELS[profile.kind], base),
                                     (profile.name, profile.url)),
        )

    def search_page(self) -> PageSpec:
        """/tim-kiem/: the search form; results, facets and counts come from assets/search.js."""
        return self._spec(
            SEARCH_URL, "gs/search.html", "Tìm kiếm",
            f"Tìm kiếm trong {vi.format_count(len(self.catalog.stories))} bài viết và "
            f"{vi.format_count(len(self.catalog.profiles))} hồ sơ điển hình.", SEARCH_URL,
            heading="Tìm kiếm", breadcrumbs=self._crumbs(("Tìm kiếm", SEARCH_URL)),
            preloads=list(self.search_preloads),
        )


def now_in_vietnam() -> dt.datetime:
    """Current naive Vietnam time (UTC+7, no DST)."""
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=7)).replace(tzinfo=None)

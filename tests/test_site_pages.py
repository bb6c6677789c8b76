"""Home, term, index, pagination, profile and archive pages of the built demo site,
compared with the demo content and its catalog."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from conftest import site_path, text_of
from site_builder import vietnamese as vi
from site_builder.catalog.places import commune_sort_name
from site_builder.catalog.selection import is_published
from site_builder.content.models import PROFILE_KINDS
from site_builder.routes import urls

FEATURED_COUNT = 4  # plugin default featured_count
HOME_LATEST_MIN = 5  # the home page's "Mới nhất" shows at least this many cards (when there are enough)


def card_links(tag, url: str) -> list[str]:
    """Targets of the story cards (photo cards and the lead) inside `tag`."""
    return [site_path(url, a["href"]) for a in tag.select("a.gs-card__link, a.gs-lead__link")]


def section_of(doc, heading_id: str):
    heading = doc.find(id=heading_id)
    assert heading is not None, f"no #{heading_id}"
    return heading.find_parent("section")


def list_pages(built_site, first_url: str) -> list[tuple[str, object]]:
    """Every page of a paginated list, following <link rel="next"> from `first_url`."""
    pages, url = [], first_url
    while url is not None:
        assert url not in [u for u, _ in pages], f"pagination loops at {url}"
        doc = built_site.page(url)
        pages.append((url, doc))
        nxt = doc.find("link", rel="next")
        url = site_path(url, nxt["href"]) if nxt else None
    return pages


def paginated_cards(built_site, first_url: str) -> list[str]:
    out = []
    for url, doc in list_pages(built_site, first_url):
        out += card_links(doc.select_one(".gs-content"), url)
    return out


def count_label(doc) -> str:
    return text_of(doc.select_one(".gs-list-header .gs-count"))


# --- home page ------------------------------------------------------------------------


def test_home_featured(page, demo_catalog, demo_content):
    doc = page("")
    featured = section_of(doc, "noi-bat")
    assert text_of(featured.h2) == "Nổi bật"
    expected = demo_catalog.featured(FEATURED_COUNT) or demo_catalog.latest(1)
    assert card_links(featured, "") == [s.url for s in expected]
    flagged = {s.slug for s in demo_content.stories if s.featured}
    assert flagged, "the demo should have featured stories"
    assert {s.slug for s in expected} <= flagged


def test_home_latest(page, demo_catalog):
    doc = page("")
    shown = set(card_links(section_of(doc, "noi-bat"), ""))
    latest = section_of(doc, "moi-nhat")
    assert text_of(latest.h2) == "Mới nhất"
    links = card_links(latest, "")
    assert not shown & set(links), "featured stories are not repeated in Mới nhất"
    assert len(links) >= min(HOME_LATEST_MIN, len(demo_catalog.stories) - len(shown))
    expected = demo_catalog.latest(len(links), exclude=[u.split("/")[1] for u in shown])
    assert links == [s.url for s in expected]
    dates = [t["datetime"] for t in latest.select("time")]
    assert dates == sorted(dates, reverse=True)


def test_home_field_sections(page, demo_catalog):
    doc = page("")
    terms = demo_catalog.taxonomies["field"].terms
    assert terms
    sections = [s for s in doc.select(".gs-content section") if (s.h2 and (s.h2.get("id") or "").startswith("lv-"))]
    assert sorted(s.h2["id"] for s in sections) == sorted(f"lv-{t.key}" for t in terms)
    for term in terms:
        section = section_of(doc, f"lv-{term.key}")
        title = section.h2
        assert site_path("", title.a["href"]) == term.url
        assert text_of(title.a) == term.name
        assert text_of(title.select_one(".gs-count")) == f"{term.count} bài"
        assert card_links(section, "") == [s.url for s in term.stories[:4]]
    # Biggest fields first.
    counts = [int(text_of(s.h2.select_one(".gs-count")).split()[0]) for s in sections]
    assert counts == sorted(counts, reverse=True)


def test_home_totals(page, demo_catalog):
    doc = page("")
    items = doc.select(".gs-totals li")
    got = {text_of(li.span): (text_of(li.strong), site_path("", li.a["href"])) for li in items}
    t = demo_catalog.totals
    assert got == {
        "bài viết": (vi.format_count(t.stories), "bai-viet/"),
        "cá nhân": (vi.format_count(t.people), "ho-so/ca-nhan/"),
        "tập thể": (vi.format_count(t.collectives), "ho-so/tap-the/"),
        "mô hình": (vi.format_count(t.models), "ho-so/mo-hinh/"),
        "địa phương": (vi.format_count(t.places), "dia-phuong/"),
    }
    assert t.stories == len(demo_catalog.stories)


# --- term pages -------------------------------------------------------------------------


TERM_KINDS = {
    "field": lambda t: True,
    "province": lambda t: t.taxonomy == "place" and t.parent is None,
    "commune": lambda t: t.taxonomy == "place" and t.parent is not None,
    "organisation": lambda t: True,
    "campaign": lambda t: True,
    "kind": lambda t: True,
    "tag": lambda t: True,
    "year": lambda t: t.taxonomy == "archive" and t.parent is None,
    "month": lambda t: t.taxonomy == "archive" and t.parent is not None,
}
TAXONOMY_OF = {"province": "place", "commune": "place", "year": "archive", "month": "archive"}


@pytest.mark.parametrize("what", list(TERM_KINDS))
def test_term_pages_list_their_stories(what, built_site, demo_catalog):
    taxonomy = demo_catalog.taxonomies[TAXONOMY_OF.get(what, what)]
    terms = [t for t in taxonomy.all_terms() if TERM_KINDS[what](t)]
    assert terms, f"the demo has no {what} term"
    order = {s.slug: i for i, s in enumerate(demo_catalog.stories)}
    for term in terms:
        assert list(term.stories) == sorted(term.stories, key=lambda s: order[s.slug])  # newest first
        assert paginated_cards(built_site, term.url) == [s.url for s in term.stories], term.url
        doc = built_site.page(term.url)
        assert count_label(doc).startswith(f"{vi.format_count(term.count)} bài viết"), term.url
        assert term.name in text_of(doc.h1), term.url


def test_term_pages_for_content_terms(built_site, demo_catalog):
    """Spot-check the catalog against the content: each story is on its field, place and tag pages."""
    for story in demo_catalog.stories:
        urls = [f"linh-vuc/{k}/" for k in story.fields] + [f"the/{vi.slugify(t)}/" for t in story.tags]
        urls.append(f"loai/{story.kind.value}/")
        urls.append(f"luu-tru/{story.published_at:%Y}/{story.published_at:%m}/")
        if story.place is not None:  # the place as written: its page, or one redirecting to today's (2025 reform)
            urls.append(redirected(built_site, f"dia-phuong/{vi.slugify(story.place.province)}/"))
            if story.place.commune:
                urls.append(redirected(built_site, f"dia-phuong/{vi.slugify(story.place.province)}/"
                                                   f"{vi.slugify(story.place.commune)}/"))
        if story.organisation:
            urls.append(f"don-vi/{story.organisation}/")
        for url in urls:
            assert story.url in paginated_cards(built_site, url), f"{story.slug} missing from {url}"


def redirected(built_site, url: str) -> str:
    """`url`, or the page its redirect page sends to."""
    refresh = built_site.page(url).find("meta", attrs={"http-equiv": "refresh"})
    if refresh is None:
        return url
    target = site_path(url, refresh["content"].split("url=", 1)[1])
    assert built_site.page(url).find("link", rel="canonical")["href"].endswith("/" + target)
    return target


FLAT_TAXONOMIES = ["field", "organisation", "campaign", "kind", "tag"]


@pytest.mark.parametrize("name", FLAT_TAXONOMIES)
def test_flat_term_index_in_vietnamese_order(name, page, demo_catalog):
    taxonomy = demo_catalog.taxonomies[name]
    doc = page(taxonomy.url)
    items = doc.select(".gs-terms li")
    names = [text_of(li.a) for li in items]
    assert names == sorted(names, key=vi.sort_key)
    by_url = {t.url: t for t in taxonomy.terms}
    got = {site_path(taxonomy.url, li.a["href"]): int(text_of(li.select_one(".gs-count"))) for li in items}
    assert got == {url: t.count for url, t in by_url.items()}
    assert sorted(names) == sorted(t.name for t in taxonomy.terms)


def test_place_index_in_vietnamese_order(page, demo_catalog):
    taxonomy = demo_catalog.taxonomies["place"]
    doc = page("dia-phuong/")
    groups = doc.select("section.gs-term-group")
    provinces = [text_of(g.h2.a) for g in groups]
    assert provinces == sorted(provinces, key=vi.sort_key)
    assert provinces == [t.name for t in taxonomy.terms]
    for group, term in zip(groups, taxonomy.terms):
        assert site_path("dia-phuong/", group.h2.a["href"]) == term.url
        assert text_of(group.h2.select_one(".gs-count")) == str(term.count)
        communes = [text_of(li.a) for li in group.select(".gs-terms li")]
        assert communes == sorted(communes, key=lambda name: vi.sort_key(commune_sort_name(name)))  # without "xã"
        note = group.select_one(".gs-term-group__note")  # the former provinces of today's (2025 reform)
        assert (note.get_text() if note else "") == term.note
        assert communes == [c.name for c in term.children]
        assert [int(text_of(li.select_one(".gs-count"))) for li in group.select(".gs-terms li")] == [
            c.count for c in term.children
        ]


def test_archive_index(page, demo_catalog):
    doc = page("luu-tru/")
    groups = doc.select("section.gs-term-group")
    years = {}
    for s in demo_catalog.stories:
        years.setdefault(s.published_at.year, {}).setdefault(s.published_at.month, 0)
        years[s.published_at.year][s.published_at.month] += 1
    assert [text_of(g.h2.a) for g in groups] == [str(y) for y in sorted(years, reverse=True)]
    for group in groups:
        year = int(text_of(group.h2.a))
        assert site_path("luu-tru/", group.h2.a["href"]) == f"luu-tru/{year}/"
        assert text_of(group.h2.select_one(".gs-count")) == str(sum(years[year].values()))
        months = sorted(years[year], reverse=True)
        items = group.select(".gs-terms li")
        assert [text_of(li.a) for li in items] == [vi.format_month(year, m) for m in months]
        assert [site_path("luu-tru/", li.a["href"]) for li in items] == [f"luu-tru/{year}/{m:02d}/" for m in months]
        assert [int(text_of(li.select_one(".gs-count"))) for li in items] == [years[year][m] for m in months]


# --- pagination ---------------------------------------------------------------------------


def test_story_index_pagination(built_site, demo_catalog, demo_config):
    per_page = demo_config["plugin"]["per_page"]
    total = len(demo_catalog.stories)
    assert total > per_page, "the demo needs more stories than per_page to paginate"
    n_pages = -(-total // per_page)
    pages = list_pages(built_site, "bai-viet/")
    assert [u for u, _ in pages] == ["bai-viet/"] + [f"bai-viet/page/{n}/" for n in range(2, n_pages + 1)]
    all_cards = []
    for number, (url, doc) in enumerate(pages, start=1):
        cards = card_links(doc.select_one(".gs-content"), url)
        all_cards += cards
        expected_size = per_page if number < n_pages else total - per_page * (n_pages - 1)
        assert len(cards) == expected_size, url
        assert count_label(doc) == f"{vi.format_count(total)} bài viết · Trang {number}/{n_pages}"
        nav = doc.select_one("nav.gs-pagination")
        assert [text_of(li) for li in nav.select("ol li")] == [str(n) for n in range(1, n_pages + 1)]
        assert text_of(nav.select_one("[aria-current=page]")) == str(number)
        numbered = {text_of(a): site_path(url, a["href"]) for a in nav.select("ol a")}
        for n, target in numbered.items():
            assert target == ("bai-viet/" if n == "1" else f"bai-viet/page/{n}/")
        prev = doc.find("link", rel="prev")
        if number == 1:
            assert prev is None
        else:
            assert site_path(url, prev["href"]) == pages[number - 2][0]
            assert site_path(url, nav.find("a", rel="prev")["href"]) == pages[number - 2][0]
    assert all_cards == [s.url for s in demo_catalog.stories]
    assert not built_site.exists(f"bai-viet/page/{n_pages + 1}/")
    assert not built_site.exists("bai-viet/page/1/")


# --- profiles --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [k.value for k in PROFILE_KINDS])
def test_profile_index_pages(kind, built_site, demo_catalog, demo_content):
    profiles = [p for p in demo_content.profiles if p.kind.value == kind and not p.draft]
    assert profiles, f"the demo has no {kind} profile"
    url = f"ho-so/{kind}/"
    names = []
    links = []
    for page_url, doc in list_pages(built_site, url):
        for a in doc.select(".gs-cards--profiles a.gs-card__link"):
            links.append(site_path(page_url, a["href"]))
            names.append(text_of(a))
    assert sorted(links) == sorted(p.url for p in profiles)
    assert names == sorted(names, key=vi.sort_key)
    assert count_label(built_site.page(url)) == f"{len(profiles)} hồ sơ"


def test_profiles_overview(page, demo_catalog):
    doc = page("ho-so/")
    groups = doc.select("section.gs-term-group")
    assert [site_path("ho-so/", g.h2.a["href"]) for g in groups] == [f"ho-so/{k.value}/" for k in PROFILE_KINDS]
    for group, kind in zip(groups, PROFILE_KINDS):
        profiles = demo_catalog.profiles_by_kind[kind]
        assert [site_path("ho-so/", a["href"]) for a in group.select(".gs-terms a")] == [p.url for p in profiles]


def test_profile_pages_list_their_stories(built_site, demo_catalog, demo_content):
    assert demo_catalog.profiles
    published = [s for s in demo_content.stories if is_published(s, demo_catalog.now)]
    published.sort(key=lambda s: s.published_at, reverse=True)  # newest first
    some_have_stories = False
    for profile in demo_catalog.profiles:
        doc = built_site.page(profile.url)
        assert text_of(doc.h1) == profile.name
        expected = [s.url for s in published if any(p.profile == profile.slug for p in s.people)]
        section = section_of(doc, "bai-viet-lien-quan")
        assert card_links(section, profile.url) == expected, profile.slug
        assert text_of(section.h2.select_one(".gs-count")) == f"{len(expected)} bài"
        some_have_stories |= bool(expected)
    assert some_have_stories


# --- what is left out -------------------------------------------------------------------


def unpublished(demo_content, demo_catalog):
    published = {s.slug for s in demo_catalog.stories}
    return [s for s in demo_content.stories if s.slug not in published]


def test_demo_has_draft_future_and_expired_stories(demo_content, demo_catalog):
    now = demo_catalog.now
    left_out = unpublished(demo_content, demo_catalog)
    assert any(s.draft for s in left_out)
    assert any(not s.draft and s.published_at > now for s in left_out)
    assert any(s.expires is not None and s.expires <= now for s in left_out)


def test_unpublished_stories_are_not_in_the_site(built_site, demo_content, demo_catalog):
    left_out = unpublished(demo_content, demo_catalog)
    urls = {s.url for s in left_out}
    titles = {s.title for s in left_out}
    for story in left_out:
        assert not built_site.exists(story.url), story.url
        assert not (built_site.dir / "bai-viet" / story.slug).exists()
    for url, doc in built_site.all_pages().items():
        linked = set(built_site.links(doc, url))
        assert not linked & urls, f"{url} links to an unpublished story"
        headings = {text_of(h) for h in doc.select("h1, h2, h3, a")}
        assert not headings & titles, f"{url} shows the title of an unpublished story"


def test_sitemap_lists_published_stories_only(built_site, demo_content, demo_catalog, demo_config):
    sitemap = built_site.dir / "sitemap.xml"
    assert sitemap.is_file()
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = {loc.text.strip() for loc in ElementTree.parse(sitemap).iter(f"{namespace}loc")}
    base = demo_config["site_url"].rstrip("/") + "/"
    assert {base + s.url for s in demo_catalog.stories} <= locs
    assert not {base + s.url for s in unpublished(demo_content, demo_catalog)} & locs


# --- site-wide ---------------------------------------------------------------------------


def test_404_page_is_vietnamese(built_site):
    assert built_site.exists("404.html")
    doc = built_site.page("404.html")
    assert doc.html["lang"] == "vi"
    assert text_of(doc.title).startswith("Không tìm thấy trang")
    assert text_of(doc.h1) == "Không tìm thấy trang"
    home = doc.select_one(".gs-404 a")
    assert text_of(home) == "Về trang chủ"
    text = text_of(doc.body)
    assert "Made with" not in text and "Material for MkDocs" not in text  # Material's English credit
    assert doc.select_one("footer") is not None


def test_footer_links_on_every_generated_page(built_site, demo_config):
    expected = [(link["title"], link["url"]) for link in demo_config["plugin"]["footer_links"]]
    assert expected
    organisation = demo_config["plugin"]["organisation"]["name"]
    for url, doc in built_site.all_pages().items():
        if url == "404.html" or url.startswith(urls.EMBEDS):  # embed cards are shown in other sites' frames
            continue
        nav = doc.select_one("footer nav.gs-footer__links")
        assert nav is not None, url
        assert text_of(nav.h2) == "Liên kết website"
        assert [(text_of(a), a["href"]) for a in nav.find_all("a")] == expected, url
        assert organisation in text_of(doc.footer)
        pages = doc.select("footer nav.gs-footer__pages a")  # the site's own pages: the statistics
        assert [(text_of(a), site_path(url, a["href"])) for a in pages] == [("Thống kê", "thong-ke/")], url


def test_navigation_never_lists_stories(built_site, demo_catalog):
    story_urls = {s.url for s in demo_catalog.stories}
    profile_urls = {p.url for p in demo_catalog.profiles}
    for url, doc in built_site.all_pages().items():
        for nav in doc.select(".md-sidebar, .md-nav, .md-tabs, header.md-header"):
            links = set(built_site.links(nav, url))
            assert not links & (story_urls | profile_urls), f"{url}: navigation lists stories or profiles"
        assert len(doc.select(".md-nav__item")) <= 10, url
        assert len(doc.select(".md-tabs__item")) <= 10, url


def test_internal_links_resolve(built_site):
    """Every link between pages of the site (a[href], link[href]) leads to a built file."""
    broken, checked = [], 0
    for url, doc in built_site.all_pages().items():
        for tag in doc.find_all(["a", "link"], href=True):
            target = site_path(url, tag["href"])
            if target is None:
                continue
            checked += 1
            if not built_site.exists(target):
                broken.append(f"/{url}: {tag['href']}")
    assert checked > 1000
    assert broken == []


def test_absolute_urls_in_head_point_into_the_site(built_site, demo_config):
    """canonical, og:url and og:image are absolute URLs under site_url, of files that exist."""
    base = demo_config["site_url"].rstrip("/") + "/"
    images = 0
    for url, doc in built_site.all_pages().items():
        if url == "404.html" or url.startswith(urls.EMBEDS):  # noindex cards for frames: no canonical, no og
            continue
        values = [doc.find("link", rel="canonical")["href"], doc.find("meta", property="og:url")["content"]]
        assert values == [base + url] * 2, url
        for meta in doc.find_all("meta", property="og:image"):
            images += 1
            assert meta["content"].startswith(base), url
            assert built_site.exists(meta["content"][len(base):]), f"/{url}: og:image {meta['content']}"
    assert images > 0

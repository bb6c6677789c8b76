"""Story pages of the built demo site, compared with the content and the catalog.

Every published story is checked (one test per check and story); the seed story
also gets exact expected values.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import lead_figure, REPO, site_path, text_of
from site_builder import vietnamese as vi
from site_builder.catalog.places import place_keys

RELATED_COUNT = 5  # mkdocs.yml: related_count
LATEST_COUNT = 5  # plugin default latest_count


def pytest_generate_tests(metafunc):
    """Parametrize `story_slug` with the stories published at collection time."""
    if "story_slug" in metafunc.fixturenames:
        from site_builder.catalog import build_catalog
        from site_builder.content import load_content
        from site_builder.vietnamese import now_in_vietnam

        catalog = build_catalog(load_content(REPO), now_in_vietnam())
        slugs = [s.slug for s in catalog.stories]
        metafunc.parametrize("story_slug", slugs)


@pytest.fixture
def story(story_slug, demo_catalog):
    assert story_slug in demo_catalog.story_by_slug, f"{story_slug} is not published"
    return demo_catalog.story_by_slug[story_slug]


@pytest.fixture
def doc(story, page):
    return page(story.url)


def absolute(config: dict, url: str) -> str:
    return config["site_url"].rstrip("/") + "/" + url


def facts(doc) -> dict[str, object]:
    """The story's <dl class="gs-facts"> as {dt text: dd tag}."""
    out = {}
    for dt_tag in doc.select(".gs-article dl.gs-facts dt"):
        out[text_of(dt_tag)] = dt_tag.find_next_sibling("dd")
    return out


def list_section(doc, section_id: str):
    heading = doc.find(id=section_id)
    assert heading is not None, f"no #{section_id}"
    return heading.find_parent("section")


# --- the seed story, exact values ---------------------------------------------------


def test_seed_story_page(seed_story, page, demo_catalog):
    doc = page(seed_story.url)
    assert text_of(doc.select_one("h1")) == "Bình Xuyên: nhiều sáng tạo trong học tập và làm theo Bác"
    assert text_of(doc.select_one(".gs-article__byline")) == "Bài, ảnh: Thành An"
    time = doc.select_one(".gs-article__meta time")
    assert time["datetime"] == "2026-03-14T08:30:00+07:00"
    assert text_of(time) == "Thứ Bảy, 14/03/2026, 08:30"
    source = doc.select_one(".gs-article__source")
    assert text_of(source) == "Theo Báo Vĩnh Phúc"
    assert source.a["href"] == "http://baovinhphuc.com.vn"
    figure = lead_figure(doc)
    assert "Ảnh: Thành An" in text_of(figure.figcaption)
    assert figure.img["alt"] == "Hội viên phụ nữ chăm sóc đường hoa rực rỡ chạy dọc con đường trong thôn"
    # Fields given as "VH - XH" (an alias) show the vocabulary name.
    field_names = [text_of(a) for a in facts(doc)["Lĩnh vực"].find_all("a")]
    assert field_names == ["Xây dựng Đảng", "Văn hóa - Xã hội", "Quốc phòng", "An ninh trật tự"]
    people = doc.select(".gs-people li")
    assert [text_of(li.a) for li in people] == ["Nguyễn Thị Phượng"]
    assert site_path(seed_story.url, people[0].a["href"]) == "ho-so/nguyen-thi-phuong/"


# --- every published story ----------------------------------------------------------


def test_head_language_canonical_og(story, doc, demo_config):
    assert doc.html["lang"] == "vi"
    assert doc.title.string.startswith(story.title)
    url = absolute(demo_config, story.url)
    assert doc.find("link", rel="canonical")["href"] == url
    assert doc.find("meta", property="og:url")["content"] == url
    assert doc.find("meta", property="og:title")["content"] == story.title
    assert doc.find("meta", property="og:description")["content"] == story.summary
    assert doc.find("meta", property="og:type")["content"] == "article"


def test_title_and_sapo(story, doc):
    h1s = doc.find_all("h1")
    assert len(h1s) == 1
    assert text_of(h1s[0]) == story.title
    assert text_of(doc.select_one(".gs-article__sapo")) == " ".join(story.summary.split())


def test_date(story, doc):
    time = doc.select_one(".gs-article__meta time")
    assert time["datetime"] == vi.iso_date(story.published_at)
    assert text_of(time) == vi.format_datetime(story.published_at)


def test_kind_link_and_breadcrumbs(story, doc):
    kicker = doc.select_one(".gs-article__kicker a")
    assert site_path(story.url, kicker["href"]) == f"loai/{story.kind.value}/"
    assert text_of(kicker) == story.kind.label
    crumbs = doc.select("nav.gs-breadcrumbs li")
    assert [text_of(li) for li in crumbs] == ["Trang chủ", story.kind.label, story.title]
    assert [site_path(story.url, li.a["href"]) for li in crumbs[:2]] == ["", f"loai/{story.kind.value}/"]
    assert crumbs[-1].a is None and crumbs[-1].find(attrs={"aria-current": "page"}) is not None


def test_place_links(story, doc, demo_catalog):
    dd = facts(doc).get("Địa phương")
    if story.place is None:
        assert dd is None
        return
    province, communes = demo_catalog.place_terms(story)  # today's units (2025 reform)
    expected = [*communes, *(t for t in (province,) if t is not None)]
    assert expected, "a story with a place has at least a province term"
    links = dd.find_all("a")
    assert [site_path(story.url, a["href"]) for a in links] == [t.url for t in expected]
    assert [text_of(a) for a in links] == [t.name for t in expected]
    # The meta line links the finest place given, as written, then today's units when they differ.
    meta_link = doc.select_one(".gs-article__meta a")
    assert site_path(story.url, meta_link["href"]) == expected[0].url
    assert text_of(meta_link) == story.place.label
    found = place_keys(story).resolution
    now = doc.select_one(".gs-article__meta .gs-place-now")
    if found.changed:
        assert text_of(now) == f"(nay là {found.now})"
    else:
        assert now is None


def test_field_links(story, doc, demo_catalog):
    dd = facts(doc).get("Lĩnh vực")
    keys = list(dict.fromkeys(story.fields))
    if not keys:
        assert dd is None
        return
    links = dd.find_all("a")
    assert [site_path(story.url, a["href"]) for a in links] == [f"linh-vuc/{k}/" for k in keys]
    assert [text_of(a) for a in links] == [demo_catalog.vocab_term("fields", k).name for k in keys]


def test_organisation_and_campaign_links(story, doc, demo_catalog):
    f = facts(doc)
    for label, key, vocabulary, prefix in (("Đơn vị", story.organisation, "organisations", "don-vi"),
                                           ("Phong trào", story.campaign, "campaigns", "phong-trao")):
        if not key:
            assert label not in f
            continue
        a = f[label].a
        assert site_path(story.url, a["href"]) == f"{prefix}/{key}/"
        assert text_of(a) == demo_catalog.vocab_term(vocabulary, key).name


def test_people(story, doc, demo_catalog):
    items = doc.select(".gs-people li")
    assert len(items) == len(story.people)
    for li, person in zip(items, story.people):
        assert text_of(li).startswith(person.name)
        if person.role:
            assert person.role in text_of(li)
        if person.birth_year:
            assert f"sinh năm {person.birth_year}" in text_of(li)
        profile = demo_catalog.profile_by_slug.get(person.profile) if person.profile else None
        if profile is not None:
            assert li.a is not None, f"{person.name} should link to {profile.url}"
            assert site_path(story.url, li.a["href"]) == f"ho-so/{person.profile}/"
            assert text_of(li.a) == person.name
        else:
            assert li.a is None


def test_tags(story, doc, demo_catalog):
    dd = facts(doc).get("Từ khóa")
    slugs = list(dict.fromkeys(vi.slugify(t) for t in story.tags if vi.slugify(t)))
    if not slugs:
        assert dd is None
        return
    links = dd.find_all("a")
    assert [site_path(story.url, a["href"]) for a in links] == [f"the/{s}/" for s in slugs]
    assert [text_of(a) for a in links] == [f"#{demo_catalog.term_for('tag', s).name}" for s in slugs]


def test_lead_figure(story, doc, built_site):
    figure = lead_figure(doc)
    if story.cover is None:
        assert figure is None
        return
    img = figure.find("img")
    assert img["alt"] == story.cover.alt
    assert int(img["width"]) > 0 and int(img["height"]) > 0
    assert img["fetchpriority"] == "high"
    assert img.get("loading") != "lazy"
    target = site_path(story.url, img["src"])
    assert built_site.exists(target), f"lead image {target} missing from the site"
    caption = text_of(figure.figcaption)
    if story.cover.caption:
        assert " ".join(story.cover.caption.split()) in caption
    if story.cover.credit:
        assert caption.endswith(f"Ảnh: {story.cover.credit}")
    # The cover is the lead picture, shown once as such.
    assert len(doc.select("[fetchpriority=high]")) == 1


def test_byline(story, doc):
    byline = doc.select_one(".gs-article__byline")
    if not story.authors and not story.photographer:
        assert byline is None
        return
    text = text_of(byline)
    authors = ", ".join(story.authors)
    if story.authors and story.photographer and vi.fold(authors) == vi.fold(story.photographer):
        assert text == f"Bài, ảnh: {authors}"
        return
    if story.authors:
        assert f"Bài: {authors}" in text
    if story.photographer:
        assert f"Ảnh: {story.photographer}" in text


def test_source_credit(story, doc):
    source = doc.select_one(".gs-article__source")
    if story.source is None:
        assert source is None
        return
    assert text_of(source).startswith(f"Theo {story.source.outlet}")
    if story.source.url:
        assert source.a["href"] == story.source.url
        assert text_of(source.a) == story.source.outlet
        assert "nofollow" in source.a["rel"]


def test_related_stories(story, doc, demo_catalog):
    section = list_section(doc, "cac-tin-khac")
    links = [site_path(story.url, a["href"]) for a in section.select("li a")]
    assert len(links) == min(RELATED_COUNT, len(demo_catalog.stories) - 1)
    assert story.url not in links
    assert len(set(links)) == len(links)
    assert links == [s.url for s in demo_catalog.related(story, RELATED_COUNT)]


def test_latest_stories(story, doc, demo_catalog):
    section = list_section(doc, "moi-nhat")
    links = [site_path(story.url, a["href"]) for a in section.select("li a")]
    assert len(links) == min(LATEST_COUNT, len(demo_catalog.stories) - 1)
    assert story.url not in links
    assert links == [s.url for s in demo_catalog.latest(LATEST_COUNT, exclude=story)]
    dates = [t["datetime"] for t in section.select("li time")]
    assert dates == sorted(dates, reverse=True)


def test_feedback_link(story, doc, demo_config):
    link = doc.find("a", string=lambda s: s and s.strip() == "Phản hồi")
    assert link is not None
    parts = urlsplit(link["href"])
    assert parts.scheme == "mailto"
    assert parts.path == demo_config["plugin"]["feedback"]["email"]
    query = parse_qs(parts.query)
    assert story.title in query["subject"][0]
    assert absolute(demo_config, story.url) in query["body"][0]


def test_share_links(story, doc, demo_config):
    url = absolute(demo_config, story.url)
    share = doc.select_one(".gs-share")
    hrefs = [a["href"] for a in share.find_all("a", href=True)]
    facebook = [h for h in hrefs if urlsplit(h).netloc.endswith("facebook.com")]
    assert len(facebook) == 1
    assert urlsplit(facebook[0]).path == "/sharer/sharer.php"
    assert parse_qs(urlsplit(facebook[0]).query)["u"] == [url]
    zalo = [h for h in hrefs if "zalo" in urlsplit(h).netloc]
    assert len(zalo) == 1
    assert parse_qs(urlsplit(zalo[0]).query)["url"] == [url]
    button = share.find("button", attrs={"data-gs-copy": True})
    assert button is not None and button["data-gs-copy"] == url
    # Sharing loads no third-party script.
    assert not [s for s in doc.find_all("script", src=True) if urlsplit(s["src"]).netloc]


def test_json_ld(story, doc, demo_config):
    blocks = [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]
    assert [b["@type"] for b in blocks] == ["NewsArticle", "BreadcrumbList"]
    data = blocks[0]
    assert data["headline"] == story.title
    assert data["description"] == story.summary
    assert data["datePublished"] == vi.iso_date(story.published_at)
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": absolute(demo_config, story.url)}
    assert data["inLanguage"] == "vi"


def test_no_documentation_sidebars(doc):
    assert doc.select(".md-sidebar--secondary") == []
    assert doc.select(".md-nav--secondary, [data-md-component=toc], .md-source-file") == []
    assert doc.select(".md-footer__link") == []  # no MkDocs previous/next page links

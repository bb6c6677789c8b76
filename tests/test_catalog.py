"""Catalog: selection, taxonomies, lookups, totals, related stories."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from site_builder.catalog import build_catalog
from site_builder.catalog.related import WEIGHTS, RelatedIndex
from site_builder.catalog.selection import select_profiles, select_published
from site_builder.content.models import (
    ContentSet,
    Kind,
    Person,
    Place,
    Profile,
    Story,
    Term,
    Vocabulary,
)

NOW = dt.datetime(2026, 6, 1, 12, 0)

VOCABS = {
    "fields": Vocabulary(
        "fields",
        (
            Term("doan-the", "Đoàn thể"),
            Term("an-uong", "Ăn uống"),
            Term("dan-van", "Dân vận"),
            Term("an-ninh", "An ninh"),
        ),
    ),
    "organisations": Vocabulary("organisations", (Term("hoi-lhpn", "Hội Liên hiệp Phụ nữ", short_name="Hội LHPN"),)),
    "campaigns": Vocabulary("campaigns", (Term("hoc-tap-bac", "Học tập và làm theo Bác"),)),
}


def when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def story(slug: str, date: str = "2026-05-01 08:00", **kw) -> Story:
    kw.setdefault("kind", Kind.PERSON)
    return Story(
        path=Path(f"/site/content/stories/{slug}.md"),
        slug=slug,
        title=kw.pop("title", slug.replace("-", " ")),
        date=when(date),
        summary="Tóm tắt.",
        body="Nội dung.",
        body_line=10,
        **kw,
    )


def profile(slug: str, name: str, kind: Kind = Kind.PERSON, **kw) -> Profile:
    return Profile(
        path=Path(f"/site/content/profiles/{kind.value}/{slug}.md"),
        slug=slug,
        name=name,
        kind=kind,
        summary="Tóm tắt.",
        body="",
        body_line=5,
        **kw,
    )


def content(*stories: Story, profiles: tuple[Profile, ...] = ()) -> ContentSet:
    return ContentSet(stories=list(stories), profiles=list(profiles), vocabularies=dict(VOCABS))


def slugs(items) -> list[str]:
    return [s.slug for s in items]


# --- selection ---------------------------------------------------------------


def test_selection_rules() -> None:
    cs = content(
        story("ok"),
        story("draft", draft=True),
        story("future", "2026-07-01 08:00"),
        story("scheduled", publish_date=when("2026-06-02 00:00")),
        story("published-today", "2026-06-01 12:00"),
        story("expired", expires=when("2026-06-01 12:00")),  # expires <= now: gone
        story("expires-later", expires=when("2026-06-01 12:01")),
        story("old-expired", "2020-01-01 00:00", expires=when("2021-01-01 00:00")),
    )
    assert set(slugs(select_published(cs, NOW))) == {"ok", "published-today", "expires-later"}
    assert "draft" in slugs(select_published(cs, NOW, include_drafts=True))
    future = set(slugs(select_published(cs, NOW, include_future=True)))
    assert {"future", "scheduled"} <= future and "expired" not in future and "draft" not in future


def test_selection_accepts_aware_now() -> None:
    cs = content(story("a", "2026-06-01 18:00"))
    utc_noon = dt.datetime(2026, 6, 1, 11, 0, tzinfo=dt.timezone.utc)  # 18:00 in Vietnam
    assert slugs(select_published(cs, utc_noon)) == ["a"]
    assert slugs(select_published(cs, utc_noon - dt.timedelta(minutes=1))) == []


def test_order_newest_first_then_slug() -> None:
    cs = content(
        story("b", "2026-05-01 08:00"),
        story("a", "2026-05-01 08:00"),
        story("c", "2026-04-01 08:00", publish_date=when("2026-05-02 08:00")),
        story("d", "2026-03-01 08:00"),
    )
    assert slugs(build_catalog(cs, NOW).stories) == ["c", "a", "b", "d"]


def test_profile_drafts() -> None:
    cs = content(profiles=(profile("a", "A"), profile("b", "B", draft=True)))
    assert slugs(select_profiles(cs)) == ["a"]
    assert slugs(select_profiles(cs, include_drafts=True)) == ["a", "b"]


def test_duplicate_slug_is_an_error() -> None:
    with pytest.raises(ValueError, match="duplicate story slug 'a'"):
        build_catalog(content(story("a"), story("a")), NOW)


# --- taxonomies --------------------------------------------------------------


def test_field_terms_in_vietnamese_order_with_vocab_names() -> None:
    cs = content(
        story("s1", fields=("doan-the", "dan-van")),
        story("s2", "2026-05-02 08:00", fields=("an-ninh",)),
        story("s3", "2026-05-03 08:00", fields=("an-uong", "doan-the")),
    )
    cat = build_catalog(cs, NOW)
    fields = cat.taxonomies["field"]
    assert (fields.name, fields.label, fields.url) == ("field", "Lĩnh vực", "linh-vuc/")
    assert [t.name for t in fields.terms] == ["An ninh", "Ăn uống", "Dân vận", "Đoàn thể"]
    doan_the = cat.term_for("field", "doan-the")
    assert doan_the is not None
    assert doan_the.url == "linh-vuc/doan-the/"
    assert doan_the.count == 2 and slugs(doan_the.stories) == ["s3", "s1"]  # newest first
    assert doan_the.term == VOCABS["fields"].terms[0]
    assert cat.vocab_name("fields", "dan-van") == "Dân vận"
    assert cat.vocab_term("fields", "an-ninh") == Term("an-ninh", "An ninh")
    assert cat.vocab_name("fields", "khong-co") == "khong-co"


def test_unused_terms_have_no_page() -> None:
    cat = build_catalog(content(story("s1", fields=("an-ninh",))), NOW)
    assert cat.term_for("field", "doan-the") is None
    assert cat.term_for("nope", "x") is None
    assert len(cat.taxonomies["field"]) == 1


def test_kind_organisation_campaign_terms() -> None:
    cs = content(
        story("s1", kind=Kind.MODEL, organisation="hoi-lhpn", campaign="hoc-tap-bac"),
        story("s2", kind=Kind.PERSON),
    )
    cat = build_catalog(cs, NOW)
    assert [(t.key, t.name, t.url) for t in cat.taxonomies["kind"]] == [
        ("ca-nhan", "Cá nhân", "loai/ca-nhan/"),
        ("mo-hinh", "Mô hình", "loai/mo-hinh/"),
    ]
    org = cat.term_for("organisation", "hoi-lhpn")
    assert org and org.name == "Hội Liên hiệp Phụ nữ" and org.url == "don-vi/hoi-lhpn/"
    camp = cat.term_for("campaign", "hoc-tap-bac")
    assert camp and camp.name == "Học tập và làm theo Bác" and camp.url == "phong-trao/hoc-tap-bac/"


def test_tags_grouped_by_slug_most_common_spelling() -> None:
    cs = content(
        story("s1", tags=("Phụ nữ", "nông thôn mới")),
        story("s2", tags=("phụ nữ",)),
        story("s3", tags=("phụ nữ", "Phụ Nữ")),  # two spellings in one story count once
        story("s4", tags=("!!!",)),  # no slug: ignored
    )
    cat = build_catalog(cs, NOW)
    tags = cat.taxonomies["tag"]
    assert [(t.key, t.name, t.count) for t in tags] == [
        ("nong-thon-moi", "nông thôn mới", 1),
        ("phu-nu", "phụ nữ", 3),
    ]
    assert tags.get("phu-nu").url == "the/phu-nu/"
    assert cat.tag_term("PHỤ NỮ") is tags.get("phu-nu")


def test_places_grouped_by_todays_province_and_commune() -> None:
    """Place terms are today's units (2025 reform): Vĩnh Phúc's communes are under Phú Thọ, with the
    official names; places that do not resolve keep the slugs of what is written."""
    vp = "Vĩnh Phúc"
    cs = content(
        story("s1", place=Place(vp, "xã Tân Phong", "huyện Bình Xuyên")),
        story("s2", place=Place(vp, "Xã Tân Phong")),
        story("s3", place=Place("Vĩnh phúc", "TT Thanh Lãng")),  # merged with Tân Phong into xã Xuân Lãng
        story("s4", place=Place(vp, "phường Liên Bảo")),
        story("s5", place=Place(vp)),
        story("s6", place=Place("Bắc Ninh")),
        story("s7"),
        story("s8", place=Place("Phú Thọ", "xã Không Có")),  # unknown commune: as written, under today's province
        story("s9", place=Place("Tỉnh Mộng Mơ", "xã A")),  # unknown province: as written
    )
    cat = build_catalog(cs, NOW)
    place = cat.taxonomies["place"]
    assert (place.label, place.url) == ("Địa phương", "dia-phuong/")
    assert [(t.key, t.name, t.count) for t in place] == [
        ("bac-ninh", "Bắc Ninh", 1), ("phu-tho", "Phú Thọ", 6), ("tinh-mong-mo", "Tỉnh Mộng Mơ", 1),
    ]
    phu_tho = place.get("phu-tho")
    assert [(c.key, c.name, c.count, c.url) for c in phu_tho.children] == [  # sorted without the kind
        ("phu-tho/xa-khong-co", "xã Không Có", 1, "dia-phuong/phu-tho/xa-khong-co/"),
        ("phu-tho/phuong-vinh-phuc", "phường Vĩnh Phúc", 1, "dia-phuong/phu-tho/phuong-vinh-phuc/"),
        ("phu-tho/xa-xuan-lang", "xã Xuân Lãng", 3, "dia-phuong/phu-tho/xa-xuan-lang/"),
    ]
    assert phu_tho.note == "Từ ngày 1/7/2025, tỉnh Phú Thọ gồm các tỉnh Hòa Bình, Phú Thọ và Vĩnh Phúc."
    xuan_lang = place.get("phu-tho/xa-xuan-lang")
    assert xuan_lang.note == ("Trước ngày 1/7/2025: các thị trấn Đạo Đức, Thanh Lãng và các xã Phú Xuân, Tân Phong "
                              "(huyện Bình Xuyên, tỉnh Vĩnh Phúc).")
    assert place.get("phu-tho/xa-khong-co").note == "" and place.get("bac-ninh").note.startswith("Từ ngày 1/7/2025")
    assert all(c.parent is phu_tho for c in phu_tho.children)
    assert place.get("bac-ninh").children == () and place.get("bac-ninh").parent is None
    assert [t.key for t in place.get("tinh-mong-mo").children] == ["tinh-mong-mo/xa-a"]
    province, communes = cat.place_terms(cs.stories[1])
    assert province is phu_tho and communes == (xuan_lang,)


def test_place_split_by_the_reform_is_on_each_communes_page() -> None:
    """xã Văn Khê (Mê Linh, Hà Nội) was split among four communes: the story is on each page."""
    s = story("van-khe", "2024-05-01 08:00", place=Place("Hà Nội", "xã Văn Khê", "huyện Mê Linh"))
    cat = build_catalog(content(s), NOW)
    terms = cat.story_terms(s)
    assert [t.name for t in terms.communes] == ["xã Mê Linh", "xã Ô Diên", "xã Yên Lãng", "xã Tiến Thắng"]
    assert terms.commune is terms.communes[0] and terms.province.name == "Hà Nội"
    assert all(t.stories == (s,) for t in terms.communes)


def test_place_redirects_from_the_written_places_to_todays_pages() -> None:
    cs = content(
        story("a", "2024-01-01 08:00", place=Place("Vĩnh Phúc", "xã Trung Mỹ", "huyện Bình Xuyên")),
        story("b", "2024-01-02 08:00", place=Place("Phú Thọ", "xã Bình Tuyền")),  # today's names: no redirect
        story("c", "2024-01-03 08:00", place=Place("Hà Nội", "xã Văn Khê", "huyện Mê Linh")),  # split: the first
        story("d", "2024-01-04 08:00", place=Place("Tỉnh Mộng Mơ", "xã A")),  # unresolved: its page is still there
    )
    assert build_catalog(cs, NOW).place_redirects() == [  # stories newest first
        ("dia-phuong/ha-noi/xa-van-khe/", "dia-phuong/ha-noi/xa-me-linh/"),
        ("dia-phuong/vinh-phuc/", "dia-phuong/phu-tho/"),
        ("dia-phuong/vinh-phuc/xa-trung-my/", "dia-phuong/phu-tho/xa-binh-tuyen/"),
    ]


def test_archive_years_and_months_newest_first() -> None:
    cs = content(
        story("a", "2025-12-31 23:00"),
        story("b", "2026-01-05 08:00"),
        story("c", "2026-03-01 08:00"),
        story("d", "2026-03-20 08:00"),
        story("e", "2025-02-01 08:00", publish_date=when("2026-01-01 00:00")),  # archived by published_at
    )
    cat = build_catalog(cs, NOW)
    assert cat.archive is cat.taxonomies["archive"].terms
    assert [(y.key, y.name, y.url, y.count) for y in cat.archive] == [
        ("2026", "2026", "luu-tru/2026/", 4),
        ("2025", "2025", "luu-tru/2025/", 1),
    ]
    months = cat.archive[0].children
    assert [(m.key, m.name, m.url, m.count) for m in months] == [
        ("2026/03", "Tháng 3/2026", "luu-tru/2026/03/", 2),
        ("2026/01", "Tháng 1/2026", "luu-tru/2026/01/", 2),
    ]
    assert slugs(months[0].stories) == ["d", "c"]
    assert months[0].parent is cat.archive[0]
    assert cat.term_for("archive", "2025/12").count == 1


# --- profiles, lookups, story terms --------------------------------------------


def test_profiles_by_kind_and_story_lists() -> None:
    profiles = (
        profile("dang-van-b", "Đặng Văn B"),
        profile("dam-thi-c", "Đàm Thị C"),
        profile("an-van-a", "An Văn A"),
        profile("clb", "CLB phụ nữ", Kind.COLLECTIVE),
        profile("hidden", "Ẩn", draft=True),
    )
    cs = content(
        story("s1", "2026-01-01 08:00", people=(Person("An Văn A", profile="an-van-a"),)),
        story("s2", "2026-02-01 08:00", people=(Person("An Văn A", profile="an-van-a"), Person("X", profile="an-van-a"))),
        story("s3", "2026-03-01 08:00", people=(Person("Đàm Thị C", profile="dam-thi-c"),)),
        profiles=profiles,
    )
    cat = build_catalog(cs, NOW)
    assert slugs(cat.profiles_by_kind[Kind.PERSON]) == ["an-van-a", "dam-thi-c", "dang-van-b"]
    assert slugs(cat.profiles_by_kind[Kind.COLLECTIVE]) == ["clb"]
    assert cat.profiles_by_kind[Kind.MODEL] == []
    assert "hidden" not in cat.profile_by_slug
    assert slugs(cat.stories_for_profile("an-van-a")) == ["s2", "s1"]  # newest first, no duplicates
    assert cat.stories_for_profile("dang-van-b") == [] and cat.stories_for_profile("nobody") == []


def test_story_terms_resolve_names_and_urls() -> None:
    s = story(
        "s1",
        "2026-03-14 08:30",
        kind=Kind.MODEL,
        fields=("doan-the", "an-ninh"),
        organisation="hoi-lhpn",
        campaign="hoc-tap-bac",
        place=Place("Vĩnh Phúc", "xã Tân Phong"),
        tags=("Phụ nữ", "phụ nữ", "nông thôn mới"),
        people=(Person("Nguyễn Thị Phượng", "Chủ nhiệm", profile="phuong"), Person("Lê Văn D", profile="draft-one")),
    )
    cs = content(s, profiles=(profile("phuong", "Nguyễn Thị Phượng"), profile("draft-one", "D", draft=True)))
    cat = build_catalog(cs, NOW)
    terms = cat.story_terms(s)
    assert terms is cat.story_terms("s1")  # cached
    assert (terms.kind.name, terms.kind.url) == ("Mô hình", "loai/mo-hinh/")
    assert [(t.name, t.url) for t in terms.fields] == [("Đoàn thể", "linh-vuc/doan-the/"), ("An ninh", "linh-vuc/an-ninh/")]
    assert terms.organisation.url == "don-vi/hoi-lhpn/"
    assert terms.campaign.url == "phong-trao/hoc-tap-bac/"
    assert terms.province.url == "dia-phuong/phu-tho/"  # today's units (2025 reform)
    assert terms.commune.url == "dia-phuong/phu-tho/xa-xuan-lang/"
    assert [t.url for t in terms.tags] == ["the/phu-nu/", "the/nong-thon-moi/"]
    assert (terms.year.url, terms.month.url) == ("luu-tru/2026/", "luu-tru/2026/03/")
    assert [(p.name, p.role, p.url) for p in terms.people] == [
        ("Nguyễn Thị Phượng", "Chủ nhiệm", "ho-so/phuong/"),
        ("Lê Văn D", "", None),  # draft profile: no link
    ]
    pt = cat.profile_terms(profile("x", "X", fields=("an-ninh", "dan-van"), place=Place("Vĩnh Phúc")))
    assert [t.key for t in pt.fields] == ["an-ninh"] and pt.province.key == "phu-tho" and pt.commune is None


def test_latest_featured_adjacent() -> None:
    cs = content(*(story(f"s{i}", f"2026-01-{i:02d} 08:00", featured=i % 2 == 0) for i in range(1, 8)))
    cat = build_catalog(cs, NOW)
    assert slugs(cat.latest(3)) == ["s7", "s6", "s5"]
    assert slugs(cat.latest(3, exclude="s7")) == ["s6", "s5", "s4"]
    assert slugs(cat.latest(3, exclude=[cat.story_by_slug["s6"], "s5"])) == ["s7", "s4", "s3"]
    assert slugs(cat.latest(100)) == [f"s{i}" for i in range(7, 0, -1)]
    assert slugs(cat.featured(2)) == ["s6", "s4"] and slugs(cat.featured()) == ["s6", "s4", "s2"]
    newer, older = cat.adjacent("s7")
    assert newer is None and older.slug == "s6"
    newer, older = cat.adjacent(cat.story_by_slug["s1"])
    assert newer.slug == "s2" and older is None


def test_totals() -> None:
    profiles = (
        profile("phuong", "Nguyễn Thị Phượng"),
        profile("hoa", "Trần Thị Hoa"),
        profile("clb", "CLB", Kind.COLLECTIVE),
        profile("mh1", "Mô hình 1", Kind.MODEL),
        profile("mh2", "Mô hình 2", Kind.MODEL),
        profile("mh3", "Mô hình 3", Kind.MODEL, draft=True),
    )
    cs = content(
        story("s1", people=(Person("Nguyễn Thị Phượng", profile="phuong"), Person("Lê Văn Nam")),
              place=Place("Vĩnh Phúc", "xã Tân Phong")),
        story("s2", people=(Person("nguyễn thị  phượng"), Person("Le Van Nam")),  # same persons
              place=Place("Vĩnh Phúc", "phường Liên Bảo")),
        story("s3", people=(Person("Đỗ Văn Bình"), Person("Q", profile="unknown")), place=Place("Vĩnh Phúc")),
        story("s4", place=Place("Bắc Ninh")),
        story("s5", draft=True, people=(Person("Nháp"),), place=Place("Hà Nội")),
        profiles=profiles,
    )
    totals = build_catalog(cs, NOW).totals
    # persons: phuong, hoa, Lê Văn Nam, Đỗ Văn Bình, profile "unknown"
    assert totals.people == 5
    assert (totals.stories, totals.collectives, totals.models) == (4, 1, 2)
    assert (totals.provinces, totals.communes, totals.places) == (2, 2, 3)  # Phú Thọ: 2 communes; Bắc Ninh: 1


def test_empty_content() -> None:
    cat = build_catalog(ContentSet(), NOW)
    assert cat.stories == [] and cat.archive == () and cat.latest(5) == []
    assert cat.totals.stories == 0 and cat.totals.places == 0
    assert all(len(t) == 0 for t in cat.taxonomies.values())


# --- related -------------------------------------------------------------------


def related_fixture() -> ContentSet:
    vp = Place("Vĩnh Phúc", "xã Tân Phong")
    return content(
        story("me", "2026-03-01 08:00", people=(Person("A", profile="a"),), place=vp,
              fields=("an-ninh", "dan-van"), tags=("phụ nữ",), organisation="hoi-lhpn"),
        story("same-profile", "2020-01-01 08:00", people=(Person("A", profile="a"),)),
        story("same-commune", "2020-01-02 08:00", place=Place("Vĩnh Phúc", "Xã Tân Phong")),
        story("same-province", "2020-01-03 08:00", place=Place("Vĩnh Phúc", "phường Liên Bảo")),
        story("two-fields", "2020-01-04 08:00", fields=("an-ninh", "dan-van")),
        story("one-field", "2020-01-05 08:00", fields=("dan-van",)),
        story("tag", "2020-01-06 08:00", tags=("Phụ Nữ",)),
        story("org", "2020-01-07 08:00", organisation="hoi-lhpn"),
        story("tag-newer", "2020-01-08 08:00", tags=("phụ nữ",)),
        story("nothing-old", "2019-01-01 08:00"),
        story("nothing-new", "2026-05-01 08:00"),
        story("nothing-newest", "2026-05-02 08:00"),
    )


def test_related_ranked_by_documented_weights() -> None:
    cat = build_catalog(related_fixture(), NOW)
    assert WEIGHTS["profile"] > WEIGHTS["commune"] + WEIGHTS["province"]
    assert slugs(cat.related("me", 9)) == [
        "same-profile",  # 16
        "same-commune",  # 8 + 4
        "two-fields",  # 3 + 3
        "same-province",  # 4
        "one-field",  # 3
        "tag-newer",  # 2, newer wins the tie
        "tag",  # 2
        "org",  # 1
        "nothing-newest",  # filled by recency
    ]


def test_related_never_itself_deterministic_and_filled() -> None:
    cat = build_catalog(related_fixture(), NOW)
    for s in cat.stories:
        result = cat.related(s, 20)
        assert s not in result
        assert len(result) == len(cat.stories) - 1 == len(set(slugs(result)))
        assert slugs(result) == slugs(cat.related(s.slug, 20))
    assert slugs(cat.related("nothing-old", 3)) == ["nothing-newest", "nothing-new", "me"]
    assert cat.related("me", 0) == []
    again = build_catalog(related_fixture(), NOW)
    assert all(slugs(cat.related(s, 5)) == slugs(again.related(s.slug, 5)) for s in cat.stories)


def test_related_caps_huge_postings_to_nearest_in_time() -> None:
    stories = [story(f"s{i:03d}", "2020-01-01 08:00", place=Place("Vĩnh Phúc")) for i in range(200)]
    cs = content(*stories)
    cat = build_catalog(cs, NOW)
    index = RelatedIndex(cat.stories, window=10)
    middle = cat.stories[100]
    scores = index.scores(middle)
    assert len(scores) == 10 and 100 not in scores
    assert set(scores) <= set(range(94, 107))  # neighbours in catalog (time) order
    assert len(index.scores(cat.stories[0])) == 10  # window shifts at the ends
    assert len(index.scores(cat.stories[-1])) == 10

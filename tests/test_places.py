"""Places across the 2025 reform: the registry, names as written, resolution to today's units,
and the warnings `check` gives (site_builder.places, site_builder.content.places)."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from content_fixtures import PROFILE_PATH, STORY_PATH, edit, make_project
from site_builder.content import validate_content
from site_builder.content.places import resolve_item
from site_builder.places import REFORM_DATE, former_names, parse, registry, resolve
from site_builder.places.names import join, loose_key, name_key, split_name
from site_builder.places.registry import DATA

REPO = Path(__file__).resolve().parents[1]
BEFORE, AFTER = dt.date(2024, 5, 1), dt.date(2026, 1, 1)


def now_names(*args, **kwargs) -> list[str]:
    return [u.name for u in resolve(*args, **kwargs).communes]


# --- the registry ------------------------------------------------------------------------------


def test_the_shipped_registry_has_every_unit_of_both_eras():
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        data = json.load(f)
    assert (len(data["provinces"]), len(data["communes"])) == (34, 3321)
    assert (len(data["old_provinces"]), len(data["old_districts"]), len(data["old_communes"])) == (63, 696, 10047)
    new_codes = {c for c, _n, _p in data["communes"]}
    assert all(set(row[4]) <= new_codes and row[4] for row in data["old_communes"])  # every old commune goes somewhere
    reached = {code for row in data["old_communes"] for code in row[4]} | {row[3] for row in data["old_districts"] if row[3]}
    assert reached == new_codes  # and every new commune comes from somewhere
    assert "MIT" in " ".join(data["about"]["sources"])


def test_every_reviewed_decision_is_in_the_registry():
    """scripts/places_decisions.csv settles the 54 communes the two datasets disagree on."""
    rows = list(csv.DictReader((REPO / "scripts" / "places_decisions.csv").open(encoding="utf-8")))
    assert len(rows) == 54
    reg = registry()
    for row in rows:
        assert row["resolution"].endswith("/NQ-UBTVQH15") and row["paragraphs"] and row["evidence"], row["old_code"]
        assert reg.old_commune(row["old_code"]).successors == tuple(row["decision"].split()), row["old_code"]
    by_code = {row["old_code"]: row for row in rows}
    # the two errors the data's own README names: both settled from the resolutions
    assert by_code["13768"]["decision_units"] == "Xã Hiển Khánh" and by_code["13768"]["paragraphs"] == "24"
    assert by_code["23521"]["decision_units"] == "Xã Đăk Hà" and by_code["23521"]["paragraphs"] == "56"


def test_old_districts_come_with_their_communes():
    reg = registry()
    districts, communes = reg.old_units("26")  # Vĩnh Phúc
    binh_xuyen = districts[name_key("Bình Xuyên")][0]
    assert binh_xuyen.name == "Huyện Bình Xuyên" and reg.old_provinces[binh_xuyen.province].name == "Tỉnh Vĩnh Phúc"
    assert {u.name for u in reg.successors(binh_xuyen)} == {"Xã Bình Nguyên", "Xã Bình Tuyền", "Xã Bình Xuyên",
                                                            "Xã Xuân Lãng"}
    assert communes[name_key("Trung Mỹ")][0].district == binh_xuyen.code


# --- names as written ---------------------------------------------------------------------------


@pytest.mark.parametrize("written, level, expected", [
    ("xã Trung Mỹ", "commune", ("xã", "Trung Mỹ")),
    ("Xã  Trung   Mỹ", "commune", ("xã", "Trung Mỹ")),
    ("Trung Mỹ", "commune", ("", "Trung Mỹ")),
    ("TT Bá Hiến", "commune", ("thị trấn", "Bá Hiến")),
    ("tt. Bá Hiến", "commune", ("thị trấn", "Bá Hiến")),
    ("P.4", "commune", ("phường", "4")),
    ("Thị Trấn Cô Tô", "commune", ("thị trấn", "Cô Tô")),
    ("TP. Hồ Chí Minh", "province", ("thành phố", "Hồ Chí Minh")),
    ("tỉnh Vĩnh Phúc", "province", ("tỉnh", "Vĩnh Phúc")),
    ("H. Bình Xuyên", "district", ("huyện", "Bình Xuyên")),
    ("Xà Phiên", "commune", ("", "Xà Phiên")),  # a name, not the kind "xã"
    ("Ia Mơ", "commune", ("", "Ia Mơ")),
])
def test_split_name(written, level, expected):
    assert split_name(written, level) == expected


def test_name_keys_ignore_form_but_not_diacritics():
    same = [("Hoà Bình", "Hòa Bình"), ("Ea D'Rơng", "Ea Drơng"), ("Đa Krông", "Đakrông"), ("04", "4"), ("IV", "4"),
            ("TRUNG MỸ", "trung mỹ"), ("Trung Mỹ".encode().decode(), "Trung My\u0303")]
    assert all(name_key(a) == name_key(b) for a, b in same)
    assert name_key("Hòa Sơn") != name_key("Hoa Sơn")  # two communes of Nghệ An
    assert loose_key("Hòa Sơn") == loose_key("Hoa Sơn") == "hoason"  # only close enough to suggest


def test_join_names_each_kind_once():
    assert join(["Xã Hà Nam", "Xã Kim Thành"], "commune") == "các xã Hà Nam và Kim Thành"
    assert join(["Thị trấn Đạo Đức", "Thị trấn Thanh Lãng", "Xã Phú Xuân"], "commune") == (
        "các thị trấn Đạo Đức, Thanh Lãng và xã Phú Xuân")
    assert join(["Xã Bình Tuyền"], "commune") == "xã Bình Tuyền"


def test_parse_a_place_written_on_one_line():
    assert parse("thôn Ba Gò, xã Trung Mỹ, huyện Bình Xuyên, tỉnh Vĩnh Phúc") == (
        "tỉnh Vĩnh Phúc", "huyện Bình Xuyên", "xã Trung Mỹ")
    assert parse("Trung Mỹ, Bình Xuyên, Vĩnh Phúc") == ("Vĩnh Phúc", "Bình Xuyên", "Trung Mỹ")
    assert parse("phường Bến Nghé, quận 1, thành phố Hồ Chí Minh") == (
        "thành phố Hồ Chí Minh", "quận 1", "phường Bến Nghé")
    assert parse("Vĩnh Phúc") == ("Vĩnh Phúc", "", "")


# --- resolution across the reform ---------------------------------------------------------------


def test_an_old_commune_resolves_to_its_new_commune():
    found = resolve("Vĩnh Phúc", "huyện Bình Xuyên", "xã Trung Mỹ")
    assert (found.level, found.era, found.problems) == ("commune", "old", ())
    assert [u.name for u in found.communes] == ["Xã Bình Tuyền"] and found.province.name == "Tỉnh Phú Thọ"
    assert (found.old_commune.name, found.old_district.name, found.old_province.name) == (
        "Xã Trung Mỹ", "Huyện Bình Xuyên", "Tỉnh Vĩnh Phúc")
    assert found.changed and found.now == "xã Bình Tuyền, tỉnh Phú Thọ"


def test_several_old_communes_merged_into_one():
    """NQ 1676/NQ-UBTVQH15 §86-89: the thirteen communes of Bình Xuyên became four."""
    merged = {
        "Xã Bình Nguyên": ["thị trấn Hương Canh", "xã Tam Hợp", "xã Quất Lưu", "xã Sơn Lôi"],
        "Xã Bình Tuyền": ["thị trấn Bá Hiến", "xã Trung Mỹ"],
        "Xã Bình Xuyên": ["thị trấn Gia Khánh", "xã Hương Sơn", "xã Thiện Kế"],
        "Xã Xuân Lãng": ["thị trấn Thanh Lãng", "thị trấn Đạo Đức", "xã Tân Phong", "xã Phú Xuân"],
    }
    for new, olds in merged.items():
        for old in olds:
            assert now_names("Vĩnh Phúc", "Bình Xuyên", old) == [new], old
    reg = registry()
    binh_tuyen = resolve("Phú Thọ", "", "xã Bình Tuyền").communes[0]
    assert sorted(u.name for u in reg.predecessors(binh_tuyen)) == ["Thị trấn Bá Hiến", "Xã Trung Mỹ"]
    assert former_names(binh_tuyen) == "thị trấn Bá Hiến và xã Trung Mỹ (huyện Bình Xuyên, tỉnh Vĩnh Phúc)"
    assert former_names(binh_tuyen.__class__("25", "Tỉnh Phú Thọ", "province", "new")) == (
        "các tỉnh Hòa Bình, Phú Thọ và Vĩnh Phúc")


def test_an_old_commune_split_among_several_new_ones():
    """NQ 1656 §107, 118-120: xã Văn Khê (Mê Linh) went to four communes, Mê Linh first."""
    found = resolve("Hà Nội", "huyện Mê Linh", "xã Văn Khê")
    assert [u.name for u in found.communes] == ["Xã Mê Linh", "Xã Ô Diên", "Xã Yên Lãng", "Xã Tiến Thắng"]
    assert found.now == "các xã Mê Linh, Ô Diên, Yên Lãng và Tiến Thắng, thành phố Hà Nội" and found.changed
    # NQ 1669 §79 and §112: xã Hòa Bình (Kim Thành, Hải Dương) split between Kim Thành and Hà Nam, now Hải Phòng
    assert resolve("Hải Dương", "", "Hòa Bình").now == "các xã Kim Thành và Hà Nam, thành phố Hải Phòng"


@pytest.mark.parametrize("place, expected", [
    (("Nam Định", "huyện Vụ Bản", "xã Quang Trung"), ["Xã Hiển Khánh"]),  # dvhcvn said phường Nam Định
    (("Kon Tum", "huyện Đăk Hà", "xã Hà Mòn"), ["Xã Đăk Hà"]),  # dvhcvn said xã Tu Mơ Rông
    (("Tây Ninh", "", "Phường 4"), ["Phường Tân Ninh"]),  # vietnamadminunits added Long An's
    (("Long An", "", "Phường 1"), []),  # two "Phường 1" in Long An (Tân An, Kiến Tường): a problem
    (("Gia Lai", "", "xã Ia Mơ"), ["Xã Ia Mơ"]),
    (("Sơn La", "", "xã Chiềng Hắc"), ["Phường Mộc Châu"]),  # not xã Chiềng Hặc, another commune
])
def test_settled_disagreements(place, expected):
    assert now_names(*place) == expected


def test_a_district_or_a_province_alone():
    district = resolve("Vĩnh Phúc", "huyện Bình Xuyên")
    assert (district.level, district.changed) == ("district", True)
    assert district.now == "các xã Bình Nguyên, Bình Xuyên, Bình Tuyền và Xuân Lãng, tỉnh Phú Thọ"
    assert resolve("Hồ Chí Minh", "huyện Côn Đảo").now == "đặc khu Côn Đảo, thành phố Hồ Chí Minh"  # no commune
    province = resolve("Vĩnh Phúc")
    assert (province.level, province.era, province.now, province.changed) == ("province", "old", "tỉnh Phú Thọ", True)
    assert not resolve("Phú Thọ").changed and resolve("Phú Thọ").era == "new"
    assert resolve("TP.HCM").province.name == resolve("Sài Gòn").province.name == "Thành phố Hồ Chí Minh"
    assert resolve("Thừa Thiên Huế").province.name == "Thành phố Huế"


def test_todays_names_need_no_note():
    found = resolve("Phú Thọ", "", "xã Bình Tuyền", AFTER)
    assert (found.era, [u.name for u in found.communes], found.changed) == ("new", ["Xã Bình Tuyền"], False)
    same = resolve("Nghệ An", "huyện Nam Đàn", "xã Kim Liên")  # old Kim Liên became the new Kim Liên
    assert (same.era, same.now, same.changed) == ("old", "xã Kim Liên, tỉnh Nghệ An", False)
    # an old commune written with today's province
    assert now_names("Phú Thọ", "", "xã Trung Mỹ") == ["Xã Bình Tuyền"]


def test_written_forms_match_but_diacritics_only_suggest():
    for commune in ("Trung Mỹ", "XÃ TRUNG MỸ", "Xã Trung Mỹ", "xã Trung My\u0303"):
        assert now_names("Vĩnh Phúc", "", commune) == ["Xã Bình Tuyền"], commune
    assert now_names("Vĩnh Phúc", "", "TT Bá Hiến") == ["Xã Bình Tuyền"]
    assert now_names("tỉnh Hoà Bình", "", "xã Hoà Bình") == now_names("Hòa Bình", "", "xã Hòa Bình")
    loose = resolve("Vinh Phuc", "", "xa Trung My")
    assert loose.province is None and loose.communes == ()
    assert [p.field for p in loose.problems] == ["province"]
    assert "'tỉnh Vĩnh Phúc'" in loose.problems[0].message  # the suggestion
    typo = resolve("Vĩnh Phúc", "", "xã Trung My")
    assert typo.communes == () and typo.province.name == "Tỉnh Phú Thọ"
    assert "'xã Trung Mỹ' (huyện Bình Xuyên, tỉnh Vĩnh Phúc" in typo.problems[0].message


def test_the_date_decides_between_a_former_and_a_current_commune_of_one_name():
    """xã Sông Lô of the old Phú Thọ is now part of another commune; today's xã Sông Lô is elsewhere."""
    before, after = resolve("Phú Thọ", "", "xã Sông Lô", BEFORE), resolve("Phú Thọ", "", "xã Sông Lô", AFTER)
    assert before.era == "old" and after.era == "new"
    assert before.communes != after.communes and after.communes[0].name == "Xã Sông Lô"
    assert resolve("Phú Thọ", "", "xã Sông Lô", REFORM_DATE).era == "new"
    undated = resolve("Phú Thọ", "", "xã Sông Lô")
    assert undated.communes == () and [p.field for p in undated.problems] == ["commune"]
    assert "place.district" in undated.problems[0].message
    assert resolve("Phú Thọ", "huyện Đoan Hùng", "xã Sông Lô").era == "old"  # a district means the former one


def test_ambiguous_and_unknown_parts_are_problems_with_what_to_do():
    two = resolve("Vĩnh Phúc", "", "Xuân Hòa")  # phường Xuân Hòa (Phúc Yên), xã Xuân Hòa (Lập Thạch)
    assert two.communes == () and two.province.name == "Tỉnh Phú Thọ"
    assert "place.district" in two.problems[0].message and "phường Xuân Hòa" in two.problems[0].message
    assert now_names("Vĩnh Phúc", "", "phường Xuân Hòa") == ["Phường Xuân Hòa"]  # the kind says which
    wrong = resolve("Vĩnh Phúc", "huyện Tam Dương", "xã Trung Mỹ")
    assert [u.name for u in wrong.communes] == ["Xã Bình Tuyền"]  # resolved, with a warning on the district
    assert [p.field for p in wrong.problems] == ["district"] and "huyện Bình Xuyên" in wrong.problems[0].message
    unknown = resolve("Vĩnh Phúc", "huyện Bình Xuyen")
    assert unknown.problems[0].field == "district" and "'huyện Bình Xuyên'" in unknown.problems[0].message
    nowhere = resolve("Vĩnh Phúc", "", "xã Không Có Thật")
    assert [p.field for p in nowhere.problems] == ["commune"] and "did you mean" not in nowhere.problems[0].message


def test_a_former_province_covers_only_itself():
    """xã Đú Sáng was a commune of Hòa Bình, now in Phú Thọ: not of the former Vĩnh Phúc."""
    assert now_names("Phú Thọ", "", "xã Đú Sáng") == now_names("Hòa Bình", "", "xã Đú Sáng") == ["Xã Nật Sơn"]
    assert resolve("Vĩnh Phúc", "", "xã Đú Sáng").communes == ()


# --- what `check` says ---------------------------------------------------------------------------


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_check_warns_about_places_on_their_line_with_suggestions(tmp_path):
    project = make_project(tmp_path)
    edit(project, STORY_PATH, "commune: xã Tân Phong", "commune: xã Tân Phongg")
    edit(project, PROFILE_PATH, "province: Vĩnh Phúc}", "province: Vinh Phuc}")
    content, issues = validate_content(project)
    assert len(content.stories) == len(content.profiles) == 1  # warnings: both are kept
    story, profile = project / STORY_PATH, project / PROFILE_PATH
    got = {(i.path, i.line, i.field, i.severity): i.message for i in issues}
    commune = got[(story.resolve(), line_of(story, "xã Tân Phongg"), "place.commune", "warning")]
    assert "'xã Tân Phongg'" in commune and "'xã Tân Phong' (huyện Bình Xuyên, tỉnh Vĩnh Phúc" in commune
    province = got[(profile.resolve(), line_of(profile, "Vinh Phuc"), "place.province", "warning")]
    assert province.startswith("không có tỉnh, thành phố 'Vinh Phuc'") and "'tỉnh Vĩnh Phúc'" in province
    assert len(issues) == 2


def test_check_reads_a_story_place_as_of_its_date(tmp_path):
    """The original article's date when republished (2019 in the fixture), else the story's (2026)."""
    project = make_project(tmp_path)
    edit(project, STORY_PATH, "  commune: xã Tân Phong\n  district: huyện Bình Xuyên\n  province: Vĩnh Phúc",
         "  commune: xã Sông Lô\n  province: Phú Thọ")
    content, issues = validate_content(project)
    assert issues == [] and resolve_item(content.stories[0]).era == "old"  # written in 2019: the former one
    edit(project, STORY_PATH, "  date: 2019-05-10\n", "")
    content, issues = validate_content(project)
    assert issues == [] and resolve_item(content.stories[0]).era == "new"  # written in 2026: today's


# --- the built demo site -------------------------------------------------------------------------


def test_a_story_page_shows_the_place_as_written_then_today(page, demo_catalog):
    story = next(s for s in demo_catalog.stories if s.place and s.place.commune == "xã Trung Mỹ")
    meta = " ".join(page(story.url).select_one(".gs-article__meta").get_text(" ").split())
    assert "xã Trung Mỹ, huyện Bình Xuyên, Vĩnh Phúc (nay là xã Bình Tuyền, tỉnh Phú Thọ)" in meta
    seed = next(s for s in demo_catalog.stories if s.place and s.place.district and not s.place.commune)
    meta = " ".join(page(seed.url).select_one(".gs-article__meta").get_text(" ").split())
    assert "huyện Bình Xuyên, Vĩnh Phúc (nay là các xã Bình Nguyên, Bình Xuyên, Bình Tuyền và Xuân Lãng, tỉnh Phú Thọ)" in meta


def test_place_pages_are_todays_units_with_their_former_names(built_site, demo_catalog):
    doc = built_site.page("dia-phuong/phu-tho/xa-binh-tuyen/")
    assert " ".join(doc.h1.get_text(" ").split()) == "xã Bình Tuyền, Phú Thọ"
    assert doc.select_one(".gs-list-header__intro").get_text() == (
        "Trước ngày 1/7/2025: thị trấn Bá Hiến và xã Trung Mỹ (huyện Bình Xuyên, tỉnh Vĩnh Phúc).")
    trung_my = {s.url for s in demo_catalog.stories if s.place and s.place.commune == "xã Trung Mỹ"}
    cards = {built_site.links(a, "dia-phuong/phu-tho/xa-binh-tuyen/")[0] for a in doc.select(".gs-card")}
    assert trung_my and cards == trung_my
    index = built_site.page("dia-phuong/")
    notes = [n.get_text() for n in index.select(".gs-term-group__note")]
    assert "Từ ngày 1/7/2025, tỉnh Phú Thọ gồm các tỉnh Hòa Bình, Phú Thọ và Vĩnh Phúc." in notes


def test_former_place_addresses_redirect_to_todays_pages(built_site, demo_catalog, demo_config):
    pairs = dict(demo_catalog.place_redirects())
    assert pairs["dia-phuong/vinh-phuc/"] == "dia-phuong/phu-tho/"
    assert pairs["dia-phuong/vinh-phuc/xa-trung-my/"] == "dia-phuong/phu-tho/xa-binh-tuyen/"
    assert pairs["dia-phuong/an-giang/xa-my-hiep/"] == "dia-phuong/an-giang/xa-cu-lao-gieng/"
    assert sorted(built_site.html_urls(redirects=True)) == sorted(pairs)
    site_url = demo_config["site_url"].rstrip("/")
    for old, new in pairs.items():
        doc = built_site.page(old)
        refresh = doc.find("meta", attrs={"http-equiv": "refresh"})["content"]
        target = refresh.split("url=", 1)[1]
        assert refresh.startswith("0; ") and built_site.exists(new)
        assert [built_site.links(doc, old)[0]] == [new] and target == "../" * old.count("/") + new
        assert doc.find("link", rel="canonical")["href"] == f"{site_url}/{new}"
        assert doc.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    sitemap = built_site.file("sitemap.xml").read_text(encoding="utf-8")
    assert "dia-phuong/vinh-phuc/" not in sitemap and "dia-phuong/phu-tho/xa-binh-tuyen/" in sitemap

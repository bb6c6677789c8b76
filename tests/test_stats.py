"""Statistics: /thong-ke/ (SVG charts and tables), its CSV files and `site-builder stats`, checked
against the demo content counted here, independently, from the content files themselves."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import REPO, SITE_BUILDER, run_tool, site_path, story_text, text_of

#: Today's units of the demo's places as written (NQ 1676/NQ-UBTVQH15 §1, 86-89 for Phú Thọ; NQ 1683 §31,
#: NQ 1678 §37, NQ 1654 §33): (province, commune) -> (today's province, today's commune or None).
DEMO_PLACES = {
    ("Vĩnh Phúc", ""): ("Phú Thọ", None),
    ("Vĩnh Phúc", "xã Trung Mỹ"): ("Phú Thọ", "xã Bình Tuyền"),
    ("Vĩnh Phúc", "thị trấn Hương Canh"): ("Phú Thọ", "xã Bình Nguyên"),
    ("Vĩnh Phúc", "xã Sơn Lôi"): ("Phú Thọ", "xã Bình Nguyên"),
    ("Vĩnh Phúc", "xã Hương Sơn"): ("Phú Thọ", "xã Bình Xuyên"),
    ("Vĩnh Phúc", "xã Thiện Kế"): ("Phú Thọ", "xã Bình Xuyên"),
    ("Vĩnh Phúc", "xã Tân Phong"): ("Phú Thọ", "xã Xuân Lãng"),
    ("Phú Thọ", ""): ("Phú Thọ", None),
    ("Phú Thọ", "xã Hy Cương"): ("Phú Thọ", "xã Hy Cương"),
    ("Thái Nguyên", "xã La Bằng"): ("Thái Nguyên", "xã La Bằng"),
    ("Nghệ An", "xã Kim Liên"): ("Nghệ An", "xã Kim Liên"),
    ("An Giang", ""): ("An Giang", None),
    ("An Giang", "xã Mỹ Hiệp"): ("An Giang", "xã Cù Lao Giêng"),
}
KINDS = {"ca-nhan": "Cá nhân", "tap-the": "Tập thể", "mo-hinh": "Mô hình", "tin-tong-hop": "Tin tổng hợp"}
TITLES = {"loai": "Bài viết theo loại", "linh-vuc": "Bài viết theo lĩnh vực", "tinh": "Bài viết theo tỉnh, thành phố",
          "xa-phuong": "Bài viết theo xã, phường", "nam": "Bài viết theo năm", "phong-trao": "Bài viết theo phong trào",
          "khen-thuong": "Bài viết theo cấp khen thưởng"}


# --- the demo content, counted from its files ------------------------------------------------


def _norm(text: object) -> str:
    return unicodedata.normalize("NFC", " ".join(str(text).split())).casefold()


def _when(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return dt.datetime.strptime(str(value).strip(), "%Y-%m-%d %H:%M" if ":" in str(value) else "%Y-%m-%d")


def _vocabulary(name: str) -> dict[str, tuple[int, str]]:
    """Every way of writing a term (key, name, short name, alias) -> (its position, its name)."""
    out = {}
    terms = yaml.safe_load((REPO / "content" / "vocabularies" / f"{name}.yml").read_text(encoding="utf-8"))
    for i, term in enumerate(terms):
        for spelling in (term.get("key"), term["name"], term.get("short_name"), *(term.get("aliases") or ())):
            if spelling:
                out[_norm(spelling)] = (i, term["name"])
    return out


def counted(now: dt.datetime, year: int | None = None, old_province: str = "") -> dict[str, Counter]:
    """The demo's published stories counted straight from content/stories/*/*.md."""
    fields, campaigns, levels = _vocabulary("fields"), _vocabulary("campaigns"), _vocabulary("recognition_levels")
    tables = {key: Counter() for key in TITLES}
    for path in sorted((REPO / "content" / "stories").glob("*/*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])
        when = _when(front.get("publish_date") or front["date"])
        if front.get("draft") or when > now or (front.get("expires") and _when(front["expires"]) <= now):
            continue
        if year is not None and when.year != year:
            continue
        place = front.get("place")
        if old_province and (not place or place["province"] != old_province):
            continue
        kind = front["kind"]
        tables["loai"][KINDS.get(kind) or kind] += 1
        tables["nam"][str(when.year)] += 1
        names = front.get("fields") or []
        tables["linh-vuc"].update({fields[_norm(n)][1] for n in names})
        if front.get("campaign"):
            tables["phong-trao"][campaigns[_norm(front["campaign"])][1]] += 1
        tables["khen-thuong"].update({levels[_norm(r["level"])][1] for r in front.get("recognition") or ()})
        if place:
            written = (place["province"], place.get("commune", ""))
            assert written in DEMO_PLACES, f"{path.name}: add {written} to DEMO_PLACES (what it is today)"
            province, commune = DEMO_PLACES[written]
            tables["tinh"][province] += 1
            if commune:
                tables["xa-phuong"][f"{commune}|{province}"] += 1
    return tables


def _level_order() -> dict[str, int]:
    return {name: i for i, name in _vocabulary("recognition_levels").values()}


# --- the statistics module, the page, the CSV files -----------------------------------------------


def figures(rows) -> Counter:
    """Counter of label (commune: "label|province") -> count from (group, label, count) rows."""
    return Counter({f"{label}|{group}" if group else label: int(str(count).replace(".", "")) for group, label, count in rows})


def test_compute_agrees_with_the_content(demo_catalog, build_now):
    from site_builder.i18n import in_language
    from site_builder.stats import compute

    stats = compute(demo_catalog)
    expected = counted(build_now)
    assert stats.stories == sum(expected["loai"].values()) == len(demo_catalog.stories)
    assert [t.key for t in stats.tables] == list(TITLES)
    for table in stats.tables:
        assert in_language(table.title, "vi") == TITLES[table.key]
        assert figures((r.group, r.label, r.count) for r in table.rows) == expected[table.key], table.key
    by_key = {t.key: t for t in stats.tables}
    assert [r.label for r in by_key["nam"].rows] == sorted(expected["nam"])  # oldest first
    assert [r.label for r in by_key["loai"].rows] == [n for n in KINDS.values() if n in expected["loai"]]
    order = _level_order()
    assert [r.label for r in by_key["khen-thuong"].rows] == sorted(expected["khen-thuong"], key=order.get)
    counts = [r.count for r in by_key["linh-vuc"].rows]
    assert counts == sorted(counts, reverse=True)  # most first


def test_filters_by_year_and_by_a_former_province(demo_catalog, build_now):
    from site_builder.stats import UnknownProvince, compute

    for year in (2024, 2025):
        stats = compute(demo_catalog, year=year)
        assert figures((r.group, r.label, r.count) for r in stats.tables[0].rows) == counted(build_now, year)["loai"]
    vinh_phuc = compute(demo_catalog, province="Vĩnh Phúc")  # a province before the reform
    assert vinh_phuc.province == "tỉnh Vĩnh Phúc"
    assert figures((r.group, r.label, r.count) for r in vinh_phuc.tables[3].rows) == counted(
        build_now, old_province="Vĩnh Phúc")["xa-phuong"]
    phu_tho = compute(demo_catalog, province="tỉnh Phú Thọ")  # today's: Vĩnh Phúc's stories too
    assert phu_tho.province == "tỉnh Phú Thọ" and phu_tho.stories == counted(build_now)["tinh"]["Phú Thọ"]
    with pytest.raises(UnknownProvince, match="'tỉnh Vĩnh Phúc'"):
        compute(demo_catalog, province="Vinh Phuc")


def _page_tables(doc) -> dict[str, list[tuple[str, str, str]]]:
    out = {}
    for section in doc.select("section.gs-stats"):
        rows = []
        for tr in section.select("tbody tr"):
            cells = tr.find_all(["td", "th"])
            group = text_of(cells[0]) if len(cells) == 3 else ""
            rows.append((group, text_of(tr.th), text_of(tr.select_one("td.gs-num"))))
        out[section["id"]] = rows
    return out


def test_the_statistics_page_agrees_with_the_content(page, build_now):
    doc = page("thong-ke/")
    expected = counted(build_now)
    assert text_of(doc.h1) == "Thống kê"
    tables = _page_tables(doc)
    assert list(tables) == list(TITLES)
    for key, rows in tables.items():
        assert figures(rows) == expected[key], key
        section = doc.find("section", id=key)
        assert text_of(section.h2) == TITLES[key] == text_of(section.table.caption)
        headers = [text_of(th) for th in section.select("thead th")]
        assert headers[-1] == "Số bài viết" and (len(headers) == 3) == (key == "xa-phuong")
        link = section.select_one(".gs-stats__download a")
        assert site_path("thong-ke/", link["href"]) == f"thong-ke/{key}.csv" and link.has_attr("download")
    assert not doc.find("script", src=lambda s: s and "chart" in s)  # charts are drawn at build time


def test_charts_are_accessible_svg_with_the_same_figures(page, build_now):
    doc = page("thong-ke/")
    expected = counted(build_now)
    for key in TITLES:
        section = doc.find("section", id=key)
        svg = section.find("svg")
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        title, desc = svg.find("title", id=title_id), svg.find("desc", id=desc_id)
        assert text_of(title) == TITLES[key]
        rows = _page_tables(doc)[key]
        shown = rows[:20]
        labels = [text_of(t) for t in svg.select("text.gs-chart__label")]
        values = [int(text_of(t)) for t in svg.select("text.gs-chart__value")]
        assert values == [int(c) for _g, _l, c in shown]  # the same figures, in the table's order
        assert all(len(a) <= 48 and (a == f"{l}, {g}" if g else a == l) or a.endswith("…")
                   for a, (g, l, _c) in zip(labels, shown))
        for group, label, count in shown:
            assert f"{label}, {group}: {count}" in text_of(desc) if group else f"{label}: {count}" in text_of(desc)
        widths = [float(r["width"]) for r in svg.select("rect.gs-chart__bar")]
        assert widths[values.index(max(values))] == max(widths)  # the largest value has the longest bar
        assert sum(expected[key].values()) == sum(int(c) for _g, _l, c in rows)


def test_csv_files_open_with_the_csv_module_with_the_same_figures(built_site, build_now):
    expected = counted(build_now)
    for key in TITLES:
        data = built_site.file(f"thong-ke/{key}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads Vietnamese
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        header, body = rows[0], rows[1:]
        assert header[-1] == "Số bài viết"
        if key == "xa-phuong":
            assert header == ["Tỉnh, thành phố", "Xã, phường", "Số bài viết"]
            got = figures((g, label, n) for g, label, n in body)
        else:
            got = figures(("", label, n) for label, n in body)
        assert got == expected[key], key
    assert data.endswith(b"\r\n")


def test_stats_command_prints_the_same_tables(build_now):
    result = run_tool(SITE_BUILDER, "-f", REPO / "mkdocs.yml", "stats")
    assert result.returncode == 0, result.stderr
    expected = counted(build_now)
    total = sum(expected["loai"].values())
    assert result.stdout.splitlines()[0] == f"Thống kê: {total} bài viết"
    for title in TITLES.values():
        assert title in result.stdout
    assert re.search(r"Phú Thọ\s*│\s*xã Bình Tuyền\s*│\s*" + str(expected["xa-phuong"]["xã Bình Tuyền|Phú Thọ"]),
                     result.stdout)

    result = run_tool(SITE_BUILDER, "-f", REPO / "mkdocs.yml", "stats", "--csv", "--year", "2024",
                      "--province", "Vĩnh Phúc")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert rows[0] == ["Bảng", "Tỉnh, thành phố", "Mục", "Số bài viết"]
    expected = counted(build_now, 2024, "Vĩnh Phúc")
    for key, title in TITLES.items():
        assert figures((g, label, n) for t, g, label, n in rows[1:] if t == title) == expected[key], key


def test_stats_command_says_what_is_wrong(tmp_path):
    result = run_tool(SITE_BUILDER, "-f", REPO / "mkdocs.yml", "stats", "--province", "Vinh Phuc")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("Lỗi: không có tỉnh, thành phố 'Vinh Phuc'") and "'tỉnh Vĩnh Phúc'" in result.stderr
    result = run_tool(SITE_BUILDER, "-f", REPO / "mkdocs.yml", "--lang", "en", "stats", "--year", "2025")
    assert result.returncode == 0 and "Stories by field" in result.stdout and "Stories" in result.stdout


# --- hostile names, a place split by the reform: a throw-away site ---------------------------------

HOSTILE = '</script><script>alert(1)</script> "Trích" & <b>đậm</b>'


def test_hostile_names_round_trip_in_charts_tables_and_csv(tmp_project):
    from bs4 import BeautifulSoup

    tmp_project.add_story("ten-la", story_text("Tên lạ", "2024-05-01 08:00", extra=(
        f"place:\n  province: {yaml_quote(HOSTILE)}\n  commune: {yaml_quote(HOSTILE)}")))
    tmp_project.add_story("van-khe", story_text("Văn Khê", "2024-05-02 08:00", extra=(
        "place:\n  province: Hà Nội\n  district: huyện Mê Linh\n  commune: xã Văn Khê")))
    result = tmp_project.build()
    assert result.returncode == 0, result.stderr
    assert "place.province: cảnh báo: không có tỉnh, thành phố" in result.stderr  # a warning, the build goes on
    site = tmp_project.root / "site"
    doc = BeautifulSoup((site / "thong-ke" / "index.html").read_text(encoding="utf-8"), "html.parser")
    province = doc.find("section", id="tinh")
    assert HOSTILE in [r.th.get_text() for r in province.select("tbody tr")]
    assert HOSTILE[:47].rstrip() + "…" in [t.get_text() for t in province.select("svg text.gs-chart__label")]
    assert f"{HOSTILE}: 1" in province.find("desc").get_text()
    assert doc.find("script", string=re.compile("alert")) is None
    rows = list(csv.reader(io.StringIO((site / "thong-ke" / "tinh.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert [HOSTILE, "1"] in rows
    communes = list(csv.reader(io.StringIO((site / "thong-ke" / "xa-phuong.csv").read_text(encoding="utf-8-sig"))))
    assert [HOSTILE, HOSTILE, "1"] in communes
    # xã Văn Khê was split among four communes: counted once in each, and its page says so
    assert {tuple(r) for r in communes if r[0] == "Hà Nội"} == {
        ("Hà Nội", name, "1") for name in ("xã Mê Linh", "xã Ô Diên", "xã Yên Lãng", "xã Tiến Thắng")}
    story = BeautifulSoup((site / "bai-viet" / "van-khe" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert text_of(story.select_one(".gs-place-now")) == (
        "(nay là các xã Mê Linh, Ô Diên, Yên Lãng và Tiến Thắng, thành phố Hà Nội)")


def yaml_quote(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, default_style='"', width=10_000).strip()


def test_stats_reads_content_as_the_build_does(tmp_path):
    """An old address written as a full URL of the site needs the site's address to be read; `stats`
    must not refuse what `build` accepts."""
    from conftest import TmpProject

    project = TmpProject(tmp_path / "p")
    project.add_story("bai", story_text("Bài có địa chỉ cũ", "2026-03-14 08:30",
                                        extra="aliases: ['https://guongsang.example.vn/tin-tuc/bai-cu.html']"))
    result = run_tool(SITE_BUILDER, "-f", project.config, "stats", cwd=project.root)
    assert result.returncode == 0, result.stderr
    assert "1 bài viết" in result.stdout

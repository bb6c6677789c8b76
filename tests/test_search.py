"""Site search: Vietnamese folding, Pagefind records from a small catalog, bundles and the driver."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import unicodedata
from pathlib import Path

import pytest

from conftest import PAGEFIND_CRASH_VI, low_memory_pagefind
from site_builder.catalog import build_catalog
from site_builder.content.models import (
    ContentSet, Kind, Person, Place, Profile, Story, Term, Vocabulary,
)
import site_builder.search.pagefind_runner as runner
from site_builder.search import (
    FILTERS, META_WEIGHTS, POLL, SearchIndex, SearchIndexError, build_search_index, compat, plan_shards,
    profile_record, records, shard_sizes, story_record,
)
from site_builder.search.bundle_meta import MetaFormatError, chunks_of, decode_meta, index_chunks, read_meta
from site_builder.search.pagefind_runner import Record, find_binary, index_records
from site_builder.search.text import MARK, index_key, markdown_text, searchable, shown
from site_builder.vietnamese import fold, normalize_tone_placement

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "themes" / "guong-sang" / "assets" / "search.js"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- folding rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Đảng", "dang"), ("đảng", "dang"), ("ĐẢNG", "dang"), ("đồng", "dong"), ("Điện", "dien"),
        ("viên", "vien"), ("Mỹ", "my"), ("Phượng", "phuong"), ("hoà", "hoa"), ("hòa", "hoa"),
        ("quý", "quy"), ("2026", "2026"),
    ],
)
def test_index_key_is_the_folded_word(text, key):
    """What Pagefind files a word under (its alphanumerics, marks stripped) is `fold` of it: đ → d too."""
    assert index_key(searchable(text)) == key == fold(text)


def test_d_with_stroke_is_written_as_d_and_a_mark():
    assert searchable("Đảng viên đi đầu") == f"D{MARK}ảng viên d{MARK}i d{MARK}ầu"
    assert "đ" not in searchable("đđ") and "Đ" not in searchable("ĐĐ")


def test_the_mark_is_alphabetic_and_combining():
    """Why U+0345: Pagefind keeps alphabetic characters in the exact form it ranks by, and
    strips combining marks from the folded key."""
    assert unicodedata.category(MARK) == "Mn" and unicodedata.combining(MARK)
    assert unicodedata.name(MARK) == "COMBINING GREEK YPOGEGRAMMENI"  # Other_Alphabetic in Unicode


@pytest.mark.parametrize("text", ["Đảng viên", "Hòa Bình", "Phú Thọ, Đà Nẵng", "ĐOÀN THANH NIÊN", "đ", "Đ"])
def test_shown_inverts_searchable(text):
    assert shown(searchable(text)) == text
    assert MARK not in shown(searchable(text))


def test_old_and_new_tone_placement_give_the_same_text():
    assert searchable("hoà thuận, khoẻ mạnh, thuý") == searchable("hòa thuận, khỏe mạnh, thúy")
    assert searchable("Hoà") == "Hòa"
    assert searchable("hoàng, toán, quý, quỳ") == "hoàng, toán, quý, quỳ"  # both styles agree


def test_nfd_input_is_normalised():
    text = "Đảng viên xã Trung Mỹ hoà nhập"
    assert searchable(nfd(text)) == searchable(text)
    assert unicodedata.is_normalized("NFC", searchable(nfd(text)))
    assert index_key(searchable(nfd("Phượng"))) == "phuong"


def test_shown_text_is_new_style_nfc():
    assert shown(searchable(nfd("hoà"))) == normalize_tone_placement("hoà") == "hòa"


def test_js_query_rules_match_python():
    """assets/search.js mirrors `searchable` (checked in the browser by test_browser_search)."""
    source = JS.read_text(encoding="utf-8")
    assert 'var MARK = "\\u0345";' in source
    assert "àảãáạÀẢÃÁẠèẻẽéẹÈẺẼÉẸỳỷỹýỵỲỶỸÝỴ" in source
    for name, weight in META_WEIGHTS.items():
        assert f"{name}: {weight:g}" in source, f"META_WEIGHTS {name} differs in search.js"


# --- Markdown to text ---------------------------------------------------------------------


def test_markdown_text_keeps_words_only():
    md = (
        "## Một tiêu đề\n\nĐoạn **đậm** và _nghiêng_, [liên kết](https://x.vn/a) và ![ảnh đẹp](2026/a.jpg).\n\n"
        "- mục một\n- mục hai\n\n> trích dẫn\n\n| a | b |\n|---|---|\n| ô 1 | ô 2 |\n\n<!-- ghi chú -->\n"
        "Xem https://example.vn/x {: .lead }\n"
    )
    text = markdown_text(md)
    assert text == (
        "Một tiêu đề Đoạn đậm và nghiêng, liên kết và ảnh đẹp . mục một mục hai trích dẫn a b ô 1 ô 2 Xem"
    )


# --- records from a small catalog ---------------------------------------------------------

NOW = dt.datetime(2026, 11, 1, 12, 0)


def small_content() -> ContentSet:
    fields = Vocabulary("fields", (Term("xay-dung-dang", "Xây dựng Đảng"), Term("moi-truong", "Môi trường")))
    orgs = Vocabulary("organisations", (Term("doan-xa", "Đoàn xã Trung Mỹ"),))
    place = Place("Vĩnh Phúc", "xã Trung Mỹ", "huyện Bình Xuyên")
    stories = [
        Story(
            path=Path("/s/a.md"), slug="dang-vien-tre", title="Đảng viên trẻ ở Trung Mỹ", date=dt.datetime(2026, 3, 14, 8, 30),
            summary="Anh là đảng viên gương mẫu.", kind=Kind.PERSON,
            body="## Làm theo Bác\n\nNgày nào anh cũng **hoà** mình với bà con.", body_line=1,
            people=(Person("Đỗ Minh Quân", profile="do-minh-quan"),), organisation="doan-xa", place=place,
            fields=("xay-dung-dang",),
        ),
        Story(
            path=Path("/s/b.md"), slug="rac-thai", title="Phân loại rác", date=dt.datetime(2025, 6, 1, 7, 0),
            summary="Mô hình môi trường.", kind=Kind.MODEL, body="Nội dung.", body_line=1,
            place=Place("Nghệ An"), fields=("moi-truong",),
        ),
    ]
    profiles = [
        Profile(path=Path("/p/q.md"), slug="do-minh-quan", name="Đỗ Minh Quân", kind=Kind.PERSON,
                summary="Bí thư đoàn xã.", body="Tiểu sử.", body_line=1, role="Bí thư Đoàn", place=place,
                fields=("xay-dung-dang",), organisation="doan-xa"),
    ]
    return ContentSet(stories=stories, profiles=profiles, vocabularies={"fields": fields, "organisations": orgs})


@pytest.fixture(scope="module")
def catalog():
    return build_catalog(small_content(), NOW)


def test_story_record(catalog):
    story = catalog.story_by_slug["dang-vien-tre"]
    record = story_record(story, catalog)
    assert record.url == "bai-viet/dang-vien-tre/"
    assert record.language == "vi"
    assert record.filters == {  # today's units (2025 reform)
        "kind": ["Cá nhân"], "field": ["Xây dựng Đảng"], "province": ["Phú Thọ"],
        "commune": ["xã Bình Tuyền, Phú Thọ"], "year": ["2026"],
    }
    assert set(record.filters) <= set(FILTERS)
    assert record.sort == {"date": "2026-03-14T08:30"}  # the only sort key
    assert shown(record.meta["title"]) == "Đảng viên trẻ ở Trung Mỹ"
    assert shown(record.meta["people"]) == "Đỗ Minh Quân"
    # the old and the new name both find it
    assert shown(record.meta["place"]) == "xã Trung Mỹ, huyện Bình Xuyên, Vĩnh Phúc; nay là xã Bình Tuyền, tỉnh Phú Thọ"
    assert {"trung", "my", "binh", "tuyen", "vinh", "phuc", "phu", "tho"} <= {
        index_key(w) for w in record.meta["place"].split()}
    assert shown(record.meta["org"]) == "Đoàn xã Trung Mỹ"
    assert record.meta["date"] == "14/03/2026"
    assert set(record.meta) <= set(META_WEIGHTS)  # every meta field is searched: all have a weight


def test_folded_copy_is_indexed_but_never_shown(catalog):
    record = story_record(catalog.story_by_slug["dang-vien-tre"], catalog)
    indexed = {index_key(w) for w in record.content.split()} | {index_key(w) for w in record.meta["title"].split()}
    assert {"dang", "vien", "lam", "theo", "bac", "hoa"} <= indexed  # "dang vien" finds "Đảng viên"
    displayed = shown(record.content)
    assert displayed == "Anh là đảng viên gương mẫu. Làm theo Bác Ngày nào anh cũng hòa mình với bà con."
    assert MARK not in displayed and "dang" not in displayed.lower().split()


def test_profile_record(catalog):
    record = profile_record(catalog.profile_by_slug["do-minh-quan"], catalog)
    assert record.url == "ho-so/do-minh-quan/"
    assert shown(record.meta["title"]) == "Đỗ Minh Quân"
    assert shown(record.meta["kind"]) == "Hồ sơ cá nhân"
    assert record.filters["kind"] == ["Hồ sơ cá nhân"]
    assert record.filters["field"] == ["Xây dựng Đảng"]
    assert (record.filters["province"], record.filters["commune"]) == (["Phú Thọ"], ["xã Bình Tuyền, Phú Thọ"])
    assert "year" not in record.filters and record.sort == {}
    assert shown(record.content).startswith("Bí thư đoàn xã. Bí thư Đoàn Tiểu sử.")


def test_records_cover_every_published_story_and_profile(catalog):
    urls = [r.url for r in records(catalog)]
    assert urls == ["bai-viet/dang-vien-tre/", "bai-viet/rac-thai/", "ho-so/do-minh-quan/"]


def test_plan_shards_one_bundle_for_small_sites(catalog):
    shards = plan_shards(catalog, shard_size=10, first_size=10)
    assert [(s.key, len(s.stories), s.profiles) for s in shards] == [("", 2, True)]
    assert [(s.key, len(s.stories)) for s in plan_shards(catalog)] == [("", 2)]  # defaults: 1,000 stories first


def test_shard_sizes_double_from_the_first_up_to_the_cap():
    assert shard_sizes(100_000) == [1000, 2000, 4000] + [5000] * 19
    assert shard_sizes(10_000, first_size=1000, shard_size=5000) == [1000, 2000, 4000, 5000]
    assert shard_sizes(3, first_size=1000) == [1000]
    assert shard_sizes(0) == [0]
    assert sum(shard_sizes(12_345)) >= 12_345


def _dated_catalog(days: dict[dt.date, int]):
    content = small_content()
    base = content.stories[1]
    content.stories = [
        Story(path=Path(f"/s/{d}-{i}.md"), slug=f"s-{d}-{i}", title=f"Bài {i}",
              date=dt.datetime(d.year, d.month, d.day, 8, i), summary="s", kind=Kind.MODEL, body="", body_line=1,
              place=base.place)
        for d, n in days.items() for i in range(n)
    ]
    return build_catalog(content, NOW)


def test_plan_shards_newest_first_growing_and_never_cutting_a_day():
    days = {dt.date(2026, 3, 1): 2, dt.date(2026, 2, 1): 2, dt.date(2026, 1, 1): 3, dt.date(2025, 12, 1): 1,
            dt.date(2025, 11, 1): 4, dt.date(2025, 10, 1): 1, dt.date(2025, 9, 1): 5}
    catalog = _dated_catalog(days)
    shards = plan_shards(catalog, shard_size=4, first_size=3)
    # targets 3, 4, 4, 4...; a bundle takes the rest of the day of its last story
    assert [len(s.stories) for s in shards] == [4, 4, 4, 6]
    assert [s.key for s in shards] == ["", "1", "2", "3"]
    assert [s.profiles for s in shards] == [True, False, False, False]
    flat = [s.slug for shard in shards for s in shard.stories]
    assert flat == [s.slug for s in catalog.stories]  # newest first, each story once
    for newer, older in zip(shards, shards[1:]):
        assert newer.stories[-1].published_at.date() > older.stories[0].published_at.date()


# --- Pagefind bundles -----------------------------------------------------------------------


def _build(catalog, tmp_path, **kwargs) -> tuple[SearchIndex, Path]:
    """Build the index in a cache of its own and publish it into tmp_path/site; returns it and site/pagefind."""
    index = build_search_index(catalog, ROOT, cache_dir=tmp_path / "cache", **kwargs)
    index.publish(tmp_path / "site")
    return index, tmp_path / "site" / "pagefind"


def test_build_search_index_writes_one_bundle(catalog, tmp_path):
    index, bundle = _build(catalog, tmp_path)
    manifest = json.loads((bundle / "gs-search.json").read_text(encoding="utf-8"))
    assert index.manifest_path == "pagefind/gs-search.json" and json.loads(index.manifest) == manifest
    [primary] = manifest["bundles"]
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    lang = entry["languages"]["vi"]["hash"]
    assert {k: primary[k] for k in ("path", "stories", "profiles", "from", "to", "meta", "wasm")} == {
        "path": "", "stories": 2, "profiles": 1, "from": "2025-06-01", "to": "2026-03-14",
        "meta": f"pagefind.{lang}.pf_meta", "wasm": "wasm.unknown.pagefind",
    }
    assert primary["tag"] and primary["tag"] != lang  # Pagefind's metaCacheTag: the bundle's cache key
    assert (bundle / primary["meta"]).is_file() and (bundle / primary["wasm"]).is_file()
    assert primary["chunks"] and all((bundle / "index" / f"{h}.pf_index").is_file() for _, _, h in primary["chunks"])
    assert manifest["version"] == index.report.version == "1.6.0"
    assert index.report.records == 3 and index.report.bundles == 1 and index.report.reused == 0
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    assert not (bundle / "pagefind-ui.js").exists() and not (bundle / "pagefind-component-ui.js").exists()
    assert not (bundle / "pagefind-worker.js").exists()  # search.js runs Pagefind without its worker
    assert entry["languages"]["vi"]["page_count"] == 3
    published = sorted(p.relative_to(bundle.parent).as_posix() for p in bundle.rglob("*") if p.is_file())
    assert published == sorted([path for path, _ in index.files] + [index.manifest_path])
    assert index.report.bytes_on_disk == sum((bundle.parent / p).stat().st_size for p in published)


def test_the_index_is_built_in_the_cache_and_only_published_into_the_site(catalog, tmp_path, monkeypatch):
    """build_search_index writes nothing into a site: it returns cache files (absolute paths) to publish."""
    cache = tmp_path / "cache"
    monkeypatch.chdir(tmp_path)
    index = build_search_index(catalog, ROOT, cache_dir=Path("cache"))
    assert list(tmp_path.iterdir()) == [cache]
    assert all(source.is_absolute() and source.is_file() and source.is_relative_to(cache) for _, source in index.files)
    assert all(path.startswith("pagefind/") for path, _ in index.files)
    index.publish(tmp_path / "site")
    for path, source in index.files:  # hard links to the cache entry (copies across file systems)
        assert (tmp_path / "site" / path).read_bytes() == source.read_bytes()
        assert (tmp_path / "site" / path).stat().st_ino == source.stat().st_ino


def test_pagefind_js_polls_for_its_webassembly_briefly(catalog, tmp_path):
    """The pinned Pagefind polls every 50 ms until its WebAssembly is ready; the build shortens it."""
    _, bundle = _build(catalog, tmp_path)
    script = (bundle / "pagefind.js").read_text(encoding="utf-8")
    assert POLL[0] not in script and script.count(POLL[1]) == compat.POLL_COUNT


def test_the_poll_is_patched_only_where_it_was_verified():
    text = "a;asyncSleep(50);b;asyncSleep(50);c"
    assert compat.patch_pagefind_js(text, "1.6.0") == "a;asyncSleep(4);b;asyncSleep(4);c"
    assert compat.patch_pagefind_js(text, "1.7.0") == text  # another Pagefind: its own pagefind.js
    assert compat.patch_pagefind_js(text.replace("b;asyncSleep(50);", ""), "1.6.0") == text.replace(
        "b;asyncSleep(50);", "")  # not the text that was verified: left alone


def test_index_chunks_of_the_manifest_are_the_metadata_chunks(catalog, tmp_path):
    _, bundle = _build(catalog, tmp_path)
    primary = json.loads((bundle / "gs-search.json").read_text(encoding="utf-8"))["bundles"][0]
    meta = read_meta(bundle / primary["meta"])
    assert meta[0] == "1.6.0"
    assert len(meta[1]) == 3  # pages
    assert primary["chunks"] == index_chunks(bundle / primary["meta"])
    chunks = primary["chunks"]
    assert all(c[0] <= c[1] for c in chunks) and all(a[1] < b[0] for a, b in zip(chunks, chunks[1:]))
    with pytest.raises(MetaFormatError):
        read_meta(bundle / "pagefind-entry.json")


def test_metadata_that_is_not_as_verified_is_an_error_naming_the_file(catalog, tmp_path):
    _, bundle = _build(catalog, tmp_path)
    primary = json.loads((bundle / "gs-search.json").read_text(encoding="utf-8"))["bundles"][0]
    name = primary["meta"]
    raw = gzip.decompress((bundle / name).read_bytes())
    for broken, why in ((raw[: len(raw) // 2], "truncated"), (raw[:12] + b"\xff", "truncated or not CBOR"),
                        (b"{}", "not gzip"), (gzip.compress(b"{}"), "no Pagefind signature"),
                        (raw[:12] + b"\x82\x01\x02", "not a Pagefind 1.6 metadata file")):
        with pytest.raises(MetaFormatError, match=f"^{name}: {why}"):
            decode_meta(broken, name)
    with pytest.raises(MetaFormatError, match=f"^{name}: unexpected index chunk list"):
        chunks_of(["1.6.0", [], [["a", "b"]]], name)
    files = {"pagefind-entry.json": (bundle / "pagefind-entry.json").read_bytes(),
             name: gzip.compress(raw[: len(raw) // 2]), primary["wasm"]: b"wasm"}
    with pytest.raises(SearchIndexError, match=rf"không đọc được siêu dữ liệu của Pagefind \({name}: truncated"):
        compat.bundle_details(files, "1.6.0", primary=True)
    assert compat.bundle_details(files, "1.7.0", primary=True) == {}  # another Pagefind: not read at all


def test_smaller_index_chunks_through_the_environment(tmp_path):
    """Pagefind 1.6.0 reads its chunk target from PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE."""
    items = [Record(url=f"r/{i}/", content=" ".join(f"tu{i}x{j} chung" for j in range(40)), meta={"title": f"Bài {i}"},
                    filters={}, sort={}) for i in range(200)]
    exe = find_binary(ROOT)
    env = compat.chunk_size_env("1.6.0", 500, dict(os.environ))
    default = sum(p.startswith("index/") for p in index_records(items, exe).files)
    small = sum(p.startswith("index/") for p in index_records(items, exe, env).files)
    assert small > 2 * default, (small, default)
    assert compat.chunk_size_env("1.7.0", 500, dict(os.environ)) is None  # not for an unverified Pagefind


def test_build_search_index_writes_older_bundles_below_the_primary(tmp_path):
    content = small_content()
    content.stories = [
        Story(path=Path(f"/s/{i}.md"), slug=f"s-{i}", title=f"Bài {i}", date=dt.datetime(2024 + i % 2, 3, 1 + i),
              summary="s", kind=Kind.MODEL, body="", body_line=1)
        for i in range(6)
    ]
    catalog = build_catalog(content, NOW)
    index, bundle = _build(catalog, tmp_path, shard_size=3, first_size=3)
    manifest = json.loads((bundle / "gs-search.json").read_text(encoding="utf-8"))
    assert [b["path"] for b in manifest["bundles"]] == ["", "1/"]
    assert [(b["stories"], b["profiles"]) for b in manifest["bundles"]] == [(3, 1), (3, 0)]
    older = bundle / "1"
    assert (older / "pagefind-entry.json").is_file() and not (older / "pagefind.js").exists()
    assert (older / manifest["bundles"][1]["meta"]).is_file()
    assert "chunks" not in manifest["bundles"][1]  # only the primary bundle's are preloaded
    assert index.report.records == 7 and index.report.bundles == 2
    assert len({b["tag"] for b in manifest["bundles"]}) == 2


def test_a_site_with_nothing_published_has_an_empty_index(tmp_path):
    content = small_content()
    content.stories, content.profiles = [], []
    index, bundle = _build(build_catalog(content, NOW), tmp_path)
    [primary] = json.loads(index.manifest)["bundles"]
    assert (primary["stories"], primary["profiles"], primary["from"]) == (0, 0, "")
    assert "meta" not in primary and "chunks" not in primary  # nothing for search.js to fetch early
    assert json.loads((bundle / "pagefind-entry.json").read_bytes())["languages"] == {}


def test_an_unverified_pagefind_gets_plain_bundles(catalog, tmp_path, monkeypatch, capsys):
    """A Pagefind version the build was not checked with: no chunk size, no patch, no file names or
    chunk list in the manifest (search.js then loads Pagefind plainly), and the build says so once."""
    import site_builder.search as search

    monkeypatch.setattr(search, "binary_version", lambda binary: "1.7.0")
    compat._warned.discard("1.7.0")
    index, bundle = _build(catalog, tmp_path)
    _build(catalog, tmp_path / "again")
    assert capsys.readouterr().err.count("tìm kiếm: Pagefind 1.7.0 chưa được kiểm tra với chương trình dựng trang "
                                         "(đã kiểm tra: 1.6.0)") == 1
    manifest = json.loads(index.manifest)
    assert manifest["version"] == "1.7.0"
    [primary] = manifest["bundles"]
    assert set(primary) == {"path", "stories", "profiles", "from", "to", "tag"}
    assert POLL[0] in (bundle / "pagefind.js").read_text(encoding="utf-8")
    assert not (bundle / "pagefind-worker.js").exists() and not (bundle / "pagefind-ui.js").exists()
    assert compat.page_preloads("1.7.0") == () and compat.page_preloads("1.6.0") == ("pagefind/wasm.unknown.pagefind",)


def test_search_js_verifies_the_same_pagefind_versions():
    source = JS.read_text(encoding="utf-8")
    listed = re.search(r"var VERIFIED = \[([^\]]*)\];", source)
    assert listed is not None
    assert tuple(json.loads(f"[{listed.group(1)}]")) == compat.VERIFIED


def test_binary_discovery(monkeypatch, tmp_path):
    npm = tmp_path / "node_modules" / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
    npm.parent.mkdir(parents=True)
    npm.write_text("")
    npm.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(npm))
    assert find_binary(tmp_path / "elsewhere") == npm  # the environment first
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "missing"))
    with pytest.raises(SearchIndexError, match="PAGEFIND_BINARY_PATH đang là .*missing, không phải tệp chạy được: "
                                               "hãy sửa lại hoặc bỏ biến này"):
        find_binary(tmp_path)
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    assert find_binary(tmp_path) == npm
    assert find_binary(tmp_path, npm.relative_to(tmp_path)) == npm


def test_no_binary_stops_the_build_saying_what_to_run(monkeypatch, tmp_path):
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    monkeypatch.setattr(runner, "CHECKOUT", tmp_path / "checkout")
    with pytest.raises(SearchIndexError, match=r"không tìm thấy chương trình Pagefind \(đã tìm .*pagefind_extended.*\): "
                                               r"hãy chạy `make search-deps`"):
        find_binary(tmp_path / "project")
    with pytest.raises(SearchIndexError, match="make search-deps"):
        build_search_index(small_catalog(), tmp_path / "project")


def small_catalog():
    return build_catalog(small_content(), NOW)


def test_records_go_through_the_service_protocol():
    """500 records, sent while the answers are read; the binary's peak memory is measured."""
    items = [Record(url=f"r/{i}/", content=f"nội dung số {i}", meta={"title": f"Bài {i}"}, filters={}, sort={})
             for i in range(500)]
    made = index_records(items, find_binary(ROOT))
    assert made.records == 500 and made.peak_rss_kb > 0
    entry = json.loads(made.files["pagefind-entry.json"])
    assert entry["version"] == "1.6.0" and entry["languages"]["vi"]["page_count"] == 500
    assert all(content for content in made.files.values())


def test_a_record_pagefind_refuses_is_named():
    items = [Record(url="a/", content="một", meta={"title": "A"}, filters={}, sort={}),
             Record(url="b/", content="hai", meta={"title": 2}, filters={}, sort={})]  # not a string
    with pytest.raises(SearchIndexError, match=r"Pagefind từ chối bản ghi của b/ \(.*invalid type.*\): hãy báo cho bộ "
                                               r"phận kỹ thuật"):
        index_records(items, find_binary(ROOT))


def test_a_crashed_binary_is_reported_with_its_bundle(tmp_path):
    with pytest.raises(SearchIndexError, match=r"^gói tìm kiếm chính \(pagefind/: 2 bài viết từ 01/06/2025 đến "
                                               r"14/03/2026 và 1 hồ sơ, 3 bản ghi\): " + PAGEFIND_CRASH_VI + "$"):
        build_search_index(small_catalog(), ROOT, binary=low_memory_pagefind(tmp_path), cache_dir=tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("*"))  # nothing cached


def test_a_bad_bundle_is_never_cached(tmp_path, monkeypatch):
    """A bundle Pagefind returned damaged (here: an empty entry file, as Pagefind 1.5.2's late writes
    left it) fails the build, naming the bundle, and is not cached: the next build indexes it again.
    (Cached before being checked, it used to fail every build until .cache/ was deleted.)"""
    import site_builder.search as search

    real = search.index_records

    def damaged(*args, **kwargs):
        made = real(*args, **kwargs)
        made.files["pagefind-entry.json"] = b""
        return made

    monkeypatch.setattr(search, "index_records", damaged)
    with pytest.raises(SearchIndexError, match=r"^gói tìm kiếm chính \(pagefind/: .*\): Pagefind trả về tệp rỗng "
                                               r"pagefind-entry.json: hãy chạy lại lệnh"):
        build_search_index(small_catalog(), ROOT, cache_dir=tmp_path / "cache")
    monkeypatch.setattr(search, "index_records", real)
    index = build_search_index(small_catalog(), ROOT, cache_dir=tmp_path / "cache")
    assert index.report.reused == 0 and json.loads(index.manifest)["bundles"][0]["chunks"]

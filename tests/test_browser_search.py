"""Search in Debian's Chromium (Playwright) on the demo site served on 127.0.0.1: the acceptance
queries through /tim-kiem/ and the header box, facets and counts against the catalog, the
Vietnamese no-result message, shareable addresses, keyboard use, 360 px, no console errors,
and the query rules of assets/search.js against site_builder.search.text.

Run with `pytest -m browser` (the default run deselects these; `make test` runs them).
"""

from __future__ import annotations

import json
import os
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from conftest import ENV, REPO, SITE_BUILDER, served

from site_builder.search import compat
from site_builder.search.pagefind_runner import Record, find_binary, index_records
from site_builder.search.text import searchable, shown
from site_builder.vietnamese import fold

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def search_base(built_site) -> Iterator[str]:
    with served(built_site.dir) as base:
        yield base


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if CHROMIUM is None:
        _missing("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


class Tab:
    """A page in a fresh context that records console errors, failures and foreign requests."""

    def __init__(self, browser: Browser, viewport: dict[str, int]) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page: Page = self.context.new_page()
        self.problems: list[str] = []
        self.context.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))

    def _failed(self, request) -> None:
        # A request cut short because the page navigated away (a form submitted while the
        # previous page's images were still loading) is not a failure of the site.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed: {request.url} {request.failure}")

    def _route(self, route: Route) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            self.problems.append(f"foreign request: {route.request.url}")
            route.abort()
        else:
            route.continue_()

    def search_page(self, base: str, query: str = "", **params: str) -> "Tab":
        args = [f"q={quote(query)}"] if query else []
        args += [f"{k}={quote(v)}" for k, v in params.items()]
        self.page.goto(f"{base}/tim-kiem/" + ("?" + "&".join(args) if args else ""))
        if args:
            self.wait_done()
        return self

    def wait_done(self) -> None:
        self.page.wait_for_selector("[data-gs-search][data-gs-state=done]", timeout=20_000)

    def results(self) -> list[str]:
        """Site-relative URLs of the results shown, in order."""
        hrefs = self.page.eval_on_selector_all(".gs-result__title a", "els => els.map(a => a.href)")
        return [urlsplit(h).path.lstrip("/") for h in hrefs]

    def titles(self) -> list[str]:
        return self.page.locator(".gs-result__title").all_inner_texts()

    def status(self) -> str:
        return self.page.locator("[data-gs-status]").inner_text()

    def total(self) -> int:
        """The result count announced in the status line ("Tìm thấy 1.234 kết quả ...")."""
        words = self.status().split()
        assert words[:2] == ["Tìm", "thấy"], self.status()
        return int(words[2].replace(".", ""))

    def open_facets(self) -> None:
        if not self.page.eval_on_selector("[data-gs-facet-panel]", "d => d.open"):  # open already with ?loai=...
            self.page.locator("[data-gs-facet-panel] > summary").click()
        self.page.wait_for_selector("[data-gs-facet] input", timeout=20_000)
        self.wait_done()

    def facet_counts(self, key: str) -> dict[str, int]:
        rows = self.page.eval_on_selector_all(
            f"[data-gs-facet={key}] label",
            "els => els.map(l => [l.querySelector('input').value, l.querySelector('.gs-facet__count').textContent])",
        )
        return {value: int(n.replace(".", "")) for value, n in rows}

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(chromium) -> Iterator[callable]:
    tabs: list[Tab] = []

    def opener(viewport: dict[str, int] = PHONE) -> Tab:
        tabs.append(Tab(chromium, viewport))
        return tabs[-1]

    yield opener
    for t in tabs:
        assert not t.problems, "\n".join(t.problems)
        t.close()


def _folded_title(catalog, url: str) -> str:
    slug = url.rstrip("/").rsplit("/", 1)[-1]
    item = catalog.story_by_slug.get(slug) if url.startswith("bai-viet/") else catalog.profile_by_slug.get(slug)
    assert item is not None, f"result {url} is no published story or profile"
    return fold(getattr(item, "title", None) or item.name)


@pytest.mark.parametrize("query", ["lam theo bac", "dang vien", "Đảng viên", "phu nu", "Trung My"])
def test_acceptance_queries_find_a_matching_title_in_the_top_3(tab, search_base, demo_catalog, query):
    t = tab().search_page(search_base, query)
    top = t.results()[:3]
    assert top, t.status()
    assert any(fold(query) in _folded_title(demo_catalog, url) for url in top), (query, t.titles()[:3])
    assert all(url.startswith(("bai-viet/", "ho-so/")) for url in t.results())


def test_profile_name_without_diacritics(tab, search_base, demo_catalog):
    profile = next(p for p in demo_catalog.profiles if p.slug == "nguyen-thi-phuong")
    t = tab().search_page(search_base, fold(profile.name))  # "nguyen thi phuong"
    assert profile.url in t.results()[:3], t.titles()[:3]


def test_titles_and_excerpts_show_d_with_stroke_and_highlight_matches(tab, search_base):
    t = tab().search_page(search_base, "dang vien")
    html = t.page.inner_html("[data-gs-results]")
    assert "\u0345" not in html
    assert any("đảng viên" in title.lower() for title in t.titles()[:3])
    marks = [m.lower() for m in t.page.locator(".gs-result__excerpt mark").all_inner_texts()]
    assert "đảng" in marks and "viên" in marks  # "dang" highlights "Đảng": the folded match


def test_header_box_opens_the_search_page(tab, search_base, demo_catalog):
    t = tab()
    t.page.goto(search_base + "/")
    box = t.page.locator("header.md-header input[name=q]")
    assert box.is_visible()
    box.fill("lam theo bac")
    box.press("Enter")
    t.page.wait_for_url("**/tim-kiem/?q=lam+theo+bac")
    t.wait_done()
    assert any("lam theo bac" in _folded_title(demo_catalog, url) for url in t.results()[:3])
    assert t.page.locator("#gs-search-q").input_value() == "lam theo bac"
    assert box.input_value() == "lam theo bac"


def test_no_result_message_in_vietnamese(tab, search_base):
    t = tab().search_page(search_base, "xyzzyqwv")
    assert t.status().startswith("Không tìm thấy kết quả nào cho “xyzzyqwv”")
    assert t.results() == []
    assert t.page.locator("[data-gs-more]").is_hidden()


def _field_name(catalog, key: str) -> str:
    return catalog.vocab_name("fields", key)


def test_facet_counts_agree_with_the_content(tab, search_base, demo_catalog):
    """Filter-only search (all profiles): each field's count is the number of profiles with it."""
    t = tab(DESKTOP).search_page(search_base, loai="Hồ sơ cá nhân")
    t.open_facets()
    persons = [p for p in demo_catalog.profiles if p.kind.value == "ca-nhan"]
    assert t.total() == len(persons)
    expected: dict[str, int] = {}
    for p in persons:
        for key in p.fields:
            expected[_field_name(demo_catalog, key)] = expected.get(_field_name(demo_catalog, key), 0) + 1
    assert t.facet_counts("field") == expected
    kinds = t.facet_counts("kind")  # counted as if no kind were chosen: every published profile and story
    assert kinds["Hồ sơ cá nhân"] == len(persons)
    assert kinds["Mô hình"] == sum(1 for s in demo_catalog.stories if s.kind.value == "mo-hinh")


def test_field_filter_narrows_results_and_counts_agree(tab, search_base, demo_catalog):
    t = tab(DESKTOP).search_page(search_base, "lam theo bac")
    before = t.total()
    t.open_facets()
    counts = t.facet_counts("field")
    name, n = min(((k, v) for k, v in counts.items() if v < before), key=lambda kv: (kv[1], kv[0]))
    t.page.locator(f"[data-gs-facet=field] input[value='{name}']").check()
    t.wait_done()
    t.page.wait_for_function("n => document.querySelector('[data-gs-status]').textContent.includes(' ' + n + ' kết quả')",
                             arg=f"{n:,}".replace(",", "."))
    assert t.total() == n < before
    key = next(k for k, term in demo_catalog.vocabularies["fields"].items() if term.name == name)
    for url in t.results():
        slug = url.rstrip("/").rsplit("/", 1)[-1]
        item = demo_catalog.story_by_slug.get(slug) or demo_catalog.profile_by_slug[slug]
        assert key in item.fields, (url, name)
    # The address carries the query and the filter, and opens the same results.
    params = parse_qs(urlsplit(t.page.url).query)
    assert params == {"q": ["lam theo bac"], "linh-vuc": [name]}
    shared = tab(DESKTOP)
    shared.page.goto(t.page.url)
    shared.wait_done()
    assert shared.results() == t.results()
    assert shared.page.locator(f"[data-gs-facet=field] input[value='{name}']").is_checked()


def test_sort_by_date_newest_first(tab, search_base, demo_catalog):
    t = tab(DESKTOP).search_page(search_base, "lam theo bac", **{"sap-xep": "moi-nhat"})
    stories = [demo_catalog.story_by_slug[u.rstrip("/").rsplit("/", 1)[-1]] for u in t.results() if u.startswith("bai-viet/")]
    assert len(stories) >= 2
    dates = [s.published_at for s in stories]
    assert dates == sorted(dates, reverse=True)
    assert t.page.locator("[data-gs-sort]").input_value() == "moi-nhat"


def test_keyboard_enter_searches_and_tab_reaches_results(tab, search_base):
    t = tab()
    t.search_page(search_base)
    assert "Nhập từ khóa" in t.status()
    field = t.page.locator("#gs-search-q")
    field.focus()
    t.page.keyboard.type("phu nu")
    t.page.keyboard.press("Enter")
    t.wait_done()
    assert t.results()
    for _ in range(8):
        t.page.keyboard.press("Tab")
        if t.page.evaluate("document.activeElement.closest('.gs-result') !== null"):
            break
    assert t.page.evaluate("document.activeElement.matches('.gs-result__title a')")
    t.page.locator("#gs-search-q").focus()
    t.page.keyboard.press("Escape")
    assert field.input_value() == ""


def test_no_horizontal_overflow_at_360(tab, search_base):
    t = tab(PHONE).search_page(search_base, "lam theo bac")
    t.open_facets()
    assert t.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


QUERIES = ["Đảng viên", "hoà bình", "HOÀ", "thuý", "Khoẻ", "quý", "đi đầu", "  nhiều   khoảng  ", "Trung Mỹ"]


def test_js_query_rules_match_python(tab, search_base):
    t = tab().search_page(search_base)
    for text in QUERIES + [unicodedata.normalize("NFD", q) for q in QUERIES]:
        assert t.page.evaluate("q => window.gsSearch.prepareQuery(q)", text) == " ".join(searchable(text).split())
        assert t.page.evaluate("q => window.gsSearch.shown(q)", searchable(text)) == shown(searchable(text))


@pytest.fixture(scope="module")
def accents_site(tmp_path_factory) -> Iterator[str]:
    """A tiny index: the same folded word "dang" spelt five ways, plus search.js."""
    site = tmp_path_factory.mktemp("accents")
    words = {"dang": "Dang dở", "dang-sac": "Dáng đẹp", "dang-nang": "Dạng mới", "dang-d": "Đang làm", "dang-dd": "Đảng viên"}
    records = [Record(url=f"{k}/", content=searchable(v + " và nhiều việc khác"), meta={"title": searchable(v)},
                      filters={}, sort={}) for k, v in words.items()]
    for path, content in index_records(records, find_binary(ROOT)).files.items():
        (site / "pagefind" / path).parent.mkdir(parents=True, exist_ok=True)
        (site / "pagefind" / path).write_bytes(content)
    (site / "assets").mkdir()
    shutil.copy2(ROOT / "themes" / "guong-sang" / "assets" / "search.js", site / "assets" / "search.js")
    (site / "t").mkdir()
    (site / "t" / "index.html").write_text(
        '<!doctype html><html lang="vi"><meta charset="utf-8"><link rel="icon" href="data:,">'
        '<script src="../assets/search.js"></script>', encoding="utf-8")
    with served(site) as base:
        yield base


@pytest.mark.parametrize(
    ("query", "first"),
    [("Đảng", "dang-dd"), ("đang", "dang-d"), ("dạng", "dang-nang"), ("dáng", "dang-sac"), ("dang", "dang")],
)
def test_accented_query_ranks_exact_accents_first(tab, accents_site, query, first):
    t = tab()
    t.page.goto(accents_site + "/t/")
    urls = t.page.evaluate(
        """async q => {
             const pf = await import('/pagefind/pagefind.js');
             await pf.init();
             const r = await pf.search(window.gsSearch.prepareQuery(q));
             return Promise.all(r.results.map(x => x.data().then(d => d.raw_url || d.url)));
           }""",
        query,
    )
    assert len(urls) == 5, urls  # every spelling is found (folded) ...
    assert urls[0].strip("/") == first, urls  # ... and the exact one first


# --- what a first search downloads ------------------------------------------------------------


def _pagefind_requests(t: Tab) -> list[str]:
    return [urlsplit(u).path + ("?" + urlsplit(u).query if urlsplit(u).query else "") for u in t.requests
            if "/pagefind/" in u]


@pytest.fixture
def recording_tab(tab):
    def opener(viewport: dict[str, int] = PHONE) -> Tab:
        t = tab(viewport)
        t.requests = []
        t.page.on("request", lambda r: t.requests.append(r.url))
        return t

    return opener


def test_first_search_fetches_each_file_once_and_no_filters(recording_tab, search_base, built_site):
    """Preloads are matched by Pagefind's own requests (a mismatch would fetch a file twice), the
    query's index chunks come from the manifest, no worker, at most ten fragments, filters only
    when the filter panel opens."""
    t = recording_tab(DESKTOP).search_page(search_base, "lam theo bac")
    t.page.wait_for_timeout(200)
    paths = _pagefind_requests(t)
    assert len(paths) == len(set(paths)), sorted(paths)
    manifest = json.loads((built_site.dir / "pagefind" / "gs-search.json").read_text(encoding="utf-8"))
    primary = manifest["bundles"][0]
    expected_chunks = t.page.evaluate("([q, c]) => window.gsSearch.queryChunks(window.gsSearch.prepareQuery(q), c)",
                                      ["lam theo bac", primary["chunks"]])
    assert expected_chunks
    assert sorted(p for p in paths if p.endswith(".pf_index")) == sorted(f"/pagefind/index/{h}.pf_index"
                                                                        for h in expected_chunks)
    assert f"/pagefind/pagefind-entry.json?ts={primary['tag']}" in paths
    assert {"/pagefind/pagefind.js", "/pagefind/gs-search.json", f"/pagefind/{primary['meta']}",
            f"/pagefind/{primary['wasm']}"} <= set(paths)
    assert not any("worker" in p for p in paths)
    assert 1 <= sum(p.endswith(".pf_fragment") for p in paths) <= 10
    assert not any(p.endswith(".pf_filter") for p in paths)
    t.open_facets()
    assert any(p.endswith(".pf_filter") for p in _pagefind_requests(t))


def test_pagefind_starts_when_the_search_page_opens(recording_tab, search_base):
    t = recording_tab().search_page(search_base)
    t.page.wait_for_function("() => performance.getEntriesByType('resource').some(e => e.name.includes('.pf_meta'))")
    assert not any(p.endswith((".pf_index", ".pf_fragment")) for p in _pagefind_requests(t))
    t.page.locator("#gs-search-q").fill("phu nu")
    t.page.keyboard.press("Enter")
    t.wait_done()
    assert t.results()


def test_index_chunks_are_picked_as_pagefind_picks_them(tab, search_base, built_site):
    """search.js's copy of Pagefind's choice of index chunks (queryChunks) against Pagefind itself:
    each word searched alone in a fresh Pagefind instance, its index requests recorded."""
    chunks = json.loads((built_site.dir / "pagefind" / "gs-search.json").read_text(encoding="utf-8"))["bundles"][0]["chunks"]
    words = {"dang", "vien", "lam", "theo", "bac", "phu", "nu", "trung", "my", "zzzz", "a", "xyzzyqwv"}
    for first, last, _ in chunks:
        words |= {first, last, first[:1], last + "a", last + "z", first + "zz", first[:-1] or first}
    t = tab().search_page(search_base)
    actual = t.page.evaluate(
        """async words => {
             const log = [];
             const fetch0 = window.fetch;
             window.fetch = (u, o) => { log.push(String(u)); return fetch0(u, o); };
             const pf = await import('/pagefind/pagefind.js');
             const out = {};
             for (const w of words) {
               const one = pf.createInstance({ basePath: '/pagefind/', noWorker: true });
               await one.init();
               log.length = 0;
               await one.search(w);
               out[w] = log.filter(u => u.includes('/index/')).map(u => u.split('/index/')[1].replace('.pf_index', '')).sort();
               await one.destroy();
             }
             window.fetch = fetch0;
             return out;
           }""",
        sorted(words),
    )
    mirrored = t.page.evaluate("([ws, c]) => Object.fromEntries(ws.map(w => [w, window.gsSearch.queryChunks(w, c).sort()]))",
                               [sorted(words), chunks])
    assert mirrored == actual


# --- older bundles ------------------------------------------------------------------------------


def _bundled_catalog():
    import datetime as dt

    from site_builder.catalog import build_catalog
    from site_builder.content.models import ContentSet, Kind, Person, Profile, Story, Term, Vocabulary

    fields = Vocabulary("fields", (Term("moi-truong", "Môi trường"),))
    orgs = Vocabulary("organisations", (Term("doan-xa", "Đoàn xã"),))
    filler = " ".join(["Bà con trong thôn cùng nhau giữ gìn đường làng sạch đẹp."] * 30)
    stories = []
    for i in range(25):  # i = 0 is the newest
        title = f"Gương sáng số {i}"
        body = filler
        if i == 24:
            body += " Chuyện kể về cây Phượng Vĩ ở đầu làng."
        people = (Person("Lê Thị Sen Vàng"),) if i == 15 else ()
        if i == 2:
            body += " Có nhắc tới sen vàng một lần."
        stories.append(Story(path=Path(f"/s/{i}.md"), slug=f"bai-{i:02d}", title=title,
                             date=dt.datetime(2026, 1, 1) - dt.timedelta(days=i), summary="Tóm tắt.",
                             kind=Kind.MODEL, body=body, body_line=1, fields=("moi-truong",), people=people))
    profiles = [Profile(path=Path("/p/a.md"), slug="ho-so-a", name="Trần Văn An", kind=Kind.PERSON, summary="Hồ sơ.",
                        body="Tiểu sử.", body_line=1)]
    content = ContentSet(stories=stories, profiles=profiles, vocabularies={"fields": fields, "organisations": orgs})
    return build_catalog(content, dt.datetime(2026, 6, 1))


def _bundles_site(site: Path, binary: Path | None = None) -> tuple[Path, dict]:
    """25 stories in three bundles (10 newest, 10, 5) and the real search page, in `site`."""
    import jinja2

    from site_builder.search import build_search_index

    index = build_search_index(_bundled_catalog(), ROOT, binary=binary, first_size=10, shard_size=10,
                               cache_dir=site.parent / f"{site.name}-cache")
    index.publish(site)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "themes" / "guong-sang"), autoescape=True)
    env.filters["rel"] = lambda url: "../" + url
    env.filters["asset"] = lambda path: path  # the plain names copied below (the build fingerprints them)
    gs = {"heading": "Tìm kiếm", "description": "", "breadcrumbs": [{"title": "Tìm kiếm", "url": "tim-kiem/"}],
          "preloads": compat.page_preloads(index.report.version)}
    (site / "tim-kiem").mkdir()
    (site / "tim-kiem" / "index.html").write_text(
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        f'<title>Tìm kiếm</title></head><body>{env.get_template("gs/search.html").render(gs=gs)}</body></html>',
        encoding="utf-8")
    (site / "assets").mkdir()
    for name in ("search.js", "search.css"):
        shutil.copy2(ROOT / "themes" / "guong-sang" / "assets" / name, site / "assets" / name)
    manifest = json.loads((site / "pagefind" / "gs-search.json").read_text(encoding="utf-8"))
    assert [b["stories"] for b in manifest["bundles"]] == [10, 10, 5]
    return site, manifest


@pytest.fixture(scope="module")
def bundles_site(tmp_path_factory) -> Iterator[tuple[str, dict]]:
    site, manifest = _bundles_site(tmp_path_factory.mktemp("bundles") / "site")
    with served(site) as base:
        yield base, manifest


def test_older_stories_on_request(recording_tab, bundles_site):
    base, manifest = bundles_site
    t = recording_tab(DESKTOP).search_page(base, "guong sang")
    assert t.total() == 10 and t.page.evaluate("window.gsSearch.bundles()") == 1  # a full page: no merge
    assert "trong các bài từ 23/12/2025 trở về sau" in t.status()
    older = t.page.locator("[data-gs-older]")
    assert older.is_visible() and "23/12/2025" in older.inner_text()
    for total, bundles in ((20, 2), (25, 3)):
        older.click()
        t.page.wait_for_function("n => window.gsSearch.bundles() === n && "
                                 "document.querySelector('[data-gs-search]').dataset.gsState === 'done'", arg=bundles)
        t.page.wait_for_function("n => document.querySelector('[data-gs-status]').textContent.includes(n + ' kết quả')",
                                 arg=total)
        assert t.total() == total
    assert older.is_hidden() and "trở về sau" not in t.status()
    paths = _pagefind_requests(t)
    assert len(paths) == len(set(paths)), sorted(paths)
    tags = {b["tag"] for b in manifest["bundles"]}
    assert all(p.rsplit("?ts=", 1)[-1] in tags for p in paths if "pagefind-entry.json" in p)
    for b in manifest["bundles"][1:]:  # merged bundles: entry with its cache tag, metadata preloaded
        assert f"/pagefind/{b['path']}pagefind-entry.json?ts={b['tag']}" in paths
        assert f"/pagefind/{b['path']}{b['meta']}" in paths


def test_a_rare_word_merges_older_bundles_until_found(tab, bundles_site):
    base, _ = bundles_site
    t = tab().search_page(base, "phuong vi")
    assert t.results() == ["bai-viet/bai-24/"]
    assert t.page.evaluate("window.gsSearch.bundles()") == 3
    assert t.status().startswith("Tìm thấy 1 kết quả cho “phuong vi”")


def test_merged_bundles_rank_with_the_same_weights(tab, bundles_site):
    """A match in the people of a story of an older bundle (weight 6 in search.js, 1 by default)
    outranks a match in the body of a story of the newest one."""
    base, _ = bundles_site
    t = tab().search_page(base, "sen vang")
    assert t.results()[:2] == ["bai-viet/bai-15/", "bai-viet/bai-02/"]


def test_pagefind_files_are_inflated_by_the_browser(tab, search_base, built_site):
    """search.js hands Pagefind its gzip files inflated (DecompressionStream), so Pagefind skips its own
    JavaScript inflate: what Pagefind's fetch reads starts with its signature; other fetches pass as sent."""
    primary = json.loads((built_site.dir / "pagefind" / "gs-search.json").read_text(encoding="utf-8"))["bundles"][0]
    t = tab().search_page(search_base, "phu nu")
    heads = t.page.evaluate(
        """async files => {
             const out = {};
             for (const f of files) {
               const bytes = new Uint8Array(await (await fetch(f)).arrayBuffer());
               out[f] = String.fromCharCode(...bytes.slice(0, 12));
             }
             return out;
           }""",
        [f"/pagefind/{primary['meta']}", f"/pagefind/{primary['wasm']}", "/pagefind/gs-search.json"],
    )
    assert heads[f"/pagefind/{primary['meta']}"] == "pagefind_dcd"
    assert heads[f"/pagefind/{primary['wasm']}"] == "pagefind_dcd"
    assert heads["/pagefind/gs-search.json"].startswith('{"version"')


# --- a Pagefind version search.js was not checked with ----------------------------------------------

UNKNOWN = "1.7.0"


def _relabelled_binary(folder: Path) -> Path:
    """The real Pagefind binary, saying it is version UNKNOWN: what the build and search.js see of a
    Pagefind upgrade nobody checked yet."""
    script = folder / "pagefind-relabelled"
    script.write_text(f'#!/bin/sh\nif [ "$1" = --version ]; then echo "pagefind {UNKNOWN}"; exit 0; fi\n'
                      f'exec "{find_binary(ROOT)}" "$@"\n')
    script.chmod(0o755)
    return script


@pytest.fixture(scope="module")
def unknown_base(tmp_path_factory) -> Iterator[str]:
    """The demo site built with a Pagefind whose version is unknown to the site builder."""
    import subprocess

    folder = tmp_path_factory.mktemp("unknown")
    env = {**ENV, "PAGEFIND_BINARY_PATH": str(_relabelled_binary(folder))}
    result = subprocess.run([str(SITE_BUILDER), "-f", str(REPO / "mkdocs.yml"), "build", "-d", str(folder / "site")],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"tìm kiếm: Pagefind {UNKNOWN} chưa được kiểm tra với chương trình dựng trang" in result.stderr
    manifest = json.loads((folder / "site" / "pagefind" / "gs-search.json").read_text(encoding="utf-8"))
    assert manifest["version"] == UNKNOWN and "chunks" not in manifest["bundles"][0]
    with served(folder / "site") as base:
        yield base


def _no_shortcuts(t: Tab) -> None:
    """search.js took Pagefind's plain path: no fetch wrapper, no preload of Pagefind's files of its own."""
    assert t.page.evaluate("window.gsSearch.tuned()") is False
    assert t.page.evaluate("window.fetch.gsInflate") is None
    preloads = t.page.eval_on_selector_all("link[rel=preload], link[rel=modulepreload]", "ls => ls.map(l => l.href)")
    assert sorted(urlsplit(h).path for h in preloads if "/pagefind/" in h) == ["/pagefind/gs-search.json",
                                                                             "/pagefind/pagefind.js"]


@pytest.mark.parametrize(("query", "params"), [
    ("lam theo bac", {}), ("Đảng viên", {}), ("phu nu", {}), ("Trung My", {}), ("xyzzyqwv", {}),
    ("lam theo bac", {"sap-xep": "moi-nhat"}), ("", {"loai": "Hồ sơ cá nhân"}),
])
def test_an_unknown_pagefind_version_searches_plainly_with_the_same_results(tab, search_base, unknown_base,
                                                                            query, params):
    tuned = tab(DESKTOP).search_page(search_base, query, **params)
    plain = tab(DESKTOP).search_page(unknown_base, query, **params)
    assert tuned.page.evaluate("window.gsSearch.tuned()") is True
    _no_shortcuts(plain)
    assert plain.results() == tuned.results() and plain.status() == tuned.status()
    if query == "lam theo bac" and not params:
        assert plain.results()
        plain.open_facets()
        tuned.open_facets()
        assert plain.facet_counts("field") == tuned.facet_counts("field")


def test_an_unknown_pagefind_version_merges_older_bundles(tab, tmp_path_factory):
    folder = tmp_path_factory.mktemp("unknown-bundles")
    site, manifest = _bundles_site(folder / "site", binary=_relabelled_binary(folder))
    assert manifest["version"] == UNKNOWN and set(manifest["bundles"][1]) == {"path", "stories", "profiles", "from",
                                                                               "to", "tag"}
    with served(site) as base:
        t = tab().search_page(base, "phuong vi")
        _no_shortcuts(t)
        assert t.results() == ["bai-viet/bai-24/"]
        assert t.page.evaluate("window.gsSearch.bundles()") == 3
        t = tab().search_page(base, "sen vang")
        assert t.results()[:2] == ["bai-viet/bai-15/", "bai-viet/bai-02/"]  # merged with the same weights

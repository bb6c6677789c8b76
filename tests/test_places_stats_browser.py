"""The statistics page and today's place pages in Debian's Chromium (Playwright): axe-core finds no
serious violation in the SVG charts, nothing overflows at 360 px, no script error; search finds a
story by its place's name before and after the 2025 reform.

Run with `pytest -m browser` (the default run deselects these; `make test` runs them).
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from test_browser import AXE, VIEWPORTS, _format_violations, base_url, browser, open_page, site_dir  # noqa: F401

pytestmark = pytest.mark.browser

PAGES = ["thong-ke/", "dia-phuong/phu-tho/xa-binh-tuyen/", "dia-phuong/"]


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("url", PAGES)
def test_axe_finds_no_serious_violation(open_page, base_url: str, url: str, size: str) -> None:
    visit = open_page(f"{base_url}/{url}", VIEWPORTS[size])
    page = visit.page
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations', 'passes']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, "axe-core violations:\n" + _format_violations(bad)
    assert not visit.console_errors and not visit.page_errors and not visit.failed and not visit.foreign
    width = VIEWPORTS[size]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if url == "thong-ke/":
        # axe checked every chart: each SVG image has the accessible name of its <title>
        passed = {v["id"]: len(v["nodes"]) for v in result["passes"]}
        charts = page.locator("svg.gs-chart").count()
        assert charts == 7 and passed.get("svg-img-alt") == charts
        names = page.evaluate("""[...document.querySelectorAll('svg.gs-chart')].map(s =>
            s.getAttribute('aria-labelledby').split(' ').map(id => document.getElementById(id).textContent).join(' | '))""")
        assert all(name.startswith("Bài viết theo ") and "|" in name for name in names)


@pytest.mark.parametrize("query", ["Bình Tuyền", "Trung Mỹ", "binh tuyen"])
def test_search_finds_a_story_by_its_former_or_todays_place(open_page, base_url: str, demo_catalog, query: str) -> None:
    """The Trung Mỹ stories (today xã Bình Tuyền) are found by either name."""
    expected = {s.url for s in demo_catalog.stories if s.place and s.place.commune == "xã Trung Mỹ"}
    assert expected and not any("Bình Tuyền" in s.title or "Bình Tuyền" in s.body for s in demo_catalog.stories)
    page = open_page(f"{base_url}/tim-kiem/?q={quote(query)}", VIEWPORTS["1280"]).page
    page.wait_for_selector("[data-gs-search][data-gs-state=done]", timeout=20_000)
    hrefs = page.eval_on_selector_all(".gs-result__title a", "els => els.map(a => a.href)")
    found = {urlsplit(h).path.lstrip("/") for h in hrefs}
    assert expected <= found, (query, sorted(found))

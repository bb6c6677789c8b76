"""The "Theo dõi" menu in Debian's Chromium: it opens without any script, leads to the page's
feeds, fits a phone's width, and axe-core finds nothing serious with it open."""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, served

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium")
PAGES = ["", "linh-vuc/giao-duc/", "ho-so/nguyen-thi-phuong/"]
FEEDS = {"RSS": "rss.xml", "Atom": "atom.xml", "JSON Feed": "feed.json"}


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    if CHROMIUM is None or not AXE.is_file():
        reason = "chromium (apt-get install chromium) or axe-core (npm ci) is missing"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def base(built_site) -> Iterator[str]:
    with served(built_site.dir) as url:
        yield url + "/"


@pytest.mark.parametrize("url", PAGES)
def test_the_follow_menu_opens_without_script_and_leads_to_the_feeds(chromium, base, built_site, url):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(base + url)
        menu = page.locator("details.gs-follow")
        summary = menu.locator("summary")
        assert summary.inner_text().strip() == "Theo dõi"
        links = menu.locator("a")
        assert not links.first.is_visible()
        summary.click()
        assert [links.nth(i).inner_text() for i in range(links.count())] == list(FEEDS)
        for i in range(links.count()):
            assert links.nth(i).is_visible()
            box = links.nth(i).bounding_box()
            assert box is not None and box["x"] + box["width"] <= 360
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        response = page.goto(links.nth(0).evaluate("a => a.href"))
        assert response is not None and response.ok
        channel = ET.fromstring(response.body()).find("channel")
        assert channel.findtext("link") == "https://guongsang.example.vn/" + url  # the feed of this page
    finally:
        context.close()


@pytest.mark.parametrize("url", PAGES)
def test_axe_finds_nothing_serious_with_the_menu_open(chromium, base, url):
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(base + url)
        page.locator("details.gs-follow > summary").click()
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document.querySelector('details.gs-follow'), {resultTypes: ['violations']})")
        bad = [f"{v['id']}: {v['help']}" for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, bad
    finally:
        context.close()

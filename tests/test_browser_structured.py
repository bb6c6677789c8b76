"""A story made with `site-builder new story` under a hostile title, in Debian's Chromium: its page
and its embed card run no script of the content's, show the title exactly as typed, and the
embed code's copy button copies the oEmbed `html`.

Run with `pytest -m browser` (the default run deselects these; `make test` runs them).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from conftest import SITE_BUILDER, TmpProject, run_tool, served
from test_browser import CHROMIUM, CHROMIUM_FLAGS, _missing

pytestmark = pytest.mark.browser

HOSTILE = '</script><script>alert(1)</script> "Trích" & <b>đậm</b>'
#: Would set window.__gsPwned if any string of the content ran as script or markup.
PWN = '<img src=x onerror="window.__gsPwned=1"><script>window.__gsPwned=1</script>'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> dict:
    project = TmpProject(tmp_path_factory.mktemp("hostile-browser") / "project")
    made = run_tool(SITE_BUILDER, "new", "story", HOSTILE, "--kind", "ca-nhan", cwd=project.root)
    assert made.returncode == 0, made.stdout + made.stderr
    path = project.root / made.stdout.strip().splitlines()[-1]
    project.copy_image("2026/bia.jpg")
    text = path.read_text(encoding="utf-8").replace("draft: true", "draft: false")
    text = re.sub(r"(?m)^date: .*$", "date: 2025-12-30 08:00", text)
    text = re.sub(r"(?m)^summary: .*$", f"summary: {json.dumps('Sapo ' + PWN)}", text)
    extra = (f"authors: [{json.dumps('Tác giả ' + PWN)}]\ntags: [{json.dumps(PWN)}]\n"
             f"cover: {{src: 2026/bia.jpg, alt: {json.dumps('Ảnh ' + PWN)}}}\n")
    _, head, body = text.split("---\n", 2)
    path.write_text("---\n" + head + extra + "---\n" + body, encoding="utf-8")
    result = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    site = project.root / "site"
    (story,) = [p.parent.name for p in (site / "bai-viet").glob("*/index.html") if p.parent.name != "page"]
    return {"site": site, "slug": story}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if CHROMIUM is None:
        _missing("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


def open_quietly(browser: Browser, url: str, viewport: dict[str, int], dialogs: list[str]) -> Page:
    """Open `url` (only 127.0.0.1 is reachable), recording every dialog a script would open."""
    context = browser.new_context(viewport=viewport)
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)  # a late onerror handler (the broken image) would have run by now
    return page


def test_hostile_story_page_runs_no_script_and_shows_the_title(browser, hostile_site):
    dialogs: list[str] = []
    with served(hostile_site["site"]) as base:
        page = open_quietly(browser, f"{base}/bai-viet/{hostile_site['slug']}/", {"width": 1280, "height": 900}, dialogs)
        try:
            assert dialogs == []
            assert page.evaluate("window.__gsPwned") is None
            assert page.locator("h1.gs-article__title").inner_text() == HOSTILE
            assert page.title().startswith(HOSTILE)
            assert page.locator('meta[property="og:title"]').get_attribute("content") == HOSTILE
            headlines = page.evaluate("""[...document.querySelectorAll('script[type="application/ld+json"]')]
                .map(s => JSON.parse(s.textContent)).filter(d => d['@type'] === 'NewsArticle').map(d => d.headline)""")
            assert headlines == [HOSTILE]
            assert page.locator(".gs-tags a").first.inner_text() == "#" + PWN
            citation = page.locator(".gs-citation").inner_text()
            assert f"Tác giả {PWN}, “{HOSTILE}”, Gương Sáng, 30/12/2025, " in citation
            # The embed code: its copy button appears with script and copies the oEmbed html.
            page.locator(".gs-embed-code summary").click()
            button = page.locator("[data-gs-copy-from]")
            assert button.is_visible()
            button.click()
            page.wait_for_function("document.querySelector('.gs-embed-code .gs-copy-status').textContent !== ''")
            oembed = json.loads((hostile_site["site"] / "nhung" / hostile_site["slug"] / "oembed.json").read_text())
            assert page.evaluate("navigator.clipboard.readText()") == oembed["html"]
            assert dialogs == [] and page.evaluate("window.__gsPwned") is None
        finally:
            page.context.close()


def test_hostile_embed_card_runs_no_script_and_fits_its_frame(browser, hostile_site):
    dialogs: list[str] = []
    with served(hostile_site["site"]) as base:
        page = open_quietly(browser, f"{base}/nhung/{hostile_site['slug']}/", {"width": 600, "height": 200}, dialogs)
        try:
            assert dialogs == [] and page.evaluate("window.__gsPwned") is None
            assert page.locator("h1").inner_text() == HOSTILE
            assert page.evaluate("document.scripts.length") == 0
            size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            assert size == [600, 200], "the card fills its 600×200 frame without scrolling"
            assert page.evaluate("document.querySelector('.gs-embed__photo img').naturalWidth") > 0
            assert page.evaluate("getComputedStyle(document.querySelector('.gs-embed')).borderTopColor") == "rgb(155, 28, 28)"
            # The photo hides in a narrow frame; the text stays.
            page.set_viewport_size({"width": 320, "height": 200})
            assert not page.locator(".gs-embed__photo").is_visible()
            assert page.evaluate("document.documentElement.scrollWidth") == 320
        finally:
            page.context.close()

"""The built demo site in Debian's Chromium (Playwright): errors, requests, overflow, axe-core, widgets.

Run with `pytest -m browser` (the default run deselects these; `make test` runs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from conftest import served

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"360": {"width": 360, "height": 740}, "1280": {"width": 1280, "height": 800}}


def _missing(reason: str) -> None:
    """Skip on a developer's machine, fail in CI: CI must really run these tests."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site: conftest's `built_site` when there is one, else built here once."""
    try:
        return request.getfixturevalue("built_site").dir
    except pytest.FixtureLookupError:
        pass
    out = tmp_path_factory.mktemp("site")
    exe = Path(sys.executable).with_name("site-builder")
    cmd = [str(exe) if exe.exists() else "site-builder", "build", "-d", str(out)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"site build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return out


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    with served(site_dir) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, never a downloaded browser (one Playwright per module:
    Playwright's sync API cannot start while another instance is running in this thread)."""
    if CHROMIUM is None:
        _missing("chromium is not installed (apt-get install chromium)")
    if not AXE.is_file():
        _missing(f"{AXE.relative_to(ROOT)} is missing (npm ci)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def story_path(request: pytest.FixtureRequest, site_dir: Path) -> str:
    """URL path of the story under test: conftest's `seed_story`, else the first story with a lead image."""
    try:
        return f"/bai-viet/{request.getfixturevalue('seed_story').slug}/"
    except pytest.FixtureLookupError:
        pass
    for page in sorted((site_dir / "bai-viet").glob("*/index.html")):
        if "<figure" in page.read_text(encoding="utf-8"):
            return f"/bai-viet/{page.parent.name}/"
    pytest.fail("the demo site has no story with a lead image")


@dataclass
class Visit:
    """A loaded page and every problem seen while loading it."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


def _visit(browser: Browser, url: str, viewport: dict[str, int], **context_options: object) -> Visit:
    """Open `url` in a fresh context; requests to any host but 127.0.0.1 are recorded and aborted."""
    context = browser.new_context(viewport=viewport, **context_options)
    page = context.new_page()
    visit = Visit(page)

    def route(route: Route) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            visit.foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", route)
    page.on("console", lambda msg: msg.type == "error" and visit.console_errors.append(f"{msg.text} @ {msg.location}"))
    page.on("pageerror", lambda exc: visit.page_errors.append(str(exc)))
    # ERR_ABORTED: cut short by a navigation or reload of the test itself, not a failure of the site.
    page.on("requestfailed", lambda req: req.failure != "net::ERR_ABORTED" and visit.failed.append(f"{req.url}: {req.failure}"))
    page.on("response", lambda res: res.status >= 400 and visit.failed.append(f"{res.url}: HTTP {res.status}"))
    page.goto(url, wait_until="load")
    return visit


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Visit]]:
    """`open_page(url, viewport, **context_options) -> Visit`; contexts are closed after the test."""
    visits: list[Visit] = []

    def opener(url: str, viewport: dict[str, int], **options: object) -> Visit:
        visits.append(_visit(browser, url, viewport, **options))
        return visits[-1]

    yield opener
    for visit in visits:
        visit.page.context.close()


def _url(base_url: str, story_path: str, which: str) -> str:
    return base_url + {"home": "/", "story": story_path, "press": "/bao-chi/"}[which]


PAGES = ["home", "story", "press"]


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("which", PAGES)
def test_no_errors_failed_or_foreign_requests(open_page, base_url: str, story_path: str, which: str, size: str) -> None:
    visit = open_page(_url(base_url, story_path, which), VIEWPORTS[size])
    # Bring every lazy image into view, so that its request is made too.
    visit.page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    visit.page.wait_for_load_state("networkidle")
    assert not visit.console_errors, f"console errors: {visit.console_errors}"
    assert not visit.page_errors, f"page errors: {visit.page_errors}"
    assert not visit.failed, f"failed requests: {visit.failed}"
    assert not visit.foreign, f"requests to other hosts than 127.0.0.1: {visit.foreign}"


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("which", PAGES)
def test_no_horizontal_overflow(open_page, base_url: str, story_path: str, which: str, size: str) -> None:
    width = VIEWPORTS[size]["width"]
    page = open_page(_url(base_url, story_path, which), VIEWPORTS[size]).page
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """w => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > w + 0.5)
            .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().replace(/\\s+/g, '.') : ''))""",
        width,
    )
    assert scroll_width <= width, f"scrollWidth {scroll_width} > {width}; widest elements: {wide}"


def _format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary[:300]}")
    return "\n".join(lines)


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("which", PAGES)
def test_axe_no_serious_violations(open_page, base_url: str, story_path: str, which: str, size: str) -> None:
    page = open_page(_url(base_url, story_path, which), VIEWPORTS[size]).page
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, "axe-core violations:\n" + _format_violations(bad)


def test_font_size_control_persists(open_page, base_url: str, story_path: str) -> None:
    page = open_page(base_url + story_path, VIEWPORTS["360"]).page
    size = "() => parseFloat(getComputedStyle(document.querySelector('.gs-article__body p')).fontSize)"
    before = page.evaluate(size)
    page.locator('.gs-fontsize [data-gs-font="up"]').click()
    bigger = page.evaluate(size)
    assert bigger > before, f"A+ did not enlarge the article text ({before}px -> {bigger}px)"
    page.reload(wait_until="load")
    assert page.evaluate("localStorage.getItem('gs-font-size')") == "1"
    assert page.evaluate(size) == pytest.approx(bigger), "the chosen font size was lost on reload"


def test_copy_link_shows_status(open_page, base_url: str, story_path: str) -> None:
    visit = open_page(base_url + story_path, VIEWPORTS["360"], permissions=["clipboard-read", "clipboard-write"])
    page = visit.page
    button = page.locator("[data-gs-copy]")
    button.click()
    status = page.locator(".gs-share .gs-copy-status")
    expect(status).not_to_be_empty()
    assert status.text_content().strip() == "Đã sao chép liên kết."
    assert page.evaluate("navigator.clipboard.readText()") == button.get_attribute("data-gs-copy")


def test_lead_image_is_eager(open_page, base_url: str, story_path: str) -> None:
    page = open_page(base_url + story_path, VIEWPORTS["360"]).page
    img = page.locator(".gs-article figure img").first  # the lead photo comes first in the article
    assert img.get_attribute("loading") != "lazy"
    assert img.get_attribute("fetchpriority") == "high"
    # An eager image delays the load event, so it is already decoded when goto() returns.
    assert img.evaluate("i => i.complete && i.naturalWidth > 0"), "the lead image was not loaded by the load event"

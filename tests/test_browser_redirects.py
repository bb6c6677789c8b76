"""Old addresses in Debian's Chromium (Playwright): each lands on the story, with scripts off too.

A small project is served on 127.0.0.1 and built with that address as its site_url, so the
redirect pages lead to the served story. Run with `pytest -m browser` (`make test` runs it).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from conftest import TmpProject, served, story_text

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
TITLE = '</script><script>alert(1)</script> "Trích" & <b>đậm</b>'
ALIASES = """\
aliases:
  - /tin-tuc/binh-xuyen-nhieu-sang-tao-123456.html
  - /bai-viet/ten-cu/
  - /tin-t%E1%BB%A9c/b%C3%A0i-c%C5%A9
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    """The project's site, served; its base URL (the site_url it was built with)."""
    project = TmpProject(tmp_path_factory.mktemp("redirects") / "project")
    with served(project.root / "site") as base:
        config = project.config.read_text(encoding="utf-8")
        config, count = re.subn(r"(?m)^site_url: .*$", f"site_url: {base}/", config)
        assert count == 1
        project.config.write_text(config, encoding="utf-8")
        project.add_story("bai-moi", story_text(TITLE, "2026-03-14 08:30", extra=ALIASES))
        result = project.build()
        assert result.returncode == 0, result.stdout + result.stderr
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (CI is set, so this is an error, not a skip)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


def _tab(browser: Browser, scripts: bool) -> tuple[Page, list[str]]:
    """A page in a fresh context (scripts on or off) and the problems seen: requests elsewhere than
    127.0.0.1, failed responses, dialogs (a script that ran)."""
    context = browser.new_context(java_script_enabled=scripts)
    page = context.new_page()
    problems: list[str] = []

    def route(route: Route) -> None:
        if urlsplit(route.request.url).hostname != "127.0.0.1":
            problems.append(f"foreign request: {route.request.url}")
            route.abort()
        else:
            route.continue_()

    context.route("**/*", route)
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    return page, problems


@pytest.mark.parametrize("old", [
    "/tin-tuc/binh-xuyen-nhieu-sang-tao-123456.html",  # a file
    "/bai-viet/ten-cu/",  # a folder
    "/bai-viet/ten-cu",  # the same, without its slash (the server adds it)
    "/tin-tức/bài-cũ/",  # Vietnamese, stored decoded
])
@pytest.mark.parametrize("scripts", [False, True], ids=["scripts-off", "scripts-on"])
def test_an_old_address_lands_on_the_story(site, browser, old, scripts):
    page, problems = _tab(browser, scripts)
    try:
        first = page.goto(site + quote(old), wait_until="load")
        assert first is not None and first.status == 200
        page.wait_for_url(f"{site}/bai-viet/bai-moi/", timeout=15_000)
        assert page.locator("h1").first.inner_text() == TITLE
        assert page.title().startswith(TITLE)
        assert problems == []
    finally:
        page.context.close()

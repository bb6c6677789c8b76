"""Taking a story down: `site-builder unpublish` records it, the next build leaves no trace of it
anywhere in the site or in `.cache/`, `site-builder audit` proves it (and fails on a planted copy).

The acceptance case is the seed's Bình Xuyên story, withdrawn from a copy of the whole demo: it has
photos, related stories, a profile and terms, and it is in the search index. Every file of the
built site is scanned here by the test's own means (not by the auditor it checks).
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import shutil
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from conftest import REPO, SEED_STORY_FILE, SITE_BUILDER, run_tool, served, soup_of, story_text
from site_builder.routes import urls
from site_builder.vietnamese import fold

SEED_SLUG = "binh-xuyen-sang-tao"
REASON = "Bà Phượng đề nghị gỡ ảnh của mình"


def _demo_copy(root: Path) -> Path:
    """A copy of the demo project (content, photos, settings, warm caches), theme linked."""
    root.mkdir(parents=True)
    for name in ("content", "images"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "themes").symlink_to(REPO / "themes", target_is_directory=True)
    for cache in ("fonts", "images", "search"):
        if (REPO / ".cache" / cache).is_dir():
            shutil.copytree(REPO / ".cache" / cache, root / ".cache" / cache, dirs_exist_ok=True)
    return root


def _build(root: Path):
    return run_tool(SITE_BUILDER, "-f", root / "mkdocs.yml", "build", cwd=root, timeout=600)


def _forms(text: str) -> set[bytes]:
    """How a text may be written in a file: as is, HTML-escaped, in JSON, URL-encoded."""
    forms = {text, html.escape(text), html.escape(text, quote=False), quote(text, safe=""),
             json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]}
    return {f.encode() for f in forms}


def _readable(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def withdrawn(tmp_path_factory):
    """The demo built, then the seed story withdrawn and built again; what the first build published of it."""
    root = _demo_copy(tmp_path_factory.mktemp("takedown") / "project")
    first = _build(root)
    assert first.returncode == 0, first.stderr
    page = soup_of(root / "site" / "bai-viet" / SEED_SLUG / "index.html")
    photo_urls = set()
    for tag in page.select(".gs-article img, .gs-article source, .gs-article a"):
        for attr in ("src", "srcset", "href"):
            for part in (tag.get(attr) or "").split(","):
                url = part.strip().split(" ")[0]
                if "assets/images/" in url:
                    photo_urls.add(url.split("assets/images/")[1])
    assert len(photo_urls) >= 6  # the lead photo and the body's photos, in several widths and formats
    photos = {name: _sha(root / "site" / "assets" / "images" / name) for name in photo_urls}
    (root / "kept-photo.jpg").write_bytes((root / "site" / "assets" / "images" / sorted(photos)[0]).read_bytes())
    source = next((root / "content" / "stories").rglob(SEED_STORY_FILE))
    before = source.read_text(encoding="utf-8")
    result = run_tool(SITE_BUILDER, "-f", root / "mkdocs.yml", "unpublish", SEED_SLUG, "--reason", REASON, cwd=root)
    assert result.returncode == 0, result.stderr
    second = _build(root)
    assert second.returncode == 0, second.stderr + second.stdout
    return root, source, before, photos


def test_unpublish_adds_three_lines_and_changes_nothing_else(withdrawn):
    _root, source, before, _photos = withdrawn
    after = source.read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added[0] == "withdrawn:" and added[1].startswith("  date: 20") and added[2] == f'  reason: "{REASON}"'
    assert after.replace("\n".join(added) + "\n", "") == before


def test_the_address_shows_a_removal_notice_only(withdrawn, demo_catalog):
    root, *_ = withdrawn
    seed = demo_catalog.story_by_slug[SEED_SLUG]
    notice = (root / "site" / "bai-viet" / SEED_SLUG / "index.html").read_bytes()
    assert "Bài viết đã được gỡ bỏ".encode() in notice
    assert b'<meta name="robots" content="noindex">' in notice
    for text in (seed.title, seed.summary):
        assert not any(form in notice for form in _forms(text))


def test_no_file_of_the_site_holds_a_trace(withdrawn, demo_catalog):
    root, _source, _before, photos = withdrawn
    seed = demo_catalog.story_by_slug[SEED_SLUG]
    needles = _forms(seed.title) | _forms(seed.summary) | _forms(seed.summary[:60]) | {
        f"/{SEED_SLUG}/".encode(), f'"{SEED_SLUG}"'.encode()}
    site = root / "site"
    notice = site / "bai-viet" / SEED_SLUG / "index.html"
    hashes = set(photos.values())
    found = []
    scanned = 0
    for path in site.rglob("*"):
        if not path.is_file() or path in (notice, Path(f"{notice}.br"), Path(f"{notice}.gz")):
            continue  # the removal notice (and its precompressed copies)
        if path == site / urls.SERVER_RULES:  # the address only, in the list of those answered with 410
            rules = json.loads(path.read_text(encoding="utf-8"))
            assert rules["gone"] == [f"/bai-viet/{SEED_SLUG}/"] and seed.title not in path.read_text(encoding="utf-8")
            continue
        scanned += 1
        if path.name in photos or _sha(path) in hashes:
            found.append(f"{path.relative_to(site)}: a photo")
            continue
        data = _readable(path)
        found += [f"{path.relative_to(site)}: {n[:40]!r}" for n in needles if n in data]
    assert scanned > 300
    assert found == []


def test_no_precompressed_copy_of_its_pages_stays_in_the_cache(withdrawn, demo_catalog):
    import brotli

    root = withdrawn[0]
    title = html.escape(demo_catalog.story_by_slug[SEED_SLUG].title).encode("utf-8")
    entries = [p for p in (root / ".cache" / "compress").glob("*/*") if p.stat().st_size]
    assert len(entries) > 100
    for entry in entries:
        data = gzip.decompress(entry.read_bytes()) if entry.suffix == ".gz" else brotli.decompress(entry.read_bytes())
        assert title not in data, entry


def test_the_photos_and_the_body_are_gone_from_the_cache(withdrawn, demo_catalog):
    root, _source, _before, photos = withdrawn
    seed = demo_catalog.story_by_slug[SEED_SLUG]
    hashes = set(photos.values())
    left = []
    for path in (root / ".cache").rglob("*"):
        if not path.is_file() or path.parent.name == "takedown":  # the record: hashes and names, no content
            continue
        if path.name in photos or _sha(path) in hashes:
            left.append(str(path))
        elif seed.title.encode() in _readable(path) or html.escape(seed.title).encode() in _readable(path):
            left.append(str(path))
    assert left == []
    record = json.loads((root / ".cache" / "takedown" / f"story-{SEED_SLUG}.json").read_text())
    assert set(photos) <= set(record["photo_names"])
    assert seed.title not in json.dumps(record, ensure_ascii=False)


def test_unpublish_list_and_refusals(withdrawn):
    root, source, *_ = withdrawn
    listed = run_tool(SITE_BUILDER, "-f", root / "mkdocs.yml", "unpublish", "--list", cwd=root)
    assert listed.returncode == 0
    assert SEED_SLUG in listed.stdout and REASON in listed.stdout
    text = source.read_bytes()
    again = run_tool(SITE_BUILDER, "-f", root / "mkdocs.yml", "unpublish", SEED_SLUG, "--reason", "x", cwd=root)
    assert again.returncode == 1 and "đã được gỡ từ ngày" in again.stderr
    unknown = run_tool(SITE_BUILDER, "-f", root / "mkdocs.yml", "unpublish", "khong-co", "--reason", "x", cwd=root)
    assert unknown.returncode == 1 and "khong-co" in unknown.stderr
    assert source.read_bytes() == text


def test_audit_passes_then_fails_on_a_copy_left_on_purpose(withdrawn, demo_catalog):
    root, _source, _before, _photos = withdrawn
    title = demo_catalog.story_by_slug[SEED_SLUG].title
    ok = run_tool(SITE_BUILDER, "-f", root / "mkdocs.yml", "audit", SEED_SLUG, cwd=root)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    planted = root / "planted"
    shutil.copytree(root / "site", planted)
    # one of its photos under another name, and its title in another story's page
    shutil.copy2(root / "kept-photo.jpg", planted / "assets" / "renamed.jpg")
    other = next(p for p in (planted / "bai-viet").glob("*/index.html") if SEED_SLUG not in str(p))
    other.write_text(other.read_text(encoding="utf-8").replace(
        "</main>", f"<p>{html.escape(title)}</p></main>", 1), encoding="utf-8")
    leaked = run_tool(SITE_BUILDER, "-f", root / "mkdocs.yml", "audit", SEED_SLUG, "-d", planted, cwd=root)
    assert leaked.returncode == 1
    assert str(other.relative_to(planted)) in leaked.stdout
    assert "assets/renamed.jpg" in leaked.stdout


def test_a_build_that_leaks_fails_and_keeps_the_last_site(tmp_project):
    """A withdrawn story's photo still shown by another story: the build says where and publishes nothing."""
    tmp_project.copy_image("2026/chung.jpg")
    cover = "cover: {src: 2026/chung.jpg, alt: Ảnh chung}\n"
    tmp_project.add_story("mot", story_text("Bài thứ nhất bị gỡ", "2026-03-14 08:30", extra=cover))
    tmp_project.add_story("hai", story_text("Bài thứ hai", "2026-03-15 08:30", extra=cover))
    assert tmp_project.build().returncode == 0
    before = (tmp_project.root / "site" / "index.html").read_bytes()
    result = run_tool(SITE_BUILDER, "-f", tmp_project.config, "unpublish", "mot", "--reason", "Yêu cầu",
                      cwd=tmp_project.root)
    assert result.returncode == 0
    failed = tmp_project.build()
    assert failed.returncode == 1
    assert "assets/images/" in failed.stderr and "(mot)" in failed.stderr
    assert (tmp_project.root / "site" / "index.html").read_bytes() == before


def test_a_withdrawn_profile_loses_its_page_and_its_links(tmp_project):
    tmp_project.write("content/profiles/ca-nhan/ong-a.md", "---\nname: Ông A\nkind: ca-nhan\nsummary: Nông dân giỏi.\n"
                      "---\nTiểu sử.\n")
    tmp_project.add_story("bai", story_text("Bài về ông A", "2026-03-14 08:30",
                                            extra="people:\n  - name: Ông A\n    profile: ong-a\n"))
    assert tmp_project.build().returncode == 0
    story = tmp_project.root / "site" / "bai-viet" / "bai" / "index.html"
    assert "ho-so/ong-a/" in story.read_text(encoding="utf-8")
    result = run_tool(SITE_BUILDER, "-f", tmp_project.config, "unpublish", "ong-a", "--profile",
                      "--reason", "Ông A đề nghị", cwd=tmp_project.root)
    assert result.returncode == 0, result.stderr
    assert tmp_project.build().returncode == 0
    text = story.read_text(encoding="utf-8")
    assert "ho-so/ong-a/" not in text and "Ông A" in text  # the name stays in the story
    notice = (tmp_project.root / "site" / "ho-so" / "ong-a" / "index.html").read_text(encoding="utf-8")
    assert "Hồ sơ đã được gỡ bỏ" in notice and "Nông dân giỏi" not in notice


def test_consent_records_are_never_published(built_site, demo_content):
    notes = {c.note for p in demo_content.profiles if (c := p.consent) is not None and c.note}
    assert notes  # the demo's profiles record where the signed consents are kept
    for path in built_site.dir.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".js", ".csv", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not any(note in text for note in notes), path


def test_privacy_page_and_takedown_link(built_site, page, seed_story, demo_config):
    policy = page("chinh-sach-du-lieu-ca-nhan/")
    assert policy.h1.get_text() == "Chính sách bảo vệ dữ liệu cá nhân"
    text = policy.get_text(" ")
    assert demo_config["plugin"]["organisation"]["name"] in text and "91/2025/QH15" in text
    home = page("")
    assert home.find("a", string="Chính sách bảo vệ dữ liệu cá nhân")["href"].endswith("chinh-sach-du-lieu-ca-nhan/")
    story = page(seed_story.url)
    link = story.find("a", string="Yêu cầu gỡ bỏ")
    contact = demo_config["plugin"].get("privacy", {}).get("contact") or demo_config["plugin"]["organisation"]["email"]
    assert link["href"].startswith(f"mailto:{contact}?")
    assert contact in text
    assert quote(demo_config["site_url"] + seed_story.url, safe="") in link["href"]


# --- in Chromium ----------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (CI is set, so this is an error, not a skip)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def _search(browser, base: str, query: str) -> list[str]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/tim-kiem/?q={quote(query)}")
        page.wait_for_selector("[data-gs-search][data-gs-state=done]", timeout=20_000)
        hrefs = page.eval_on_selector_all(".gs-result__title a", "els => els.map(a => a.href)")
        return [urlsplit(h).path.lstrip("/") for h in hrefs]
    finally:
        context.close()


@pytest.mark.browser
def test_search_no_longer_finds_the_withdrawn_story(withdrawn, browser, demo_catalog):
    root, *_ = withdrawn
    seed = demo_catalog.story_by_slug[SEED_SLUG]
    other = next(s for s in demo_catalog.stories if s.slug != SEED_SLUG and s.people)
    with served(root / "site") as base:
        for query in (seed.title, fold(seed.title), seed.people[0].name):
            assert seed.url not in _search(browser, base, query), query
        assert other.url in _search(browser, base, other.title)  # the search itself works


@pytest.mark.browser
def test_the_site_sets_no_cookie(built_site, browser, seed_story):
    context = browser.new_context()
    try:
        page = context.new_page()
        with served(built_site.dir) as base:
            for url in ("", seed_story.url, "linh-vuc/", "tim-kiem/?q=lam+theo+bac", "chinh-sach-du-lieu-ca-nhan/"):
                page.goto(f"{base}/{url}")
                page.wait_for_load_state("networkidle")
                assert page.evaluate("document.cookie") == ""
        assert context.cookies() == []
    finally:
        context.close()


def test_a_short_common_title_is_not_mistaken_for_a_trace(tmp_project):
    """"Một bài viết" is in the statistics page's own text: the story is recognised by its address,
    summary and photos, not by so short a title."""
    tmp_project.add_story("mot", story_text("Một bài viết", "2026-03-14 08:30",
                                            summary="Tóm tắt riêng của bài bị gỡ, đủ dài để nhận ra."))
    tmp_project.add_story("hai", story_text("Bài thứ hai", "2026-03-15 08:30"))
    assert tmp_project.build().returncode == 0
    assert run_tool(SITE_BUILDER, "-f", tmp_project.config, "unpublish", "mot", "--reason", "Yêu cầu",
                    cwd=tmp_project.root).returncode == 0
    built = tmp_project.build()
    assert built.returncode == 0, built.stderr
    assert "Tóm tắt riêng của bài bị gỡ" not in "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in (tmp_project.root / "site").rglob("*.html"))

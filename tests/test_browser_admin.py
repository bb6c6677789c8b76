"""The editor end to end in Debian's Chromium (Playwright): write a story in the form, upload its
cover, save, check the file, build; edit a title; refuse a cover without its alt text. Every
request to a host other than 127.0.0.1 is aborted and counted: none is allowed.

Run with `pytest -m browser` (the default run deselects it; `make test` runs it).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Page, Route, expect, sync_playwright

from conftest import REPO, TmpProject, run_tool, SITE_BUILDER, story_text
from test_browser import CHROMIUM, CHROMIUM_FLAGS, _missing

pytestmark = pytest.mark.browser
YEAR = dt.date.today().year


@pytest.fixture
def project(tmp_project: TmpProject) -> TmpProject:
    tmp_project.write("content/profiles/ca-nhan/nguyen-thi-phuong.md",
                      "---\nname: Nguyễn Thị Phượng\nkind: ca-nhan\nsummary: Chủ nhiệm CLB.\n---\nTiểu sử.\n")
    tmp_project.add_story("bai-co-san", story_text("Bài có sẵn", f"{YEAR}-01-02 08:00", extra="slug: bai-co-san"))
    (tmp_project.root / "node_modules").symlink_to(REPO / "node_modules", target_is_directory=True)
    return tmp_project


@pytest.fixture
def editor(project: TmpProject) -> Iterator[str]:
    if not (REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file():
        _missing("node_modules/decap-cms is missing (npm ci)")
    from site_builder.admin import Editor, Store, decap_dir, make_server, site_assets
    from site_builder.settings import load_settings

    store = Store(project.root, load_settings(project.config))
    server = make_server(Editor(store, decap_dir(project.root), site_assets(project.root), "http://127.0.0.1:8000/"),
                         "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/admin/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page(editor: str) -> Iterator[tuple[Page, list[str]]]:
    if CHROMIUM is None:
        _missing("chromium is not installed (apt-get install chromium)")
    foreign: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900})

        def route(route: Route) -> None:
            parts = urlsplit(route.request.url)
            if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
                foreign.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        context.route("**/*", route)
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page, foreign
        browser.close()
    assert foreign == [], f"requests to other hosts than 127.0.0.1: {foreign}"


def _photo(path: Path) -> Path:
    Image.new("RGB", (1600, 1000), (30, 90, 160)).save(path, "JPEG", quality=85)
    return path


def _select(page: Page, label: str, text: str) -> None:
    """Choose `text` in the react-select labelled `label`."""
    control = page.locator(f"label:has-text('{label}')").first.locator("xpath=following::div[contains(@class,'control')][1]")
    control.click()
    page.keyboard.type(text)
    page.locator("[class*='option']", has_text=text).first.click()


def _open_group(page: Page, label: str) -> None:
    page.locator(f"label:has-text('{label}')").first.click()


def _save(page: Page) -> None:
    page.get_by_role("button", name="Lưu").first.click()
    page.get_by_text("Lưu ngay").click()


def test_write_a_story_in_the_editor(page, project: TmpProject, editor: str, tmp_path: Path):
    page, foreign = page
    page.goto(editor + "#/collections/bai-viet/new")
    page.get_by_label("Tiêu đề").fill("Cô giáo Đặng Thị Hoà gieo chữ ở bản")
    page.get_by_label("Sapo").fill("Hai mươi năm bám bản, cô giáo đưa con chữ đến từng nhà.")
    _select(page, "Loại bài", "Cá nhân")
    _select(page, "Lĩnh vực", "Giáo dục")
    page.get_by_role("button", name="Thêm nhân vật").click()
    page.get_by_label("Họ tên", exact=True).fill("Nguyễn Thị Phượng")
    _select(page, "Hồ sơ", "Nguyễn Thị Phượng")
    page.get_by_label("Tỉnh/thành phố").fill("Vĩnh Phúc")
    page.get_by_role("button", name="Chọn ảnh", exact=True).first.click()
    page.locator("input[type=file]").set_input_files(str(_photo(tmp_path / "Lớp học.jpg")))
    page.get_by_role("button", name="Dùng ảnh đã chọn").click()
    page.get_by_label("Mô tả ảnh").fill("Cô giáo và học trò trong lớp học trên bản")
    _save(page)
    expect(page.get_by_text("Đã lưu")).to_be_visible()

    path = project.root / "content" / "stories" / str(YEAR) / "co-giao-dang-thi-hoa-gieo-chu-o-ban.md"
    assert path.is_file()
    text = path.read_text(encoding="utf-8")
    assert "profile: nguyen-thi-phuong" in text and "province: Vĩnh Phúc" in text
    photos = list((project.root / "images" / str(YEAR)).iterdir())
    assert [p.name for p in photos] == ["lop-hoc.jpg"] and f"src: {YEAR}/lop-hoc.jpg" in text
    check = run_tool(SITE_BUILDER, "-f", project.config, "check", cwd=project.root)
    assert check.returncode == 0, check.stderr
    built = project.build("--drafts")
    assert built.returncode == 0, built.stderr
    assert (project.root / "site" / "bai-viet" / "co-giao-dang-thi-hoa-gieo-chu-o-ban" / "index.html").is_file()


def test_edit_a_title_keeps_slug_and_file(page, project: TmpProject, editor: str):
    page, foreign = page
    path = project.root / "content" / "stories" / str(YEAR) / "bai-co-san.md"
    page.goto(editor + f"#/collections/bai-viet/entries/{YEAR}/bai-co-san")
    page.get_by_label("Tiêu đề").fill("Bài có sẵn, tiêu đề mới")
    preview = page.frame_locator("iframe").first  # the story as the site shows it, at the site's size
    expect(preview.locator(".gs-article__title")).to_have_text("Bài có sẵn, tiêu đề mới")
    assert preview.locator(".gs-article__sapo").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16
    _save(page)
    expect(page.get_by_text("Đã lưu")).to_be_visible()
    assert "title: Bài có sẵn, tiêu đề mới" in path.read_text(encoding="utf-8")
    assert "slug: bai-co-san" in path.read_text(encoding="utf-8")
    assert sorted(p.name for p in path.parent.iterdir()) == ["bai-co-san.md"]


def test_a_cover_without_alt_text_is_refused_in_vietnamese(page, project: TmpProject, editor: str, tmp_path: Path):
    page, foreign = page
    before = sorted(p for p in project.root.rglob("*") if ".cache" not in p.parts)
    page.goto(editor + "#/collections/bai-viet/new")
    page.get_by_label("Tiêu đề").fill("Bài thiếu mô tả ảnh")
    page.get_by_label("Sapo").fill("Sapo.")
    _select(page, "Loại bài", "Tập thể")
    page.get_by_role("button", name="Chọn ảnh", exact=True).first.click()
    page.locator("input[type=file]").set_input_files(str(_photo(tmp_path / "anh.jpg")))
    page.get_by_role("button", name="Dùng ảnh đã chọn").click()
    _save(page)
    expect(page.get_by_text("cover.alt (mô tả ảnh)")).to_be_visible()
    assert sorted(p for p in project.root.rglob("*") if ".cache" not in p.parts) == before


def test_a_long_list_comes_a_page_at_a_time_and_search_finds_every_story(page, project: TmpProject, editor: str):
    page, foreign = page
    for n in range(1, 61):  # older than the story there already is: after it in the list
        project.add_story(f"bai-cu-{n}", story_text(f"Bài cũ số {n}", f"{YEAR - 1}-01-01 08:{n % 60:02d}",
                                                    body=f"Thân bài cũ số {n}."))
    page.goto(editor + "#/collections/bai-viet")
    cards = page.locator("a[href*='/collections/bai-viet/entries/']")
    expect(cards.first).to_be_visible()
    expect(cards).to_have_count(50)  # the first page
    assert cards.first.get_attribute("href").endswith(f"/entries/{YEAR}/bai-co-san")
    cards.last.scroll_into_view_if_needed()
    expect(cards).to_have_count(61)  # the next page, when the list is scrolled to its end
    page.get_by_placeholder("Tìm kiếm").fill("Bài cũ số 60")
    page.keyboard.press("Enter")
    found = page.locator("a[href*='/entries/'][href$='bai-cu-60']")
    expect(found).to_be_visible()
    found.click()
    expect(page.get_by_label("Tiêu đề")).to_have_value("Bài cũ số 60")
    expect(page.get_by_text("Thân bài cũ số 60.")).to_be_visible()  # the whole story, body included


def test_dates_are_shown_and_typed_day_first(page, project: TmpProject, editor: str):
    page, foreign = page
    path = project.root / "content" / "stories" / str(YEAR) / "bai-co-san.md"
    page.goto(editor + f"#/collections/bai-viet/entries/{YEAR}/bai-co-san")
    date = page.get_by_label("Ngày đăng", exact=True)
    expect(date).to_have_value(f"02/01/{YEAR} 08:00")  # 2 January, as the file says it: {YEAR}-01-02 08:00
    date.fill(f"31/02/{YEAR}")
    _save(page)
    expect(page.get_by_text(f"Ngày đăng: «31/02/{YEAR}» không phải ngày")).to_be_visible()
    assert f"date: {YEAR}-01-02 08:00" in path.read_text(encoding="utf-8")  # nothing written
    date.fill(f"5/3/{YEAR} 7:05")
    _save(page)
    expect(page.get_by_text("Đã lưu")).to_be_visible()
    assert f"date: {YEAR}-03-05 07:05" in path.read_text(encoding="utf-8")

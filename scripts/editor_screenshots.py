"""The README's screenshots of the editor (docs/editor/), taken again in headless Chromium.

    .venv/bin/python scripts/editor_screenshots.py [FOLDER]

On a copy of the demo content, at 1280 and 360 px wide: the story list (danh-sach-*), a new
story being written with its preview (bai-moi-*), and a save refused by the server because the
cover has no alt text (loi-*). Written to FOLDER (default docs/editor/); look at them before
committing.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from site_builder.admin import Editor, Store, decap_dir, make_server, site_assets  # noqa: E402
from site_builder.settings import load_settings  # noqa: E402

SIZES = {1280: 800, 360: 740}
TITLE = "Cô giáo vùng cao gieo chữ"
SAPO = "Hai mươi năm bám bản, cô giáo Đặng Thị Hoà đưa con chữ đến từng nhà."
BODY = ("Mỗi sáng, cô vượt hai con dốc để đến điểm trường. Lớp học có mười hai em, "
        "thuộc ba dân tộc; cô dạy các em đọc, viết và hát.")


def copy_demo(folder: Path) -> None:
    shutil.copy2(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copytree(ROOT / "images", folder / "images")
    for name in ("themes", "node_modules"):
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)


def select(page: Page, label: str, text: str) -> None:
    """Choose `text` in the select labelled `label`."""
    page.locator(f"label:has-text('{label}')").first.locator(
        "xpath=following::div[contains(@class,'control')][1]").click()
    page.keyboard.type(text)
    page.locator("[class*='option']", has_text=text).first.click()


def new_story(page: Page, base: str) -> None:
    page.goto(base + "#/collections/bai-viet/new")
    page.get_by_label("Tiêu đề").fill(TITLE)
    page.get_by_label("Sapo").fill(SAPO)
    select(page, "Loại bài", "Cá nhân")
    select(page, "Lĩnh vực", "Giáo dục")


def fresh_page(browser, width: int, height: int) -> Page:
    """A page in a new context: nothing kept of the form of another screenshot."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.set_default_timeout(30_000)
    return page


def add_cover(page: Page, photo: Path) -> None:
    page.get_by_role("button", name="Chọn ảnh", exact=True).first.click()
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_role("button", name="Dùng ảnh đã chọn").click()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gs-editor-shots-") as tmp:
        folder = Path(tmp)
        copy_demo(folder)
        photo = sorted((folder / "images").rglob("*.jpg"))[0]
        store = Store(folder, load_settings(folder / "mkdocs.yml"))
        server = make_server(Editor(store, decap_dir(folder), site_assets(folder), "http://127.0.0.1:8000/"),
                             "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/admin/"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                        args=["--no-sandbox", "--disable-gpu"])
            for width, height in SIZES.items():
                page = fresh_page(browser, width, height)
                page.goto(base + "#/collections/bai-viet")
                expect(page.locator("a[href*='/collections/bai-viet/entries/']").first).to_be_visible()
                page.wait_for_timeout(500)
                page.screenshot(path=out / f"danh-sach-{width}.png")
                page.context.close()

                page = fresh_page(browser, width, height)
                new_story(page, base)
                page.locator("[data-slate-editor=true]").first.click()
                page.keyboard.type(BODY)
                add_cover(page, photo)
                page.get_by_label("Mô tả ảnh").fill("Cô giáo và học trò trong lớp học trên bản")
                page.evaluate("document.activeElement && document.activeElement.blur()")
                page.locator("label:has-text('Tiêu đề')").first.evaluate(  # the top of the form
                    "e => { for (; e; e = e.parentElement) e.scrollTop = 0; }")
                page.wait_for_timeout(1500)  # the preview's body, rendered by the server
                page.screenshot(path=out / f"bai-moi-{width}.png")
                page.context.close()

                page = fresh_page(browser, width, height)
                new_story(page, base)
                add_cover(page, photo)
                page.get_by_role("button", name="Lưu").first.click()
                page.get_by_text("Lưu ngay").click()
                expect(page.get_by_text("cover.alt (mô tả ảnh)")).to_be_visible()
                page.get_by_label("Mô tả ảnh").evaluate("e => e.scrollIntoView({block: 'center'})")
                page.wait_for_timeout(300)
                page.screenshot(path=out / f"loi-{width}.png")
                page.context.close()
            browser.close()
        server.shutdown()
    for shot in out.glob("*.png"):  # 256 colours: a fifth of the size, the text as sharp
        Image.open(shot).convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(shot, optimize=True)
    print(f"written: {', '.join(sorted(p.name for p in out.glob('*.png')))} in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "editor")

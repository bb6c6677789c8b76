"""How fast the editor opens on a large site: N stories and N photos (default 2,000 of each, all
photos in one year's folder: the worst case of the per-year library), in headless Chromium.

    .venv/bin/python bench/admin.py [N]

Prints the seconds from opening the address to the story list showing its entries, and to the
photo library showing its first previews (cold: previews made on demand; warm: cached).
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from site_builder.admin import Editor, Store, decap_dir, make_server, site_assets  # noqa: E402
from site_builder.settings import load_settings  # noqa: E402


def make_project(folder: Path, n: int) -> None:
    shutil.copy2(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    (folder / "themes").symlink_to(ROOT / "themes")
    (folder / "node_modules").symlink_to(ROOT / "node_modules")
    shutil.copytree(ROOT / "content" / "vocabularies", folder / "content" / "vocabularies")
    body = "Đoạn văn của bài viết, đủ dài như một bài thật. " * 60
    for i in range(n):
        year = 2020 + i % 6
        path = folder / "content" / "stories" / str(year) / f"bai-so-{i}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: \"Bài số {i}: gương sáng ở xã Tân Phong\"\ndate: {year}-03-14 08:30\n"
                        f"summary: Sapo của bài số {i}.\nkind: ca-nhan\nfields: [Giáo dục - Đào tạo]\n"
                        f"cover: {{src: 2026/anh-{i % n}.jpg, alt: Ảnh {i}}}\n---\n{body}\n", encoding="utf-8")
    photos = folder / "images" / "2026"
    photos.mkdir(parents=True)
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (120, 60, 30)).save(out, "JPEG", quality=85)  # a 12 MP photo
    for i in range(n):
        (photos / f"anh-{i}.jpg").write_bytes(out.getvalue())


def main(n: int) -> None:
    with tempfile.TemporaryDirectory(prefix="gs-bench-admin-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        make_project(folder, n)
        print(f"{n} stories and {n} photos (12 MP) made in {time.perf_counter() - started:.1f} s")
        store = Store(folder, load_settings(folder / "mkdocs.yml"))
        server = make_server(Editor(store, decap_dir(folder), site_assets(folder), "http://127.0.0.1:8000/"),
                             "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/admin/"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                        args=["--no-sandbox", "--disable-gpu"])
            for run in ("cold", "warm"):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                t = time.perf_counter()
                page.goto(base + "#/collections/bai-viet")
                page.get_by_text("Bài số").first.wait_for(timeout=60_000)
                listed = time.perf_counter() - t
                print(f"{run}: story list {listed:.2f} s", flush=True)
                t = time.perf_counter()
                page.get_by_role("button", name="Tập tin").click()
                try:
                    page.locator("img[src*='/admin/anh/']").first.wait_for(timeout=60_000)
                except Exception:
                    page.screenshot(path="/tmp/gs-editor-media.png")
                    raise
                page.wait_for_function("[...document.querySelectorAll(\"img[src*='/admin/anh/']\")]"
                                       ".slice(0, 8).every(i => i.complete && i.naturalWidth > 0)", timeout=120_000)
                library = time.perf_counter() - t
                shown = page.locator("img[src*='/admin/anh/']").count()
                print(f"{run}: story list {listed:.2f} s; photo library {library:.2f} s "
                      f"({shown} previews on screen of {n} photos)")
                context.close()
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)

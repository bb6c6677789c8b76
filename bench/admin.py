"""How fast the editor opens on a large site: N stories and N photos (default 2,000 of each, all
photos in one year's folder: the worst case of the per-year library), in headless Chromium.

    .venv/bin/python bench/admin.py [N] [--runs 3] [--profile] [--trace FOLDER]

Each opening prints the seconds from opening the address to the story list showing its first
entries, and from clicking "Tập tin" to the photo library showing its first 8 previews loaded;
then where that time went: the editor's files (when each arrived, how large), each call of the
backend (its time in the server, the size of its answer) and, with --profile, Chromium's main
thread (from a CPU profile: Decap's bundle, our script, garbage collection, idle). The openings:
--runs in a new browser context each, so with nothing in the browser's cache (the first with
the server just started, its own caches empty: "cold"), then "reopened": a second opening in
one context (Decap's bundle from the browser's cache, as when staff come back). With --trace,
a Playwright trace of each (open it with `playwright show-trace`).

The photos are all one 5 MB JPEG of noise under N names (hard links), as slow to decode as a
phone's; the previews the library shows are made by the server when it starts (this year's 12
newest) or when first asked for, then come from .cache/ (photos uploaded in the editor have
theirs made when they are saved). "cold" opens the editor as soon as the server is up.
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import os
import shutil
import statistics
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

PREVIEWS = "img[src*='/admin/anh/']"


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
    photos = folder / "images" / str(time.localtime().tm_year)  # the library opens on this year's folder
    photos.mkdir(parents=True)
    first = photos / "anh-0.jpg"
    first.write_bytes(phone_photo())
    for i in range(1, n):  # the same bytes under every name (hard links: not N times 5 MB on disk)
        os.link(first, photos / f"anh-{i}.jpg")


def phone_photo() -> bytes:
    """A 12 MP JPEG as heavy to decode as a phone's (about 5 MB: noise in three colours)."""
    size = (4000, 3000)
    noise = [Image.effect_noise(size, sigma) for sigma in (40, 50, 60)]
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.blend(Image.merge("RGB", noise), Image.merge("RGB", [gradient] * 3), 0.5)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


class Calls:
    """The backend's actions, timed in the server."""

    def __init__(self, store: Store) -> None:
        self.seen: list[tuple[str, float, int]] = []
        self.lock = threading.Lock()
        handle = store.handle

        def timed(action: str, params: dict):
            started = time.perf_counter()
            answer = handle(action, params)
            size = len(json.dumps(answer, ensure_ascii=False).encode("utf-8"))
            with self.lock:
                self.seen.append((action, time.perf_counter() - started, size))
            return answer

        store.handle = timed  # type: ignore[method-assign]

    def take(self) -> list[tuple[str, float, int]]:
        with self.lock:
            seen, self.seen = self.seen, []
        return seen


def main_thread(profile: dict) -> dict[str, float]:
    """Milliseconds of a CPU profile's samples, by who ran: Decap's bundle, our script, the rest."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    out: collections.Counter[str] = collections.Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"]):
        frame = nodes[sample]["callFrame"]
        url, name = frame["url"], frame["functionName"]
        if "decap-cms.js" in url:
            key = "Decap"
        elif "admin.js" in url:
            key = "admin.js"
        elif name in ("(idle)", "(garbage collector)", "(program)"):
            key = name
        else:
            key = "other (browser, Playwright)"
        out[key] += delta / 1000
    return dict(out.most_common())


def files_timeline(page) -> list[str]:
    rows = page.evaluate("""() => performance.getEntriesByType('resource')
        .map(r => [r.name.replace(location.origin, ''), r.startTime, r.responseEnd, r.encodedBodySize])""")
    return [f"    {name[:44]:44} {start / 1000:5.2f} → {end / 1000:5.2f} s  {size / 1024:7.0f} KB"
            for name, start, end, size in rows]


def show_calls(calls: list[tuple[str, float, int]]) -> list[str]:
    return [f"    {action:16} {seconds:5.2f} s in the server, {size / 1024:6.0f} KB" for action, seconds, size in calls]


def measure(page, base: str, n: int, calls: Calls, profile: bool) -> tuple[float, float, list[str]]:
    """(seconds to the story list, seconds to the photo library, what was seen on the way)."""
    cdp = page.context.new_cdp_session(page) if profile else None
    if cdp:
        cdp.send("Profiler.enable")
        cdp.send("Profiler.start")
    page.goto("about:blank")  # a second opening loads the page again (not a change of its #address)
    t = time.perf_counter()
    page.goto(base + "#/collections/bai-viet")
    page.get_by_text("Bài số").first.wait_for(timeout=120_000)
    listed = time.perf_counter() - t
    seen = [f"  story list: {page.get_by_text('Bài số').count()} cards shown of {n} stories",
            "  story list: files (since the address was opened; 0 KB: from the browser's cache)",
            *files_timeline(page), "  story list: the backend's calls", *show_calls(calls.take())]
    if cdp:
        seen.append("  story list: Chromium's main thread (ms) " + ", ".join(
            f"{k} {v:.0f}" for k, v in main_thread(cdp.send("Profiler.stop")["profile"]).items()))
        cdp.send("Profiler.start")
    page.evaluate("performance.clearResourceTimings()")
    t = time.perf_counter()
    page.get_by_role("button", name="Tập tin").click()
    page.locator(PREVIEWS).first.wait_for(timeout=120_000)
    page.wait_for_function(f"[...document.querySelectorAll(\"{PREVIEWS}\")]"
                           ".slice(0, 8).every(i => i.complete && i.naturalWidth > 0)", timeout=120_000)
    library = time.perf_counter() - t
    previews = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter(r => r.name.includes('/admin/anh/')).map(r => r.encodedBodySize)""")
    seen += [f"  photo library: {page.locator(PREVIEWS).count()} previews on screen of {n} photos, "
             f"{len(previews)} loaded, {sum(previews) / max(1, len(previews)) / 1024:.0f} KB each on average",
             "  photo library: the backend's calls", *show_calls(calls.take())]
    if cdp:
        seen.append("  photo library: Chromium's main thread (ms) " + ", ".join(
            f"{k} {v:.0f}" for k, v in main_thread(cdp.send("Profiler.stop")["profile"]).items()))
        cdp.detach()
    return listed, library, seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3, help="openings in a new browser context (the first: cold)")
    parser.add_argument("--profile", action="store_true", help="Chromium's CPU profile, summed (slows it a little)")
    parser.add_argument("--trace", type=Path, help="a folder for Playwright traces of each opening")
    args = parser.parse_args()
    n = args.n
    with tempfile.TemporaryDirectory(prefix="gs-bench-admin-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        make_project(folder, n)
        print(f"{n} stories and {n} photos (12 MP, 5 MB) made in {time.perf_counter() - started:.1f} s")
        store = Store(folder, load_settings(folder / "mkdocs.yml"))
        calls = Calls(store)
        editor = Editor(store, decap_dir(folder), site_assets(folder), "http://127.0.0.1:8000/")
        server = make_server(editor, "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/admin/"
        figures = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                        args=["--no-sandbox", "--disable-gpu"])
            # New contexts: the browser's cache empty each time; then one context opening the editor
            # again ("reopened": Decap's bundle from the browser's cache, as a second visit).
            plan = [("cold" if run == 0 else f"new {run}", 1) for run in range(args.runs)] + [("reopened", 2)]
            for label, openings in plan:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                if args.trace:
                    context.tracing.start(screenshots=True, snapshots=True)
                page = context.new_page()
                for _ in range(openings):
                    load = os.getloadavg()[0]
                    listed, library, seen = measure(page, base, n, calls, args.profile)
                if args.trace:
                    args.trace.mkdir(parents=True, exist_ok=True)
                    context.tracing.stop(path=args.trace / f"admin-{label.replace(' ', '-')}.zip")
                print(f"\n{label}: story list {listed:.2f} s; photo library {library:.2f} s "
                      f"(load average {load:.1f} on {os.cpu_count()} cores)", *seen, sep="\n")
                figures.append((label, listed, library, load))
                context.close()
            browser.close()
        server.shutdown()
        for thread in threading.enumerate():  # the server's warm-up, if not done
            if thread.name == "admin-warm-up":
                thread.join()
        print()
        for label, listed, library, load in figures:
            print(f"{label:9}: story list {listed:5.2f} s, photo library {library:5.2f} s  (load {load:4.1f})")
        fresh = [f for f in figures if f[0] != "reopened"]
        print(f"{'median':9}: story list {statistics.median(f[1] for f in fresh):5.2f} s, photo library "
              f"{statistics.median(f[2] for f in fresh):5.2f} s  (new contexts, cold included)")


if __name__ == "__main__":
    main()

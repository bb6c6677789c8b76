"""Lighthouse (mobile, default throttling) on the demo site served gzip-compressed on 127.0.0.1.

    python bench/lighthouse.py [--site DIR] [--save DIR]

Builds the demo site (or takes an already built one with --site), serves it with a small threaded
HTTP server that gzips text responses and sets Cache-Control, runs bench/node_modules/.bin/lighthouse
with Debian's Chromium on the home page, a story page and a term page, and prints per page the four
category scores and the bytes transferred (all, and without images). Every audit that keeps a
category below 1.0 is listed. Exits 1 if a score is below 0.95 or a page moves more than 150 KB
without its images. Needs `npm ci` in bench/ (`make lighthouse` does it).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MIN_SCORE = 0.95
MAX_BYTES_NO_IMAGES = 150_000
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
GZIP_SUFFIXES = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}
HASHED = re.compile(r"[.-][0-9a-f]{8,}(\.min)?\.[a-z0-9]+$")  # main.57a0d79d.min.css, photo-960-8e130ba154.webp
STORY_SLUGS = ("binh-xuyen-sang-tao", "binh-xuyen-nhieu-sang-tao-trong-hoc-tap-va-lam-theo-bac")
TERM_KEYS = ("xay-dung-dang",)


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text gzipped (cached in memory), HTML revalidated, fingerprinted assets immutable."""

    _cache: dict[Path, bytes] = {}
    _lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0]
        if path.endswith("/") or path.endswith(".html"):
            cache = "no-cache"
        elif HASHED.search(path):
            cache = "public, max-age=31536000, immutable"
        else:
            cache = "public, max-age=604800"
        self.send_header("Cache-Control", cache)
        super().end_headers()

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in GZIP_SUFFIXES and path.is_file()):
            return super().send_head()
        with self._lock:
            body = self._cache.get(path)
            if body is None:
                body = self._cache[path] = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", f"{self.guess_type(str(path))}; charset=utf-8")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 (free port) from a background thread; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def build(out: Path) -> None:
    """`site-builder build -d out` for the demo site."""
    exe = Path(sys.executable).with_name("site-builder")
    cmd = [str(exe) if exe.exists() else "site-builder", "build", "-d", str(out)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit("site build failed")


def pick(site: Path, section: str, preferred: tuple[str, ...]) -> str:
    """URL path of the first preferred page that exists, else of the first page in `section`."""
    for name in preferred:
        if (site / section / name / "index.html").is_file():
            return f"/{section}/{name}/"
    pages = sorted(p for p in (site / section).glob("*/index.html") if p.parent.name != "page")
    if not pages:
        raise SystemExit(f"no page under /{section}/")
    return f"/{section}/{pages[0].parent.name}/"


def lighthouse(url: str) -> dict:
    """The Lighthouse JSON report of `url` (mobile form factor, default throttling)."""
    chrome = shutil.which("chromium")
    if chrome is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    if not LIGHTHOUSE.exists():
        raise SystemExit("lighthouse is missing: run `npm ci` in bench/")
    cmd = [str(LIGHTHOUSE), url, "--output=json", "--quiet", f"--chrome-flags={CHROME_FLAGS}"]
    result = subprocess.run(cmd, env=dict(os.environ, CHROME_PATH=chrome), capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-3000:])
        raise SystemExit(f"lighthouse failed on {url}")
    return json.loads(result.stdout)


def transfer(report: dict) -> tuple[int, int]:
    """Bytes transferred in all, and without images, from the network-requests audit."""
    items = report["audits"]["network-requests"]["details"]["items"]
    total = sum(item.get("transferSize") or 0 for item in items)
    images = sum(item.get("transferSize") or 0 for item in items if item.get("resourceType") == "Image")
    return total, total - images


def _describe(item: dict) -> str:
    """One line for a details item: its URL, node or source, else its first fields."""
    node = item.get("node") if isinstance(item.get("node"), dict) else {}
    source = item.get("source") if isinstance(item.get("source"), dict) else {}
    for text in (item.get("url"), node.get("selector"), node.get("snippet"), source.get("url"), item.get("description")):
        if text:
            extra = node.get("explanation") or (f"{item['wastedBytes']:.0f} B wasted" if item.get("wastedBytes") else "")
            return " ".join(f"{text} {extra}".split())[:300]
    return json.dumps(item, ensure_ascii=False, default=str)[:240]


def failing_audits(report: dict, category: str) -> list[str]:
    """The audits of `category` that score below 1, with their items."""
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        score = audit.get("score")
        if score is None or score >= 1 or audit.get("scoreDisplayMode") in ("informative", "notApplicable", "manual"):
            continue
        shown = f" {audit['displayValue']}" if audit.get("displayValue") else ""
        lines.append(f"      {audit['id']} (score {score:.2f}, weight {ref['weight']}): {audit['title']}{shown}")
        details = audit.get("details") or {}
        for item in (details.get("items") or [])[:6]:
            if isinstance(item, dict):
                lines.append(f"        - {_describe(item)}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="an already built site (default: build the demo site)")
    parser.add_argument("--save", type=Path, help="write each Lighthouse JSON report into this directory")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="gs-lighthouse-") as tmp:
        site = args.site or Path(tmp) / "site"
        if args.site is None:
            build(site)
        pages = {"home": "/", "story": pick(site, "bai-viet", STORY_SLUGS), "term": pick(site, "linh-vuc", TERM_KEYS)}
        problems: list[str] = []
        with serve(site) as base:
            for name, path in pages.items():
                report = lighthouse(base + path)
                if args.save:
                    args.save.mkdir(parents=True, exist_ok=True)
                    (args.save / f"{name}.json").write_text(json.dumps(report), encoding="utf-8")
                scores = {c: report["categories"][c]["score"] or 0.0 for c in CATEGORIES}
                total, no_images = transfer(report)
                print(f"{name} {path}")
                print("  " + "  ".join(f"{c} {s * 100:.0f}" for c, s in scores.items()))
                print(f"  transferred {total / 1000:.1f} KB, {no_images / 1000:.1f} KB without images")
                for category, score in scores.items():
                    if score < 1:
                        print(f"    {category} {score * 100:.0f}:")
                        print("\n".join(failing_audits(report, category)))
                    if score < MIN_SCORE:
                        problems.append(f"{name}: {category} {score * 100:.0f} < {MIN_SCORE * 100:.0f}")
                errors = [a["id"] for a in report["audits"].values() if a.get("scoreDisplayMode") == "error"]
                if errors:
                    print(f"    audits that Lighthouse could not run: {', '.join(errors)}")
                if no_images > MAX_BYTES_NO_IMAGES:
                    problems.append(f"{name}: {no_images / 1000:.1f} KB without images > {MAX_BYTES_NO_IMAGES / 1000:.0f} KB")
    for problem in problems:
        print(f"FAIL {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

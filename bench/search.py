"""Site search at scale: `python bench/search.py [N ...] [--binary PATH]`.

For each N (default 10,000 and 100,000) it generates N synthetic text stories (bench/synthetic.py's
words, ~560 words each, N/100 profiles), builds the catalog and then only the search index
(`site_builder.search.build_search_index`: records from the catalog, Pagefind bundles; no page
build), and prints the index build time, the peak memory of the Pagefind binary (VmHWM over all
bundles) and of this process, and the size on disk.

Then it serves the index with the real /tim-kiem/ page (gs/search.html and assets/search.js, text
gzipped like a production server) on 127.0.0.1 and, in Debian's Chromium, opens for each of ten
fixed queries a fresh browser on /tim-kiem/?q=...: it prints the bytes transferred until the first
page of results is shown (all requests, and those under pagefind/), the search time (query to
results, downloads included), the time including the first ten results' fragments, and a warm
search time (the same query again in that page). `--binary` picks the Pagefind binary (default:
the one the build uses, see site_builder.search.pagefind_runner).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import io
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synthetic  # noqa: E402

from site_builder.catalog import build_catalog  # noqa: E402
from site_builder.content import validate_content  # noqa: E402
from site_builder.content.models import Kind, Person, Place, Profile, Story  # noqa: E402
from site_builder.search import SHARD_SIZE, build_search_index, find_binary  # noqa: E402

QUERIES = (
    "lam theo bac", "dang vien", "Đảng viên", "phu nu", "Trung My",
    "nguyen thi lan", "nong thon moi", "chuyen doi so", "cuu chien binh", "Kim Lien",
)
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
NOW = dt.datetime(2027, 1, 1)


def synthetic_content(n: int):
    """N stories (years 2019-2026), N/100 profiles, the demo's vocabularies."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "content" / "vocabularies", Path(tmp) / "content" / "vocabularies")
        content, _ = validate_content(Path(tmp))
    fields = [t.key for t in content.vocabularies["fields"].terms]
    orgs = [t.key for t in content.vocabularies["organisations"].terms]
    kinds = list(Kind)
    for i in range(n):
        rng = random.Random(i)
        province = rng.choice(list(synthetic.PROVINCES))
        commune = rng.choice(synthetic.PROVINCES[province])
        body = []
        for _ in range(3):
            body.append("## " + synthetic._sentence(rng, 5).rstrip(".") + "\n")
            body.extend(synthetic._paragraph(rng) + "\n" for _ in range(2))
        name = f"{rng.choice(synthetic.FIRST)} {rng.choice(synthetic.MIDDLE)} {rng.choice(synthetic.LAST)}"
        content.stories.append(Story(
            path=Path(f"/bench/{i}.md"), slug=f"bai-{i:06d}",
            title=synthetic._sentence(rng, rng.randint(8, 14)).rstrip(".") + f" {i}",
            date=dt.datetime(2019 + i % 8, 1 + i % 12, 1 + i % 28, 8 + i % 10, i % 60),
            summary=synthetic._sentence(rng, 30), kind=kinds[i % 4], body="\n".join(body), body_line=1,
            people=(Person(name, role=synthetic._sentence(rng, 4).rstrip(".")),),
            organisation=rng.choice(orgs), place=Place(province, commune),
            fields=tuple(rng.sample(fields, k=rng.randint(1, 2))),
            tags=tuple(dict.fromkeys(synthetic._tag(rng) for _ in range(rng.randint(1, 3)))),
        ))
    for i in range(max(1, n // 100)):
        rng = random.Random(-1 - i)
        province = rng.choice(list(synthetic.PROVINCES))
        content.profiles.append(Profile(
            path=Path(f"/bench/p{i}.md"), slug=f"ho-so-{i:05d}",
            name=f"{rng.choice(synthetic.FIRST)} {rng.choice(synthetic.MIDDLE)} {rng.choice(synthetic.LAST)} {i}",
            kind=kinds[i % 3], summary=synthetic._sentence(rng, 20), body=synthetic._paragraph(rng), body_line=1,
            place=Place(province, rng.choice(synthetic.PROVINCES[province])), fields=(rng.choice(fields),),
        ))
    return content


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; HTML, CSS, JS and JSON gzipped as a production server would (Pagefind's own
    index files are gzip already)."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in {".html", ".css", ".js", ".json"} and path.is_file() \
                and "gzip" in self.headers.get("Accept-Encoding", ""):
            data = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return io.BytesIO(data)
        return super().send_head()


def write_search_page(site: Path) -> None:
    """The real /tim-kiem/ fragment (gs/search.html) with the real search.js and search.css."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "themes" / "guong-sang"), autoescape=True)
    env.filters["rel"] = lambda url: "../" + ("" if url in ("", "./") else url)
    gs = {"heading": "Tìm kiếm", "description": "Bench", "breadcrumbs": [{"title": "Tìm kiếm", "url": "tim-kiem/"}]}
    body = env.get_template("gs/search.html").render(gs=gs)
    page = site / "tim-kiem" / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Tìm kiếm</title>'
        '<meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,">'
        f'<link rel="stylesheet" href="../assets/search.css"></head><body>{body}</body></html>',
        encoding="utf-8",
    )
    (site / "assets").mkdir(exist_ok=True)
    for name in ("search.js", "search.css"):
        shutil.copy2(ROOT / "themes" / "guong-sang" / "assets" / name, site / "assets" / name)


def measure_queries(site: Path, queries=QUERIES) -> list[dict]:
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    handler = functools.partial(_GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                                 args=CHROMIUM_FLAGS, headless=True)
            for query in queries:
                context = browser.new_context(viewport={"width": 360, "height": 740})
                page = context.new_page()
                sizes: list[tuple[str, int]] = []

                def finished(request, sizes=sizes):
                    s = request.sizes()
                    sizes.append((request.url, s["responseBodySize"] + s["responseHeadersSize"]))

                page.on("requestfinished", finished)
                errors: list[str] = []
                page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
                page.goto(f"{base}/tim-kiem/?q={quote(query)}")
                page.wait_for_selector("[data-gs-search][data-gs-state=done]", timeout=120_000)
                timings = page.evaluate("window.gsSearchTimings")
                results = page.locator("[data-gs-status]").inner_text()
                top = page.locator(".gs-result__title").first.inner_text() if page.locator(".gs-result").count() else ""
                page.wait_for_timeout(50)
                pagefind_bytes = sum(n for url, n in sizes if "/pagefind/" in url)
                total = sum(n for url, n in sizes)
                warm = page.evaluate("q => window.gsSearch.search(q + ' ').then(() => window.gsSearchTimings.search)", query)
                merged = page.evaluate("window.gsSearch.bundles()")
                rows.append({
                    "query": query, "total_bytes": total, "pagefind_bytes": pagefind_bytes,
                    "search_ms": timings["search"], "with_results_ms": timings["total"], "warm_ms": warm,
                    "bundles": merged, "status": results, "top": top, "errors": errors,
                })
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return rows


def run(n: int, binary: str | None, shard_size: int, keep: Path | None) -> None:
    started = time.monotonic()
    content = synthetic_content(n)
    catalog = build_catalog(content, NOW)
    generated = time.monotonic() - started
    site = keep / f"search-{n}" if keep else Path(tempfile.mkdtemp(prefix=f"gs-search-{n}-"))
    site.mkdir(parents=True, exist_ok=True)
    report = build_search_index(catalog, site, root=ROOT, binary=binary, shard_size=shard_size)
    python_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n== {n:,} stories, {len(catalog.profiles):,} profiles (generated in {generated:.1f} s)")
    print(f"Pagefind {report.version} ({report.binary})")
    print(f"index build: {report.seconds:.1f} s, {report.records:,} records in {report.bundles} bundle(s), "
          f"{report.bytes_on_disk / 1e6:.0f} MB on disk")
    print(f"peak memory: Pagefind binary {report.peak_rss_kb / 1024:.0f} MB, this process {python_peak_mb:.0f} MB")
    write_search_page(site)
    rows = measure_queries(site)
    print(f"{'query':<18}{'first query KB':>15}{'pagefind/ KB':>13}{'search ms':>10}{'+results ms':>12}"
          f"{'warm ms':>9}{'bundles':>8}  results")
    for r in rows:
        print(f"{r['query']:<18}{r['total_bytes'] / 1024:>15.0f}{r['pagefind_bytes'] / 1024:>13.0f}"
              f"{r['search_ms']:>10.0f}{r['with_results_ms']:>12.0f}{r['warm_ms']:>9.0f}{r['bundles']:>8}  "
              f"{r['status']}{'  ERRORS: ' + '; '.join(r['errors']) if r['errors'] else ''}")
    kb = [r["total_bytes"] / 1024 for r in rows]
    ms = [r["search_ms"] for r in rows]
    print(f"first query: median {statistics.median(kb):.0f} KB, max {max(kb):.0f} KB; "
          f"search median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms")
    if not keep:
        shutil.rmtree(site, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--binary", help="Pagefind binary (default: as the build finds it)")
    parser.add_argument("--shard-size", type=int, default=SHARD_SIZE, help=f"stories per bundle (default {SHARD_SIZE})")
    parser.add_argument("--keep", type=Path, help="keep the generated sites in this folder")
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    print(f"default binary: {find_binary(ROOT)}")
    for n in args.sizes:
        run(n, args.binary, args.shard_size, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())

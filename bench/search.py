"""Site search at scale: `python bench/search.py [N ...] [--rounds R] [--keep DIR [--measure-only]]`.

For each N (default 10,000 and 100,000) it generates N synthetic text stories (bench/synthetic.py's
words, ~560 words each, N/100 profiles), builds the catalog and then only the search index
(`site_builder.search.build_search_index`: records from the catalog, Pagefind bundles; no page
build), and prints the index build time, the peak memory of the Pagefind binary (VmHWM over all
bundles) and of this process, and the size on disk.

Then it serves the site with the real /tim-kiem/ page (gs/search.html and assets/search.js) from a
process of its own on 127.0.0.1 (HTTP/1.1 keep-alive, HTML, CSS, JS and JSON gzipped as a production
server would; Pagefind's files are gzip already) and, in Debian's Chromium, opens each of ten fixed
queries as /tim-kiem/?q=... in a fresh browser context, `--rounds` times (default 3). Per query
(medians over the rounds) it prints:

- first KB: bytes transferred until the first page of results is shown (all requests, gzip),
- search ms: search.js start -> result list; shown ms ("cold search"): search.js start -> the first
  ten results (fragments) shown; from nav: navigation start -> shown (HTML and search.js too),
- warm ms: the same query again in that page,
- a breakdown: when the last request of each kind finished (pagefind.js, entry, WebAssembly,
  metadata, index chunks, fragments...) and search.js's marks (Pagefind ready, hits, fragments,
  shown), in ms after the search started,

then the median and the maximum over the queries (and the slowest single run). `--keep DIR` keeps
the generated sites; `--measure-only` measures kept sites again (after a change of search.js).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import io
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synthetic  # noqa: E402

from site_builder.catalog import build_catalog  # noqa: E402
from site_builder.content import validate_content  # noqa: E402
from site_builder.content.models import Kind, Person, Place, Profile, Story  # noqa: E402
from site_builder.search import FIRST_SIZE, SHARD_SIZE, build_search_index, compat, find_binary  # noqa: E402

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

    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms wait on keep-alive

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


def _serve(site: str, port, keep_alive: bool) -> None:
    handler = functools.partial(_GzipHandler, directory=site)
    if keep_alive:
        _GzipHandler.protocol_version = "HTTP/1.1"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    port.value = server.server_address[1]
    server.serve_forever()


def start_server(site: Path, keep_alive: bool = True):
    """The static server in a process of its own (not behind this process's lock, which Playwright's
    event handling holds), HTTP/1.1 with keep-alive like a production server."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    port = context.Value("i", 0)
    process = context.Process(target=_serve, args=(str(site), port, keep_alive), daemon=True)
    process.start()
    deadline = time.monotonic() + 10
    while not port.value and time.monotonic() < deadline:
        time.sleep(0.01)
    return process, f"http://127.0.0.1:{port.value}"


def write_search_page(site: Path) -> None:
    """The real /tim-kiem/ fragment (gs/search.html) with the real search.js and search.css."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "themes" / "guong-sang"), autoescape=True)
    env.filters["rel"] = lambda url: "../" + ("" if url in ("", "./") else url)
    version = json.loads((site / "pagefind" / "gs-search.json").read_text(encoding="utf-8"))["version"]
    gs = {"heading": "Tìm kiếm", "description": "Bench", "breadcrumbs": [{"title": "Tìm kiếm", "url": "tim-kiem/"}],
          "preloads": compat.page_preloads(version)}
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


# Request kinds for the breakdown of a cold search (by the end of a URL).
KINDS = (
    ("gs-search.json", "manifest"), ("pagefind.js", "pagefind.js"), ("pagefind-worker.js", "worker.js"),
    ("pagefind-entry.json", "entry"), (".pagefind", "wasm"), (".pf_meta", "meta"), (".pf_index", "index"),
    (".pf_filter", "filter"), (".pf_fragment", "fragment"),
)
PHASES = ("loaded", "searched", "fragments", "shown", "painted")


def request_kind(url: str) -> str:
    path = url.split("?", 1)[0]
    return next((kind for end, kind in KINDS if path.endswith(end)), "page")


def measure_queries(site: Path, queries=QUERIES, rounds: int = 1) -> list[dict]:
    """One fresh browser context per query on /tim-kiem/?q=...: bytes, times and a breakdown;
    the whole list `rounds` times (round-robin, so a busy moment does not hit one query only)."""
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    server, base = start_server(site)
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                                 args=CHROMIUM_FLAGS, headless=True)
            for query in [q for _ in range(rounds) for q in queries]:
                context = browser.new_context(viewport={"width": 360, "height": 740})
                page = context.new_page()
                finished: list = []  # sizes and timings are asked for after the search: no traffic during it
                context.on("requestfinished", lambda r, finished=finished: finished.append(r))
                errors: list[str] = []
                page.on("console", lambda m, errors=errors: m.type in ("error", "warning") and errors.append(m.text))
                page.goto(f"{base}/tim-kiem/?q={quote(query)}")
                page.wait_for_selector("[data-gs-search][data-gs-state=done]", timeout=120_000)
                timings = page.evaluate("window.gsSearchTimings")
                page.wait_for_timeout(50)  # the next frame (the gs:painted mark)
                marks = page.evaluate("""() => {
                    const out = {origin: performance.timeOrigin};
                    for (const m of performance.getEntriesByType('mark')) {
                        if (m.name.startsWith('gs:') && !(m.name.slice(3) in out)) out[m.name.slice(3)] = m.startTime;
                    }
                    return out;
                }""")
                results = page.locator("[data-gs-status]").inner_text()
                top = page.locator(".gs-result__title").first.inner_text() if page.locator(".gs-result").count() else ""
                first = [request_row(r) for r in list(finished)]
                warm = page.evaluate("q => window.gsSearch.search(q + ' ').then(() => window.gsSearchTimings.search)", query)
                merged = page.evaluate("window.gsSearch.bundles()")
                rows.append({
                    "query": query, "total_bytes": sum(r["bytes"] for r in first),
                    "pagefind_bytes": sum(r["bytes"] for r in first if "/pagefind/" in r["url"]),
                    "search_ms": timings["search"], "with_results_ms": timings["total"],
                    "page_ms": marks.get("shown"), "warm_ms": warm,
                    "painted_ms": marks["painted"] - marks["start"] if "painted" in marks and "start" in marks else None,
                    "bundles": merged, "status": results, "top": top, "errors": errors,
                    "breakdown": breakdown(first, marks) if "start" in marks else {},
                })
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.join()
    return rows


def request_row(request) -> dict:
    s, t = request.sizes(), request.timing
    return {"url": request.url, "kind": request_kind(request.url), "bytes": s["responseBodySize"] + s["responseHeadersSize"],
            "start": t["startTime"], "end": t["startTime"] + max(t["responseEnd"], 0)}


def breakdown(requests: list[dict], marks: dict) -> dict:
    """Milliseconds after the search started (search.js's gs:start mark) at which each kind of request
    finished (the last of its kind), with their count and bytes; and search.js's own marks."""
    start = marks["origin"] + marks["start"]
    out: dict[str, dict] = {}
    for r in requests:
        k = out.setdefault(r["kind"], {"n": 0, "bytes": 0, "first": r["start"] - start, "end": r["end"] - start})
        k["n"] += 1
        k["bytes"] += r["bytes"]
        k["first"] = min(k["first"], r["start"] - start)
        k["end"] = max(k["end"], r["end"] - start)
    out["marks"] = {name: marks[name] - marks["start"] for name in PHASES if name in marks}
    out["marks"]["page"] = marks["start"]
    return out


def _ms(value) -> str:
    return "-" if value is None else f"{value:.0f}"


def print_breakdown(rows: list[dict]) -> None:
    if not all(r["breakdown"] for r in rows):
        return  # a search.js without the gs:... marks
    kinds = [k for _, k in KINDS if any(k in r["breakdown"] for r in rows)]
    print("breakdown (ms after the search started: when the last request of a kind finished, [count]; "
          "'page' = navigation to search start)")
    print(f"{'query':<16}{'page':>6}" + "".join(f"{k:>14}" for k in kinds) + "".join(f"{m:>10}" for m in PHASES))
    for r in rows:
        b = r["breakdown"]
        cells = []
        for k in kinds:
            cells.append(f"{b[k]['end']:>9.0f} [{b[k]['n']:>2}]" if k in b else f"{'-':>14}")
        phases = "".join(f"{b['marks'][m]:>10.0f}" if m in b["marks"] else f"{'-':>10}" for m in PHASES)
        print(f"{r['query']:<16}{b['marks']['page']:>6.0f}" + "".join(cells) + phases)
    print("KB per kind (median over queries): " + ", ".join(
        f"{k} {statistics.median([r['breakdown'][k]['bytes'] / 1024 if k in r['breakdown'] else 0 for r in rows]):.0f}"
        for k in kinds))


def run(n: int, binary: str | None, shard_size: int, keep: Path | None, measure_only: bool = False,
        rounds: int = 3, first_size: int = FIRST_SIZE) -> None:
    if measure_only:  # the index kept by an earlier run with --keep; only search.js and the page are new
        site = keep / f"search-{n}"
        print(f"\n== {n:,} stories: measuring the index kept in {site}")
        write_search_page(site)
        report_queries(measure_queries(site, rounds=rounds))
        return
    started = time.monotonic()
    content = synthetic_content(n)
    catalog = build_catalog(content, NOW)
    generated = time.monotonic() - started
    site = keep / f"search-{n}" if keep else Path(tempfile.mkdtemp(prefix=f"gs-search-{n}-"))
    site.mkdir(parents=True, exist_ok=True)
    index = build_search_index(catalog, ROOT, binary=binary, shard_size=shard_size, first_size=first_size)
    index.publish(site)
    report = index.report
    python_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n== {n:,} stories, {len(catalog.profiles):,} profiles (generated in {generated:.1f} s)")
    print(f"Pagefind {report.version} ({report.binary})")
    print(f"index build: {report.seconds:.1f} s, {report.records:,} records in {report.bundles} bundle(s) "
          f"({report.reused} from the cache), {report.bytes_on_disk / 1e6:.0f} MB on disk")
    print(f"peak memory: Pagefind binary {report.peak_rss_kb / 1024:.0f} MB, this process {python_peak_mb:.0f} MB")
    write_search_page(site)
    report_queries(measure_queries(site, rounds=rounds))
    if not keep:
        shutil.rmtree(site, ignore_errors=True)


NUMBERS = ("total_bytes", "pagefind_bytes", "search_ms", "with_results_ms", "page_ms", "warm_ms", "painted_ms")


def per_query(runs: list[dict]) -> list[dict]:
    """Runs of the same query folded into one row: medians, and the breakdown of the median run."""
    rows = []
    for query in dict.fromkeys(r["query"] for r in runs):
        mine = sorted((r for r in runs if r["query"] == query), key=lambda r: r["with_results_ms"])
        row = dict(mine[(len(mine) - 1) // 2])
        row.update({k: statistics.median(r[k] for r in mine) if all(r[k] is not None for r in mine) else None
                    for k in NUMBERS})
        row["runs"] = len(mine)
        row["errors"] = [e for r in mine for e in r["errors"]]
        rows.append(row)
    return rows


def report_queries(runs: list[dict]) -> dict:
    """Print the per-query table, the breakdown and the summary; returns the summary."""
    rows = per_query(runs)
    rounds = rows[0]["runs"] if rows else 0
    if rounds > 1:
        print(f"(each figure is the median of {rounds} cold runs of the query, each in a fresh browser context)")
    print(f"{'query':<16}{'first KB':>9}{'pagefind/':>10}{'search ms':>10}{'shown ms':>9}{'from nav':>9}"
          f"{'warm ms':>8}{'bundles':>8}  results")
    for r in rows:
        print(f"{r['query']:<16}{r['total_bytes'] / 1024:>9.0f}{r['pagefind_bytes'] / 1024:>10.0f}"
              f"{r['search_ms']:>10.0f}{r['with_results_ms']:>9.0f}{_ms(r['page_ms']):>9}{r['warm_ms']:>8.0f}"
              f"{r['bundles']:>8}  {r['status']}{'  ERRORS: ' + '; '.join(r['errors']) if r['errors'] else ''}")
    print_breakdown(rows)
    summary = {}

    def stat(key: str, label: str, note: str = "", scale: float = 1) -> None:
        if any(r[key] is None for r in runs):
            return
        values = [r[key] / scale for r in rows]
        worst = max(r[key] / scale for r in runs)
        summary[key] = {"median": statistics.median(values), "max": max(values), "worst_run": worst}
        extra = f", slowest single run {worst:.0f}" if rounds > 1 else ""
        print(f"{label:<26}median {statistics.median(values):>5.0f}, max {max(values):>5.0f}{extra}{note}")

    print("summary over the queries (median and max of the per-query figures):")
    stat("total_bytes", "first query KB", "  (all requests, as transferred: gzip)", 1024)
    stat("with_results_ms", "cold search ms", "  (search.js start -> first page of results shown)")
    stat("search_ms", "  of which to hits ms", "  (search.js start -> result list, before fragments)")
    stat("painted_ms", "  to the next frame ms", "  (search.js start -> the frame after the results are in the page)")
    stat("page_ms", "from navigation ms", "  (navigation start -> results shown: HTML and search.js too)")
    stat("warm_ms", "warm search ms", "  (the same query again in that page)")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--binary", help="Pagefind binary (default: as the build finds it)")
    parser.add_argument("--shard-size", type=int, default=SHARD_SIZE, help=f"stories per bundle (default {SHARD_SIZE})")
    parser.add_argument("--first-size", type=int, default=FIRST_SIZE,
                        help=f"stories in the primary bundle (default {FIRST_SIZE})")
    parser.add_argument("--keep", type=Path, help="keep the generated sites in this folder")
    parser.add_argument("--rounds", type=int, default=3, help="cold runs of each query (default 3; medians)")
    parser.add_argument("--measure-only", action="store_true",
                        help="measure the sites kept in --keep by an earlier run, without building them")
    args = parser.parse_args(argv)
    if args.measure_only and not args.keep:
        parser.error("--measure-only needs --keep")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    print(f"default binary: {find_binary(ROOT)}")
    for n in args.sizes:
        run(n, args.binary, args.shard_size, args.keep, args.measure_only, args.rounds, args.first_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())

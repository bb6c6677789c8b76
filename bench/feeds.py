"""What the feeds cost a build: `python bench/feeds.py N [N ...]`.

For each N, two sites:
  * the build benchmark's site (`bench/synthetic.py`, as `bench/build.py` builds it): N stories
    with covers and ~500-word bodies, few terms (kinds, ~10 fields, orgs, 5 provinces and their
    communes, ~40 tags). `prepare_build` loads it, parses the bodies and processes the photos
    (not timed); then the feeds output is timed: naming its files (`paths`, when the routes are
    claimed), making their bytes (`files`) with `feeds.content` summary and full, and writing
    them through the SiteWriter into an empty folder.
  * many terms (`bench/catalog.py`'s in-memory site: 3,000 tags, 63 provinces with 150 communes
    each, 300 organisations, N/10 profiles), where a story is in ~10 feeds: `files` with summary
    and with a 5 KB body per story (bodies and photos stubbed: this measures the feeds alone).
Prints seconds, ms per story, feeds, files and bytes (best of --repeat runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog import synthetic  # noqa: E402
from synthetic import make_project  # noqa: E402

from site_builder.build import BuildOptions, prepare_build  # noqa: E402
from site_builder.catalog import build_catalog  # noqa: E402
from site_builder.outputs import OutputContext, OutputPlan  # noqa: E402
from site_builder.outputs import feeds  # noqa: E402
from site_builder.routes.registry import RouteRegistry  # noqa: E402
from site_builder.settings import load_settings  # noqa: E402
from site_builder.writer import SiteWriter  # noqa: E402


def best(repeat: int, run) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def line(label: str, seconds: float, n: int, extra: str = "") -> None:
    print(f"  {label:34s} {seconds:7.3f} s  {1000 * seconds / n:6.3f} ms/story  {extra}", flush=True)


def with_feeds(context: OutputContext, content: str) -> OutputContext:
    settings = context.settings.model_copy(
        update={"feeds": context.settings.feeds.model_copy(update={"content": content})})
    return OutputContext(context.catalog, settings, context.page_urls, context.photos, context.body_html,
                         context.card_urls)


def time_files(context: OutputContext, n: int, repeat: int, label: str) -> list[tuple[str, bytes]]:
    seconds, files = best(repeat, lambda: list(feeds.OUTPUT.files(context)))
    size = sum(len(data) for _path, data in files)
    line(label, seconds, n, f"{len(files)} files, {size / 1e6:.1f} MB")
    return files


def build_site(n: int, work: Path, repeat: int) -> None:
    root = make_project(work / f"site-{n}", n)
    settings = load_settings(root / "mkdocs.yml")
    build = prepare_build(root, settings, BuildOptions())
    plan = build.output_plan()
    context = OutputContext(plan.catalog, plan.settings, plan.page_urls, build.photos,
                            lambda item, base: build.bodies.html(item, build.photos, base), build.card_urls)
    sources = sum(1 for _ in feeds.feed_sources(plan.catalog, settings))
    print(f"build benchmark's site: {len(plan.catalog.stories)} stories, {sources} feeds of 3 formats "
          f"({len(plan.page_urls)} pages)")
    seconds, paths = best(repeat, lambda: list(feeds.OUTPUT.paths(plan)))
    line("paths (claimed with the routes)", seconds, n, f"{len(paths)} paths")
    files = time_files(with_feeds(context, "summary"), n, repeat, "files, content: summary")
    time_files(with_feeds(context, "full"), n, repeat, "files, content: full")

    def write() -> None:
        registry = RouteRegistry()
        for path in paths:
            registry.claim(path, feeds.OUTPUT.producer)
        folder = Path(tempfile.mkdtemp(dir=work, prefix="written-"))
        writer = SiteWriter(folder, registry)
        for path, data in files:
            writer.write_bytes(path, data)

    seconds, _ = best(repeat, write)
    line("writing them (summary)", seconds, n)


class NoPhotos:
    def get(self, src: str):
        return None


def many_terms(n: int, repeat: int) -> None:
    content = synthetic(n)
    catalog = build_catalog(content, dt.datetime(2026, 6, 1))
    settings = load_settings(Path(__file__).resolve().parent.parent / "mkdocs.yml")
    body = "<p>" + "Nội dung bài viết làm theo Bác. " * 160 + "</p>"  # ~5 KB
    context = OutputContext(catalog, settings, (), NoPhotos(), lambda item, base: body, {})
    sources = sum(1 for _ in feeds.feed_sources(catalog, settings))
    print(f"many terms: {len(catalog.stories)} stories, {len(catalog.profiles)} profiles, {sources} feeds of 3 formats")
    time_files(with_feeds(context, "summary"), n, repeat, "files, content: summary")
    time_files(with_feeds(context, "full"), n, repeat, "files, content: full (5 KB bodies)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="+", help="numbers of stories, e.g. 2000")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each step (the best is printed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gs-bench-feeds-") as tmp:
        for n in args.n:
            build_site(n, Path(tmp), args.repeat)
            many_terms(n, args.repeat)
            print()


if __name__ == "__main__":
    main()

"""What the sitemaps, the news sitemap, the JSON API and the press page cost: `python bench/outputs.py N [N ...]`.

For each N, writes N synthetic stories (`bench/synthetic.py`), prepares the build as `site-builder
build` does (content, catalog, routes, bodies, photos; no search index, no pages), then times, best
of three runs each:
  * tasks:   listing every page's task, with its lastmod (`PageGenerator.tasks`)
  * paths:   each output's `paths(plan)` (called when the routes are claimed)
  * files:   each output's `files(context)` (the bytes the writer gets), and their size
  * write:   writing those files through the SiteWriter into a new folder (once: a second run
             would overwrite warm files)
  * press:   building the press page's view
and prints milliseconds and ms per story, to compare with a cold build (`bench/build.py N`).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import make_project  # noqa: E402

from site_builder.build import BuildOptions, prepare_build  # noqa: E402
from site_builder.outputs import OUTPUTS, OutputContext  # noqa: E402
from site_builder.routes import urls  # noqa: E402
from site_builder.routes.registry import RouteRegistry  # noqa: E402
from site_builder.settings import load_settings  # noqa: E402
from site_builder.writer import SiteWriter  # noqa: E402


def best(run, repeat: int = 3) -> tuple[float, object]:
    """Best wall time of `run()` in ms, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(1000 * (time.perf_counter() - started))
    return min(times), result


def measure(n: int, folder: Path) -> None:
    root = make_project(folder / f"site-{n}", n)
    settings = load_settings(root / "mkdocs.yml")
    build = prepare_build(root, settings, BuildOptions(), parallel=True)
    generator = build.pages()
    ms, tasks = best(lambda: list(generator.tasks()))
    print(f"\n{n} stories, {len(tasks)} pages")
    print(f"  {'tasks (with lastmod)':<34} {ms:8.1f} ms")
    plan = build.output_plan()
    context = OutputContext(plan.catalog, plan.settings, plan.page_urls, build.photos,
                            lambda item, base: build.bodies.html(item, build.photos, base), build.card_urls,
                            page_modified=plan.page_modified)
    total = 0.0
    for output in OUTPUTS:
        paths_ms, paths = best(lambda: list(output.paths(plan)))
        files_ms, files = best(lambda: list(output.files(context)))
        size = sum(len(data) for _path, data in files)
        registry = RouteRegistry()
        for path in paths:
            registry.claim(path, output.producer)
        writer = SiteWriter(folder / f"out-{n}-{len(paths)}", registry)
        started = time.perf_counter()
        for path, data in files:
            writer.write_bytes(path, data)
        write_ms = 1000 * (time.perf_counter() - started)
        total += paths_ms + files_ms + write_ms
        print(f"  {str(output.producer)[:34]:<34} paths {paths_ms:6.1f} ms  files {files_ms:6.1f} ms  "
              f"write {write_ms:6.1f} ms  {len(files):5d} files {size / 1e6:6.2f} MB")
    press = next(t for t in tasks if t.url == urls.PRESS)
    press_ms, _ = best(press.build)
    total += press_ms
    print(f"  {'press page view':<34} {press_ms:8.1f} ms")
    print(f"  total of the outputs and the press page: {total:.0f} ms ({total / n:.3f} ms per story)")


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [2000]
    with tempfile.TemporaryDirectory(prefix="gs-bench-outputs-") as tmp:
        for n in sizes:
            measure(n, Path(tmp))


if __name__ == "__main__":
    main()

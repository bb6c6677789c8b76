"""Cold build time: Gương Sáng vs plain MkDocs + Material on the same N stories.

    python bench/build.py N [N ...] [--repeat 3] [--cards] [--press] [--settle SECONDS] [--keep DIR]

Generates N synthetic stories, then times (wall clock, in one run, alternating):
  * ours, cold:        `site-builder build` with no .cache/ at all: all pages (stories, terms,
                       profiles, archive), the search index, photo variants and fonts; with the
                       default `social_cards: auto` the synthetic stories (all with a cover photo)
                       use their cover as og:image, so no card is drawn
  * ours, cold pages:  the same build again into an empty site/ with .cache/ warm (photo variants,
                       fonts, search bundles): every page is rendered and written from scratch
  * plain:             `mkdocs build` with Material and its default plugins, the same story files
                       as ordinary pages, kept out of the nav (explicit nav with the home page only)
  * with --cards:      once, ours cold with `social_cards: all` (a 1200×630 card drawn per story)
  * with --press:      ours, cold and cold pages, also without what the press issue added (feeds,
                       news sitemap, JSON API, embeds, alias redirects, the pages' structured data,
                       citation and embed code: `bench/without_press.py`), in the same alternation,
                       and what they add to each build in %
and prints ms per story for each (medians of --repeat runs).

Nothing is deleted between timed runs: a previous site/ or .cache/ is renamed into a trash
folder, emptied at the end. On ext4 without a journal (this project's CI and dev VMs),
creating a file or folder scans past every inode freed in the last 60 s (`recently_deleted`
in the kernel's inode allocator: 70% of the samples of `perf record` on a loop of mkdir
and file creates), so `rm -rf site/`
before a run made that run's thousands of creates 5-20x slower, by an amount that depended on
what the previous run had deleted. The same happens after anything else deleted many files
(a test run, an install): the benchmark prints the time a create takes before each N, flags
it when slow, and with --settle SECONDS waits up to that long for it to pass.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import make_project  # noqa: E402

BIN = Path(sys.executable).parent

PLAIN_CONFIG = """\
site_name: Plain Material
docs_dir: docs
site_dir: site
theme:
  name: material
  language: vi
nav:
  - Trang chủ: index.md
validation:
  nav:
    omitted_files: ignore
  links:
    unrecognized_links: ignore
"""


class Trash:
    """Where old outputs go between timed runs: renamed (no inode is freed), deleted at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        folder.mkdir(parents=True, exist_ok=True)

    def move(self, path: Path) -> None:
        if path.exists():
            self.count += 1
            path.rename(self.folder / f"{self.count}-{path.name}")

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass(frozen=True)
class Run:
    """A timed run: wall clock and CPU seconds (user + system, of the command and every process it
    started; a busy or noisy machine changes them less than the wall clock)."""

    wall: float
    cpu: float


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(cmd: list[str], cwd: Path, trash: Trash, cold: bool = False) -> Run:
    """`cmd` timed in `cwd` with no site/ (and, if `cold`, no .cache/), after a sync."""
    trash.move(cwd / "site")
    if cold:
        trash.move(cwd / ".cache")
    os.sync()  # write back what the previous run left dirty, so it is not charged to this one
    time.sleep(1)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    cpu = _children_cpu()
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}")
    return Run(elapsed, cpu)


SLOW_CREATE_US = 100  # a file create slower than this (µs) means recently freed inodes are being skipped


def create_latency(folder: Path, trash: Trash, files: int = 400, probes: int = 3) -> float:
    """µs to create an empty file or folder in a new folder of `folder` (median of `probes` new
    folders, which the file system may place in different block groups; moved to `trash` after)."""
    means = []
    for _ in range(probes):
        probe = folder / f"probe-{time.monotonic_ns()}"
        probe.mkdir(parents=True)
        started = time.perf_counter()
        for i in range(files // 2):
            (probe / f"d{i}").mkdir()
            (probe / f"f{i}").touch()
        means.append(1e6 * (time.perf_counter() - started) / files)
        trash.move(probe)
    return statistics.median(means)


def settle(folder: Path, trash: Trash, wait: float) -> None:
    """Warn when creating files is slow here (see the module docstring); wait up to `wait` s for it to pass."""
    latency = create_latency(folder, trash)
    deadline = time.monotonic() + wait
    while latency > SLOW_CREATE_US and time.monotonic() < deadline:
        print(f"file system: {latency:.0f} µs per create, waiting for recently freed inodes to age...", flush=True)
        time.sleep(15)
        latency = create_latency(folder, trash)
    note = "" if latency <= SLOW_CREATE_US else "  (slow: recent deletions on this file system; see --settle)"
    print(f"file system: {latency:.0f} µs per create{note}", flush=True)


def _with_cards(project: Path) -> None:
    """Set `social_cards: all` in the project's plugin settings."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    marker = "  - site_builder:\n"
    if marker not in text:
        raise SystemExit(f"--cards: no '{marker.strip()}' in {config}")
    config.write_text(text.replace(marker, marker + "      social_cards: all\n", 1), encoding="utf-8")


def plain_project(ours: Path, root: Path) -> Path:
    """The same stories as ordinary MkDocs pages (front matter is MkDocs meta)."""
    docs = root / "docs"
    shutil.copytree(ours / "content" / "stories", docs / "stories")
    shutil.copytree(ours / "images", docs / "images")
    (docs / "index.md").write_text("# Trang chủ\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
    return root


@dataclass
class Result:
    n: int
    pages: int
    cold: list[Run]
    cold_pages: list[Run]
    plain: list[Run]
    cards: Run | None = None
    bare_cold: list[Run] = field(default_factory=list)  # --press: without the press issue's outputs and parts
    bare_pages: list[Run] = field(default_factory=list)


def measure(n: int, work: Path, trash: Trash, repeat: int, cards: bool, press: bool = False) -> Result:
    ours = make_project(work / "ours", n)
    plain = plain_project(ours, work / "plain")
    build = [str(BIN / "site-builder"), "build"]
    bare = [sys.executable, str(Path(__file__).resolve().parent / "without_press.py"), "build"]
    result = Result(n, 0, [], [], [])
    for _ in range(repeat):  # alternate, so all see the same machine and file-system state
        result.cold.append(_run(build, ours, trash, cold=True))
        result.plain.append(_run([str(BIN / "mkdocs"), "build"], plain, trash))
        result.cold_pages.append(_run(build, ours, trash))
        if press:
            result.bare_cold.append(_run(bare, ours, trash, cold=True))
            result.bare_pages.append(_run(bare, ours, trash))
    if press:  # the site of the whole build, for the page count below
        _run(build, ours, trash)
    result.pages = sum(1 for _ in (ours / "site").rglob("index.html"))
    if cards:
        _with_cards(ours)
        result.cards = _run(build, ours, trash, cold=True)
    return result


def _wall(runs: list[Run]) -> float:
    return statistics.median(run.wall for run in runs)


def _cpu(runs: list[Run]) -> float:
    return statistics.median(run.cpu for run in runs)


def report(r: Result) -> None:
    def line(label: str, runs: list[Run]) -> str:
        t = _wall(runs)
        return (f"{label:38s} {t:7.2f} s  {1000 * t / r.n:7.2f} ms/story   CPU {_cpu(runs):6.2f} s   "
                f"runs: {', '.join(f'{x.wall:.2f}' for x in runs)}")

    print(f"stories: {r.n}  (our site: {r.pages} HTML pages incl. term, archive and profile pages)")
    print(line("ours, cold (no .cache/):", r.cold))
    print(line("ours, cold pages (.cache/ warm):", r.cold_pages))
    print(line("plain (mkdocs build, Material):", r.plain))
    if r.cards is not None:
        print(line("ours, cold, social_cards: all (once):", [r.cards]))
    cold, pages, plain = _wall(r.cold), _wall(r.cold_pages), _wall(r.plain)
    print(f"ratio ours / plain (medians of {len(r.cold)}): cold {cold / plain:.2f}, cold pages {pages / plain:.2f}")
    if r.bare_cold:
        print(line("ours without the press issue, cold:", r.bare_cold))
        print(line("ours without the press issue, pages:", r.bare_pages))

        def added(full: list[Run], bare: list[Run]) -> str:
            return (f"wall {100 * (_wall(full) / _wall(bare) - 1):+.1f} %, "
                    f"CPU {100 * (_cpu(full) / _cpu(bare) - 1):+.1f} %")

        print(f"the press issue adds (medians of {len(r.cold)}): cold {added(r.cold, r.bare_cold)}; "
              f"cold pages {added(r.cold_pages, r.bare_pages)}")
        pairs = [f"{full.wall / bare.wall - 1:+.1%}" for full, bare in zip(r.cold_pages, r.bare_pages)]
        print(f"  cold pages, run by run: {', '.join(pairs)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="+", help="numbers of stories, e.g. 2000 4000")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each build (median is reported)")
    parser.add_argument("--cards", action="store_true", help="also time one cold build with social_cards: all")
    parser.add_argument("--press", action="store_true",
                        help="also time the builds without what the press issue added (bench/without_press.py)")
    parser.add_argument("--settle", type=float, default=0, metavar="SECONDS",
                        help="before each N, wait up to this long while creating files is slow (recent deletions)")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="gs-bench-"))
    # Emptied only after the last timed run: it holds every site and .cache/ built (about 50 MB per
    # 1,000 stories each), so a large N with many repeats needs that much room under --keep or $TMPDIR.
    trash = Trash(work / "trash")
    results = []
    try:
        for n in args.n:
            settle(work, trash, args.settle)
            results.append(measure(n, work / str(n), trash, args.repeat, args.cards, args.press))
            report(results[-1])
            print(flush=True)
        for a, b in zip(results, results[1:]):
            ratio = _wall(b.cold) / _wall(a.cold)
            print(f"scaling, ours cold: N={b.n} takes {ratio:.2f}x N={a.n} ({b.n / a.n:.1f}x the stories)")
    finally:
        trash.empty()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

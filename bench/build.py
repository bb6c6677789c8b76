"""Cold build time: Gương Sáng vs plain MkDocs + Material on the same N stories.

    python bench/build.py N [--keep DIR]

Generates N synthetic stories, then times (wall clock, in one run):
  * ours, cold:        `site-builder build` with no .cache/ at all: all pages (stories, terms,
                       profiles, archive), photo variants, fonts, and one social card per story
  * ours, cold pages:  the same build again into an empty site/ with .cache/ warm (photo variants,
                       social cards, fonts, search bundles): every page is rendered and written
                       from scratch, but no image is re-encoded and no unchanged search bundle
                       re-indexed (social cards are an output plain MkDocs does not make)
  * plain:             `mkdocs build` with Material and its default plugins, the same story files
                       as ordinary pages, kept out of the nav (explicit nav with the home page only)
and prints ms per story for each.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
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


def _run(cmd: list[str], cwd: Path) -> float:
    """Wall time of `cmd` in `cwd`, starting from an empty site/ and a settled file system."""
    shutil.rmtree(cwd / "site", ignore_errors=True)
    os.sync()  # deleting thousands of files leaves work (journal, discards) that would slow the next run
    time.sleep(1)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}")
    return elapsed


def plain_project(ours: Path, root: Path) -> Path:
    """The same stories as ordinary MkDocs pages (front matter is MkDocs meta)."""
    docs = root / "docs"
    shutil.copytree(ours / "content" / "stories", docs / "stories")
    shutil.copytree(ours / "images", docs / "images")
    (docs / "index.md").write_text("# Trang chủ\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each build (median is reported)")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="gs-bench-"))
    ours = make_project(work / "ours", args.n)
    plain = plain_project(ours, work / "plain")

    t_cold = _run([str(BIN / "site-builder"), "build"], ours)
    pages = sum(1 for _ in (ours / "site").rglob("index.html"))
    ours_runs, plain_runs = [], []
    for _ in range(args.repeat):  # alternate, so both see the same machine and file-system state
        ours_runs.append(_run([str(BIN / "site-builder"), "build"], ours))
        plain_runs.append(_run([str(BIN / "mkdocs"), "build"], plain))
    t_pages, t_plain = statistics.median(ours_runs), statistics.median(plain_runs)

    print(f"stories: {args.n}  (our site: {pages} HTML pages incl. term, archive and profile pages)")
    print(f"ours, cold (no cache, {args.n} social cards): {t_cold:7.2f} s  {1000 * t_cold / args.n:7.2f} ms/story")
    print(f"ours, cold pages (.cache/ warm):       {t_pages:7.2f} s  {1000 * t_pages / args.n:7.2f} ms/story")
    print(f"plain (mkdocs build, Material):        {t_plain:7.2f} s  {1000 * t_plain / args.n:7.2f} ms/story")
    print(f"ratio ours (cold pages) / plain: {t_pages / t_plain:.2f}  (medians of {args.repeat} alternating runs:"
          f" ours {', '.join(f'{t:.2f}' for t in ours_runs)}; plain {', '.join(f'{t:.2f}' for t in plain_runs)})")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

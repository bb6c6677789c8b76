"""Rebuilds of a changing site: `python bench/rebuild_loop.py [N] [--binary PATH] [--keep DIR]`.

Copies the demo project (mkdocs.yml, content/, images/, themes/) into a temporary folder and runs
`site-builder build` there N times (default 100), one story changed or added before each build,
in turn: odd builds add a new story (the newest of the site), even builds append a paragraph to
an existing one. This is what a staff member does all day, and what made a build fail now and
then when the search index read a file Pagefind had not finished writing.

A build counts as a success when it exits with 0 and the published search index agrees with the
content: the manifest (pagefind/gs-search.json) counts every story and profile, and each bundle's
pagefind-entry.json parses and counts its pages. It prints how many builds succeeded, each
failure's message (the build's last lines), and timing figures (the first, cold build apart from
the warm ones: median, 90th percentile, maximum).

`--binary` runs the builds with `PAGEFIND_BINARY_PATH` set, to try another Pagefind binary;
`--busy K` keeps K processes spinning on the CPU meanwhile (a loaded machine, as CI often is:
races between processes show up more often under contention).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE_BUILDER = Path(sys.executable).parent / "site-builder"
PROJECT_PARTS = ("mkdocs.yml", "content", "images", "themes")
TEMPLATE_STORY = ROOT / "content" / "stories" / "2024" / "kim-lien-thang-nam-nho-bac.md"

NEW_STORY = """\
---
title: "Gương sáng số {n}: người giữ đường làng sạch đẹp"
date: {date}
summary: >-
  Bài thử số {n} của vòng dựng lại: một gương người tốt việc tốt ở xã Kim Liên.
kind: tin-tong-hop
organisation: Hội LHPN xã Kim Liên
place:
  commune: xã Kim Liên
  district: huyện Nam Đàn
  province: Nghệ An
fields: [Văn hóa - Xã hội]
tags: [làm theo Bác]
---
Sáng nào bà con xóm {n} cũng cùng nhau quét dọn đường làng, trồng hoa hai bên lối đi.

## Việc nhỏ, ý nghĩa lớn

Mỗi hộ nhận một đoạn đường tự quản; cuối tuần cả xóm cùng kiểm tra, nhắc nhau giữ gìn.
"""


def copy_demo(target: Path) -> None:
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)


def change_content(project: Path, build: int, stories: list[Path]) -> str:
    """Before build number `build` (1-based): add a story (odd) or edit one (even). Returns what."""
    if build % 2:
        n = build // 2 + 1
        minutes = 8 * 60 + n  # newer each time, never in the future
        date = f"2026-01-{1 + (n // 1440) % 28:02d} {minutes // 60 % 24:02d}:{minutes % 60:02d}"
        path = project / "content" / "stories" / "2026" / f"guong-sang-so-{n:03d}.md"
        path.write_text(NEW_STORY.format(n=n, date=date), encoding="utf-8")
        stories.append(path)
        return f"added {path.name}"
    path = stories[(build // 2) % len(stories)]
    with path.open("a", encoding="utf-8") as story:
        story.write(f"\nCập nhật lần {build}: thêm một đoạn tin mới cho bài viết này.\n")
    return f"edited {path.name}"


def check_search(site: Path, stories: int, profiles: int) -> str | None:
    """What is wrong with the published search index, or None."""
    try:
        manifest = json.loads((site / "pagefind" / "gs-search.json").read_text(encoding="utf-8"))
        counted = (sum(b["stories"] for b in manifest["bundles"]), sum(b["profiles"] for b in manifest["bundles"]))
        if counted != (stories, profiles):
            return f"the manifest counts {counted}, the content has {(stories, profiles)}"
        for bundle in manifest["bundles"]:
            entry = json.loads((site / "pagefind" / bundle["path"] / "pagefind-entry.json").read_text(encoding="utf-8"))
            pages = sum(lang["page_count"] for lang in entry["languages"].values())
            if pages != bundle["stories"] + bundle["profiles"]:
                return f"bundle {bundle['path'] or '(primary)'}: its entry counts {pages} pages"
    except (OSError, ValueError, KeyError) as exc:
        return f"unreadable search index: {exc!r}"
    return None


def published(project: Path) -> tuple[int, int]:
    """Stories and profiles a build of `project` publishes (no drafts, no future stories)."""
    sys.path.insert(0, str(ROOT))
    from site_builder.catalog import build_catalog
    from site_builder.content import validate_content
    from site_builder.vietnamese import now_in_vietnam

    content, _ = validate_content(project)
    catalog = build_catalog(content, now_in_vietnam())
    return len(catalog.stories), len(catalog.profiles)


def spin() -> None:
    while True:
        pass


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=100, help="number of builds (default 100)")
    parser.add_argument("--binary", help="Pagefind binary to use (PAGEFIND_BINARY_PATH)")
    parser.add_argument("--keep", type=Path, help="build in this folder (kept) instead of a temporary one")
    parser.add_argument("--busy", type=int, default=0, metavar="K", help="K processes spinning on the CPU meanwhile")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # `kill` stops the spinners too
    spinners = [multiprocessing.Process(target=spin, daemon=True) for _ in range(args.busy)]
    for spinner in spinners:
        spinner.start()
    try:
        return run(args)
    finally:
        for spinner in spinners:
            spinner.terminate()


def run(args: argparse.Namespace) -> int:

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if args.binary:
        env["PAGEFIND_BINARY_PATH"] = str(Path(args.binary).resolve())
    with tempfile.TemporaryDirectory(prefix="gs-rebuild-") as tmp:
        project = args.keep or Path(tmp) / "project"
        if project.exists():
            shutil.rmtree(project)
        project.mkdir(parents=True)
        copy_demo(project)
        story_files = sorted((project / "content" / "stories").rglob("*.md"))
        stories, profiles = published(project)
        version = subprocess.run([sys.executable, "-c", "from site_builder.search import find_binary, binary_version;"
                                  "b = find_binary(); print(b, binary_version(b))"],
                                 env=env, capture_output=True, text=True, cwd=project).stdout.strip()
        print(f"{args.n} builds of {project} (Pagefind: {version or 'not found'}; {args.busy} busy processes)",
              flush=True)
        times: list[float] = []
        failures: list[tuple[int, str, str]] = []
        for build in range(1, args.n + 1):
            what = change_content(project, build, story_files)
            stories += what.startswith("added")
            started = time.monotonic()
            result = subprocess.run([str(SITE_BUILDER), "build"], cwd=project, env=env, capture_output=True, text=True)
            times.append(time.monotonic() - started)
            problem = None
            if result.returncode != 0:
                tail = (result.stdout + result.stderr).strip().splitlines()[-12:]
                problem = f"exit code {result.returncode}:\n    " + "\n    ".join(tail)
            else:
                problem = check_search(project / "site", stories, profiles)
            if problem:
                failures.append((build, what, problem))
            print(f"  build {build:3d} ({what}): {'FAILED' if problem else 'ok'} in {times[-1]:.1f} s", flush=True)

    warm = times[1:] or times
    print(f"\n{args.n - len(failures)} of {args.n} builds succeeded")
    for build, what, problem in failures:
        print(f"- build {build} ({what}): {problem}")
    print(f"first (cold) build {times[0]:.1f} s; the others: median {statistics.median(warm):.1f} s, "
          f"p90 {percentile(warm, 0.9):.1f} s, max {max(warm):.1f} s; total {sum(times) / 60:.1f} min")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

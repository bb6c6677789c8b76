"""Kill builds at random moments: `python bench/faults.py [N] [--stories K] [--seed S]`.

The long profile of tests/test_faults.py. A synthetic project (bench/synthetic.py, K stories)
is built once; then N times a story is added, a build started and killed with SIGKILL after a
random delay within the length of a build (so anywhere: loading, photos, search, pages,
publishing), and the kill checked:

- `site/` is the last good site, or (killed after the swap) a whole new one;
- no process of the killed build survives;
- the next build succeeds and leaves no staging or old folder behind.

Half of the runs empty the caches first, so that the photos, the bodies and the search index
are really worked on when the kill comes. Prints each run and a summary; exits 1 if any
check failed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from faultkit import leftovers, snapshot, wait_for_no_survivors  # noqa: E402
from synthetic import make_project  # noqa: E402

SITE_BUILDER = Path(sys.executable).parent / "site-builder"


def build(project: Path, marker: str) -> subprocess.Popen:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GS_FAULT_RUN": marker, "LANG": "en"}
    return subprocess.Popen([str(SITE_BUILDER), "build"], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def add_story(project: Path, n: int) -> None:
    folder = project / "content" / "stories" / "2026"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"bai-loi-{n}.md").write_text(
        f"---\ntitle: Bài số {n} của lần thử\ndate: 2026-04-01 08:00\nsummary: Tóm tắt {n}.\nkind: ca-nhan\n---\n"
        f"Nội dung bài {n}.\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="?", type=int, default=50)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="gs-faults-"))
    problems: list[str] = []
    try:
        project = make_project(work / "project", args.stories)
        started = time.monotonic()
        first = subprocess.run([str(SITE_BUILDER), "build"], cwd=project, capture_output=True, text=True)
        if first.returncode != 0:
            print(first.stderr)
            return 1
        length = time.monotonic() - started
        print(f"{args.stories} stories; a cold build takes {length:.1f} s; {args.runs} kills follow")
        killed_after_swap = 0
        for run in range(1, args.runs + 1):
            before = snapshot(project / "site")
            add_story(project, run)
            cold = rng.random() < 0.5
            if cold:
                for name in ("images", "bodies", "search"):
                    shutil.rmtree(project / ".cache" / name, ignore_errors=True)
            delay = rng.uniform(0.05, length * (1.2 if cold else 0.6))
            marker = uuid.uuid4().hex
            process = build(project, marker)
            time.sleep(delay)
            finished = process.poll() is not None
            if not finished:
                process.send_signal(signal.SIGKILL)
            process.wait()
            survivors = wait_for_no_survivors(marker)
            after = snapshot(project / "site")
            new = f"bai-viet/bai-loi-{run}/index.html" in after
            verdict = "finished" if finished else ("killed after the swap" if new else "killed")
            killed_after_swap += not finished and new
            if survivors:
                problems.append(f"run {run}: processes survive: {survivors}")
            if not new and after != before:
                problems.append(f"run {run}: the last good site was changed")
            recovered = subprocess.run([str(SITE_BUILDER), "build"], cwd=project, capture_output=True, text=True)
            if recovered.returncode != 0:
                problems.append(f"run {run}: the next build failed: {recovered.stderr[-400:]}")
            if leftovers(project):
                problems.append(f"run {run}: left behind: {leftovers(project)}")
            print(f"run {run:3d}: {'cold' if cold else 'warm'} caches, after {delay:5.2f} s: {verdict}")
        print(f"\n{args.runs} runs, {killed_after_swap} killed after the swap; problems: {len(problems)}")
        for problem in problems:
            print(f"  {problem}")
        return 1 if problems else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

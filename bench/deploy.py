"""Publishing figures: the cost of precompression, and deploys of an N-story site.

    python bench/deploy.py [N] [--repeat 2] [--keep DIR]

On a synthetic project of N stories (default 2,000; bench/synthetic.py):
  * cold builds (no .cache/) with `precompress: false` and with `precompress: true`, alternating,
    --repeat times each: the extra time of precompression, as a share of the cold build without it
    (the issue's limit: under 25 %), and the size of the .br/.gz siblings;
  * a warm rebuild after one story changed, with precompression (unchanged files come from the cache);
  * deploys, first and after that one story changed: into a local folder (hard links) and to an
    rsync target (`host:folder`, the remote shell run on this machine, so rsync's real protocol and
    --link-dest are measured, not a network): wall time and bytes written (local) or sent (rsync).
Old outputs are renamed into a trash folder emptied at the end (see bench/build.py on why).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import Trash  # noqa: E402
from synthetic import make_project  # noqa: E402

BIN = Path(sys.executable).parent
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from site_builder import deploy  # noqa: E402


def set_precompress(project: Path, on: bool) -> None:
    config = project / "mkdocs.yml"
    lines = [l for l in config.read_text(encoding="utf-8").splitlines() if "precompress:" not in l]
    at = next(i for i, l in enumerate(lines) if l.strip().startswith("per_page:"))
    lines.insert(at + 1, f"      precompress: {'true' if on else 'false'}")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(project: Path, trash: Trash, cold: bool) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of the build and all its processes, seconds of its finishing step:
    precompression and the CSP's scan, as the build reports them)."""
    if cold:
        trash.move(project / ".cache")
    trash.move(project / "site")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "site-builder"), "build"], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "GUONGSANG_TIMINGS": "1"})
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"build failed:\n{done.stdout}\n{done.stderr}")
    timings = json.loads(next(l for l in done.stderr.splitlines() if l.startswith("timings: "))[len("timings: "):])
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), timings["finish_seconds"]


def compress_alone(site: Path, work: Path) -> tuple[float, int]:
    """CPU seconds to make every sibling of `site`'s text files with an empty cache, in this process."""
    from site_builder.compress import CompressionCache, compressible

    cache = CompressionCache(work / "compress-alone")
    texts = [p for p in site.rglob("*") if p.is_file() and compressible(p.name) and "_server" not in p.parts]
    started = time.process_time()
    for path in texts:
        cache.siblings_of(path.read_bytes())
    seconds = time.process_time() - started
    shutil.rmtree(work / "compress-alone", ignore_errors=True)
    return seconds, len(texts)


def siblings_size(site: Path) -> tuple[int, int, int]:
    files = br = gz = 0
    for path in site.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            if path.name.endswith(".br"):
                br += size
            elif path.name.endswith(".gz") and path.name != "sitemap.xml.gz":
                gz += size
            else:
                files += size
    return files, br, gz


def fake_ssh(folder: Path) -> str:
    script = folder / "fake-ssh"
    script.write_text('#!/bin/sh\n[ "$1" = -l ] && shift 2\nshift\nexec sh -c "$*"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def timed_deploy(site: Path, dest) -> tuple[float, deploy.Result]:
    started = time.perf_counter()
    result = deploy.deploy(site, dest)
    return time.perf_counter() - started, result


def mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=2000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="gs-bench-deploy-"))
    work.mkdir(parents=True, exist_ok=True)
    trash = Trash(work / "trash")
    project = work / "project"
    if not (project / "mkdocs.yml").is_file():
        make_project(project, args.n)
        modules = Path(__file__).resolve().parents[1] / "node_modules"
        if modules.exists() and not (project / "node_modules").exists():
            (project / "node_modules").symlink_to(modules.resolve())
    try:
        runs: dict[bool, list[tuple[float, float, float]]] = {False: [], True: []}
        for _ in range(args.repeat):
            for on in (False, True):
                set_precompress(project, on)
                runs[on].append(build(project, trash, cold=True))
                wall, cpu, finish = runs[on][-1]
                print(f"cold build, precompress {'on ' if on else 'off'}: {wall:.2f} s wall, {cpu:.2f} s CPU, "
                      f"finishing step {finish:.2f} s = {100 * finish / wall:.1f} % of the build", flush=True)
        for what, k in (("wall", 0), ("CPU", 1)):
            off = statistics.median(r[k] for r in runs[False])
            on = statistics.median(r[k] for r in runs[True])
            print(f"{args.n} stories, cold build ({what}): {off:.2f} s without precompression, {on:.2f} s with it: "
                  f"{on - off:+.2f} s = {100 * (on - off) / off:+.1f} % (limit 25 %)")
        shares = [(finish - off_finish) / (wall - finish + off_finish) for (wall, _c, finish), (_w, _c2, off_finish)
                  in zip(runs[True], runs[False])]
        print(f"precompression's extra time, measured inside each build (its finishing step less the CSP scan of "
              f"the build without it): {100 * statistics.median(shares):+.1f} % of a cold build (limit 25 %)")
        files, br, gz = siblings_size(project / "site")
        print(f"site {mb(files)} without siblings; .br {mb(br)}, .gz {mb(gz)}")
        alone, count = compress_alone(project / "site", work)
        off_cpu = statistics.median(r[1] for r in runs[False])
        print(f"precompression alone: {count} text files in {alone:.2f} s of CPU on one core (cold cache) = "
              f"{100 * alone / off_cpu:.1f} % of a cold build's CPU; the build shares it among its cores")

        srv = work / "srv"
        local = deploy.target(str(srv))
        remote = deploy.target(f"bench@localhost:{work / 'remote'}", rsh=fake_ssh(work))
        rows = []
        for label, dest in (("local folder", local), ("rsync target", remote)):
            seconds, result = timed_deploy(project / "site", dest)
            rows.append((label, "first", seconds, result))
        story = sorted((project / "content" / "stories").rglob("*.md"))[len(rows)]
        story.write_text(story.read_text(encoding="utf-8") + "\nMột đoạn mới.\n", encoding="utf-8")
        rebuild, rebuild_cpu, _finish = build(project, trash, cold=False)
        print(f"warm rebuild after one story changed (precompress on): {rebuild:.2f} s wall, {rebuild_cpu:.2f} s CPU")
        for label, dest in (("local folder", local), ("rsync target", remote)):
            seconds, result = timed_deploy(project / "site", dest)
            rows.append((label, "one story changed", seconds, result))
        print(f"\n{'target':<14}{'deploy':<20}{'time':>8}{'files':>8}{'reused':>8}  written/sent")
        for label, when, seconds, result in rows:
            print(f"{label:<14}{when:<20}{seconds:>7.2f}s{result.files:>8}{result.reused:>8}  {mb(result.bytes_written)}")
    finally:
        trash.empty()
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

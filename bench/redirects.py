"""What old addresses (`aliases:`) add to a build: validation, claims and redirect pages.

    python bench/redirects.py N [--aliases K] [--repeat 5] [--build]

Writes N synthetic stories (bench/synthetic.py), each given K old addresses (a previous CMS's
``/tin-tuc/<title>-<id>.html``, a percent-encoded Vietnamese one and a folder ``/bai-viet/cu-<i>/``),
then times, in this process (medians of --repeat runs, CPU seconds: what a loaded machine changes least):
  * loading and validating the content without and with the aliases (`validate_content`);
  * claiming every redirect in a route registry (`redirects.OUTPUT.claimed`);
  * making every redirect page's bytes (`redirects.OUTPUT.files`).
With --build, also cold `site-builder build`s (no .cache/) of each version, alternating, for the whole
cost: wall clock and the CPU seconds of the build and every process it started.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from synthetic import make_project  # noqa: E402

from site_builder.catalog import build_catalog  # noqa: E402
from site_builder.content import validate_content  # noqa: E402
from site_builder.outputs import redirects  # noqa: E402
from site_builder.outputs.base import OutputContext  # noqa: E402
from site_builder.routes.registry import RouteRegistry  # noqa: E402
from site_builder.settings import load_settings  # noqa: E402

BIN = Path(sys.executable).parent


def old_addresses(i: int, k: int) -> list[str]:
    forms = [f"/tin-tuc/bai-viet-so-{i}-{100000 + i}.html", f"/tin-t%E1%BB%A9c/b%C3%A0i-{i}.htm",
             f"/bai-viet/cu-{i}/"]
    return [forms[j % len(forms)] + ("" if j < len(forms) else f"{j}/") for j in range(k)]


def add_aliases(root: Path, k: int) -> int:
    """Give every story `k` old addresses; returns how many were written."""
    count = 0
    for path in sorted((root / "content" / "stories").glob("*/*.md")):
        i = int(re.search(r"(\d+)", path.stem).group(1))
        text = path.read_text(encoding="utf-8")
        lines = "".join(f"  - {a}\n" for a in old_addresses(i, k))
        path.write_text(text.replace("\n---\n", f"\naliases:\n{lines}---\n", 1), encoding="utf-8")
        count += k
    return count


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median CPU seconds of `fn()` in this process, and its value."""
    runs, value = [], None
    for _ in range(repeat):
        start = time.process_time()
        value = fn()
        runs.append(time.process_time() - start)
    return statistics.median(runs), value


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cold_build(root: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the build and its processes) of one cold build.

    The previous site and cache are moved aside, not deleted: on this project's ext4 without a
    journal, files created soon after many were deleted cost far more (see bench/build.py), and
    the 2,000 more files of the version with aliases would pay it most."""
    for name in (".cache", "site"):
        if (root / name).exists():
            (root / name).rename(root.parent / f"trash-{name}-{time.monotonic_ns()}")
    cpu, start = _children_cpu(), time.perf_counter()
    subprocess.run([str(BIN / "site-builder"), "build"], cwd=root, check=True, capture_output=True)
    return time.perf_counter() - start, _children_cpu() - cpu


def without_aliases(root: Path) -> None:
    for path in (root / "content" / "stories").glob("*/*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\naliases:\n(  - .*\n)+", "\n", text, count=1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int)
    parser.add_argument("--aliases", type=int, default=3, help="old addresses per story")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--build", action="store_true", help="also one cold build with and without aliases")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gs-bench-redirects-"))
    try:
        root = make_project(work / "project", args.n)
        settings = load_settings(root / "mkdocs.yml")
        load = lambda: validate_content(root, settings.docs_dir, site_url=settings.site_url)  # noqa: E731
        plain_load, _ = timed(load, args.repeat)
        total = add_aliases(root, args.aliases)
        alias_load, (content, issues) = timed(load, args.repeat)
        assert not [i for i in issues if i.is_error], issues[:5]
        catalog = build_catalog(content, dt.datetime(2030, 1, 1))
        context = OutputContext(catalog, settings, (), None, None, {}, root=root)  # type: ignore[arg-type]

        def claim() -> int:
            registry = RouteRegistry()
            for path, producer in redirects.OUTPUT.claimed(context):
                registry.claim(path, producer)
            registry.check()
            return len(registry)

        claim_time, claimed = timed(claim, args.repeat)
        files_time, files = timed(lambda: list(redirects.OUTPUT.files(context)), args.repeat)
        assert claimed == total == len(files), (claimed, total, len(files))
        size = sum(len(data) for _, data in files)
        print(f"stories: {args.n}, old addresses: {total} ({args.aliases} per story)")
        print(f"validate content, no aliases:   {plain_load:7.3f} s CPU")
        print(f"validate content, with aliases: {alias_load:7.3f} s CPU  ({alias_load - plain_load:+.3f} s, "
              f"{1e6 * (alias_load - plain_load) / total:.1f} µs per old address)")
        print(f"claim the redirects:            {claim_time:7.3f} s CPU  ({1e6 * claim_time / total:.1f} µs each)")
        print(f"make the redirect pages:        {files_time:7.3f} s CPU  ({1e6 * files_time / total:.1f} µs each, "
              f"{size / len(files):.0f} bytes each)")
        if args.build:
            runs: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
            for _ in range(args.repeat):  # alternating, so both see the same machine
                runs[True].append(cold_build(root))
                without_aliases(root)
                runs[False].append(cold_build(root))
                add_aliases(root, args.aliases)
            wall = {k: statistics.median(w for w, _ in v) for k, v in runs.items()}
            cpu = {k: statistics.median(c for _, c in v) for k, v in runs.items()}
            for key, label in ((False, "no aliases:  "), (True, "with aliases:")):
                print(f"cold build, {label}        {wall[key]:7.2f} s wall, {cpu[key]:7.2f} s CPU")
            print(f"added by the aliases (medians of {args.repeat}): wall {100 * (wall[True] / wall[False] - 1):+.1f} %,"
                  f" CPU {100 * (cpu[True] / cpu[False] - 1):+.1f} %")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

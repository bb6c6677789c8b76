"""Run photo jobs (variants, social cards) inline or in a process pool, with a progress bar."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from site_builder.faults import checkpoint
from site_builder.i18n import _
from site_builder.processes import die_with_parent
from site_builder.progress import ProgressBar

Item = TypeVar("Item")
Result = TypeVar("Result")


def run_jobs(
    items: Sequence[Item],
    job: Callable[[Item], object],
    worker: Callable[[object], Result],
    *,
    workers: int,
    label: str,
    show_progress: bool,
    name: Callable[[Item], str],
    crashed: Callable[[Item, str], Result],
) -> Iterator[tuple[Item, Result]]:
    """Yield (item, worker(job(item))) as each finishes; inline when `workers` is 1.

    `worker` must never raise (it reports problems in its result); a worker process
    that dies is reported through `crashed(item, message)`.
    """
    bar: ProgressBar | None = None
    try:
        if workers <= 1:
            bar = ProgressBar(label, len(items)) if show_progress else None
            for item in items:
                result = worker(job(item))
                if bar:
                    bar.advance(name(item))
                yield item, result
            return
        with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            futures = {pool.submit(worker, job(item)): item for item in items}
            bar = ProgressBar(label, len(items)) if show_progress else None  # its thread starts after the fork
            remaining = set(futures)
            while remaining:
                finished, remaining = wait(remaining, return_when=FIRST_COMPLETED)
                for future in finished:
                    item = futures[future]
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        result = crashed(item, _("the process working on it stopped (out of memory?): run the "
                                                 "command again; if it happens again, make the photo smaller"))
                    except Exception as e:  # pragma: no cover - workers catch everything
                        result = crashed(item, _("the process working on it failed ({error}): run the command "
                                                 "again; if it happens again, tell the technical staff").format(
                            error=e))
                    if bar:
                        bar.advance(name(item))
                    checkpoint("photos.pool")
                    yield item, result
    finally:
        if bar:
            bar.close()

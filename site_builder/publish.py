"""Publish atomically: build into a staging folder, swap it into place only on success.

A failed build never touches the last good site: the staging folder is removed
and `site/` stays exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def staging_dir_for(site_dir: Path) -> Path:
    """A fresh sibling folder of `site_dir` to build into (same filesystem, so rename is atomic)."""
    staging = site_dir.parent / f".{site_dir.name}-staging-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    return staging


def swap_into_place(staging: Path, site_dir: Path) -> None:
    """Replace `site_dir` by `staging`; the old site is removed only after the new one is in place."""
    old = site_dir.parent / f".{site_dir.name}-old-{os.getpid()}"
    if old.exists():
        shutil.rmtree(old)
    if site_dir.exists():
        site_dir.rename(old)
    try:
        staging.rename(site_dir)
    except OSError:
        if old.exists():
            old.rename(site_dir)
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path) -> None:
    """Remove a staging folder after a failed build."""
    shutil.rmtree(staging, ignore_errors=True)

"""What the fault-injection test (tests/test_faults.py) and bench/faults.py check after a killed build."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (followed through a `site` link) and the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def survivors(marker: str) -> list[str]:
    """Live processes whose environment carries `marker` (every process a build starts inherits it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (entry / "cmdline").read_bytes()[:120]
        except OSError:
            continue
        if marker.encode() in environ and state != "Z":
            found.append(f"{entry.name}: {command!r}")
    return found


def wait_for_no_survivors(marker: str, seconds: float = 2.0) -> list[str]:
    """The survivors left after `seconds` (the kernel kills a dead build's children at once;
    this leaves them a moment to be reaped)."""
    deadline = time.monotonic() + seconds
    while survivors(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    return survivors(marker)


def leftovers(root: Path) -> list[str]:
    """Folders builds leave beside the site (staging, old sites) that are still there."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site-"))

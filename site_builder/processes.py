"""Child processes that never outlive the build.

A build forks helpers (page workers, the search index, font subsetting, the photo pool). If
the build is killed (`kill -9`, out of memory, a CI timeout), its children must go too:
otherwise they keep running and keep the terminal's pipes open (`site-builder build | cat`
would hang). On Linux the kernel kills a child whose parent dies (`PR_SET_PDEATHSIG`);
each child asks for it first thing.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """In a child process: be killed when the parent process dies (Linux; elsewhere a no-op).

    `parent` is the pid the child expects as its parent; when it died before this call (the
    kernel would then never signal), the child exits at once.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)

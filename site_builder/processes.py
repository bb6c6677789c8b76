"""Child processes that never outlive the build.

A build forks helpers (page workers, the search index, font subsetting, the photo pool). If
the build is killed (`kill -9`, out of memory, a CI timeout), its children must go too:
otherwise they keep running and keep the terminal's pipes open (`site-builder build | cat`
would hang). On Linux the kernel kills a child whose parent dies (`PR_SET_PDEATHSIG`);
each child asks for it first thing.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

from site_builder.i18n import _

T = TypeVar("T")
R = TypeVar("R")

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


# --- forked parts of a build ----------------------------------------------------------------


def _ours(exc: BaseException) -> bool:
    """One of our own errors, whose message says what went wrong (not a bug's traceback)."""
    return type(exc).__module__.startswith("site_builder")


def describe(exc: BaseException) -> str:
    """An exception as one readable message: our own errors as they are, others with their type."""
    text = str(exc).strip()
    if _ours(exc):
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _bug(exc: BaseException) -> str:
    """The message of an error that is not one of ours (a bug): what it is, and what to do."""
    return _("{error} (a fault in the site builder, not in the content: run the command again; if it happens again, "
             "tell the technical staff, with the details printed above)").format(error=describe(exc))


def _child_main(conn, parent: int, target: Callable[..., object], args: tuple) -> None:
    """Run `target` in a forked child; send the parent its result, or the message of its failure
    (then exit 1)."""
    die_with_parent(parent)
    try:
        result = target(*args)
    except BaseException as exc:  # the parent reports it; a bug's traceback goes to stderr for developers
        if not _ours(exc):
            traceback.print_exc(file=sys.stderr)
        try:
            conn.send((False, describe(exc) if _ours(exc) else _bug(exc)))
        finally:
            conn.close()
            os._exit(1)
    conn.send((True, result))
    conn.close()


class ChildProcess:
    """A forked part of the build (search index, page worker…) that returns a result or says why it failed.

    `name` names the process (for `ps`); `what` says what it is in messages (translated by the caller).
    The child shares the parent's memory as it was at the fork (copy-on-write): nothing is
    pickled on the way in; the result (or the failure's message) comes back through a pipe.
    """

    def __init__(self, name: str, what: str, target: Callable[..., object], args: tuple = ()) -> None:
        self.what = what
        context = multiprocessing.get_context("fork")
        self._reader, writer = context.Pipe(duplex=False)
        self.process = context.Process(target=_child_main, args=(writer, os.getpid(), target, args), name=name,
                                       daemon=True)
        self.process.start()
        writer.close()  # the parent's copy: the reader then sees the end when the child exits
        self.result: object = None

    def wait(self) -> str | None:
        """Wait for the child; None when it succeeded (its return value is in `result`), else
        what failed and why."""
        try:
            ok, payload = self._reader.recv()
        except EOFError:
            ok, payload = False, None
        finally:
            self._reader.close()
        self.process.join()
        code = self.process.exitcode
        if ok and code == 0:
            self.result = payload
            return None
        if payload is None:
            if code is not None and code < 0:
                payload = _("the process was killed (signal {signal}; out of memory?): run the command again; if it "
                            "happens again, tell the technical staff").format(signal=-code)
            else:
                payload = _("the process stopped with exit code {code}: run the command again; if it happens again, "
                            "tell the technical staff").format(code=code)
        return _("{what} failed: {reason}").format(what=self.what, reason=payload)

    def terminate(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self._reader.close()


class ChildFailed(RuntimeError):
    """One or more forked parts of the build failed; the message says which and why."""


def fork_map(func: Callable[[T], R], items: Sequence[T], workers: int, name: str, what: str) -> list[R]:
    """[func(item) for item in items], the items shared among `workers` forked processes
    (each takes every `workers`-th item, so nothing is pickled on the way in); in order.

    `name` names the processes (``gs-<name>-<k>``), `what` says what they are in messages.
    Raises ChildFailed with each failed worker's message.
    """
    if workers <= 1 or len(items) < 2:
        return [func(item) for item in items]
    workers = min(workers, len(items))

    def share(k: int) -> list[R]:
        return [func(item) for item in items[k::workers]]

    children = [ChildProcess(f"gs-{name}-{k}", what, share, (k,)) for k in range(workers)]
    failures = [f for f in (child.wait() for child in children) if f]
    if failures:
        raise ChildFailed("\n".join(failures))
    out: list = [None] * len(items)
    for k, child in enumerate(children):
        out[k::workers] = child.result  # type: ignore[assignment]
    return out


def cores() -> int:
    """CPU cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

"""Publish atomically: build into a staging folder, swap it into place only on success.

A failed build never touches the last good site: the staging folder is removed and
`site/` stays exactly as it was. A successful one replaces `site/` in one step, so a
crash (power cut, `kill -9`) at any moment leaves either the old site or the new one,
never none:

- on Linux, `renameat2(RENAME_EXCHANGE)` swaps the two folders in one system call;
- elsewhere (or on a file system without it) `site` becomes a symbolic link to the
  folder of the current build, switched with one `rename` of a new link over it.

Folders left by builds that died (staging folders, old sites whose removal never
finished) are removed by the next build.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import time
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def staging_dir_for(site_dir: Path) -> Path:
    """A fresh sibling folder of `site_dir` to build into (same file system, so renames are atomic).

    Staging folders of builds whose process is gone (killed mid-build) are removed first.
    """
    staging = site_dir.parent / f".{site_dir.name}-staging-{os.getpid()}"
    leftovers = [staging] if staging.exists() else []
    current = Path(os.path.realpath(site_dir))
    leftovers += [p for p in _abandoned(site_dir, "staging") + _abandoned(site_dir, "build") if p != current]
    _remove(leftovers)
    return staging


def swap_into_place(staging: Path, site_dir: Path) -> None:
    """Make `staging` the site at `site_dir` in one step; the old site is removed afterwards.

    In a terminal the removal runs in a detached process (`remove_later`), so the build does not
    wait for it: deleting a 2,000-story site's ~8,000 files and folders takes about 0.6 s. In a
    script or CI job (no terminal) it is done before returning, so a next step never sees files
    vanish. Old sites that a removal never finished (the machine stopped) are removed with it.
    """
    if site_dir.is_symlink():
        old = _switch_link(staging, site_dir)
    elif not site_dir.exists():
        staging.rename(site_dir)
        old = None
    else:
        try:
            exchange(staging, site_dir)
        except OSError as exc:
            if exc.errno not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV, errno.EPERM):
                raise
            old = _first_link(staging, site_dir)
        else:
            old = staging.parent / f".{site_dir.name}-old-{os.getpid()}"
            if old.exists():
                shutil.rmtree(old)
            staging.rename(old)  # it holds the previous site now
    leftovers = ([old] if old is not None else []) + _abandoned(site_dir, "old")
    if _interactive():
        remove_later(leftovers)
    else:
        _remove(leftovers)


def exchange(a: Path, b: Path) -> None:
    """Swap the paths `a` and `b` atomically (Linux `renameat2(RENAME_EXCHANGE)`); OSError when
    the system or the file system cannot (ENOSYS, EINVAL)."""
    if not sys.platform.startswith("linux"):
        raise OSError(errno.ENOSYS, "renameat2 is Linux only")
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        renameat2 = libc.renameat2
    except AttributeError:  # a C library older than glibc 2.28
        raise OSError(errno.ENOSYS, "the C library has no renameat2") from None
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))


def _release_name(site_dir: Path) -> Path:
    return site_dir.parent / f".{site_dir.name}-build-{time.time_ns()}-{os.getpid()}"


def _switch_link(staging: Path, site_dir: Path) -> Path | None:
    """`site_dir` is a link to the current build's folder: point it at `staging` in one rename."""
    previous = Path(os.path.realpath(site_dir))
    release = _release_name(site_dir)
    staging.rename(release)
    link = site_dir.parent / f".{site_dir.name}-link-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(release.name, target_is_directory=True)
    os.replace(link, site_dir)
    if previous.parent == site_dir.parent and previous.name.startswith(f".{site_dir.name}-build-"):
        old = site_dir.parent / f".{site_dir.name}-old-{os.getpid()}"
        previous.rename(old)
        return old
    return None


def _first_link(staging: Path, site_dir: Path) -> Path:
    """Without an atomic exchange: the real folder `site_dir` moves aside once and becomes a link
    (later builds switch the link in one step)."""
    old = site_dir.parent / f".{site_dir.name}-old-{os.getpid()}"
    if old.exists():
        shutil.rmtree(old)
    release = _release_name(site_dir)
    staging.rename(release)
    site_dir.rename(old)
    site_dir.symlink_to(release.name, target_is_directory=True)
    return old


def _interactive() -> bool:
    try:
        return os.isatty(2)
    except OSError:
        return False


def _abandoned(site_dir: Path, kind: str) -> list[Path]:
    """Folders `.site-<kind>-<pid>` of builds whose process is gone."""
    found = []
    for path in site_dir.parent.glob(f".{site_dir.name}-{kind}-*"):
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            found.append(path)
    return sorted(found)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_later(paths: list[Path]) -> None:
    """Delete the folders `paths` in a detached process (where the OS can fork), else now."""
    if not paths:
        return
    if not hasattr(os, "fork"):
        _remove(paths)
        return
    child = os.fork()
    if child == 0:  # the first child forks the remover and exits at once, so no zombie is left behind
        try:
            os.setsid()
            if os.fork() == 0:
                _detach_files()
                _remove(paths)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def _detach_files() -> None:
    """Let go of the terminal and of every inherited file (a pipe held open would make whoever
    reads the build's output wait for the removal)."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(3, 65536)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        if path.is_symlink():
            path.unlink(missing_ok=True)
        else:
            shutil.rmtree(path, ignore_errors=True)


def discard(staging: Path) -> None:
    """Remove a staging folder after a failed build."""
    shutil.rmtree(staging, ignore_errors=True)

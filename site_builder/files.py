"""Writing files safely: atomically (no partial file is ever left), and saying so when the disk is full.

Every cache entry and published file is written through `write_atomic` or `link_or_copy`:
the bytes go to a temporary file that is renamed into place, and removed if anything
fails. A full disk (or quota) becomes `DiskFull`, whose message names the folder, the
free space and what was needed, instead of a traceback.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from site_builder.i18n import _

_FULL = (errno.ENOSPC, errno.EDQUOT)


class DiskFull(RuntimeError):
    """The disk (or the user's quota) is full where the build writes."""

    def __init__(self, folder: str | os.PathLike[str], needed: int | None = None) -> None:
        self.folder = Path(folder)
        self.needed = needed
        self.free = _free_space(self.folder)
        super().__init__(self.message())

    def message(self) -> str:
        folder = self.folder
        if self.free is None:
            text = _("the disk is full: cannot write into {folder}. Free some space on this disk (or set another "
                     "folder) and run the command again; nothing was published")
        elif self.needed:
            text = _("the disk is full: cannot write into {folder} ({free} free; at least {needed} more is needed). "
                     "Free some space on this disk (or set another folder) and run the command again; nothing was "
                     "published")
        else:
            text = _("the disk is full: cannot write into {folder} ({free} free). Free some space on this disk (or "
                     "set another folder) and run the command again; nothing was published")
        return text.format(folder=folder, free=human_size(self.free or 0), needed=human_size(self.needed or 0))

    def __reduce__(self):  # crosses process boundaries whole
        return (DiskFull, (self.folder, self.needed))


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in _FULL


def os_reason(exc: OSError) -> str:
    """Why a file could not be read or written, in a few words of the staff's language (the
    system's own words, which are English, for the rarer cases)."""
    if isinstance(exc, FileNotFoundError):
        return _("the file does not exist")
    if isinstance(exc, PermissionError):
        return _("permission denied")
    if isinstance(exc, IsADirectoryError):
        return _("it is a folder")
    if is_disk_full(exc):
        return _("the disk is full")
    return exc.strerror or str(exc)


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"  # pragma: no cover


def _free_space(folder: Path) -> int | None:
    for candidate in (folder, *folder.parents):
        try:
            return shutil.disk_usage(candidate).free
        except OSError:
            continue
    return None


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write `data` at `path` through a temporary file renamed into place; on any failure the
    temporary file is removed (a full disk raises DiskFull)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    blob = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with open(tmp, "wb") as out:
            out.write(blob)
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if is_disk_full(exc):
            raise DiskFull(path.parent, len(blob)) from exc
        raise


def link_or_copy(source: str | os.PathLike[str], dest: str | os.PathLike[str]) -> None:
    """Hard-link `source` to `dest` (cheap, same file system), else copy it atomically."""
    try:
        os.link(source, dest)
    except OSError as exc:
        if is_disk_full(exc):
            raise DiskFull(Path(dest).parent, Path(source).stat().st_size) from exc
        write_atomic(dest, Path(source).read_bytes())


def tree_size(folder: str | os.PathLike[str]) -> int:
    """Bytes of the files under `folder` (0 when it does not exist)."""
    total = 0
    for dirpath, _dirs, filenames in os.walk(folder):
        for name in filenames:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total

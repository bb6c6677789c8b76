"""The one writer into the site folder.

Every file our build puts into the site goes through a `SiteWriter`: pages, photos,
social cards, fonts, the search index, the sitemap. It writes only paths that a
producer claimed in the `RouteRegistry` (an unclaimed path is a bug, raised as
`UnclaimedOutput`), and each path once per writer (`WrittenTwice`). Files from a cache
are hard-linked (copied across file systems); nothing is ever written outside the site.

MkDocs writes its own files (the theme's assets, pages and files of the content folder)
itself; their paths are claimed in the registry by the MkDocs adapter, so a collision
with ours is found before anything is written.

Forked render workers each use their own `SiteWriter` on the same folder (they write
disjoint pages).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from site_builder.files import DiskFull, is_disk_full, link_or_copy
from site_builder.routes.registry import RouteRegistry


# The writer's own errors are bugs of the site builder that no content or setting can cause: their
# messages stay English, for the developers who fix them (see site_builder.i18n). A full disk is
# `DiskFull`, which speaks the staff's language.


class UnclaimedOutput(RuntimeError):
    """A producer wrote a path it did not claim (a bug in the build, not in the content)."""


class WrittenTwice(RuntimeError):
    """One path written twice in one build (a bug in the build, not in the content)."""


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _make_folder(folder: str) -> None:
    """`os.makedirs(folder, exist_ok=True)`, with one system call when the parent exists (most often)."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)


class SiteWriter:
    """Writes claimed outputs into `site_dir`."""

    def __init__(self, site_dir: Path, registry: RouteRegistry) -> None:
        self.site_dir = Path(site_dir)
        self.registry = registry
        self._written: set[str] = set()
        self._folders: set[str] = set()
        self.count = 0

    def _target(self, path: str) -> str:
        if path in self._written:
            raise WrittenTwice(f"{path} was written twice in one build")
        if path not in self.registry:
            raise UnclaimedOutput(f"{path} is written but no producer claimed it")
        self._written.add(path)
        self.count += 1
        folder, _, _ = path.rpartition("/")
        if folder not in self._folders:
            try:
                _make_folder(os.path.join(self.site_dir, folder))
            except OSError as exc:
                if is_disk_full(exc):
                    raise DiskFull(self.site_dir) from exc
                raise
            self._folders.add(folder)
        return os.path.join(self.site_dir, path)

    def write_text(self, path: str, text: str) -> None:
        """Write `text` (UTF-8) at the site-relative `path`."""
        self.write_bytes(path, text.encode("utf-8"))

    def write_bytes(self, path: str, data: bytes) -> None:
        target = self._target(path)
        try:
            fd = os.open(target, _CREATE, 0o666)  # os.open: no file object for one write (thousands per build)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
        except OSError as exc:
            if is_disk_full(exc):
                raise DiskFull(self.site_dir, len(data)) from exc
            raise

    def link(self, path: str, source: str | os.PathLike[str]) -> None:
        """Publish the file `source` (a cached, immutable file) at `path`: a hard link, else a copy."""
        target = self._target(path)
        try:
            os.unlink(target)  # a file MkDocs or an earlier step left (e.g. `serve` writing in place)
        except FileNotFoundError:
            pass
        link_or_copy(source, target)

    def link_all(self, files: Iterable[tuple[str, Path]]) -> None:
        """`link` every (site path, cached file) pair."""
        for path, source in files:
            self.link(path, source)

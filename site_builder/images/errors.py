"""Errors of the image pipeline, worded for editors."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from site_builder.i18n import ngettext


def display_path(path: str | os.PathLike[str]) -> str:
    """`path` relative to the working directory when it lies under it."""
    p = Path(path)
    if p.is_absolute():
        try:
            return p.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return p.as_posix()
    return p.as_posix()


class ImageError(Exception):
    """One photo that cannot be published.

    str() reads like
    ``content/stories/2026/x.md:12: cover.src: images/2026/a.jpg: not an image (cannot identify image file)``.
    """

    def __init__(
        self,
        src: str,
        message: str,
        origin_path: str | os.PathLike[str] | None = None,
        origin_line: int | None = None,
        field: str | None = None,
        images_dir: str | os.PathLike[str] = "images",
    ) -> None:
        super().__init__(message)
        self.src = src
        self.message = message
        self.origin_path = Path(origin_path) if origin_path is not None else None
        self.origin_line = origin_line
        self.field = field
        self.images_dir = images_dir

    def with_origin(
        self, origin_path: str | os.PathLike[str] | None, origin_line: int | None, field: str | None
    ) -> ImageError:
        """The same problem, reported for another place that uses the photo."""
        return ImageError(self.src, self.message, origin_path, origin_line, field, self.images_dir)

    @property
    def location(self) -> str:
        """'content/stories/x.md:12' (or '' when the origin is unknown)."""
        if self.origin_path is None:
            return ""
        where = display_path(self.origin_path)
        return f"{where}:{self.origin_line}" if self.origin_line else where

    @property
    def message_with_path(self) -> str:
        """'images/2026/a.jpg: <message>' (the photo and the problem, without where it is used)."""
        shown = f"{display_path(self.images_dir)}/{self.src}" if self.src else display_path(self.images_dir)
        return f"{shown}: {self.message}"

    def to_issue(self, severity: str = "error", root: Path | None = None):
        """The problem as a content issue (`check` lists both together, sorted by file and line)."""
        from site_builder.content.errors import ContentIssue

        path = self.origin_path or Path(self.images_dir)
        return ContentIssue(path, self.origin_line or 1, self.field or "", self.message_with_path, severity, root=root)

    def __str__(self) -> str:
        parts = [p for p in (self.location, self.field) if p]
        return ": ".join([*parts, self.message_with_path])

    def __repr__(self) -> str:
        return f"ImageError({str(self)!r})"

    def __reduce__(self):  # keep all fields across processes
        return (
            ImageError,
            (self.src, self.message, self.origin_path, self.origin_line, self.field, self.images_dir),
        )


def _sort_key(e: ImageError) -> tuple:
    return (str(e.origin_path or ""), e.origin_line or 0, e.src, e.message)


class ImageErrors(Exception):
    """Every photo problem of a build, reported together."""

    exit_code = 1

    def __init__(self, errors: Iterable[ImageError]) -> None:
        self.errors = sorted(errors, key=_sort_key)
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.errors)
        head = ngettext("{count} photo error (each one says what to do):",
                        "{count} photo errors (each one says what to do):", n).format(count=n)
        return "\n".join([head] + [f"  {e}" for e in self.errors])

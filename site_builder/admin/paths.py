"""Which files the editor may read and write: only inside the content and photo folders.

Every path the editor sends is relative to the project ("content/stories/2026/x.md",
"images/2026/anh.jpg"). `resolve` turns it into a file of one of the allowed folders or
refuses it (`Refused`, with a message for staff): an absolute path, a `..`, a backslash, a
NUL, a hidden name (`.git`), or a link that leads out of the folder.
"""

from __future__ import annotations

import posixpath
import unicodedata
from pathlib import Path, PurePosixPath

from site_builder.i18n import _


class Refused(Exception):
    """A request the editor's server will not carry out; `str()` is for staff, `status` for HTTP."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def relative(path: str) -> str:
    """`path` checked as a plain relative POSIX path, NFC, without `.` parts; Refused otherwise."""
    if not isinstance(path, str) or not path.strip():
        raise Refused(_("no file is named"))
    text = unicodedata.normalize("NFC", path.strip())
    if "\x00" in text or "\\" in text:
        raise Refused(_("the path {path!r} has a character that is not allowed").format(path=path))
    rel = PurePosixPath(text)
    if rel.is_absolute() or ".." in rel.parts or (text[1:3] == ":/"):
        raise Refused(_("the path {path!r} leads outside the site's folders").format(path=path), 403)
    if any(part.startswith(".") for part in rel.parts):
        raise Refused(_("the path {path!r} names a hidden file or folder").format(path=path), 403)
    return posixpath.normpath(rel.as_posix())


def resolve(root: Path, path: str, folders: tuple[Path, ...], itself: bool = False) -> Path:
    """The file `path` (relative to the project `root`) when it lies inside one of `folders`
    (absolute, resolved; or is one of them, with `itself`), links followed; Refused otherwise."""
    rel = relative(path)
    target = (root / rel).resolve()
    for folder in folders:
        if target.is_relative_to(folder) and (itself or target != folder):
            return target
    raise Refused(_("the path {path!r} is outside the folders the editor may change").format(path=path), 403)

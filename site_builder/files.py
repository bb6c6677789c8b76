"""Small file helpers shared by the outputs that publish cached files into the site."""

from __future__ import annotations

import os
from pathlib import Path


def link_or_copy(source: str | os.PathLike[str], dest: str | os.PathLike[str]) -> None:
    """Hard-link `source` to `dest` (cheap, same file system), else copy it atomically."""
    try:
        os.link(source, dest)
    except OSError:
        dest = Path(dest)
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
        tmp.write_bytes(Path(source).read_bytes())
        os.replace(tmp, dest)

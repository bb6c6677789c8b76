"""`site-builder convert`: content files with VNI- or TCVN3-typed text rewritten in Unicode.

Each line is written as imported text is (`legacy_text.normalise`): legacy encodings converted,
Unicode NFC, tone marks of oa, oe, uy on the first vowel. A file is rewritten (atomically) only
when a line changed, and only when asked: `check` merely warns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..files import write_atomic
from ..legacy_text import normalise, to_unicode
from ..vietnamese import nfc
from .text_reader import decode


@dataclass
class Converted:
    path: Path
    legacy: int = 0  # lines converted from VNI or TCVN3
    normalised: int = 0  # other lines changed (NFD, old tone placement)
    encodings: set[str] = field(default_factory=set)
    text: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.legacy or self.normalised)


def convert_text(path: Path, text: str) -> Converted:
    result = Converted(path)
    lines = []
    for line in text.split("\n"):
        conversion = to_unicode(nfc(line))
        if conversion.encoding is not None:
            result.legacy += 1
            result.encodings.add(conversion.encoding.value)
        new = normalise(line)
        if new != line and conversion.encoding is None:
            result.normalised += 1
        lines.append(new)
    result.text = "\n".join(lines)
    return result


def markdown_files(paths: list[Path]) -> list[Path]:
    """The .md files `paths` name (folders searched, hidden ones skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.md") if not any(part.startswith(".") for part in p.parts))
        else:
            found.append(path)
    return found


def convert_files(paths: list[Path], dry_run: bool = False) -> list[Converted]:
    """Convert every file (one saved as Windows-1252 is read as such and written as UTF-8); write
    those that changed unless `dry_run`. OSError propagates (the caller names the file)."""
    results = []
    for path in markdown_files(paths):
        data = path.read_bytes()
        result = convert_text(path, decode(data))
        if not result.changed and decode(data).encode("utf-8") != data.removeprefix(b"\xef\xbb\xbf"):
            result.normalised += 1  # not UTF-8: written again as UTF-8
        if result.changed and not dry_run:
            write_atomic(path, result.text)
        results.append(result)
    return results

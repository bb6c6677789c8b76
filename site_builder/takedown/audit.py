"""Proof of a takedown: every file of a built site that still holds a trace of a withdrawn item.

One pass over the site: text files (pages, feeds, JSON, XML, scripts, and the search index's
compressed files, read decompressed) are searched for every withdrawn item's title, summary and
slug at once; other files (photos, fonts) are compared by name and, when their size is that of
one of the item's photo files, by sha256. The removal notice at the item's own address is the
one file allowed to be there.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from site_builder.routes import urls
from site_builder.takedown.traces import Traces, slug_pattern

#: Files compared by name and content only (never searched as text).
BINARY = frozenset({".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".ico", ".woff", ".woff2", ".ttf", ".otf",
                    ".wasm", ".pdf"})
MAX_TEXT_BYTES = 64 * 2**20  # a larger file is not a page: compared as a binary file


@dataclass(frozen=True)
class Leak:
    """A file of the site holding a trace of a withdrawn item."""

    path: str  # site-relative
    slug: str
    what: str  # "title", "summary", "name", "slug", "photo (name)", "photo (content)"


def _text(path: Path, data: bytes) -> bytes:
    """The file's text: gzip and brotli files (the search index, precompressed siblings) decompressed."""
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            return data
    if path.suffix == ".br":
        try:
            import brotli  # only when the site has precompressed files

            return brotli.decompress(data)
        except Exception:  # noqa: BLE001 (not brotli after all, or no module: searched as it is)
            return data
    return data


class Auditor:
    """Searches files for the traces of several withdrawn items at once."""

    def __init__(self, traces: Iterable[Traces]) -> None:
        self.traces = list(traces)
        self._labels: dict[bytes, tuple[str, str]] = {}
        for t in self.traces:
            for needle, label in t.needles().items():
                self._labels.setdefault(needle, (t.slug, label))
        needles = sorted(self._labels, key=len, reverse=True)
        self._text = re.compile(b"|".join(re.escape(n) for n in needles)) if needles else None
        self._slugs = [(t, slug_pattern(t.slug)) for t in self.traces]
        self._notices = {urls.output_path(t.url) for t in self.traces}
        self._cards = [(t, re.compile(re.escape(t.slug) + r"-[0-9a-f]{10}\.jpg$")) for t in self.traces]
        self._sizes = {size for t in self.traces for size in t.photo_hashes}

    def scan(self, site_dir: Path) -> list[Leak]:
        leaks: list[Leak] = []
        for folder, _dirs, files in os.walk(site_dir):
            for name in files:
                path = Path(folder) / name
                rel = path.relative_to(site_dir).as_posix()
                if rel.removesuffix(".gz").removesuffix(".br") in self._notices:
                    continue
                if rel == urls.SERVER_RULES:  # names withdrawn addresses, so that servers answer 410 there
                    continue
                leaks += self.check(path, rel)
        return sorted(set(leaks), key=lambda leak: (leak.path, leak.slug, leak.what))

    def check(self, path: Path, rel: str) -> list[Leak]:
        """The traces found in one file."""
        found = [Leak(rel, t.slug, "photo (name)") for t in self.traces
                 if path.name in t.photo_names or any(f"-{h}." in path.name for h in t.name_hashes)]
        found += [Leak(rel, t.slug, "photo (name)") for t, card in self._cards if card.search(path.name)]
        try:
            size = path.stat().st_size
            if size in self._sizes:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                found += [Leak(rel, t.slug, "photo (content)") for t in self.traces
                          if digest in t.photo_hashes.get(size, ())]
            if path.suffix.lower() in BINARY or size > MAX_TEXT_BYTES:
                return found
            text = _text(path, path.read_bytes())
        except OSError:
            return found
        if self._text is not None:
            for match in self._text.finditer(text):
                slug, label = self._labels[match.group(0)]
                found.append(Leak(rel, slug, label))
        found += [Leak(rel, t.slug, "slug") for t, pattern in self._slugs if pattern.search(text)]
        return found

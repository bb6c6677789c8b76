"""Precompressed siblings of the site's text files: `page.html.br` (Brotli) and `page.html.gz` (gzip).

A web server that finds them (nginx `brotli_static`/`gzip_static`, Caddy `precompressed`)
sends them as they are, instead of compressing every answer again. Each sibling is made
once per content: the cache (`.cache/compress/`) keeps it under the SHA-256 of the file it
compresses, and the build hard-links it into the site, so an unchanged file costs a read
and a hash. A sibling that would not be smaller than its file is not made (an empty cache
entry remembers that).

Only text files are compressed (`TEXT_SUFFIXES`): photos, fonts and Pagefind's index files
are compressed already. Files under `MIN_SIZE` fit in one network packet either way, and the
files other sites and programs fetch one story at a time (`urls.compressed_on_request`: embed
cards, oEmbed, the API's per-story files) are left to the server, which compresses them when asked.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import brotli
from isal import igzip

from site_builder.files import write_atomic
from site_builder.routes import urls

#: Files worth compressing, by suffix (HTML, CSS, JavaScript, JSON, XML, SVG, text, source maps).
TEXT_SUFFIXES = frozenset({".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".map",
                           ".webmanifest", ".rss", ".atom"})

#: What a 22 kB story page costs (ms of CPU) and gives (size / original), measured here:
#:   Brotli quality 4: 0.40 ms, 0.307; quality 5: 0.55 ms, 0.287; quality 9: ~10 ms, 0.285; 11: ~15 ms, 0.27
#:   gzip (zlib) level 6: 0.48 ms, 0.301; ISA-L (isal) level 3: 0.09 ms, 0.322
#: Quality 4 and ISA-L keep precompression within a fifth of a cold build's CPU (bench/deploy.py) for
#: files 2-7 % larger than the slower settings would make.
BROTLI_QUALITY = 4
GZIP_LEVEL = 3  # ISA-L's levels are 0-3

#: Sibling suffix -> compressor (gzip files without a name or time, so equal input gives equal bytes).
ENCODINGS = {
    ".br": lambda data: brotli.compress(data, quality=BROTLI_QUALITY),
    ".gz": lambda data: igzip.compress(data, GZIP_LEVEL, mtime=0),
}


#: Smaller files get no sibling: they fit in one packet compressed or not (nginx's `gzip_min_length`
#: in `server_config` is the same).
MIN_SIZE = 1024


def compressible(path: str) -> bool:
    """Whether the file `path` is text, worth compressing."""
    return os.path.splitext(path)[1].lower() in TEXT_SUFFIXES


def precompressed(path: str) -> bool:
    """Whether the site file `path` (site-relative) gets precompressed siblings when it has `MIN_SIZE`:
    a text file, served (not under ``_server/``), not one the server compresses on request."""
    return compressible(path) and not path.startswith(urls.SERVER_FOLDER) and not urls.compressed_on_request(path)


def siblings(path: str) -> tuple[str, ...]:
    """The sibling paths of `path`: ``x.html.br``, ``x.html.gz``."""
    return tuple(path + suffix for suffix in ENCODINGS)


@dataclass(frozen=True)
class CompressionCache:
    """Compressed forms of file contents, by SHA-256, in `folder`."""

    folder: Path

    @staticmethod
    def key(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    def siblings_of(self, data: bytes, key: str | None = None) -> list[tuple[str, Path]]:
        """(suffix, cached file) of each sibling worth publishing for `data` (whose `key` may be given),
        compressing on a miss; none under `MIN_SIZE`."""
        if len(data) < MIN_SIZE:
            return []
        key = key or self.key(data)
        out = []
        for suffix, compress in ENCODINGS.items():
            cached = self.folder / key[:2] / f"{key}{suffix}"
            try:
                size = cached.stat().st_size
            except FileNotFoundError:
                blob = compress(data)
                blob = blob if len(blob) < len(data) else b""  # empty: not worth a sibling
                cached.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(cached, blob)
                size = len(blob)
            if size:
                out.append((suffix, cached))
        return out

    def keep_only(self, keys: set[str]) -> int:
        """Delete every entry whose key is not in `keys` (the files of this build); returns how many.
        A build with withdrawn items does this, so no compressed copy of their pages stays in the cache."""
        removed = 0
        for entry in self.folder.glob("*/*"):
            if entry.name.split(".", 1)[0] not in keys:
                entry.unlink(missing_ok=True)
                removed += 1
        return removed

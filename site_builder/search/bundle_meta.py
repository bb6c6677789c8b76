"""What search.js needs to know about a Pagefind bundle before Pagefind has read it.

`index_chunks(bundle)` reads the bundle's metadata file (gzip, then Pagefind's signature, then
CBOR: [version, pages, index chunks, filters, sorts, meta fields]) and returns its index chunks
as [first word, last word, file hash]. The manifest carries them for the primary bundle, so the
search page can fetch the index chunks of a query from the address (?q=...) together with the
metadata, instead of one round trip after it; search.js picks them as Pagefind's
`request_indexes` does (the first chunk whose range holds the folded word).
"""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


class MetaFormatError(ValueError):
    """The metadata file is not laid out as Pagefind 1.6 writes it."""


def _decode(data: bytes, i: int):  # noqa: C901 - one branch per CBOR major type
    """A CBOR item starting at `i`: (value, index after it). Enough of RFC 8949 for minicbor's output."""
    head = data[i]
    major, info = head >> 5, head & 31
    i += 1

    def argument(i: int) -> tuple[int, int]:
        if info < 24:
            return info, i
        size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
        if size is None:
            raise MetaFormatError(f"unsupported CBOR length {info} at {i}")
        return int.from_bytes(data[i:i + size], "big"), i + size

    if major in (0, 1):
        value, i = argument(i)
        return (value if major == 0 else -1 - value), i
    if major in (2, 3, 4) and info == 31:  # indefinite length
        items = []
        while data[i] != 0xFF:
            item, i = _decode(data, i)
            items.append(item)
        i += 1
        if major == 2:
            return b"".join(items), i
        return ("".join(items) if major == 3 else items), i
    if major in (2, 3):
        size, i = argument(i)
        raw = data[i:i + size]
        return (raw if major == 2 else raw.decode("utf-8")), i + size
    if major == 4:
        size, i = argument(i)
        items = []
        for _ in range(size):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    if major == 5:
        size, i = argument(i)
        out = {}
        for _ in range(size):
            key, i = _decode(data, i)
            out[key], i = _decode(data, i)
        return out, i
    if major == 6:  # a tag: its item
        _, i = argument(i)
        return _decode(data, i)
    simple = {20: False, 21: True, 22: None, 23: None}
    if info in simple:
        return simple[info], i
    floats = {25: (">e", 2), 26: (">f", 4), 27: (">d", 8)}
    if info in floats:
        fmt, size = floats[info]
        return struct.unpack(fmt, data[i:i + size])[0], i + size
    raise MetaFormatError(f"unsupported CBOR item {head:#x}")


def read_meta(path: Path) -> list:
    """The decoded metadata file of a bundle."""
    data = Path(path).read_bytes()
    if not data.startswith(SIGNATURE):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise MetaFormatError(f"{path}: not gzip ({exc})") from exc
    if not data.startswith(SIGNATURE):
        raise MetaFormatError(f"{path}: no Pagefind signature")
    try:
        value, _ = _decode(data, len(SIGNATURE))
    except (IndexError, UnicodeDecodeError, struct.error) as exc:
        raise MetaFormatError(f"{path}: truncated or not CBOR ({exc})") from exc
    if not isinstance(value, list) or len(value) < 3:
        raise MetaFormatError(f"{path}: not a Pagefind 1.6 metadata file")
    return value


def index_chunks(meta_file: Path) -> list[list[str]]:
    """[[from, to, hash], ...] in order, as Pagefind's `request_indexes` reads them."""
    chunks = read_meta(meta_file)[2]
    if not all(isinstance(c, list) and len(c) >= 3 and all(isinstance(x, str) for x in c[:3]) for c in chunks):
        raise MetaFormatError(f"{meta_file}: unexpected index chunk list")
    return [c[:3] for c in chunks]

"""What search.js needs to know about a Pagefind bundle before Pagefind has read it.

`index_chunks(meta_file)` reads the bundle's metadata file (gzip, then Pagefind's signature, then
CBOR: [version, pages, index chunks, filters, sorts, meta fields]) and returns its index chunks
as [first word, last word, file hash]. The manifest carries them for the primary bundle, so the
search page can fetch the index chunks of a query from the address (?q=...) together with the
metadata, instead of one round trip after it; search.js picks them as Pagefind's
`request_indexes` does (the first chunk whose range holds the folded word).

The layout is Pagefind's own, not a documented format: it is read only for the Pagefind
versions it was checked against (`site_builder.search.compat`). The CBOR is decoded by `cbor2`.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import cbor2

SIGNATURE = b"pagefind_dcd"


# MetaFormatError's messages are technical details, English: `compat.bundle_details` quotes them inside
# a translated sentence that says what to do.


class MetaFormatError(ValueError):
    """The metadata file is not laid out as Pagefind 1.6 writes it."""


def decode_meta(data: bytes, name: str = "metadata") -> list:
    """The decoded metadata of a bundle, from the bytes of its .pf_meta file (gzip or not)."""
    if not data.startswith(SIGNATURE):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise MetaFormatError(f"{name}: not gzip ({exc})") from exc
    if not data.startswith(SIGNATURE):
        raise MetaFormatError(f"{name}: no Pagefind signature")
    try:
        value = cbor2.loads(data[len(SIGNATURE):])
    except (cbor2.CBORDecodeError, ValueError) as exc:
        raise MetaFormatError(f"{name}: truncated or not CBOR ({exc})") from exc
    if not isinstance(value, list) or len(value) < 3:
        raise MetaFormatError(f"{name}: not a Pagefind 1.6 metadata file")
    return value


def read_meta(path: Path) -> list:
    """The decoded metadata file of a bundle."""
    return decode_meta(Path(path).read_bytes(), str(path))


def chunks_of(meta: list, name: str = "metadata") -> list[list[str]]:
    """[[from, to, hash], ...] of decoded metadata, in order, as Pagefind's `request_indexes` reads them."""
    chunks = meta[2]
    if not isinstance(chunks, list) or not all(
        isinstance(c, list) and len(c) >= 3 and all(isinstance(x, str) for x in c[:3]) for c in chunks
    ):
        raise MetaFormatError(f"{name}: unexpected index chunk list")
    return [c[:3] for c in chunks]


def index_chunks(meta_file: Path) -> list[list[str]]:
    """[[from, to, hash], ...] of a metadata file, in order."""
    return chunks_of(read_meta(meta_file), str(meta_file))

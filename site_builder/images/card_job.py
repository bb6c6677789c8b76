"""Social cards, the job a worker runs: read the cover, draw the card, write it into the cache.

The card job of the image pipeline, as `process.run_job` is the photo job: the
pipeline sends a `CardJob` (strings and a path, never image data) to a worker of
its process pool, or runs it inline, and gets a `CardResult` back.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from site_builder.faults import checkpoint
from site_builder.files import DiskFull, write_atomic
from site_builder.i18n import _
from .card_draw import cover_decode_width, encode_card, render_card
from .process import content_digest, decode, failure_message, open_source, read_orientation, upright_size


@dataclass(frozen=True)
class CardJob:
    """What a worker needs: strings and a path (never image data)."""

    slug: str
    stem: str
    title: str
    date_text: str
    site_name: str
    cover_path: str | None  # absolute, already validated to lie in images/
    max_pixels: int
    out_dir: str  # where the card is written (the cache's files/)
    fingerprint: str  # card_draw.card_fingerprint()


@dataclass
class CardResult:
    slug: str
    name: str = ""
    digest: str | None = None  # sha256 of the cover bytes read
    stat: tuple[int, int] | None = None  # (size, mtime_ns) of the cover read
    error: str | None = None
    disk_full: bool = False  # the error is that the cache's disk is full


def card_stem(slug: str) -> str:
    """The readable part of a card's file name: the story's slug."""
    from site_builder.vietnamese import slugify

    return slugify(slug)[:80].strip("-") or "card"


def card_name(stem: str, fingerprint: str, title: str, date_text: str, site_name: str, cover_digest: str | None) -> str:
    """`<stem>-<hash10>.jpg`: the hash covers everything that decides the card's bytes."""
    nfc = functools.partial(unicodedata.normalize, "NFC")
    payload = json.dumps([fingerprint, nfc(title), nfc(date_text), nfc(site_name), cover_digest or ""])
    return f"{stem}-{hashlib.sha256(payload.encode()).hexdigest()[:10]}.jpg"


def _cover_width(data: bytes, max_pixels: int) -> int:
    """Decoding width that still covers the card after a centre crop (for libjpeg's draft)."""
    im = open_source(data, max_pixels)
    return cover_decode_width(*upright_size(im.size, read_orientation(im)))


def run_card_job(job: CardJob) -> CardResult:
    """Worker entry point: never raises; problems come back in `error`."""
    result = CardResult(job.slug)
    checkpoint("cards.job")
    try:
        cover = icc = None
        if job.cover_path is not None:
            with open(job.cover_path, "rb") as f:  # read-only: images/ is never written
                st = os.fstat(f.fileno())
                data = f.read()
            result.stat = (st.st_size, st.st_mtime_ns)
            result.digest = content_digest(data)
            decoded = decode(data, max_pixels=job.max_pixels, max_width=_cover_width(data, job.max_pixels))
            cover, icc = decoded.image, decoded.icc
        name = card_name(job.stem, job.fingerprint, job.title, job.date_text, job.site_name, result.digest)
        blob = encode_card(render_card(job.title, job.date_text, job.site_name, cover, icc))
        out = Path(job.out_dir)
        out.mkdir(parents=True, exist_ok=True)
        write_atomic(out / name, blob)
        result.name = name
    except Exception as e:  # never let one card crash the build
        result.error = failure_message(e, _("cannot make the social card"))
        result.disk_full = isinstance(e, DiskFull)
    return result

"""Social cards: a 1200×630 JPEG for a story's `og:image` / `twitter:image`: the job
(cache, process pool, publishing). The title's layout is `card_text`, the drawing `card_draw`.

Which stories get one is the `social_cards` site setting (by default only those
without a cover photo; the others share their cover): see `SiteBuild`.

Typical use (after `PhotoViews.prepare`, which already knows the covers' digests)::

    cards = SocialCards(pipeline, settings.site_name, root / ".cache/cards")
    urls = cards.render_all([CardRequest(s.slug, s.title, format_date(s.date),
                                         s.cover.src if s.cover else None) for s in stories])
    cards.publish(site_dir)                 # site_dir/assets/cards/<slug>-<hash10>.jpg
    og_image = absolute(urls[story.slug])

Cache: a card is a file `<cache_dir>/<slug>-<hash10>.jpg` whose hash covers the
title, date, site name, the cover's content digest, `CARD_LAYOUT_VERSION`, the
library versions and the font files. The cover's digest comes from the image
pipeline's manifest (one stat() when its size and mtime are unchanged), so a
hit costs a stat of the cover and of the card: nothing is read or decoded.
Misses are rendered in a process pool (inline when only a few); workers get
paths and strings, never images. Nothing under images/ is ever written.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import sys
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from site_builder.files import link_or_copy

from .cache import ImageCache
from .card_draw import (  # noqa: F401 (re-exported)
    CARD_HEIGHT,
    CARD_LAYOUT_VERSION,
    CARD_WIDTH,
    card_fingerprint,
    encode_card,
    render_card,
)
from .card_text import (  # noqa: F401 (re-exported)
    BOLD_FONT,
    ELLIPSIS,
    REGULAR_FONT,
    TITLE_MAX_LINES,
    TITLE_SIZES,
    clean_text,
    curly_quotes,
    font_path,
    wrap_title,
)
from .errors import ImageError, ImageErrors
from .pipeline import ImagePipeline
from .process import content_digest, decode, failure_message, open_source, read_orientation, upright_size
from .settings import ImageSettingsError
from .workers import run_jobs

URL_PREFIX = "assets/cards/"  # relative to the site root

SERIAL_MAX = 2  # render inline when at most this many cards are missing
PROGRESS_THRESHOLD = 20


# --------------------------------------------------------------------------- jobs


@dataclass(frozen=True)
class CardRequest:
    """One story's card: `date_text` as shown, e.g. "Thứ Bảy, 14/03/2026"; `cover_src` relative to images/."""

    slug: str
    title: str
    date_text: str
    cover_src: str | None = None


@dataclass
class CardStats:
    requests: int = 0
    cached: int = 0  # already in the cache: nothing decoded
    rendered: int = 0  # drawn and encoded in this run
    errors: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class CardJob:
    """What a worker needs: strings and a path (never image data)."""

    slug: str
    stem: str
    title: str
    date_text: str
    site_name: str
    cover_path: str | None
    max_pixels: int
    out_dir: str
    fingerprint: str


@dataclass
class CardResult:
    slug: str
    name: str = ""
    digest: str | None = None  # sha256 of the cover bytes read
    stat: tuple[int, int] | None = None  # (size, mtime_ns) of the cover read
    error: str | None = None


def card_name(stem: str, fingerprint: str, title: str, date_text: str, site_name: str, cover_digest: str | None) -> str:
    """`<stem>-<hash10>.jpg`: the hash covers everything that decides the card's bytes."""
    nfc = functools.partial(unicodedata.normalize, "NFC")
    payload = json.dumps([fingerprint, nfc(title), nfc(date_text), nfc(site_name), cover_digest or ""])
    return f"{stem}-{hashlib.sha256(payload.encode()).hexdigest()[:10]}.jpg"


def _cover_width(data: bytes, max_pixels: int) -> int:
    """Decoding width that still covers 1200×630 after a centre crop (for libjpeg's draft)."""
    im = open_source(data, max_pixels)
    w, h = upright_size(im.size, read_orientation(im))
    return max(CARD_WIDTH, math.ceil(CARD_HEIGHT * w / h))


def run_card_job(job: CardJob) -> CardResult:
    """Worker entry point: never raises; problems come back in `error`."""
    result = CardResult(job.slug)
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
        tmp = out / f".{name}.{os.getpid()}.tmp"
        tmp.write_bytes(blob)
        os.replace(tmp, out / name)
        result.name = name
    except Exception as e:  # never let one card crash the build
        result.error = failure_message(e, "cannot make the social card")
    return result


def _stem(slug: str) -> str:
    from site_builder.vietnamese import slugify

    return slugify(slug)[:80].strip("-") or "card"


# --------------------------------------------------------------------------- the builder


class SocialCards:
    """Makes (cached) and publishes the social cards of a build."""

    def __init__(self, pipeline: ImagePipeline, site_name: str, cache_dir: Path) -> None:
        self.pipeline = pipeline
        self.site_name = unicodedata.normalize("NFC", site_name)
        self.cache_dir = Path(cache_dir).resolve()
        images = pipeline.images_real
        if self.cache_dir == images or self.cache_dir.is_relative_to(images):
            raise ImageSettingsError(f"social cards: cache {self.cache_dir} must not be inside {pipeline.images_root}")
        self.fingerprint = card_fingerprint()
        self.stats = CardStats()
        self.errors: list[ImageError] = []
        self._names: dict[str, str] = {}  # slug -> file name in the cache
        self._known: dict[tuple[str, int, int], str] = {}  # (src, size, mtime_ns) -> digest learnt here
        self._learnt: list[tuple[str, str, int, int]] = []  # not yet in the manifest on disk

    def url(self, name: str) -> str:
        return URL_PREFIX + name

    def render_all(
        self, requests: Iterable[CardRequest], progress: bool | None = None, *, raise_errors: bool = True
    ) -> dict[str, str]:
        """slug → site-relative URL (`assets/cards/<slug>-<hash10>.jpg`) of every card.

        Cards already in the cache cost a stat or two; the others are rendered
        (in a process pool when more than a few). Bad covers are collected:
        with `raise_errors`, one `ImageErrors` lists them all (the good cards
        stay cached); otherwise they are left out and kept in `self.errors`.
        """
        started = time.perf_counter()
        requests = list(requests)
        slugs = [r.slug for r in requests]
        if len(set(slugs)) != len(slugs):
            dupes = sorted({s for s in slugs if slugs.count(s) > 1})
            raise ValueError(f"social cards: duplicate slug(s) {', '.join(dupes)}")
        self.stats.requests += len(requests)
        errors: list[ImageError] = []
        names: dict[str, str] = {}
        misses: list[CardJob] = []
        for req in requests:
            stem = _stem(req.slug)
            cover_path: Path | None = None
            digest: str | None = None
            if req.cover_src is not None:
                ref = self.pipeline.request(req.cover_src, field="cover.src")
                if ref.error is not None:
                    errors.append(ref.error)
                    continue
                assert ref.path is not None
                cover_path = ref.path
                digest, problem = self._digest(ref.src, ref.path)
                if problem is not None:
                    errors.append(self._error(ref.given, problem))
                    continue
            name = card_name(stem, self.fingerprint, req.title, req.date_text, self.site_name, digest)
            if os.path.exists(self.cache_dir / name):
                names[req.slug] = name
                self.stats.cached += 1
                continue
            misses.append(
                CardJob(
                    slug=req.slug,
                    stem=stem,
                    title=req.title,
                    date_text=req.date_text,
                    site_name=self.site_name,
                    cover_path=str(cover_path) if cover_path is not None else None,
                    max_pixels=self.pipeline.settings.max_pixels,
                    out_dir=str(self.cache_dir),
                    fingerprint=self.fingerprint,
                )
            )
        by_slug = {r.slug: r for r in requests}
        try:
            for job, result in self._run(misses, progress):
                src = by_slug[job.slug].cover_src
                if result.error is not None or not result.name:
                    errors.append(self._error(src or job.slug, result.error or "not rendered"))
                    continue
                self.stats.rendered += 1
                names[job.slug] = result.name
                if src is not None and result.digest is not None and result.stat is not None:
                    ref = self.pipeline.request(src, field="cover.src")
                    if ref.error is None:
                        self._learn(ref.src, result.digest, *result.stat)
        finally:
            self._persist()  # the covers' digests learnt here spare the next build a read
        self._names.update(names)
        self.errors = errors
        self.stats.errors += len(errors)
        self.stats.seconds += time.perf_counter() - started
        if errors and raise_errors:
            raise ImageErrors(errors)
        return {slug: self.url(name) for slug, name in names.items()}

    def _error(self, src: str, message: str) -> ImageError:
        return ImageError(src, message, field="cover.src", images_dir=self.pipeline.images_root)

    def _digest(self, src: str, path: Path) -> tuple[str | None, str | None]:
        """(sha256 of the cover's bytes, problem): one stat when the manifest knows the file."""
        try:
            st = os.stat(path)
        except OSError as e:
            return None, f"cannot read the file ({e.strerror})"
        key = (src, st.st_size, st.st_mtime_ns)
        digest = self.pipeline.cache.digest_for_stat(*key) or self._known.get(key)
        if digest is not None:
            return digest, None
        try:
            with open(path, "rb") as f:  # read-only
                st = os.fstat(f.fileno())
                digest = content_digest(f.read())
        except OSError as e:
            return None, f"cannot read the file ({e.strerror})"
        self._learn(src, digest, st.st_size, st.st_mtime_ns)
        return digest, None

    def _learn(self, src: str, digest: str, size: int, mtime_ns: int) -> None:
        self._known[(src, size, mtime_ns)] = digest
        self._learnt.append((src, digest, size, mtime_ns))

    def _persist(self) -> None:
        """Add the digests learnt here to the pipeline's manifest as it is on disk now.

        (Not through `pipeline.cache`, which may be older than the file: saving it
        could drop photos another pipeline processed meanwhile.)
        """
        if not self._learnt:
            return
        cache = self.pipeline.cache
        fresh = ImageCache(cache.dir, cache.fingerprint)
        for src, digest, size, mtime_ns in self._learnt:
            fresh.remember_source(src, digest, size, mtime_ns)
        try:
            fresh.save()
        except OSError:  # a read-only cache only costs speed
            pass
        self._learnt.clear()

    def _run(self, jobs: list[CardJob], progress: bool | None) -> Iterable[tuple[CardJob, CardResult]]:
        if not jobs:
            return
        workers = min(self.pipeline.settings.pool_size, len(jobs))
        show = progress if progress is not None else len(jobs) > PROGRESS_THRESHOLD and sys.stderr.isatty()
        yield from run_jobs(
            jobs, lambda job: job, run_card_job,
            workers=1 if len(jobs) <= SERIAL_MAX else workers, label="Ảnh chia sẻ", show_progress=show,
            name=lambda job: job.slug, crashed=lambda job, message: CardResult(job.slug, error=message),
        )

    def publish(self, site_dir: Path) -> list[Path]:
        """Hard-link (else copy) the cards of `render_all` into site_dir/assets/cards/; the files written.

        With no cards (none needed) nothing is written, not even the folder.
        """
        if not self._names:
            return []
        target = Path(site_dir) / URL_PREFIX
        target.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        for name in sorted(set(self._names.values())):
            source = self.cache_dir / name
            dest = target / name
            try:
                if dest.stat().st_size == source.stat().st_size:
                    continue  # names are content hashes
                dest.unlink()
            except FileNotFoundError:
                pass
            link_or_copy(source, dest)
            written.append(dest)
        return written

    def prune_cache(self) -> int:
        """Delete cached cards not made or used by this object's `render_all` calls; how many."""
        keep = set(self._names.values())
        removed = 0
        if self.cache_dir.is_dir():
            for f in self.cache_dir.iterdir():
                if f.is_file() and f.name.endswith(".jpg") and f.name not in keep:
                    f.unlink(missing_ok=True)
                    removed += 1
        return removed

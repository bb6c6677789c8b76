"""Social cards: a 1200×630 JPEG for a story's `og:image` / `twitter:image`.

Which stories get one is the `social_cards` site setting (by default only those
without a cover photo; the others share their cover): see `SiteBuild`.

The story's title (Be Vietnam Pro Bold, white, left-aligned, wrapped on word
boundaries, at most 4 lines, 64 → 40 px) over its cover photo (scaled to cover,
centre-cropped, darkened by a gradient), the site name on a gold mark at the
top and the date under the title. No cover: the brand's deep red. Everything is
offline: the fonts come from the `fontpkg-be-vietnam-pro` package.

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
import io
import json
import math
import os
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from PIL import Image, ImageChops, ImageCms, ImageDraw, ImageFilter, ImageFont, ImageOps

from site_builder.files import link_or_copy

from .cache import ImageCache
from .errors import ImageError, ImageErrors
from .pipeline import ImagePipeline
from .process import (
    content_digest,
    decode,
    failure_message,
    open_source,
    read_orientation,
    srgb_profile,
    upright_size,
)
from .settings import ImageSettingsError, library_versions
from .workers import run_jobs

#: Bump whenever a change here changes the pixels or bytes of a card.
CARD_LAYOUT_VERSION = 2

CARD_WIDTH, CARD_HEIGHT = 1200, 630
URL_PREFIX = "assets/cards/"  # relative to the site root
JPEG_QUALITY = 85

TITLE_SIZES = (64, 60, 56, 52, 48, 44, 40)  # px, tried largest first
TITLE_MAX_LINES = 4
TITLE_LINE_HEIGHT = 1.28  # × size; room for stacked marks (Ẩ) over dots below (ặ)
ELLIPSIS = "…"

MARGIN_X = 72
TITLE_MAX_WIDTH = CARD_WIDTH - 2 * MARGIN_X

WHITE = (255, 255, 255)
DATE_COLOUR = (226, 226, 226)
ACCENT = (0xF5, 0xC5, 0x18)  # gold
BRAND = (0x9B, 0x1C, 0x1C)  # deep red: no cover, a gradient around it from BRAND_LIGHT to BRAND_DARK
BRAND_LIGHT = (0xB3, 0x26, 0x22)
BRAND_DARK = (0x6E, 0x12, 0x12)
GLOW = (0xE0, 0x5A, 0x2E)

BOLD_FONT = "BeVietnamPro-Bold.ttf"
REGULAR_FONT = "BeVietnamPro-Regular.ttf"

SERIAL_MAX = 2  # render inline when at most this many cards are missing
PROGRESS_THRESHOLD = 20

# Spaces we may break at: any whitespace except the no-break ones.
_BREAKS = re.compile(r"[^\S\u00a0\u2007\u202f]+")


# --------------------------------------------------------------------------- fonts


def font_path(name: str) -> Path:
    """A bundled Be Vietnam Pro face (from the fontpkg-be-vietnam-pro package)."""
    return Path(str(resources.files("fontpkg_be_vietnam_pro") / "files" / name))


@functools.lru_cache(maxsize=64)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    # Basic layout: the same on every Pillow build (with or without raqm); Vietnamese
    # in NFC is precomposed, so it needs no shaping.
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=8)
def _cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    try:
        return frozenset(font.getBestCmap() or ())
    finally:
        font.close()


@functools.lru_cache(maxsize=8)
def _file_sha256(path: str, size: int, mtime_ns: int) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def _font_hash(path: Path) -> str:
    st = path.stat()
    return _file_sha256(str(path), st.st_size, st.st_mtime_ns)


def card_fingerprint() -> str:
    """Everything except the card's own text and cover that decides its bytes."""
    from PIL import features

    libs = dict(library_versions())
    libs["freetype2"] = str(features.version("freetype2"))
    payload = {
        "layout": CARD_LAYOUT_VERSION,
        "size": [CARD_WIDTH, CARD_HEIGHT],
        "quality": JPEG_QUALITY,
        "libs": libs,
        "fonts": {name: _font_hash(font_path(name)) for name in (BOLD_FONT, REGULAR_FONT)},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:16]


def clean_text(text: str, path: str | os.PathLike[str] | None = None) -> str:
    """NFC, whitespace collapsed, characters the font cannot draw (emoji, controls) dropped."""
    text = unicodedata.normalize("NFC", text or "")
    cmap = _cmap(str(path or font_path(BOLD_FONT)))
    kept = []
    for ch in text:
        if ch.isspace():
            kept.append(" " if ch not in "\u00a0\u2007\u202f" else "\u00a0")
        elif ord(ch) in cmap:
            kept.append(ch)
    return re.sub(" {2,}", " ", "".join(kept)).strip()


# --------------------------------------------------------------------------- wrapping


@functools.lru_cache(maxsize=4096)
def _overhang(font: ImageFont.FreeTypeFont, ch: str) -> float:
    """How far the ink of `ch` reaches past its advance (negative: its right side bearing)."""
    return font.getbbox(ch)[2] - font.getlength(ch)


def _width(font: ImageFont.FreeTypeFont, text: str) -> float:
    """Horizontal room `text` takes: its advance, or its ink when that reaches further.

    (The ink's right edge is the advance plus the last letter's overhang: no
    rasterising, so that wrapping long titles stays fast.)
    """
    if not text:
        return 0.0
    length = font.getlength(text)
    return max(length, length + _overhang(font, text[-1]))


def _fits(font: ImageFont.FreeTypeFont, line: str, max_width: float) -> bool:
    """Exact check of a finished line (the ink of every letter, not only the last)."""
    return _width(font, line) <= max_width and font.getbbox(line)[2] <= max_width


class _Runs:
    """Widths of runs of consecutive words, from each word's width measured once.

    (Kerning across a space is ignored; finished lines are checked exactly by `_fits`.)
    """

    def __init__(self, words: Sequence[str], font: ImageFont.FreeTypeFont) -> None:
        self.space = font.getlength(" ")
        self.prefix = [0.0]
        for word in words:
            self.prefix.append(self.prefix[-1] + font.getlength(word) + self.space)
        self.overhang = [max(0.0, _overhang(font, word[-1])) for word in words]

    def width(self, i: int, j: int) -> float:
        """Width of words[i:j] joined by spaces."""
        return self.prefix[j] - self.prefix[i] - self.space + self.overhang[j - 1]


def _greedy(
    words: Sequence[str], runs: _Runs, max_width: float, limit: int | None = None
) -> tuple[list[str], bool]:
    """Fill lines word by word; (lines, every line fits and there are at most `limit`)."""
    lines: list[str] = []
    start = 0
    fits = True
    for k in range(len(words)):
        if k > start and runs.width(start, k + 1) > max_width:
            lines.append(" ".join(words[start:k]))
            start = k
            if limit is not None and len(lines) >= limit:
                return lines + [words[k]], False  # more lines than allowed: give up early
        if fits and runs.width(k, k + 1) > max_width:
            fits = False
    if start < len(words):
        lines.append(" ".join(words[start:]))
    return lines, fits


BREAK_BONUS = {":": 0.12, ";": 0.08, ",": 0.06, "—": 0.08, "–": 0.08}  # a pause is a good place to break
DASH_START_PENALTY = 0.1  # a line should not start with a dash
IN_QUOTE_PENALTY = 0.1  # nor break a short quotation


def _arranged(words: Sequence[str], runs: _Runs, max_width: float, n: int) -> list[str]:
    """The words in exactly `n` lines that fit, as even as possible, preferring breaks at pauses.

    Cost: the sum over lines of (slack / max_width)², minus a bonus for a line
    that ends on ":", ",", ";" or a dash, plus a penalty for a break inside
    “quotes” or before a dash. (Even lines minimise it; no lone last word.)
    """
    count = len(words)
    width = runs.width
    open_quotes = [0]  # open quotes before each break position
    for word in words:
        open_quotes.append(open_quotes[-1] + word.count("\u201c") - word.count("\u201d"))

    def line_cost(i: int, j: int) -> float:
        cost = ((max_width - width(i, j)) / max_width) ** 2
        if j < count:
            cost -= BREAK_BONUS.get(words[j - 1][-1], 0.0)
            if open_quotes[j] > 0:
                cost += IN_QUOTE_PENALTY
        if words[i] in ("—", "–", "-"):
            cost += DASH_START_PENALTY
        return cost

    inf = float("inf")
    best = [[inf] * (count + 1) for _ in range(n + 1)]
    start = [[0] * (count + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for k in range(1, n + 1):
        for j in range(k, count + 1):
            for i in range(j - 1, k - 2, -1):
                if width(i, j) > max_width:
                    break  # longer lines only get wider
                if best[k - 1][i] == inf:
                    continue
                cost = best[k - 1][i] + line_cost(i, j)
                if cost < best[k][j]:
                    best[k][j], start[k][j] = cost, i
    if best[n][count] == inf:  # cannot happen when greedy filling found n lines
        return _greedy(words, runs, max_width)[0]
    lines: list[str] = []
    j = count
    for k in range(n, 0, -1):
        i = start[k][j]
        lines.append(" ".join(words[i:j]))
        j = i
    return lines[::-1]


def _ellipsize(text: str, font: ImageFont.FreeTypeFont, max_width: float) -> str:
    """`text` + "…", dropping whole words (characters only when one word is too wide)."""
    words = text.split(" ")
    while len(words) > 1 and not _fits(font, " ".join(words) + ELLIPSIS, max_width):
        words.pop()
    line = " ".join(words).rstrip(" ,;:–—-")
    if not _fits(font, line + ELLIPSIS, max_width):  # one word wider than the card: cut it
        lo, hi = 0, len(line)  # longest prefix that fits, by bisection
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _fits(font, line[:mid] + ELLIPSIS, max_width):
                lo = mid
            else:
                hi = mid - 1
        line = line[:lo]
    return line.rstrip() + ELLIPSIS


def curly_quotes(text: str) -> str:
    """Straight double quotes as Vietnamese typography sets them: “…”."""

    def quote(m: re.Match[str]) -> str:
        opening = m.start() == 0 or m.string[m.start() - 1] in " \u00a0([{-–—"
        return "\u201c" if opening else "\u201d"

    return re.sub('"', quote, text)


def wrap_title(
    title: str,
    font_path: str | os.PathLike[str],
    max_width: int,
    max_lines: int,
    sizes: Sequence[int] = TITLE_SIZES,
) -> tuple[list[str], int]:
    """Lines of `title` and the font size that sets them in at most `max_lines` lines.

    Breaks only between words (never inside one; no-break spaces hold). Tries
    `sizes` largest first; the first size where every line is at most
    `max_width` px wide wins, its lines made as even as possible (breaking
    at a colon or comma when that costs little). When even the smallest
    overflows, the text is cut after the last whole word that fits on the last
    line and "…" added (a single word wider than the card is cut too).
    """
    path = str(font_path)
    words = [w for w in _BREAKS.split(curly_quotes(clean_text(title, path))) if w]
    if not words:
        return [], sizes[0]
    for size in sizes:
        font = _font(path, size)
        runs = _Runs(words, font)
        lines, fits = _greedy(words, runs, max_width, max_lines)
        if fits and len(lines) <= max_lines:
            arranged = _arranged(words, runs, max_width, len(lines))
            if all(_fits(font, line, max_width) for line in arranged):
                return arranged, size
    size = sizes[-1]
    font = _font(path, size)
    lines, _ = _greedy(words, _Runs(words, font), max_width, max_lines)
    kept = [line if _fits(font, line, max_width) else _ellipsize(line, font, max_width) for line in lines]
    if len(lines) > max_lines:
        kept = kept[:max_lines]
        kept[-1] = _ellipsize(kept[-1].removesuffix(ELLIPSIS), font, max_width)
    return kept, size


# --------------------------------------------------------------------------- drawing


def _cover_image(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Scaled to cover the card, centre-cropped, in sRGB RGB."""
    if image.mode in ("LA", "RGBA"):
        base = Image.new(image.mode[:-1], image.size, 0)
        base.paste(image.convert(image.mode[:-1]), mask=image.getchannel("A"))
        image = base
    fitted = ImageOps.fit(image, (CARD_WIDTH, CARD_HEIGHT), Image.Resampling.BICUBIC, centering=(0.5, 0.5))
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(fitted, source, srgb_profile()[0], outputMode="RGB")
            if converted is not None:
                fitted = converted
        except Exception:  # a broken profile: take the pixels as sRGB
            pass
    return fitted.convert("RGB")


def _brand_background() -> Image.Image:
    """Deep red, lighter at the top left, darker at the bottom right."""
    ramp = Image.linear_gradient("L").resize((CARD_WIDTH, CARD_HEIGHT))  # black at the top
    diagonal = Image.linear_gradient("L").rotate(90).resize((CARD_WIDTH, CARD_HEIGHT))  # black at the left
    mask = Image.blend(ramp, diagonal, 0.45)
    light = Image.new("RGB", (CARD_WIDTH, CARD_HEIGHT), BRAND_LIGHT)
    dark = Image.new("RGB", (CARD_WIDTH, CARD_HEIGHT), BRAND_DARK)
    card = Image.composite(dark, light, mask)
    # A soft warm glow at the top right, so that the empty upper part is not flat.
    glow = ImageOps.invert(Image.radial_gradient("L")).resize((1100, 1100), Image.Resampling.BILINEAR)
    glow = glow.point(lambda v: round(v * v / 255 * 0.38))
    layer = Image.new("L", card.size, 0)
    layer.paste(glow, (CARD_WIDTH - 700, -620))
    card.paste(GLOW, (0, 0, CARD_WIDTH, CARD_HEIGHT), layer)
    return card


@functools.lru_cache(maxsize=256)
def _column_mask(stops: tuple[tuple[float, float], ...]) -> Image.Image:
    """A full-card L mask that varies down the card: (y in 0..1, opacity 0..1) stops, smoothed."""
    values = []
    for y in range(CARD_HEIGHT):
        t = y / (CARD_HEIGHT - 1)
        value = stops[-1][1]
        for (y0, a0), (y1, a1) in zip(stops, stops[1:]):
            if y0 <= t <= y1:
                u = 0.0 if y1 == y0 else (t - y0) / (y1 - y0)
                u = u * u * (3 - 2 * u)  # smoothstep
                value = a0 + (a1 - a0) * u
                break
        else:
            if t < stops[0][0]:
                value = stops[0][1]
        values.append(round(255 * max(0.0, min(1.0, value))))
    column = Image.new("L", (1, CARD_HEIGHT))
    column.putdata(values)
    return column.resize((CARD_WIDTH, CARD_HEIGHT), Image.Resampling.NEAREST)


def _draw_tracked(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, font, fill, tracking: float) -> float:
    """Text with extra space between letters, left baseline at `xy`; returns the end x."""
    x, y = xy
    for ch in text:
        draw.text((x, y), ch, font=font, fill=fill, anchor="ls")
        x += font.getlength(ch) + tracking
    return x - tracking


def render_card(
    title: str, date_text: str, site_name: str, cover: Image.Image | None, icc: bytes | None = None
) -> Image.Image:
    """The card as an RGB image (`cover`: upright, any size; None for the brand background)."""
    bold, regular = str(font_path(BOLD_FONT)), str(font_path(REGULAR_FONT))
    lines, size = wrap_title(title, bold, TITLE_MAX_WIDTH, TITLE_MAX_LINES)
    date_text = clean_text(date_text, regular)
    site_label = clean_text(site_name, bold).upper()

    # Vertical layout, from the bottom up: date, then the title block above it.
    date_font = _font(regular, 28)
    date_baseline = CARD_HEIGHT - 58
    line_gap = round(size * TITLE_LINE_HEIGHT)
    title_font = _font(bold, size)
    last_baseline = date_baseline - (28 + 30 if date_text else 0)
    first_baseline = last_baseline - line_gap * (len(lines) - 1)
    title_top = first_baseline - size  # ascender line of the first line

    if cover is not None:
        card = _cover_image(cover, icc)
        # Dark from a little above the title to the bottom, plus a light veil at the top.
        start = max(0.0, (title_top - 170) / CARD_HEIGHT)
        mid = max(start + 0.05, (title_top - 10) / CARD_HEIGHT)
        shade = ImageChops.lighter(
            _column_mask(((0.0, 0.50), (0.24, 0.0))),
            _column_mask(((round(start, 3), 0.0), (round(mid, 3), 0.62), (1.0, 0.86))),
        )
        card.paste((0, 0, 0), (0, 0, CARD_WIDTH, CARD_HEIGHT), shade)
    else:
        card = _brand_background()
        shade = _column_mask(((0.0, 0.0), (0.45, 0.0), (1.0, 0.30)))
        card.paste((0, 0, 0), (0, 0, CARD_WIDTH, CARD_HEIGHT), shade)

    # A soft shadow under the title, for busy photos.
    if lines:
        top = max(0, title_top - 40)  # blur only the band the title is in
        bottom = min(CARD_HEIGHT, last_baseline + size // 2 + 40)
        halo = Image.new("L", (CARD_WIDTH, bottom - top), 0)
        hdraw = ImageDraw.Draw(halo)
        for i, line in enumerate(lines):
            baseline = first_baseline + i * line_gap + 2 - top
            hdraw.text((MARGIN_X, baseline), line, font=title_font, fill=150, anchor="ls")
        halo = halo.filter(ImageFilter.GaussianBlur(7))
        card.paste((0, 0, 0), (0, top, CARD_WIDTH, bottom), halo)

    draw = ImageDraw.Draw(card)
    # Top band: gold mark + site name.
    mark_top, mark_h = 56, 34
    draw.rectangle((MARGIN_X, mark_top, MARGIN_X + 9, mark_top + mark_h - 1), fill=ACCENT)
    name_font = _font(bold, 28)
    name_baseline = mark_top + mark_h // 2 + 10  # cap height ≈ 0.7 × size, centred on the mark
    _draw_tracked(draw, (MARGIN_X + 26, name_baseline), site_label, name_font, WHITE, 3.0)

    for i, line in enumerate(lines):
        draw.text((MARGIN_X, first_baseline + i * line_gap), line, font=title_font, fill=WHITE, anchor="ls")
    if date_text:
        rule_y = date_baseline - 10
        draw.rectangle((MARGIN_X, rule_y - 2, MARGIN_X + 40, rule_y + 1), fill=ACCENT)
        draw.text((MARGIN_X + 56, date_baseline), date_text, font=date_font, fill=DATE_COLOUR, anchor="ls")
    # Gold rule along the bottom edge.
    draw.rectangle((0, CARD_HEIGHT - 8, CARD_WIDTH, CARD_HEIGHT), fill=ACCENT)
    return card


def encode_card(card: Image.Image) -> bytes:
    """Baseline JPEG, sRGB (untagged), no EXIF/XMP/ICC."""
    card = card.convert("RGB")
    card.info = {}
    buf = io.BytesIO()
    card.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=False)
    return buf.getvalue()


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

    def outputs(self) -> list[tuple[str, Path]]:
        """(site path, cached file) of every card of `render_all`."""
        return [(URL_PREFIX + name, self.cache_dir / name) for name in sorted(set(self._names.values()))]

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

"""Social cards, drawing: a 1200×630 JPEG for a story's `og:image` / `twitter:image`.

The story's title (Be Vietnam Pro Bold, white, left-aligned, set by
`card_text.wrap_title`: at most 4 lines, 64 → 40 px) over its cover photo (scaled
to cover, centre-cropped, darkened by a gradient), the site name on a gold mark
at the top and the date under the title. No cover: the brand's deep red.
Everything is offline: the fonts come from the `fontpkg-be-vietnam-pro` package.

`render_card` gives the image, `encode_card` its bytes; `card_fingerprint` hashes
everything besides a card's own text and cover that decides those bytes (layout
version, size, quality, library versions, font files). Pure functions of their
arguments: reading covers and caching is the pipeline's job (`card_job`, `pipeline`).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import math
from pathlib import Path

from PIL import Image, ImageChops, ImageCms, ImageDraw, ImageFilter, ImageOps

from .card_text import BOLD_FONT, REGULAR_FONT, TITLE_MAX_LINES, clean_text, font_path, load_font, wrap_title
from .process import srgb_profile
from .settings import library_versions

#: Bump whenever a change here or in `card_text` changes the pixels or bytes of a card.
CARD_LAYOUT_VERSION = 2

CARD_WIDTH, CARD_HEIGHT = 1200, 630
JPEG_QUALITY = 85

TITLE_LINE_HEIGHT = 1.28  # × size; room for stacked marks (Ẩ) over dots below (ặ)

MARGIN_X = 72
TITLE_MAX_WIDTH = CARD_WIDTH - 2 * MARGIN_X

WHITE = (255, 255, 255)
DATE_COLOUR = (226, 226, 226)
ACCENT = (0xF5, 0xC5, 0x18)  # gold
BRAND = (0x9B, 0x1C, 0x1C)  # deep red: no cover, a gradient around it from BRAND_LIGHT to BRAND_DARK
BRAND_LIGHT = (0xB3, 0x26, 0x22)
BRAND_DARK = (0x6E, 0x12, 0x12)
GLOW = (0xE0, 0x5A, 0x2E)


# --------------------------------------------------------------------------- fingerprint


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


def cover_decode_width(width: int, height: int) -> int:
    """Width to decode an upright `width`×`height` cover at (libjpeg's draft) that still
    covers the card after a centre crop."""
    return max(CARD_WIDTH, math.ceil(CARD_HEIGHT * width / height))


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
    date_font = load_font(regular, 28)
    date_baseline = CARD_HEIGHT - 58
    line_gap = round(size * TITLE_LINE_HEIGHT)
    title_font = load_font(bold, size)
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
    name_font = load_font(bold, 28)
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

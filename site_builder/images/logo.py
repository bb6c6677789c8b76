"""The publisher's logo as a PNG, for structured data (`publisher.logo`).

Google reads a publisher's or organisation's logo only as a raster image (at least
112×112 px, to be seen on white), while the theme's logo is `assets/logo.svg`, which
Pillow cannot read. This draws the same mark, the gold star of logo.svg, on the brand's
red square (as the site's header shows it), at `LOGO_SIZE` px. It takes a few
milliseconds, so it is drawn at every build rather than cached.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from site_builder.images.card_draw import ACCENT, BRAND

LOGO_SIZE = 512  # px, square
#: The star of themes/guong-sang/assets/logo.svg (its path, in absolute coordinates of its 64×64 view box).
STAR = ((32, 6), (39.6, 23), (58.1, 25), (44.3, 37.4), (48.2, 55.6), (32, 46.3), (15.8, 55.6), (19.7, 37.4),
        (5.9, 25), (24.4, 23))
VIEW_BOX = 64
_SUPERSAMPLE = 2  # drawn larger, then scaled down: smooth edges


def logo_png(size: int = LOGO_SIZE) -> bytes:
    """The logo as PNG bytes (the same bytes at every call)."""
    big = size * _SUPERSAMPLE
    image = Image.new("RGB", (big, big), BRAND)
    scale = big / VIEW_BOX
    ImageDraw.Draw(image).polygon([(x * scale, y * scale) for x, y in STAR], fill=ACCENT)
    out = io.BytesIO()
    image.resize((size, size), Image.Resampling.LANCZOS).save(out, "PNG")
    return out.getvalue()

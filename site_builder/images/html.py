"""HTML for processed photos: `<figure>` + `<picture>` with responsive sources.

The markup is on one line (safe inside Markdown), every text and URL escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from typing import Protocol

from .pipeline import ProcessedImage
from .settings import MIME_TYPES

#: Story column: 760 px wide on large screens, full width on phones.
DEFAULT_SIZES = "(min-width: 1000px) 760px, 100vw"
#: Two photos per row in a gallery block.
GALLERY_SIZES = "(min-width: 1000px) 375px, 50vw"

_CREDIT_PREFIX = re.compile(r"^\s*ảnh\s*:\s*", re.IGNORECASE)


class PhotoText(Protocol):
    """What a gallery item needs: `content.models.Photo` fits."""

    alt: str
    caption: str
    credit: str


def _attr(name: str, value: str | int) -> str:
    return f' {name}="{escape(str(value), quote=True)}"'


def placeholder_style(img: ProcessedImage) -> str:
    """Inline CSS showing the tiny blurred preview (and mean colour) until the photo loads.

    Empty for photos with transparency, where it would show through.
    """
    if img.has_alpha:
        return ""
    if img.placeholder:
        return f"background:{img.colour} url({img.placeholder}) 50%/cover no-repeat"
    return f"background:{img.colour}"


def picture_element(
    img: ProcessedImage,
    alt: str,
    *,
    lead: bool = False,
    sizes: str = DEFAULT_SIZES,
    url_base: str = "",
    img_class: str = "",
    fallback_width: int = 960,
) -> str:
    """`<picture>` alone (for cards and lists), same rules as `picture_html`."""
    parts = ["<picture>"]
    for fmt in img.formats:
        if fmt == "jpeg":
            continue
        parts.append(
            "<source"
            + _attr("type", MIME_TYPES[fmt])
            + _attr("srcset", img.srcset(fmt, url_base))
            + _attr("sizes", sizes)
            + ">"
        )
    src = img.fallback("jpeg", fallback_width)
    largest = img.largest("jpeg")
    attrs = (
        _attr("src", url_base + src.url)
        + _attr("srcset", img.srcset("jpeg", url_base))
        + _attr("sizes", sizes)
        + _attr("width", largest.width)
        + _attr("height", largest.height)
        + _attr("alt", alt or "")
    )
    if lead:
        attrs += _attr("loading", "eager") + _attr("fetchpriority", "high")
    else:
        attrs += _attr("loading", "lazy") + _attr("decoding", "async")
    if img_class:
        attrs += _attr("class", img_class)
    style = placeholder_style(img)
    if style:
        attrs += _attr("style", style)
    parts.append(f"<img{attrs}>")
    parts.append("</picture>")
    return "".join(parts)


def figcaption_html(caption: str = "", credit: str = "") -> str:
    """`<figcaption>` with the caption and `<span class="credit">Ảnh: …</span>`; '' when both are empty."""
    caption = (caption or "").strip()
    credit = _CREDIT_PREFIX.sub("", (credit or "").strip())
    if not caption and not credit:
        return ""
    inner = escape(caption, quote=True)
    if credit:
        inner += (" " if inner else "") + f'<span class="credit">Ảnh: {escape(credit, quote=True)}</span>'
    return f"<figcaption>{inner}</figcaption>"


def picture_html(
    img: ProcessedImage,
    alt: str,
    caption: str = "",
    credit: str = "",
    *,
    lead: bool = False,
    sizes: str = DEFAULT_SIZES,
    url_base: str = "",
    css_class: str = "",
    fallback_width: int = 960,
) -> str:
    """A photo as `<figure>`: `<picture>` (AVIF/WebP sources, JPEG `<img>`) and `<figcaption>`.

    `<img>` has `src` (the JPEG variant nearest `fallback_width`), `srcset`,
    `sizes`, `width`/`height` of the largest JPEG variant (the upright aspect
    ratio, so no layout shift), `alt`, `loading="lazy" decoding="async"` or, for
    the story's `lead` photo, `loading="eager" fetchpriority="high"`, and an
    inline placeholder background. URLs are `url_base` + the site-relative URL
    (e.g. `url_base="../../"` on `bai-viet/<slug>/`).
    """
    classes = " ".join(c for c in ("photo", "photo--lead" if lead else "", css_class) if c)
    return (
        f'<figure class="{escape(classes, quote=True)}">'
        + picture_element(img, alt, lead=lead, sizes=sizes, url_base=url_base, fallback_width=fallback_width)
        + figcaption_html(caption, credit)
        + "</figure>"
    )


def gallery_html(
    items: Iterable[tuple[ProcessedImage, PhotoText]],
    *,
    sizes: str = GALLERY_SIZES,
    url_base: str = "",
    css_class: str = "gallery",
) -> str:
    """Several photos in `<div class="gallery">`, one `<figure>` each (all lazy)."""
    figures = [
        picture_html(img, photo.alt, photo.caption, photo.credit, sizes=sizes, url_base=url_base)
        for img, photo in items
    ]
    return f'<div class="{escape(css_class, quote=True)}">' + "".join(figures) + "</div>"

"""Every photo the published site uses, run through the image pipeline once per build.

Covers, profile photos and inline Markdown images (`![alt](path "caption")`) are
requested with the file and line that use them, so a bad photo is reported as
`content/stories/2026/x.md:12: cover.src: images/...: <problem>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from site_builder.catalog import Catalog
from site_builder.content.models import Photo, Profile, Story
from site_builder.files import link_or_copy
from site_builder.images import ImagePipeline, ImageSettings, ProcessedImage, gallery_html, photo_requests, picture_html

# ![alt](src) or ![alt](src "title"): the src of inline Markdown images.
INLINE_IMAGE = re.compile(r'!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)')


def inline_images(item: Story | Profile) -> Iterable[tuple[str, int]]:
    """(src, line) of each inline image in a body; external URLs are skipped."""
    for offset, text in enumerate(item.body.splitlines()):
        for match in INLINE_IMAGE.finditer(text):
            src = match.group(1)
            if not re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.IGNORECASE):
                yield src, item.body_line + offset


class PhotoViews:
    """Resolves photo references to processed images; publishes the variants."""

    def __init__(self, root: Path, images_dir: str, settings: ImageSettings) -> None:
        self.pipeline = ImagePipeline(root / images_dir, settings, project_root=root)
        self._images: dict[str, ProcessedImage] = {}

    def prepare(self, catalog: Catalog, progress: bool | None = None) -> None:
        """Process every photo of the published stories and profiles (raises ImageErrors listing all problems)."""
        requests = photo_requests(self.pipeline, [*catalog.stories, *catalog.profiles], inline_images)
        self._images = self.pipeline.process_all(requests, progress=progress)

    def get(self, src: str) -> ProcessedImage | None:
        return self._images.get(src)

    def view(self, photo: Photo | None) -> dict[str, Any] | None:
        """What templates need to show a photo."""
        if photo is None:
            return None
        image = self._images[photo.src]
        return {
            "image": image,
            "alt": photo.alt,
            "caption": photo.caption,
            "credit": photo.credit,
        }

    def publish(self, site_dir: Path) -> None:
        """Link every photo variant and social card of the pipeline into `site_dir`."""
        for path, source in self.pipeline.outputs():
            dest = site_dir / path
            dest.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(source, dest)

    # --- PhotoHtml (used by the Markdown renderer for photos inside bodies) -------------

    def figure(self, src: str, alt: str, caption: str, url_base: str) -> str | None:
        image = self._images.get(src)
        if image is None:
            return None
        return picture_html(image, alt, caption, url_base=url_base)

    def gallery(self, items: list[tuple[str, str, str]], url_base: str) -> str | None:
        found = [(self._images.get(src), Photo(src, alt, caption)) for src, alt, caption in items]
        if any(image is None for image, _ in found):
            return None
        return gallery_html(found, url_base=url_base, css_class="gallery")

    def inline(self, src: str, url_base: str) -> dict[str, str] | None:
        image = self._images.get(src)
        if image is None:
            return None
        largest = image.largest("jpeg")
        return {
            "src": url_base + image.fallback("jpeg", 480).url,
            "width": str(largest.width),
            "height": str(largest.height),
            "srcset": image.srcset("jpeg", url_base),
            "sizes": "(min-width: 1000px) 760px, 100vw",
        }

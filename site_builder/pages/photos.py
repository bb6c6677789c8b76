"""Image views for templates: every photo the catalog uses, published once.

Interim implementation: publishes the source file as is (its real size read
from the header, EXIF orientation applied to the reported dimensions).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PIL import Image

from site_builder.catalog import Catalog
from site_builder.content.models import Photo

URL_PREFIX = "assets/images/"


class PhotoViews:
    """Resolves `Photo` references to view dicts and copies the files into the site."""

    def __init__(self, images_root: Path) -> None:
        self.images_root = images_root
        self._sizes: dict[str, tuple[int, int]] = {}

    def prepare(self, catalog: Catalog) -> None:
        photos = [s.cover for s in catalog.stories] + [p.photo for p in catalog.profiles]
        for photo in photos:
            if photo is not None and photo.src not in self._sizes:
                with Image.open(self.images_root / photo.src) as img:
                    width, height = img.size
                    if img.getexif().get(0x0112, 1) in (5, 6, 7, 8):
                        width, height = height, width
                self._sizes[photo.src] = (width, height)

    def view(self, photo: Photo | None) -> dict[str, Any] | None:
        if photo is None:
            return None
        width, height = self._sizes[photo.src]
        url = URL_PREFIX + photo.src
        return {
            "src": url, "width": width, "height": height, "alt": photo.alt, "caption": photo.caption,
            "credit": photo.credit, "placeholder": "", "jpeg": [], "webp": [], "avif": [], "og": url,
        }

    def publish(self, site_dir: Path) -> None:
        for src in self._sizes:
            target = site_dir / URL_PREFIX / src
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.images_root / src, target)

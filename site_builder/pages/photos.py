"""Every photo the published site uses, run through the image pipeline once per build.

Covers, profile photos and inline Markdown images (`![alt](path "caption")`) are
requested with the file and line that use them, so a bad photo is reported as
`content/stories/2026/x.md:12: cover.src: images/...: <problem>`.
"""

from __future__ import annotations

from pathlib import Path

from site_builder.bodies import Bodies
from site_builder.catalog import Catalog
from site_builder.content.models import Photo
from site_builder.images import ImagePipeline, ImageSettings, ProcessedImage, gallery_html, photo_requests, picture_html
from site_builder.pages import views


class PhotoViews:
    """Resolves photo references to processed images (the build's writer publishes `pipeline.outputs()`)."""

    def __init__(self, root: Path, images_dir: str, settings: ImageSettings) -> None:
        self.pipeline = ImagePipeline(root / images_dir, settings, project_root=root)
        self._images: dict[str, ProcessedImage] = {}

    def prepare(self, catalog: Catalog, bodies: Bodies, progress: bool | None = None) -> None:
        """Process every photo of the published stories and profiles, covers and photos in their
        bodies (`bodies` prepared); raises ImageErrors listing all problems."""
        requests = photo_requests(self.pipeline, [*catalog.stories, *catalog.profiles], bodies.photo_refs)
        self._images = self.pipeline.process_all(requests, progress=progress)

    def get(self, src: str) -> ProcessedImage | None:
        return self._images.get(src)

    def view(self, photo: Photo | None) -> views.Photo | None:
        """What templates need to show a photo."""
        if photo is None:
            return None
        return views.Photo(self._images[photo.src], photo.alt, photo.caption, photo.credit)


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

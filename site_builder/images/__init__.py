"""Responsive photos: decode, orient, strip metadata, resize, encode, cache, publish.

Public API::

    ImageSettings, ImageSettingsError          settings.py  (ImageSettings.from_config(cfg["images"]))
    ImageError, ImageErrors                    errors.py    (ImageErrors.exit_code == 1)
    ImagePipeline, ImageRequest, ProcessedImage, Variant, PipelineStats   pipeline.py
    picture_html, picture_element, figcaption_html, gallery_html          html.py

Integration (no MkDocs import here; the adapter calls this package)::

    pipeline = ImagePipeline(project / "images", ImageSettings.from_config(config.get("images")))
    reqs = []
    for story in stories:                         # cover / profile photo
        if story.cover:
            reqs.append(pipeline.request(story.cover.src, story.path, line_of_cover, "cover.src"))
    # ... inline Markdown images: field "body", line = body_line + offset; gallery blocks: "gallery"
    images = pipeline.process_all(reqs)           # raises ImageErrors listing every problem
    pipeline.publish(images, site_dir)            # variants under site_dir/assets/images/
    html = picture_html(images[story.cover.src], story.cover.alt, story.cover.caption,
                        story.cover.credit, lead=True, url_base="../../")

* `request()` never raises: bad references (absolute, `..`, symlink out of images/,
  missing, folder) carry `.error` and are reported by `process_all` with all others.
* `process_all(..., raise_errors=False)` (e.g. for `serve`) returns the good photos and
  leaves the problems in `pipeline.errors`.
* Social cards: `pipeline.decode(src, max_width=1200)` gives the upright, metadata-free
  image (+ its ICC profile); `processed.largest("jpeg")` is a ready JPEG.
* CSS the theme needs: `figure.photo img {max-width:100%; height:auto}` (width/height
  are the largest variant's: they give the aspect ratio), `.credit`, `.gallery` grid.
* `python -m site_builder.images [--out SITE]` processes every file of images/ (warms
  the cache, exits 1 listing the problems).
"""

from .errors import ImageError, ImageErrors
from .html import DEFAULT_SIZES, GALLERY_SIZES, figcaption_html, gallery_html, picture_element, picture_html
from .pipeline import ImagePipeline, ImageRequest, PipelineStats, ProcessedImage, Variant
from .settings import ImageSettings, ImageSettingsError

__all__ = [
    "DEFAULT_SIZES",
    "GALLERY_SIZES",
    "ImageError",
    "ImageErrors",
    "ImagePipeline",
    "ImageRequest",
    "ImageSettings",
    "ImageSettingsError",
    "PipelineStats",
    "ProcessedImage",
    "Variant",
    "figcaption_html",
    "gallery_html",
    "picture_element",
    "picture_html",
]

"""Responsive photos and social cards: decode, orient, strip metadata, resize, draw,
encode, cache, and list the files to publish.

Public API::

    ImageSettings, ImageSettingsError          settings.py  (ImageSettings.from_config(cfg["images"]))
    ImageError, ImageErrors                    errors.py    (ImageErrors.exit_code == 1)
    ImagePipeline, ImageRequest, ProcessedImage, Variant, PipelineStats   pipeline.py
    CardRequest, SocialCard                    pipeline.py  (social cards: one more job kind)
    photo_requests, check_references           references.py (every photo reference of stories/profiles)
    picture_html, picture_element, figcaption_html, gallery_html          html.py

Modules: `pipeline` (references, the cache look-ups, the jobs, the outputs), `cache`
(the one cache and manifest), `workers` (the one job runner), `process` (the photo
job), `card_job` (the social card job), `card_text` (a card's title in lines),
`card_draw` (a card's pixels), `references` (checking photo references).

Integration (no MkDocs import here; the adapter calls this package)::

    pipeline = ImagePipeline(project / "images", ImageSettings.from_config(config.get("images")),
                             project_root=project)
    errors = check_references(pipeline, [*stories, *profiles], bodies.photo_refs)   # `check`: no decoding
    images = pipeline.process_all(photo_requests(pipeline, items, bodies.photo_refs))  # raises ImageErrors
    cards = pipeline.render_cards([CardRequest(s.slug, s.title, date_text, site_name, cover_src), ...])
    for path, source in pipeline.outputs():       # ("assets/images/x-960-<hash>.webp", cached file), ...
        writer.link(path, source)                 # the build's one writer (site_builder.writer)
    html = picture_html(images[story.cover.src], story.cover.alt, story.cover.caption,
                        story.cover.credit, lead=True, url_base="../../")

* `request()` never raises: bad references (absolute, `..`, symlink out of images/,
  missing, folder) carry `.error` and are reported by `process_all` with all others.
* `process_all(..., raise_errors=False)` (e.g. for `serve`) returns the good photos and
  leaves the problems in `pipeline.errors`.
* `pipeline.decode(src, max_width=1200)` gives the upright, metadata-free image (+ its
  ICC profile); `processed.largest("jpeg")` is a ready JPEG.
* CSS the theme needs: `figure.photo img {max-width:100%; height:auto}` (width/height
  are the largest variant's: they give the aspect ratio), `.credit`, `.gallery` grid.
* `python -m site_builder.images [--out SITE]` processes every file of images/ (warms
  the cache, exits 1 listing the problems).
"""

from .errors import ImageError, ImageErrors
from .html import DEFAULT_SIZES, GALLERY_SIZES, figcaption_html, gallery_html, picture_element, picture_html
from .pipeline import CardRequest, ImagePipeline, ImageRequest, PipelineStats, ProcessedImage, SocialCard, Variant
from .references import check_references, photo_requests
from .settings import ImageSettings, ImageSettingsError

__all__ = [
    "CardRequest",
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
    "SocialCard",
    "Variant",
    "check_references",
    "figcaption_html",
    "gallery_html",
    "photo_requests",
    "picture_element",
    "picture_html",
]

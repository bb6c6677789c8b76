"""Responsive photos: decode, orient, strip metadata, resize, encode, cache, publish.

Public API::

    ImageSettings, ImageSettingsError          settings.py
    ImageError, ImageErrors                    errors.py
    ImagePipeline, ImageRequest, ProcessedImage, Variant   pipeline.py
    picture_html, picture_element, gallery_html, figcaption_html   html.py

No MkDocs import here: the adapter calls this package.
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

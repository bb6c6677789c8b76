"""Settings of the image pipeline, and the fingerprint that keys its cache."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from site_builder.i18n import _

#: Bump whenever a change in this package changes the bytes it writes.
PIPELINE_VERSION = 1

#: Output formats we can write, in the order browsers should prefer them.
KNOWN_FORMATS = ("avif", "webp", "jpeg")

#: File extension of each output format.
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg"}

#: MIME type of each output format.
MIME_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}


class ImageSettingsError(ValueError):
    """A bad value in the `images:` configuration."""


def _default_quality() -> dict[str, int]:
    return {"jpeg": 80, "webp": 78, "avif": 55}


@dataclass(frozen=True)
class ImageSettings:
    """How photos are published.

    `widths` are the target widths of the responsive variants (a source is never
    upscaled: widths above its own are dropped, and its own width is used when
    every configured width exceeds it). `formats` must include "jpeg" (the
    `<img>` fallback); add "avif" to also publish AVIF.
    """

    widths: tuple[int, ...] = (480, 960, 1600)
    formats: tuple[str, ...] = ("webp", "jpeg")
    quality: Mapping[str, int] = field(default_factory=_default_quality, hash=False)
    # JPEG is only the <img> fallback (and social cards): baseline with optimised
    # Huffman tables; progressive is ~7% smaller for ~3x the encoding time.
    jpeg_progressive: bool = False
    # libwebp effort, 0 (fast) .. 6 (small). 2 encodes in about half the time of
    # libwebp's default 4, for files ~3% larger at the same quality setting.
    webp_method: int = 2
    avif_speed: int = 6  # libavif speed 0 (small) .. 10 (fast)
    max_pixels: int = 60_000_000  # refuse larger sources (decompression bombs)
    placeholder: bool = True  # tiny inline blurred preview
    cache_dir: Path = Path(".cache/images")  # relative paths: to the project root
    url_prefix: str = "assets/images/"  # where variants go, relative to the site root
    workers: int | None = None  # process pool size; None: every core

    def __post_init__(self) -> None:
        widths = self.widths
        if isinstance(widths, int) or not widths:
            raise ImageSettingsError(_("images.widths: write a list of widths in pixels, such as [480, 960, 1600]"))
        for w in widths:
            if not isinstance(w, int) or isinstance(w, bool) or not 16 <= w <= 8192:
                raise ImageSettingsError(_("images.widths: {value!r} is not a width: write a number of pixels from 16 "
                                            "to 8192").format(value=w))
        object.__setattr__(self, "widths", tuple(sorted(set(widths))))

        formats = tuple(str(f).lower() for f in ([self.formats] if isinstance(self.formats, str) else self.formats))
        formats = tuple("jpeg" if f == "jpg" else f for f in formats)
        for f in formats:
            if f not in KNOWN_FORMATS:
                raise ImageSettingsError(_("images.formats: unknown format {value!r}: write some of {known}")
                                         .format(value=f, known=", ".join(KNOWN_FORMATS)))
        if "jpeg" not in formats:
            raise ImageSettingsError(_("images.formats: add 'jpeg' to the list (every browser shows it; the other "
                                       "formats are optional)"))
        if "avif" in formats:
            from PIL import features

            if not features.check("avif"):
                raise ImageSettingsError(_("images.formats: this computer cannot write AVIF (its Pillow has no AVIF "
                                           "support): remove 'avif' (and 'avif: true') from the settings"))
        object.__setattr__(self, "formats", tuple(f for f in KNOWN_FORMATS if f in formats))

        quality = _default_quality()
        for k, v in dict(self.quality).items():
            k = "jpeg" if str(k).lower() == "jpg" else str(k).lower()
            if k not in KNOWN_FORMATS:
                raise ImageSettingsError(_("images.quality: unknown format {value!r}: write some of {known}")
                                         .format(value=k, known=", ".join(KNOWN_FORMATS)))
            if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 100:
                raise ImageSettingsError(_("images.quality.{format}: {value!r} is not a quality: write a number from 1 "
                                           "to 100").format(format=k, value=v))
            quality[k] = v
        object.__setattr__(self, "quality", quality)

        if not 0 <= self.webp_method <= 6:
            raise ImageSettingsError(_("images.webp_method: write a number from 0 to 6"))
        if not 0 <= self.avif_speed <= 10:
            raise ImageSettingsError(_("images.avif_speed: write a number from 0 to 10"))
        if not isinstance(self.max_pixels, int) or self.max_pixels < 1:
            raise ImageSettingsError(_("images.max_pixels: write a number of pixels larger than 0"))
        if self.workers is not None and self.workers < 1:
            raise ImageSettingsError(_("images.workers: write a number of at least 1"))
        object.__setattr__(self, "cache_dir", Path(self.cache_dir))
        prefix = self.url_prefix.strip("/")
        object.__setattr__(self, "url_prefix", prefix + "/" if prefix else "")

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> ImageSettings:
        """Build settings from the `images:` mapping of the site configuration.

        Keys are the field names; `avif: true` is a shorthand that adds AVIF.
        Unknown keys are errors.
        """
        config = dict(config or {})
        avif = config.pop("avif", None)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(config) - known)
        if unknown:
            raise ImageSettingsError(
                _("images: unknown key(s) {unknown}: correct or remove them (known: {known})")
                .format(unknown=", ".join(unknown), known=", ".join(sorted(known | {"avif"})))
            )
        if "widths" in config:
            config["widths"] = tuple(config["widths"]) if not isinstance(config["widths"], int) else config["widths"]
        if "formats" in config and not isinstance(config["formats"], str):
            config["formats"] = tuple(config["formats"])
        if avif:
            config["formats"] = tuple(config.get("formats", cls.formats)) + ("avif",)
        if "cache_dir" in config:
            config["cache_dir"] = Path(config["cache_dir"])
        return cls(**config)

    @property
    def pool_size(self) -> int:
        if self.workers:
            return self.workers
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # pragma: no cover - not Linux
            return max(1, os.cpu_count() or 1)

    def output_settings(self) -> dict[str, Any]:
        """Only what changes the bytes written (not paths, URLs or pool size)."""
        d = asdict(self)
        for k in ("cache_dir", "url_prefix", "workers"):
            d.pop(k)
        d["quality"] = {f: self.quality[f] for f in self.formats}
        if "avif" not in self.formats:
            d.pop("avif_speed")
        return d

    def fingerprint(self) -> str:
        """Stable hash of everything that decides the output bytes.

        It covers the settings that change output, this package's version and the
        versions of Pillow, pillow-heif and the codec libraries.
        """
        payload = json.dumps(
            {"pipeline": PIPELINE_VERSION, "settings": self.output_settings(), "libs": library_versions()},
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


def library_versions() -> dict[str, str]:
    import PIL
    from PIL import features

    versions = {"Pillow": PIL.__version__}
    for feature in ("jpg", "webp", "avif", "zlib", "littlecms2"):
        try:
            versions[feature] = str(features.version(feature))
        except Exception:  # pragma: no cover - a feature Pillow does not know
            versions[feature] = "?"
    try:
        import pillow_heif

        versions["pillow_heif"] = pillow_heif.__version__
        versions["libheif"] = str(pillow_heif.libheif_version())
    except Exception:  # pragma: no cover - optional at run time
        versions["pillow_heif"] = "none"
    return versions

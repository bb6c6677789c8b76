"""Decode one source photo and write its responsive variants.

Everything here is a plain function of (source bytes, settings): it runs in the
worker processes of the pipeline, and never writes anywhere but the cache.
"""

from __future__ import annotations

import base64
import hashlib
import io
import math
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageCms, UnidentifiedImageError

from .settings import EXTENSIONS, ImageSettings
from site_builder.faults import checkpoint
from site_builder.files import DiskFull, write_atomic
from site_builder.i18n import _

#: Source formats we open (Pillow would open more, some through external tools).
#: (MPO, the multi-picture JPEG of some cameras, is opened by the JPEG opener.)
SOURCE_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF", "AVIF", "GIF", "TIFF", "BMP")

#: EXIF orientation -> the transpose that makes the image upright.
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

PLACEHOLDER_MAX_BYTES = 200  # the whole data: URI
#: The largest width or height each format can hold (libwebp: 16383; JPEG: 65535; AVIF as JPEG here).
MAX_SIDE = {"webp": 16383, "jpeg": 65535, "avif": 65535}
_ORIENTATION_TAG = 0x0112
_heif_registered = False
_srgb: tuple[ImageCms.ImageCmsProfile, bytes] | None = None


class SourceError(Exception):
    """A source photo that cannot be used; the message is for editors (worded in the worker, which
    speaks the build's language: it is forked from it)."""


@dataclass(frozen=True)
class Decoded:
    """A decoded source: 8-bit L/LA/RGB/RGBA, no metadata left in `image.info`.

    `image` is upright unless decoded with `upright=False`: then `orientation`
    (EXIF 1-8) tells the transpose still to apply (see `TRANSPOSE`).
    """

    image: Image.Image
    icc: bytes | None  # matches the pixels' colour space (or None: assume sRGB)
    width: int  # upright size of the full-resolution source
    height: int
    format: str  # source format, e.g. "JPEG"
    orientation: int = 1  # still to apply to `image`


@dataclass(frozen=True)
class Job:
    """One source to process in a worker."""

    src: str
    path: str  # absolute, already validated to lie in images/
    stem: str  # slug used in output names
    out_dir: str  # where variant files are written (the cache)
    settings: ImageSettings
    fingerprint: str


@dataclass
class JobResult:
    src: str
    digest: str = ""  # sha256 of the source bytes
    record: dict[str, Any] | None = None
    error: str | None = None
    decoded: bool = False
    stat: tuple[int, int] | None = None  # (size, mtime_ns) of the bytes read
    extra: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- decoding


def register_heif() -> None:
    """Let Pillow open HEIC/HEIF (editors' iPhone photos)."""
    global _heif_registered
    if not _heif_registered:
        try:
            import pillow_heif

            pillow_heif.register_heif_opener()
        except ImportError:  # pragma: no cover - pillow-heif is a dependency
            pass
        _heif_registered = True


def srgb_profile() -> tuple[ImageCms.ImageCmsProfile, bytes]:
    """littlecms's sRGB profile, with a fixed creation date so that outputs are reproducible."""
    global _srgb
    if _srgb is None:
        data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
        data[24:36] = b"\x07\xd0\x00\x01\x00\x01" + bytes(6)  # dateTimeNumber: 2000-01-01 00:00:00
        data[84:100] = bytes(16)  # profile ID: "not computed"
        _srgb = (ImageCms.ImageCmsProfile(io.BytesIO(bytes(data))), bytes(data))
    return _srgb


def open_source(data: bytes, max_pixels: int) -> Image.Image:
    """Open (lazily) and check the size before any pixel is decoded."""
    register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            try:
                im = Image.open(io.BytesIO(data), formats=SOURCE_FORMATS)
            except KeyError:  # a format whose plugin is missing (e.g. no pillow-heif)
                Image.init()
                im = Image.open(io.BytesIO(data), formats=[f for f in SOURCE_FORMATS if f in Image.OPEN])
    except Image.DecompressionBombError as e:
        raise SourceError(_("the photo is too large to open safely ({detail}): make it smaller before publishing")
                          .format(detail=e)) from None
    except UnidentifiedImageError:
        if not data:
            raise SourceError(_("the file is empty: copy the photo again")) from None
        raise SourceError(_("the file is not a photo: use a JPEG, PNG, WebP or HEIC photo")) from None
    except (OSError, SyntaxError, ValueError, EOFError) as e:
        raise SourceError(_("the photo's file is damaged ({detail}): copy the photo again from the original")
                          .format(detail=e)) from None
    w, h = im.size
    if w < 1 or h < 1:
        raise SourceError(_("the photo has no pixels ({width}×{height}): copy the photo again from the original")
                          .format(width=w, height=h))
    if w * h > max_pixels:
        raise SourceError(
            _("the photo is {width}×{height} = {megapixels:.1f} megapixels, over the limit of {limit:g} megapixels "
              "(images.max_pixels): make it smaller before publishing").format(
                width=w, height=h, megapixels=w * h / 1e6, limit=max_pixels / 1e6)
        )
    return im


def read_orientation(im: Image.Image) -> int:
    try:
        value = im.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:  # unreadable EXIF: treat as upright
        return 1
    return value if value in TRANSPOSE else 1


def upright_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def decode(
    data: bytes,
    *,
    max_pixels: int,
    max_width: int | None = None,
    widths: tuple[int, ...] | None = None,
    upright: bool = True,
) -> Decoded:
    """Decode `data` normalised, with no metadata, upright (unless `upright=False`).

    With `max_width` (or `widths`, meaning the widest variant `target_sizes`
    gives), JPEGs are decoded by libjpeg at the smallest scale (1/2, 1/4, 1/8)
    whose upright width is still at least that.
    """
    im = open_source(data, max_pixels)
    fmt = im.format or "?"
    try:
        if getattr(im, "n_frames", 1) > 1:
            im.seek(0)
        orientation = read_orientation(im)
        width, height = upright_size(im.size, orientation)
        if widths:
            max_width = target_sizes(width, height, widths)[-1][0]
        if max_width and fmt in ("JPEG", "MPO") and width > max_width:
            need_h = math.ceil(max_width * height / width)
            request = (need_h, max_width) if orientation in (5, 6, 7, 8) else (max_width, need_h)
            im.draft(None, request)
        icc = im.info.get("icc_profile") or None
        adobe = "adobe" in im.info
        im.load()
    except SourceError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as e:
        raise SourceError(_("the photo's file is cut short or damaged ({detail}): copy the photo again from the "
                            "original").format(detail=e)) from None
    if im.mode == "CMYK" and fmt in ("JPEG", "MPO") and not adobe:
        # Pillow assumes Adobe's inverted CMYK; without the Adobe marker it is not.
        im = ImageChops.invert(im)
    if upright and orientation in TRANSPOSE:
        im = im.transpose(TRANSPOSE[orientation])
        orientation = 1
    im, icc = normalise(im, icc)
    im.info = {}
    return Decoded(im, icc, width, height, fmt, orientation if orientation in TRANSPOSE else 1)


def _profile(icc: bytes | None) -> ImageCms.ImageCmsProfile | None:
    if not icc:
        return None
    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(icc))
    except Exception:  # a broken profile: ignore it
        return None


def _to_srgb(im: Image.Image, profile: ImageCms.ImageCmsProfile) -> tuple[Image.Image, bytes] | None:
    """Convert CMYK or greyscale pixels to sRGB through their ICC profile."""
    srgb, srgb_bytes = srgb_profile()
    alpha = im.getchannel("A") if im.mode == "LA" else None
    base = im.convert("L") if im.mode == "LA" else im
    try:
        out = ImageCms.profileToProfile(base, profile, srgb, outputMode="RGB")
    except Exception:
        return None
    assert out is not None
    if alpha is not None:
        out.putalpha(alpha)
    return out, srgb_bytes


def _high_depth_to_8bit(im: Image.Image) -> Image.Image:
    """16-bit or 32-bit greyscale to 8-bit L, scaled (Pillow's convert clips)."""
    sixteen = im.mode.startswith("I;16")
    if sixteen:
        im = im.convert("I")
    lo, hi = im.getextrema()
    if im.mode == "F":
        scale = 255.0 if hi <= 1.0 else 255.0 / hi
    elif sixteen or 255 < hi <= 65535:
        scale = 255.0 / 65535.0
    elif hi > 65535:
        scale = 255.0 / hi
    else:
        scale = 1.0
    if scale != 1.0:
        im = im.point(lambda v: v * scale + 0.5)
    return im.convert("L")


def normalise(im: Image.Image, icc: bytes | None) -> tuple[Image.Image, bytes | None]:
    """To 8-bit L, LA, RGB or RGBA, with an ICC profile that fits the pixels."""
    mode = im.mode
    profile = _profile(icc)
    space = profile.profile.xcolor_space.strip() if profile else None
    if mode == "CMYK":
        converted = _to_srgb(im, profile) if space == "CMYK" and profile else None
        if converted:
            return converted
        return im.convert("RGB"), None
    if mode.startswith("I") or mode == "F":
        im = _high_depth_to_8bit(im)
    elif mode == "1":
        im = im.convert("L")
    elif mode in ("P", "PA"):
        im = im.convert("RGBA" if im.has_transparency_data else "RGB")
    elif mode in ("L", "RGB") and "transparency" in im.info:
        im = im.convert("LA" if mode == "L" else "RGBA")
    elif mode in ("La", "RGBa"):
        im = im.convert(mode[0] + "A" if mode == "La" else "RGBA")
    elif mode not in ("L", "LA", "RGB", "RGBA"):
        im = im.convert("RGBA" if "A" in im.getbands() else "RGB")

    if im.mode in ("LA", "RGBA") and im.getchannel("A").getextrema()[0] == 255:
        im = im.convert(im.mode[:-1])  # opaque: drop the alpha channel

    if profile is None:
        return im, None
    if im.mode in ("L", "LA"):
        if space == "GRAY":
            # Keep the colours right in every format: WebP/AVIF cannot carry a grey profile.
            converted = _to_srgb(im, profile)
            return converted if converted else (im, None)
        if space == "RGB":
            return im.convert("RGB" if im.mode == "L" else "RGBA"), icc
        return im, None
    return (im, icc) if space == "RGB" else (im, None)


# --------------------------------------------------------------------------- resizing


def target_sizes(width: int, height: int, widths: tuple[int, ...]) -> list[tuple[int, int]]:
    """(w, h) of each variant, ascending; never wider than the source.

    Configured widths above the source's are replaced by the source's own width
    (unless a kept width is within 10% of it).
    """
    kept = [w for w in widths if w <= width]
    if len(kept) < len(widths) and (not kept or width > kept[-1] * 1.1):
        kept.append(width)
    return [(w, max(1, round(w * height / width))) for w in kept]


def resize_variants(
    im: Image.Image, sizes: list[tuple[int, int]], orientation: int = 1
) -> dict[tuple[int, int], Image.Image]:
    """Each (upright) size, resized stepwise: every variant is made from the next larger one.

    `im` may still need the EXIF `orientation`: it is applied after the first
    resize, to the fewest pixels.
    """
    out: dict[tuple[int, int], Image.Image] = {}
    current = im
    for size in sorted(sizes, reverse=True):
        if orientation in TRANSPOSE:
            stored = (size[1], size[0]) if orientation >= 5 else size
            if current.size != stored:
                current = current.resize(stored, Image.Resampling.LANCZOS, reducing_gap=3.0)
            current = current.transpose(TRANSPOSE[orientation])
            orientation = 1
        elif current.size != size:
            current = current.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        out[size] = current
    return out


# --------------------------------------------------------------------------- encoding


def flatten(im: Image.Image, colour: int = 255) -> Image.Image:
    """Alpha composited over white (for JPEG)."""
    if im.mode not in ("LA", "RGBA"):
        return im
    base = Image.new(im.mode[:-1], im.size, (colour,) * (len(im.mode) - 1))
    base.paste(im.convert(im.mode[:-1]), mask=im.getchannel("A"))
    return base


def encode(im: Image.Image, fmt: str, settings: ImageSettings, icc: bytes | None) -> bytes:
    """Bytes of one variant: no EXIF, XMP or comment; the ICC profile when given."""
    quality = settings.quality[fmt]
    options: dict[str, Any]
    if fmt == "jpeg":
        im = flatten(im)
        options = {"quality": quality, "optimize": True, "progressive": settings.jpeg_progressive}
        pil_format = "JPEG"
    else:
        if im.mode in ("L", "LA"):
            im = im.convert("RGB" if im.mode == "L" else "RGBA")
        if fmt == "webp":
            options = {"quality": quality, "method": settings.webp_method}
            pil_format = "WEBP"
        else:
            options = {"quality": quality, "speed": settings.avif_speed}
            pil_format = "AVIF"
    if icc:
        options["icc_profile"] = icc
    im.info = {}
    buf = io.BytesIO()
    im.save(buf, pil_format, **options)
    return buf.getvalue()


def placeholder_uri(im: Image.Image, max_bytes: int = PLACEHOLDER_MAX_BYTES) -> str:
    """A few-pixel WebP as a data: URI of at most `max_bytes` (browsers blur it when scaled)."""
    rgb = im.convert("RGB") if im.mode != "RGB" else im
    w, h = rgb.size
    for side in (24, 20, 16, 12, 8, 4):
        scale = side / max(w, h)
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        tiny = rgb.resize(size, Image.Resampling.BOX)
        for quality in (50, 30):
            buf = io.BytesIO()
            tiny.save(buf, "WEBP", quality=quality, method=6)
            uri = "data:image/webp;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
            if len(uri) <= max_bytes:
                return uri
    return ""


def average_colour(im: Image.Image) -> str:
    """'#rrggbb': the mean colour (over white where transparent)."""
    pixel = flatten(im).convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    assert isinstance(pixel, tuple)
    return "#{:02x}{:02x}{:02x}".format(*pixel[:3])


# --------------------------------------------------------------------------- one job


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def output_hash(digest: str, fingerprint: str) -> str:
    """The 10 hex digits in output names: source content + output settings."""
    return hashlib.sha256(f"{digest}:{fingerprint}".encode()).hexdigest()[:10]


def variant_name(stem: str, width: int, digest: str, fingerprint: str, fmt: str) -> str:
    return f"{stem}-{width}-{output_hash(digest, fingerprint)}.{EXTENSIONS[fmt]}"


_write_atomic = write_atomic  # a variant is written whole or not at all


def process_bytes(
    data: bytes, stem: str, out_dir: Path, settings: ImageSettings, fingerprint: str, digest: str | None = None
) -> dict[str, Any]:
    """Decode `data`, write every variant into `out_dir`; the cache record of the result."""
    digest = digest or content_digest(data)
    # Decoded no larger than the biggest variant needs (draft() for JPEGs).
    decoded = decode(data, max_pixels=settings.max_pixels, widths=settings.widths, upright=False)
    width, height = decoded.width, decoded.height
    sizes = target_sizes(width, height, settings.widths)
    images = resize_variants(decoded.image, sizes, decoded.orientation)
    out_dir.mkdir(parents=True, exist_ok=True)
    variants = []
    notes = []
    for fmt in settings.formats:
        limit = MAX_SIDE[fmt]
        for size in sizes:
            image = images[size]
            if max(size) > limit:
                if fmt != "jpeg":  # the other formats are optional: the browser takes the JPEG instead
                    notes.append([fmt, size[0], size[1], limit, None])
                    continue
                scale = limit / max(size)
                fitted = (max(1, int(size[0] * scale)), max(1, int(size[1] * scale)))
                notes.append([fmt, size[0], size[1], limit, list(fitted)])
                size, image = fitted, image.resize(fitted, Image.Resampling.LANCZOS)
            name = variant_name(stem, size[0], digest, fingerprint, fmt)
            blob = encode(image, fmt, settings, decoded.icc)
            _write_atomic(out_dir / name, blob)
            variants.append([fmt, size[0], size[1], name, len(blob)])
    smallest = images[sizes[0]]
    alpha = smallest.mode in ("LA", "RGBA")
    placeholder = placeholder_uri(smallest) if settings.placeholder and not alpha else ""
    return {
        "digest": digest,
        "width": width,
        "height": height,
        "format": decoded.format,
        "alpha": alpha,
        "icc": bool(decoded.icc),
        "variants": variants,
        "placeholder": placeholder,
        "colour": average_colour(smallest),
        "notes": notes,
    }


def note_message(note: list) -> str:
    """What was done to publish a photo (a `notes` entry of a processing record), in this run's language."""
    fmt, width, height, limit, fitted = note
    if fitted is None:
        return _("{width}×{height} px is larger than {format} allows ({limit} px): published as JPEG only at that "
                 "size (to avoid this warning, make the photo at most {limit} px high and wide)").format(
            width=width, height=height, format=fmt.upper(), limit=limit)
    return _("{width}×{height} px is larger than JPEG allows ({limit} px): published at {fitted_width}×{fitted_height} "
             "px (to avoid this warning, make the photo at most {limit} px high and wide)").format(
        width=width, height=height, limit=limit, fitted_width=fitted[0], fitted_height=fitted[1])


def run_job(job: Job) -> JobResult:
    """Worker entry point: never raises, reports problems in `error`."""
    result = JobResult(job.src)
    try:
        with open(job.path, "rb") as f:  # read-only: images/ is never written
            st = os.fstat(f.fileno())
            data = f.read()
        result.stat = (st.st_size, st.st_mtime_ns)
        result.digest = content_digest(data)
        result.decoded = True
        checkpoint("photos.job")
        result.record = process_bytes(
            data, job.stem, Path(job.out_dir), job.settings, job.fingerprint, result.digest
        )
    except Exception as e:  # never let one photo crash the build
        result.error = failure_message(e, _("cannot process the photo"))
        result.extra["disk_full"] = isinstance(e, DiskFull)
    return result


def run_check_job(job: Job) -> JobResult:
    """Worker entry point of `check`: decode the whole photo, write nothing; never raises."""
    result = JobResult(job.src)
    try:
        with open(job.path, "rb") as f:  # read-only
            st = os.fstat(f.fileno())
            data = f.read()
        result.stat = (st.st_size, st.st_mtime_ns)
        result.digest = content_digest(data)
        decode(data, max_pixels=job.settings.max_pixels, upright=False)
        result.decoded = True
    except Exception as e:  # reported with the photo's file and line
        result.error = failure_message(e, _("cannot read the photo"))
    return result


def failure_message(error: Exception, what: str) -> str:
    """What to tell the editor when a worker could not handle a photo."""
    if isinstance(error, (SourceError, DiskFull)):
        return str(error)
    if isinstance(error, FileNotFoundError):
        return _("the file disappeared while it was being read (moved or renamed?): check it and run the command again")
    if isinstance(error, PermissionError):
        return _("cannot read the file (permission denied): check that it can be opened")
    if isinstance(error, MemoryError):
        return _("not enough memory to open this photo: make it smaller before publishing")
    return _("{what} ({error}): run the command again; if it happens again, tell the technical staff").format(
        what=what, error=f"{type(error).__name__}: {error}")

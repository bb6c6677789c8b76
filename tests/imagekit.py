"""Helpers for the image tests: synthetic photos with EXIF/GPS/XMP/ICC, and checks.

(No tests here; the test_images_*.py modules import it.)
"""

from __future__ import annotations

import builtins
import hashlib
import io
import os
import struct
from pathlib import Path

from PIL import Image, ImageCms

# Upright pattern: top-left red, top-right green, bottom-left blue, bottom-right yellow.
RED, GREEN, BLUE, YELLOW = (220, 30, 30), (30, 200, 30), (30, 30, 220), (230, 220, 40)
QUADRANTS = {"tl": RED, "tr": GREEN, "bl": BLUE, "br": YELLOW}

SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
MARKER_MAKE = "MARKERCAM"
MARKER_XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">MARKERXMP</x:xmpmeta>'
MARKER_COMMENT = b"MARKERCOMMENT"
MARKERS = (MARKER_MAKE.encode(), b"MARKERXMP", MARKER_COMMENT, b"Exif\x00\x00", b"http://ns.adobe.com/xap")

STORY = "content/stories/2026/bai-mau.md"

#: A story whose cover is images/2026/duong-hoa.jpg (copy a demo photo there).
COVERED_STORY = """---
title: Đường hoa
date: 2026-03-14
summary: Phụ nữ thôn Ba Gò chăm sóc đường hoa.
kind: mo-hinh
cover:
  src: 2026/duong-hoa.jpg
  alt: Đường hoa
---
Nội dung.
"""


def quadrant_image(width: int = 64, height: int = 48, colours=QUADRANTS) -> Image.Image:
    im = Image.new("RGB", (width, height), colours["br"])
    im.paste(colours["tl"], (0, 0, width // 2, height // 2))
    im.paste(colours["tr"], (width // 2, 0, width, height // 2))
    im.paste(colours["bl"], (0, height // 2, width // 2, height))
    return im


def _upright_coords(o: int, x: int, y: int, W: int, H: int) -> tuple[int, int]:
    """Where stored pixel (x, y) shows once displayed, per the EXIF spec's
    meaning of each orientation (which side row 0 and column 0 are on)."""
    return {
        1: (x, y),  # row 0 top, column 0 left
        2: (W - 1 - x, y),  # row 0 top, column 0 right
        3: (W - 1 - x, H - 1 - y),  # row 0 bottom, column 0 right
        4: (x, H - 1 - y),  # row 0 bottom, column 0 left
        5: (y, x),  # row 0 left, column 0 top
        6: (W - 1 - y, x),  # row 0 right, column 0 top
        7: (W - 1 - y, H - 1 - x),  # row 0 right, column 0 bottom
        8: (y, H - 1 - x),  # row 0 left, column 0 bottom
    }[o]


def stored_for(upright: Image.Image, orientation: int) -> Image.Image:
    """The pixels a camera stores for `upright` when it tags `orientation`."""
    W, H = upright.size
    sw, sh = (H, W) if orientation >= 5 else (W, H)
    src = upright.load()
    stored = Image.new(upright.mode, (sw, sh))
    out = stored.load()
    for y in range(sh):
        for x in range(sw):
            out[x, y] = src[_upright_coords(orientation, x, y, W, H)]
    return stored


def exif_with(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = MARKER_MAKE
    exif[0x0132] = "2026:03:14 08:30:00"
    exif[0x8825] = {1: "N", 2: (21.0, 18.0, 30.0), 3: "E", 4: (105.0, 36.0, 12.0)}  # GPS
    return exif


def photo_jpeg(orientation: int = 1, size=(64, 48), icc: bytes | None = SRGB_ICC, quality: int = 95) -> bytes:
    """A JPEG of the upright quadrant pattern stored as a camera with `orientation` would."""
    stored = stored_for(quadrant_image(*size), orientation)
    buf = io.BytesIO()
    kwargs = {"icc_profile": icc} if icc else {}
    stored.save(
        buf, "JPEG", quality=quality, exif=exif_with(orientation), xmp=MARKER_XMP, comment=MARKER_COMMENT, **kwargs
    )
    return buf.getvalue()


def save_as(im: Image.Image, fmt: str, orientation: int = 1, icc: bytes | None = SRGB_ICC, **kw) -> bytes:
    buf = io.BytesIO()
    if icc:
        kw["icc_profile"] = icc
    # As bytes: pillow-heif turns an orientation given so into the HEIF irot/imir boxes.
    im.save(buf, fmt, exif=exif_with(orientation).tobytes(), **kw)
    return buf.getvalue()


def write(root: Path, rel: str, data: bytes, old: bool = True) -> Path:
    """Write images/<rel>; `old` back-dates it so the cache trusts its stat at once."""
    path = root / "images" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if old:
        t = 1_700_000_000_000_000_000
        os.utime(path, ns=(t, t))
    return path


def near(a, b, tol: int = 40) -> bool:
    a, b = (a,) if isinstance(a, int) else a, (b,) if isinstance(b, int) else b
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def quadrant_colours(im: Image.Image) -> dict[str, tuple]:
    im = im.convert("RGB")
    w, h = im.size
    pts = {"tl": (w // 4, h // 4), "tr": (3 * w // 4, h // 4), "bl": (w // 4, 3 * h // 4), "br": (3 * w // 4, 3 * h // 4)}
    return {k: im.getpixel(p) for k, p in pts.items()}


def assert_upright(im: Image.Image, colours=QUADRANTS, tol: int = 40) -> None:
    got = quadrant_colours(im)
    for k, want in colours.items():
        assert near(got[k], want, tol), f"{k}: got {got[k]}, want {want} (all: {got})"


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of each JPEG segment before the scan."""
    assert data[:2] == b"\xff\xd8"
    i, out = 2, []
    while i < len(data):
        assert data[i] == 0xFF, i
        marker = data[i + 1]
        if marker == 0xDA:
            break
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        out.append((marker, data[i + 4 : i + 2 + length]))
        i += 2 + length
    return out


def riff_chunks(data: bytes) -> list[bytes]:
    """FourCCs of the chunks of a WebP file."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    i, out = 12, []
    while i + 8 <= len(data):
        fourcc, size = data[i : i + 4], struct.unpack("<I", data[i + 4 : i + 8])[0]
        out.append(fourcc)
        i += 8 + size + (size & 1)
    return out


def assert_no_metadata(path: Path) -> None:
    """No EXIF (so no GPS), XMP or comment in any form, by Pillow and by bytes."""
    data = path.read_bytes()
    with Image.open(path) as im:
        assert len(im.getexif()) == 0, (path.name, dict(im.getexif()))
        assert "exif" not in im.info and "xmp" not in im.info and "comment" not in im.info, im.info.keys()
    for marker in MARKERS:
        assert marker not in data, (path.name, marker)
    if path.suffix == ".jpg":
        markers = [m for m, _ in jpeg_segments(data)]
        assert 0xE1 not in markers, "APP1 (EXIF/XMP) segment left"
        assert 0xFE not in markers, "COM segment left"
    elif path.suffix == ".webp":
        chunks = riff_chunks(data)
        assert b"EXIF" not in chunks and b"XMP " not in chunks, chunks


def icc_of(path: Path) -> bytes | None:
    with Image.open(path) as im:
        return im.info.get("icc_profile")


def snapshot(folder: Path) -> dict[str, tuple]:
    """Everything observable about the files under `folder`."""
    out = {}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        digest = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() and not p.is_symlink() else ""
        out[p.relative_to(folder).as_posix()] = (st.st_mode, st.st_size, st.st_mtime_ns, digest)
    return out


FS_CALLS = ((os, "stat"), (os, "lstat"), (os, "listdir"), (os, "scandir"), (builtins, "open"), (io, "open"))


def count_fs_calls(monkeypatch) -> list[tuple[str, object]]:
    """(name, path) of every stat, lstat, folder listing and file open from now on, until
    `monkeypatch.undo()`."""
    calls: list[tuple[str, object]] = []
    for module, name in FS_CALLS:
        real = getattr(module, name)

        def wrapper(*a, _real=real, _name=name, **k):
            calls.append((_name, a[0] if a else None))
            return _real(*a, **k)

        monkeypatch.setattr(module, name, wrapper)
    return calls


def count_calls(monkeypatch, module, name):
    """Record the arguments of every call of `module.name` (still called)."""
    calls = []
    real = getattr(module, name)

    def wrapper(*a, **k):
        calls.append(a)
        return real(*a, **k)

    monkeypatch.setattr(module, name, wrapper)
    return calls

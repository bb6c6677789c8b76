"""Photos in the editor: uploads checked like the image pipeline checks a photo, the library
listed one year's folder at a time, and small previews instead of the photos themselves.

Decap's own server sends every photo of a folder in full, base64-encoded, each time the
library opens: with thousands of phone photos that is gigabytes. Here the library gets each
photo's name, size and the address of a preview (`/admin/anh/<path>?w=...`), a JPEG made once
(`.cache/admin/previews/`) from the photo upright, whatever its format (HEIC too), and the
browser loads only the previews it shows.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from PIL import Image

from site_builder.files import human_size, write_atomic
from site_builder.i18n import _
from site_builder.images.process import SourceError, decode
from site_builder.vietnamese import slugify

from .paths import Refused

#: A phone photo is 3-12 MB (12 MP JPEG or HEIC); 20 MB leaves room for 48 MP ones.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: Photo files the library lists and accepts (what the image pipeline opens).
PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".avif", ".gif", ".tif", ".tiff")
#: Widths of the previews the editor asks for (the library's cards, the preview pane).
PREVIEW_WIDTHS = (360, 960)
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Upload:
    """A photo the editor sent, checked: where it goes (relative to the project), its bytes, and
    the photo decoded upright (for its previews)."""

    path: str
    data: bytes
    image: Image.Image | None = field(default=None, compare=False, repr=False)


def check_upload(name: str, data: bytes, max_pixels: int) -> Image.Image:
    """The photo `name` whose bytes are `data`, decoded upright (at least as wide as the widest
    preview); Refused, with what to do, when it is too large, not a photo, damaged or over the
    pixel limit (as the build says)."""
    if not name.lower().endswith(PHOTO_EXTENSIONS):
        raise Refused(_("{name}: only photos can be uploaded (JPEG, PNG, WebP or HEIC)").format(name=name), 415)
    if len(data) > MAX_UPLOAD_BYTES:
        raise Refused(_("{name}: the photo is {size}, more than {most}: send a smaller copy (a phone's "
                        "'large' or 'medium' size is enough)").format(
            name=name, size=human_size(len(data)), most=human_size(MAX_UPLOAD_BYTES)), 413)
    try:
        decoded = decode(data, max_pixels=max_pixels, max_width=PREVIEW_WIDTHS[-1])
    except SourceError as exc:
        raise Refused(f"{name}: {exc}", 422) from None
    return decoded.image


def upload_path(path: str, images_dir: str, year: int, taken: set[str]) -> str:
    """Where an uploaded photo goes: `<images_dir>/<year>/<ascii-name>.<ext>`, the year the
    editor chose (the story's) when the path has one, another name when `taken` has it."""
    rel = PurePosixPath(path)
    parent = rel.parent.name if _YEAR.fullmatch(rel.parent.name) else str(year)
    stem = slugify(rel.stem)[:60].strip("-") or "anh"
    ext = rel.suffix.lower()
    ext = ".jpg" if ext == ".jpeg" else ext
    candidate = f"{images_dir}/{parent}/{stem}{ext}"
    n = 2
    while candidate in taken:
        candidate = f"{images_dir}/{parent}/{stem}-{n}{ext}"
        n += 1
    return candidate


def media_entry(root: Path, file: Path) -> dict:
    """What the library lists for one photo: no bytes, the address of its preview."""
    return _entry(file.relative_to(root).as_posix(), file.name, file.stat())


def _entry(rel: str, name: str, st: os.stat_result) -> dict:
    version = f"{st.st_mtime_ns:x}-{st.st_size:x}"
    address = quote(rel)
    return {
        "id": f"{rel}?v={version}",
        "name": name,
        "path": rel,
        "size": st.st_size,
        "url": f"/admin/anh/{address}?w={PREVIEW_WIDTHS[-1]}&v={version}",
        "thumbnail": f"/admin/anh/{address}?w={PREVIEW_WIDTHS[0]}&v={version}",
    }


def list_folder(root: Path, folder: Path) -> list[dict]:
    """The photos directly in `folder` (one year), newest first: one `stat` each, no file read."""
    try:
        with os.scandir(folder) as it:
            found = [(e.name, e.stat()) for e in it if not e.name.startswith(".")
                     and e.name.lower().endswith(PHOTO_EXTENSIONS) and e.is_file()]
    except FileNotFoundError:
        return []
    found.sort(key=lambda f: (-f[1].st_mtime_ns, f[0]))
    prefix = folder.relative_to(root).as_posix()
    return [_entry(f"{prefix}/{name}", name, st) for name, st in found]


def preview(source: Path, width: int, cache_dir: Path, max_pixels: int) -> bytes:
    """A JPEG of `source` at most `width` pixels wide, upright, made once and cached by the
    photo's path, size and time."""
    width = min((w for w in PREVIEW_WIDTHS if w >= width), default=PREVIEW_WIDTHS[-1])
    cached = _preview_file(source, width, cache_dir)
    try:
        return cached.read_bytes()
    except FileNotFoundError:
        pass
    decoded = decode(source.read_bytes(), max_pixels=max_pixels, max_width=width)
    return _save_preview(decoded.image, width, cached)


def make_previews(source: Path, image: Image.Image, cache_dir: Path) -> None:
    """The previews of a photo just written at `source`, from `image` (the photo upright, as its
    upload was checked, at least as wide as the widest preview or whole): made now, so that the
    library does not wait for them."""
    for width in PREVIEW_WIDTHS:
        cached = _preview_file(source, width, cache_dir)
        if not cached.exists():
            _save_preview(image, width, cached)


def _preview_file(source: Path, width: int, cache_dir: Path) -> Path:
    st = source.stat()
    key = hashlib.sha256(f"{source}|{st.st_size}|{st.st_mtime_ns}|{width}".encode()).hexdigest()[:32]
    return cache_dir / key[:2] / f"{key}.jpg"


def _save_preview(image: Image.Image, width: int, cached: Path) -> bytes:
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if image.width > width:
        image = image.resize((width, max(1, round(image.height * width / image.width))))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=78, optimize=True)
    data = out.getvalue()
    cached.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(cached, data)
    return data


def rename_references(value, renames: dict[str, str]):
    """`value` (front matter values, or a body) with each photo path the editor chose replaced by
    the one the photo was filed under (paths relative to the photo folder)."""
    if isinstance(value, dict):
        return {k: rename_references(v, renames) for k, v in value.items()}
    if isinstance(value, list):
        return [rename_references(v, renames) for v in value]
    if isinstance(value, str):
        if value in renames:
            return renames[value]
        for old, new in renames.items():  # in a body: ![alt](old "caption")
            value = re.sub(rf"(?<=\(){re.escape(old)}(?=[\s)])|(?<=\(<){re.escape(old)}(?=>)", new, value)
    return value


def public(path: str, images_dir: str) -> str:
    """A path inside the project -> the same photo as a story names it (relative to the photo folder)."""
    return posixpath.relpath(path, images_dir)

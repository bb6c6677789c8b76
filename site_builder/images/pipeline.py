"""The image pipeline: validate photo references, process them (cached, in
parallel), and publish the variants into the built site.

Typical use::

    pipeline = ImagePipeline(project / "images", ImageSettings.from_config(cfg))
    requests = [pipeline.request(story.cover.src, story.path, line, "cover.src"), ...]
    images = pipeline.process_all(requests)        # raises ImageErrors, listing all problems
    pipeline.publish(images.values(), site_dir)    # copies the variants the pages use
    html = picture_html(images[story.cover.src], story.cover.alt, ...)
"""

from __future__ import annotations

import difflib
import os
import posixpath
import re
import stat
import sys
import time
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from site_builder.files import link_or_copy

from .cache import ImageCache
from .errors import ImageError, ImageErrors
from .process import Decoded, Job, JobResult, content_digest, decode, run_job
from .settings import ImageSettings, ImageSettingsError
from .workers import run_jobs

PROGRESS_THRESHOLD = 20  # show a progress bar when more photos than this must be processed


@dataclass(frozen=True)
class ImageRequest:
    """A use of a photo: where it is referenced, and the file it resolves to."""

    src: str  # normalised path relative to images/, e.g. "2026/a.jpg"
    given: str  # as written by the editor
    path: Path | None  # the real file (None when `error` is set)
    origin_path: Path | None = None  # the story/profile file that uses it
    origin_line: int | None = None
    field: str | None = None  # "cover.src", "photo.src", "body", "gallery"...
    error: ImageError | None = None


@dataclass(frozen=True)
class Variant:
    """One published file."""

    format: str  # "avif", "webp" or "jpeg"
    width: int
    height: int
    name: str  # file name, e.g. "duong-hoa-960-3f2a9c1b0d.webp"
    url: str  # site-relative URL, e.g. "assets/images/duong-hoa-960-3f2a9c1b0d.webp"
    bytes: int


@dataclass(frozen=True)
class ProcessedImage:
    """A photo ready for HTML: its upright size and every variant."""

    src: str
    width: int  # upright size of the source (after EXIF orientation)
    height: int
    variants: tuple[Variant, ...]
    placeholder: str = ""  # data: URI of a tiny blurred preview ("" for none)
    colour: str = "#808080"  # mean colour, '#rrggbb'
    has_alpha: bool = False

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.format for v in self.variants))

    def by_format(self, fmt: str) -> tuple[Variant, ...]:
        """Variants of one format, narrowest first."""
        return tuple(sorted((v for v in self.variants if v.format == fmt), key=lambda v: v.width))

    def srcset(self, fmt: str, url_base: str = "") -> str:
        return ", ".join(f"{url_base}{v.url} {v.width}w" for v in self.by_format(fmt))

    def largest(self, fmt: str = "jpeg") -> Variant:
        return self.by_format(fmt)[-1]

    def fallback(self, fmt: str = "jpeg", width: int = 960) -> Variant:
        """The variant closest to `width` (preferring the wider one), for `<img src>`."""
        options = self.by_format(fmt)
        wide_enough = [v for v in options if v.width >= width]
        return wide_enough[0] if wide_enough else options[-1]


@dataclass
class PipelineStats:
    requests: int = 0
    sources: int = 0  # distinct photos
    cached: int = 0  # served from the cache, not decoded
    processed: int = 0  # decoded and encoded in this run
    errors: int = 0
    seconds: float = 0.0


@dataclass
class _Pending:
    src: str
    path: Path
    requests: list[ImageRequest] = field(default_factory=list)


_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


def _stem_slug(src: str) -> str:
    from slugify import slugify

    return slugify(PurePosixPath(src).stem, max_length=60, word_boundary=True) or "image"


class ImagePipeline:
    """Processes the photos of a build. Nothing under `images_root` is ever written."""

    def __init__(
        self,
        images_root: str | os.PathLike[str],
        settings: ImageSettings | None = None,
        project_root: str | os.PathLike[str] | None = None,
    ) -> None:
        self.settings = settings or ImageSettings()
        self.images_root = Path(images_root)
        self.images_real = self.images_root.resolve()
        self._real_dirs: dict[str, Path] = {}  # folder under images/ -> its resolved path
        root = Path(project_root) if project_root is not None else self.images_root.parent
        cache_dir = self.settings.cache_dir
        self.cache_dir = (cache_dir if cache_dir.is_absolute() else root / cache_dir).resolve()
        if self.cache_dir == self.images_real or self.cache_dir.is_relative_to(self.images_real):
            raise ImageSettingsError(f"images.cache_dir: {self.cache_dir} must not be inside {self.images_root}")
        self.fingerprint = self.settings.fingerprint()
        self.cache = ImageCache(self.cache_dir, self.fingerprint)
        self.stats = PipelineStats()
        self.errors: list[ImageError] = []

    # ------------------------------------------------------------------ requests

    def _error(self, src: str, message: str, origin_path, origin_line, field) -> ImageError:
        return ImageError(src, message, origin_path, origin_line, field, self.images_root)

    def request(
        self,
        src: str,
        origin_path: str | os.PathLike[str] | None = None,
        origin_line: int | None = None,
        field: str | None = "cover.src",
    ) -> ImageRequest:
        """Resolve `src` (relative to images/) for the file and line that use it.

        Never raises: a bad reference comes back with `error` set, and
        `process_all` reports it with all the others.
        """
        origin = Path(origin_path) if origin_path is not None else None
        given = src if isinstance(src, str) else repr(src)

        def bad(message: str) -> ImageRequest:
            err = self._error(given, message, origin, origin_line, field)
            return ImageRequest(given, given, None, origin, origin_line, field, err)

        if not isinstance(src, str) or not src.strip():
            return bad("no photo path given")
        text = unicodedata.normalize("NFC", src.strip())
        if "\x00" in text:
            return bad("invalid character in the photo path")
        if "://" in text or text.startswith(("data:", "//")):
            return bad("must be a file in images/, not a URL")
        if "\\" in text:
            return bad("use '/' between folders, not '\\'")
        rel = PurePosixPath(text)
        if rel.is_absolute() or _WINDOWS_DRIVE.match(text):
            return bad("must be a path relative to images/, not an absolute path")
        if ".." in rel.parts:
            return bad("must stay inside images/ ('..' is not allowed)")
        norm = rel.as_posix()
        if norm in ("", "."):
            return bad("no photo path given")
        fast = self._plain_file(norm)
        if fast is not None:
            return ImageRequest(norm, given, fast, origin, origin_line, field)
        path = self.images_root / norm
        if not os.path.lexists(path):
            nfd = self.images_root / unicodedata.normalize("NFD", norm)
            if os.path.lexists(nfd):  # saved from a Mac
                path = nfd
            else:
                return bad(self._not_found_message(norm))
        try:
            real = path.resolve(strict=True)
        except FileNotFoundError:
            return bad("broken symbolic link (its target does not exist)")
        except (OSError, RuntimeError) as e:
            return bad(f"cannot resolve the path ({e})")
        if not real.is_relative_to(self.images_real):
            return bad("is a link that leads outside images/ (not allowed)")
        if not real.is_file():
            return bad("is a folder, not a photo" if real.is_dir() else "is not a regular file")
        return ImageRequest(norm, given, real, origin, origin_line, field)

    def _plain_file(self, norm: str) -> Path | None:
        """The real path of `norm` when it is a regular file (not a link) in a folder inside
        images/: one lstat per photo, folders resolved once. None: take the careful path."""
        parent, name = posixpath.split(norm)
        real_dir = self._real_dirs.get(parent)
        if real_dir is None:
            try:
                real_dir = (self.images_root / parent).resolve(strict=True)
            except (OSError, RuntimeError):
                return None
            if not real_dir.is_relative_to(self.images_real):
                return None
            self._real_dirs[parent] = real_dir
        try:
            mode = os.lstat(real_dir / name).st_mode
        except OSError:
            return None
        return real_dir / name if stat.S_ISREG(mode) else None

    def _not_found_message(self, rel: str) -> str:
        parts = PurePosixPath(rel)
        folder = self.images_root / parts.parent
        if not folder.is_dir():
            return f"file not found (there is no folder {parts.parent.as_posix()}/ in images/)"
        try:
            names = [p.name for p in folder.iterdir() if not p.name.startswith(".")]
        except OSError:
            names = []
        lower = {n.lower(): n for n in names}
        guess = lower.get(parts.name.lower())
        if guess is None:
            close = difflib.get_close_matches(parts.name, names, n=1, cutoff=0.75)
            guess = close[0] if close else None
        if guess is not None:
            return f"file not found (did you mean {(parts.parent / guess).as_posix()}?)"
        return "file not found"

    # ------------------------------------------------------------------ processing

    def process_all(
        self, requests: Iterable[ImageRequest], progress: bool | None = None, raise_errors: bool = True
    ) -> dict[str, ProcessedImage]:
        """Every requested photo, processed or taken from the cache.

        Keys are both the normalised `src` and the path as given. All problems
        are collected: with `raise_errors`, one `ImageErrors` lists them all;
        otherwise they are left in `self.errors` and the good photos returned.
        `progress`: None shows a bar when many photos are processed on a terminal.
        """
        started = time.perf_counter()
        errors: list[ImageError] = []
        pending: dict[str, _Pending] = {}
        requests = list(requests)
        self.stats.requests += len(requests)
        for req in requests:
            if req.error is not None:
                errors.append(req.error)
            elif req.path is not None:
                pending.setdefault(req.src, _Pending(req.src, req.path)).requests.append(req)
        self.stats.sources += len(pending)

        done: dict[str, ProcessedImage] = {}
        misses: list[_Pending] = []
        for item in pending.values():
            image, problem = self._from_cache(item)
            if problem is not None:
                errors.extend(self._error_for(r, problem) for r in item.requests)
            elif image is not None:
                done[item.src] = image
                self.stats.cached += 1
            else:
                misses.append(item)

        try:
            for item, result in self._run(misses, progress):
                if result.error is not None or result.record is None:
                    errors.extend(self._error_for(r, result.error or "not processed") for r in item.requests)
                    continue
                self.stats.processed += 1
                size, mtime = result.stat or (None, None)
                self.cache.remember_result(result.digest, result.record)
                self.cache.remember_source(item.src, result.digest, size, mtime)
                done[item.src] = self._image(item.src, result.record)
        finally:  # keep what was done, even when interrupted
            self.cache.save()

        out: dict[str, ProcessedImage] = {}
        for item in pending.values():
            if item.src in done:
                out[item.src] = done[item.src]
                for req in item.requests:
                    out.setdefault(req.given, done[item.src])
        self.errors = errors
        self.stats.errors += len(errors)
        self.stats.seconds += time.perf_counter() - started
        if errors and raise_errors:
            raise ImageErrors(errors)
        return out

    def _error_for(self, req: ImageRequest, message: str) -> ImageError:
        return self._error(req.given, message, req.origin_path, req.origin_line, req.field)

    def _from_cache(self, item: _Pending) -> tuple[ProcessedImage | None, str | None]:
        """Fast path: stat + manifest look-up; else the sha256 of the bytes; never a decode.

        Returns (image, None) on a hit, (None, None) on a miss, (None, message) when unreadable.
        """
        try:
            st = os.stat(item.path)
        except OSError as e:
            return None, f"cannot read the file ({e.strerror})"
        digest = self.cache.digest_for_stat(item.src, st.st_size, st.st_mtime_ns)
        if digest is not None:
            record = self.cache.result(digest)
            if record is not None:
                return self._image(item.src, record), None
        try:
            with open(item.path, "rb") as f:  # read-only
                st = os.fstat(f.fileno())
                data = f.read()
        except OSError as e:
            return None, f"cannot read the file ({e.strerror})"
        digest = content_digest(data)
        record = self.cache.result(digest)
        if record is None:
            return None, None
        self.cache.remember_source(item.src, digest, st.st_size, st.st_mtime_ns)
        return self._image(item.src, record), None

    def _image(self, src: str, record: Mapping[str, Any]) -> ProcessedImage:
        prefix = self.settings.url_prefix
        variants = tuple(
            Variant(fmt, w, h, name, prefix + name, size) for fmt, w, h, name, size in record["variants"]
        )
        return ProcessedImage(
            src=src,
            width=record["width"],
            height=record["height"],
            variants=variants,
            placeholder=record.get("placeholder", ""),
            colour=record.get("colour", "#808080"),
            has_alpha=bool(record.get("alpha")),
        )

    def _job(self, item: _Pending) -> Job:
        return Job(
            src=item.src,
            path=str(item.path),
            stem=_stem_slug(item.src),
            out_dir=str(self.cache.files_dir),
            settings=self.settings,
            fingerprint=self.fingerprint,
        )

    def _run(self, misses: list[_Pending], progress: bool | None) -> Iterable[tuple[_Pending, JobResult]]:
        """Process cache misses: inline when one, else in a process pool; yields as they finish."""
        if not misses:
            return
        # Largest files first, so that the pool does not end waiting for one big photo.
        misses = sorted(misses, key=lambda m: _size(m.path), reverse=True)
        workers = min(self.settings.pool_size, len(misses))
        show = progress if progress is not None else len(misses) > PROGRESS_THRESHOLD and sys.stderr.isatty()
        yield from run_jobs(
            misses, self._job, run_job, workers=workers, label="Ảnh", show_progress=show,
            name=lambda item: item.src, crashed=lambda item, message: JobResult(item.src, error=message),
        )

    # ------------------------------------------------------------------ output

    def publish(
        self, images: Iterable[ProcessedImage] | Mapping[str, ProcessedImage], site_dir: str | os.PathLike[str]
    ) -> list[Path]:
        """Put the variants of `images` under `site_dir`/<url_prefix>; returns the files written.

        Files are hard-linked from the cache when possible (else copied); a file
        already there with the right size is left alone (names are content hashes).
        """
        if isinstance(images, Mapping):
            images = images.values()
        target = Path(site_dir) / self.settings.url_prefix
        target.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        seen: set[str] = set()
        for image in images:
            for v in image.variants:
                if v.name in seen:
                    continue
                seen.add(v.name)
                dest = target / v.name
                try:
                    if dest.stat().st_size == v.bytes:
                        continue
                    dest.unlink()
                except FileNotFoundError:
                    pass
                source = self.cache.path_of(v.name)
                link_or_copy(source, dest)
                written.append(dest)
        return written

    def decode(self, req: ImageRequest | str, max_width: int | None = None) -> Decoded:
        """The photo itself, upright and metadata-free (e.g. for composing social cards).

        Raises ImageError for a bad reference or file.
        """
        from .process import SourceError

        if isinstance(req, str):
            req = self.request(req, field=None)
        if req.error is not None:
            raise req.error
        assert req.path is not None
        try:
            data = req.path.read_bytes()
            return decode(data, max_pixels=self.settings.max_pixels, max_width=max_width)
        except SourceError as e:
            raise self._error_for(req, str(e)) from None
        except OSError as e:
            raise self._error_for(req, f"cannot read the file ({e.strerror})") from None

    def prune_cache(self, used: Iterable[str] | None = None) -> int:
        """Drop cached results of other settings (and of photos not in `used`)."""
        return self.cache.prune(set(used) if used is not None else None)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0

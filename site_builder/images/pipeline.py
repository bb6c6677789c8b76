"""The image pipeline: validate photo references, then run two kinds of jobs, cached
by content in one cache (`.cache/images/`, one manifest) and run by one job runner
(`workers.run_jobs`), and list their files for the site.

* photos: the responsive variants of every photo a page shows (`process_all`; the
  work itself is `process.run_job`);
* social cards: a 1200×630 JPEG of a story's title and date over its cover
  (`render_cards`; the work itself is `card_job.run_card_job`, drawn by `card_draw`
  with the title set by `card_text`).

Typical use::

    pipeline = ImagePipeline(project / "images", ImageSettings.from_config(cfg), project_root=project)
    requests = [pipeline.request(story.cover.src, story.path, line, "cover.src"), ...]
    images = pipeline.process_all(requests)        # raises ImageErrors, listing all problems
    cards = pipeline.render_cards([CardRequest(slug, title, date_text, site_name, cover_src), ...])
    for path, source in pipeline.outputs():        # every variant and card, site-relative
        link_or_copy(source, site_dir / path)
    html = picture_html(images[story.cover.src], story.cover.alt, ...)

Nothing under the images folder is ever written. A photo or card already in the
cache costs a stat or two: its bytes are neither read nor decoded.
"""

from __future__ import annotations

import difflib
import functools
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

from site_builder.routes import urls

from site_builder.files import DiskFull, os_reason
from site_builder.i18n import _

from .cache import ImageCache
from .card_job import CardJob, CardResult, card_name, card_stem, run_card_job
from .errors import ImageError, ImageErrors
from .process import Decoded, Job, JobResult, content_digest, decode, note_message, run_check_job, run_job
from .settings import ImageSettings, ImageSettingsError
from .workers import run_jobs

PROGRESS_THRESHOLD = 20  # show a progress bar when more photos or cards than this must be made
CARDS_SERIAL_MAX = 2  # draw social cards inline when at most this many are missing


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
    digest: str = ""  # sha256 of the source's bytes
    notes: tuple = ()  # what was done to publish it (process.note_message words each)

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.format for v in self.variants))

    @functools.cached_property
    def _by_format(self) -> dict[str, tuple[Variant, ...]]:
        out: dict[str, list[Variant]] = {}
        for variant in sorted(self.variants, key=lambda v: v.width):
            out.setdefault(variant.format, []).append(variant)
        return {fmt: tuple(variants) for fmt, variants in out.items()}

    def by_format(self, fmt: str) -> tuple[Variant, ...]:
        """Variants of one format, narrowest first (sorted once per image: pages, cards, feeds and
        the API ask for them thousands of times)."""
        return self._by_format.get(fmt, ())

    def srcset(self, fmt: str, url_base: str = "") -> str:
        return ", ".join(f"{url_base}{v.url} {v.width}w" for v in self.by_format(fmt))

    def largest(self, fmt: str = "jpeg") -> Variant:
        return self.by_format(fmt)[-1]

    def fallback(self, fmt: str = "jpeg", width: int = 960) -> Variant:
        """The variant closest to `width` (preferring the wider one), for `<img src>`."""
        options = self.by_format(fmt)
        wide_enough = [v for v in options if v.width >= width]
        return wide_enough[0] if wide_enough else options[-1]


@dataclass(frozen=True)
class CardRequest:
    """One story's social card. Everything here decides the card's pixels (and its name).

    `date_text` as shown, e.g. "Thứ Bảy, 14/03/2026"; `cover_src` relative to the images
    folder (None: the brand background); `origin_path`/`origin_line`: the story file and
    the line of its `cover.src`, for error messages.
    """

    slug: str
    title: str
    date_text: str
    site_name: str
    cover_src: str | None = None
    origin_path: Path | None = None
    origin_line: int | None = None


@dataclass(frozen=True)
class SocialCard:
    """A story's social card, ready for `og:image` (1200×630 JPEG, see `card_draw`)."""

    slug: str
    name: str  # file name, "<slug>-<hash10>.jpg"
    url: str  # site-relative URL, "assets/cards/<name>"


@dataclass
class PipelineStats:
    requests: int = 0
    sources: int = 0  # distinct photos
    cached: int = 0  # served from the cache, not decoded
    processed: int = 0  # decoded and encoded in this run
    errors: int = 0  # photos' and cards' problems
    seconds: float = 0.0  # in process_all and render_cards
    cards: int = 0  # social cards requested
    cards_cached: int = 0  # already in the cache: nothing read or decoded
    cards_rendered: int = 0  # drawn and encoded in this run


@dataclass
class _Pending:
    src: str
    path: Path
    requests: list[ImageRequest] = field(default_factory=list)


@dataclass
class _CardMiss:
    job: CardJob
    request: CardRequest
    cover: ImageRequest | None


_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


def _stem_slug(src: str) -> str:
    from slugify import slugify

    return slugify(PurePosixPath(src).stem, max_length=60, word_boundary=True) or "image"


class ImagePipeline:
    """Processes the photos and draws the social cards of a build. Nothing under
    `images_root` is ever written."""

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
        #: how messages name the images folder: "images", "photos", "media/photos"
        self.folder = _folder_label(self.images_root, root)
        cache_dir = self.settings.cache_dir
        self.cache_dir = (cache_dir if cache_dir.is_absolute() else root / cache_dir).resolve()
        if self.cache_dir == self.images_real or self.cache_dir.is_relative_to(self.images_real):
            raise ImageSettingsError(_("images.cache_dir: {cache} is inside the photos' folder {folder}: choose a "
                                       "folder outside it, such as .cache/images").format(cache=self.cache_dir,
                                                                                          folder=self.images_root))
        self.fingerprint = self.settings.fingerprint()
        self.stats = PipelineStats()
        self.errors: list[ImageError] = []
        self.notes: list[ImageError] = []  # photos published in a way worth telling (a format left out...)
        self._photos: dict[str, tuple[ProcessedImage, Path]] = {}  # src (and as given) -> processed in this run
        self._cards: dict[str, SocialCard] = {}  # slug -> card made or found in this run
        self._digests: dict[tuple[str, int, int], str] = {}  # (src, size, mtime_ns) -> sha256 seen in this run

    @functools.cached_property
    def cache(self) -> ImageCache:
        """The cache of photos and cards (its manifest is read on first use: checking
        references needs none)."""
        return ImageCache(self.cache_dir, self.fingerprint)

    @functools.cached_property
    def card_fingerprint(self) -> str:
        from .card_draw import card_fingerprint

        return card_fingerprint()

    # ------------------------------------------------------------------ requests

    def _error(self, src: str, message: str, origin_path, origin_line, field) -> ImageError:
        return ImageError(src, message, origin_path, origin_line, field, self.folder)

    def request(
        self,
        src: str,
        origin_path: str | os.PathLike[str] | None = None,
        origin_line: int | None = None,
        field: str | None = "cover.src",
    ) -> ImageRequest:
        """Resolve `src` (relative to the images folder) for the file and line that use it.

        Never raises: a bad reference comes back with `error` set, and
        `process_all` reports it with all the others.
        """
        origin = Path(origin_path) if origin_path is not None else None
        given = src if isinstance(src, str) else repr(src)

        def bad(message: str) -> ImageRequest:
            err = self._error(given, message, origin, origin_line, field)
            return ImageRequest(given, given, None, origin, origin_line, field, err)

        folder = self.folder
        if not isinstance(src, str) or not src.strip():
            return bad(_("no photo is given: write the photo's path inside {folder}/, such as 2026/anh.jpg").format(
                folder=folder))
        text = unicodedata.normalize("NFC", src.strip())
        if "\x00" in text:
            return bad(_("the photo's path has an invalid character: type the path again"))
        if "://" in text or text.startswith(("data:", "//")):
            return bad(_("is a web address: copy the photo into {folder}/ and write its path there").format(
                folder=folder))
        if "\\" in text:
            return bad(_("separate folders with '/', not '\\'"))
        rel = PurePosixPath(text)
        if rel.is_absolute() or _WINDOWS_DRIVE.match(text):
            return bad(_("is an absolute path: write the path inside {folder}/, such as 2026/anh.jpg").format(
                folder=folder))
        if ".." in rel.parts:
            return bad(_("leads outside {folder}/ ('..'): put the photo in {folder}/ and write its path there")
                       .format(folder=folder))
        norm = rel.as_posix()
        if norm in ("", "."):
            return bad(_("no photo is given: write the photo's path inside {folder}/, such as 2026/anh.jpg").format(
                folder=folder))
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
            return bad(_("is a link to a file that does not exist: copy the photo itself into {folder}/").format(
                folder=folder))
        except (OSError, RuntimeError) as e:
            return bad(_("cannot be opened ({reason}; a link that points to itself?): check the file").format(
                reason=e))
        if not real.is_relative_to(self.images_real):
            return bad(_("is a link that leads outside {folder}/: copy the photo into {folder}/").format(folder=folder))
        if not real.is_file():
            if real.is_dir():
                return bad(_("is a folder, not a photo: write the path of a photo inside it"))
            return bad(_("is not an ordinary file: copy the photo into {folder}/").format(folder=folder))
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
            return _("there is no such photo: {folder}/ has no folder {subfolder}/; check the path").format(
                folder=self.folder, subfolder=parts.parent.as_posix())
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
            return _("there is no such photo; did you mean {path!r}?").format(path=(parts.parent / guess).as_posix())
        return _("there is no such photo: check the file's name and folder")

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
        requests = list(requests)
        self.stats.requests += len(requests)
        errors, pending = _by_source(requests)
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
                if result.extra.get("disk_full"):
                    raise DiskFull(self.cache.files_dir)
                if result.error is not None or result.record is None:
                    errors.extend(self._error_for(r, result.error or _("the photo was not processed: run the command "
                                                                       "again")) for r in item.requests)
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
                for note in done[item.src].notes:  # said at every build, until the photo is changed
                    self.notes.extend(self._error_for(r, note_message(note)) for r in item.requests)
                out[item.src] = done[item.src]
                self._photos[item.src] = (done[item.src], item.path)
                for req in item.requests:
                    out.setdefault(req.given, done[item.src])
                    self._photos.setdefault(req.given, (done[item.src], item.path))
        self.errors = errors
        self.stats.errors += len(errors)
        self.stats.seconds += time.perf_counter() - started
        if errors and raise_errors:
            raise ImageErrors(errors)
        return out

    def check_all(self, requests: Iterable[ImageRequest], progress: bool | None = None) -> list[ImageError]:
        """Every problem of the requested photos, publishing nothing (`site-builder check`): bad
        references, and files that do not decode. Each file is decoded whole once; that it
        decodes is remembered in the cache, so an unchanged photo costs a stat next time."""
        errors, pending = _by_source(requests)
        misses = []
        for item in pending.values():
            try:
                st = os.stat(item.path)
            except OSError as e:
                errors.extend(self._error_for(r, _cannot_read(e)) for r in item.requests)
                continue
            digest = self.cache.digest_for_stat(item.src, st.st_size, st.st_mtime_ns)
            if digest is None or not self.cache.is_checked(digest):
                misses.append(item)
        try:
            workers = min(self.settings.pool_size, len(misses))
            show = progress if progress is not None else len(misses) > PROGRESS_THRESHOLD and sys.stderr.isatty()
            for item, result in run_jobs(
                misses, self._job, run_check_job, workers=workers, label=_("Photos"), show_progress=show,
                name=lambda item: item.src, crashed=lambda item, message: JobResult(item.src, error=message),
            ):
                if result.error is not None:
                    errors.extend(self._error_for(r, result.error) for r in item.requests)
                    continue
                size, mtime = result.stat or (None, None)
                self.cache.remember_source(item.src, result.digest, size, mtime)
                self.cache.remember_checked(result.digest)
        finally:
            self.cache.save()
        return errors

    def _error_for(self, req: ImageRequest, message: str) -> ImageError:
        return self._error(req.given, message, req.origin_path, req.origin_line, req.field)

    def _from_cache(self, item: _Pending) -> tuple[ProcessedImage | None, str | None]:
        """Fast path: stat + manifest look-up; else the sha256 of the bytes; never a decode.

        Returns (image, None) on a hit, (None, None) on a miss, (None, message) when unreadable.
        """
        try:
            st = os.stat(item.path)
        except OSError as e:
            return None, _cannot_read(e)
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
            return None, _cannot_read(e)
        digest = content_digest(data)
        record = self.cache.result(digest)
        if record is None:
            return None, None
        self.cache.remember_source(item.src, digest, st.st_size, st.st_mtime_ns)
        return self._image(item.src, record, digest), None

    def _image(self, src: str, record: Mapping[str, Any], digest: str | None = None) -> ProcessedImage:
        prefix = self.settings.url_prefix
        variants = tuple(
            Variant(fmt, w, h, name, urls.photo(name, prefix), size) for fmt, w, h, name, size in record["variants"]
        )
        return ProcessedImage(
            src=src,
            width=record["width"],
            height=record["height"],
            variants=variants,
            placeholder=record.get("placeholder", ""),
            colour=record.get("colour", "#808080"),
            has_alpha=bool(record.get("alpha")),
            digest=digest or record.get("digest", ""),
            notes=tuple(tuple(n) for n in record.get("notes", ())),
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
            misses, self._job, run_job, workers=workers, label=_("Photos"), show_progress=show,
            name=lambda item: item.src, crashed=lambda item, message: JobResult(item.src, error=message),
        )

    # ------------------------------------------------------------------ social cards

    def render_cards(
        self, requests: Iterable[CardRequest], progress: bool | None = None, *, raise_errors: bool = True
    ) -> dict[str, SocialCard]:
        """slug → social card of every request, drawn or taken from the cache.

        A card's file name is a hash of everything that decides its pixels (title, date,
        site name, the cover's content digest, `card_draw.card_fingerprint()`), so a card
        in the cache is found in the cache's listing: no system call when its cover was
        processed by this pipeline, else the cover's lstat and stat (the manifest knows its
        digest); nothing is read or decoded. Misses are drawn in the process pool (inline
        when only a few). Bad covers are collected: with `raise_errors`, one `ImageErrors`
        lists them all (the good cards stay cached); otherwise they are left out and kept
        in `self.errors`.
        """
        started = time.perf_counter()
        requests = list(requests)
        slugs = [r.slug for r in requests]
        if len(set(slugs)) != len(slugs):
            dupes = sorted({s for s in slugs if slugs.count(s) > 1})
            raise ValueError(f"social cards: duplicate slug(s) {', '.join(dupes)}")  # a bug (slugs are unique): English
        self.stats.cards += len(requests)
        errors: list[ImageError] = []
        names: dict[str, str] = {}
        misses: list[_CardMiss] = []
        for req in requests:
            site_name = unicodedata.normalize("NFC", req.site_name)
            cover: ImageRequest | None = None
            digest: str | None = None
            if req.cover_src is not None:
                cover, digest, problem = self._cover(req)
                if problem is not None:
                    errors.append(problem)
                    continue
            stem = card_stem(req.slug)
            name = card_name(stem, self.card_fingerprint, req.title, req.date_text, site_name, digest)
            if self.cache.has_file(name):
                names[req.slug] = name
                self.stats.cards_cached += 1
                continue
            job = CardJob(
                slug=req.slug,
                stem=stem,
                title=req.title,
                date_text=req.date_text,
                site_name=site_name,
                cover_path=str(cover.path) if cover is not None else None,
                max_pixels=self.settings.max_pixels,
                out_dir=str(self.cache.files_dir),
                fingerprint=self.card_fingerprint,
            )
            misses.append(_CardMiss(job, req, cover))
        try:
            for miss, result in self._run_cards(misses, progress):
                if result.disk_full:
                    raise DiskFull(self.cache.files_dir)
                if result.error is not None or not result.name:
                    message = result.error or _("the social card was not made: run the command again")
                    if miss.cover is not None:
                        errors.append(self._error_for(miss.cover, message))
                    else:
                        errors.append(self._error("", message, miss.request.origin_path, None, _("social card")))
                    continue
                self.stats.cards_rendered += 1
                names[miss.job.slug] = result.name
                if miss.cover is not None and result.digest is not None and result.stat is not None:
                    self._remember_digest(miss.cover.src, result.digest, *result.stat)
            for slug, name in names.items():
                self.cache.remember_card(slug, name)
        finally:  # keep what was done (and the covers' digests learnt), even when interrupted
            self.cache.save()
        cards = {slug: SocialCard(slug, name, urls.card(name)) for slug, name in names.items()}
        self._cards.update(cards)
        self.errors = errors
        self.stats.errors += len(errors)
        self.stats.seconds += time.perf_counter() - started
        if errors and raise_errors:
            raise ImageErrors(errors)
        return cards

    def _cover(self, req: CardRequest) -> tuple[ImageRequest | None, str | None, ImageError | None]:
        """(the cover's request, its sha256, problem) for a card: no system call when the
        cover was processed by this pipeline, else its lstat and stat (the manifest knows
        the file) or a read (it does not)."""
        assert req.cover_src is not None
        image, path = self._photos.get(req.cover_src, (None, None))
        if image is not None and image.digest:
            cover = ImageRequest(image.src, req.cover_src, path, req.origin_path, req.origin_line, "cover.src")
            return cover, image.digest, None
        cover = self.request(req.cover_src, req.origin_path, req.origin_line, "cover.src")
        if cover.error is not None:
            return None, None, cover.error
        assert cover.path is not None
        try:
            st = os.stat(cover.path)
            key = (cover.src, st.st_size, st.st_mtime_ns)
            digest = self.cache.digest_for_stat(*key) or self._digests.get(key)
            if digest is None:
                with open(cover.path, "rb") as f:  # read-only
                    st = os.fstat(f.fileno())
                    digest = content_digest(f.read())
                self._remember_digest(cover.src, digest, st.st_size, st.st_mtime_ns)
        except OSError as e:
            return None, None, self._error_for(cover, _cannot_read(e))
        return cover, digest, None

    def _remember_digest(self, src: str, digest: str, size: int, mtime_ns: int) -> None:
        self._digests[(src, size, mtime_ns)] = digest
        self.cache.remember_source(src, digest, size, mtime_ns)  # the next build is spared the read

    def _run_cards(self, misses: list[_CardMiss], progress: bool | None) -> Iterable[tuple[_CardMiss, CardResult]]:
        """Draw missing cards: inline when a few, else in a process pool; yields as they finish."""
        if not misses:
            return
        workers = 1 if len(misses) <= CARDS_SERIAL_MAX else min(self.settings.pool_size, len(misses))
        show = progress if progress is not None else len(misses) > PROGRESS_THRESHOLD and sys.stderr.isatty()
        yield from run_jobs(
            misses, lambda miss: miss.job, run_card_job, workers=workers, label=_("Social cards"), show_progress=show,
            name=lambda miss: miss.job.slug, crashed=lambda miss, message: CardResult(miss.job.slug, error=message),
        )

    # ------------------------------------------------------------------ output

    def outputs(
        self,
        images: Iterable[ProcessedImage] | Mapping[str, ProcessedImage] | None = None,
        cards: Iterable[SocialCard] | Mapping[str, SocialCard] | None = None,
    ) -> list[tuple[str, Path]]:
        """(site-relative path, cached file) of every file to publish, sorted by path.

        The variants of `images` (None: every photo `process_all` returned) under the
        `url_prefix` setting, and the `cards` (None: every card `render_cards`
        returned) under `routes.urls.CARDS`. Nothing is written: the caller links the
        cached files into the site (names are content hashes).
        """
        if images is None:
            images = [image for image, _ in self._photos.values()]
        elif isinstance(images, Mapping):
            images = images.values()
        if cards is None:
            cards = self._cards.values()
        elif isinstance(cards, Mapping):
            cards = cards.values()
        files: dict[str, Path] = {}
        for image in images:
            for v in image.variants:
                files.setdefault(v.url, self.cache.path_of(v.name))
        for card in cards:
            files.setdefault(card.url, self.cache.path_of(card.name))
        return sorted(files.items())

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
            raise self._error_for(req, _cannot_read(e)) from None

    def prune_cache(self, used: Iterable[str] | None = None, cards: Iterable[str] | None = None) -> int:
        """Drop cached results of other settings, of photos not in `used` (sources relative to
        the images folder) and the cards of stories not in `cards` (slugs); None keeps every
        photo / card the manifest knows (a story's previous cards are dropped either way).
        Returns how many files were deleted."""
        return self.cache.prune(set(used) if used is not None else None, set(cards) if cards is not None else None)


def _cannot_read(error: OSError) -> str:
    return _("cannot read the file ({reason}): check that it can be opened").format(reason=os_reason(error))


def _by_source(requests: Iterable[ImageRequest]) -> tuple[list[ImageError], dict[str, _Pending]]:
    """The bad references, and the good ones grouped by photo (one job per photo, whoever uses it)."""
    errors: list[ImageError] = []
    pending: dict[str, _Pending] = {}
    for req in requests:
        if req.error is not None:
            errors.append(req.error)
        elif req.path is not None:
            pending.setdefault(req.src, _Pending(req.src, req.path)).requests.append(req)
    return errors, pending


def _folder_label(images_root: Path, project_root: Path) -> str:
    """The images folder as messages name it: relative to the project when inside it."""
    try:
        label = images_root.relative_to(project_root).as_posix()
    except ValueError:
        label = images_root.name
    return label if label not in ("", ".") else images_root.name or "images"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0

"""`site-builder import`: files and folders of articles into story files and photos, never overwriting.

For each file (.txt, .html/.htm, .docx; a folder is searched for them): read it, apply the rules,
plan the story's path (`<content>/stories/<year>/<slug>.md`) and its photos'
(`<images>/<year>/<slug>.jpg`, `<slug>-2.jpg`, ...: ASCII names), validate the front matter as
`check` does, then write the photos and the story, each only if no file has its name. A story
whose file (or slug) exists is refused; a photo whose name is taken by another photo gets the next
free number, and one already there with the same bytes is used as it is.

Photos: a .docx brings its own; a saved page's are looked up next to it (its `<name>_files/`
folder, the paths it names) and in the `--images` folder; a text file's lead photo is the photo
named like it (`bai.txt` + `bai.jpg`) beside it or in the `--images` folder.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import errno
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image, UnidentifiedImageError

from ..content.errors import IssueLog
from ..content.frontmatter import parse_document
from ..content.models import Story
from ..content.scaffold import slug_for
from ..content.schema import validate
from ..content.vocabulary import load_vocabularies
from ..i18n import _
from ..vietnamese import now_in_vietnam
from .article import Article, Kind
from .docx_reader import DocxError, read_docx
from .html_reader import decode as decode_html
from .html_reader import read_html
from .outlets import outlets
from .rules import Draft, Vocabularies, interpret
from .story import Layout, render
from .text_reader import read_text

SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".docx": "docx"}
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
MAX_PHOTO_BYTES = 50 * 1024 * 1024
MAX_ARTICLE_BYTES = 20 * 1024 * 1024


class ImportError_(Exception):
    """An article that cannot be imported; the message (for staff) says why and what to do."""


@dataclass
class PlannedPhoto:
    src: str  # relative to the images folder
    data: bytes
    reuse: bool = False  # the same photo is already there


@dataclass
class ImportResult:
    """What became of one file."""

    source: Path
    status: str = "imported"  # imported | planned (dry run) | exists | error
    story: Path | None = None
    text: str = ""  # the story file's text
    photos: list[PlannedPhoto] = field(default_factory=list)
    draft: Draft | None = None
    error: str = ""
    unrecognised: list[str] = field(default_factory=list)
    encodings: set[str] = field(default_factory=set)
    converted: int = 0

    @property
    def ok(self) -> bool:
        return self.status in ("imported", "planned")


def find_articles(paths: list[Path]) -> tuple[list[Path], list[ImportResult]]:
    """The article files `paths` name (folders searched, `*_files` folders of saved pages and hidden
    files skipped, sorted) and a result for each path that cannot be an article."""
    found: list[Path] = []
    refused: list[ImportResult] = []
    for path in paths:
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not d.endswith("_files"))
                found += [Path(dirpath) / n for n in sorted(filenames)
                          if not n.startswith(".") and Path(n).suffix.lower() in SUFFIXES]
        elif not path.exists():
            refused.append(ImportResult(path, "error", error=_("there is no such file or folder")))
        elif path.suffix.lower() not in SUFFIXES:
            refused.append(ImportResult(path, "error", error=_(
                "only .txt, .html, .htm and .docx files can be imported: save the article in one of these forms")))
        else:
            found.append(path)
    return found, refused


def _photo_format(data: bytes) -> str | None:
    """The file extension of a photo Pillow can read, or None."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return _FORMATS.get(image.format or "")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


def _read_file(path: Path) -> bytes | None:
    try:
        if path.is_file() and path.stat().st_size <= MAX_PHOTO_BYTES:
            return path.read_bytes()
    except OSError:
        pass
    return None


class Importer:
    """Imports articles into one project."""

    def __init__(self, root: Path, content_dir: Path, photos_dir: Path, *, images: Path | None = None,
                 dry_run: bool = False, now: dt.datetime | None = None) -> None:
        self.root = root
        self.content_dir = content_dir
        self.photos_dir = photos_dir
        self.images = images
        self.dry_run = dry_run
        self.now = (now or now_in_vietnam()).replace(second=0, microsecond=0)
        log = IssueLog(root)
        self.resolvers = load_vocabularies(content_dir / "vocabularies", log)
        self.vocabularies = Vocabularies(
            organisations=self.resolvers["organisations"].vocabulary.terms,
            campaigns=self.resolvers["campaigns"].vocabulary.terms,
        )
        self.outlets = outlets()
        self.slugs = self._existing_slugs()
        self.claimed: set[str] = set()  # photo paths planned in this run

    # --- reading ----------------------------------------------------------------------

    def read(self, path: Path) -> tuple[Article, list[tuple[int, bytes]]]:
        """The article of `path` and, for a text file, its lead photo."""
        kind = SUFFIXES[path.suffix.lower()]
        if kind == "docx":
            try:
                return read_docx(path), []
            except DocxError as exc:
                raise ImportError_(str(exc)) from None
        try:
            if path.stat().st_size > MAX_ARTICLE_BYTES:
                raise ImportError_(_("the file is larger than {size} MB: is it an article?").format(
                    size=MAX_ARTICLE_BYTES // 2**20))
            data = path.read_bytes()
        except OSError as exc:
            raise ImportError_(_("cannot read the file ({reason})").format(reason=exc.strerror or exc)) from None
        if kind == "html":
            return read_html(decode_html(data), lambda src: self._page_photo(path, src)), []
        article = read_text(data)
        for folder in (path.parent, self.images):
            for suffix in PHOTO_SUFFIXES:
                if folder is not None:
                    found = _read_file(folder / f"{path.stem}{suffix}")
                    if found is not None:
                        return article, [(-1, found)]
        return article, []

    def _page_photo(self, page: Path, src: str) -> bytes | None:
        """A photo a saved page names: a data: URI, a file next to the page, in its `_files` folder
        or in the --images folder."""
        if src.startswith("data:"):
            header, _sep, payload = src.partition(",")
            try:
                return base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode()
            except (binascii.Error, ValueError):
                return None
        parts = urlsplit(src)
        name = Path(unquote(parts.path)).name
        candidates = []
        if not parts.scheme and not parts.netloc:
            candidates.append(page.parent / unquote(parts.path))
        candidates += [page.parent / f"{page.stem}_files" / name, page.parent / name]
        if self.images is not None:
            candidates.append(self.images / name)
        for candidate in candidates:
            if name:
                found = _read_file(candidate)
                if found is not None:
                    return found
        return None

    # --- planning ---------------------------------------------------------------------

    def _existing_slugs(self) -> dict[str, Path]:
        """Slugs of the stories there are (file names and `slug:` lines)."""
        slugs: dict[str, Path] = {}
        stories = self.content_dir / "stories"
        for path in sorted(stories.glob("**/*.md")) if stories.is_dir() else ():
            slugs.setdefault(path.stem, path)
            try:
                with path.open(encoding="utf-8", errors="replace") as handle:
                    head = handle.read(4096)
            except OSError:
                continue
            match = re.search(r"^slug:\s*['\"]?([a-z0-9-]+)", head, re.MULTILINE)
            if match:
                slugs.setdefault(match.group(1), path)
        return slugs

    def _photo_src(self, base: str, data: bytes, extension: str) -> PlannedPhoto:
        """`<year>/<slug>[-n].<ext>`: the first name that is free, or holds these very bytes."""
        number = 1
        while True:
            src = f"{base}.{extension}" if number == 1 else f"{base}-{number}.{extension}"
            target = self.photos_dir / src
            if src not in self.claimed:
                existing = _read_file(target) if target.exists() else None
                if not target.exists() or existing == data:
                    self.claimed.add(src)
                    return PlannedPhoto(src, data, reuse=existing == data)
            number += 1

    def plan(self, path: Path) -> ImportResult:
        result = ImportResult(path)
        try:
            article, extra = self.read(path)
        except ImportError_ as exc:
            return ImportResult(path, "error", error=str(exc))
        result.unrecognised = list(article.unrecognised)
        result.encodings, result.converted = set(article.encodings), article.converted
        draft = interpret(article, self.outlets, self.vocabularies)
        result.draft = draft
        result.unrecognised = draft.unrecognised
        if not draft.title:
            return ImportResult(path, "error", error=_("no title was found: is it an article?"),
                                unrecognised=draft.unrecognised)
        if not draft.summary and not draft.blocks:
            return ImportResult(path, "error", error=_("no text was found after the title: is it an article?"),
                                unrecognised=draft.unrecognised)
        if not draft.summary:
            draft.summary = draft.title
            draft.review.append(_("summary: the article has no sapo: write one"))
        try:
            slug = slug_for(draft.title, "story")
        except ValueError as exc:
            return ImportResult(path, "error", error=str(exc))
        date = draft.date or self.now
        if draft.date is None:
            draft.review.append(_("date: the article gives no date; the day of the import was written: "
                                  "write the original date"))
        story_path = self.content_dir / "stories" / f"{date.year}" / f"{slug}.md"
        taken = self.slugs.get(slug)
        if story_path.exists() or taken is not None:
            existing = story_path if story_path.exists() else taken
            return ImportResult(path, "exists", story=existing, draft=draft, error=_(
                "{path} already exists (or has the slug {slug}) and was not overwritten: "
                "remove that story first to import this article again").format(
                    path=self._shown(existing), slug=slug))
        base = f"{date.year}/{slug}"
        layout = Layout(slug=slug, date=date, cover_src=f"{base}.jpg", cover_found=False, photo_srcs={})
        lead_data = extra[0][1] if extra else (draft.lead.photo.data if draft.lead and draft.lead.photo else None)
        if draft.lead is not None and lead_data is not None:
            extension = _photo_format(lead_data)
            if extension:
                planned = self._photo_src(base, lead_data, extension)
                result.photos.append(planned)
                layout.cover_src, layout.cover_found = planned.src, True
            else:
                draft.unrecognised.append(_("the lead photo {name} is not a photo that can be read").format(
                    name=draft.lead.photo.name if draft.lead.photo else path.stem))
        elif draft.lead is None and lead_data is not None:
            draft.unrecognised.append(_("a photo is named like the article but the article has no caption for "
                                        "it: add it as a cover by hand"))
        if draft.lead is not None and not layout.cover_found:
            draft.review.append(_("cover: the lead photo is not at hand: copy it to {folder}/{src} and remove "
                                  "the '#' of the cover lines").format(folder=self._shown(self.photos_dir),
                                                                        src=layout.cover_src))
        for index, block in enumerate(draft.blocks):
            if block.kind is not Kind.IMAGE or block.photo is None:
                continue
            extension = _photo_format(block.photo.data) if block.photo.data else None
            if extension is None:
                draft.unrecognised.append(_("the photo {name} is not at hand or cannot be read: it was left out")
                                          .format(name=block.photo.name[:120]))
                draft.review.append(_("photo left out: {name} (caption: {caption})").format(
                    name=block.photo.name[:120], caption=block.photo.caption or "-"))
                continue
            planned = self._photo_src(base, block.photo.data, extension)
            result.photos.append(planned)
            layout.photo_srcs[index] = planned.src
            if not block.photo.alt:
                block.photo.alt = block.photo.caption or draft.title
        result.story, result.text = story_path, render(draft, layout)
        problems = self._validate(result.text)
        if problems:
            return ImportResult(path, "error", draft=draft, error=_(
                "the story made from it would not pass the check: {problems}").format(problems="; ".join(problems)),
                unrecognised=draft.unrecognised)
        result.status = "planned" if self.dry_run else "imported"
        self.slugs[slug] = story_path
        return result

    def _validate(self, text: str) -> list[str]:
        """The problems `check` would report in the front matter of `text` (none, normally)."""
        doc = parse_document(text)
        problems = [p.message for p in doc.problems]
        if doc.data is None:
            return problems or ["?"]
        resolvers = self.resolvers

        class Context:
            def term_key(self, vocabulary: str, value: str) -> str:
                term = resolvers[vocabulary].resolve(value)
                if term is None:
                    raise ValueError(resolvers[vocabulary].unknown_message(value))
                return term.key

            def line(self, loc) -> int:
                return doc.line(loc)

        values = {**doc.data, "path": Path("x.md"), "body": doc.body, "body_line": doc.body_line}
        _item, errors = validate(Story, values, Context())
        return problems + [f"{'.'.join(map(str, loc))}: {message}" for loc, message in errors]

    # --- writing ----------------------------------------------------------------------

    def write(self, result: ImportResult) -> None:
        """Write the photos, then the story; nothing that exists is overwritten."""
        created: list[Path] = []
        try:
            for photo in result.photos:
                if photo.reuse:
                    continue
                target = self.photos_dir / photo.src
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("xb") as handle:
                    handle.write(photo.data)
                created.append(target)
            assert result.story is not None
            result.story.parent.mkdir(parents=True, exist_ok=True)
            with result.story.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(result.text)
        except FileExistsError as exc:
            for path in created:
                path.unlink(missing_ok=True)
            result.status = "exists"
            result.error = _("{path} appeared while importing and was not overwritten").format(
                path=self._shown(Path(exc.filename or "?")))
        except OSError as exc:
            for path in created:
                path.unlink(missing_ok=True)
            result.status = "error"
            result.error = _("cannot write {path}: {reason}").format(
                path=self._shown(Path(exc.filename or "?")),
                reason=os.strerror(exc.errno) if exc.errno else exc)
            if exc.errno == errno.ENOSPC:
                result.error += _(" (the disk is full)")

    def run(self, paths: list[Path]) -> list[ImportResult]:
        files, results = find_articles(paths)
        for path in files:
            result = self.plan(path)
            if result.status == "imported":
                self.write(result)
            results.append(result)
        return results

    def _shown(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

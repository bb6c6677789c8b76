"""The bodies of stories and profiles: parsed once per build, before anything else needs them, and cached.

Parsing a body (Markdown to HTML) is much of what a page costs. `Bodies.prepare` parses
every body a build publishes before any photo is processed, so the photos a body uses and
its problems are known first (with the same parser that renders it), in forked workers when
there are many. The HTML, with a slot for each photo, is kept in `.cache/bodies/` by the
hash of the text; a page fills the slots (`Bodies.html`). An unchanged body is never
parsed again.

Layout::

    .cache/bodies/
      manifest.json            key -> the photos and photo slots of a body
      <key[:2]>/<key>.html     its HTML with slots

A body with problems is not cached: its problems are reported again (in the language of
the run) until it is fixed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import markdown

from site_builder.content import limits
from site_builder.content.errors import ContentIssue
from site_builder.i18n import _
from site_builder.faults import checkpoint
from site_builder.files import write_atomic
from site_builder.i18n import _
from site_builder.content.models import Profile, Story
from site_builder.markdown_render import BodyImage, MarkdownRenderer, ParsedBody, PhotoHtml, PhotoSlot, fill
from site_builder.processes import cores, fork_map

#: Bump when MarkdownRenderer.parse gives other HTML for the same text.
FORMAT = "1"
#: Parse in forked workers when at least this many bodies per worker are not cached.
MIN_PER_WORKER = 200

Item = Story | Profile


@dataclass(frozen=True)
class _Entry:
    """What is kept of a parsed body: where its HTML is (or the HTML), its photos, its problems."""

    key: str
    images: tuple[BodyImage, ...]
    slots: tuple[PhotoSlot, ...]
    problems: tuple
    html: str | None = None  # in memory when there is no cache folder


def body_key(text: str) -> str:
    digest = hashlib.sha256(f"{FORMAT}|{markdown.__version__}|".encode())
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()[:32]


class Bodies:
    """Parsed bodies of one build, by the file they come from."""

    def __init__(self, cache_dir: Path | None, root: Path | None = None, photo_folder: str = "images") -> None:
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.root = root  # the project, to show files relative to it
        self.photo_folder = photo_folder  # the photos' folder as problems name it (settings.images_dir)
        self._entries: dict[Path, _Entry] = {}
        self._renderer: MarkdownRenderer | None = None
        self.parsed = 0  # bodies parsed by the last `prepare` (the others came from the cache)

    @property
    def _manifest_path(self) -> Path | None:
        return self.cache_dir / "manifest.json" if self.cache_dir is not None else None

    def _html_path(self, key: str) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / key[:2] / f"{key}.html"

    def prepare(self, items: Sequence[Item], parallel: bool = True, keep: Iterable[Item] = ()) -> list[ContentIssue]:
        """Parse (or find in the cache) the body of every item; returns the problems found, as
        errors on the body's lines. The cache keeps the bodies of `items` and `keep` (drafts a
        build leaves out) and forgets the others."""
        manifest = self._load()
        wanted = {body_key(item.body) for item in keep}
        misses: list[Item] = []
        keys: dict[Path, str] = {}
        for item in items:
            key = keys[item.path] = body_key(item.body)
            meta = manifest.get(key)
            if meta is not None and os.path.exists(self._html_path(key)):
                self._entries[item.path] = _decode(key, meta)
            else:
                misses.append(item)
        workers = min(cores(), len(misses) // MIN_PER_WORKER) if parallel else 1
        entries = fork_map(self._parse, misses, workers, "body-parser", _("a reader of the stories' texts"))
        self.parsed = len(entries)
        for item, entry in zip(misses, entries):
            self._entries[item.path] = entry
            if not entry.problems and self.cache_dir is not None:
                manifest[entry.key] = _encode(entry)
        wanted.update(keys.values())
        stale = [key for key in manifest if key not in wanted]
        for key in stale:
            del manifest[key]
            self._html_path(key).unlink(missing_ok=True)
        if entries or stale:
            self._save(manifest)
        issues = []
        for item in items:
            entry = self._entries[item.path]
            for line, message in entry.problems:
                issues.append(ContentIssue(item.path, item.body_line + line, "body", message, root=self.root))
            if len(entry.images) > limits.PHOTOS:
                issues.append(ContentIssue(item.path, item.body_line, "body", _(
                    "{count} photos in one text, {most} at most: split the story, or keep the best photos"
                ).format(count=len(entry.images), most=limits.PHOTOS), root=self.root))
        return issues

    def _parse(self, item: Item) -> _Entry:
        checkpoint("bodies.worker")
        if self._renderer is None:
            self._renderer = MarkdownRenderer(photo_folder=self.photo_folder)
        parsed: ParsedBody = self._renderer.parse(item.body)
        key = body_key(item.body)
        problems = tuple((p.line, p.message) for p in parsed.problems)
        if self.cache_dir is None or problems:
            return _Entry(key, parsed.images, parsed.slots, problems, parsed.html)
        path = self._html_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, parsed.html)
        return _Entry(key, parsed.images, parsed.slots, problems)

    def images(self, item: Item) -> Iterable[tuple[BodyImage, int]]:
        """Each photo of `item`'s body with its line in the file."""
        for image in self._entries[item.path].images:
            yield image, item.body_line + image.line

    def photo_refs(self, item: Item) -> Iterable[tuple[str, int]]:
        """(src, line in the file) of each photo of `item`'s body (for `images.photo_requests`)."""
        for image, line in self.images(item):
            yield image.src, line

    def html(self, item: Item, photos: PhotoHtml | None, url_base: str) -> str:
        """`item`'s body as HTML, its photos in their slots, URLs relative to the page (`url_base`)."""
        entry = self._entries[item.path]
        text = entry.html
        if text is None:
            text = self._html_path(entry.key).read_text(encoding="utf-8")
        return fill(ParsedBody(text, entry.images, entry.slots), photos, url_base)

    # --- the manifest ---------------------------------------------------------------------

    def _load(self) -> dict:
        path = self._manifest_path
        if path is None:
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("bodies"), dict):
            return {}
        return data["bodies"]

    def _save(self, manifest: dict) -> None:
        path = self._manifest_path
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps({"format": FORMAT, "bodies": manifest}, ensure_ascii=False, separators=(",", ":")))


def _encode(entry: _Entry) -> list:
    return [[[i.src, i.alt, i.title, i.line] for i in entry.images],
            [[s.kind, list(s.images), s.width, s.height] for s in entry.slots]]


def _decode(key: str, meta: list) -> _Entry:
    images, slots = meta
    return _Entry(key, tuple(BodyImage(*i) for i in images),
                  tuple(PhotoSlot(kind, tuple(idx), w, h) for kind, idx, w, h in slots), ())

"""The bodies of stories and profiles: parsed once per build, before anything else needs them, and cached.

Parsing a body (Markdown to HTML) is much of what a page costs. `Bodies.prepare` parses
every body a build publishes before any photo is processed, so the photos a body uses and
its problems are known first (with the same parser that renders it), in forked workers when
there are many. The HTML, with a slot for each photo, is kept in `.cache/bodies/` by the
hash of the text; a page fills the slots (`Bodies.html`). An unchanged body is never
parsed again.

Layout::

    .cache/bodies/
      manifest.json       key -> the body's photos and photo slots, and where its HTML is
      pack-<id>.html      the HTML of the bodies one process parsed, one after another

Packs, not a file per body: creating thousands of small files costs more than parsing them
on a busy disk. A pack is appended to and never changed; the manifest (saved whole, after
the packs) is what makes a range of a pack an entry. Packs no entry uses are deleted, and
when more than half of the packed bytes belong to no entry, the live ones are copied into a
new pack.

A body with problems is not cached: its problems are reported again (in the language of
the run) until it is fixed.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import markdown

from site_builder.content import limits
from site_builder.content.errors import ContentIssue
from site_builder.content.models import Profile, Story
from site_builder.faults import checkpoint
from site_builder.files import DiskFull, is_disk_full, write_atomic
from site_builder.i18n import _
from site_builder.markdown_render import BodyImage, MarkdownRenderer, ParsedBody, PhotoHtml, PhotoSlot, fill
from site_builder.processes import cores, fork_map

#: Bump when MarkdownRenderer.parse gives other HTML for the same text (or the manifest changes).
FORMAT = "3"
#: Parse in forked workers when at least this many bodies per worker are not cached.
MIN_PER_WORKER = 200
#: A pack no entry uses is deleted once it is this old (a younger one may be another build's, unsaved yet).
STALE_PACK_SECONDS = 3600

Item = Story | Profile


@dataclass(frozen=True)
class _Entry:
    """What is kept of a parsed body: its photos, slots and problems, and its HTML (in memory,
    or `size` bytes at `offset` in the pack `pack`)."""

    key: str
    images: tuple[BodyImage, ...]
    slots: tuple[PhotoSlot, ...]
    problems: tuple = ()
    html: str | None = None
    pack: str = ""
    offset: int = 0
    size: int = 0


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
        self._writing: tuple[str, int] | None = None  # this process's pack: (name, file descriptor)
        self._reading: dict[str, int] = {}  # pack name -> file descriptor (per process)
        self._known: set[str] = set()  # packs the manifest named when this run began
        self.parsed = 0  # bodies parsed by the last `prepare` (the others came from the cache)

    @property
    def _manifest_path(self) -> Path | None:
        return self.cache_dir / "manifest.json" if self.cache_dir is not None else None

    def prepare(self, items: Sequence[Item], parallel: bool = True, keep: Iterable[Item] = (),
                purge: bool = False) -> list[ContentIssue]:
        """Parse (or find in the cache) the body of every item; returns the problems found, as
        errors on the body's lines. The cache keeps the bodies of `items` and `keep` (drafts a
        build leaves out) and forgets the others; with `purge`, what it forgets is also erased
        from its pack files at once (a withdrawn story leaves no copy)."""
        manifest = self._load()
        self._known = {meta[2] for meta in manifest.values()}  # packs of this project's earlier builds
        packs = self._pack_sizes()
        misses: list[tuple[Item, str]] = []
        keys: dict[Path, str] = {}
        for item in items:
            key = keys[item.path] = body_key(item.body)
            meta = manifest.get(key)
            entry = _decode(key, meta) if meta is not None else None
            if entry is not None and packs.get(entry.pack, -1) >= entry.offset + entry.size:
                self._entries[item.path] = entry
            else:
                misses.append((item, key))
        workers = min(cores(), len(misses) // MIN_PER_WORKER) if parallel else 1
        entries = fork_map(self._parse, misses, workers, "body-parser", _("a reader of the stories' texts"))
        self._close_pack()  # what this process wrote (the workers' packs are closed with them)
        self.parsed = len(entries)
        for (item, _key), entry in zip(misses, entries):
            self._entries[item.path] = entry
            if not entry.problems and self.cache_dir is not None:
                manifest[entry.key] = _encode(entry)
        wanted = set(keys.values()) | {body_key(item.body) for item in keep}
        stale = [key for key in manifest if key not in wanted]
        for key in stale:
            del manifest[key]
        if self.cache_dir is not None:
            self._compact(manifest, force=purge and bool(stale))
            if entries or stale:
                self._save(manifest)
            self._remove_unused_packs(manifest)
        return self._issues(items)

    def _issues(self, items: Sequence[Item]) -> list[ContentIssue]:
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

    def _parse(self, miss: tuple[Item, str]) -> _Entry:
        """Parse one body and append its HTML to this process's pack."""
        checkpoint("bodies.worker")
        item, key = miss
        if self._renderer is None:
            self._renderer = MarkdownRenderer(photo_folder=self.photo_folder)
        parsed: ParsedBody = self._renderer.parse(item.body)
        problems = tuple((p.line, p.message) for p in parsed.problems)
        if self.cache_dir is None or problems:
            return _Entry(key, parsed.images, parsed.slots, problems, parsed.html)
        pack, offset, size = self._append(parsed.html.encode("utf-8"))
        return _Entry(key, parsed.images, parsed.slots, (), None, pack, offset, size)

    def _append(self, data: bytes) -> tuple[str, int, int]:
        """Write `data` at the end of this process's pack; (pack, offset, size)."""
        assert self.cache_dir is not None
        if self._writing is None or self._writing[1] < 0:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            name = f"pack-{uuid.uuid4().hex[:16]}.html"
            self._writing = (name, os.open(self.cache_dir / name, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644))
        name, fd = self._writing
        offset = os.lseek(fd, 0, os.SEEK_END)
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(28, "short write")
        except OSError as exc:
            if is_disk_full(exc) or exc.errno == 28:
                raise DiskFull(self.cache_dir, len(data)) from exc
            raise
        return name, offset, len(data)

    def _close_pack(self) -> None:
        if self._writing is not None:
            os.close(self._writing[1])
            self._writing = None

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
        text = entry.html if entry.html is not None else self._read(entry)
        return fill(ParsedBody(text, entry.images, entry.slots), photos, url_base)

    def _read(self, entry: _Entry) -> str:
        assert self.cache_dir is not None
        fd = self._reading.get(entry.pack)
        if fd is None:
            fd = self._reading[entry.pack] = os.open(self.cache_dir / entry.pack, os.O_RDONLY)
        return os.pread(fd, entry.size, entry.offset).decode("utf-8")

    # --- the manifest and the packs ------------------------------------------------------

    def _pack_sizes(self) -> dict[str, int]:
        if self.cache_dir is None:
            return {}
        try:
            return {e.name: e.stat().st_size for e in os.scandir(self.cache_dir) if e.name.startswith("pack-")}
        except OSError:
            return {}

    def _compact(self, manifest: dict, force: bool = False) -> None:
        """Copy the live entries into a new pack when most packed bytes are dead (edited bodies),
        or when `force`d (the old packs are then deleted by `_remove_unused_packs`)."""
        packs = self._pack_sizes()
        live = sum(meta[4] for meta in manifest.values())
        total = sum(packs.values())
        if not force and total - live <= max(live, 1 << 20):
            return
        for key, meta in list(manifest.items()):
            entry = _decode(key, meta)
            data = self._read(entry).encode("utf-8")
            pack, offset, size = self._append(data)
            manifest[key] = _encode(_Entry(key, entry.images, entry.slots, (), None, pack, offset, size))
        self._close_pack()
        for path, entry in self._entries.items():  # they point into the old packs, which are deleted next
            if entry.html is None and entry.key in manifest:
                self._entries[path] = _decode(entry.key, manifest[entry.key])

    def _remove_unused_packs(self, manifest: dict) -> None:
        """Delete the packs no entry uses: those of earlier builds at once, others (maybe another build's,
        not saved yet) once they are old."""
        used = {meta[2] for meta in manifest.values()}
        for fd in self._reading.values():
            os.close(fd)
        self._reading.clear()
        now = time.time()
        assert self.cache_dir is not None
        for name in self._pack_sizes():
            path = self.cache_dir / name
            if name not in used and (name in self._known or now - _mtime(path) > STALE_PACK_SECONDS):
                path.unlink(missing_ok=True)

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
            [[s.kind, list(s.images), s.width, s.height] for s in entry.slots], entry.pack, entry.offset, entry.size]


def _decode(key: str, meta: list) -> _Entry:
    images, slots, pack, offset, size = meta
    return _Entry(key, tuple(BodyImage(*i) for i in images),
                  tuple(PhotoSlot(kind, tuple(idx), w, h) for kind, idx, w, h in slots), (), None, pack, offset, size)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0

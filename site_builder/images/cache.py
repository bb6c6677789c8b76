"""The persistent cache of the image pipeline (`.cache/images/` by default): the
variants of photos and the social cards.

Layout::

    .cache/images/
      manifest-<fingerprint>.json   what is known for one set of output settings
      files/<stem>-<width>-<hash>.<ext>   the variant files, shared by all manifests
      files/<slug>-<hash>.jpg       the social cards, shared by all manifests

A manifest maps each source (path relative to images/) to the size, mtime and
sha256 of the bytes last seen there, each sha256 to the processing result, and
each story's slug to the file name of its latest social card (which `prune`
keeps). An unchanged file is recognised by one stat() and a dictionary look-up:
its bytes are neither read nor decoded. A touched file whose bytes are the same
is recognised by its sha256 and not decoded either. Whether a variant or card is
still in files/ is looked up in one listing of the folder (not a stat per file);
a card's name is a hash of everything that decides its pixels.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from site_builder.files import write_atomic

MANIFEST_VERSION = 1
RACY_NS = 2_000_000_000  # a stat is trusted only for files older than this when read


class ImageCache:
    def __init__(self, cache_dir: Path, fingerprint: str) -> None:
        self.dir = Path(cache_dir)
        self.files_dir = self.dir / "files"
        self.fingerprint = fingerprint
        self.manifest_path = self.dir / f"manifest-{fingerprint}.json"
        self.sources: dict[str, dict[str, Any]] = {}
        self.results: dict[str, dict[str, Any]] = {}
        self.cards: dict[str, str] = {}  # story slug -> file name of its card
        self.checked: set[str] = set()  # digests of sources `check` decoded whole without a problem
        self._dirty = False
        self._files: set[str] | None = None  # names in files/, listed once (see has_file)
        self._load()

    # ------------------------------------------------------------------ reading

    def _load(self) -> None:
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
            return
        if data.get("fingerprint") != self.fingerprint:
            return
        sources, results = data.get("sources"), data.get("results")
        if isinstance(sources, dict) and isinstance(results, dict):
            self.sources, self.results = sources, results
            cards = data.get("cards")  # absent from manifests written before cards were cached here
            if isinstance(cards, dict):
                self.cards = cards
            checked = data.get("checked")
            if isinstance(checked, list):
                self.checked = {d for d in checked if isinstance(d, str)}

    def digest_for_stat(self, src: str, size: int, mtime_ns: int) -> str | None:
        """The sha256 of `src` if its size and mtime are those last seen (fast path)."""
        entry = self.sources.get(src)
        if entry and entry.get("size") == size and entry.get("mtime_ns") == mtime_ns:
            return entry.get("digest")
        return None

    def result(self, digest: str) -> dict[str, Any] | None:
        """The processing result for these source bytes, if all its files are still there."""
        record = self.results.get(digest)
        if record is None:
            return None
        for variant in record["variants"]:
            if not self.has_file(variant[3]):
                return None
        return record

    def is_checked(self, digest: str) -> bool:
        """Whether these source bytes are known to decode: checked, or processed."""
        return digest in self.checked or digest in self.results

    def path_of(self, name: str) -> Path:
        return self.files_dir / name

    def has_file(self, name: str) -> bool:
        """Whether the file `name` (a variant or a card) is in the cache.

        files/ is listed once, on the first call (one system call for the whole folder
        rather than a stat per file); the files written later through this object are
        added by `remember_result` / `remember_card`.
        """
        if self._files is None:
            try:
                self._files = {n for n in os.listdir(self.files_dir) if not n.startswith(".")}
            except OSError:
                self._files = set()
        return name in self._files

    # ------------------------------------------------------------------ writing

    def remember_source(self, src: str, digest: str, size: int | None, mtime_ns: int | None) -> None:
        """Record what `src` held; the stat only when it is old enough to be trusted."""
        entry: dict[str, Any] = {"digest": digest}
        if size is not None and mtime_ns is not None and mtime_ns < time.time_ns() - RACY_NS:
            entry.update(size=size, mtime_ns=mtime_ns)
        if self.sources.get(src) != entry:
            self.sources[src] = entry
            self._dirty = True

    def remember_result(self, digest: str, record: dict[str, Any]) -> None:
        """The result of processing a source; its variant files have been written into files/."""
        self.results[digest] = record
        self._dirty = True
        if self._files is not None:
            self._files.update(v[3] for v in record["variants"])

    def remember_checked(self, digest: str) -> None:
        if digest not in self.checked:
            self.checked.add(digest)
            self._dirty = True

    def remember_card(self, slug: str, name: str) -> None:
        """`name` (in files/) is the story's card now; its previous one is no longer kept by `prune`."""
        if self._files is not None:
            self._files.add(name)
        if self.cards.get(slug) != name:
            self.cards[slug] = name
            self._dirty = True

    def save(self) -> None:
        if not self._dirty:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        payload = {
            "version": MANIFEST_VERSION,
            "fingerprint": self.fingerprint,
            "sources": self.sources,
            "results": self.results,
            "cards": self.cards,
            "checked": sorted(self.checked),
        }
        write_atomic(self.manifest_path, json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
        self._dirty = False

    def forget(self, sources: set[str], slugs: set[str], keep: set[str]) -> list[Path]:
        """Forget `sources` (unless in `keep`, still shown by something published) and the cards of
        `slugs`, and delete their files (those no other source shares); returns the files deleted."""
        gone = {src: self.sources.pop(src) for src in sources - keep if src in self.sources}
        digests = {entry["digest"] for entry in gone.values()} - {e["digest"] for e in self.sources.values()}
        names = [self.cards.pop(slug) for slug in slugs if slug in self.cards]
        for digest in digests:
            record = self.results.pop(digest, None)
            if record is not None:
                names += [v[3] for v in record["variants"]]
        if gone or names:
            self._dirty = True
            self.save()
        deleted = []
        for name in names:
            path = self.files_dir / name
            if path.exists():
                path.unlink()
                deleted.append(path)
            if self._files is not None:
                self._files.discard(name)
        return deleted

    def prune(self, used_sources: set[str] | None = None, used_cards: set[str] | None = None) -> int:
        """Forget other settings, sources not in `used_sources` and cards of slugs not in
        `used_cards` (when given), and delete the files no longer referenced.

        Returns how many files (variants and cards) were deleted.
        """
        if used_sources is not None:
            for src in set(self.sources) - used_sources:
                del self.sources[src]
                self._dirty = True
        if used_cards is not None:
            for slug in set(self.cards) - used_cards:
                del self.cards[slug]
                self._dirty = True
        digests = {entry["digest"] for entry in self.sources.values()}
        for digest in set(self.results) - digests:
            del self.results[digest]
            self._dirty = True
        self.save()
        for manifest in self.dir.glob("manifest-*.json"):
            if manifest != self.manifest_path:
                manifest.unlink(missing_ok=True)
        keep: set[str] = set(self.cards.values())
        for record in self.results.values():
            keep.update(v[3] for v in record["variants"])
        removed = 0
        if self.files_dir.is_dir():
            for f in self.files_dir.iterdir():
                if f.name not in keep:
                    f.unlink(missing_ok=True)
                    removed += 1
        self._files = None  # listed again when next needed
        return removed

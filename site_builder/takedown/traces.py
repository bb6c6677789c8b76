"""What identifies a withdrawn story or profile in a built site, and forgetting it in `.cache/`.

A withdrawn item can leave copies in many outputs (pages of other stories, feeds, the search
index, the API, photos). `Traces` lists what gives one away: its title (or name), summary and
slug in their usual encodings (HTML, JSON, URL), and its photos by file name (the variants'
names carry a hash of the source: `images.process.output_hash`) and by content (sha256 of the
source and of every variant and card the cache held). Those photo fingerprints are recorded in
`.cache/takedown/` (hashes and names only) before the cache forgets the files, so the audit can
still recognise a published copy after the cache was purged.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, quote_plus

from site_builder.content.models import Profile, Story
from site_builder.files import write_atomic
from site_builder.images.process import output_hash
from site_builder.markdown_render import MarkdownRenderer

#: A summary's first characters are searched too: a list may show it shortened.
SUMMARY_PREFIX = 60
#: A shorter text ("Một bài viết") is too common to mean the item: it is recognised by its address,
#: summary and photos instead.
MIN_TEXT = 20


@dataclass
class Traces:
    """How to recognise one withdrawn item in the output."""

    what: str  # "story" or "profile"
    slug: str
    url: str  # its address (where the removal notice is: not a leak)
    texts: dict[str, str]  # "title"/"summary"/... -> the text
    photo_names: set[str] = field(default_factory=set)  # output file names of its photos and card
    name_hashes: set[str] = field(default_factory=set)  # the hash part of its variants' names
    photo_hashes: dict[int, set[str]] = field(default_factory=dict)  # file size -> sha256 of its photo files
    photo_sources: set[str] = field(default_factory=set)  # its photos, relative to the images folder

    def needles(self) -> dict[bytes, str]:
        """Byte strings whose presence in a file is a leak -> what they are ("title", "summary", ...)."""
        out: dict[bytes, str] = {}
        for label, text in self.texts.items():
            variants = {text}
            if label == "summary" and len(text) > SUMMARY_PREFIX:
                variants.add(text[:SUMMARY_PREFIX].rstrip())
            for variant in variants:
                if len(variant) < MIN_TEXT:
                    continue
                for form in _encodings(variant):
                    out.setdefault(form.encode("utf-8"), label)
        return out

    def add_photo_file(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            return
        self.photo_hashes.setdefault(len(data), set()).add(hashlib.sha256(data).hexdigest())
        self.photo_names.add(path.name)

    def to_json(self) -> dict:
        return {"what": self.what, "slug": self.slug, "photo_names": sorted(self.photo_names),
                "name_hashes": sorted(self.name_hashes),
                "photo_hashes": {str(size): sorted(h) for size, h in self.photo_hashes.items()}}

    def merge_record(self, record: dict) -> None:
        """Add the photo fingerprints of an earlier build's record (`to_json`)."""
        self.photo_names.update(record.get("photo_names", ()))
        self.name_hashes.update(record.get("name_hashes", ()))
        for size, hashes in record.get("photo_hashes", {}).items():
            self.photo_hashes.setdefault(int(size), set()).update(hashes)


def _encodings(text: str) -> set[str]:
    """`text` as it may appear in an output: as is (NFC and NFD), HTML/XML-escaped, in JSON (with and
    without \\u escapes, and with <, >, & escaped as in JSON-LD), URL-encoded."""
    nfc = unicodedata.normalize("NFC", text)
    forms = {nfc, unicodedata.normalize("NFD", text), html.escape(nfc, quote=False), html.escape(nfc),
             html.escape(nfc).replace("&#x27;", "&#39;"), html.escape(nfc).replace("&#x27;", "&apos;"),
             quote(nfc, safe=""), quote_plus(nfc), quote(nfc)}
    for ascii_only in (True, False):
        inner = json.dumps(nfc, ensure_ascii=ascii_only)[1:-1]
        forms.add(inner)
        forms.add(inner.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
        forms.add(inner.replace("/", "\\/"))
    return forms


def item_photos(item: Story | Profile, photo_folder: str) -> set[str]:
    """The photos `item` shows (cover or portrait and those in its body), relative to the images folder."""
    photo = item.cover if isinstance(item, Story) else item.photo
    found = {photo.src} if photo is not None else set()
    found.update(image.src for image in MarkdownRenderer(photo_folder=photo_folder).parse(item.body).images)
    return found


def traces_of(item: Story | Profile, photos_dir: Path, fingerprint: str, photo_folder: str) -> Traces:
    """What identifies `item`, from its content and its photos' sources (`fingerprint`: the image
    pipeline's, which with a source's digest names its variants)."""
    if isinstance(item, Story):
        what, texts = "story", {"title": item.title, "summary": item.summary}
    else:
        what, texts = "profile", {"name": item.name, "summary": item.summary}
    traces = Traces(what, item.slug, item.url, texts)
    for src in item_photos(item, photo_folder):
        traces.photo_sources.add(src)
        source = photos_dir / src
        try:
            digest = hashlib.sha256(source.read_bytes()).hexdigest()
        except OSError:
            continue
        traces.name_hashes.add(output_hash(digest, fingerprint))
        traces.add_photo_file(source)
    return traces


def record_path(cache_root: Path, traces: Traces) -> Path:
    return cache_root / "takedown" / f"{traces.what}-{traces.slug}.json"


def load_record(cache_root: Path, traces: Traces) -> None:
    """Merge the photo fingerprints recorded by earlier builds into `traces`."""
    try:
        traces.merge_record(json.loads(record_path(cache_root, traces).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass


def save_record(cache_root: Path, traces: Traces) -> None:
    path = record_path(cache_root, traces)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(traces.to_json(), ensure_ascii=False, indent=1))


SLUG_BOUNDARY = rb"[a-z0-9-]"


def slug_pattern(slug: str) -> re.Pattern[bytes]:
    """`slug` as a whole part of a URL (after "/") or a JSON value (after a quote), not a part of a
    longer slug: `bai-viet/<slug>/`, `"slug":"<slug>"`."""
    return re.compile(rb"(?<=[/\"])" + re.escape(slug.encode()) + rb"(?!" + SLUG_BOUNDARY + rb")")

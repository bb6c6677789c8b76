"""Self-hosted Be Vietnam Pro: subset to Vietnamese + Latin, WOFF2, cached.

The font files come from the `fontpkg-be-vietnam-pro` package, so a build never
downloads anything. Subsets are cached in `.cache/fonts/` keyed by the source
file's hash, the character set and the fontTools version.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import multiprocessing
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import fontTools

from site_builder.files import write_atomic
from site_builder.routes import urls
from site_builder.processes import die_with_parent

logging.getLogger("fontTools").setLevel(logging.WARNING)

# Basic Latin, Latin-1, Latin Extended-A/B (ă â đ ê ô ơ ư …), combining marks,
# Latin Extended Additional (ạ ả ấ … ỹ), general punctuation, currency (₫), arrows used in UI.
UNICODE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),
    (0x00A0, 0x00FF),
    (0x0100, 0x024F),
    (0x0300, 0x0323),
    (0x1EA0, 0x1EF9),
    (0x2000, 0x206F),
    (0x20AB, 0x20AC),
    (0x2190, 0x2193),
)


@dataclass(frozen=True)
class FontFace:
    """One face to publish: source file name in the package and CSS weight/style."""

    source: str
    weight: int
    style: str = "normal"

    @property
    def output_name(self) -> str:
        return f"be-vietnam-pro-{self.weight}{'-italic' if self.style == 'italic' else ''}.woff2"


FACES: tuple[FontFace, ...] = (
    FontFace("BeVietnamPro-Regular.ttf", 400),
    FontFace("BeVietnamPro-Italic.ttf", 400, "italic"),
    FontFace("BeVietnamPro-Bold.ttf", 700),
)


def _source_path(name: str) -> Path:
    return Path(str(resources.files("fontpkg_be_vietnam_pro") / "files" / name))


def _unicodes() -> list[int]:
    return [cp for start, end in UNICODE_RANGES for cp in range(start, end + 1)]


@functools.cache
def _cache_key(source: Path) -> str:
    digest = hashlib.sha256(source.read_bytes())
    digest.update(repr(UNICODE_RANGES).encode())
    digest.update(fontTools.version.encode())
    return digest.hexdigest()[:16]


def _subset(source: Path, target: Path) -> None:
    from fontTools import subset  # only on a cache miss: importing it costs 0.1 s

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["kern", "liga", "calt", "ccmp", "locl", "mark", "mkmk"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.hinting = False
    options.desubroutinize = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_unicodes())
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    write_atomic(target, buffer.getvalue())


def published_path(face: FontFace) -> str:
    """Where the face's subset is published: its name with the hash of what makes it (source file,
    character set, fontTools' version), so browsers may cache it for a year."""
    return urls.fingerprinted(urls.font(face.output_name), _cache_key(_source_path(face.source))[:10])


def logical_path(face: FontFace) -> str:
    """The face's path without its hash, as the theme's CSS and templates name it."""
    return urls.font(face.output_name)


def prepare_fonts(cache_dir: Path) -> list[tuple[FontFace, Path]]:
    """Every face's subset in `cache_dir`, subsetting only on a cache miss."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    prepared = []
    for face in FACES:
        source = _source_path(face.source)
        cached = cache_dir / f"{source.stem}-{_cache_key(source)}.woff2"
        if not cached.exists():
            _subset(source, cached)
        prepared.append((face, cached))
    return prepared


_background: dict[Path, multiprocessing.process.BaseProcess] = {}


def prepare_in_background(cache_dir: Path) -> None:
    """Start `prepare_fonts(cache_dir)` in a forked process (once per folder); `prepared_fonts`
    waits for it. Subsetting takes ~0.5 s of CPU on a cold cache: started early, it runs
    while the build imports its modules and loads the content on one core."""
    key = cache_dir.resolve()
    if key in _background:
        return
    job = multiprocessing.get_context("fork").Process(target=_prepare_in_child, args=(key, os.getpid()), daemon=True,
                                                      name="gs-fonts")
    job.start()
    _background[key] = job


def _prepare_in_child(cache_dir: Path, parent: int) -> None:
    """The background job: a failure (a full disk...) is left to `prepared_fonts`, which does the
    work again in the build's process and reports it there."""
    die_with_parent(parent)
    try:
        prepare_fonts(cache_dir)
    except Exception:
        os._exit(1)


def prepared_fonts(cache_dir: Path) -> list[tuple[FontFace, Path]]:
    """Every face's cached WOFF2 subset, once the background job (if any) is done; the build's
    writer publishes them at `published_path(face)`."""
    job = _background.pop(cache_dir.resolve(), None)
    if job is not None:
        job.join()
    return prepare_fonts(cache_dir)

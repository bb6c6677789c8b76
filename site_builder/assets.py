"""Fingerprinted theme assets: the theme's CSS and JavaScript, and the fonts, under content-hash names.

A file whose name changes with its content can be cached by browsers and CDNs for a year
(`immutable`): a new version is a new name, which every page links to. The fonts' names carry
the hash of what makes them (`fonts.published_path`); the theme's CSS has its `url(...)`s to
them rewritten first, then every CSS and JS file gets the hash of its final bytes
(`urls.fingerprinted`). Templates name assets by their plain path and pass it through the
`asset` filter (``{{ 'assets/search.css' | asset | url }}``), which gives the published one.

Material's own assets (``assets/javascripts/bundle.<hash>.min.js``...) are fingerprinted by
Material already and are left as they are.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from site_builder import fonts
from site_builder.routes import urls

#: Suffixes of the theme's files that are published under fingerprinted names.
FINGERPRINTED_SUFFIXES = (".css", ".js")

_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")


@dataclass(frozen=True)
class ThemeAsset:
    """A theme file to publish: its plain site path, its published path and its bytes."""

    path: str
    published: str
    data: bytes


def font_names() -> dict[str, str]:
    """Plain path -> published path of every font face."""
    return {fonts.logical_path(face): fonts.published_path(face) for face in fonts.FACES}


def rewrite_css(css: str, css_path: str, names: dict[str, str]) -> str:
    """`css` (published at `css_path`) with each relative `url(...)` to a file in `names` pointing at
    its published name instead."""
    folder = posixpath.dirname(css_path)

    def replace(match: re.Match[str]) -> str:
        quote, ref = match.group(1), match.group(2)
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", ref, re.IGNORECASE):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(folder, ref))
        if target not in names:
            return match.group(0)
        return f"url({quote}{posixpath.relpath(names[target], folder or '.')}{quote})"

    return _CSS_URL.sub(replace, css)


def theme_assets(sources: dict[str, Path]) -> list[ThemeAsset]:
    """The theme's files `sources` (plain site path -> file), fingerprinted; CSS first has its
    references to the fonts rewritten."""
    names = font_names()
    out = []
    for path, source in sorted(sources.items()):
        data = source.read_bytes()
        if path.endswith(".css"):
            data = rewrite_css(data.decode("utf-8"), path, names).encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()[:10]
        out.append(ThemeAsset(path, urls.fingerprinted(path, digest), data))
    return out


class Fingerprints:
    """The `asset` filter: plain path -> published path (paths it does not know are returned as they are)."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = dict(names)

    def __call__(self, path: str) -> str:
        return self.names.get(str(path), str(path))

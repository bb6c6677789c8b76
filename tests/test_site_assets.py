"""Self-hosting: the built site loads scripts, styles, fonts and images only from itself.

Links (`<a href>`) to other sites are fine; anything the browser fetches by itself is not.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import site_path

# rel values whose href the browser fetches (or connects to) without a click.
FETCHED_RELS = {
    "stylesheet", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch",
    "icon", "shortcut", "apple-touch-icon", "mask-icon", "manifest",
}
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]+))\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)""")


def srcset_urls(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def css_urls(text: str) -> list[str]:
    urls = [next(g for g in m.groups() if g is not None) for m in CSS_URL.finditer(text)]
    return urls + CSS_IMPORT.findall(text)


def fetched_urls(doc) -> list[tuple[str, str]]:
    """(what, url) for everything a page makes the browser fetch."""
    out = []
    for tag in doc.find_all("script", src=True):
        out.append(("script[src]", tag["src"]))
    for tag in doc.find_all("link", href=True):
        if set(tag.get("rel") or ()) & FETCHED_RELS:
            out.append((f"link[rel={' '.join(tag['rel'])}]", tag["href"]))
    for tag in doc.find_all(["img", "source", "video", "audio", "iframe", "embed", "track", "input"]):
        if tag.get("src"):
            out.append((f"{tag.name}[src]", tag["src"]))
        if tag.get("srcset"):
            out += [(f"{tag.name}[srcset]", u) for u in srcset_urls(tag["srcset"])]
        if tag.get("poster"):
            out.append((f"{tag.name}[poster]", tag["poster"]))
    for tag in doc.find_all("object", data=True):
        out.append(("object[data]", tag["data"]))
    for tag in doc.find_all(style=True):
        out += [("style=url()", u) for u in css_urls(tag["style"])]
    for tag in doc.find_all("style"):
        out += [("<style> url()", u) for u in css_urls(tag.get_text())]
    return out


def is_third_party(url: str) -> bool:
    parts = urlsplit(url.strip())
    if parts.scheme in ("data", "blob"):
        return False
    return bool(parts.netloc) or parts.scheme in ("http", "https")


def test_detectors_see_third_party_urls():
    """The checks below would notice a CDN in each of the places they look."""
    from bs4 import BeautifulSoup

    html = """<html><head>
      <script src="https://cdn.example.com/x.js"></script>
      <link rel="stylesheet" href="//fonts.googleapis.com/css?family=X">
      <link rel="preload" href="https://fonts.gstatic.com/a.woff2" as="font">
      <link rel="icon" href="https://example.org/favicon.ico">
      <link rel="canonical" href="https://guongsang.example.vn/">
      <style>.a{background:url('https://img.example.com/bg.png')}</style>
      </head><body>
      <img src="https://img.example.com/a.jpg" srcset="a.jpg 1x, https://img.example.com/b.jpg 2x">
      <picture><source srcset="https://img.example.com/c.webp 800w"></picture>
      <div style="background-image:url(http://img.example.com/d.png)"></div>
      <a href="https://chinhphu.vn/">ok</a>
      <img src="data:image/png;base64,AAAA" style="background:url('data:image/svg+xml,x')">
    </body></html>"""
    found = [what for what, url in fetched_urls(BeautifulSoup(html, "html.parser")) if is_third_party(url)]
    assert found == [
        "script[src]", "link[rel=stylesheet]", "link[rel=preload]", "link[rel=icon]",
        "img[src]", "img[srcset]", "source[srcset]", "style=url()", "<style> url()",
    ]
    assert css_urls("@font-face{src:url(https://x.example/f.woff2)} @import 'https://y.example/a.css';") == [
        "https://x.example/f.woff2", "https://y.example/a.css",
    ]


def test_pages_fetch_nothing_from_other_hosts(built_site):
    problems = []
    checked = 0
    for url, doc in built_site.all_pages().items():
        for what, target in fetched_urls(doc):
            checked += 1
            if is_third_party(target):
                problems.append(f"/{url}: {what} {target}")
    assert checked > 0
    assert problems == []


def test_pages_fetch_only_existing_files(built_site):
    """Every local script, stylesheet, icon, font preload and image exists in the site."""
    missing = []
    for url, doc in built_site.all_pages().items():
        for what, target in fetched_urls(doc):
            if is_third_party(target) or target.startswith("data:"):
                continue
            path = site_path(url, target)  # 404.html uses root-absolute URLs; they resolve the same
            if path is not None and not (built_site.dir / path).is_file():
                missing.append(f"/{url}: {what} {target}")
    assert missing == []


def test_css_fetches_nothing_from_other_hosts(built_site):
    css_files = sorted(built_site.dir.rglob("*.css"))
    assert css_files
    problems = []
    for css in css_files:
        for target in css_urls(css.read_text(encoding="utf-8")):
            if is_third_party(target):
                problems.append(f"{css.relative_to(built_site.dir)}: {target}")
    assert problems == []


def test_fonts_are_self_hosted_woff2(built_site):
    (css,) = (built_site.dir / "assets").glob("guong-sang.*.css")  # fingerprinted (site_builder.assets)
    FONT_CSS = css.relative_to(built_site.dir).as_posix()
    fonts = [u for u in css_urls(css.read_text(encoding="utf-8")) if u.split("?")[0].endswith(".woff2")]
    assert len(fonts) >= 2, "the theme's CSS declares the Be Vietnam Pro faces"
    for font in fonts:
        rel = urljoin(FONT_CSS, font.split("?")[0].split("#")[0])
        path = built_site.dir / rel
        assert PurePosixPath(rel).parent == PurePosixPath("assets/fonts"), rel
        assert path.is_file(), f"{font} (from {FONT_CSS}) is not in the site"
        assert path.read_bytes()[:4] == b"wOF2", f"{rel} is not WOFF2"
    on_disk = sorted((built_site.dir / "assets" / "fonts").glob("*.woff2"))
    assert on_disk
    for path in on_disk:
        assert path.read_bytes()[:4] == b"wOF2", path.name


@pytest.mark.parametrize("url", ["", "bai-viet/", "404.html"])
def test_font_preload_points_at_a_woff2_in_the_site(url, built_site):
    doc = built_site.page(url)
    preloads = [l for l in doc.find_all("link", rel="preload") if l.get("as") == "font"]
    assert preloads
    for link in preloads:
        href = link["href"]
        assert (built_site.dir / site_path(url, href)).read_bytes()[:4] == b"wOF2"
        assert link.get("type") == "font/woff2"
        assert link.has_attr("crossorigin")

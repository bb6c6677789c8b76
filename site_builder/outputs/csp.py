"""The site's Content-Security-Policy: what its pages actually need, and nothing more.

The pages load scripts, styles, fonts and photos only from the site itself. A few small
scripts are inline (the theme's font-size switch, Material's tab restorer): they are allowed
by their SHA-256 (`inline_script_hashes` finds them in the built pages), never by
'unsafe-inline'. Pagefind's search runs WebAssembly ('wasm-unsafe-eval'). Inline `style`
attributes (photo placeholders, Material's components) need 'unsafe-inline' for styles only;
photo placeholders are `data:` images. Only the site may frame its pages, except the embed
cards (`nhung/`), made to be framed by any site (`frame_ancestors="*"`).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

_SCRIPT = re.compile(rb"<script(\s[^>]*)?>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_TYPE = re.compile(rb"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_SRC = re.compile(rb"\bsrc\s*=", re.IGNORECASE)
_SCRIPT_TYPES = {b"", b"text/javascript", b"application/javascript", b"module"}


def inline_script_hashes(html: bytes) -> set[str]:
    """CSP sources (``'sha256-...'``) of the inline scripts a browser would run in `html`
    (not JSON-LD nor Material's JSON configuration, which are data)."""
    found = set()
    for match in _SCRIPT.finditer(html):
        attributes = match.group(1) or b""
        if _SRC.search(attributes):
            continue
        kind = _TYPE.search(attributes)
        if (kind.group(1).lower() if kind else b"") not in _SCRIPT_TYPES:
            continue
        digest = base64.b64encode(hashlib.sha256(match.group(2)).digest()).decode("ascii")
        found.add(f"'sha256-{digest}'")
    return found


def policy(script_hashes: Iterable[str], frame_ancestors: str = "'self'") -> str:
    """The Content-Security-Policy header's value for a site whose inline scripts have `script_hashes`
    (for pages that the sites of `frame_ancestors` may show in a frame)."""
    scripts = " ".join(["'self'", *sorted(script_hashes), "'wasm-unsafe-eval'"])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ])

"""Old addresses of a story or profile (`aliases:`): what an editor may write and the path it stands for.

Editors copy an old address from a browser or from a previous CMS: a path
(``/tin-tuc/binh-xuyen-nhieu-sang-tao-123456.html``, ``/bai-viet/ten-cu/``), percent-encoded
or not (``/tin-t%E1%BB%A9c/`` is ``/tin-tức/``), or a full URL on this site. `old_path` turns
it into the site-relative path the redirect page is stored under: decoded and NFC, as a web
server decodes a request before it looks for the file. Each refusal says what to write instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import SplitResult, unquote, urlsplit

from ..i18n import _
from ..routes import urls
from ..vietnamese import nfc
from . import limits

#: Longest file or folder name a web server's file system stores (bytes of UTF-8).
NAME_BYTES = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Alias:
    """One old address: `path` is site-relative and decoded (``tin-tuc/x-1.html``, ``bai-viet/cu/``);
    `line` is its line in the file (set by validation, 0 when unknown)."""

    path: str
    line: int = field(default=0, compare=False)


def old_path(text: str, site_url: str | None) -> str:
    """The site-relative path of the old address `text`; ValueError with the editor's message.

    `site_url` is the site's address: a full URL must be on its host (``www.`` or not, http or
    https) and under its path. "" means it is not set, so a full URL cannot be checked and is
    refused; None means no check (a model validated on its own).
    A folder's address ends with "/" (``bai-viet/cu`` -> ``bai-viet/cu/``); one ending in
    .html or .htm is a file.
    """
    written = text.strip()
    if not written:
        raise ValueError(_("must not be empty: write a value"))
    if "?" in written or "#" in written:
        hint = written.split("?", 1)[0].split("#", 1)[0]
        raise ValueError(_("{value!r} has a query (?...) or a fragment (#...), which a redirect page cannot have: "
                           "write the path alone, such as {hint!r}").format(value=written, hint=hint))
    parts = urlsplit(written)
    path = _on_this_site(written, parts, site_url) if parts.scheme or parts.netloc else parts.path
    try:
        decoded = nfc(unquote(path, errors="strict") if "%" in path else path)
    except UnicodeDecodeError:
        raise ValueError(_("{value!r} has percent codes that are not UTF-8 text: copy the address again from the "
                           "browser's address bar").format(value=written)) from None
    if _CONTROL.search(decoded):
        raise ValueError(_("{value!r} contains a control character: copy the address again").format(value=written))
    if "?" in decoded or "#" in decoded:
        raise ValueError(_("{value!r} has an encoded ? or # in its path, which a redirect page cannot have: "
                           "remove the line").format(value=written))
    names = [n for n in decoded.split("/") if n not in ("", ".")]
    if ".." in names:
        raise ValueError(_("{value!r} contains '..': write the whole path from the site's root, such as "
                           "'/tin-tuc/bai-cu.html'").format(value=written))
    if any(n.startswith(".") for n in names):
        raise ValueError(_("{value!r}: a name in the path starts with '.', which the site does not publish: "
                           "remove the line").format(value=written))
    if any(len(n.encode("utf-8")) > NAME_BYTES for n in names):
        raise ValueError(_("{value!r} has a name longer than {most} bytes, which no web server can store: "
                           "remove the line").format(value=written, most=NAME_BYTES))
    result = "/".join(names)
    if result and (decoded.endswith("/") or not result.lower().endswith(urls.REDIRECT_FILE_SUFFIXES)):
        result += "/"
    reserved = urls.reserved_path(result)
    if reserved == urls.output_path(urls.HOME):
        raise ValueError(_("{value!r} is the address of the home page: remove the line").format(value=written))
    if reserved:
        raise ValueError(_("{value!r} leads into {reserved}, which the site makes itself (photos, fonts, search, "
                           "sitemap, numbered pages of lists): remove the line").format(value=written,
                                                                                         reserved="/" + reserved))
    if len(result) > limits.TEXT:
        raise ValueError(_("too long: {length} characters where {most} at most are allowed: shorten it").format(
            length=len(result), most=limits.TEXT))
    return result


def _on_this_site(written: str, parts: SplitResult, site_url: str | None) -> str:
    """The path of the full URL `written` relative to the site's address; ValueError when it is elsewhere."""
    if parts.scheme.lower() not in ("http", "https", ""):
        raise ValueError(_("{value!r} is not a web address: write the old path, starting with / (such as "
                           "'/tin-tuc/bai-cu.html'), or the whole old address, starting with http").format(value=written))
    if site_url is None:
        return parts.path
    if not site_url:
        raise ValueError(_("{value!r} is a full address, but site_url is not set in mkdocs.yml, so it cannot be "
                           "checked: write the path alone, such as {path!r}").format(value=written,
                                                                                    path=parts.path or "/"))
    site = urlsplit(site_url)
    if _host(parts.hostname) != _host(site.hostname):
        raise ValueError(_("{value!r} is an address on another website ({host}): only old addresses of this site "
                           "({site}) can lead to this page; remove the line").format(
            value=written, host=parts.hostname or "?", site=site_url))
    prefix = site.path if site.path.endswith("/") else site.path + "/"
    path = parts.path or "/"
    if not path.startswith(prefix):
        raise ValueError(_("{value!r} is outside this site's address {site}: only old addresses under it can lead "
                           "to this page; remove the line").format(value=written, site=site_url))
    return path[len(prefix) - 1:]


def _host(name: str | None) -> str:
    name = (name or "").lower()
    return name[4:] if name.startswith("www.") else name

"""RSS 2.0 (with the content, Dublin Core and Atom modules for the full body, authors and the self link).

Dates are RFC 822 at +0700. A story's title is plain text; its summary is the item's
`description`, which readers take as HTML, so it is HTML-escaped before the XML escaping.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from email.utils import format_datetime

from site_builder.outputs.feeds.entries import Entry
from site_builder.outputs.feeds.sources import FeedSource
from site_builder.outputs.feeds.xml import XmlWriter

NAMESPACES = {
    "xmlns:atom": "http://www.w3.org/2005/Atom",
    "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
    "xmlns:dc": "http://purl.org/dc/elements/1.1/",
}
GENERATOR = "Gương Sáng"


def rfc822(value: dt.datetime) -> str:
    """'Sat, 14 Mar 2026 08:30:00 +0700' (`value` is aware, at +07:00)."""
    return format_datetime(value)


class RssFeeds:
    """Writes RSS 2.0 feeds; each story's <item> is written once."""

    def __init__(self, base: str) -> None:
        self._base = base  # the site's absolute address, ending with "/"
        self._items: dict[str, str] = {}

    def feed(self, source: FeedSource, entries: Sequence[Entry]) -> bytes:
        w = XmlWriter()
        w.declaration()
        w.start("rss", {"version": "2.0", **NAMESPACES})
        w.start("channel")
        w.element("title", source.title)
        w.element("link", self._base + source.page_url)
        w.element("description", source.description)
        w.element("language", "vi")
        if entries:
            w.element("lastBuildDate", rfc822(max(e.updated for e in entries)))
        w.element("generator", GENERATOR)
        w.element("atom:link", attrs={"href": self._base + source.path("rss"), "rel": "self",
                                      "type": "application/rss+xml"})
        for entry in entries:
            w.newline()
            w.fragment(self._item(entry))
        w.end("channel")
        w.end("rss")
        return w.text().encode("utf-8")

    def _item(self, entry: Entry) -> str:
        cached = self._items.get(entry.url)
        if cached is None:
            w = XmlWriter()
            w.start("item")
            w.element("title", entry.title)
            w.element("link", entry.url)
            w.element("guid", entry.url, {"isPermaLink": "true"})
            w.element("pubDate", rfc822(entry.published))
            w.element("description", html.escape(entry.summary, quote=False))
            if entry.content_html:
                w.element("content:encoded", entry.content_html)
            for author in entry.authors:
                w.element("dc:creator", author)
            for category in entry.categories:
                w.element("category", category)
            if entry.enclosure is not None:
                w.element("enclosure", attrs={"url": entry.enclosure.url, "length": entry.enclosure.length,
                                              "type": entry.enclosure.type})
            w.end("item")
            cached = self._items[entry.url] = w.text()
        return cached

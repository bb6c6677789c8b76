"""Atom 1.0 (RFC 4287). Dates are RFC 3339 at +07:00; titles and summaries are `type="text"`,
the full body `type="html"` with the story's address as `xml:base`."""

from __future__ import annotations

from collections.abc import Sequence

from site_builder import vietnamese as vi
from site_builder.outputs.feeds.entries import Entry
from site_builder.outputs.feeds.sources import FeedSource
from site_builder.outputs.feeds.xml import XmlWriter

NAMESPACE = "http://www.w3.org/2005/Atom"
GENERATOR = "Gương Sáng"


class AtomFeeds:
    """Writes Atom feeds; each story's <entry> is written once."""

    def __init__(self, base: str, publisher: str) -> None:
        self._base = base  # the site's absolute address, ending with "/"
        self._publisher = publisher  # the feed's author: the organisation (entries name their own authors)
        self._entries: dict[str, str] = {}

    def feed(self, source: FeedSource, entries: Sequence[Entry], empty_updated: str) -> bytes:
        """`empty_updated`: the feed's <updated> when it has no entry (RFC 3339)."""
        w = XmlWriter()
        w.declaration()
        w.start("feed", {"xmlns": NAMESPACE, "xml:lang": "vi"})
        self_url = self._base + source.path("atom")
        w.element("id", self_url)
        w.element("title", source.title, {"type": "text"})
        w.element("subtitle", source.description, {"type": "text"})
        w.element("link", attrs={"rel": "alternate", "type": "text/html", "href": self._base + source.page_url})
        w.element("link", attrs={"rel": "self", "type": "application/atom+xml", "href": self_url})
        updated = vi.iso_date(max(e.updated for e in entries)) if entries else empty_updated
        w.element("updated", updated)
        w.start("author")
        w.element("name", self._publisher)
        w.end("author")
        w.element("generator", GENERATOR)
        for entry in entries:
            w.newline()
            w.fragment(self._entry(entry))
        w.end("feed")
        return w.text().encode("utf-8")

    def _entry(self, entry: Entry) -> str:
        cached = self._entries.get(entry.url)
        if cached is None:
            w = XmlWriter()
            w.start("entry", {"xml:base": entry.url})
            w.element("id", entry.url)
            w.element("title", entry.title, {"type": "text"})
            w.element("link", attrs={"rel": "alternate", "type": "text/html", "href": entry.url})
            w.element("published", vi.iso_date(entry.published))
            w.element("updated", vi.iso_date(entry.updated))
            for author in entry.authors:
                w.start("author")
                w.element("name", author)
                w.end("author")
            w.element("summary", entry.summary, {"type": "text"})
            if entry.content_html:
                w.element("content", entry.content_html, {"type": "html"})
            for category in entry.categories:
                w.element("category", attrs={"term": category})
            if entry.enclosure is not None:
                w.element("link", attrs={"rel": "enclosure", "type": entry.enclosure.type,
                                         "length": entry.enclosure.length, "href": entry.enclosure.url})
            w.end("entry")
            cached = self._entries[entry.url] = w.text()
        return cached

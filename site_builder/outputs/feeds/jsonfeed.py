"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1). Dates are RFC 3339 at +07:00."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from site_builder import vietnamese as vi
from site_builder.outputs.feeds.entries import Entry
from site_builder.outputs.feeds.sources import FeedSource

VERSION = "https://jsonfeed.org/version/1.1"


class JsonFeeds:
    """Writes JSON feeds; each story's item is made once."""

    def __init__(self, base: str, publisher: str) -> None:
        self._base = base  # the site's absolute address, ending with "/"
        self._publisher = publisher
        self._items: dict[str, dict[str, Any]] = {}

    def feed(self, source: FeedSource, entries: Sequence[Entry]) -> bytes:
        data = {
            "version": VERSION,
            "title": source.title,
            "home_page_url": self._base + source.page_url,
            "feed_url": self._base + source.path("json"),
            "description": source.description,
            "language": "vi",
            "authors": [{"name": self._publisher}],
            "items": [self._item(entry) for entry in entries],
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def _item(self, entry: Entry) -> dict[str, Any]:
        item = self._items.get(entry.url)
        if item is None:
            item = {"id": entry.url, "url": entry.url, "title": entry.title, "summary": entry.summary}
            if entry.content_html:
                item["content_html"] = entry.content_html
            else:
                item["content_text"] = entry.summary
            if entry.enclosure is not None:
                item["image"] = entry.enclosure.url
            item["date_published"] = vi.iso_date(entry.published)
            item["date_modified"] = vi.iso_date(entry.updated)
            if entry.authors:
                item["authors"] = [{"name": a} for a in entry.authors]
            if entry.categories:
                item["tags"] = list(entry.categories)
            self._items[entry.url] = item
        return item

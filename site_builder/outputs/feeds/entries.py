"""A story as every feed shows it, made once per build however many feeds list it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from site_builder import vietnamese as vi
from site_builder.catalog import Catalog
from site_builder.content.models import Story
from site_builder.images.settings import MIME_TYPES
from site_builder.outputs.base import OutputContext
from site_builder.pages.present import SHARE_WIDTH


@dataclass(frozen=True)
class Enclosure:
    """The lead photo as published: the JPEG variant og:image shares (at least 1200 px wide, else the largest)."""

    url: str  # absolute
    length: int  # bytes of the published file
    type: str  # MIME type


@dataclass(frozen=True)
class Entry:
    url: str  # absolute; also the entry's permanent id
    title: str
    summary: str  # plain text
    content_html: str  # the body as HTML with absolute photo URLs; "" unless `feeds.content` is "full"
    published: dt.datetime  # aware, Vietnam time (+07:00)
    updated: dt.datetime  # aware; `updated:` when later than publication, else the publication
    authors: tuple[str, ...]
    categories: tuple[str, ...]  # kind, fields, tags (names as shown on the site)
    enclosure: Enclosure | None


def vietnam_time(value: dt.datetime) -> dt.datetime:
    """A content date (naive Vietnam time) as an aware datetime at +07:00."""
    return value.replace(tzinfo=vi.VIETNAM_TZ) if value.tzinfo is None else value.astimezone(vi.VIETNAM_TZ)


class Entries:
    """Each story's `Entry`, made the first time a feed lists it."""

    def __init__(self, context: OutputContext) -> None:
        self._context = context
        self._base = context.settings.site_url.rstrip("/") + "/"
        self._full = context.settings.feeds.content == "full"
        self._made: dict[str, Entry] = {}

    def __getitem__(self, story: Story) -> Entry:
        entry = self._made.get(story.slug)
        if entry is None:
            entry = self._made[story.slug] = self._make(story)
        return entry

    def _make(self, story: Story) -> Entry:
        context = self._context
        published = vietnam_time(story.published_at)
        updated = vietnam_time(story.updated) if story.updated else published
        return Entry(
            url=self._base + story.url,
            title=story.title,
            summary=story.summary,
            content_html=context.story_body(story) if self._full else "",
            published=published,
            updated=max(updated, published),
            authors=tuple(story.authors),
            categories=categories(context.catalog, story),
            enclosure=self._enclosure(story),
        )

    def _enclosure(self, story: Story) -> Enclosure | None:
        image = self._context.photo(story.cover)
        if image is None:
            return None
        variant = image.fallback("jpeg", SHARE_WIDTH)
        return Enclosure(self._base + variant.url, variant.bytes, MIME_TYPES["jpeg"])


def categories(catalog: Catalog, story: Story) -> tuple[str, ...]:
    """The story's kind, fields and tags as the site names them, each once."""
    terms = catalog.story_terms(story)
    names = [terms.kind.name, *(t.name for t in terms.fields), *(t.name for t in terms.tags)]
    return tuple(dict.fromkeys(names))

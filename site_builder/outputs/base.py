"""What every output producer (sitemap, feeds, API, embeds, redirects...) is given and gives back.

An output is one `Output`: a producer (named in route conflicts), a function naming every
file it will write from an `OutputPlan` (called when the routes are claimed, before the photos
are processed), and a function making those files' bytes from an `OutputContext` (called once
the pages are rendered). Both read the catalog; neither touches the file system: the build
claims the paths in the route registry and hands the bytes to the writer. An output that
writes files on behalf of others (a redirect for each old address a story lists) names them
with `claims` instead, each with its own producer, so that a collision names that file.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urljoin

from site_builder.catalog import Catalog
from site_builder.content.models import Photo, Profile, Story
from site_builder.images import ProcessedImage
from site_builder.routes.registry import Producer
from site_builder.settings import SiteSettings


class Photos(Protocol):
    """The build's processed photos (`site_builder.pages.photos.PhotoViews`)."""

    def get(self, src: str) -> ProcessedImage | None: ...


#: A story's or profile's body as HTML with every URL starting with `url_base`
#: (`(item, url_base) -> html`; pass the site's absolute address for feeds and the API).
BodyHtml = Callable[[Story | Profile, str], str]


@dataclass(frozen=True)
class OutputPlan:
    """What is known when the routes are claimed: enough to name every output file."""

    catalog: Catalog
    settings: SiteSettings
    page_urls: Sequence[str]  # every generated page, site-relative ("" is the home page)
    #: when each page last changed (naive Vietnam time; `site_builder.catalog.dates`), if known
    page_modified: Mapping[str, dt.datetime] = field(default_factory=dict, kw_only=True)
    root: Path | None = field(default=None, kw_only=True)  # the project: content files are named relative to it

    def absolute(self, url: str) -> str:
        """`url` (site-relative) as an absolute address on the site ("" when the site has no site_url)."""
        base = self.settings.site_url.rstrip("/")
        return f"{base}/{url}" if base else ""


@dataclass(frozen=True)
class OutputContext(OutputPlan):
    """The plan plus what exists once the photos are processed and the bodies parsed."""

    photos: Photos
    body_html: BodyHtml
    card_urls: Mapping[str, str]  # story slug -> its social card's site-relative URL

    def photo(self, photo: Photo | None) -> ProcessedImage | None:
        return self.photos.get(photo.src) if photo is not None else None

    def story_body(self, item: Story | Profile) -> str:
        """`item`'s body as the feeds and the API give it, away from its page: its photos and every
        link absolute (a link typed as ``../khac/`` or ``#chu-thich`` resolved against its page)."""
        base = self.settings.site_url.rstrip("/") + "/"
        return absolute_links(self.body_html(item, base), base + item.url)


#: A relative link or photo source as Python-Markdown writes it (in double quotes, its value escaped;
#: `>` is escaped too, so `[^>]` stays in the tag); searched from its literal "<", 20 times faster
#: than an attribute pattern starting with white space.
_RELATIVE_URL = re.compile(r'(<(?:a|img)\s(?:[^>]*?\s)?(?:href|src)=")(?!https?://|mailto:|tel:)([^"]*)(")')


def absolute_links(body: str, page_url: str) -> str:
    """`body` (HTML) with every relative `href` of a link and `src` of a photo resolved against
    `page_url`, the absolute address of the page it belongs to (a feed reader or an API client has
    no other base)."""

    def resolve(match: re.Match[str]) -> str:
        url = html.unescape(match.group(2))
        absolute = urljoin(page_url, url)
        return match.group(0) if absolute == url else match.group(1) + html.escape(absolute) + match.group(3)

    return _RELATIVE_URL.sub(resolve, body)


@dataclass(frozen=True)
class Output:
    """One producer of files that are not pages."""

    producer: Producer
    paths: Callable[[OutputPlan], Iterable[str]]
    files: Callable[[OutputContext], Iterable[tuple[str, bytes]]]
    #: files made on behalf of others, each with its producer (a story file for the redirects from its aliases:)
    claims: Callable[[OutputPlan], Iterable[tuple[str, Producer]]] | None = None

    def claimed(self, plan: OutputPlan) -> Iterator[tuple[str, Producer]]:
        """Every path `files` may write, with the producer that claims it."""
        for path in self.paths(plan):
            yield path, self.producer
        if self.claims is not None:
            yield from self.claims(plan)

"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds: the site's, each term's and each profile's.

`sources` says which feeds exist (and what they are called); `entries` makes each story's
entry once; `rss`, `atom` and `jsonfeed` write the three formats, each story's entry once
per format however many feeds list it. A feed carries the newest `feeds.items` stories of
its page, with their summary or (`feeds.content: full`) their whole body.
"""

from __future__ import annotations

from collections.abc import Iterator

from site_builder import vietnamese as vi
from site_builder.i18n import N_
from site_builder.outputs.base import Output, OutputContext, OutputPlan
from site_builder.outputs.feeds.atom import AtomFeeds
from site_builder.outputs.feeds.entries import Entries, vietnam_time
from site_builder.outputs.feeds.jsonfeed import JsonFeeds
from site_builder.outputs.feeds.rss import RssFeeds
from site_builder.outputs.feeds.sources import FORMATS, FeedFormat, FeedSource, feed_sources, profile_feed, \
    site_feed, term_feed
from site_builder.routes.registry import Producer

__all__ = ["FORMATS", "FeedFormat", "FeedSource", "OUTPUT", "feed_sources", "profile_feed", "site_feed", "term_feed"]


def _paths(plan: OutputPlan) -> Iterator[str]:
    for source in feed_sources(plan.catalog, plan.settings):
        for fmt in FORMATS:
            yield source.path(fmt.name)


def _files(context: OutputContext) -> Iterator[tuple[str, bytes]]:
    settings, catalog = context.settings, context.catalog
    base = settings.site_url.rstrip("/") + "/"
    publisher = settings.organisation.name
    entries = Entries(context)
    rss, atom, json_feeds = RssFeeds(base), AtomFeeds(base, publisher), JsonFeeds(base, publisher)
    newest = catalog.stories[0].published_at if catalog.stories else catalog.now
    empty_updated = vi.iso_date(vietnam_time(newest))  # an empty feed's Atom <updated>: the site's last story
    for source in feed_sources(catalog, settings):
        shown = [entries[story] for story in source.stories[: settings.feeds.items]]
        yield source.path("rss"), rss.feed(source, shown)
        yield source.path("atom"), atom.feed(source, shown, empty_updated)
        yield source.path("json"), json_feeds.feed(source, shown)


OUTPUT = Output(Producer.generated(N_("the feeds (RSS, Atom and JSON Feed)")), _paths, _files)

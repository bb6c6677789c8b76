"""news-sitemap.xml: the Google News sitemap of the stories published in the last two days.

Google News reads only articles published in the last 2 days and at most 1,000 per sitemap
(developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap): the newest
published stories within `WINDOW` of the build's "now" (`Catalog.now`), `MAX_STORIES` at
most, each with `news:publication` (the site's name, language `vi`), `news:publication_date`
and `news:title`. The file is always written, at one address robots.txt names; with no recent
story it is an empty `urlset`, which Google accepts (Search Console only notes it is empty).
"""

from __future__ import annotations

import datetime as dt
import re
from xml.sax.saxutils import escape

from site_builder import vietnamese as vi
from site_builder.catalog import Catalog
from site_builder.content.models import Story
from site_builder.i18n import N_
from site_builder.outputs.base import Output, OutputContext, OutputPlan
from site_builder.outputs.sitemap import NAMESPACE
from site_builder.routes import urls
from site_builder.routes.registry import Producer

WINDOW = dt.timedelta(days=2)
MAX_STORIES = 1000
NEWS_NAMESPACE = "http://www.google.com/schemas/sitemap-news/0.9"
LANGUAGE = "vi"
# Characters XML 1.0 does not allow (a YAML "\x01" escape could put one in a title).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def recent_stories(catalog: Catalog, window: dt.timedelta = WINDOW, limit: int = MAX_STORIES) -> list[Story]:
    """Published, non-draft stories of the last `window` before `catalog.now`, newest first, `limit` at most."""
    now = catalog.now
    since = now - window
    out: list[Story] = []
    for story in catalog.stories:  # newest first: stop at the first one older than the window
        if story.published_at < since or len(out) >= limit:
            break
        if story.published_at <= now and not story.draft:
            out.append(story)
    return out


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def news_sitemap(base: str, site_name: str, stories: list[Story]) -> bytes:
    """The news sitemap of `stories` under the absolute `base`."""
    publication = (f"<news:publication><news:name>{_text(site_name)}</news:name>"
                   f"<news:language>{LANGUAGE}</news:language></news:publication>")
    lines = [f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}" xmlns:news="{NEWS_NAMESPACE}">\n']
    for story in stories:
        lines.append(
            f"<url><loc>{escape(base + story.url)}</loc><news:news>{publication}"
            f"<news:publication_date>{vi.iso_date(story.published_at)}</news:publication_date>"
            f"<news:title>{_text(story.title)}</news:title></news:news></url>\n"
        )
    lines.append("</urlset>\n")
    return "".join(lines).encode("utf-8")


def _paths(plan: OutputPlan) -> list[str]:
    return [urls.NEWS_SITEMAP] if plan.settings.site_url else []


def _files(context: OutputContext) -> list[tuple[str, bytes]]:
    settings = context.settings
    if not settings.site_url:
        return []
    base = settings.site_url.rstrip("/") + "/"
    return [(urls.NEWS_SITEMAP, news_sitemap(base, settings.site_name, recent_stories(context.catalog)))]


OUTPUT = Output(Producer.generated(N_("the Google News sitemap (news-sitemap.xml)")), _paths, _files)

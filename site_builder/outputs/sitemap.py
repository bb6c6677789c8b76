"""sitemap.xml listing every generated page with the date it last changed, and robots.txt.

Each page's `<lastmod>` is the date the page generator gives it (`PageTask.modified`, from
`site_builder.catalog.dates`): a story's update or publication, a list's or term's newest
change among its stories, a profile's newest story or its own `updated`, the home page's
newest change of all. One sitemap may hold 50,000 URLs and 50 MB (52,428,800 bytes)
uncompressed (sitemaps.org); past either, `sitemap.xml` becomes a sitemap index of
`sitemap-1.xml`, `sitemap-2.xml`... (`split`), each with the latest `lastmod` of its pages.
robots.txt names `sitemap.xml` and the Google News sitemap (`news_sitemap`).

There is no `sitemap.xml.gz` (MkDocs' theme made one): robots.txt and the index name the
plain files, so a compressed copy would be fetched by no one, and crawlers already get
sitemaps compressed in transit (Accept-Encoding); with an index, a copy per part would
double every file for nothing.

Without a site_url (absolute URLs are required by the protocol) only robots.txt is made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

from site_builder import vietnamese as vi
from site_builder.catalog.dates import latest
from site_builder.i18n import N_
from site_builder.outputs.base import Output, OutputContext, OutputPlan
from site_builder.routes import urls
from site_builder.routes.registry import Producer

MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_URLSET = (f'{_HEAD}<urlset xmlns="{NAMESPACE}">\n', "</urlset>\n")
_INDEX = (f'{_HEAD}<sitemapindex xmlns="{NAMESPACE}">\n', "</sitemapindex>\n")


def _lastmod(when: dt.datetime | None) -> str:
    return f"<lastmod>{vi.iso_date(when)}</lastmod>" if when is not None else ""


def url_entry(loc: str, modified: dt.datetime | None) -> str:
    """One `<url>` line of a sitemap."""
    return f"<url><loc>{escape(loc)}</loc>{_lastmod(modified)}</url>\n"


def split(entries: Sequence[str], max_urls: int = MAX_URLS, max_bytes: int = MAX_BYTES) -> list[range]:
    """Cut `entries` (`<url>` lines) into runs that each make one sitemap within the limits."""
    budget = max_bytes - len(_URLSET[0]) - len(_URLSET[1])
    runs: list[range] = []
    start = size = 0
    for i, entry in enumerate(entries):
        length = len(entry) if entry.isascii() else len(entry.encode("utf-8"))
        if i > start and (i - start >= max_urls or size + length > budget):
            runs.append(range(start, i))
            start, size = i, 0
        size += length
    runs.append(range(start, len(entries)))
    return runs


def sitemaps(base: str, page_urls: Sequence[str], modified: Mapping[str, dt.datetime],
             max_urls: int = MAX_URLS, max_bytes: int = MAX_BYTES) -> dict[str, bytes]:
    """`sitemap.xml` (and its parts past the limits) listing `page_urls` under the absolute `base`."""
    entries = [url_entry(base + url, modified.get(url)) for url in page_urls]
    runs = split(entries, max_urls, max_bytes)
    if len(runs) == 1:
        return {urls.SITEMAP: _xml(_URLSET, entries)}
    out: dict[str, bytes] = {}
    index = []
    for number, run in enumerate(runs, 1):
        path = urls.sitemap_part(number)
        out[path] = _xml(_URLSET, entries[run.start:run.stop])
        changed = latest(modified.get(url) for url in page_urls[run.start:run.stop])
        index.append(f"<sitemap><loc>{escape(base + path)}</loc>{_lastmod(changed)}</sitemap>\n")
    out[urls.SITEMAP] = _xml(_INDEX, index)
    return out


def sitemap_paths(page_urls: Sequence[str], max_urls: int = MAX_URLS, max_bytes: int = MAX_BYTES,
                  base: str = "", modified: Mapping[str, dt.datetime] | None = None) -> list[str]:
    """The files `sitemaps` makes for these pages (to claim them before they are written)."""
    modified = modified or {}
    longest = len(url_entry(base, dt.datetime(2000, 1, 1))) + 8  # an entry but its URL (+ a lastmod's "Z" room)
    if len(page_urls) <= max_urls and sum(len(u) * 6 for u in page_urls) + longest * len(page_urls) <= (
            max_bytes - len(_URLSET[0]) - len(_URLSET[1])):
        return [urls.SITEMAP]  # fits whatever the entries are (6: the most bytes a character of a URL takes, escaped)
    runs = split([url_entry(base + url, modified.get(url)) for url in page_urls], max_urls, max_bytes)
    if len(runs) == 1:
        return [urls.SITEMAP]
    return [urls.SITEMAP, *(urls.sitemap_part(n) for n in range(1, len(runs) + 1))]


def _xml(frame: tuple[str, str], lines: Sequence[str]) -> bytes:
    return (frame[0] + "".join(lines) + frame[1]).encode("utf-8")


def robots(base: str) -> bytes:
    """robots.txt: everything may be crawled; the sitemaps when the site has an address."""
    text = "User-agent: *\nAllow: /\n"
    if base:
        text += f"\nSitemap: {base}{urls.SITEMAP}\nSitemap: {base}{urls.NEWS_SITEMAP}\n"
    return text.encode("utf-8")


def _base(plan: OutputPlan) -> str:
    return plan.settings.site_url.rstrip("/") + "/" if plan.settings.site_url else ""


def _paths(plan: OutputPlan) -> list[str]:
    base = _base(plan)
    if not base:
        return [urls.ROBOTS]
    return [*sitemap_paths(plan.page_urls, base=base, modified=plan.page_modified), urls.ROBOTS]


def _files(context: OutputContext) -> list[tuple[str, bytes]]:
    base = _base(context)
    out = sitemaps(base, context.page_urls, context.page_modified) if base else {}
    out[urls.ROBOTS] = robots(base)
    return list(out.items())


OUTPUT = Output(Producer.generated(N_("the sitemap (sitemap.xml) and robots.txt")), _paths, _files)

"""sitemap.xml (+ .gz) listing every generated page, and robots.txt pointing at it."""

from __future__ import annotations

import gzip
import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from site_builder import vietnamese as vi
from site_builder.catalog import Catalog
from site_builder.i18n import N_
from site_builder.outputs.base import Output, OutputContext, OutputPlan
from site_builder.routes import urls
from site_builder.routes.registry import Producer

#: The files `files` may produce (claimed in the route registry before the build writes them).
PATHS = (urls.SITEMAP, urls.SITEMAP_GZ, urls.ROBOTS)


def files(site_url: str, page_urls: Sequence[str], catalog: Catalog) -> dict[str, bytes]:
    """sitemap.xml, sitemap.xml.gz and robots.txt by site path; `page_urls` are site-relative page URLs.

    Without a site_url (absolute URLs are required by the protocol) only robots.txt is made.
    """
    base = site_url.rstrip("/") + "/" if site_url else ""
    robots = "User-agent: *\nAllow: /\n"
    out: dict[str, bytes] = {}
    if base:
        robots += f"Sitemap: {base}{urls.SITEMAP}\n"
        modified = {s.url: s.updated or s.published_at for s in catalog.stories}
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        for url in page_urls:
            entry = f"<url><loc>{escape(base + url)}</loc>"
            if url in modified:
                entry += f"<lastmod>{vi.iso_date(modified[url])}</lastmod>"
            lines.append(entry + "</url>")
        lines.append("</urlset>\n")
        data = "\n".join(lines).encode("utf-8")
        out[urls.SITEMAP] = data
        buffer = io.BytesIO()
        with gzip.GzipFile(urls.SITEMAP, "wb", fileobj=buffer, mtime=0) as packed:  # the name goes in the header
            packed.write(data)
        out[urls.SITEMAP_GZ] = buffer.getvalue()
    out[urls.ROBOTS] = robots.encode("utf-8")
    return out


def _paths(plan: OutputPlan) -> tuple[str, ...]:
    return PATHS if plan.settings.site_url else (urls.ROBOTS,)


def _files(context: OutputContext) -> list[tuple[str, bytes]]:
    return list(files(context.settings.site_url, context.page_urls, context.catalog).items())


OUTPUT = Output(Producer.generated(N_("the sitemap (sitemap.xml) and robots.txt")), _paths, _files)

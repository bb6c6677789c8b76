"""sitemap.xml (+ .gz) listing every generated page, and robots.txt pointing at it."""

from __future__ import annotations

import gzip
from pathlib import Path
from xml.sax.saxutils import escape

from site_builder import vietnamese as vi
from site_builder.catalog import Catalog


def write_sitemap(site_dir: Path, site_url: str, urls: list[str], catalog: Catalog) -> None:
    """Write sitemap.xml, sitemap.xml.gz and robots.txt; `urls` are site-relative page URLs.

    Without a site_url (absolute URLs are required by the protocol) only robots.txt is written.
    """
    base = site_url.rstrip("/") + "/" if site_url else ""
    robots = "User-agent: *\nAllow: /\n"
    if base:
        robots += f"Sitemap: {base}sitemap.xml\n"
        modified = {s.url: s.updated or s.published_at for s in catalog.stories}
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        for url in urls:
            entry = f"<url><loc>{escape(base + url)}</loc>"
            if url in modified:
                entry += f"<lastmod>{vi.iso_date(modified[url])}</lastmod>"
            lines.append(entry + "</url>")
        lines.append("</urlset>\n")
        data = "\n".join(lines).encode("utf-8")
        (site_dir / "sitemap.xml").write_bytes(data)
        with gzip.GzipFile(site_dir / "sitemap.xml.gz", "wb", mtime=0) as out:
            out.write(data)
    (site_dir / "robots.txt").write_text(robots, encoding="utf-8")

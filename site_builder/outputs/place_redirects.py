"""Redirect pages from the place pages of places as written before the 2025 reform to today's.

Until the reform, a place page's address was made from the place as written
(`dia-phuong/vinh-phuc/xa-trung-my/`); place pages are now today's units
(`dia-phuong/phu-tho/xa-binh-tuyen/`). Each former address the content still names gets a
small page sending the reader (and search engines: canonical link, `noindex`) to the new one
(`Catalog.place_redirects`). A general redirect output for front-matter aliases may take these
pairs over; until then this is their producer.
"""

from __future__ import annotations

from markupsafe import escape

from site_builder.i18n import N_
from site_builder.outputs.base import Output, OutputContext, OutputPlan
from site_builder.routes import urls
from site_builder.routes.registry import Producer


def page(old_url: str, new_url: str, absolute: str) -> str:
    """The HTML of the redirect at `old_url` (site-relative) to `new_url`; `absolute` is the new
    page's full address, or "" without a site_url."""
    target = "../" * old_url.count("/") + new_url
    canonical = f'<link rel="canonical" href="{escape(absolute)}">' if absolute else ""
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        "<title>Trang đã chuyển</title>"
        '<meta name="robots" content="noindex">'
        f'<meta http-equiv="refresh" content="0; url={escape(target)}">{canonical}</head>'
        f'<body><p>Địa phương này nay có trang mới: <a href="{escape(target)}">{escape(target)}</a>.</p></body></html>\n'
    )


def _paths(plan: OutputPlan) -> list[str]:
    return [urls.output_path(old) for old, _new in plan.catalog.place_redirects()]


def _files(context: OutputContext) -> list[tuple[str, bytes]]:
    return [
        (urls.output_path(old), page(old, new, context.absolute(new)).encode("utf-8"))
        for old, new in context.catalog.place_redirects()
    ]


OUTPUT = Output(Producer.generated(N_("the redirects from former place pages (2025 reform)")), _paths, _files)

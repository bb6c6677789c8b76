"""Redirect pages: an old address that sends readers (and search engines) to where the page is now.

Each `Redirect` is an old path, its target and the producer that asked for it. The stories' and
profiles' `aliases:` are one source (`content_aliases`); another producer adds its own by
appending a function to `SOURCES` (the old place addresses of the 2025 reform, for instance).
Each redirect is claimed with its own producer, so an old address that collides with any other
output (a page, another old address, a theme file) stops the build naming both files.

A redirect page is a static file at exactly the old path (`urls.redirect_output`: a file when it
ends in .html or .htm, else a folder's index.html) with `rel=canonical`, an immediate meta
refresh, `noindex` and a visible link, so it works without any script. `redirect_rules` gives
the same list as (path, target) pairs, for web server rules (nginx 301s).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote

from site_builder.catalog import Catalog
from site_builder.i18n import N_
from site_builder.outputs.base import Output, OutputContext, OutputPlan
from site_builder.routes import urls
from site_builder.routes.registry import Producer
from site_builder.settings import SiteSettings

#: What the visible link says, by what moved (readers see it).
STORY_MOVED = "Bài viết đã chuyển tới"
PROFILE_MOVED = "Hồ sơ đã chuyển tới"
PAGE_MOVED = "Trang đã chuyển tới"


@dataclass(frozen=True)
class Redirect:
    """A page at `path` (site-relative, decoded: ``tin-tuc/x-1.html``, ``bai-viet/cu/``) sending
    readers to `target` (an absolute address), whose `title` the link shows after `notice`."""

    path: str
    target: str
    producer: Producer
    title: str
    notice: str = PAGE_MOVED

    @property
    def output(self) -> str:
        """The file written: the old path itself, or its folder's index.html."""
        return urls.redirect_output(self.path)


def target_url(plan: OutputPlan, url: str) -> str:
    """The address of the site-relative `url` a redirect sends to: absolute, or from the site's
    root when the site has no site_url (a preview)."""
    return plan.absolute(url) or "/" + url


def content_aliases(plan: OutputPlan) -> Iterator[Redirect]:
    """A redirect for each old address a published story or profile lists in `aliases:`."""
    for items, notice, title in ((plan.catalog.stories, STORY_MOVED, "title"),
                                 (plan.catalog.profiles, PROFILE_MOVED, "name")):
        for item in items:
            if not item.aliases:
                continue
            target = target_url(plan, item.url)
            for i, alias in enumerate(item.aliases):
                producer = Producer.alias_in(item.path, plan.root, f"aliases[{i}]", alias.line)
                yield Redirect(alias.path, target, producer, getattr(item, title), notice)


#: Where redirects come from; add a function here to publish more.
SOURCES: list[Callable[[OutputPlan], Iterable[Redirect]]] = [content_aliases]


def redirects(plan: OutputPlan) -> Iterator[Redirect]:
    """Every redirect of the site, source by source."""
    for source in SOURCES:
        yield from source(plan)


def redirect_rules(catalog: Catalog, settings: SiteSettings, root: Path | None = None) -> list[tuple[str, str]]:
    """(old path, target) for every redirect: the path from the site's root, decoded, starting with
    "/" (``/tin-tuc/x-1.html``, ``/bai-viet/cu/``), the target absolute; for web server rules."""
    plan = OutputPlan(catalog, settings, (), root=root)
    return [("/" + r.path, r.target) for r in redirects(plan)]


def page(redirect: Redirect) -> bytes:
    """The redirect page: canonical link, immediate refresh, noindex and a visible link; no script."""
    href = escape(_safe_url(redirect.target))
    title = escape(redirect.title or redirect.target)
    return (
        "<!doctype html>\n"
        '<html lang="vi">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{escape(redirect.notice)}: {title}</title>\n"
        f'<link rel="canonical" href="{href}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "</head>\n"
        "<body>\n"
        f'<p>{escape(redirect.notice)}: <a href="{href}">{title}</a></p>\n'
        "</body>\n"
        "</html>\n"
    ).encode("utf-8")


def _safe_url(url: str) -> str:
    """`url` with spaces, quotes and non-ASCII characters percent-encoded (its meaning unchanged), so
    that it reads the same in the refresh's `content` as in `href`."""
    return quote(url, safe="/:;?#[]@!$&()*+,=%~-._")


def _claims(plan: OutputPlan) -> Iterator[tuple[str, Producer]]:
    for redirect in redirects(plan):
        yield redirect.output, redirect.producer


def _files(context: OutputContext) -> Iterator[tuple[str, bytes]]:
    for redirect in redirects(context):
        yield redirect.output, page(redirect)


OUTPUT = Output(Producer.generated(N_("the redirect pages")), lambda plan: (), _files, claims=_claims)

"""Render PageSpecs to HTML with the theme's Jinja environment.

Speed matters (a page per story plus term pages): the page frame (Material's
header, section tabs, drawer, footer, scripts) is rendered once per URL depth
and active section as a *shell* with markers, and each page only renders its
<head> metadata and its content fragment. Story cards are rendered once per
story and URL depth. Links inside our templates are depth-relative (`rel`
filter), which is what makes shells and cards reusable.

Autoescaping is on for everything rendered here.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

import jinja2
from markupsafe import Markup, escape

from site_builder.images import picture_element, picture_html
from site_builder.pages import views
from site_builder.pages.generate import PageSpec

_MARK = "\ue000"
_MARKER_RE = re.compile(f"{_MARK}([A-Z]+){_MARK}")
_ABSOLUTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", re.IGNORECASE)


def base_url_for(url: str) -> str:
    """Relative path from the page at `url` to the site root: '.', '..', '../..'."""
    depth = url.count("/")
    return "/".join([".."] * depth) if depth else "."


def marker(name: str) -> Markup:
    return Markup(f"{_MARK}{name}{_MARK}")


@jinja2.pass_context
def rel_filter(context: Any, value: str) -> str:
    """Site-relative URL → URL relative to the page being rendered (depth-based)."""
    value = str(value)
    if _ABSOLUTE.match(value):
        return value
    if value in ("", ".", "./"):
        value = ""
    return f"{context['base_url']}/{value}"


@jinja2.pass_context
def picture(context: Any, photo: views.Photo, alt: str | None = None, sizes: str = "100vw",
            lead: bool = False) -> Markup:
    """`<picture>` of a photo view with page-relative URLs."""
    return Markup(picture_element(photo.image, photo.alt if alt is None else alt, lead=lead, sizes=sizes,
                                  url_base=context["base_url"] + "/"))


@jinja2.pass_context
def figure(context: Any, photo: views.Photo, sizes: str = "100vw", lead: bool = False) -> Markup:
    """`<figure>` (picture + caption + credit) of a photo view."""
    return Markup(picture_html(photo.image, photo.alt, photo.caption, photo.credit, lead=lead,
                               sizes=sizes, url_base=context["base_url"] + "/"))


class _PageView:
    """What Material's templates read from `page` for a generated page."""

    def __init__(self, url: str, title: str, canonical_url: str | None) -> None:
        self.url = url
        self.title = title
        self.meta: dict[str, Any] = {}
        self.canonical_url = canonical_url
        self.is_homepage = url == ""
        self.toc: list = []
        self.previous_page = None
        self.next_page = None
        self.edit_url = None
        self.ancestors: list = []
        self.content = ""


class _Shell:
    """A rendered frame split at its markers; `fill` joins it with per-page parts."""

    def __init__(self, html: str) -> None:
        self.parts = _MARKER_RE.split(html)  # even indexes: text; odd: marker names

    def fill(self, values: dict[str, str]) -> str:
        parts = self.parts
        return "".join(part if i % 2 == 0 else values[part] for i, part in enumerate(parts))


#: How gs/list.html shows its cards (`show_summary`, `card_heading`): the variant `warm_up` renders.
LIST_PAGE_CARD = {"summary": True, "heading": 2}


class PageRenderer:
    """Turns PageSpecs into HTML strings."""

    def __init__(self, env: jinja2.Environment, common: dict[str, Any], site_url: str, site_name: str,
                 site_description: str, prepare_env: Callable[[jinja2.Environment], None] | None = None) -> None:
        # No auto_reload: a renderer lives for one build, and checking every template's file
        # for changes on each of thousands of renders costs a stat() each.
        self.env = env.overlay(autoescape=True, auto_reload=False)
        self.env.filters = dict(env.filters)
        self.env.filters["rel"] = rel_filter
        self.env.globals = dict(env.globals)
        self.env.globals["render_card"] = self._render_card
        self.env.globals["list_item"] = self._list_item
        self.env.globals["picture"] = picture
        self.env.globals["figure"] = figure
        if prepare_env is not None:
            prepare_env(self.env)
        self.common = common
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.site_name = site_name
        self.site_description = site_description
        self._shells: dict[tuple[int, str], _Shell] = {}
        self._cards: dict[tuple[str, str, bool, int], Markup] = {}
        self._card_sources: dict[tuple[str, bool, int], str] = {}
        self._head = self.env.get_template("gs/head.html")
        self._card = self.env.get_template("gs/partials/card.html")
        self._item = self.env.get_template("gs/partials/list_item.html")
        self._items: dict[tuple[str, str], Markup] = {}
        self._item_sources: dict[str, str] = {}
        self.env.get_template("gs/shell.html")  # compile once, before any worker is forked

    def warm_up(self, templates: Iterable[str], cards: Iterable[views.StoryCard] = ()) -> None:
        """Compile `templates` and render the `cards` (as list pages and compact lists show
        them) now, so forked workers inherit them instead of each doing it again."""
        for name in templates:
            self.env.get_template(name)
        for card in cards:
            key = (card.url, LIST_PAGE_CARD["summary"], LIST_PAGE_CARD["heading"])
            if key not in self._card_sources:
                self._card_sources[key] = self._card.render(card=card, show_summary=key[1], heading=key[2],
                                                            base_url=marker("BASE"))
            if card.url not in self._item_sources:
                self._item_sources[card.url] = self._item.render(card=card, base_url=marker("BASE"))

    def _context(self, page: _PageView, data: views.Page | views.Shell) -> dict[str, Any]:
        ctx = dict(self.common)
        ctx["page"] = page
        ctx["base_url"] = base_url_for(page.url)
        ctx["gs"] = data
        return ctx

    def _shell(self, url: str, data: views.Page) -> _Shell:
        active = next((s.url for s in data.sections if s.active), "")
        key = (url.count("/"), active)
        shell = self._shells.get(key)
        if shell is None:
            page = _PageView(url, marker("PAGETITLE"), None)
            ctx = self._context(page, views.Shell(data.sections, data.site, marker))
            shell = self._shells[key] = _Shell(self.env.get_template("gs/shell.html").render(ctx))
        return shell

    @jinja2.pass_context
    def _render_card(self, context: Any, card: views.StoryCard, summary: bool = False, heading: int = 3) -> Markup:
        """A story card: rendered once per story, its links adjusted per URL depth."""
        base = context["base_url"]
        key = (card.url, base, summary, heading)
        html = self._cards.get(key)
        if html is None:
            source_key = (card.url, summary, heading)
            source = self._card_sources.get(source_key)
            if source is None:
                source = self._card_sources[source_key] = self._card.render(
                    card=card, show_summary=summary, heading=heading, base_url=marker("BASE")
                )
            html = self._cards[key] = Markup(source.replace(marker("BASE"), base))
        return html

    @jinja2.pass_context
    def _list_item(self, context: Any, card: views.StoryCard) -> Markup:
        """A story in a compact list ("Mới nhất", "Các tin khác"): rendered once per story and URL depth."""
        base = context["base_url"]
        key = (card.url, base)
        html = self._items.get(key)
        if html is None:
            source = self._item_sources.get(card.url)
            if source is None:
                source = self._item_sources[card.url] = self._item.render(card=card, base_url=marker("BASE"))
            html = self._items[key] = Markup(source.replace(marker("BASE"), base))
        return html

    def render(self, spec: PageSpec) -> str:
        canonical = self.site_url + spec.url if self.site_url else None
        page = _PageView(spec.url, spec.title, canonical)
        ctx = self._context(page, spec.page)
        if spec.url == "":
            full_title = f"{self.site_name} – {self.site_description}" if self.site_description else self.site_name
        else:
            full_title = f"{spec.title} – {self.site_name}"
        return self._shell(spec.url, spec.page).fill(
            {
                "HEAD": self._head.render(ctx),
                "TITLE": str(escape(full_title)),
                "PAGETITLE": str(escape(spec.title)),
                "BODY": self.env.get_template(spec.template).render(ctx),
            }
        )

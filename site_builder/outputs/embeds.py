"""Embed cards: `nhung/<slug>/` (a story as a small iframe-able card), its oEmbed JSON
(`nhung/<slug>/oembed.json`) and the cards' one style sheet (`nhung/nhung.css`).

A card has no script and no inline style (a strict Content-Security-Policy needs nothing for
it but `style-src 'self'` and `img-src 'self'`; it must be allowed in frames on any site), is
`noindex` (search engines should list the story, not its card), and links to the story with
`target="_top"`. All cards are rendered from one small template (`templates/embed.html`),
compiled once per process. Without a site_url (oEmbed needs absolute URLs) no oEmbed file is made.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

import jinja2

from site_builder.content.models import Story
from site_builder.i18n import N_
from site_builder.images import ProcessedImage
from site_builder.images.card_draw import CARD_HEIGHT, CARD_WIDTH
from site_builder.outputs.base import Output, OutputContext, OutputPlan
from site_builder.pages import present
from site_builder.routes import urls
from site_builder.routes.registry import Producer
from site_builder.settings import SiteSettings

#: The thumbnail of an oEmbed answer: the cover's JPEG variant nearest this width.
THUMBNAIL_WIDTH = 480


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.PackageLoader("site_builder.outputs", "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    return env.get_template("embed.html")


def style_sheet() -> bytes:
    return resources.files("site_builder.outputs").joinpath("templates", "nhung.css").read_bytes()


def oembed(story: Story, settings: SiteSettings, cover: ProcessedImage | None, card_url: str | None) -> dict[str, Any]:
    """The oEmbed answer (https://oembed.com/, type "rich") of a story: its card in an <iframe>."""
    data: dict[str, Any] = {
        "version": "1.0",
        "type": "rich",
        "html": present.embed_code(story, settings),
        "width": present.EMBED_WIDTH,
        "height": present.EMBED_HEIGHT,
        "title": story.title,
        "author_name": ", ".join(story.authors) or settings.organisation.name,
        "provider_name": settings.site_name,
        "provider_url": present.absolute(settings, urls.HOME),
    }
    if cover is not None:
        thumbnail = cover.fallback("jpeg", THUMBNAIL_WIDTH)
        data |= {"thumbnail_url": present.absolute(settings, thumbnail.url), "thumbnail_width": thumbnail.width,
                 "thumbnail_height": thumbnail.height}
    elif card_url:
        data |= {"thumbnail_url": present.absolute(settings, card_url), "thumbnail_width": CARD_WIDTH,
                 "thumbnail_height": CARD_HEIGHT}
    return data


def _paths(plan: OutputPlan) -> Iterator[str]:
    yield urls.EMBED_CSS
    for story in plan.catalog.stories:
        yield urls.output_path(urls.embed(story.slug))
        if plan.settings.site_url:
            yield urls.oembed(story.slug)


def _files(context: OutputContext) -> Iterator[tuple[str, bytes]]:
    template, catalog, settings = _template(), context.catalog, context.settings
    yield urls.EMBED_CSS, style_sheet()
    for story in catalog.stories:
        cover = context.photo(story.cover)
        card = present.embed_card(story, catalog, settings, cover)
        yield urls.output_path(urls.embed(story.slug)), template.render(card=card).encode("utf-8")
        if settings.site_url:
            answer = oembed(story, settings, cover, context.card_urls.get(story.slug))
            yield urls.oembed(story.slug), json.dumps(answer, ensure_ascii=False).encode("utf-8")


OUTPUT = Output(Producer.generated(N_("the stories' embed cards and their oEmbed files (nhung/)")), _paths, _files)

"""Embed cards: `nhung/<slug>/` (a story as a small iframe-able card), its oEmbed JSON
(`nhung/<slug>/oembed.json`) and the cards' one style sheet (`nhung/nhung.css`).

A card has no script and no inline style (a strict Content-Security-Policy needs nothing for
it but `style-src 'self'` and `img-src 'self'`; it must be allowed in frames on any site), is
`noindex` (search engines should list the story, not its card), and links to the story with
`target="_top"`. A card's HTML is written by `card_html`, every value escaped (a format string:
a Jinja template cost twice as much, thousands of times per build). Without a site_url (oEmbed
needs absolute URLs) no oEmbed file is made.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from typing import Any

import orjson
from markupsafe import escape

from site_builder.content.models import Story
from site_builder.i18n import N_
from site_builder.images import ProcessedImage
from site_builder.images.card_draw import CARD_HEIGHT, CARD_WIDTH
from site_builder.outputs.base import Output, OutputContext, OutputPlan
from site_builder.pages import present
from site_builder.pages.views import EmbedCard
from site_builder.routes import urls
from site_builder.routes.registry import Producer
from site_builder.settings import SiteSettings

#: The thumbnail of an oEmbed answer: the cover's JPEG variant nearest this width.
THUMBNAIL_WIDTH = 480


_CARD = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>{title} – {site_name}</title>
<link rel="stylesheet" href="{css}">
</head>
<body>
<article class="gs-embed">
{photo}<div class="gs-embed__text">
<p class="gs-embed__kicker">{kind} · <time datetime="{iso}">{date}</time></p>
<h1 class="gs-embed__title"><a href="{url}" target="_top">{title}</a></h1>
<p class="gs-embed__summary">{summary}</p>
<p class="gs-embed__credit">{credit}<a href="{home}" target="_top">{site_name}</a></p>
</div>
</article>
</body>
</html>"""

_PHOTO = ('<a class="gs-embed__photo" href="{url}" target="_top" tabindex="-1" aria-hidden="true"><picture>{webp}'
          '<img src="{src}" srcset="{srcset}" sizes="200px" width="{width}" height="{height}" alt="{alt}"></picture></a>\n')
_WEBP = '<source type="image/webp" srcset="{srcset}" sizes="200px">'


def card_html(card: EmbedCard) -> str:
    """A story's embed card: a whole HTML document, with no script and no inline style."""
    photo = ""
    if card.image is not None:
        image = card.image
        webp = _WEBP.format(srcset=escape(image.webp_srcset)) if image.webp_srcset else ""
        photo = _PHOTO.format(url=escape(card.url), webp=webp, src=escape(image.src), srcset=escape(image.srcset),
                              width=image.width, height=image.height, alt=escape(image.alt))
    return _CARD.format(
        title=escape(card.title), site_name=escape(card.site_name), css=escape(card.css), photo=photo,
        kind=escape(card.kind), iso=escape(card.iso), date=escape(card.date), url=escape(card.url),
        summary=escape(card.summary), credit=f"{escape(card.credit)} · " if card.credit else "", home=escape(card.home),
    )


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
    catalog, settings = context.catalog, context.settings
    yield urls.EMBED_CSS, style_sheet()
    for story in catalog.stories:
        cover = context.photo(story.cover)
        card = present.embed_card(story, catalog, settings, cover)
        yield urls.output_path(urls.embed(story.slug)), card_html(card).encode("utf-8")
        if settings.site_url:
            answer = oembed(story, settings, cover, context.card_urls.get(story.slug))
            yield urls.oembed(story.slug), orjson.dumps(answer)


OUTPUT = Output(Producer.generated(N_("the stories' embed cards and their oEmbed files (nhung/)")), _paths, _files)

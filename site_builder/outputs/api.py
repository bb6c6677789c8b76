"""The JSON API: static files for newsrooms and aggregators (documented on the press page, /bao-chi/).

| file                          | what                                                              |
|-------------------------------|-------------------------------------------------------------------|
| ``api/stories.json``          | page 1 of every published story, newest first                     |
| ``api/stories/page/<n>.json`` | page n; `api_per_page` stories a page (`page`, `pages`, `next`...) |
| ``api/stories/<slug>.json``   | one story, as in the lists, plus `body_html`                      |
| ``api/taxonomies.json``       | every taxonomy, its terms with names, URLs and story counts       |

Every file has `version` (`VERSION`, raised when a field changes meaning or goes away) and
`site`; every URL is absolute, so the files need the site's address (without `site_url`
there is no API). A story's data is made once and used by its page of the list and its own file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from site_builder import vietnamese as vi
from site_builder.catalog import Catalog, TermEntry
from site_builder.content.models import Photo, Story
from site_builder.i18n import N_
from site_builder.images.settings import MIME_TYPES
from site_builder.images.card_draw import CARD_HEIGHT, CARD_WIDTH
from site_builder.outputs.base import Output, OutputContext, OutputPlan
from site_builder.pages.present import byline
from site_builder.routes import urls
from site_builder.routes.registry import Producer
from site_builder.settings import SiteSettings

VERSION = 1
LANGUAGE = "vi"


def page_count(stories: int, per_page: int) -> int:
    """Pages of the list of `stories` stories (one, maybe empty, at least)."""
    return max(1, -(-stories // per_page))


def _paths(plan: OutputPlan) -> Iterator[str]:
    if not plan.settings.site_url:
        return
    for number in range(1, page_count(len(plan.catalog.stories), plan.settings.api_per_page) + 1):
        yield urls.api_stories(number)
    for story in plan.catalog.stories:
        yield urls.api_story(story.slug)
    yield urls.API_TAXONOMIES


def site_data(settings: SiteSettings) -> dict[str, str]:
    return {"name": settings.site_name, "url": settings.site_url, "language": LANGUAGE,
            "publisher": settings.organisation.name}


def _term(entry: TermEntry | None, plan: OutputPlan) -> dict[str, str] | None:
    if entry is None:
        return None
    return {"key": entry.key, "name": entry.name, "url": plan.absolute(entry.url)}


def _photo(photo: Photo | None, context: OutputContext) -> dict[str, Any] | None:
    image = context.photo(photo)
    if photo is None or image is None:
        return None
    return {
        "alt": photo.alt, "caption": photo.caption, "credit": photo.credit,
        "variants": [{"url": context.absolute(v.url), "width": v.width, "height": v.height,
                      "type": MIME_TYPES[v.format]} for v in image.variants],
    }


def story_data(story: Story, context: OutputContext) -> dict[str, Any]:
    """A story as the API lists it (its own file adds `body_html`)."""
    catalog: Catalog = context.catalog
    terms = catalog.story_terms(story)
    absolute = context.absolute
    place = None
    if story.place is not None:
        main = terms.commune or terms.province
        place = {"label": story.place.label, "province": story.place.province, "district": story.place.district,
                 "commune": story.place.commune, "url": absolute(main.url) if main else None}
    source = None
    if story.source is not None:
        source = {"outlet": story.source.outlet, "url": story.source.url or None,
                  "date": story.source.date.isoformat() if story.source.date else None}
    card = context.card_urls.get(story.slug)
    return {
        "slug": story.slug,
        "url": absolute(story.url),
        "api_url": absolute(urls.api_story(story.slug)),
        "title": story.title,
        "summary": story.summary,
        "date_published": vi.iso_date(story.published_at),
        "date_updated": vi.iso_date(story.updated) if story.updated else None,
        "kind": _term(terms.kind, context),
        "place": place,
        "fields": [_term(t, context) for t in terms.fields],
        "organisation": _term(terms.organisation, context),
        "campaign": _term(terms.campaign, context),
        "tags": [_term(t, context) for t in terms.tags],
        "people": [{"name": p.name, "role": p.role, "birth_year": p.person.birth_year,
                    "profile_url": absolute(p.url) if p.url else None} for p in terms.people],
        "recognition": [{"title": r.title, "year": r.year,
                         "level": catalog.vocab_name("recognition_levels", r.level)} for r in story.recognition],
        "cover": _photo(story.cover, context),
        "social_card": {"url": absolute(card), "width": CARD_WIDTH, "height": CARD_HEIGHT,
                        "type": MIME_TYPES["jpeg"]} if card else None,
        "credits": {"byline": byline(story), "authors": list(story.authors), "photographer": story.photographer,
                    "source": source, "publisher": context.settings.organisation.name,
                    "site": context.settings.site_name},
    }


def _terms(entries: tuple[TermEntry, ...], plan: OutputPlan) -> list[dict[str, Any]]:
    return [{"key": t.key, "name": t.name, "url": plan.absolute(t.url), "count": t.count,
             "children": _terms(t.children, plan)} for t in entries]


def taxonomies_data(plan: OutputPlan) -> dict[str, Any]:
    return {
        "version": VERSION,
        "site": site_data(plan.settings),
        "taxonomies": [{"name": name, "label": tax.label, "url": plan.absolute(tax.url), "terms": _terms(tax.terms, plan)}
                       for name, tax in plan.catalog.taxonomies.items()],
    }


def dumps(data: Any) -> bytes:
    """Compact UTF-8 JSON, Vietnamese as written (not \\u escapes). orjson, because the standard
    library's `json` spent 0.9 s on the API of 2,000 synthetic stories (Vietnamese text and HTML
    bodies) where orjson takes a tenth of that (`bench/outputs.py`)."""
    return orjson.dumps(data)


def _files(context: OutputContext) -> Iterator[tuple[str, bytes]]:
    settings = context.settings
    if not settings.site_url:
        return
    site = site_data(settings)
    stories = context.catalog.stories
    listed = [story_data(story, context) for story in stories]
    per_page = settings.api_per_page
    pages = page_count(len(listed), per_page)

    def page_url(number: int) -> str | None:
        return context.absolute(urls.api_stories(number)) if 1 <= number <= pages else None

    for number in range(1, pages + 1):
        yield urls.api_stories(number), dumps({
            "version": VERSION, "site": site,
            "page": number, "pages": pages, "per_page": per_page, "total": len(listed),
            "first": page_url(1), "last": page_url(pages), "prev": page_url(number - 1), "next": page_url(number + 1),
            "stories": listed[(number - 1) * per_page: number * per_page],
        })
    for story, data in zip(stories, listed):
        yield urls.api_story(story.slug), dumps({"version": VERSION, "site": site, **data,
                                                 "body_html": context.story_body(story)})
    yield urls.API_TAXONOMIES, dumps(taxonomies_data(context))


OUTPUT = Output(Producer.generated(N_("the JSON API (api/)")), _paths, _files)

"""The view of "Dành cho báo chí" (/bao-chi/): feeds, sitemaps, the JSON API, embeds, credits.

Every example is real: built from the site's address and its newest story (its field, its place,
a profile it names). A part whose files this build does not make (`built` says, from the route
registry: no feeds, no embeds, no API without a site_url) is left out, so the page never
points to a missing file.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from markupsafe import escape

from site_builder.catalog import Catalog, TermEntry
from site_builder.content.models import Story
from site_builder.outputs.api import VERSION
from site_builder.pages import views
from site_builder.pages.present import absolute, byline
from site_builder.routes import urls
from site_builder.settings import SiteSettings

#: feed kind (`urls.FEED_FILES`) -> its format's name
FEED_FORMATS = {"rss": "RSS 2.0", "atom": "Atom 1.0", "json": "JSON Feed 1.1"}

Built = Callable[[str], bool]  # whether the build makes this file (site path)


def press_view(catalog: Catalog, settings: SiteSettings, built: Built) -> views.Press:
    link = lambda url: absolute(settings, url)  # noqa: E731
    story = catalog.stories[0] if catalog.stories else None
    embed = urls.embed(story.slug) if story is not None else ""
    embed_built = bool(embed) and built(urls.output_path(embed))
    api_built = built(urls.API_STORIES)
    return views.Press(
        site_name=settings.site_name,
        site_url=link(urls.HOME),
        feeds=_feeds(catalog, story, built, link),
        sitemap_url=link(urls.SITEMAP) if built(urls.SITEMAP) else "",
        news_sitemap_url=link(urls.NEWS_SITEMAP) if built(urls.NEWS_SITEMAP) else "",
        api_files=_api_files(story, link, built, settings.api_per_page) if api_built else (),
        api_per_page=settings.api_per_page,
        api_version=VERSION,
        api_examples=_api_examples(story, link) if api_built else (),
        story_title=story.title if story else "",
        story_url=link(story.url) if story else "",
        embed_url=link(embed) if embed_built else "",
        embed_code=_embed_code(story, link(embed)) if story is not None and embed_built else None,
        credit=credit_line(story, settings.site_name, link(story.url)) if story else "",
    )


def _feeds(catalog: Catalog, story: Story | None, built: Built, link) -> tuple[views.Feeds, ...]:
    """The site's feeds, then those of the example story's field, place and first profile."""
    lists: list[tuple[str, str]] = [("Toàn bộ bài viết", urls.HOME)]
    if story is not None:
        terms = catalog.story_terms(story)
        named: list[tuple[str, TermEntry | None]] = [
            ("Lĩnh vực", terms.fields[0] if terms.fields else None),
            ("Địa phương", terms.province),
        ]
        lists += [(f"{label}: {term.name}", term.url) for label, term in named if term is not None]
        person = next((p for p in terms.people if p.url), None)
        if person is not None and person.url:
            lists.append((f"Hồ sơ: {person.name}", person.url))
    out = []
    for name, url in lists:
        formats = tuple(views.Link(FEED_FORMATS[kind], link(urls.feed(url, kind)))
                        for kind in FEED_FORMATS if built(urls.feed(url, kind)))
        if formats:
            out.append(views.Feeds(name, link(url), formats))
    return tuple(out)


def _api_files(story: Story | None, link, built: Built, per_page: int) -> tuple[views.ApiFile, ...]:
    files = [
        views.ApiFile(link(urls.api_stories(1)), "Mọi bài viết đã đăng, mới nhất trước: trang 1 của danh sách."),
        views.ApiFile(link(urls.api_stories(2)),
                      f"Trang 2 (rồi 3, 4...) của danh sách khi có hơn {per_page} bài; địa chỉ trang sau luôn nằm "
                      "ở trường next.", link=built(urls.api_stories(2))),
    ]
    if story is not None:
        files.append(views.ApiFile(link(urls.api_story(story.slug)),
                                   "Một bài viết với toàn bộ nội dung (trường body_html), ví dụ bài mới nhất."))
    files.append(views.ApiFile(link(urls.API_TAXONOMIES),
                               "Các cách phân loại (loại bài, lĩnh vực, đơn vị, phong trào, địa phương, thẻ, lưu trữ) "
                               "với tên, địa chỉ và số bài của từng mục."))
    return tuple(files)


def _api_examples(story: Story | None, link) -> tuple[views.Code, ...]:
    first = link(urls.api_stories(1))
    examples = [views.Code("Tải trang đầu danh sách bài viết (curl)", "bash", f"curl -s {first}")]
    if story is not None:
        examples.append(views.Code("Tải một bài viết (curl)", "bash", f"curl -s {link(urls.api_story(story.slug))}"))
    examples.append(views.Code(
        "Đọc mọi bài viết, hết trang này sang trang khác (JavaScript)", "js",
        f"let url = {json.dumps(first)};\n"
        "while (url) {\n"
        "  const page = await (await fetch(url)).json();\n"
        "  for (const story of page.stories) {\n"
        "    console.log(story.date_published, story.title, story.url);\n"
        "  }\n"
        "  url = page.next;  // null ở trang cuối\n"
        "}",
    ))
    return tuple(examples)


def _embed_code(story: Story, url: str) -> views.Code:
    title = str(escape(story.title))  # an attribute of the code the reader copies
    return views.Code("Mã nhúng", "html",
                      f'<iframe src="{url}" title="{title}" width="100%" height="480" '
                      'style="border:0;max-width:640px" loading="lazy"></iframe>')


def credit_line(story: Story, site_name: str, url: str) -> str:
    """How a reprint credits the story: its title, byline, the site and the address."""
    parts = [f"Theo {site_name}: “{story.title}”"]
    written = byline(story)
    if written:
        parts.append(written)
    parts.append(url)
    return ", ".join(parts)

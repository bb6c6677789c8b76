"""`site-builder` without what the press issue (feeds, sitemaps for news, JSON API, embeds,
redirects, full structured data) added to a build: `python bench/without_press.py build`.

For `bench/build.py --press`, which times the build with and without them on the same project to
give what they cost. Leaves out, on the same code:
  * the outputs: the feeds, the Google News sitemap, the JSON API, the publisher's logo, the
    embed cards and their oEmbed files, the redirect pages of `aliases:`;
  * on the pages: the feed links (<head> and the "Theo dõi" menu), the "Trích dẫn" line, the embed
    code, the oEmbed link, `article:tag`, every page's `BreadcrumbList`, the profiles' `Person` /
    `Organization`, and the `NewsArticle` properties the issue added (its JSON-LD is made as before
    the issue: headline, description, dates, language, page, authors, publisher, image).
The sitemap and robots.txt stay (they were there before), and so does the one press page.
Anything renamed in the build makes this script fail loudly (AttributeError), never measure less.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def strip() -> None:
    """Patch the build's modules in this process (nothing on disk changes)."""
    from markupsafe import Markup

    from site_builder import build, outputs
    from site_builder import vietnamese as vi
    from site_builder.outputs import api, embeds, feeds, logo, news_sitemap, redirects
    from site_builder.pages import generate, present, schema_org

    dropped = {id(module.OUTPUT) for module in (feeds, news_sitemap, api, logo, embeds, redirects)}
    kept = tuple(output for output in outputs.OUTPUTS if id(output) not in dropped)
    assert len(kept) == len(outputs.OUTPUTS) - len(dropped)
    outputs.OUTPUTS = build.OUTPUTS = kept

    generate.PageGenerator._feeds = lambda self, source: ()
    generate.PageGenerator._site_feeds = property(lambda self: ())
    present.citation = lambda story, settings: ""
    present.embed_code = lambda story, settings: ""
    present.breadcrumbs_json_ld = lambda settings, crumbs: Markup("")
    present.profile_json_ld = lambda *args, **kwargs: Markup("")

    story_view = present.story_view

    def plain_story_view(*args, **kwargs):
        return dataclasses.replace(story_view(*args, **kwargs), keywords=(), oembed_url="")

    present.story_view = plain_story_view

    def news_article(story, catalog, settings, images, published=""):
        by = {"@type": "Organization", "name": settings.organisation.name}
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story.title,
            "description": story.summary,
            "datePublished": published or vi.iso_date(story.published_at),
            "dateModified": vi.iso_date(story.updated or story.published_at),
            "inLanguage": "vi",
            "mainEntityOfPage": schema_org._url(settings, story.url),
            "author": [{"@type": "Person", "name": a} for a in story.authors] or by,
            "publisher": by,
        }
        if images:
            data["image"] = [images[0]["url"]]
        return data

    schema_org.news_article = news_article


def main() -> None:
    strip()
    from site_builder.cli import main as site_builder

    sys.exit(site_builder(sys.argv[1:]))


if __name__ == "__main__":
    main()

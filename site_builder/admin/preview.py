"""The body of a story as the site shows it, for the editor's preview pane.

The body is rendered by the site's own Markdown renderer (`markdown_render`: the same figures,
galleries, attribute lists and refusals as a build), its photos shown from their previews
(`/admin/anh/...`) instead of the published variants, which a build makes.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from site_builder.markdown_render import MarkdownRenderer, fill


class _PreviewPhotos:
    """`markdown_render.PhotoHtml` with the editor's previews of the photos."""

    def __init__(self, images_dir: str) -> None:
        self.images_dir = images_dir

    def _src(self, src: str) -> str:
        return f"/admin/anh/{quote(self.images_dir)}/{quote(src)}?w=960"

    def figure(self, src: str, alt: str, caption: str, url_base: str) -> str:
        caption_html = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
        return (f'<figure class="photo"><img src="{escape(self._src(src))}" alt="{escape(alt)}" '
                f'loading="lazy">{caption_html}</figure>')

    def gallery(self, items: list[tuple[str, str, str]], url_base: str) -> str:
        return '<div class="gallery">' + "".join(self.figure(*item, url_base) for item in items) + "</div>"

    def inline(self, src: str, url_base: str) -> dict[str, str]:
        return {"src": self._src(src)}


def body_html(body: str, images_dir: str) -> tuple[str, list[str]]:
    """(the body's HTML, its problems as messages)."""
    parsed = MarkdownRenderer(photo_folder=images_dir).parse(body)
    return fill(parsed, _PreviewPhotos(images_dir), ""), [p.message for p in parsed.problems]

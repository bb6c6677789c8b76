"""Story and profile bodies: Markdown to HTML, one reusable converter per process.

Raw HTML in bodies is not trusted: it is escaped and shown as text, so a pasted
`<script>` can never run on the site; event-handler and style attributes are
dropped and only http(s), mailto:, tel: and relative links are kept.

Photos: a paragraph holding only one image becomes a `<figure>` (the image's
Markdown title is its caption); a paragraph of several images (one per line)
becomes a gallery. Images inside running text get the processed file and size.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from typing import Callable, Protocol

import markdown
from markdown.treeprocessors import Treeprocessor

# Tables, {: attributes}, footnotes and stricter lists: what news articles use; each extension costs time per story.
_EXTENSIONS = ["tables", "attr_list", "footnotes", "sane_lists"]


class PhotoHtml(Protocol):
    """Builds HTML for local photos; returns None for a src it does not know (left as is)."""

    def figure(self, src: str, alt: str, caption: str, url_base: str) -> str | None: ...

    def gallery(self, items: list[tuple[str, str, str]], url_base: str) -> str | None: ...

    def inline(self, src: str, url_base: str) -> dict[str, str] | None: ...


_SAFE_URL = re.compile(r"^(?:https?:|mailto:|tel:|#|\?|/|\./|\.\./|[^:/?#]+(?:[/?#]|$))", re.IGNORECASE)


class _Sanitizer(Treeprocessor):
    """Bodies are text, not code: no event handlers or inline styles (from `{: attr}`),
    and links/images only to http(s), mailto:, tel: or relative addresses."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for name in list(element.attrib):
                lowered = name.lower()
                if lowered.startswith("on") or lowered in ("style", "srcdoc", "formaction"):
                    del element.attrib[name]
            for name in ("href", "src"):
                value = element.get(name)
                if value is not None and not _SAFE_URL.match(_as_browser_reads(value)):
                    del element.attrib[name]


def _as_browser_reads(url: str) -> str:
    """The URL after entity decoding, without the whitespace/control characters browsers ignore."""
    return re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url))


def _only_images(p: etree.Element) -> list[etree.Element]:
    """The images of a paragraph made of images alone (else [])."""
    children = list(p)
    if not children or (p.text or "").strip():
        return []
    if any(c.tag != "img" or (c.tail or "").strip() for c in children):
        return []
    return children


class _PhotoProcessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, renderer: "MarkdownRenderer") -> None:
        super().__init__(md)
        self.renderer = renderer

    def run(self, root: etree.Element) -> None:
        photos = self.renderer.photos
        if photos is None:
            return
        base = self.renderer.url_base
        for p in root.iter("p"):
            images = _only_images(p)
            html = None
            if len(images) == 1:
                img = images[0]
                html = photos.figure(img.get("src", ""), img.get("alt", ""), img.get("title", ""), base)
            elif len(images) > 1:
                items = [(i.get("src", ""), i.get("alt", ""), i.get("title", "")) for i in images]
                html = photos.gallery(items, base)
            if html is not None:
                p.clear()
                p.text = self.md.htmlStash.store(html)
        for img in root.iter("img"):
            attrs = photos.inline(img.get("src", ""), base)
            if attrs:
                for name, value in attrs.items():
                    img.set(name, value)
                img.set("loading", "lazy")
                img.set("decoding", "async")


# What any inline pattern of our converter needs to see in a text to match it: code, escapes,
# links/images/footnotes, autolinks, entities, emphasis, hard line breaks, {: attributes} and
# the converter's own placeholders.
_INLINE_TRIGGERS = ("`", "\\", "[", "<", "&", "*", "_", "  \n", "{", "\x02", "\x03")


class _PlainText(Treeprocessor):
    """Marks texts in which no inline pattern can match as done, so the inline processor skips
    them: most paragraphs of a news story are plain prose, and trying every pattern on every
    text node is most of the time Python-Markdown spends on them. The output is unchanged."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.text and _is_plain(element.text):
                element.text = markdown.util.AtomicString(element.text)
            if element.tail and _is_plain(element.tail):
                element.tail = markdown.util.AtomicString(element.tail)


def _is_plain(text: str) -> bool:
    return not isinstance(text, markdown.util.AtomicString) and not any(t in text for t in _INLINE_TRIGGERS)


class MarkdownRenderer:
    """Converts Markdown text to HTML; reuses one `markdown.Markdown` (creating one is costly)."""

    def __init__(self, photos: PhotoHtml | None = None) -> None:
        self.photos = photos
        self.url_base = ""
        self._md = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
        # Escape raw HTML instead of passing it through.
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")
        self._md.treeprocessors.register(_PlainText(self._md), "gs-plain-text", 21)  # just before "inline" (20)
        self._md.treeprocessors.register(_Sanitizer(self._md), "gs-sanitize", 6)
        self._md.treeprocessors.register(_PhotoProcessor(self._md, self), "gs-photos", 5)

    def convert(self, text: str, url_base: str = "") -> str:
        """Return the HTML for `text`; photo URLs are prefixed with `url_base` (the page's way to the site root)."""
        self.url_base = url_base
        try:
            return self._md.convert(text)
        finally:
            self._md.reset()


RenderMarkdown = Callable[[str, str], str]

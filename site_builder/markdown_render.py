"""Story and profile bodies: Markdown to HTML with one reusable converter per process.

A body is parsed once (`MarkdownRenderer.parse`) into a `ParsedBody`: its HTML with a slot
for each photo, the photos it uses (found by the same parser that renders it: every form of
Markdown image, with `<paths with spaces>`, any title quoting, reference images, `]` in
the alt text), and its problems. The photos are put in their slots when the page is
rendered (`fill`), once they are processed.

Bodies are text, not code:
- raw HTML is escaped and shown as text, so a pasted `<script>` can never run;
- links keep only http(s), mailto:, tel: and relative targets;
- `{: ...}` attribute lists may set only `class` (the theme's body classes, `BODY_CLASSES`),
  `id` (not one the page uses, not twice) and `width`/`height` on images: anything else is a
  problem, reported with its line and left out;
- photos must be files of the site's photo folder: a photo from another website (a
  third-party request, a tracking pixel) is a problem.

Photos: a paragraph holding only one image becomes a `<figure>` (the image's Markdown title
is its caption); a paragraph of several images (one per line) becomes a gallery. Images
inside running text get the processed file and size.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Protocol

import markdown
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.treeprocessors import Treeprocessor

from site_builder.i18n import N_, _

# Tables, {: attributes}, footnotes and stricter lists: what news articles use; each extension costs time per story.
_EXTENSIONS = ["tables", "attr_list", "footnotes", "sane_lists"]

#: Classes an editor may give a block in a body (`{: .ghi-chu }`), styled by the theme
#: (themes/guong-sang/assets/guong-sang.css), with what each is for.
BODY_CLASSES: dict[str, str] = {
    "ghi-chu": N_("a boxed note"),
    "trich-dan": N_("a highlighted quotation"),
    "can-giua": N_("centred text"),
    "chu-nho": N_("small print"),
}

#: Element ids the story and profile pages use themselves (themes/guong-sang/gs/*.html, Material's
#: frame); a body may not take them. Ids starting with these prefixes are the page's too.
PAGE_IDS = frozenset({"bai-viet", "nhan-vat", "moi-nhat", "cac-tin-khac", "bai-viet-lien-quan", "noi-bat",
                      "so-lieu", "gs-header-q", "gs-footer-links", "gs-search-q", "gs-search-hint",
                      "gs-ma-nhung", "gs-theo-doi", "gs-so-do-trang", "gs-du-lieu", "gs-nhung-bai", "gs-ghi-nguon"})
PAGE_ID_PREFIXES = ("gs-", "md-", "__", "lv-", "nhom-", "fn", "fnref")
_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
_SIZE = re.compile(r"[1-9][0-9]{0,3}")

_SLOT = re.compile(r'<(?:div|img) data-gs-photo="(\d+)"(?:></div>|>)')
_OTHER_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.IGNORECASE)
_PAREN_TITLE = re.compile(r"^(\S.*?)\s+\((.*)\)$")  # CommonMark's ![a](src (title)), which Python-Markdown leaves in src


class PhotoHtml(Protocol):
    """Builds HTML for local photos; returns None for a src it does not know."""

    def figure(self, src: str, alt: str, caption: str, url_base: str) -> str | None: ...

    def gallery(self, items: list[tuple[str, str, str]], url_base: str) -> str | None: ...

    def inline(self, src: str, url_base: str) -> dict[str, str] | None: ...


@dataclass(frozen=True)
class BodyImage:
    """A photo written in a body; `line` is 0-based within the body."""

    src: str
    alt: str
    title: str
    line: int


@dataclass(frozen=True)
class PhotoSlot:
    """Where photos go in a body's HTML: a figure, a gallery or an image in running text."""

    kind: str  # "figure" | "gallery" | "inline"
    images: tuple[int, ...]  # indexes into ParsedBody.images
    width: str = ""  # an inline image's size as the editor set it ({: width=...})
    height: str = ""


@dataclass(frozen=True)
class BodyProblem:
    """A problem in a body; `line` is 0-based within the body."""

    line: int
    message: str


@dataclass(frozen=True)
class ParsedBody:
    """A body parsed once: HTML with photo slots, its photos and its problems."""

    html: str
    images: tuple[BodyImage, ...] = ()
    slots: tuple[PhotoSlot, ...] = ()
    problems: tuple[BodyProblem, ...] = ()


_SAFE_URL = re.compile(r"^(?:https?:|mailto:|tel:|#|\?|/|\./|\.\./|[^:/?#]+(?:[/?#]|$))", re.IGNORECASE)


def _as_browser_reads(url: str) -> str:
    """The URL after entity decoding, without the whitespace/control characters browsers ignore."""
    return re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url))


class _Sanitizer(Treeprocessor):
    """Bodies are text, not code: no event handlers or inline styles, and links only to
    http(s), mailto:, tel: or relative addresses (attribute lists are filtered before)."""

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


class _Collector:
    """What one parse found: photos, slots, problems (reset for each body)."""

    def __init__(self) -> None:
        self.images: list[BodyImage] = []
        self.slots: list[PhotoSlot] = []
        self.problems: list[tuple[str, str]] = []  # (text to find the line by, message)
        self.ids: set[str] = set()
        self.source = ""


class _CheckedAttrList(AttrListTreeprocessor):
    """Python-Markdown's attribute lists, keeping only what bodies may set (see the module docstring)."""

    def __init__(self, md: markdown.Markdown, found: _Collector) -> None:
        super().__init__(md)
        self.found = found

    def assign_attrs(self, elem: etree.Element, attrs_string: str, *, strict: bool = False) -> str:
        wanted = etree.Element(elem.tag)
        remainder = super().assign_attrs(wanted, attrs_string, strict=strict)
        if strict and remainder:
            return remainder
        for name, value in wanted.attrib.items():
            problem = self._check(elem.tag, name, value)
            if problem:
                self.found.problems.append((attrs_string, problem))
                continue
            if name == "class" and elem.get("class"):
                value = f"{elem.get('class')} {value}"
            elem.set(name, value)
        return remainder

    def _check(self, tag: str, name: str, value: str | None) -> str | None:
        value = value or ""
        if name == "class":
            unknown = [c for c in value.split() if c not in BODY_CLASSES]
            if unknown:
                choices = ", ".join(f".{c} ({_(what)})" for c, what in BODY_CLASSES.items())
                return _("class {name!r} is not one of the theme's classes for texts: use one of {choices}").format(
                    name="." + unknown[0], choices=choices)
            return None
        if name == "id":
            if not _ID.fullmatch(value):
                return _("id {value!r}: use only lowercase letters a-z (without accents), digits and hyphens").format(
                    value=value)
            if value in PAGE_IDS or value.startswith(PAGE_ID_PREFIXES):
                return _("id {value!r} is used by the page itself: choose another id").format(value=value)
            if value in self.found.ids:
                return _("id {value!r} is used twice in this text: change one of them").format(value=value)
            self.found.ids.add(value)
            return None
        if name in ("width", "height") and tag == "img":
            return None if _SIZE.fullmatch(value) else _("{name} {value!r}: write a number of pixels, such as 300").format(
                name=name, value=value)
        allowed = "class, id" + (", width, height" if tag == "img" else "")
        return _("attribute {name!r} is not allowed in {{: ...}}: remove it (allowed: {allowed})").format(
            name=name, allowed=allowed)


def _only_images(p: etree.Element) -> list[etree.Element]:
    """The images of a paragraph made of images alone (else [])."""
    children = list(p)
    if not children or (p.text or "").strip():
        return []
    if any(c.tag != "img" or (c.tail or "").strip() for c in children):
        return []
    return children


class _PhotoSlots(Treeprocessor):
    """Replaces every image by a slot (`PhotoSlot`) that `fill` puts the processed photo in."""

    def __init__(self, md: markdown.Markdown, found: _Collector, photo_folder: str) -> None:
        super().__init__(md)
        self.found = found
        self.photo_folder = photo_folder

    def _image(self, img: etree.Element) -> int | None:
        """Record an image; None (and a problem) when it is not a photo of the site."""
        src = img.get("src", "")
        alt, title = img.get("alt", ""), img.get("title", "")
        paren = _PAREN_TITLE.match(src) if not title else None
        if paren:
            src, title = paren.groups()
        found = self.found
        line = _line_of(found.source, src, f"![{alt}")
        if not src.strip():
            found.problems.append((f"![{alt}", _("an image without a photo: write ![description](2026/photo.jpg), "
                                                 "with the photo's path inside {folder}/").format(
                folder=self.photo_folder)))
            return None
        if _OTHER_HOST.match(src.strip()):
            found.problems.append((src, _("photo {src!r} is not a file of the site: copy it into {folder}/ and write "
                                          "its path there (photos from other websites are not published)").format(
                src=src, folder=self.photo_folder)))
            return None
        found.images.append(BodyImage(src.strip(), alt, title, line))
        return len(found.images) - 1

    def run(self, root: etree.Element) -> None:
        slots = self.found.slots
        for p in list(root.iter("p")):
            images = _only_images(p)
            if not images:
                continue
            indexes = [i for i in (self._image(img) for img in images) if i is not None]
            p.clear()
            if indexes:
                slots.append(PhotoSlot("figure" if len(images) == 1 else "gallery", tuple(indexes)))
                p.text = self.md.htmlStash.store(f'<div data-gs-photo="{len(slots) - 1}"></div>')
        for img in list(root.iter("img")):
            if img.get("data-gs-photo") is not None:
                continue
            index = self._image(img)
            width, height = img.get("width", ""), img.get("height", "")
            img.attrib.clear()
            if index is None:
                img.tag = "span"  # an empty, harmless element where the refused image was
                continue
            slots.append(PhotoSlot("inline", (index,), width, height))
            img.set("data-gs-photo", str(len(slots) - 1))


def _line_of(source: str, *needles: str) -> int:
    """0-based line of the first of `needles` found in `source` (0 when none is)."""
    for needle in needles:
        if needle:
            at = source.find(needle)
            if at >= 0:
                return source.count("\n", 0, at)
    return 0


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
    """Parses Markdown bodies; reuses one `markdown.Markdown` (creating one is costly).

    Problems are worded when a body is parsed, in the language of the run (a body with
    problems is never cached: `site_builder.bodies`); `photo_folder` is how they name the
    photos' folder.
    """

    def __init__(self, photos: PhotoHtml | None = None, photo_folder: str = "images") -> None:
        self.photos = photos
        self._found = _Collector()
        self._md = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
        # Escape raw HTML instead of passing it through.
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")
        self._md.treeprocessors.register(_PlainText(self._md), "gs-plain-text", 21)  # just before "inline" (20)
        self._md.treeprocessors.register(_CheckedAttrList(self._md, self._found), "attr_list", 8)  # replaces it
        self._md.treeprocessors.register(_PhotoSlots(self._md, self._found, photo_folder), "gs-photos", 7)
        self._md.treeprocessors.register(_Sanitizer(self._md), "gs-sanitize", 6)

    def parse(self, text: str) -> ParsedBody:
        """The body's HTML with photo slots, its photos and its problems."""
        found = self._found
        found.__init__()
        found.source = text
        try:
            out = self._md.convert(text)
        finally:
            self._md.reset()
        problems = tuple(BodyProblem(_line_of(text, needle), message) for needle, message in found.problems)
        return ParsedBody(out, tuple(found.images), tuple(found.slots), problems)

    def convert(self, text: str, url_base: str = "") -> str:
        """The finished HTML of `text`; photo URLs are prefixed with `url_base` (the page's way to the site root)."""
        return fill(self.parse(text), self.photos, url_base)


def fill(body: ParsedBody, photos: PhotoHtml | None, url_base: str) -> str:
    """`body`'s HTML with its photos in their slots (a photo `photos` does not know is left out)."""
    if not body.slots:
        return body.html

    def slot_html(match: re.Match[str]) -> str:
        slot = body.slots[int(match.group(1))]
        images = [body.images[i] for i in slot.images]
        if photos is None:
            return ""
        if slot.kind == "figure":
            return photos.figure(images[0].src, images[0].alt, images[0].title, url_base) or ""
        if slot.kind == "gallery":
            return photos.gallery([(i.src, i.alt, i.title) for i in images], url_base) or ""
        return _inline_img(images[0], slot, photos.inline(images[0].src, url_base))

    return _SLOT.sub(slot_html, body.html)


def _inline_img(image: BodyImage, slot: PhotoSlot, attrs: dict[str, str] | None) -> str:
    """An image in running text: the processed file, its size (or the editor's), lazy loading."""
    if attrs is None:
        return ""
    width, height = attrs["width"], attrs["height"]
    if slot.width or slot.height:  # the editor's size wins; the other side keeps the aspect ratio
        w, h = int(width), int(height)
        width = slot.width or str(max(1, round(int(slot.height) * w / h)))
        height = slot.height or str(max(1, round(int(slot.width) * h / w)))
    parts = [("src", attrs["src"])]
    if image.title:
        parts.append(("title", image.title))
    parts += [("alt", image.alt), ("width", width), ("height", height), ("srcset", attrs["srcset"]),
              ("sizes", attrs["sizes"]), ("loading", "lazy"), ("decoding", "async")]
    if slot.width or slot.height:
        parts.append(("class", "gs-sized"))  # shown at that size, not the column's width
    return "<img" + "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in parts) + ">"

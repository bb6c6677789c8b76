"""A saved web page (or the HTML a .docx becomes) read into an `Article`, with selectolax.

The page is cleaned before it is read: scripts, forms, menus, headers, footers, side columns,
share buttons, comment and "related news" boxes are removed by tag and by the words of their
class or id (`FURNITURE_WORDS`). The article is then the element holding most paragraph text
(an `itemprop=articleBody` or `<article>` first), read in order into headings, paragraphs (bold,
italics and links kept as Markdown), lists, quotations and photos (`<figure>`, an image and
its caption in a table, as Vietnamese news sites lay them out).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..i18n import _
from ..legacy_text import to_unicode
from ..vietnamese import nfc, normalize_tone_placement
from .article import Article, Block, Kind, Photo
from .markdown import emphasis, escape, link

#: Loads a photo the page names (`src`), or None when it is not at hand.
PhotoLoader = Callable[[str], "bytes | None"]

_JUNK_TAGS = ("script", "style", "noscript", "iframe", "form", "nav", "header", "footer", "aside", "button",
              "select", "input", "textarea", "svg", "template", "object", "embed", "video", "audio", "canvas",
              "link", "meta", "head", "menu")
#: Words of a class or id that mark page furniture (split at "-", "_", spaces and case changes).
FURNITURE_WORDS = frozenset({
    "menu", "nav", "navbar", "navigation", "breadcrumb", "breadcrumbs", "header", "footer", "sidebar", "aside",
    "share", "sharing", "social", "comment", "comments", "binhluan", "related", "relate", "lienquan", "tinkhac",
    "banner", "advert", "ads", "advertisement", "quangcao", "print", "toolbar", "widget",
    "weblink", "weblinks", "lienket", "mostview", "xemnhieu", "moinhat", "latest", "popup", "modal", "cookie",
    "tags", "tag", "keyword", "keywords", "rating", "vote", "poll", "subscribe", "newsletter", "hotline", "logo",
    "search", "login", "facebook", "zalo", "twitter", "totop", "backtotop", "pagination", "paging",
})
_CAPTION_WORDS = frozenset({"caption", "chuthich", "imagedesc", "imgdesc", "photocmscaption", "figcaption",
                            "expnoedit", "captionimg", "imgcaption"})
_DATE_WORDS = frozenset({"time", "date", "datetime", "ngay", "ngaydang", "publish", "published", "pubdate",
                         "posted", "thoigian"})
_SAPO_WORDS = frozenset({"sapo", "lead", "summary", "chapeau", "intro", "tomtat", "lede", "excerpt", "description"})
_INLINE = frozenset({"a", "b", "strong", "i", "em", "span", "font", "u", "sup", "sub", "small", "big", "abbr",
                     "code", "mark", "label", "time", "cite", "q", "s", "strike", "del", "ins", "-text", "wbr"})
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_WORD_SPLIT = re.compile(r"[-_\s.:]+|(?<=[a-z])(?=[A-Z])")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w:]+)""", re.IGNORECASE)


def decode(data: bytes) -> str:
    """The page's text: its BOM, else its <meta charset>, else UTF-8, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii").lower(), errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _words(node: LexborNode) -> set[str]:
    attrs = node.attributes
    text = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    words = {w.lower() for w in _WORD_SPLIT.split(text) if w}
    return words | {text.lower().replace("-", "").replace("_", "").replace(" ", "")} if text.strip() else words


def _text(node: LexborNode) -> str:
    return " ".join((node.text(deep=True, separator=" ") or "").split())


@dataclass
class _Inline:
    """Inline content being gathered into one paragraph: its text, Markdown and emphasis."""

    text: list[str] = field(default_factory=list)
    markdown: list[str] = field(default_factory=list)
    bold: int = 0  # visible characters inside <b>/<strong>
    italic: int = 0

    def count(self, text: str, bold: bool, italic: bool) -> None:
        self.text.append(text)
        visible = len(text.replace(" ", ""))
        self.bold += visible if bold else 0
        self.italic += visible if italic else 0


def _markdown(node: LexborNode, bold: bool, italic: bool, into: _Inline) -> str:
    """Markdown of an inline node (its text counted in `into`): bold, italics and http(s) links kept."""
    tag = node.tag
    if tag == "-text":
        text = re.sub(r"\s+", " ", node.text_content or "")
        into.count(text, bold, italic)
        if not text.strip():
            return text
        return (" " if text[0] == " " else "") + escape(text) + (" " if text[-1] == " " else "")
    if tag in ("br", "img"):
        into.count(" ", bold, italic)
        return " "
    inner = "".join(_markdown(c, bold or tag in ("b", "strong"), italic or tag in ("i", "em", "cite"), into)
                    for c in node.iter(include_text=True))
    if tag in ("b", "strong") and not bold:
        return emphasis(inner, "**")
    if tag in ("i", "em", "cite") and not italic:
        return emphasis(inner, "*")
    if tag == "a":
        return link(inner, (node.attributes.get("href") or "").strip())
    return inner


class _Reader:
    """Reads the cleaned article element into blocks."""

    def __init__(self, article: Article, load: PhotoLoader) -> None:
        self.article = article
        self.load = load
        self.inline = _Inline()

    def flush(self, hint: str = "") -> None:
        """End the paragraph being gathered."""
        inline, self.inline = self.inline, _Inline()
        text = normalize_tone_placement(nfc(" ".join("".join(inline.text).split())))
        if not text:
            return
        markdown = " ".join("".join(inline.markdown).split())
        conversion = to_unicode(text)
        if conversion.encoding is not None:
            # legacy text: its Markdown is made again from the converted text (emphasis is lost)
            self.article.converted += 1
            self.article.encodings.add(conversion.encoding.value)
            text = normalize_tone_placement(conversion.text)
            markdown = escape(text)
            self.article.unrecognised += [repr(w) for w in conversion.unrecognised]
        else:
            markdown = normalize_tone_placement(nfc(markdown))
        visible = len("".join(inline.text).replace(" ", ""))
        self.article.blocks.append(Block(
            Kind.PARAGRAPH, text=text, markdown=markdown, hint=hint,
            bold=visible > 0 and inline.bold >= visible * 0.9,
            italic=visible > 0 and inline.italic >= visible * 0.9,
        ))

    # blocks ----------------------------------------------------------------------------

    def read(self, node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            self.node(child)

    def node(self, node: LexborNode) -> None:
        tag = node.tag
        if tag in ("-comment", "-doctype"):
            return
        if tag in _INLINE and not (tag != "-text" and node.css_first("img, p, div, table, ul, ol, h1, h2, h3, h4")):
            self.inline.markdown.append(_markdown(node, False, False, self.inline))
            return
        if tag == "br":
            self.flush()
            return
        if tag == "img":
            self.flush()
            self.photo(node, "")
            return
        self.flush()
        if tag in _HEADINGS:
            text = normalize_tone_placement(nfc(_text(node)))
            text = to_unicode(text).text
            if text:
                self.article.blocks.append(Block(Kind.HEADING, text=text, markdown=escape(text), level=_HEADINGS[tag]))
        elif tag in ("ul", "ol"):
            self.listing(node, ordered=tag == "ol")
        elif tag == "blockquote":
            text = normalize_tone_placement(to_unicode(nfc(_text(node))).text)
            if text:
                self.article.blocks.append(Block(Kind.QUOTE, text=text, markdown=escape(text)))
        elif tag == "figure":
            self.figure(node)
        elif tag == "table" and self.image_table(node):
            return
        elif tag == "table":
            self.article.unrecognised.append(_("a table: its cells are kept as paragraphs"))
            for cell in node.css("td, th"):
                self.read(cell)
                self.flush()
        else:
            hint = "caption" if _words(node) & _CAPTION_WORDS else ""
            self.read(node)
            self.flush(hint)

    def listing(self, node: LexborNode, ordered: bool) -> None:
        items = []
        for item in node.css("li"):
            raw = nfc(_text(item))
            conversion = to_unicode(raw)
            text = normalize_tone_placement(conversion.text)
            if not text:
                continue
            if conversion.encoding is None:
                markdown = " ".join("".join(_markdown(c, False, False, _Inline())
                                            for c in item.iter(include_text=True)).split())
                items.append((text, normalize_tone_placement(nfc(markdown))))
            else:
                self.article.converted += 1
                self.article.encodings.add(conversion.encoding.value)
                items.append((text, escape(text)))
        if items:
            self.article.blocks.append(Block(Kind.LIST, text="\n".join(t for t, _ in items), items=items,
                                             ordered=ordered))

    def photo(self, img: LexborNode, caption: str) -> None:
        src = (img.attributes.get("src") or img.attributes.get("data-src") or "").strip()
        if not src:
            return
        alt = normalize_tone_placement(to_unicode(nfc(img.attributes.get("alt") or "")).text).strip()
        data = self.load(src)
        self.article.blocks.append(Block(Kind.IMAGE, photo=Photo(src, data, alt=alt, caption=caption)))

    def figure(self, node: LexborNode) -> None:
        caption_node = node.css_first("figcaption")
        caption = normalize_tone_placement(to_unicode(nfc(_text(caption_node))).text) if caption_node else ""
        images = node.css("img")
        for i, img in enumerate(images):
            self.photo(img, caption if i == len(images) - 1 else "")
        if not images and caption:
            self.read(node)
            self.flush()

    def image_table(self, node: LexborNode) -> bool:
        """A table holding one photo and a short caption (Vietnamese news sites' layout)."""
        images = node.css("img")
        if len(images) != 1:
            return False
        text = _text(node)
        if len(text) > 600:
            return False
        self.photo(images[0], normalize_tone_placement(to_unicode(nfc(text)).text))
        return True


def _clean(root: LexborNode, article: Article) -> None:
    """Remove what is not the article: scripts, forms, menus and other furniture."""
    for tag in _JUNK_TAGS:
        for node in root.css(tag):
            node.decompose()
    marked = [node for node in root.css("[class], [id]")
              if _words(node) & FURNITURE_WORDS and not node.css_first("[itemprop=articleBody]")]
    ids = {node.mem_id for node in marked}
    outermost = [node for node in marked if not _has_ancestor_in(node, ids)]
    for node in outermost:
        text = _text(node)
        if text:
            article.removed.append(text[:80])
        node.decompose()


def _has_ancestor_in(node: LexborNode, ids: set[int]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def _main(root: LexborNode) -> LexborNode:
    """The element holding the article's text."""
    for selector in ("[itemprop=articleBody]", "article"):
        found = root.css_first(selector)
        if found is not None and len(_text(found)) > 200:
            return found
    scores: dict[int, tuple[float, LexborNode]] = {}
    for p in root.css("p, div, td"):
        own = "".join((c.text_content or "") for c in p.iter(include_text=True) if c.tag == "-text")
        length = len(own.strip())
        if length < 25:
            continue
        parent = p.parent
        for weight in (1.0, 0.5):
            if parent is None:
                break
            score, _node = scores.get(parent.mem_id, (0.0, parent))
            scores[parent.mem_id] = (score + length * weight, parent)
            parent = parent.parent
    if not scores:
        return root
    return max(scores.values(), key=lambda item: item[0])[1]


def _meta(tree: LexborHTMLParser, *names: str) -> str:
    for name in names:
        node = tree.css_first(f'meta[property="{name}"], meta[name="{name}"], meta[itemprop="{name}"]')
        if node is not None and (node.attributes.get("content") or "").strip():
            return " ".join((node.attributes.get("content") or "").split())
    return ""


def read_html(text: str, load: PhotoLoader, whole: bool = False) -> Article:
    """The article of a web page (`text`), its photos loaded with `load`; with `whole` (HTML made
    from a Word file) the whole body is the article."""
    tree = LexborHTMLParser(text)
    article = Article()
    fix = lambda s: normalize_tone_placement(to_unicode(nfc(s)).text)  # noqa: E731
    h1 = tree.css_first("h1")
    title_tag = tree.css_first("title")
    article.title = fix(_text(h1) if h1 else "") or fix(_meta(tree, "og:title")) or fix(
        _text(title_tag) if title_tag else "")
    canonical = tree.css_first('link[rel="canonical"]')
    article.url = _meta(tree, "og:url") or (canonical.attributes.get("href") or "" if canonical else "")
    time_tag = tree.css_first("time[datetime]")
    article.published = _meta(tree, "article:published_time", "pubdate", "datePublished", "date") or (
        time_tag.attributes.get("datetime") or "" if time_tag else "")
    article.site_name = fix(_meta(tree, "og:site_name"))
    if not article.published:
        for node in tree.css("[class], [id]"):
            text = _text(node)
            if _words(node) & _DATE_WORDS and 0 < len(text) <= 90 and re.search(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}", text):
                article.published = text
                break
    root = tree.body or tree.root
    if root is None:
        return article
    for node in root.css("[class], [id]"):
        if _words(node) & _SAPO_WORDS and node.tag not in ("body", "html") and 0 < len(_text(node)) < 1500:
            article.summary = fix(_text(node))
            node.decompose()
            break
    if h1 is not None:
        h1.decompose()
    _clean(root, article)
    _Reader(article, load).read(root if whole else _main(root))
    if not article.blocks:
        article.unrecognised.append(_("no paragraph of text was found in the page"))
    return article

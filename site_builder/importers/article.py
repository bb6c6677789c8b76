"""What a reader (plain text, HTML, .docx) makes of an article, before our Vietnamese rules.

A reader only says what is on the page: a title, blocks in reading order (headings, paragraphs,
lists, quotations, photos) and what the page says about itself (its address, a date, a sapo).
Every text here is Unicode NFC with legacy encodings converted (`legacy_text.normalise`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Kind(str, Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST = "list"
    QUOTE = "quote"
    IMAGE = "image"


@dataclass
class Photo:
    """A photo of the article: its bytes when the reader found them, else where it looked."""

    name: str  # as the page names it (a file name, an address), for messages
    data: bytes | None = None
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass
class Block:
    """One block of the article.

    `text` is the plain text (what the rules read); `markdown` the same text as inline Markdown
    (bold, italics and links kept, everything else escaped). A list keeps its items in `items`
    (plain, Markdown) and `ordered`; a heading its `level` (1 is the largest).
    """

    kind: Kind
    text: str = ""
    markdown: str = ""
    level: int = 0
    items: list[tuple[str, str]] = field(default_factory=list)
    ordered: bool = False
    bold: bool = False  # the whole paragraph is bold (a sapo)
    italic: bool = False  # the whole paragraph is in italics (often a caption)
    hint: str = ""  # what the page called it: "sapo", "caption", "title", "author", "date"...
    photo: Photo | None = None


@dataclass
class Article:
    """An article as read from one file."""

    title: str = ""
    blocks: list[Block] = field(default_factory=list)
    url: str = ""  # the page's own address (canonical link, og:url)
    published: str = ""  # a date the page gives as text (meta tags, <time>)
    summary: str = ""  # a sapo the page marks as such (meta description is not one)
    site_name: str = ""  # og:site_name
    removed: list[str] = field(default_factory=list)  # page furniture left out, for the report
    unrecognised: list[str] = field(default_factory=list)  # what the reader could not place
    converted: int = 0  # paragraphs converted from VNI or TCVN3
    encodings: set[str] = field(default_factory=set)  # the legacy encodings met

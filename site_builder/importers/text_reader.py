"""A published article saved as plain text: the title on the first line, then paragraphs.

This is the layout of a page copied from a browser (`../shared/seeds/*.txt`): paragraphs
separated by blank lines (or one per line), the photo's caption under the title, the byline,
"Theo ..." and the page's furniture at the end. Files that are not UTF-8 are read as
Windows-1252, the code page legacy VNI and TCVN3 text was saved in.
"""

from __future__ import annotations

import re
import statistics

from ..legacy_text import to_unicode
from ..vietnamese import nfc, normalize_tone_placement
from .article import Article, Block, Kind
from .markdown import escape

_BULLET = re.compile(r"^\s*(?:[-•*+–·]|(\d{1,3})[.)])\s+(\S.*)$")


def decode(data: bytes) -> str:
    """Text of a file: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def paragraphs(text: str) -> list[str]:
    """The paragraphs of `text`: blank-line separated chunks, each line a paragraph unless the
    text is hard-wrapped (lines of similar, moderate length continuing each other)."""
    chunks = [c for c in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")) if c.strip()]
    lines = [line for chunk in chunks for line in chunk.split("\n") if line.strip()]
    lengths = [len(line) for line in lines]
    wrapped = len(lines) > len(chunks) * 1.5 and lengths and 50 <= statistics.median(lengths) <= 100
    out: list[str] = []
    for chunk in chunks:
        if wrapped and not _BULLET.match(chunk):
            out.append(" ".join(chunk.split()))
        else:
            out.extend(" ".join(line.split()) for line in chunk.split("\n") if line.strip())
    return out


def read_text(data: bytes) -> Article:
    """The article of a plain-text file."""
    article = Article()
    items: list[str] = []
    for raw in paragraphs(decode(data)):
        conversion = to_unicode(nfc(raw))
        if conversion.encoding is not None:
            article.converted += 1
            article.encodings.add(conversion.encoding.value)
            article.unrecognised += [f"{w!r}" for w in conversion.unrecognised]
        items.append(normalize_tone_placement(conversion.text))
    if not items:
        return article
    article.title = items[0]
    pending: list[tuple[str, bool]] = []  # list items waiting for the end of their list

    def flush() -> None:
        if pending:
            ordered = all(number for _, number in pending)
            article.blocks.append(Block(Kind.LIST, items=[(t, escape(t)) for t, _ in pending], ordered=ordered,
                                        text="\n".join(t for t, _ in pending)))
            pending.clear()

    for text in items[1:]:
        bullet = _BULLET.match(text)
        if bullet:
            pending.append((bullet.group(2), bool(bullet.group(1))))
            continue
        flush()
        article.blocks.append(Block(Kind.PARAGRAPH, text=text, markdown=escape(text)))
    flush()
    return article

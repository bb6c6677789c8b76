"""Vietnamese text as the search index sees it, and back.

Pagefind folds tone and vowel marks itself: it indexes "viên" under "vien" and
keeps "viên" as a variant, so "vien" finds it and "viên" ranks it first. It does
not fold đ (a letter of its own, not a d with a mark). So every đ/Đ is written
as d/D followed by U+0345 (COMBINING GREEK YPOGEGRAMMENI, `MARK`): a combining
mark that is also *alphabetic*, so Pagefind keeps it inside the word it indexes
("Đảng" → variant "dͅảng") and then strips it with the other marks for the
folded key ("dang"). "dang" and "đảng" both find the word; "đảng" (sent as
"dͅảng") still ranks exact-accent matches first; the mark never reaches a
reader: the search page turns "dͅ" back into "đ" in titles and excerpts. The
folded copy is thus the index key itself, with no second copy of the text.

Old and new tone placement (hoà/hòa) and NFD input are normalised on both
sides (`searchable` here, the same rules in assets/search.js for queries).
"""

from __future__ import annotations

import html
import re
import unicodedata

from site_builder.vietnamese import normalize_tone_placement

MARK = "\u0345"
_DECODE = re.compile(f"([dD]){MARK}")


def searchable(text: str) -> str:
    """Text as indexed (and queries as sent): NFC, new tone placement, đ → d + MARK."""
    return normalize_tone_placement(text).replace("đ", "d" + MARK).replace("Đ", "D" + MARK)  # str.translate is slower


def shown(text: str) -> str:
    """Inverse of the đ encoding: what a reader sees."""
    return _DECODE.sub(lambda m: "đ" if m.group(1) == "d" else "Đ", text)


def index_key(word: str) -> str:
    """The key Pagefind files a `searchable` word under: its alphanumeric characters,
    lowercased, without combining marks (mirrors Pagefind's get_indexable_words)."""
    kept = "".join(c for c in word if c.isalnum() or c == MARK).lower()
    return "".join(c for c in unicodedata.normalize("NFD", kept) if not unicodedata.category(c).startswith("M"))


# (pattern, replacement, needles): a pattern runs only when the text holds one of its
# needles, which most plain paragraphs do not (the passes cost more than the check).
_MARKDOWN = [
    (re.compile(r"<!--.*?-->", re.S), " ", ("<!--",)),  # HTML comments
    (re.compile(r"^\s*(```|~~~).*$", re.M), " ", ("```", "~~~")),  # code fences (keep the code text)
    (re.compile(r"<[^>]+>"), " ", ("<",)),  # HTML tags
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r" \1 ", ("![",)),  # images: keep the alt text
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1", ("](",)),  # links: keep the text
    (re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1", ("][",)),  # reference links
    (re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.M), " ", ("]:",)),  # reference definitions
    (re.compile(r"\{[:#.][^}]*\}"), " ", ("{",)),  # attribute lists {: .class }
    (re.compile(r"(?:https?|ftp)://\S+|www\.\S+"), " ", ("://", "www.")),  # bare URLs
    (re.compile(r"^\s{0,3}(?:#{1,6}|>+|[-*+]|\d+[.)])\s+", re.M), "", None),  # headings, quotes, list markers
    (re.compile(r"^\s*(?:[-*_]\s*){3,}$", re.M), " ", ("-", "*", "_")),  # rules
    (re.compile(r"(\*{1,3}|~~|`+)"), "", ("*", "~~", "`")),  # emphasis, strike, code spans
    (re.compile(r"(?<!\w)_+|_+(?!\w)"), "", ("_",)),  # _emphasis_ (Pagefind keeps "_" inside words)
    (re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$", re.M), " ", ("|",)),  # table rules
    (re.compile(r"\s*\|\s*"), " ", ("|",)),  # table cells
]
_SPACES = re.compile(r"\s+")


def markdown_text(markdown: str) -> str:
    """Readable plain text of a Markdown body, whitespace collapsed."""
    text = markdown
    for pattern, replacement, needles in _MARKDOWN:
        if needles is None or any(needle in text for needle in needles):
            text = pattern.sub(replacement, text)
    if "&" in text:
        text = html.unescape(text)
    return _SPACES.sub(" ", text).strip()

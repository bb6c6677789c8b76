"""Text from an article written as Markdown that shows exactly that text.

An article's words are text, never markup: "*", "_", "[", "<b>", "{: ...}", "&amp;" or a line
starting "1." or "#" must read as written once the body is rendered. Everything Markdown (and
its attribute lists and entities) could read otherwise is escaped with a backslash (or `&amp;`).
"""

from __future__ import annotations

import re

from .article import Block, Kind

# What Python-Markdown reads as markup inside a line (raw HTML needs nothing: bodies show it as
# text); "-", "+", ">" and "1." only where they start a list or a quotation.
_INLINE = re.compile(r"([\\`*_{}\[\]>#|])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_LINE_START = re.compile(r"^(\s*)([-+>]|\d+(?=[.)]))")


def escape(text: str) -> str:
    """`text` as Markdown showing exactly `text` (one paragraph: line breaks become spaces)."""
    text = " ".join(text.split())
    text = _ENTITY.sub("&amp;", text)
    text = _INLINE.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2) if not m.group(2)[0].isdigit()
                           else m.group(1) + m.group(2) + "\\", text, count=1)


def emphasis(markdown: str, marker: str) -> str:
    """`markdown` wrapped in `marker` ("**", "*"), spaces kept outside the markers."""
    stripped = markdown.strip()
    if not stripped:
        return markdown
    lead = markdown[: len(markdown) - len(markdown.lstrip())]
    trail = markdown[len(markdown.rstrip()):]
    return f"{lead}{marker}{stripped}{marker}{trail}"


def link(markdown: str, url: str) -> str:
    """A link to `url` (http(s) only: anything else stays text)."""
    if not re.match(r"https?://", url) or not markdown.strip():
        return markdown
    target = url.replace("\\", "%5C").replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
    return f"[{markdown}](<{target}>)"


def _title(text: str) -> str:
    """A Markdown image title in double quotes. Python-Markdown cannot escape a double quote
    there: those of the caption become curly ones (“...”)."""
    parts = " ".join(text.split()).split('"')
    curly = "".join(part + ("\u201c" if i % 2 == 0 else "\u201d") for i, part in enumerate(parts[:-1])) + parts[-1]
    return f'"{curly}"'


def image(src: str, alt: str, caption: str) -> str:
    """`![alt](src "caption")`: a photo of the images folder (`src` is one of our ASCII names),
    its caption shown under it. Brackets in the alt text become parentheses (Markdown keeps
    escapes there as they are)."""
    shown_alt = " ".join(alt.replace("[", "(").replace("]", ")").replace("\\", "/").split())
    title = f" {_title(caption)}" if caption.strip() else ""
    return f"![{shown_alt}]({src}{title})"


def block(item: Block, src: str = "") -> str:
    """One block as Markdown (a photo's file as `src`)."""
    if item.kind is Kind.HEADING:
        return "#" * min(max(item.level, 2), 6) + " " + item.markdown
    if item.kind is Kind.LIST:
        lines = []
        for number, (_, markdown) in enumerate(item.items, 1):
            lines.append(f"{number}. {markdown}" if item.ordered else f"- {markdown}")
        return "\n".join(lines)
    if item.kind is Kind.QUOTE:
        return "> " + item.markdown
    if item.kind is Kind.IMAGE and item.photo is not None:
        return image(src, item.photo.alt, item.photo.caption)
    return item.markdown

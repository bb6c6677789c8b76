"""Social cards, text layout: the title's words in lines that fit, in Be Vietnam Pro.

`wrap_title` sets a title in at most `max_lines` lines no wider than `max_width`
pixels, trying the sizes largest first: breaks only between words (no-break
spaces hold), lines as even as possible, breaking at a colon or comma when that
costs little; "…" after the last whole word that fits when even the smallest
size overflows. `clean_text` (NFC, whitespace, characters the font cannot draw
dropped) and `curly_quotes` (straight double quotes as “…”) prepare the text.

Pure functions of strings and font files (no I/O besides reading the fonts);
the drawing is `card_draw`.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from PIL import ImageFont

TITLE_SIZES = (64, 60, 56, 52, 48, 44, 40)  # px, tried largest first
TITLE_MAX_LINES = 4
ELLIPSIS = "…"

BOLD_FONT = "BeVietnamPro-Bold.ttf"
REGULAR_FONT = "BeVietnamPro-Regular.ttf"

# Spaces we may break at: any whitespace except the no-break ones.
_BREAKS = re.compile(r"[^\S\u00a0\u2007\u202f]+")


# --------------------------------------------------------------------------- fonts


def font_path(name: str) -> Path:
    """A bundled Be Vietnam Pro face (from the fontpkg-be-vietnam-pro package)."""
    return Path(str(resources.files("fontpkg_be_vietnam_pro") / "files" / name))


@functools.lru_cache(maxsize=64)
def load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    """The face at `path`, `size` px, with basic layout: the same on every Pillow build (with
    or without raqm); Vietnamese in NFC is precomposed, so it needs no shaping."""
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=8)
def _cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    try:
        return frozenset(font.getBestCmap() or ())
    finally:
        font.close()


def clean_text(text: str, path: str | os.PathLike[str] | None = None) -> str:
    """NFC, whitespace collapsed, characters the font cannot draw (emoji, controls) dropped."""
    text = unicodedata.normalize("NFC", text or "")
    cmap = _cmap(str(path or font_path(BOLD_FONT)))
    kept = []
    for ch in text:
        if ch.isspace():
            kept.append(" " if ch not in "\u00a0\u2007\u202f" else "\u00a0")
        elif ord(ch) in cmap:
            kept.append(ch)
    return re.sub(" {2,}", " ", "".join(kept)).strip()


# --------------------------------------------------------------------------- wrapping


@functools.lru_cache(maxsize=4096)
def _overhang(font: ImageFont.FreeTypeFont, ch: str) -> float:
    """How far the ink of `ch` reaches past its advance (negative: its right side bearing)."""
    return font.getbbox(ch)[2] - font.getlength(ch)


def _width(font: ImageFont.FreeTypeFont, text: str) -> float:
    """Horizontal room `text` takes: its advance, or its ink when that reaches further.

    (The ink's right edge is the advance plus the last letter's overhang: no
    rasterising, so that wrapping long titles stays fast.)
    """
    if not text:
        return 0.0
    length = font.getlength(text)
    return max(length, length + _overhang(font, text[-1]))


def _fits(font: ImageFont.FreeTypeFont, line: str, max_width: float) -> bool:
    """Exact check of a finished line (the ink of every letter, not only the last)."""
    return _width(font, line) <= max_width and font.getbbox(line)[2] <= max_width


class _Runs:
    """Widths of runs of consecutive words, from each word's width measured once.

    (Kerning across a space is ignored; finished lines are checked exactly by `_fits`.)
    """

    def __init__(self, words: Sequence[str], font: ImageFont.FreeTypeFont) -> None:
        self.space = font.getlength(" ")
        self.prefix = [0.0]
        for word in words:
            self.prefix.append(self.prefix[-1] + font.getlength(word) + self.space)
        self.overhang = [max(0.0, _overhang(font, word[-1])) for word in words]

    def width(self, i: int, j: int) -> float:
        """Width of words[i:j] joined by spaces."""
        return self.prefix[j] - self.prefix[i] - self.space + self.overhang[j - 1]


def _greedy(
    words: Sequence[str], runs: _Runs, max_width: float, limit: int | None = None
) -> tuple[list[str], bool]:
    """Fill lines word by word; (lines, every line fits and there are at most `limit`)."""
    lines: list[str] = []
    start = 0
    fits = True
    for k in range(len(words)):
        if k > start and runs.width(start, k + 1) > max_width:
            lines.append(" ".join(words[start:k]))
            start = k
            if limit is not None and len(lines) >= limit:
                return lines + [words[k]], False  # more lines than allowed: give up early
        if fits and runs.width(k, k + 1) > max_width:
            fits = False
    if start < len(words):
        lines.append(" ".join(words[start:]))
    return lines, fits


BREAK_BONUS = {":": 0.12, ";": 0.08, ",": 0.06, "—": 0.08, "–": 0.08}  # a pause is a good place to break
DASH_START_PENALTY = 0.1  # a line should not start with a dash
IN_QUOTE_PENALTY = 0.1  # nor break a short quotation


def _arranged(words: Sequence[str], runs: _Runs, max_width: float, n: int) -> list[str]:
    """The words in exactly `n` lines that fit, as even as possible, preferring breaks at pauses.

    Cost: the sum over lines of (slack / max_width)², minus a bonus for a line
    that ends on ":", ",", ";" or a dash, plus a penalty for a break inside
    “quotes” or before a dash. (Even lines minimise it; no lone last word.)
    """
    count = len(words)
    width = runs.width
    open_quotes = [0]  # open quotes before each break position
    for word in words:
        open_quotes.append(open_quotes[-1] + word.count("\u201c") - word.count("\u201d"))

    def line_cost(i: int, j: int) -> float:
        cost = ((max_width - width(i, j)) / max_width) ** 2
        if j < count:
            cost -= BREAK_BONUS.get(words[j - 1][-1], 0.0)
            if open_quotes[j] > 0:
                cost += IN_QUOTE_PENALTY
        if words[i] in ("—", "–", "-"):
            cost += DASH_START_PENALTY
        return cost

    inf = float("inf")
    best = [[inf] * (count + 1) for _ in range(n + 1)]
    start = [[0] * (count + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for k in range(1, n + 1):
        for j in range(k, count + 1):
            for i in range(j - 1, k - 2, -1):
                if width(i, j) > max_width:
                    break  # longer lines only get wider
                if best[k - 1][i] == inf:
                    continue
                cost = best[k - 1][i] + line_cost(i, j)
                if cost < best[k][j]:
                    best[k][j], start[k][j] = cost, i
    if best[n][count] == inf:  # cannot happen when greedy filling found n lines
        return _greedy(words, runs, max_width)[0]
    lines: list[str] = []
    j = count
    for k in range(n, 0, -1):
        i = start[k][j]
        lines.append(" ".join(words[i:j]))
        j = i
    return lines[::-1]


def _ellipsize(text: str, font: ImageFont.FreeTypeFont, max_width: float) -> str:
    """`text` + "…", dropping whole words (characters only when one word is too wide)."""
    words = text.split(" ")
    while len(words) > 1 and not _fits(font, " ".join(words) + ELLIPSIS, max_width):
        words.pop()
    line = " ".join(words).rstrip(" ,;:–—-")
    if not _fits(font, line + ELLIPSIS, max_width):  # one word wider than the card: cut it
        lo, hi = 0, len(line)  # longest prefix that fits, by bisection
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _fits(font, line[:mid] + ELLIPSIS, max_width):
                lo = mid
            else:
                hi = mid - 1
        line = line[:lo]
    return line.rstrip() + ELLIPSIS


def curly_quotes(text: str) -> str:
    """Straight double quotes as Vietnamese typography sets them: “…”."""

    def quote(m: re.Match[str]) -> str:
        opening = m.start() == 0 or m.string[m.start() - 1] in " \u00a0([{-–—"
        return "\u201c" if opening else "\u201d"

    return re.sub('"', quote, text)


def wrap_title(
    title: str,
    font_path: str | os.PathLike[str],
    max_width: int,
    max_lines: int,
    sizes: Sequence[int] = TITLE_SIZES,
) -> tuple[list[str], int]:
    """Lines of `title` and the font size that sets them in at most `max_lines` lines.

    Breaks only between words (never inside one; no-break spaces hold). Tries
    `sizes` largest first; the first size where every line is at most
    `max_width` px wide wins, its lines made as even as possible (breaking
    at a colon or comma when that costs little). When even the smallest
    overflows, the text is cut after the last whole word that fits on the last
    line and "…" added (a single word wider than the card is cut too).
    """
    path = str(font_path)
    words = [w for w in _BREAKS.split(curly_quotes(clean_text(title, path))) if w]
    if not words:
        return [], sizes[0]
    for size in sizes:
        font = load_font(path, size)
        runs = _Runs(words, font)
        lines, fits = _greedy(words, runs, max_width, max_lines)
        if fits and len(lines) <= max_lines:
            arranged = _arranged(words, runs, max_width, len(lines))
            if all(_fits(font, line, max_width) for line in arranged):
                return arranged, size
    size = sizes[-1]
    font = load_font(path, size)
    lines, _ = _greedy(words, _Runs(words, font), max_width, max_lines)
    kept = [line if _fits(font, line, max_width) else _ellipsize(line, font, max_width) for line in lines]
    if len(lines) > max_lines:
        kept = kept[:max_lines]
        kept[-1] = _ellipsize(kept[-1].removesuffix(ELLIPSIS), font, max_width)
    return kept, size

"""How Vietnamese administrative names are written, compared and shown.

A name is a kind and a proper name: "xã Trung Mỹ" is (xã, "Trung Mỹ"), "Phường 4" is
(phường, "4"), "TP. Hồ Chí Minh" is (thành phố, "Hồ Chí Minh"). Editors write the kind or
leave it out, in any case, abbreviated or not ("TT", "P.", "TP"); `split_name` separates them.

Two proper names are the same when their `name_key`s are equal: NFC, old or new tone placement
("Hoà" = "Hòa"), case, spaces, apostrophes and hyphens ("Ea D'Rơng" = "Ea Drơng"), leading
zeros and Roman numerals ("Phường 04" = "Phường IV" = "Phường 4") do not count; diacritics do
("Hòa Sơn" and "Hoa Sơn" are two communes). `loose_key` ignores diacritics too: it finds
suggestions, never a match.
"""

from __future__ import annotations

import re
from typing import Literal

from site_builder.vietnamese import fold, nfc, normalize_tone_placement

Level = Literal["province", "district", "commune"]

#: Kinds of unit at each level, as written in running text (lowercase), longest first.
KINDS: dict[Level, tuple[str, ...]] = {
    "province": ("thành phố", "tỉnh"),
    "district": ("thành phố", "thị xã", "huyện", "quận"),
    "commune": ("thị trấn", "đặc khu", "phường", "xã"),
}

#: Abbreviations editors use, by level (lowercase, with or without the dot).
ABBREVIATIONS: dict[Level, dict[str, str]] = {
    "province": {"tp": "thành phố"},
    "district": {"tp": "thành phố", "tx": "thị xã", "q": "quận", "h": "huyện"},
    "commune": {"tt": "thị trấn", "p": "phường", "x": "xã"},
}

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
          "xi": 11, "xii": 12, "xiii": 13, "xiv": 14, "xv": 15}
_IGNORED = re.compile(r"[\s'’ʼ`´\-–.]+")
_ABBREVIATION = re.compile(r"([a-z]{1,2})(?:\.\s*|\s+)(?=\S)")


def split_name(text: str, level: Level) -> tuple[str, str]:
    """(kind, proper name) of a name as written at `level`; kind is "" when none is written.

    >>> split_name("Xã Trung Mỹ", "commune")
    ('xã', 'Trung Mỹ')
    >>> split_name("TP. Hồ Chí Minh", "province")
    ('thành phố', 'Hồ Chí Minh')
    """
    text = " ".join(nfc(text).split())
    lower = text.lower()
    for kind in KINDS[level]:
        if lower.startswith(kind + " ") and len(text) > len(kind) + 1:
            return kind, text[len(kind) + 1:].strip()
    match = _ABBREVIATION.match(lower)
    if match and match.group(1) in ABBREVIATIONS[level]:
        rest = text[match.end():].strip()
        if rest and (match.group(0).rstrip().endswith(".") or rest[:1].isupper() or rest[:1].isdigit()):
            return ABBREVIATIONS[level][match.group(1)], rest
    if level == "commune":  # "P.4", "P4"
        number = re.fullmatch(r"p\.?\s*(\d+)", lower)
        if number:
            return "phường", number.group(1)
    return "", text


def name_key(name: str) -> str:
    """What makes two proper names the same (see the module docstring)."""
    key = _IGNORED.sub("", normalize_tone_placement(name).lower())
    if key.isdigit():
        return str(int(key))
    return str(_ROMAN[key]) if key in _ROMAN else key


def loose_key(name: str) -> str:
    """`name_key` without diacritics (đ as d): for suggestions only."""
    return fold(name_key(name))


def kind_of(official: str, level: Level) -> str:
    """The kind of an official name ("Thị Trấn Cô Tô" -> "thị trấn")."""
    return split_name(official, level)[0]


def running(official: str, level: Level) -> str:
    """An official name as written in running text: the kind in lowercase ("xã Bình Tuyền")."""
    kind, proper = split_name(official, level)
    return f"{kind} {proper}" if kind else proper


def proper(official: str, level: Level) -> str:
    """The proper name alone ("Phú Thọ" of "Tỉnh Phú Thọ")."""
    return split_name(official, level)[1]


def join(names: list[str], level: Level) -> str:
    """Several official names in running text, each kind named once:
    ["Xã Hà Nam", "Xã Kim Thành"] -> "các xã Hà Nam và Kim Thành";
    -> "các phường Vĩnh Phúc, Vĩnh Yên và xã Hội Thịnh" (kinds in the order they come)."""
    groups: dict[str, list[str]] = {}
    for name in names:
        kind, own = split_name(name, level)
        groups.setdefault(kind, []).append(own)
    parts = []
    for kind, owns in groups.items():
        listed = _and(owns) if len(groups) == 1 else ", ".join(owns)
        parts.append(f"{kind} {owns[0]}".strip() if len(owns) == 1 else f"các {kind} {listed}".strip())
    return _and(parts)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1]

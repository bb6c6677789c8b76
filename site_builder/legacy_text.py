"""Vietnamese typed in the legacy VNI and TCVN3 (ABC) encodings: detection and conversion to Unicode.

Before Unicode, Vietnamese was typed with fonts that drew Vietnamese letters in the places of
Western ones: "Việt Nam" typed with a VNI font (VNI-Times) is stored as "Vieät Nam", with an
ABC font (.VnTime, the TCVN3 encoding) as "ViÖt Nam". Word files, saved pages and text files
from those years hold such text; opened today, it reads as gibberish.

- TCVN3 (ABC) is the VN3 part of the national standard TCVN 5712:1993: one byte per letter,
  0xA1-0xFF. `_TCVN3` was made with GNU libc's iconv (`TCVN5712-1`), see
  `scripts/legacy_tables.py`. Capitals with a tone were typed with other fonts (.VnTimeH) on
  the lowercase codes: they come out lowercase (the text does not say which font drew it).
- VNI (VNI for Windows, by VNI Software) writes a vowel and then a mark character: "a" + "ù" is
  "á", "a" + "â" is "â", "a" + "á" is "ấ", "a" + "é" is "ắ"; "ô" alone is "ơ", "ö" is "ư",
  "ñ" is "đ"; "ì í æ ó ò" are "ì í ỉ ĩ ị" and "î" is "ỵ". `_VNI` is
  built from those rules below (capitals take the capital marks: "AÙ" is "Á").

Both are read as the Windows-1252 (Latin-1) characters of their bytes, which is what Word and a
browser show. Detecting them is done word by word: a word is converted only when it is not a
Vietnamese syllable as it stands and is one once converted, and a text is taken as VNI or TCVN3
only when that holds for more words than the conversion would break. Unicode Vietnamese (old
tone placement "hoà" included), English words, names and numbers are thus never changed.

`normalise` is what imported text goes through: legacy encodings converted, NFC, and the tone
placement of `vietnamese.normalize_tone_placement` ("hoà" -> "hòa").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from .vietnamese import nfc, normalize_tone_placement

__all__ = ["Encoding", "Conversion", "to_unicode", "convert", "normalise", "is_syllable", "has_suspects"]


class Encoding(str, Enum):
    VNI = "VNI"
    TCVN3 = "TCVN3"


# --- TCVN3 (ABC) -----------------------------------------------------------------------

# Byte -> Unicode, from `iconv -f TCVN5712-1` (scripts/legacy_tables.py).
_TCVN3_BYTES = {
    0xA1: 'Ă', 0xA2: 'Â', 0xA3: 'Ê', 0xA4: 'Ô', 0xA5: 'Ơ', 0xA6: 'Ư',
    0xA7: 'Đ', 0xA8: 'ă', 0xA9: 'â', 0xAA: 'ê', 0xAB: 'ô', 0xAC: 'ơ',
    0xAD: 'ư', 0xAE: 'đ', 0xAF: 'Ằ', 0xB0: '\u0300', 0xB1: '\u0309', 0xB2: '\u0303',
    0xB3: '\u0301', 0xB4: '\u0323', 0xB5: 'à', 0xB6: 'ả', 0xB7: 'ã', 0xB8: 'á',
    0xB9: 'ạ', 0xBA: 'Ẳ', 0xBB: 'ằ', 0xBC: 'ẳ', 0xBD: 'ẵ', 0xBE: 'ắ',
    0xBF: 'Ẵ', 0xC0: 'Ắ', 0xC1: 'Ầ', 0xC2: 'Ẩ', 0xC3: 'Ẫ', 0xC4: 'Ấ',
    0xC5: 'Ề', 0xC6: 'ặ', 0xC7: 'ầ', 0xC8: 'ẩ', 0xC9: 'ẫ', 0xCA: 'ấ',
    0xCB: 'ậ', 0xCC: 'è', 0xCD: 'Ể', 0xCE: 'ẻ', 0xCF: 'ẽ', 0xD0: 'é',
    0xD1: 'ẹ', 0xD2: 'ề', 0xD3: 'ể', 0xD4: 'ễ', 0xD5: 'ế', 0xD6: 'ệ',
    0xD7: 'ì', 0xD8: 'ỉ', 0xD9: 'Ễ', 0xDA: 'Ế', 0xDB: 'Ồ', 0xDC: 'ĩ',
    0xDD: 'í', 0xDE: 'ị', 0xDF: 'ò', 0xE0: 'Ổ', 0xE1: 'ỏ', 0xE2: 'õ',
    0xE3: 'ó', 0xE4: 'ọ', 0xE5: 'ồ', 0xE6: 'ổ', 0xE7: 'ỗ', 0xE8: 'ố',
    0xE9: 'ộ', 0xEA: 'ờ', 0xEB: 'ở', 0xEC: 'ỡ', 0xED: 'ớ', 0xEE: 'ợ',
    0xEF: 'ù', 0xF0: 'Ỗ', 0xF1: 'ủ', 0xF2: 'ũ', 0xF3: 'ú', 0xF4: 'ụ',
    0xF5: 'ừ', 0xF6: 'ử', 0xF7: 'ữ', 0xF8: 'ứ', 0xF9: 'ự', 0xFA: 'ỳ',
    0xFB: 'ỷ', 0xFC: 'ỹ', 0xFD: 'ý', 0xFE: 'ỵ', 0xFF: 'Ố',
}
# Read as Latin-1, the bytes 0xA1-0xFF are the characters U+00A1-U+00FF: the table maps those.
_TCVN3 = _TCVN3_BYTES

# --- VNI ----------------------------------------------------------------------------------

_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
# mark character (lowercase form, capital form) -> (vowel quality, tone)
_VNI_TONES = {("ø", "Ø"): _GRAVE, ("ù", "Ù"): _ACUTE, ("û", "Û"): _HOOK, ("õ", "Õ"): _TILDE, ("ï", "Ï"): _DOT}
_VNI_CIRCUMFLEX = {("â", "Â"): "", ("à", "À"): _GRAVE, ("á", "Á"): _ACUTE, ("å", "Å"): _HOOK,
                   ("ã", "Ã"): _TILDE, ("ä", "Ä"): _DOT}
_VNI_BREVE = {("ê", "Ê"): "", ("è", "È"): _GRAVE, ("é", "É"): _ACUTE, ("ú", "Ú"): _HOOK,
              ("ü", "Ü"): _TILDE, ("ë", "Ë"): _DOT}
# VNI letters standing alone: ơ, ư, đ and i, y with a tone
_VNI_SINGLE = {"ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ñ": "đ", "Ñ": "Đ",
               "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ"}


def _vni_pairs() -> dict[str, str]:
    """Vowel + mark character -> the Vietnamese letter (both cases of mark accepted)."""
    pairs: dict[str, str] = {}

    def add(base: str, letter: str, marks: dict, quality: str) -> None:
        for forms, tone in marks.items():
            for mark in forms:
                pairs[base + mark] = nfc(letter + quality + tone)

    for base in "aeouyAEOUY":
        add(base, base, _VNI_TONES, "")
    for base in "aeoAEO":
        add(base, base, _VNI_CIRCUMFLEX, _CIRCUMFLEX)
    for base in "aA":
        add(base, base, _VNI_BREVE, _BREVE)
    for base, letter in (("ô", "o"), ("Ô", "O"), ("ö", "u"), ("Ö", "U")):  # ơ and ư with a tone
        add(base, letter, _VNI_TONES, _HORN)
    return pairs


_VNI = {**_VNI_SINGLE, **_vni_pairs()}
# One pass, pairs first: "oâ" is "ô", while an "ô" standing alone is "ơ".
_VNI_RE = re.compile("|".join(map(re.escape, sorted(_VNI, key=len, reverse=True))))

# --- Vietnamese syllables ------------------------------------------------------------------

_TONES = frozenset((_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT))
_QUALITIES = {("a", _BREVE), ("a", _CIRCUMFLEX), ("e", _CIRCUMFLEX), ("o", _CIRCUMFLEX), ("o", _HORN), ("u", _HORN)}
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g", "h", "k",
           "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
# Vowel groups that may be followed by a final consonant, and those that end the syllable.
_NUCLEI_CLOSED = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "iê", "yê", "uô", "ươ", "oa", "oă",
                  "oe", "uâ", "uê", "uy", "uyê", "oo")
_NUCLEI_OPEN = ("ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui", "ưa",
                "ưi", "ưu", "iêu", "yêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyu", "ươi", "ươu",
                "a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uê", "uy", "uơ")
_FINALS = ("ng", "nh", "ch", "c", "m", "n", "p", "t")


def _alternation(items) -> str:
    return "|".join(sorted(set(items), key=len, reverse=True))


_SYLLABLE = re.compile(
    f"(?:{_alternation(_ONSETS[:-1])})?"
    f"(?:(?:{_alternation(_NUCLEI_CLOSED)})(?:{_alternation(_FINALS)})|(?:{_alternation(_NUCLEI_OPEN)}))"
)


@functools.lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """Whether `word` is one Vietnamese syllable in Unicode (any case, any tone placement):
    Vietnamese letters only, at most one tone, a possible onset, vowel group and final."""
    tones = 0
    letters = []
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in _TONES:
            tones += 1
        elif unicodedata.combining(char):
            if not letters or (letters[-1], char) not in _QUALITIES:
                return False
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + char)
        elif "a" <= char <= "z" or char == "đ":
            letters.append(char)
        else:
            return False
    if tones > 1 or not letters:
        return False
    return _SYLLABLE.fullmatch("".join(letters)) is not None


# --- detection and conversion --------------------------------------------------------------


def _is_vietnamese_letter(char: str) -> bool:
    """A letter of the Vietnamese alphabet (or an ASCII letter), with at most one tone."""
    base, *marks = unicodedata.normalize("NFD", char.lower())
    if not ("a" <= base <= "z" or base == "đ"):
        return False
    qualities = [m for m in marks if m not in _TONES]
    return len(marks) - len(qualities) <= 1 and all((base, m) in _QUALITIES for m in qualities)


def _foreign(chars) -> str:
    """The characters of `chars` that are no Vietnamese letter: seeing them is what makes text suspect."""
    return "".join(sorted({c for c in chars if not _is_vietnamese_letter(c)}))


_VNI_CHARS = set("".join(_VNI))
_TCVN3_CHARS = {chr(byte) for byte in _TCVN3_BYTES}
_SUSPECTS = _foreign(_VNI_CHARS | _TCVN3_CHARS)
_SUSPECT_RE = re.compile(f"[{re.escape(_SUSPECTS)}]")
_WORD_RES = {
    Encoding.VNI: re.compile(f"(?:[^\\W\\d_]|[{re.escape(''.join(sorted(_VNI_CHARS)))}])+"),
    Encoding.TCVN3: re.compile(f"(?:[^\\W\\d_]|[{re.escape(''.join(sorted(_TCVN3_CHARS)))}])+"),
}


def has_suspects(text: str) -> bool:
    """Whether `text` holds a character that VNI or TCVN3 text has and Vietnamese in Unicode has not
    (a cheap test before `to_unicode`)."""
    return _SUSPECT_RE.search(text) is not None


def convert(word: str, encoding: Encoding) -> str:
    """`word` (or any text) read as `encoding`, in Unicode NFC, without any check."""
    if encoding is Encoding.TCVN3:
        return nfc("".join(_TCVN3.get(ord(c), c) for c in word))
    return nfc(_VNI_RE.sub(lambda m: _VNI[m.group(0)], word))


@dataclass(frozen=True)
class Conversion:
    """Text converted from a legacy encoding: the encoding, the new text, how many words changed and
    the words that look legacy-typed but are no Vietnamese syllable in that encoding either."""

    encoding: Encoding | None
    text: str
    words: int = 0
    unrecognised: tuple[str, ...] = ()


def _plan(text: str, encoding: Encoding, latin1: bool) -> tuple[dict[str, str], int, list[str]]:
    """Words of `text` to convert from `encoding`, how many words the conversion would break,
    and the suspect words it cannot convert. Text of Latin-1 characters only (all legacy text
    is) also converts words that are syllables both ways ("kÕt" is "kõt" or "kết")."""
    changes: dict[str, str] = {}
    broken = 0
    unknown: list[str] = []
    for word in set(_WORD_RES[encoding].findall(text)):
        converted = convert(word, encoding)
        if converted == word:
            continue
        before, after = is_syllable(word), is_syllable(converted)
        if after and not before:
            changes[word] = converted
        elif before and not after:
            broken += len(word) > 1
        elif not after and has_suspects(word):
            unknown.append(word)
        elif after and latin1:
            changes[word] = converted  # decided below, with the text's other words
    return changes, broken, unknown


def to_unicode(text: str) -> Conversion:
    """`text` with its VNI- or TCVN3-typed words converted (see the module's docstring); text
    without any character of those encodings is returned as it is."""
    if not has_suspects(text):
        return Conversion(None, text)
    latin1 = all(ord(c) < 0x100 for c in text)
    best: tuple[int, Encoding, dict[str, str], list[str]] | None = None
    for encoding in Encoding:
        changes, broken, unknown = _plan(text, encoding, latin1)
        gain = sum(1 for w, c in changes.items() if len(w) > 1 and not is_syllable(w))
        if gain > broken and (best is None or gain > best[0]):
            best = (gain, encoding, changes, unknown)
    if best is None:
        return Conversion(None, text)
    _, encoding, changes, unknown = best
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        word = match.group(0)
        if word in changes:
            count += 1
            return changes[word]
        return word

    converted = _WORD_RES[encoding].sub(replace, text)
    return Conversion(encoding, converted, count, tuple(sorted(unknown)))


def normalise(text: str) -> str:
    """Imported text as we keep it: legacy encodings converted, NFC, tone marks of oa, oe, uy on
    the first vowel ("hoà" -> "hòa", see `vietnamese.normalize_tone_placement`)."""
    return normalize_tone_placement(to_unicode(nfc(text)).text)

"""Vietnamese text rules: normalisation, slugs, search folding, collation,
dates, reading time and number formatting.

Every other module should use these helpers instead of its own rules.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata

from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal as _babel_format_decimal
from slugify import slugify as _python_slugify

__all__ = [
    "nfc",
    "normalize_tone_placement",
    "slugify",
    "fold",
    "sort_key",
    "format_date",
    "format_datetime",
    "format_month",
    "iso_date",
    "reading_time",
    "format_reading_time",
    "format_count",
    "VIETNAM_TZ",
    "vietnam_naive",
    "now_in_vietnam",
    "ALPHABET",
    "TONE_MARKS",
    "WORDS_PER_MINUTE",
]

LOCALE = "vi"
VIETNAM_TZ = datetime.timezone(datetime.timedelta(hours=7), "ICT")
WORDS_PER_MINUTE = 230

# Vietnamese alphabet, with f j w z at their Latin positions.
ALPHABET = (
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j",
    "k", "l", "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư",
    "v", "w", "x", "y", "z",
)

# Tone marks (combining characters) in dictionary order:
# ngang (none) < huyền < hỏi < ngã < sắc < nặng.
TONE_MARKS = {
    "\u0300": 1,  # huyền (grave)
    "\u0309": 2,  # hỏi (hook above)
    "\u0303": 3,  # ngã (tilde)
    "\u0301": 4,  # sắc (acute)
    "\u0323": 5,  # nặng (dot below)
}

# Base letter + vowel-quality mark -> distinct Vietnamese letter.
_VOWEL_QUALITY = {
    ("a", "\u0306"): "ă",  # breve
    ("a", "\u0302"): "â",  # circumflex
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",  # horn
    ("u", "\u031b"): "ư",
}

_VOWELS = frozenset("aeiouy")

# Blocks of combining diacritical marks stripped by fold().
_COMBINING_BLOCKS = (
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC."""
    return unicodedata.normalize("NFC", text)


# --- tone placement -------------------------------------------------------

_TONED_A = "àảãáạ"
_TONED_E = "èẻẽéẹ"
_TONED_Y = "ỳỷỹýỵ"


def _both_cases(chars: str) -> str:
    return chars + chars.upper()


# o/u followed by a toned vowel that ends the syllable (no letter after it);
# _move_tone() keeps only the pairs o+a, o+e, u+y. "qu" is a consonant, so
# "quý", "quỳ" are left alone.
_OLD_TONE_RE = re.compile(
    "([oOuU])(?<![qQ].)"
    f"([{_both_cases(_TONED_A + _TONED_E + _TONED_Y)}])"
    r"(?![^\W\d_])"
)
_OLD_TONE_PAIRS = frozenset({("o", "a"), ("o", "e"), ("u", "y")})


def _move_tone(match: re.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    base, tone = unicodedata.normalize("NFD", second)  # e.g. "a", "\u0300"
    if (first.lower(), base.lower()) not in _OLD_TONE_PAIRS:
        return match.group(0)
    return unicodedata.normalize("NFC", first + tone) + base


def normalize_tone_placement(text: str) -> str:
    """NFC `text` and move tone marks of syllable-final oa, oe, uy onto the
    first vowel ("hoà" -> "hòa", "thuý" -> "thúy", "khoẻ" -> "khỏe").

    Syllables where both styles agree ("hoàng", "toán", "quyết", "quý")
    are unchanged.
    """
    return _OLD_TONE_RE.sub(_move_tone, nfc(text))


# --- slugs and search folding --------------------------------------------


def slugify(text: str) -> str:
    """ASCII URL slug: "Đặng Thị Hường" -> "dang-thi-huong".

    Returns "" when `text` has no letters or digits.
    """
    return _python_slugify(nfc(text), lowercase=True, separator="-")


def _build_fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord("đ"): "d", ord("Đ"): "D"}
    for start, end in _COMBINING_BLOCKS:
        for code in range(start, end + 1):
            if unicodedata.combining(chr(code)) or unicodedata.category(chr(code)) == "Mn":
                table[code] = None
    return table


_FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Search folding: lowercase, no diacritics, đ -> d; other characters
    kept ("ĐẢNG VIÊN" -> "dang vien").

    Tone placement needs no normalising here: all tone marks are removed.
    """
    decomposed = unicodedata.normalize("NFD", text.lower())
    return nfc(decomposed.translate(_FOLD_TABLE))


# --- collation -----------------------------------------------------------

# Primary weights: digits keep their ASCII code points (0x30-0x39); letters
# map to chr(0x41 + position in ALPHABET), so digits sort before letters and
# any other alphanumeric character (Greek, CJK, ...) sorts after them.
# Both weight kinds are above the word terminator "\x01".
_WORD_END = "\x01"
_LETTER_BASE = 0x41


def _build_collation_tables() -> tuple[dict[int, str], dict[int, str | None]]:
    """Tables for str.translate: char -> primary weight, char -> tone digit."""
    rank = {letter: chr(_LETTER_BASE + i) for i, letter in enumerate(ALPHABET)}
    primary: dict[int, str] = {}
    tones: dict[int, str | None] = {}
    for code in list(range(0x0000, 0x0250)) + list(range(0x1E00, 0x1F00)):
        char = chr(code)
        if not char.isalpha():
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0].lower(), decomposed[1:]
        if base not in rank:
            continue
        letter, tone = base, 0
        for mark in marks:
            letter = _VOWEL_QUALITY.get((base, mark), letter)
            if base in _VOWELS:
                tone = TONE_MARKS.get(mark, tone)
        primary[code] = rank[letter]
        tones[code] = str(tone) if tone else None
    for digit in "0123456789":
        tones[ord(digit)] = None
    return primary, tones


_PRIMARY_TABLE, _TONE_TABLE = _build_collation_tables()
_WORD_RE = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    """Letters, terminator, tone, terminator: compares letters before tone."""
    return (
        word.translate(_PRIMARY_TABLE) + _WORD_END + word.translate(_TONE_TABLE) + _WORD_END
    )


def sort_key(text: str) -> tuple[str, str, str]:
    """Vietnamese collation key, for `sorted(items, key=sort_key)`.

    Words are compared one by one: first by letters (a ă â b c d đ e ê ...,
    digits first, case-insensitive), then by tone (ngang, huyền, hỏi, ngã,
    sắc, nặng). Ties are broken by case (lowercase first), then by the
    normalised text. Punctuation only separates words. NFD input and
    old-style tone placement give the same key as NFC/new style.
    """
    normalized = normalize_tone_placement(text)
    words = _WORD_RE.findall(normalized)
    letters_and_tones = "".join(map(_word_key, words))
    case = " ".join(words).swapcase()  # lowercase letters become the smaller code points
    return (letters_and_tones, case, normalized)


# --- dates ---------------------------------------------------------------


def _vietnam_time(value: datetime.datetime) -> datetime.datetime:
    """Aware datetimes converted to Vietnam time; naive ones taken as such."""
    if value.tzinfo is None:
        return value
    return value.astimezone(VIETNAM_TZ)


def vietnam_naive(value: datetime.datetime) -> datetime.datetime:
    """The naive Vietnam time of `value` (how content dates are kept): aware values are
    converted, naive ones are taken as Vietnam time already."""
    if value.tzinfo is None:
        return value
    return value.astimezone(VIETNAM_TZ).replace(tzinfo=None)


def now_in_vietnam() -> datetime.datetime:
    """The current naive Vietnam time (UTC+7, no daylight saving)."""
    return vietnam_naive(datetime.datetime.now(datetime.timezone.utc))


def _weekday_name(value: datetime.date) -> str:
    """Babel's Vietnamese weekday, capitalised per word: "Thứ Hai", "Chủ Nhật"."""
    return _weekday_by_number(value.weekday())


@functools.lru_cache(maxsize=7)
def _weekday_by_number(weekday: int) -> str:
    monday = datetime.date(2024, 1, 1)  # a Monday
    name = _babel_format_date(monday + datetime.timedelta(days=weekday), "EEEE", locale=LOCALE)
    return " ".join(word[:1].upper() + word[1:] for word in name.split())


def format_date(value: datetime.date | datetime.datetime) -> str:
    """ "Thứ Năm, 26/11/2026" (day and month zero-padded)."""
    if isinstance(value, datetime.datetime):
        value = _vietnam_time(value).date()
    return f"{_weekday_name(value)}, {value.day:02d}/{value.month:02d}/{value.year}"


def format_datetime(value: datetime.datetime) -> str:
    """ "Thứ Năm, 26/11/2026, 08:30" (Vietnam time). A date gives format_date."""
    if not isinstance(value, datetime.datetime):
        return format_date(value)
    value = _vietnam_time(value)
    return f"{format_date(value)}, {value.hour:02d}:{value.minute:02d}"


def format_month(year: int, month: int) -> str:
    """ "Tháng 11/2026", "Tháng 3/2026" (month not padded)."""
    return f"Tháng {month}/{year}"


def iso_date(value: datetime.date | datetime.datetime) -> str:
    """ISO 8601: "2026-11-26" for dates, "2026-11-26T08:30:00+07:00" for
    datetimes (naive ones are taken as Vietnam time)."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=VIETNAM_TZ)
        else:
            value = value.astimezone(VIETNAM_TZ)
        return value.isoformat(timespec="seconds")
    return value.isoformat()


# --- reading time and numbers ---------------------------------------------

# (pattern, replacement, needles): a pattern runs only on a text holding one of its needles.
_MARKDOWN_NOISE = [
    (re.compile(r"<!--.*?-->", re.S), " ", ("<!--",)),  # HTML comments
    (re.compile(r"<[^>]+>"), " ", ("<",)),  # HTML tags
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r" \1 ", ("](",)),  # links, images: keep text
    (re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.M), " ", ("]:",)),  # reference definitions
    (re.compile(r"(?:https?|ftp)://\S+|www\.\S+|\S+@\S+\.\w+"), " ", ("://", "www.", "@")),  # URLs, e-mails
    (re.compile(r"\{[:#.][^}]*\}"), " ", ("{",)),  # attribute lists {: .class }
]


def reading_time(markdown_text: str) -> int:
    """Minutes to read `markdown_text` at 230 words (syllables) a minute, at least 1."""
    text = nfc(markdown_text)
    for pattern, replacement, needles in _MARKDOWN_NOISE:
        if any(needle in text for needle in needles):
            text = pattern.sub(replacement, text)
    words = len(_WORD_RE.findall(text))
    return max(1, int(words / WORDS_PER_MINUTE + 0.5))


def format_count(n: int) -> str:
    """Vietnamese digit grouping: 1234567 -> "1.234.567"."""
    return _babel_format_decimal(n, locale=LOCALE)


def format_reading_time(minutes: int) -> str:
    """ "3 phút đọc"."""
    return f"{format_count(minutes)} phút đọc"

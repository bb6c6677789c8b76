"""Places, units and people named in an article's text, as proposals for its front matter.

Our rules, for Vietnamese news writing:

- a place is an administrative word followed by a capitalised name: "xã Trung Mỹ", "thôn Ba Gò",
  "huyện Bình Xuyên", "tỉnh Vĩnh Phúc", "thị trấn Hương Canh"; "Huyện ủy Bình Xuyên" and
  "Huyện Đoàn Bình Xuyên" name the district too. Names stay as written (no mapping across the
  2025 reform here; that is the places registry's job);
- a person is a form of address followed by a capitalised name, then maybe ", role" up to a
  verb of speech: "Bà Nguyễn Thị Phượng, Chủ nhiệm CLB ..., cho biết";
- units are the terms of the project's organisations vocabulary the text names, and other
  phrases such as "Đảng ủy xã Sơn Lôi", "UBND xã Trung Mỹ".
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from ..vietnamese import fold

_COMMUNE = ("xã", "phường", "thị trấn")
_DISTRICT = ("huyện", "quận", "thị xã")
_PROVINCE = ("tỉnh",)
_VILLAGE = ("thôn", "xóm", "bản", "làng", "ấp", "tổ dân phố", "khu phố", "khu dân cư")
_CITY = ("thành phố", "TP.", "TP")
#: Cities that are provinces ("thành phố trực thuộc trung ương").
_PROVINCE_CITIES = frozenset({"hà nội", "hồ chí minh", "hải phòng", "đà nẵng", "cần thơ", "huế"})
#: Capitalised words that start a unit, not a place name ("Huyện Đoàn", "xã Hội ...").
_NOT_A_NAME = frozenset({"đoàn", "ủy", "uỷ", "hội", "đảng", "ban", "công", "mặt", "trường", "phòng", "sở", "chi",
                         "ubnd", "hđnd", "mttq", "bch", "chqs", "nông", "cựu", "liên", "ngày", "năm", "tháng"})
_PARTY_OF = {"huyện ủy": "huyện", "huyện uỷ": "huyện", "huyện đoàn": "huyện", "tỉnh ủy": "tỉnh", "tỉnh uỷ": "tỉnh",
             "tỉnh đoàn": "tỉnh", "thị ủy": "thị xã", "thị uỷ": "thị xã", "thành ủy": "thành phố",
             "thành uỷ": "thành phố"}
_ADDRESS = ("ông", "bà", "anh", "chị", "cô", "thầy", "cụ", "đồng chí", "cô giáo", "thầy giáo", "bác sĩ", "em",
            "cháu", "chú", "thiếu tá", "trung tá", "thượng tá", "đại tá", "đại úy", "thượng úy", "trung úy")
_SPEECH = r"(?:cho biết|chia sẻ|nói|khẳng định|kể|kể lại|tâm sự|bày tỏ|nhấn mạnh|thông tin|cho hay|phấn khởi|nhớ lại)"
_TOKEN = re.compile(r"\w+(?:\.\w+)*\.?|[^\w\s]")
_UNIT = re.compile(
    r"\b((?:Đảng ủy|Đảng uỷ|Đảng bộ|Chi bộ|UBND|HĐND|Ủy ban nhân dân|Hội LHPN|Hội Liên hiệp Phụ nữ|Hội Nông dân|"
    r"Hội Cựu chiến binh|Hội CCB|Đoàn Thanh niên|Ban CHQS|Ban Chỉ huy Quân sự|Công an|Trạm Y tế|Trường [A-ZĐ]\w+|"
    r"Hợp tác xã|HTX|Mặt trận Tổ quốc|MTTQ)\s+(?:xã|phường|thị trấn|huyện|quận|thị xã|tỉnh|thành phố|thôn)\s+"
    r"[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ]\w*(?:\s+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ]\w*){0,3})"
)


@dataclass(frozen=True)
class PlaceName:
    """A place as the text writes it: its administrative word ("xã") and its name ("Trung Mỹ")."""

    level: str
    name: str

    @property
    def written(self) -> str:
        return f"{self.level} {self.name}"


@dataclass
class Places:
    """The places of a text by level, in order of first mention, with how often each is named."""

    communes: list[PlaceName] = field(default_factory=list)
    districts: list[PlaceName] = field(default_factory=list)
    provinces: list[PlaceName] = field(default_factory=list)
    villages: list[PlaceName] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    # the commune or district each village or commune is named with ("thôn Ba Gò, xã Trung Mỹ")
    within: dict[PlaceName, PlaceName] = field(default_factory=dict)


@dataclass(frozen=True)
class PersonName:
    name: str
    role: str = ""


def _capitalised(token: str) -> bool:
    return token[:1].isupper() and token[:1].isalpha()


def _level_index() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First word of an administrative word (lowercase) -> its words and kind, longest first."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    kinds = (("commune", _COMMUNE), ("district", _DISTRICT), ("province", _PROVINCE), ("village", _VILLAGE),
             ("city", _CITY))
    for kind, levels in kinds:
        for level in levels:
            words = tuple(level.lower().split())
            index.setdefault(words[0], []).append((words, kind))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return index


_LEVELS = _level_index()


def _match_level(tokens: list[str], i: int) -> tuple[str, str, int] | None:
    """(kind, administrative word, its length in tokens) at `tokens[i]`, case-insensitive, or None."""
    for words, kind in _LEVELS.get(tokens[i].lower(), ()):
        if tuple(t.lower() for t in tokens[i:i + len(words)]) == words:
            return kind, " ".join(words), len(words)
    return None


def _name_at(tokens: list[str], start: int) -> tuple[str, int]:
    """The capitalised name starting at `tokens[start]` (at most four words) and its length."""
    words: list[str] = []
    for token in tokens[start:start + 4]:
        if not _capitalised(token) or (not words and token.lower() in _NOT_A_NAME):
            break
        words.append(token)
    return " ".join(words), len(words)


def find_places(text: str) -> Places:
    """Every place named in `text`."""
    found = Places()
    for sentence in re.split(r"(?<=[.;:!?])\s+|\n", text):
        tokens = _TOKEN.findall(sentence)
        previous: tuple[str, PlaceName] | None = None
        i = 0
        while i < len(tokens):
            party = " ".join(tokens[i:i + 2]).lower()
            if party in _PARTY_OF:
                name, length = _name_at(tokens, i + 2)
                if length:
                    level = _PARTY_OF[party]
                    place = PlaceName(level, name)
                    target = found.provinces if level == "tỉnh" else found.districts
                    _add(found, target, place)
                    i += 2 + length
                    continue
            matched = _match_level(tokens, i)
            if matched is None:
                if tokens[i] not in (",", "-"):
                    previous = None
                i += 1
                continue
            kind, level, length = matched
            name, name_length = _name_at(tokens, i + length)
            if not name_length:
                i += length
                continue
            if kind == "city":
                kind = "province" if name.lower() in _PROVINCE_CITIES else "district"
                level = "thành phố"
            place = PlaceName(level.lower(), name)
            _add(found, getattr(found, {"commune": "communes", "district": "districts", "province": "provinces",
                                        "village": "villages"}[kind]), place)
            order = ("village", "commune", "district", "province")
            if previous is not None and order.index(previous[0]) < order.index(kind):
                found.within.setdefault(previous[1], place)
            previous = (kind, place)
            i += length + name_length
    return found


def _add(found: Places, target: list[PlaceName], place: PlaceName) -> None:
    found.counts[place] += 1
    if place not in target:
        target.append(place)


def find_people(text: str) -> list[PersonName]:
    """People introduced by a form of address ("Bà Nguyễn Thị Phượng, Chủ nhiệm CLB ..."), in order."""
    people: dict[str, PersonName] = {}
    address = "|".join(sorted((re.escape(a) for a in _ADDRESS), key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?i:{address})\s+(?=(?P<rest>[^\n]{{0,400}}))")
    for match in pattern.finditer(text):
        tokens = _TOKEN.findall(match.group("rest"))
        name, length = _name_at(tokens, 0)
        if length < 2 and not (length == 1 and match.group(0)[:1].islower()):
            continue  # "Anh Tuấn" at a sentence start may be a pronoun and a name; two words are a name
        if fold(name) in {"bac", "bac ho"}:
            continue
        role = ""
        after = match.group("rest")[len(" ".join(tokens[:length])):]
        if after.startswith(","):
            role_match = re.match(rf",\s*([^.:;()]{{3,200}}?)\s*,?\s*(?:{_SPEECH}\b|:)", after)
            if role_match:
                role = role_match.group(1).strip()
        if name not in people or (role and not people[name].role):
            people[name] = PersonName(name, role)
    return list(people.values())


def find_units(text: str) -> list[str]:
    """Units written with their place ("Đảng ủy xã Sơn Lôi", "UBND xã Trung Mỹ"), in order."""
    return list(dict.fromkeys(m.group(1) for m in _UNIT.finditer(text)))


@functools.lru_cache(maxsize=4096)
def _term_pattern(term) -> tuple[tuple[str, ...], re.Pattern[str] | None]:
    """The folded names of `term` and one pattern finding them as whole words."""
    names = tuple(sorted({" ".join(fold(n).split()) for n in (term.name, term.short_name, *term.aliases)
                          if n and len(n) > 3}, key=len, reverse=True))
    return names, re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in names)) if names else None


def mentioned_terms(text: str, terms) -> list[tuple[int, object]]:
    """(times named, term) for the vocabulary `terms` whose name, short name or an alias the text
    holds (compared folded, as whole words), most named first."""
    folded = " ".join(fold(text).split())
    counts = []
    for term in terms:
        names, pattern = _term_pattern(term)
        hits = len(pattern.findall(folded)) if pattern is not None and any(n in folded for n in names) else 0
        if hits:
            counts.append((hits, term))
    counts.sort(key=lambda item: -item[0])
    return counts

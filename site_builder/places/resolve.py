"""A place as written (province, district, commune) resolved to today's units.

`resolve(province, district, commune, as_of)` reads the place as a place before the reform of
1 July 2025 ("old") or after it ("new") and gives the current province and communes:

- an old commune gives the new commune(s) it became part of (several when it was split);
- a district alone gives every new commune its communes became part of (districts ended);
- a province alone gives its current province (Vĩnh Phúc -> Phú Thọ).

How it is read: a district named, or a province that no longer exists, means old; a name that
is a commune before and after the reform, now different places, is read by `as_of` (the date the
text was written: before 1 July 2025, old) or reported as ambiguous without one. Names are
matched with or without their kind ("xã", "phường", "TT."), in any case, with either tone
placement (`names.name_key`); a name matching nothing, or several units that are now different
places, is a `Problem` with suggestions (names that differ only by diacritics or are close).

Results are cached by what is written: a site repeats a few hundred places over thousands of
stories, and each costs a few dictionary lookups anyway.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from dataclasses import dataclass
from typing import NamedTuple

from site_builder.i18n import _
from site_builder.places import names
from site_builder.places.names import Level
from site_builder.places.registry import REFORM_DATE, Era, Registry, Unit, registry
from site_builder.vietnamese import sort_key

#: Other names of provinces editors write, by `names.name_key` -> the official proper name's key.
PROVINCE_ALIASES = {
    "hcm": "hồchíminh", "tphcm": "hồchíminh", "sàigòn": "hồchíminh",
    "thừathiênhuế": "huế",  # Tỉnh Thừa Thiên Huế became Thành phố Huế on 1 January 2025
}
SUGGESTIONS = 3


@dataclass(frozen=True)
class Problem:
    """Why a part of a place could not be resolved (or was resolved with a doubt)."""

    field: str  # "province", "district" or "commune"
    message: str


@dataclass(frozen=True, eq=False)
class Resolution:
    """What a written place is today, and how it was read."""

    province: Unit | None = None  # the current province; None when the province is unknown
    communes: tuple[Unit, ...] = ()  # current communes of a commune (or, level "district", of a district)
    level: Level | None = None  # the finest part resolved
    era: Era | None = None  # read as a place before ("old") or since ("new") the reform
    old_province: Unit | None = None
    old_district: Unit | None = None
    old_commune: Unit | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether today's name differs from the one written (the page then says "nay là ...")."""
        if self.era != "old" or self.province is None:
            return False
        province_changed = self.old_province is not None and _key(self.old_province) != _key(self.province)
        if self.level == "district":
            return True
        if self.level == "commune" and self.old_commune is not None:
            same = len(self.communes) == 1 and _key(self.communes[0], kind=True) == _key(self.old_commune, kind=True)
            return province_changed or not same
        return province_changed

    @property
    def now(self) -> str:
        """Today's units in running text: "xã Bình Tuyền, tỉnh Phú Thọ" ("" when unknown)."""
        if self.province is None:
            return ""
        if self.communes and self.level in ("commune", "district"):
            return f"{names.join([u.name for u in self.communes], 'commune')}, {self.province.label}"
        return self.province.label


class Written(NamedTuple):
    """A place as written, split into its parts (see `parse`)."""

    province: str
    district: str = ""
    commune: str = ""


def resolve(province: str, district: str = "", commune: str = "", as_of: dt.date | None = None) -> Resolution:
    """Today's units of a place as written (see the module docstring); `as_of` is the date it was written."""
    after = None if as_of is None else as_of >= REFORM_DATE
    return _resolve(province.strip(), district.strip(), commune.strip(), after)


def parse(text: str) -> Written:
    """Split a place written on one line, smallest part first, into its parts:
    "thôn Ba Gò, xã Trung Mỹ, huyện Bình Xuyên, tỉnh Vĩnh Phúc" -> ("tỉnh Vĩnh Phúc",
    "huyện Bình Xuyên", "xã Trung Mỹ"). Parts below the commune (thôn, xóm, ấp, tổ) are left out;
    a part without a kind is the province when it is the last, else the commune."""
    parts = [p.strip() for p in names.nfc(text).replace(";", ",").split(",") if p.strip()]
    found = {"province": "", "district": "", "commune": ""}
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        level = _level(part, last)
        if level is None and last and not found["province"]:
            level = "province"
        elif level is None and not _below_commune(part):  # unnamed parts: the commune, then the district
            level = "commune" if not found["commune"] else "district"
        if level is not None and not found[level]:
            found[level] = part
    return Written(found["province"], found["district"], found["commune"])


def _level(part: str, last: bool) -> Level | None:
    """The level a part's kind says ("thành phố" is a province when it comes last, else a district)."""
    for level in ("commune", "district", "province"):
        kind = names.split_name(part, level)[0]  # type: ignore[arg-type]
        if kind and not (level == "district" and kind == "thành phố" and last):
            return level  # type: ignore[return-value]
    return None


def _below_commune(part: str) -> bool:
    return part.lower().split(" ", 1)[0] in ("thôn", "xóm", "ấp", "bản", "tổ", "khu", "làng", "buôn", "số", "khối")


def former_names(unit: Unit) -> str:
    """What a current unit was made of, for its page: "thị trấn Bá Hiến và xã Trung Mỹ
    (huyện Bình Xuyên, tỉnh Vĩnh Phúc)"; for a province, "các tỉnh Hòa Bình, Phú Thọ và Vĩnh Phúc"."""
    reg = registry()
    if unit.level == "province":
        olds = sorted(reg.predecessors(unit), key=lambda u: _sort(u.proper))
        return names.join([u.name for u in olds], "province")
    groups: dict[tuple[str, str], list[Unit]] = {}
    for old in reg.predecessors(unit):
        groups.setdefault((old.district, old.province), []).append(old)
    parts = []
    for (district, province), olds in groups.items():
        where = [reg.old_district(district).label] if reg.old_district(district) else []
        where.append(reg.old_provinces[province].label)
        whole = names.join([u.name for u in sorted(olds, key=lambda u: _sort(u.proper))], "commune")
        parts.append(f"{whole} ({', '.join(where)})")
    return "; ".join(parts)


# --- resolution ------------------------------------------------------------------------------


def _key(unit: Unit, kind: bool = False) -> str:
    return (unit.kind + " " if kind else "") + names.name_key(unit.proper)


def _sort(text: str) -> tuple[str, str, str]:
    return sort_key(text)


@functools.lru_cache(maxsize=65536)
def _resolve(province: str, district: str, commune: str, after: bool | None) -> Resolution:
    reg = registry()
    if not province:
        return Resolution()
    news, olds, problem = _province(province)
    if problem is not None:
        return Resolution(problems=(problem,))
    old_province = olds[0] if olds else None
    current = news[0] if news else reg.new_province_of(olds[0])
    problems: list[Problem] = []
    near = [old_province.code] if old_province else [u.code for u in reg.old_provinces_of.get(current.code, ())]
    # a province that still exists covers its former provinces; a former one only itself
    wide = [u.code for u in reg.old_provinces_of.get(current.code, ())] if news else near

    old_district = _district(reg, district, near, wide, province, problems) if district else None
    if old_district is not None:
        old_province = reg.old_provinces[old_district.province]
    if not commune:
        if old_district is not None:
            return Resolution(current, reg.successors(old_district), "district", "old", old_province, old_district,
                              problems=tuple(problems))
        era: Era = "new" if news else "old"
        return Resolution(current, (), "province", era, old_province if era == "old" else None,
                          problems=tuple(problems))
    return _commune(reg, commune, bool(district), old_district, old_province, near, wide, current, province,
                    bool(news), after, problems)


@functools.lru_cache(maxsize=4096)
def _province(written: str) -> tuple[list[Unit], list[Unit], Problem | None]:
    """(today's provinces, former provinces) of that name, or a problem when there is none."""
    reg = registry()
    key = names.name_key(names.split_name(written, "province")[1])
    key = PROVINCE_ALIASES.get(key, key)
    news, olds = reg.province_by_key.get(key, []), reg.old_province_by_key.get(key, [])
    return news, olds, None if news or olds else _unknown_province(reg, written)


def _district(reg: Registry, written: str, near: list[str], wide: list[str], shown: str,
              problems: list[Problem]) -> Unit | None:
    """The old district written (None, with a problem, when there is none or several)."""
    kind, own = names.split_name(written, "district")
    key = names.name_key(own)
    found: list[Unit] = []
    for scope in (near, wide):
        found = [u for code in scope for u in reg.old_units(code)[0].get(key, [])]
        if found:
            break
    if kind and len(found) > 1:
        found = [u for u in found if u.kind == kind] or found
    if len(found) == 1:
        return found[0]
    if found:
        problems.append(Problem("district", _(
            "{name!r} names several former districts of {province}: {choices}; write the kind too "
            "(huyện, quận, thị xã, thành phố)").format(
            name=written, province=shown, choices=", ".join(f"'{u.label}'" for u in found))))
        return None
    candidates = [u for code in wide for group in reg.old_units(code)[0].values() for u in group]
    problems.append(Problem("district", _(
        "there was no district {name!r} in {province} before the 2025 reform{hint}").format(
        name=written, province=shown, hint=_hint(own, candidates, lambda u: _where(reg, u)))))
    return None


def _commune(reg: Registry, written: str, district_written: bool, old_district: Unit | None,
             old_province: Unit | None, near: list[str], wide: list[str], current: Unit, shown: str,
             province_is_current: bool, after: bool | None, problems: list[Problem]) -> Resolution:
    """The commune written, read as a commune before or since the reform (see the module docstring)."""
    kind, own = names.split_name(written, "commune")
    key = names.name_key(own)
    olds: list[Unit] = []
    scopes = ([old_district.province],) if old_district is not None else ()
    for scope in (*scopes, near, wide):
        olds = [u for code in scope for u in reg.old_units(code)[1].get(key, [])]
        if old_district is not None and scope is scopes[0]:
            olds = [u for u in olds if u.district == old_district.code]
        if olds:
            break
    news = list(reg.communes_in(current.code).get(key, []))
    if kind:
        olds = [u for u in olds if u.kind == kind] or olds
        news = [u for u in news if u.kind == kind] or news
    if old_district is not None and olds and all(u.district != old_district.code for u in olds):
        problems.append(Problem("district", _(
            "{commune} was not in {district} but in {actual}: correct the district").format(
            commune=olds[0].label, district=old_district.label, actual=_where(reg, olds[0]))))

    prefer_old = district_written or not province_is_current or after is False
    prefer_new = not prefer_old and after is True
    if olds and news:
        read = "old" if prefer_old else "new" if prefer_new or _same(olds, news) else None
    else:
        read = "old" if olds else "new" if news else ""
    if read == "old":
        if len({u.successors for u in olds}) > 1:
            problems.append(Problem("commune", _(
                "before the 2025 reform {province} had several communes named {name!r}, now in different places: "
                "{choices}; add the district (place.district) to say which").format(
                province=(old_province or current).label, name=written,
                choices="; ".join(f"{u.label} ({_where(reg, u)}) → {_now(reg, u)}" for u in olds))))
            return Resolution(current, (), "province", "old", old_province, old_district, problems=tuple(problems))
        unit = olds[0]
        return Resolution(current, reg.successors(unit), "commune", "old", reg.old_provinces[unit.province],
                          reg.old_district(unit.district), unit, tuple(problems))
    if read == "new":
        if len(news) == 1:
            return Resolution(current, (news[0],), "commune", "new", problems=tuple(problems))
        problems.append(Problem("commune", _(
            "{province} has several communes named {name!r}: {choices}; write the kind too (xã, phường, đặc khu)")
            .format(province=current.label, name=written, choices=", ".join(f"'{u.label}'" for u in news))))
        return Resolution(current, (), "province", "new", problems=tuple(problems))
    if read is None:  # a commune's name before and after the reform, now different places, and no date
        problems.append(Problem("commune", _(
            "{name!r} is a commune of {province} both before the 2025 reform ({old}, now {now}) and after it: "
            "add the district (place.district) to mean the former commune").format(
            name=written, province=shown, old=f"{olds[0].label}, {_where(reg, olds[0])}",
            now=_now(reg, olds[0]))))
        return Resolution(current, (), "province", None, old_province, old_district, problems=tuple(problems))
    candidates = [u for code in wide for group in reg.old_units(code)[1].values() for u in group]
    candidates += [u for group in reg.communes_in(current.code).values() for u in group]
    problems.append(Problem("commune", _(
        "there is no commune, ward or town {name!r} in {province}, before or after the 2025 reform{hint}").format(
        name=written, province=shown, hint=_hint(own, candidates, lambda u: _where(reg, u)))))
    era: Era = "old" if old_district is not None or not province_is_current else "new"
    return Resolution(current, (), "province", era, old_province if era == "old" else None, old_district,
                      problems=tuple(problems))


def _same(olds: list[Unit], news: list[Unit]) -> bool:
    """Whether the old communes of a name all became exactly the new commune of that name."""
    return len(news) == 1 and all(u.successors == (news[0].code,) for u in olds)


def _where(reg: Registry, unit: Unit) -> str:
    """Where a unit is: "huyện Bình Xuyên, tỉnh Vĩnh Phúc" (old), "tỉnh Phú Thọ" (new)."""
    if unit.era == "new":
        return reg.provinces[unit.province].label if unit.province else ""
    parts = []
    district = reg.old_district(unit.district) if unit.level == "commune" else None
    if district is not None:
        parts.append(district.label)
    parts.append(reg.old_provinces[unit.province].label)
    return ", ".join(parts)


def _now(reg: Registry, unit: Unit) -> str:
    return names.join([u.name for u in reg.successors(unit)], unit.level)


@functools.lru_cache(maxsize=None)
def _loose(unit: Unit) -> str:
    return names.loose_key(unit.proper)


def _unknown_province(reg: Registry, written: str) -> Problem:
    candidates = [*reg.provinces.values(), *reg.old_provinces.values()]
    own = names.split_name(written, "province")[1]
    return Problem("province", _(
        "there is no province or city {name!r}, before or after the 2025 reform{hint}").format(
        name=written, hint=_hint(own, candidates, lambda u: "")))


def _hint(written: str, candidates: list[Unit], where) -> str:
    """"; did you mean 'xã Trung Mỹ' (huyện Bình Xuyên, tỉnh Vĩnh Phúc)?" or ""."""
    loose = names.loose_key(written)
    by_key: dict[str, list[Unit]] = {}
    for unit in dict.fromkeys(candidates):
        by_key.setdefault(_loose(unit), []).append(unit)
    keys = [loose] if loose in by_key else difflib.get_close_matches(loose, list(by_key), n=SUGGESTIONS, cutoff=0.75)
    chosen = [u for k in keys for u in by_key[k]][:SUGGESTIONS]
    if not chosen:
        return ""
    shown = []
    for unit in chosen:
        place = where(unit)
        era = _("before 2025") if unit.era == "old" else _("since 2025")
        shown.append(f"'{unit.label}' ({place + ', ' if place else ''}{era})")
    return _("; did you mean {choices}?").format(choices=", ".join(shown))

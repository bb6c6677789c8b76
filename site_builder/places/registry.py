"""The registry of Vietnam's administrative units before and after the reform of 1 July 2025.

Read once per process from `data/vn-admin-2025.json.gz` (see its README: sources, licences,
format; `scripts/places_data.py` makes it) into `Unit`s with the indexes resolution needs:
units by proper name (`names.name_key`) within their province or district, the new units of an
old one (`successors`) and the old units of a new one (`predecessors`). Building them is linear
in the number of units of a province, done once per province a site names (`registry()`).
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from site_builder.places import names
from site_builder.places.names import Level

DATA = Path(__file__).resolve().parent / "data" / "vn-admin-2025.json.gz"
#: The day the new units took effect (Nghị quyết 202/2025/QH15 and the 34 resolutions of 16/06/2025).
REFORM_DATE = dt.date(2025, 7, 1)

Era = Literal["old", "new"]


@dataclass(frozen=True, eq=False)
class Unit:
    """A province, district or commune, before ("old") or since ("new") the reform."""

    code: str  # the statistics office's code (old and new codes are two namespaces)
    name: str  # official: "Xã Bình Tuyền", "Tỉnh Phú Thọ", "Thị trấn Bá Hiến"
    level: Level
    era: Era
    province: str = ""  # code of its province (of the same era); "" for a province
    district: str = ""  # old communes: code of their district ("" for the few dissolved before 2025)
    successors: tuple[str, ...] = ()  # old units: codes of the new units they became part of, the main one first
    aliases: tuple[str, ...] = field(default=(), repr=False)  # other spellings of the name

    @property
    def kind(self) -> str:
        """"xã", "phường", "thị trấn", "đặc khu", "huyện", "tỉnh", "thành phố"..."""
        return names.kind_of(self.name, self.level)

    @property
    def proper(self) -> str:
        """The name without its kind: "Bình Tuyền", "Phú Thọ", "4"."""
        return names.proper(self.name, self.level)

    @property
    def label(self) -> str:
        """As written in running text: "xã Bình Tuyền", "tỉnh Phú Thọ", "thành phố Hà Nội"."""
        return names.running(self.name, self.level)

    def __repr__(self) -> str:
        return f"<{self.era} {self.level} {self.code} {self.name}>"


def _index(units: Iterable[Unit]) -> dict[str, list[Unit]]:
    """Proper-name key -> units (every spelling of a unit's name is a key)."""
    out: dict[str, list[Unit]] = {}
    for unit in units:
        for key in dict.fromkeys(names.name_key(names.proper(n, unit.level)) for n in (unit.name, *unit.aliases)):
            out.setdefault(key, []).append(unit)
    return out


class Registry:
    """Every unit of both eras, with the indexes resolution uses (build with `registry()`).

    Provinces are made when the registry is read; a province's communes and districts (and
    their name indexes) when something first asks for them, since a site names a few provinces
    of the 97.
    """

    def __init__(self, data: dict) -> None:
        self.about: dict = data["about"]
        self.provinces = {c: Unit(c, n, "province", "new") for c, n in data["provinces"]}
        self.old_provinces = {c: Unit(c, n, "province", "old", successors=(new,)) for c, n, new in data["old_provinces"]}
        self.province_by_key = _index(self.provinces.values())
        self.old_province_by_key = _index(self.old_provinces.values())
        self.old_provinces_of: dict[str, tuple[Unit, ...]] = {}  # new province code -> old provinces
        for unit in self.old_provinces.values():
            self.old_provinces_of[unit.successors[0]] = self.old_provinces_of.get(unit.successors[0], ()) + (unit,)
        self._communes: dict[str, list] = {}  # rows by code, made into Units on demand
        self._communes_of: dict[str, list[str]] = {}  # new province -> commune codes
        for row in data["communes"]:
            self._communes[row[0]] = row
            self._communes_of.setdefault(row[2], []).append(row[0])
        self._old_communes_of: dict[str, list] = {}  # old province -> rows
        for row in data["old_communes"]:
            self._old_communes_of.setdefault(row[3], []).append(row)
        self._old_commune_province = {row[0]: row[3] for row in data["old_communes"]}
        self._districts: dict[str, list] = {row[0]: row for row in data["old_districts"]}
        self._districts_of: dict[str, list[str]] = {}
        for row in data["old_districts"]:
            self._districts_of.setdefault(row[2], []).append(row[0])
        self._units: dict[tuple[str, str], Unit] = {}  # (kind of table, code) -> Unit
        self._old_by_province: dict[str, tuple[dict[str, list[Unit]], dict[str, list[Unit]]]] = {}
        self._new_by_province: dict[str, dict[str, list[Unit]]] = {}
        self._predecessors: dict[str, dict[str, tuple[Unit, ...]]] = {}

    # --- units by code -------------------------------------------------------------------------

    def commune(self, code: str) -> Unit:
        """A commune since the reform."""
        unit = self._units.get(("c", code))
        if unit is None:
            _code, name, province = self._communes[code]
            unit = self._units["c", code] = Unit(code, name, "commune", "new", province=province)
        return unit

    def old_commune(self, code: str) -> Unit:
        """A commune before the reform."""
        self.old_units(self._old_commune_province[code])
        return self._units["o", code]

    def old_district(self, code: str) -> Unit | None:
        """A district before the reform (None for "", the communes dissolved before 2025)."""
        if code not in self._districts:
            return None
        self.old_units(self._districts[code][2])
        return self._units["d", code]

    # --- indexes of one province ---------------------------------------------------------------

    def communes_in(self, province: str) -> dict[str, list[Unit]]:
        """Name key -> communes of a province since the reform."""
        found = self._new_by_province.get(province)
        if found is None:
            found = self._new_by_province[province] = _index(self.commune(c) for c in self._communes_of.get(province, ()))
        return found

    def old_units(self, province: str) -> tuple[dict[str, list[Unit]], dict[str, list[Unit]]]:
        """(name key -> districts, name key -> communes) of a province before the reform."""
        found = self._old_by_province.get(province)
        if found is None:
            communes = [Unit(c, n, "commune", "old", province=p, district=d, successors=tuple(new), aliases=tuple(aka))
                        for c, n, d, p, new, aka in self._old_communes_of.get(province, ())]
            in_district: dict[str, list[Unit]] = {}
            for unit in communes:
                self._units["o", unit.code] = unit
                in_district.setdefault(unit.district, []).append(unit)
            districts = []
            for code in self._districts_of.get(province, ()):
                _code, name, _province, unit = self._districts[code]
                successors = (unit,) if unit else _union(u.successors for u in in_district.get(code, ()))
                district = self._units["d", code] = Unit(code, name, "district", "old", province=province,
                                                         successors=successors)
                districts.append(district)
            found = self._old_by_province[province] = (_index(districts), _index(communes))
        return found

    def predecessors(self, unit: Unit) -> tuple[Unit, ...]:
        """The old communes a commune since the reform was made of (or the old provinces of a province)."""
        if unit.level == "province":
            return self.old_provinces_of.get(unit.code, ())
        table = self._predecessors.get(unit.province)
        if table is None:
            table = self._predecessors[unit.province] = {}
            for old in self.old_provinces_of.get(unit.province, ()):
                for group in self.old_units(old.code)[1].values():
                    for commune in group:
                        for code in commune.successors:
                            if commune not in table.get(code, ()):
                                table[code] = table.get(code, ()) + (commune,)
        return table.get(unit.code, ())

    # --- across the reform ---------------------------------------------------------------------

    def new_province_of(self, unit: Unit) -> Unit:
        """The province (since the reform) a unit of either era is in."""
        if unit.era == "new":
            return unit if unit.level == "province" else self.provinces[unit.province]
        old = unit if unit.level == "province" else self.old_provinces[unit.province]
        return self.provinces[old.successors[0]]

    def successors(self, unit: Unit) -> tuple[Unit, ...]:
        """The new units an old unit became (part of); a new unit is its own."""
        if unit.era == "new":
            return (unit,)
        if unit.level == "province":
            return tuple(self.provinces[c] for c in unit.successors)
        return tuple(self.commune(c) for c in unit.successors)


def _union(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(code for group in groups for code in group))


@functools.cache
def registry() -> Registry:
    """The registry, read once per process (forked workers share it)."""
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        return Registry(json.load(f))

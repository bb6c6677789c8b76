"""A story's or profile's place as terms of the `place` taxonomy: today's units.

Since the 2025 reform the place pages are organised by current province, then current commune,
whatever the text says: "xã Trung Mỹ, huyện Bình Xuyên, Vĩnh Phúc" is on the pages of Phú Thọ
and of xã Bình Tuyền; an old commune split among several new ones is on each of their pages.

| term     | key                        | name               |
|----------|----------------------------|--------------------|
| province | `phu-tho`                  | `Phú Thọ`          |
| commune  | `phu-tho/xa-binh-tuyen`    | `xã Bình Tuyền`    |

A place that does not resolve (`check` warns about it) keeps the terms it had before the reform
support: the slugs of what is written, under today's province when that one is known.
The addresses those written places had (`dia-phuong/vinh-phuc/xa-trung-my/`) redirect to today's
pages (`written_keys`, `Catalog.place_redirects`).
"""

from __future__ import annotations

import functools
import datetime as dt
from dataclasses import dataclass

from site_builder.content.models import Place, Profile, Story
from site_builder.content.places import written_on
from site_builder.places import Resolution, Unit, former_names, resolve
from site_builder.places.names import split_name
from site_builder.vietnamese import slugify

# Places repeat a lot across stories: slugify each distinct spelling once.
slug_of = functools.lru_cache(maxsize=100_000)(slugify)


@dataclass(frozen=True)
class PlaceKeys:
    """The `place` terms of one story or profile."""

    province: str = ""  # taxonomy key; "" when there is no place
    province_name: str = ""
    communes: tuple[tuple[str, str, Unit | None], ...] = ()  # (key, name, today's unit) of each commune term
    resolution: Resolution = Resolution()

    @property
    def commune_keys(self) -> tuple[str, ...]:
        return tuple(key for key, _name, _unit in self.communes)


def place_keys(item: Story | Profile) -> PlaceKeys:
    """The item's `place` terms (see the module docstring)."""
    if item.place is None:
        return PlaceKeys()
    return _keys(item.place, written_on(item))


@functools.lru_cache(maxsize=65536)
def _keys(place: Place, when: dt.date) -> PlaceKeys:
    found = resolve(place.province, place.district, place.commune, when)
    if found.province is not None:
        province, name = slug_of(found.province.proper), found.province.proper
    else:
        province, name = slug_of(place.province), place.province
    if not province:
        return PlaceKeys(resolution=found)
    if found.level == "commune":
        communes = tuple((f"{province}/{slug_of(u.label)}", u.label, u) for u in found.communes)
    elif place.commune and slug_of(place.commune):
        communes = ((f"{province}/{slug_of(place.commune)}", place.commune, None),)
    else:
        communes = ()
    return PlaceKeys(province, name, communes, found)


def written_keys(place: Place | None) -> tuple[str, str]:
    """(province key, commune key) the place had as written, before today's units were used."""
    if place is None or not slug_of(place.province):
        return "", ""
    province = slug_of(place.province)
    commune = slug_of(place.commune) if place.commune else ""
    return province, f"{province}/{commune}" if commune else ""


def commune_sort_name(name: str) -> str:
    """A commune term's name without its kind, to sort "phường Ao Hồ" before "xã Bình Tuyền"."""
    return split_name(name, "commune")[1]


def former_note(unit: Unit | None) -> str:
    """What the page of today's province or commune says about the units it replaced ("" if nothing)."""
    if unit is None:
        return ""
    olds = former_names(unit)
    if unit.level == "province":
        return f"Từ ngày 1/7/2025, {unit.label} gồm {olds}." if olds != unit.label else ""
    return f"Trước ngày 1/7/2025: {olds}." if olds else ""

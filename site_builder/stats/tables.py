"""The statistics tables, computed from the catalog in one pass over the stories.

Every table counts published stories (the catalog's: no drafts, nothing scheduled or expired):

| key           | rows                         | a story counts                                  | order              |
|---------------|------------------------------|-------------------------------------------------|--------------------|
| `loai`        | kinds                        | once                                            | ca-nhan ... tin-tong-hop |
| `linh-vuc`    | fields                       | once in each field it names                     | most first         |
| `tinh`        | today's provinces            | once, if it has a place                         | most first         |
| `xa-phuong`   | today's communes (+ province)| once in each (several for a place split in 2025)| most first         |
| `nam`         | years of publication         | once                                            | oldest first       |
| `phong-trao`  | campaigns                    | once, if it names one                           | most first         |
| `khen-thuong` | recognition levels           | once in each level of its awards                | the vocabulary's   |

Ties are in Vietnamese order of the label. Only rows with a story exist. `compute` can keep
the stories of one year and of one province: today's province ("Phú Thọ"), or one before the
2025 reform ("Vĩnh Phúc": the stories whose place was in it as written).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from site_builder.catalog import Catalog
from site_builder.catalog.places import place_keys, slug_of
from site_builder.content.models import Kind, Story
from site_builder.i18n import N_
from site_builder.places import resolve
from site_builder.vietnamese import sort_key


@dataclass(frozen=True)
class Row:
    label: str  # "Xây dựng Đảng", "xã Bình Tuyền", "2025"
    count: int
    url: str = ""  # the term page (site-relative); "" when there is none
    group: str = ""  # the commune table: the province


@dataclass(frozen=True)
class Table:
    """One table; `title`, `label`, `group_label` are English messages (`N_`), translated where shown."""

    key: str  # its CSV file's name and its id on the page
    title: str
    label: str  # the heading of the label column
    rows: tuple[Row, ...]
    group_label: str = ""  # the heading of the group column ("" when the table has none)

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


@dataclass(frozen=True)
class Stats:
    stories: int  # published stories counted (after the filters)
    tables: tuple[Table, ...]
    year: int | None = None
    province: str = ""  # the province filter, as resolved ("tỉnh Phú Thọ")


class UnknownProvince(ValueError):
    """The province filter names no province; the message says so, with suggestions."""


COUNT = N_("Stories")
#: The tables' keys, in the order they are shown (their CSV files: `routes.urls.stats_csv`).
KEYS = ("loai", "linh-vuc", "tinh", "xa-phuong", "nam", "phong-trao", "khen-thuong")


def compute(catalog: Catalog, year: int | None = None, province: str = "") -> Stats:
    """The tables for the catalog's stories, of `year` and `province` when given (see the module docstring).
    Raises UnknownProvince when `province` is neither today's province nor a former one."""
    stories: Iterable[Story] = catalog.stories
    shown = ""
    if year is not None:
        stories = [s for s in stories if s.published_at.year == year]
    if province:
        keep, shown = _province_filter(province, catalog.stories)
        stories = [s for s in stories if keep(s)]
    stories = list(stories)
    return Stats(len(stories), _tables(catalog, stories), year, shown)


def _province_filter(province: str, stories: Iterable[Story]) -> tuple[Callable[[Story], bool], str]:
    found = resolve(province)
    if found.province is None:  # no such province: unless stories name it so (`check` warns about them)
        key = slug_of(province)
        if not key or all(place_keys(s).province != key for s in stories):
            raise UnknownProvince(found.problems[0].message if found.problems else province)
        return (lambda s: place_keys(s).province == key), province  # a place that does not resolve, as written
    if found.era == "old" and found.old_province is not None:
        code = found.old_province.code
        return (lambda s: (r := place_keys(s).resolution).old_province is not None and r.old_province.code == code,
                found.old_province.label)
    key = slug_of(found.province.proper)
    return (lambda s: place_keys(s).province == key), found.province.label


def _tables(catalog: Catalog, stories: list[Story]) -> tuple[Table, ...]:
    kinds: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    provinces: Counter[str] = Counter()
    communes: Counter[str] = Counter()
    years: Counter[int] = Counter()
    campaigns: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    for story in stories:
        kinds[story.kind.value] += 1
        fields.update(dict.fromkeys(story.fields, 1))
        province, terms = catalog.place_terms(story)
        if province is not None:
            provinces[province.key] += 1
        communes.update(dict.fromkeys((t.key for t in terms), 1))
        years[story.published_at.year] += 1
        if story.campaign:
            campaigns[story.campaign] += 1
        levels.update(dict.fromkeys((r.level for r in story.recognition), 1))

    def term(taxonomy: str, key: str, count: int) -> Row:
        entry = catalog.term_for(taxonomy, key)
        group = entry.parent.name if entry is not None and entry.parent is not None else ""
        return Row(entry.name, count, entry.url, group) if entry is not None else Row(key, count)

    def most_first(rows: Iterable[Row]) -> tuple[Row, ...]:
        return tuple(sorted(rows, key=lambda r: (-r.count, sort_key(r.group), sort_key(r.label))))

    level_order = list(catalog.vocabularies.get("recognition_levels", {}))
    return (
        Table("loai", N_("Stories by kind"), N_("Kind"),
              tuple(term("kind", k.value, kinds[k.value]) for k in Kind if kinds[k.value])),
        Table("linh-vuc", N_("Stories by field"), N_("Field"),
              most_first(term("field", k, n) for k, n in fields.items())),
        Table("tinh", N_("Stories by province"), N_("Province or city"),
              most_first(term("place", k, n) for k, n in provinces.items())),
        Table("xa-phuong", N_("Stories by commune or ward"), N_("Commune or ward"),
              most_first(term("place", k, n) for k, n in communes.items()), N_("Province or city")),
        Table("nam", N_("Stories by year"), N_("Year"),
              tuple(Row(str(y), years[y], catalog.term_for("archive", f"{y:04d}").url) for y in sorted(years))),
        Table("phong-trao", N_("Stories by campaign"), N_("Campaign"),
              most_first(term("campaign", k, n) for k, n in campaigns.items())),
        Table("khen-thuong", N_("Stories by recognition level"), N_("Recognition level"),
              tuple(Row(catalog.vocab_name("recognition_levels", k), levels[k])
                    for k in sorted(levels, key=lambda k: (level_order.index(k) if k in level_order else len(level_order), k)))),
    )

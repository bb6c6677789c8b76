"""Taxonomies: the ways stories are grouped into list pages.

| name           | label       | term URL                                  | term key            |
|----------------|-------------|-------------------------------------------|---------------------|
| `kind`         | Loại        | `loai/<kind>/`                            | `ca-nhan`           |
| `field`        | Lĩnh vực    | `linh-vuc/<key>/`                         | fields key          |
| `organisation` | Đơn vị      | `don-vi/<key>/`                           | organisations key   |
| `campaign`     | Phong trào  | `phong-trao/<key>/`                       | campaigns key       |
| `place`        | Địa phương  | `dia-phuong/<province>/` (+ `<commune>/`) | `phu-tho`, `phu-tho/xa-binh-tuyen` |
| `tag`          | Thẻ         | `the/<slug>/`                             | tag slug            |
| `archive`      | Lưu trữ     | `luu-tru/<yyyy>/` (+ `<mm>/`)             | `2026`, `2026/03`   |

`place` and `archive` are two-level: top-level terms (provinces, years) have
`children` (communes, months), and each child has `parent`. Only terms with at
least one published story exist. Places are today's provinces and communes
(`catalog.places`: a place written before the 2025 reform is on the pages of the
units it is now part of), with their official names and, in `note`, the former
units they replaced; tags (and places that do not resolve) are grouped by slug
and shown with their most common spelling. Top-level terms and children are
sorted in Vietnamese order by name (communes without their kind: "phường Ao Hồ"
before "xã Bình Tuyền"), except the archive: newest year/month first.
Every term's `stories` are newest first (input order, which the catalog sorts).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator, Mapping, Sequence

from site_builder.catalog.places import commune_sort_name, former_note, place_keys, slug_of
from site_builder.content.models import Kind, Story, Term, Vocabulary
from site_builder.places import Unit
from site_builder.routes import urls
from site_builder.vietnamese import format_month, sort_key

# name -> Vietnamese label (URLs: `routes.urls.taxonomy` and `routes.urls.term`)
TAXONOMY_LABELS: dict[str, str] = {
    "kind": "Loại",
    "field": "Lĩnh vực",
    "organisation": "Đơn vị",
    "campaign": "Phong trào",
    "place": "Địa phương",
    "tag": "Thẻ",
    "archive": "Lưu trữ",
}

# taxonomy name -> ContentSet.vocabularies name
VOCABULARY_OF: dict[str, str] = {
    "field": "fields",
    "organisation": "organisations",
    "campaign": "campaigns",
}


@dataclass(eq=False)
class TermEntry:
    """One term page: a group of stories sharing a kind, field, place, tag, month..."""

    taxonomy: str  # "field"
    key: str  # unique in its taxonomy; "vinh-phuc/xa-tan-phong" for communes, "2026/03" for months
    name: str  # display name
    url: str  # site-relative, trailing slash: "linh-vuc/xay-dung-dang/"
    stories: tuple[Story, ...] = field(default=(), repr=False)  # newest first
    parent: TermEntry | None = field(default=None, repr=False)  # province of a commune, year of a month
    children: tuple[TermEntry, ...] = field(default=(), repr=False)  # communes / months
    term: Term | None = field(default=None, repr=False)  # vocabulary entry (field, organisation, campaign)
    note: str = field(default="", repr=False)  # places: the former units today's unit replaced

    @property
    def count(self) -> int:
        return len(self.stories)


@dataclass(eq=False)
class Taxonomy:
    """A taxonomy with its terms (top level, sorted) and a key index over all levels."""

    name: str
    label: str  # Vietnamese, e.g. "Lĩnh vực"
    url: str  # index page, e.g. "linh-vuc/"
    terms: tuple[TermEntry, ...] = field(default=(), repr=False)
    index: dict[str, TermEntry] = field(default_factory=dict, repr=False)

    def get(self, key: str) -> TermEntry | None:
        """Term by key (children included), None if absent."""
        return self.index.get(key)

    def all_terms(self) -> Iterator[TermEntry]:
        """Every term, each top-level term followed by its children."""
        for term in self.terms:
            yield term
            yield from term.children

    def __iter__(self) -> Iterator[TermEntry]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)


class _Groups:
    """Accumulates stories per key, and spelling counts when names are free text."""

    def __init__(self) -> None:
        self.stories: dict[str, list[Story]] = {}
        self.spellings: dict[str, Counter[str]] = {}

    def add(self, key: str, story: Story, spelling: str | None = None) -> None:
        self.stories.setdefault(key, []).append(story)
        if spelling is not None:
            self.spellings.setdefault(key, Counter())[spelling] += 1

    def name(self, key: str) -> str:
        """Most common spelling; ties go to the first in Vietnamese order."""
        counts = self.spellings[key]
        return min(counts, key=lambda s: (-counts[s], sort_key(s), s))


def _by_name(entries: list[TermEntry], name=lambda e: e.name) -> tuple[TermEntry, ...]:
    return tuple(sorted(entries, key=lambda e: (sort_key(name(e)), e.key)))


def _taxonomy(name: str, terms: Sequence[TermEntry]) -> Taxonomy:
    tax = Taxonomy(name=name, label=TAXONOMY_LABELS[name], url=urls.taxonomy(name), terms=tuple(terms))
    tax.index = {t.key: t for t in tax.all_terms()}
    return tax


def _flat(name: str, groups: _Groups, names: Mapping[str, str], vocab: Mapping[str, Term]) -> Taxonomy:
    """A one-level taxonomy; names from `vocab`, then `names`, then spellings, then the key."""
    entries = []
    for key, stories in groups.stories.items():
        term = vocab.get(key)
        if term is not None:
            label = term.name
        elif key in names:
            label = names[key]
        elif key in groups.spellings:
            label = groups.name(key)
        else:
            label = key  # unknown vocabulary key: content validation should have caught it
        entries.append(TermEntry(name, key, label, urls.term(name, key), tuple(stories), term=term))
    return _taxonomy(name, _by_name(entries))


def _vocab_names(vocabularies: Mapping[str, Vocabulary], taxonomy: str) -> dict[str, Term]:
    vocab = vocabularies.get(VOCABULARY_OF[taxonomy])
    return vocab.by_key() if vocab else {}


def build_taxonomies(stories: Sequence[Story], vocabularies: Mapping[str, Vocabulary]) -> dict[str, Taxonomy]:
    """All taxonomies for `stories` (already filtered and sorted newest first)."""
    kind, fields, orgs, campaigns, tags = _Groups(), _Groups(), _Groups(), _Groups(), _Groups()
    provinces, communes, units = _Groups(), _Groups(), {}
    years: dict[int, list[Story]] = {}
    months: dict[tuple[int, int], list[Story]] = {}
    for story in stories:
        kind.add(story.kind.value, story)
        for key in dict.fromkeys(story.fields):
            fields.add(key, story)
        if story.organisation:
            orgs.add(story.organisation, story)
        if story.campaign:
            campaigns.add(story.campaign, story)
        _add_place(story, provinces, communes, units)
        seen: set[str] = set()
        for tag in story.tags:
            slug = slug_of(tag)
            if slug and slug not in seen:
                seen.add(slug)
                tags.add(slug, story, tag)
        when = story.published_at
        years.setdefault(when.year, []).append(story)
        months.setdefault((when.year, when.month), []).append(story)

    kind_names = {k.value: k.label for k in Kind}
    return {
        "kind": _flat("kind", kind, kind_names, {}),
        "field": _flat("field", fields, {}, _vocab_names(vocabularies, "field")),
        "organisation": _flat("organisation", orgs, {}, _vocab_names(vocabularies, "organisation")),
        "campaign": _flat("campaign", campaigns, {}, _vocab_names(vocabularies, "campaign")),
        "place": _places(provinces, communes, units),
        "tag": _flat("tag", tags, {}, {}),
        "archive": _archive(years, months),
    }

def _add_place(story: Story, provinces: _Groups, communes: _Groups, units: dict[str, Unit]) -> None:
    keys = place_keys(story)
    if not keys.province:
        return
    provinces.add(keys.province, story, keys.province_name)
    if keys.resolution.province is not None:
        units[keys.province] = keys.resolution.province
    for key, name, unit in keys.communes:
        communes.add(key, story, name)
        if unit is not None:
            units[key] = unit


def _places(provinces: _Groups, communes: _Groups, units: dict[str, Unit]) -> Taxonomy:
    children: dict[str, list[TermEntry]] = {}
    for key, stories in communes.stories.items():
        pslug = key.split("/", 1)[0]
        unit = units.get(key)
        entry = TermEntry("place", key, unit.label if unit else communes.name(key), urls.term("place", key),
                          tuple(stories), note=former_note(unit))
        children.setdefault(pslug, []).append(entry)
    tops = []
    for pslug, stories in provinces.stories.items():
        unit = units.get(pslug)
        top = TermEntry("place", pslug, unit.proper if unit else provinces.name(pslug), urls.term("place", pslug),
                        tuple(stories), note=former_note(unit))
        top.children = _by_name(children.get(pslug, []), lambda e: commune_sort_name(e.name))
        for child in top.children:
            child.parent = top
        tops.append(top)
    return _taxonomy("place", _by_name(tops))


def _archive(years: dict[int, list[Story]], months: dict[tuple[int, int], list[Story]]) -> Taxonomy:
    tops: dict[int, TermEntry] = {}
    for year in sorted(years, reverse=True):
        tops[year] = TermEntry("archive", f"{year:04d}", str(year), urls.term("archive", f"{year:04d}"), tuple(years[year]))
    kids: dict[int, list[TermEntry]] = {}
    for year, month in sorted(months, reverse=True):
        key = f"{year:04d}/{month:02d}"
        entry = TermEntry("archive", key, format_month(year, month), urls.term("archive", key), tuple(months[(year, month)]))
        entry.parent = tops[year]
        kids.setdefault(year, []).append(entry)
    for year, top in tops.items():
        top.children = tuple(kids[year])
    return _taxonomy("archive", list(tops.values()))

"""Pagefind records built straight from the catalog (no HTML involved).

One record per published story and per published profile:

- `content`: what is searched with BM25 and what excerpts are cut from: the summary
  then the body (plain text), for profiles the summary, role and biography.
- `meta` (Pagefind 1.5+ searches every meta field and boosts matches by the
  `metaWeights` that assets/search.js passes): `title` (weighted highest), `people`,
  `place`, `org`, plus display-only `kind` and `date`. `place` is the place as written and,
  when the 2025 reform renamed it, today's units ("xã Trung Mỹ, huyện Bình Xuyên, Vĩnh Phúc;
  nay là xã Bình Tuyền, tỉnh Phú Thọ"): either name finds the story.
- `filters`: `kind` (story kinds; "Hồ sơ cá nhân"... for profiles), `field`, `province`,
  `commune` ("xã X, Tỉnh"; several for a place split in 2025), `year` — display names of
  today's units, which the facets show as they are.
  Every filter costs each first use of the facets a list of all page numbers, so there are
  no more than these five.
- `sort`: only `date` (stories; unused sort keys cost bytes on every first query).

All searchable text goes through `text.searchable` (NFC, new tone placement, đ marked).
"""

from __future__ import annotations

from collections.abc import Iterator

from site_builder.catalog import Catalog
from site_builder.catalog.places import place_keys
from site_builder.content.models import Kind, Profile, Story
from site_builder.search.pagefind_runner import Record
from site_builder.search.text import markdown_text, searchable

FILTERS = ("kind", "field", "province", "commune", "year")
META_WEIGHTS = {"title": 10.0, "people": 6.0, "place": 3.0, "org": 2.0, "kind": 0.5, "date": 0.5}


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _commune_value(commune: str, province: str) -> str:
    return f"{commune}, {province}" if commune and province else commune


def place_text(item: Story | Profile) -> str:
    """The place as written, then today's units when the 2025 reform changed them."""
    if item.place is None:
        return ""
    found = place_keys(item).resolution
    return f"{item.place.label}; nay là {found.now}" if found.changed else item.place.label


def story_record(story: Story, catalog: Catalog) -> Record:
    terms = catalog.story_terms(story)
    province = terms.province.name if terms.province else ""
    communes = [_commune_value(c.name, province) for c in terms.communes]
    when = story.published_at
    meta = {
        "title": searchable(story.title),
        "people": searchable(", ".join(p.name for p in story.people)),
        "place": searchable(place_text(story)),
        "org": searchable(terms.organisation.name if terms.organisation else ""),
        "kind": searchable(terms.kind.name),
        "date": when.strftime("%d/%m/%Y"),
    }
    filters = {
        "kind": [terms.kind.name],
        "field": [t.name for t in terms.fields],
        "province": [province] if province else [],
        "commune": communes,
        "year": [f"{when.year:04d}"],
    }
    return Record(
        url=story.url,
        content=searchable(_join(story.summary, markdown_text(story.body))),
        meta={k: v for k, v in meta.items() if v},
        filters={k: v for k, v in filters.items() if v},
        sort={"date": when.strftime("%Y-%m-%dT%H:%M")},
    )


PROFILE_KIND_LABELS = {Kind.PERSON: "Hồ sơ cá nhân", Kind.COLLECTIVE: "Hồ sơ tập thể", Kind.MODEL: "Hồ sơ mô hình"}


def profile_record(profile: Profile, catalog: Catalog) -> Record:
    terms = catalog.profile_terms(profile)
    keys = place_keys(profile)  # today's units, also when no story is there (and so no term)
    province = terms.province.name if terms.province else keys.province_name
    communes = [c.name for c in terms.communes] or [name for _key, name, _unit in keys.communes]
    org = terms.organisation.name if terms.organisation else catalog.vocab_name("organisations", profile.organisation)
    fields = [t.name for t in terms.fields] or [catalog.vocab_name("fields", k) for k in profile.fields]
    meta = {
        "title": profile.name,
        "place": place_text(profile),
        "org": org if profile.organisation else "",
        "kind": PROFILE_KIND_LABELS[profile.kind],
    }
    filters = {
        "kind": [PROFILE_KIND_LABELS[profile.kind]],
        "field": fields,
        "province": [province] if province else [],
        "commune": [_commune_value(c, province) for c in communes],
    }
    return Record(
        url=profile.url,
        content=searchable(_join(profile.summary, profile.role, markdown_text(profile.body))),
        meta={k: searchable(v) for k, v in meta.items() if v},
        filters={k: v for k, v in filters.items() if v},
        sort={},
    )


def records(catalog: Catalog) -> Iterator[Record]:
    """Every published story (newest first), then every published profile."""
    for story in catalog.stories:
        yield story_record(story, catalog)
    for profile in catalog.profiles:
        yield profile_record(profile, catalog)

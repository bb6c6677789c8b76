"""The catalog: every index the rest of the build needs, computed once.

All lookups are dict-based (keyed by slug or term key); nothing scans the
story list per page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from site_builder.catalog.related import RelatedIndex
from site_builder.catalog.selection import select_profiles, select_published, select_withdrawn
from site_builder.catalog.places import place_keys, written_keys
from site_builder.catalog.taxonomy import Taxonomy, TermEntry, build_taxonomies, slug_of
from site_builder.catalog.views import PersonLink, ProfileTerms, StoryTerms, Totals
from site_builder.content.models import PROFILE_KINDS, ContentSet, Kind, Person, Profile, Story, Term
from site_builder.routes import urls
from site_builder.vietnamese import fold, sort_key, vietnam_naive


class Catalog:
    """Published stories and profiles with their indexes. Build with `build_catalog`."""

    def __init__(
        self,
        content: ContentSet,
        now: dt.datetime,
        include_drafts: bool = False,
        include_future: bool = False,
    ) -> None:
        self.now = vietnam_naive(now)
        self.include_drafts = include_drafts
        self.include_future = include_future

        self.stories: list[Story] = select_published(content, self.now, include_drafts, include_future)
        self.story_by_slug: dict[str, Story] = _unique(self.stories, "story")
        self._position: dict[str, int] = {s.slug: i for i, s in enumerate(self.stories)}

        profiles = select_profiles(content, include_drafts)
        self.profiles: list[Profile] = sorted(profiles, key=lambda p: (sort_key(p.name), p.slug))
        self.profile_by_slug: dict[str, Profile] = _unique(self.profiles, "profile")
        self.profiles_by_kind: dict[Kind, list[Profile]] = {k: [] for k in PROFILE_KINDS}
        for profile in self.profiles:
            self.profiles_by_kind.setdefault(profile.kind, []).append(profile)

        self._by_profile: dict[str, list[Story]] = {}
        for story in self.stories:
            for slug in dict.fromkeys(p.profile for p in story.people if p.profile):
                self._by_profile.setdefault(slug, []).append(story)

        self.featured_stories: list[Story] = [s for s in self.stories if s.featured]
        #: taken down: published nowhere, their addresses show a removal notice
        self.withdrawn: list[Story | Profile] = select_withdrawn(content)
        self.vocabularies: dict[str, dict[str, Term]] = {
            name: vocab.by_key() for name, vocab in content.vocabularies.items()
        }
        self.taxonomies: dict[str, Taxonomy] = build_taxonomies(self.stories, content.vocabularies)
        self.archive: tuple[TermEntry, ...] = self.taxonomies["archive"].terms
        self.totals: Totals = self._totals()
        self._related = RelatedIndex(self.stories)
        self._story_terms: dict[str, StoryTerms] = {}

    # --- stories -----------------------------------------------------------

    def latest(self, n: int, exclude: Story | str | Iterable[Story | str] | None = None) -> list[Story]:
        """The `n` newest stories, skipping `exclude` (stories or slugs)."""
        skip = _slugs(exclude)
        out: list[Story] = []
        for story in self.stories:
            if len(out) >= n:
                break
            if story.slug not in skip:
                out.append(story)
        return out

    def featured(self, n: int | None = None) -> list[Story]:
        """Stories with `featured: true`, newest first; all of them if `n` is None."""
        return self.featured_stories[:n] if n is not None else list(self.featured_stories)

    def related(self, story: Story | str, n: int = 5) -> list[Story]:
        """`n` related stories, ranked as documented in `catalog.related`."""
        if isinstance(story, str):
            story = self.story_by_slug[story]
        return self._related.related(story, n)

    def adjacent(self, story: Story | str) -> tuple[Story | None, Story | None]:
        """(newer, older) neighbours of a published story in catalog order."""
        i = self._position[story if isinstance(story, str) else story.slug]
        newer = self.stories[i - 1] if i > 0 else None
        older = self.stories[i + 1] if i + 1 < len(self.stories) else None
        return newer, older

    def stories_for_profile(self, slug: str) -> list[Story]:
        """Published stories naming the profile `slug` in `people`, newest first."""
        return list(self._by_profile.get(slug, ()))

    # --- profiles and vocabularies -----------------------------------------

    def profile_for(self, person: Person) -> Profile | None:
        """The published profile a story's person links to, if any."""
        return self.profile_by_slug.get(person.profile) if person.profile else None

    def vocab_term(self, vocabulary: str, key: str) -> Term | None:
        """Vocabulary entry: `vocab_term("fields", "xay-dung-dang")`."""
        return self.vocabularies.get(vocabulary, {}).get(key)

    def vocab_name(self, vocabulary: str, key: str) -> str:
        """Display name of a vocabulary key, the key itself if unknown."""
        term = self.vocab_term(vocabulary, key)
        return term.name if term else key

    # --- terms -------------------------------------------------------------

    def term_for(self, taxonomy: str, key: str) -> TermEntry | None:
        """Term page by taxonomy name and key (see `catalog.taxonomy`), None if absent."""
        tax = self.taxonomies.get(taxonomy)
        return tax.get(key) if tax is not None else None

    def place_terms(self, item: Story | Profile) -> tuple[TermEntry | None, tuple[TermEntry, ...]]:
        """(province term, commune terms) of a story's or profile's place: today's units (`catalog.places`);
        several communes when the place written was split among them."""
        keys = place_keys(item)
        province = self.term_for("place", keys.province) if keys.province else None
        return province, _present(self.term_for("place", k) for k in keys.commune_keys)

    def place_redirects(self) -> list[tuple[str, str]]:
        """(former URL, today's URL) of the place pages the places written had before they were read as
        today's units: `dia-phuong/vinh-phuc/xa-trung-my/` -> `dia-phuong/phu-tho/xa-binh-tuyen/`.

        Only addresses no page has now; an old commune split among several communes goes to the first
        (the one the resolution names first). Stories first, then profiles, in catalog order.
        """
        pages = {t.url for t in self.taxonomies["place"].all_terms()}
        out: dict[str, str] = {}
        for item in [*self.stories, *self.profiles]:
            province, communes = self.place_terms(item)
            old_province, old_commune = written_keys(item.place)
            targets = ((old_province, province), (old_commune, communes[0] if communes else province))
            for old, term in targets:
                url = urls.term("place", old) if old else ""
                if url and term is not None and url != term.url and url not in pages:
                    out.setdefault(url, term.url)
        return list(out.items())

    def tag_term(self, tag: str) -> TermEntry | None:
        """Term page of a tag as written (any spelling with the same slug)."""
        return self.term_for("tag", slug_of(tag))

    def story_terms(self, story: Story | str) -> StoryTerms:
        """Resolved term links of a published story (cached)."""
        slug = story if isinstance(story, str) else story.slug
        cached = self._story_terms.get(slug)
        if cached is None:
            cached = self._story_terms[slug] = self._make_story_terms(self.story_by_slug[slug])
        return cached

    def profile_terms(self, profile: Profile) -> ProfileTerms:
        """Term pages a profile links to (only those some story has)."""
        province, communes = self.place_terms(profile)
        return ProfileTerms(
            fields=_present(self.term_for("field", k) for k in profile.fields),
            organisation=self.term_for("organisation", profile.organisation) if profile.organisation else None,
            province=province,
            commune=communes[0] if communes else None,
            communes=communes,
        )

    def _make_story_terms(self, story: Story) -> StoryTerms:
        province, communes = self.place_terms(story)
        when = story.published_at
        year = self.term_for("archive", f"{when.year:04d}")
        month = self.term_for("archive", f"{when.year:04d}/{when.month:02d}")
        kind = self.term_for("kind", story.kind.value)
        assert year is not None and month is not None and kind is not None
        return StoryTerms(
            kind=kind,
            fields=_present(self.term_for("field", k) for k in dict.fromkeys(story.fields)),
            organisation=self.term_for("organisation", story.organisation) if story.organisation else None,
            campaign=self.term_for("campaign", story.campaign) if story.campaign else None,
            province=province,
            commune=communes[0] if communes else None,
            communes=communes,
            tags=_present(self.tag_term(t) for t in story.tags),
            year=year,
            month=month,
            people=tuple(PersonLink(p, self.profile_for(p)) for p in story.people),
        )

    # --- totals ------------------------------------------------------------

    def _totals(self) -> Totals:
        persons = self.profiles_by_kind.get(Kind.PERSON, [])
        by_name: dict[str, list[str]] = {}
        for profile in persons:
            by_name.setdefault(_name_key(profile.name), []).append(profile.slug)
        seen = {f"p:{p.slug}" for p in persons}
        for story in self.stories:
            for person in story.people:
                if person.profile:
                    seen.add(f"p:{person.profile}")
                    continue
                name = _name_key(person.name)
                same = by_name.get(name, [])
                seen.add(f"p:{same[0]}" if len(same) == 1 else f"n:{name}")
        places = self.taxonomies["place"].terms
        return Totals(
            stories=len(self.stories),
            people=len(seen),
            collectives=len(self.profiles_by_kind.get(Kind.COLLECTIVE, [])),
            models=len(self.profiles_by_kind.get(Kind.MODEL, [])),
            places=sum(max(1, len(p.children)) for p in places),
            provinces=len(places),
            communes=sum(len(p.children) for p in places),
        )


def build_catalog(
    content: ContentSet,
    now: dt.datetime,
    include_drafts: bool = False,
    include_future: bool = False,
) -> Catalog:
    """Build every index once. `now` is naive Vietnam time (aware values are converted)."""
    return Catalog(content, now, include_drafts, include_future)


def _unique(items: Iterable[Story] | Iterable[Profile], what: str) -> dict:
    index: dict = {}
    for item in items:
        if item.slug in index:
            raise ValueError(f"duplicate {what} slug {item.slug!r}: {index[item.slug].path} and {item.path}")
        index[item.slug] = item
    return index


def _slugs(exclude: Story | str | Iterable[Story | str] | None) -> set[str]:
    if exclude is None:
        return set()
    if isinstance(exclude, (Story, str)):
        exclude = [exclude]
    return {e if isinstance(e, str) else e.slug for e in exclude}


def _name_key(name: str) -> str:
    return " ".join(fold(name).split())


def _present(entries: Iterable[TermEntry | None]) -> tuple[TermEntry, ...]:
    out: dict[int, TermEntry] = {}
    for entry in entries:
        if entry is not None:
            out.setdefault(id(entry), entry)
    return tuple(out.values())

"""Small read-only views the page renderer uses to link a story or profile."""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.catalog.taxonomy import TermEntry
from site_builder.content.models import Person, Profile


@dataclass(frozen=True)
class PersonLink:
    """A person named in a story, with their profile page when it is published."""

    person: Person
    profile: Profile | None

    @property
    def name(self) -> str:
        return self.person.name

    @property
    def role(self) -> str:
        return self.person.role

    @property
    def url(self) -> str | None:
        return self.profile.url if self.profile else None


@dataclass(frozen=True)
class StoryTerms:
    """Every term page a story links to, in the story's own order."""

    kind: TermEntry
    fields: tuple[TermEntry, ...]
    organisation: TermEntry | None
    campaign: TermEntry | None
    province: TermEntry | None  # today's province (`catalog.places`)
    commune: TermEntry | None  # the first of `communes`
    communes: tuple[TermEntry, ...]  # today's communes (several when the place written was split)
    tags: tuple[TermEntry, ...]  # one per tag slug; canonical spelling in `.name`
    year: TermEntry
    month: TermEntry
    people: tuple[PersonLink, ...]


@dataclass(frozen=True)
class ProfileTerms:
    """Term pages a profile can link to; None/absent when no story has that term."""

    fields: tuple[TermEntry, ...]
    organisation: TermEntry | None
    province: TermEntry | None
    commune: TermEntry | None
    communes: tuple[TermEntry, ...] = ()


@dataclass(frozen=True)
class Totals:
    """Headline figures for the home page.

    - `stories`: published stories.
    - `people`: distinct persons: published `ca-nhan` profiles, plus people named
      in stories. A person with `profile:` counts as that profile; one without
      counts as that profile too when exactly one person profile has the same
      name (compared with `fold`), otherwise once per distinct folded name.
    - `collectives` / `models`: published `tap-the` / `mo-hinh` profiles.
    - `provinces` / `communes`: distinct province / commune terms of stories.
    - `places`: localities at the finest level given: each province counts its
      communes, or 1 when its stories name no commune (sum of max(1, communes)).
    """

    stories: int
    people: int
    collectives: int
    models: int
    places: int
    provinces: int
    communes: int

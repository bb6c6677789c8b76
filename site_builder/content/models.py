"""Plain typed objects the rest of the build consumes.

These are the contract between `content` (which creates them from files) and
everything downstream (`catalog`, `pages`, `images`, `search`, `outputs`).
They hold already-validated, NFC-normalised data: no MkDocs, no YAML nodes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.content.kinds import KIND_LABELS, PROFILE_KINDS, Kind  # noqa: F401 (re-exported)
from site_builder.routes import urls




@dataclass(frozen=True)
class Term:
    """One entry of a controlled vocabulary (field, organisation, campaign, level)."""

    key: str  # slug, stable, used in URLs
    name: str  # Vietnamese display name
    description: str = ""
    short_name: str = ""  # e.g. "Hội LHPN" for organisations; "" if none
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """A named controlled vocabulary: fields, organisations, campaigns, recognition_levels."""

    name: str
    terms: tuple[Term, ...]

    def by_key(self) -> dict[str, Term]:
        return {t.key: t for t in self.terms}


@dataclass(frozen=True)
class Place:
    """A place as written by the editor; slugs are derived for URLs."""

    province: str  # "Vĩnh Phúc"
    commune: str = ""  # "xã Tân Phong" / "phường Liên Bảo"; may be empty for province-wide stories
    district: str = ""  # "huyện Bình Xuyên"; optional (2025 reform removed districts)

    @property
    def label(self) -> str:
        """Human form: 'xã Tân Phong, huyện Bình Xuyên, Vĩnh Phúc'."""
        return ", ".join(p for p in (self.commune, self.district, self.province) if p)


@dataclass(frozen=True)
class Person:
    """Someone featured in a story."""

    name: str
    role: str = ""
    birth_year: int | None = None
    profile: str = ""  # slug of a Profile, "" if none


@dataclass(frozen=True)
class Recognition:
    """An award or title: level is a recognition_levels key."""

    level: str
    year: int
    title: str


@dataclass(frozen=True)
class Photo:
    """A photo reference. `src` is relative to the project's images/ folder."""

    src: str
    alt: str = ""
    caption: str = ""
    credit: str = ""
    line: int = field(default=0, compare=False)  # line of `src` in the file that uses it (for error messages)


@dataclass(frozen=True)
class Source:
    """Where a republished article first appeared."""

    outlet: str
    url: str = ""
    date: dt.date | None = None


@dataclass
class Story:
    """A published (or draft) story, validated."""

    path: Path  # file it came from (absolute)
    slug: str
    title: str
    date: dt.datetime  # naive local time (Asia/Ho_Chi_Minh)
    summary: str
    kind: Kind
    body: str  # Markdown, NFC
    body_line: int  # 1-based line of the first body line in `path`
    people: tuple[Person, ...] = ()
    organisation: str = ""  # organisations key
    place: Place | None = None
    fields: tuple[str, ...] = ()  # fields keys
    campaign: str = ""  # campaigns key
    recognition: tuple[Recognition, ...] = ()
    tags: tuple[str, ...] = ()  # free text, NFC, as written
    cover: Photo | None = None
    authors: tuple[str, ...] = ()
    photographer: str = ""
    source: Source | None = None
    featured: bool = False
    draft: bool = False
    publish_date: dt.datetime | None = None  # None: same as `date`
    expires: dt.datetime | None = None
    updated: dt.datetime | None = None

    @property
    def published_at(self) -> dt.datetime:
        return self.publish_date or self.date

    @property
    def url(self) -> str:
        """Site-relative URL with trailing slash, no leading slash."""
        return urls.story(self.slug)


@dataclass
class Profile:
    """A person, collective or model with a page of its own."""

    path: Path
    slug: str
    name: str
    kind: Kind  # PERSON, COLLECTIVE or MODEL
    summary: str
    body: str
    body_line: int
    role: str = ""
    birth_year: int | None = None
    organisation: str = ""
    place: Place | None = None
    fields: tuple[str, ...] = ()
    recognition: tuple[Recognition, ...] = ()
    photo: Photo | None = None
    draft: bool = False

    @property
    def url(self) -> str:
        return urls.profile(self.slug)


@dataclass
class ContentSet:
    """Everything loaded from content/: the input of the catalog."""

    stories: list[Story] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    vocabularies: dict[str, Vocabulary] = field(default_factory=dict)

"""When a page last changed (a sitemap's `lastmod`), from its stories' dates.

A story changed when it was published or, later, `updated`. A list (a term, all stories, the
home page) changed when any story it shows did; a profile when its newest story did or, if
later, its own `updated`. Each is one pass over the stories concerned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from site_builder.content.models import Profile, Story


def story_modified(story: Story) -> dt.datetime:
    """The later of the story's publication and its `updated` date."""
    if story.updated is not None and story.updated > story.published_at:
        return story.updated
    return story.published_at


def newest(stories: Iterable[Story]) -> dt.datetime | None:
    """The latest change among `stories` (None when there are none)."""
    return max(map(story_modified, stories), default=None)


def profile_modified(profile: Profile, stories: Iterable[Story]) -> dt.datetime | None:
    """A profile's page changed with its newest story (`stories`: those naming it) or its own `updated`."""
    return latest((newest(stories), profile.updated))


def latest(dates: Iterable[dt.datetime | None]) -> dt.datetime | None:
    """The latest of `dates` that are known (None when none is)."""
    return max((d for d in dates if d is not None), default=None)

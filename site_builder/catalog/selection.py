"""Which stories and profiles make it into a build."""

from __future__ import annotations

import datetime as dt

from site_builder.content.models import ContentSet, Profile, Story
from site_builder.vietnamese import vietnam_naive


def is_published(
    story: Story, now: dt.datetime, include_drafts: bool = False, include_future: bool = False
) -> bool:
    """True if `story` belongs in a build made at `now` (naive local time); a withdrawn story never does."""
    if story.withdrawn is not None:
        return False
    if story.draft and not include_drafts:
        return False
    if story.published_at > now and not include_future:
        return False
    if story.expires is not None and story.expires <= now:
        return False
    return True


def story_order_key(story: Story) -> tuple[float, str]:
    """Newest first by `published_at`, then slug A→Z (use with plain `sorted`)."""
    return (-_timestamp(story.published_at), story.slug)


def _timestamp(value: dt.datetime) -> float:
    # Naive datetimes compared as if UTC: only the order matters.
    return value.replace(tzinfo=dt.timezone.utc).timestamp()


def select_published(
    content: ContentSet,
    now: dt.datetime,
    include_drafts: bool = False,
    include_future: bool = False,
) -> list[Story]:
    """Stories to publish, newest first (then slug).

    Drops withdrawn stories, drafts (unless `include_drafts`), stories whose `published_at`
    is after `now` (unless `include_future`) and stories whose `expires <= now`.
    """
    now = vietnam_naive(now)
    chosen = [s for s in content.stories if is_published(s, now, include_drafts, include_future)]
    chosen.sort(key=story_order_key)
    return chosen


def select_profiles(content: ContentSet, include_drafts: bool = False) -> list[Profile]:
    """Profiles to publish, in input order: withdrawn ones dropped, drafts too unless `include_drafts`."""
    return [p for p in content.profiles if p.withdrawn is None and (include_drafts or not p.draft)]


def select_withdrawn(content: ContentSet) -> list[Story | Profile]:
    """Stories and profiles taken down (`withdrawn:`), in input order: each gets a removal notice."""
    return [item for item in (*content.stories, *content.profiles) if item.withdrawn is not None]

"""Where a story or profile is, across the 2025 reform: its place resolved to today's units.

A story's place is read as of the day it was written (the original article's date for a
republished story, else its own date): before 1 July 2025 an ambiguous name means the former
commune. A profile describes someone now, so its place is read as of today's units.
"""

from __future__ import annotations

import datetime as dt

from site_builder.content.models import Profile, Story
from site_builder.places import REFORM_DATE, Resolution, resolve

_NOWHERE = Resolution()


def written_on(item: Story | Profile) -> dt.date:
    """The date a story's place was written; the reform's date (today's units) for a profile."""
    if isinstance(item, Story):
        if item.source is not None and item.source.date is not None:
            return item.source.date
        return item.date.date()
    return REFORM_DATE


def resolve_item(item: Story | Profile) -> Resolution:
    """Today's units of the item's place (an empty resolution when it has none)."""
    place = item.place
    if place is None:
        return _NOWHERE
    return resolve(place.province, place.district, place.commune, written_on(item))

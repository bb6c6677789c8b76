"""Related stories, scored through inverted indexes (never all pairs).

Score of a candidate = sum of the weights of what it shares with the story:

| shared                      | weight | note                                   |
|-----------------------------|-------:|----------------------------------------|
| a profile (people[].profile)|     16 | per shared profile                     |
| a commune (today's)         |      8 | a same-commune story also gets +4 for  |
|                             |        | the province, so 12 in all             |
| the province (today's)      |      4 |                                        |
| a field                     |      3 | per shared field                       |
| a tag (by slug)             |      2 | per shared tag                         |
| the organisation            |      1 |                                        |

Highest score first; ties go to the more recent story, then slug A→Z (the
catalog's story order). The story itself is never returned. If fewer than `n`
stories share anything, the most recent other stories fill the list.

Cost: each feature (profile, commune, ...) has a posting list of story
positions in catalog order. A posting longer than `window` (a province with
50,000 stories) contributes only the `window` stories nearest in time to the
story, so one lookup touches at most ~`window` x (number of features) stories
whatever the site size: ~linear over all stories, never O(N^2).
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from typing import Sequence

from site_builder.catalog.places import place_keys, slug_of
from site_builder.content.models import Story

WEIGHTS: dict[str, int] = {
    "profile": 16,
    "commune": 8,
    "province": 4,
    "field": 3,
    "tag": 2,
    "organisation": 1,
}
DEFAULT_WINDOW = 64

Feature = tuple[str, str]


def story_features(story: Story) -> list[Feature]:
    """What a story can share with others, without duplicates."""
    feats: dict[Feature, None] = {}
    for person in story.people:
        if person.profile:
            feats[("profile", person.profile)] = None
    place = place_keys(story)
    for commune in place.commune_keys:
        feats[("commune", commune)] = None
    if place.province:
        feats[("province", place.province)] = None
    for key in story.fields:
        feats[("field", key)] = None
    for tag in story.tags:
        slug = slug_of(tag)
        if slug:
            feats[("tag", slug)] = None
    if story.organisation:
        feats[("organisation", story.organisation)] = None
    return list(feats)


class RelatedIndex:
    """Inverted indexes over `stories` (catalog order: newest first, then slug)."""

    def __init__(self, stories: Sequence[Story], window: int = DEFAULT_WINDOW) -> None:
        self.stories = stories
        self.window = max(1, window)
        self.position: dict[str, int] = {s.slug: i for i, s in enumerate(stories)}
        self.postings: dict[Feature, list[int]] = {}
        self.features: list[list[Feature]] = []
        for i, story in enumerate(stories):
            feats = story_features(story)
            self.features.append(feats)
            for feat in feats:
                self.postings.setdefault(feat, []).append(i)  # increasing: sorted

    def _keys(self, story: Story) -> dict[int, int]:
        """Candidate position -> sort key `position - score * len(stories)` (smaller is better).

        Packing (score desc, position asc) into one int keeps the hot loop and
        the top-n selection on plain ints.
        """
        me = self.position.get(story.slug)
        feats = self.features[me] if me is not None else story_features(story)
        centre = me if me is not None else 0  # unknown story: compare with the newest
        window = self.window
        scale = len(self.stories) + 1
        keys: dict[int, int] = {}
        get = keys.get
        for feat in feats:
            posting = self.postings.get(feat)
            if not posting:
                continue
            if len(posting) > window + 1:
                pos = bisect_left(posting, centre)
                lo = max(0, pos - window // 2)
                hi = min(len(posting), lo + window + 1)  # +1: the story itself may be in it
                posting = posting[max(0, hi - window - 1) : hi]
            step = WEIGHTS[feat[0]] * scale
            for j in posting:
                keys[j] = get(j, j) - step
        if me is not None:
            keys.pop(me, None)
        return keys

    def scores(self, story: Story) -> dict[int, int]:
        """Candidate position -> score, for stories sharing something with `story`."""
        scale = len(self.stories) + 1
        return {j: (j - key) // scale for j, key in self._keys(story).items()}

    def related(self, story: Story, n: int = 5) -> list[Story]:
        """The `n` stories most related to `story` (see module docstring)."""
        if n <= 0:
            return []
        scale = len(self.stories) + 1
        chosen = [key % scale for key in heapq.nsmallest(n, self._keys(story).values())]
        if len(chosen) < n:
            taken = set(chosen)
            for j, other in enumerate(self.stories):
                if len(chosen) >= n:
                    break
                if j not in taken and other.slug != story.slug:
                    chosen.append(j)
        return [self.stories[j] for j in chosen]

"""How long, and how many, of each thing an editor writes may be.

Chosen from what real newspaper stories need, with room to spare, so that a limit is only
ever met by a mistake (a whole article pasted into a caption, a tag list copied a hundred
times, a body pasted twice over) and says so clearly, instead of making pages, cards and
feeds that no one can read:

- a Vietnamese headline is 60-120 characters; a sapo 200-600; a caption or a role a line
  or two;
- a long feature is 3,000-6,000 words (20,000-40,000 characters); a roundup of a year's
  commendations names a few dozen people;
- one story rarely shows more than 20-30 photos.
"""

from __future__ import annotations

TITLE = 300  # characters: a headline (title, profile name)
TEXT = 2000  # characters: any other text field (summary, caption, role, alt text...)
TAG = 100  # characters: one tag
TAGS = 30  # tags of a story
PEOPLE = 100  # people named in a story
AUTHORS = 20  # authors of a story
FIELDS = 10  # fields of a story or profile
RECOGNITION = 50  # awards of a story or profile
ALIASES = 50  # other spellings of a vocabulary entry
REVIEW = 100  # notes of what to check in a story or profile (review:)
OLD_ADDRESSES = 50  # old addresses (aliases:) of a story or profile, each a redirect page
BODY = 300_000  # characters of a story's or profile's body (about 50,000 words)
PHOTOS = 100  # photos in one body (the cover apart)
FILE_BYTES = 2 * 1024 * 1024  # a story or profile file

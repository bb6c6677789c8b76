"""`site-builder unpublish`: record a withdrawal in a story's or profile's front matter.

The file is changed in one place only: a `withdrawn:` mapping (date, reason) is added at the end
of its front matter; every other byte stays as it was (line endings included). The new text is
read back before it is written, and written atomically, so the file is either unchanged or
withdrawn. To publish the item again, delete those three lines.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from site_builder.content.frontmatter import parse_document
from site_builder.content.models import Profile, Story
from site_builder.files import write_atomic
from site_builder.i18n import _


class WithdrawError(ValueError):
    """Why an item could not be withdrawn (a Vietnamese sentence saying what to do)."""


@dataclass(frozen=True)
class Withdrawn:
    """One withdrawn item, for `unpublish --list`."""

    what: str  # "story" or "profile"
    slug: str
    title: str
    date: dt.date
    reason: str
    path: Path


def find(items: list[Story | Profile], slug: str, what: str | None) -> Story | Profile:
    """The story or profile with `slug` (`what`: "story", "profile" or None for either)."""
    found = [i for i in items if i.slug == slug and (what is None or _what(i) == what)]
    if not found:
        raise WithdrawError(_("there is no story or profile with the slug {slug!r} (without errors): check the "
                              "slug with 'site-builder unpublish --list' or in the story's address").format(slug=slug))
    if len(found) > 1:
        raise WithdrawError(_("both a story and a profile have the slug {slug!r}: add --story or --profile")
                            .format(slug=slug))
    return found[0]


def _what(item: Story | Profile) -> str:
    return "story" if isinstance(item, Story) else "profile"


def withdrawn_text(text: str, date: dt.date, reason: str) -> str:
    """`text` (a content file) with a `withdrawn:` mapping added at the end of its front matter."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    start = 1 if lines and lines[0].lstrip("\ufeff").rstrip() == "---" else None
    if start is None:
        raise WithdrawError(_("the file has no front matter (it must start with a line '---')"))
    end = next((i for i in range(start, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise WithdrawError(_("the front matter is not closed by a line '---': correct the file first"))
    if any(line.startswith("withdrawn:") for line in lines[start:end]):
        raise WithdrawError(_("it is already withdrawn (the front matter has 'withdrawn:')"))
    added = ["withdrawn:", f"  date: {date.isoformat()}",
             "  reason: " + json.dumps(" ".join(reason.split()), ensure_ascii=False)]
    return newline.join([*lines[:end], *added, *lines[end:]])


def withdraw(item: Story | Profile, reason: str, date: dt.date) -> Path:
    """Write the withdrawal into `item`'s file; returns the file. Raises WithdrawError, changing nothing."""
    if not reason.strip():
        raise WithdrawError(_("give the reason with --reason \"...\" (it is kept in the file, never published)"))
    if item.withdrawn is not None:
        raise WithdrawError(_("it was already withdrawn on {date:%d/%m/%Y}").format(date=item.withdrawn.date))
    path = item.path
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise WithdrawError(_("the file is not UTF-8 text: run 'site-builder check' and correct it first")) from None
    new = withdrawn_text(text, date, reason)
    parsed = parse_document(new)  # read back: the new front matter must say exactly this
    record = parsed.data.get("withdrawn") if isinstance(parsed.data, dict) else None
    if parsed.problems or not isinstance(record, dict) or str(record.get("date")) != date.isoformat():
        raise WithdrawError(_("the withdrawal could not be added safely to this file's front matter: add the lines "
                              "'withdrawn:', '  date: {date}' and '  reason: ...' at its end by hand")
                            .format(date=date.isoformat()))
    write_atomic(path, new.encode("utf-8"))
    return path


def withdrawn_items(items: list[Story | Profile]) -> list[Withdrawn]:
    """Every withdrawn story and profile, newest withdrawal first."""
    out = [Withdrawn(_what(i), i.slug, i.title if isinstance(i, Story) else i.name, i.withdrawn.date,
                     i.withdrawn.reason, i.path)
           for i in items if i.withdrawn is not None]
    return sorted(out, key=lambda w: (w.date, w.slug), reverse=True)

"""A `Draft` written as a story file: YAML front matter (every text JSON-quoted, which YAML reads as
it is) and a Markdown body that shows the article's text exactly (`markdown`)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from ..i18n import _
from .article import Kind
from .markdown import block as markdown_block
from .rules import Draft


def quote(text: str) -> str:
    """A YAML double-quoted scalar holding exactly `text`."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def _when(value: dt.datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if (value.hour, value.minute) != (0, 0) else f"{value:%Y-%m-%d}"


@dataclass
class Layout:
    """Where things go: the story's slug and date, its photos' paths in the images folder."""

    slug: str
    date: dt.datetime
    cover_src: str  # images-relative path of the lead photo ("2019/slug.jpg"); planned even without a photo
    cover_found: bool  # the lead photo's file is at hand
    photo_srcs: dict[int, str]  # index of an image block -> its path; blocks without one are left out


def front_matter(draft: Draft, layout: Layout) -> list[str]:
    lines = ["---", f"title: {quote(draft.title)}"]
    if draft.date is not None:
        lines.append(f"date: {_when(layout.date)}")
    else:
        lines.append(f"date: {_when(layout.date)}  # " + _("the article gives no date: this is the day of the import"))
    lines += [f"summary: {quote(draft.summary)}", f"kind: {draft.kind}", "draft: true", f"slug: {layout.slug}"]
    if draft.people:
        lines.append("people:")
        for person in draft.people:
            lines.append(f"  - name: {quote(person.name)}")
            if person.role:
                lines.append(f"    role: {quote(person.role)}")
    if draft.organisation:
        lines.append(f"organisation: {quote(draft.organisation)}")
    if draft.place is not None:
        lines.append("place:")
        for key in ("commune", "district", "province"):
            value = getattr(draft.place, key)
            if value:
                lines.append(f"  {key}: {quote(value)}")
    if draft.campaign:
        lines.append(f"campaign: {quote(draft.campaign)}")
    if draft.lead is not None:
        cover = [f"cover:", f"  src: {layout.cover_src}", f"  alt: {quote(draft.lead.alt or draft.title)}"]
        if draft.lead.caption:
            cover.append(f"  caption: {quote(draft.lead.caption)}")
        if draft.lead.credit:
            cover.append(f"  credit: {quote(draft.lead.credit)}")
        if not layout.cover_found:
            cover = ["# " + line for line in cover]
            cover[0] += "  # " + _("no photo file yet: copy it to images/{src}, then remove the '#' of these lines") \
                .format(src=layout.cover_src)
        lines += cover
    if draft.authors:
        lines.append("authors: [" + ", ".join(quote(a) for a in draft.authors) + "]")
    if draft.photographer:
        lines.append(f"photographer: {quote(draft.photographer)}")
    if draft.source is not None and draft.source.outlet:
        lines += ["source:", f"  outlet: {quote(draft.source.outlet)}"]
        if draft.source.url:
            lines.append(f"  url: {quote(draft.source.url)}")
        if draft.source.date:
            lines.append(f"  date: {draft.source.date:%Y-%m-%d}")
    if draft.review:
        lines.append("review:  # " + _("proposed by the import: check each item, correct the story, then remove "
                                       "the item ('site-builder check' warns until then)"))
        lines += [f"  - {quote(note)}" for note in draft.review]
    lines.append("---")
    return lines


def body(draft: Draft, layout: Layout) -> str:
    parts = []
    for index, block in enumerate(draft.blocks):
        if block.kind is Kind.IMAGE:
            if index in layout.photo_srcs:
                parts.append(markdown_block(block, layout.photo_srcs[index]))
            continue
        text = markdown_block(block)
        if text.strip():
            parts.append(text)
    return "\n\n".join(parts)


def render(draft: Draft, layout: Layout) -> str:
    """The story file's text."""
    return "\n".join(front_matter(draft, layout)) + "\n" + body(draft, layout) + "\n"

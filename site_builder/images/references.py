"""The photo references of stories and profiles, resolved and checked by the image pipeline.

Photo paths are checked in one place, `ImagePipeline.request` (relative to the images
folder, inside it, existing, a file, not a link leading out of it; "did you mean" for a
near miss). This module lists every reference of a set of stories and profiles with the
file, line and field that make it:

* `photo_requests`: the pipeline's requests, for `process_all` (the build);
* `check_references`: only the bad ones, as `ImageError`s (`site-builder check`: no photo
  is read or decoded, one `lstat` per good reference).

Where a body's photos are is not known here: `inline_refs(item)` yields the (src, line)
of each (`site_builder.bodies.Bodies.photo_refs`: the body parsed by its renderer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from site_builder.content.models import Profile, Story

from .errors import ImageError
from .pipeline import ImagePipeline, ImageRequest

#: (src, line) of each inline image of a story's or profile's body
InlineRefs = Callable[[Story | Profile], Iterable[tuple[str, int]]]


def photo_requests(
    pipeline: ImagePipeline, items: Iterable[Story | Profile], inline_refs: InlineRefs,
    rejected: Iterable[tuple[Path, str, int, str]] = (),
) -> list[ImageRequest]:
    """A request for each photo reference of `items`: a story's `cover.src`, a profile's
    `photo.src` (with their line) and each inline image of a body (field "body"); and for the
    `rejected` references (`ContentSet.photos_of_rejected`: file, src, line, field) of files left
    out for other errors, so that every problem is reported at once."""
    requests: list[ImageRequest] = [pipeline.request(src, path, line, field) for path, src, line, field in rejected]
    for item in items:
        photo, field = (item.cover, "cover.src") if isinstance(item, Story) else (item.photo, "photo.src")
        if photo is not None:
            requests.append(pipeline.request(photo.src, item.path, photo.line or None, field))
        for src, line in inline_refs(item):
            requests.append(pipeline.request(src, item.path, line, "body"))
    return requests


def check_references(
    pipeline: ImagePipeline, items: Iterable[Story | Profile], inline_refs: InlineRefs,
    rejected: Iterable[tuple[Path, str, int, str]] = (),
) -> list[ImageError]:
    """Every bad photo reference of `items` (and `rejected`, as in `photo_requests`): file, line,
    field, path and what is wrong; [] when all are fine. Nothing is read, decoded or written."""
    return [r.error for r in photo_requests(pipeline, items, inline_refs, rejected) if r.error is not None]

"""What `site-builder check` checks beyond the front matter, shared by the editor's save.

`check_bodies_and_photos` parses the bodies of stories and profiles (attribute lists, photos
from other websites, too many photos) and checks every photo they use (the reference, and that
the file decodes). `site-builder check` runs it on every file; `site-builder admin` runs it on
the one file it is about to write (`check_one`), after `content.loader.check_file`, so that the
editor refuses exactly what `check` would refuse.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from pathlib import Path

from site_builder.bodies import Bodies
from site_builder.content.errors import ContentIssue, sort_issues
from site_builder.content.loader import Neighbours, check_file
from site_builder.content.models import Profile, Story
from site_builder.images import ImagePipeline, photo_requests
from site_builder.settings import SiteSettings, image_settings


def check_bodies_and_photos(
    root: Path,
    settings: SiteSettings,
    items: Sequence[Story | Profile],
    rejected: Iterable[tuple[Path, str, int, str]] = (),
    bodies: Bodies | None = None,
    pending_photos: Iterable[str] = (),
) -> list[ContentIssue]:
    """The problems of the bodies of `items` and of every photo they and `rejected` use.

    `bodies` defaults to an uncached parser (the build's cache keeps only what it is given, so
    one file must not be checked through it). `pending_photos` are paths inside the photo folder
    that are about to be written with the file (checked on their own, as uploads): references to
    them are not reported as missing.
    """
    bodies = bodies or Bodies(None, root, settings.images_dir)
    issues = bodies.prepare(items, parallel=len(items) > 1)
    photos = ImagePipeline(settings.photos_dir(root), image_settings(settings.images), project_root=root)
    waiting = {posixpath.normpath(p) for p in pending_photos}
    requests = [r for r in photo_requests(photos, items, bodies.photo_refs, rejected)
                if posixpath.normpath(r.given.strip()) not in waiting]
    issues += [e.to_issue(root=root) for e in photos.check_all(requests)]
    return issues


def check_one(
    root: Path, settings: SiteSettings, path: Path, data: bytes, neighbours: Neighbours,
    pending_photos: Iterable[str] = (),
) -> list[ContentIssue]:
    """Every problem `site-builder check` would report for the story or profile `path` if its
    bytes were `data` (errors and warnings, sorted)."""
    item, issues = check_file(root, path, data, neighbours, settings.docs_dir, settings.privacy.require_consent,
                              settings.site_url)
    if item is not None:
        issues += check_bodies_and_photos(root, settings, [item], pending_photos=pending_photos)
    return sort_issues(issues)

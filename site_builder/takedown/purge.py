"""Forgetting withdrawn stories and profiles in `.cache/`, and the build's own audit.

Run by every build that has withdrawn items (`site_builder.build`): the search bundles that held
them are deleted, and so are their photos' variants and their social cards (unless something still
published shows the same photo; then the audit fails the build and says where). The parsed bodies
are dropped by `Bodies.prepare(purge=True)`. Before anything is deleted, the photo files'
fingerprints are recorded (`traces.save_record`) for `site-builder audit`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from site_builder.content.models import Profile, Story
from site_builder.i18n import _, ngettext
from site_builder.images import ImagePipeline
from site_builder.search import BundleCache
from site_builder.takedown.audit import Auditor, Leak
from site_builder.takedown.traces import Traces, load_record, save_record, traces_of


def withdrawn_traces(items: Iterable[Story | Profile], root: Path, photos: ImagePipeline, photo_folder: str,
                     record: bool = False) -> list[Traces]:
    """The traces of each withdrawn item: from its content, its photos' sources, the records of earlier
    builds and (with `record`) the files the image cache holds for it, which are then recorded."""
    cache_root = root / ".cache"
    found = []
    for item in items:
        traces = traces_of(item, photos.images_root, photos.fingerprint, photo_folder)
        load_record(cache_root, traces)
        if record:
            cache = photos.cache
            for src in traces.photo_sources:
                entry = cache.sources.get(src)
                result = cache.results.get(entry["digest"]) if entry else None
                for variant in (result or {}).get("variants", ()):
                    traces.add_photo_file(cache.path_of(variant[3]))
            card = cache.cards.get(item.slug) if isinstance(item, Story) else None
            if card:
                traces.add_photo_file(cache.path_of(card))
            save_record(cache_root, traces)
        found.append(traces)
    return found


def forget_in_search_cache(search_cache: Path, traces: Iterable[Traces]) -> int:
    """Delete the cached search bundles that held a withdrawn item; returns how many."""
    return BundleCache(search_cache, "").forget({t.url for t in traces})


def forget_photos(photos: ImagePipeline, traces: Iterable[Traces], still_shown: set[str]) -> int:
    """Delete the cached variants and cards of withdrawn items (photos in `still_shown` are kept:
    something published shows them); returns how many files were deleted."""
    traces = list(traces)
    sources = {src for t in traces for src in t.photo_sources}
    return len(photos.cache.forget(sources, {t.slug for t in traces if t.what == "story"}, still_shown))


def leak_report(leaks: list[Leak], shown_most: int = 50) -> str:
    """The audit's findings as lines for staff."""
    what = {"title": _("its title"), "name": _("its name"), "summary": _("its summary"), "slug": _("its address"),
            "photo (name)": _("one of its photos (by file name)"),
            "photo (content)": _("one of its photos (by content)")}
    lines = [ngettext("{count} file of the site still holds a withdrawn story or profile:",
                      "{count} files of the site still hold a withdrawn story or profile:",
                      len({leak.path for leak in leaks})).format(count=len({leak.path for leak in leaks}))]
    for leak in leaks[:shown_most]:
        lines.append("  " + _("{path}: {what} of {slug}").format(path=leak.path, what=what[leak.what], slug=leak.slug))
    if len(leaks) > shown_most:
        lines.append("  " + _("… and {count} more").format(count=len(leaks) - shown_most))
    return "\n".join(lines)


def audit_site(site_dir: Path, traces: list[Traces]) -> list[Leak]:
    return Auditor(traces).scan(site_dir)

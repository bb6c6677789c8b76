"""Everything the search relies on that Pagefind does not document, behind a version check.

Pagefind's documented interface is what the site uses in every case: its `--service` protocol
(`pagefind_runner`), the files of a bundle as a whole, and in the browser `pagefind.js` with
`options` (documented ones only: `excerptLength`, `ranking`, `metaCacheTag`, `noWorker`), `init`,
`search`, `filters` and `mergeIndex`. On top of that, for the versions in `VERIFIED` only (each
checked by the test suite and bench/search.py), the build and the search page take shortcuts that
read Pagefind's internals:

- `PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE` (`chunk_size_env`): smaller index chunks;
- `POLL` (`patch_pagefind_js`): a shorter wait for the WebAssembly in pagefind.js, applied only
  where the exact text is there;
- `bundle_details`: the names of a bundle's entry, metadata and WebAssembly files and the
  primary bundle's index chunk list (`bundle_meta`), which the manifest carries so that
  assets/search.js can fetch them before Pagefind asks; assets/search.js has its own list of
  verified versions (`VERIFIED` there, kept equal to this one by a test) for its chunk choice,
  preloads and native inflating;
- `page_preloads`: the WebAssembly file the search page preloads (gs/search.html).

With any other Pagefind version the build says once that it uses none of these, and the site
works as plain Pagefind does (bigger index chunks, and a first search waits for each file in
turn).
"""

from __future__ import annotations

import json
import sys

from site_builder.i18n import _
from site_builder.routes import urls
from site_builder.search.bundle_meta import MetaFormatError, chunks_of, decode_meta
from site_builder.search.pagefind_runner import SearchIndexError

#: Pagefind versions whose internals the shortcuts below (and assets/search.js's) were checked against.
VERIFIED = ("1.6.0",)

CHUNK_SIZE_VARIABLE = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"  # Pagefind 1.6.0; its default is 20,000

# Pagefind's search waits for its WebAssembly to be ready by polling every 50 ms, which costs
# a first search 25 ms on average; every 4 ms costs nothing measurable. 1.6.0 has it twice.
POLL = ("asyncSleep(50)", "asyncSleep(4)")
POLL_COUNT = 2

# The WebAssembly of a language without a stemmer (Vietnamese), as Pagefind 1.6.0 names it.
WASM_NO_STEMMER = "wasm.unknown.pagefind"

_warned: set[str] = set()


def verified(version: str) -> bool:
    return version in VERIFIED


def note_unverified(version: str) -> None:
    """Say once per process that a Pagefind version gets no shortcuts."""
    if not verified(version) and version not in _warned:
        _warned.add(version)
        print(_("search: Pagefind {version} is not one the site builder was checked with ({verified}): the search "
                "index and page use Pagefind's documented behaviour only (larger index chunks, slower first "
                "searches); for the faster search, run `make search-deps` (it installs Pagefind 1.6.0)").format(
            version=version, verified=", ".join(VERIFIED)), file=sys.stderr)


def chunk_size_env(version: str, chunk_size: int | None, environ: dict[str, str]) -> dict[str, str] | None:
    """The binary's environment with the index chunk target, or None (the inherited one)."""
    if not chunk_size or not verified(version):
        return None
    return {**environ, CHUNK_SIZE_VARIABLE: str(chunk_size)}


def patch_pagefind_js(text: str, version: str) -> str:
    """pagefind.js with the shorter poll, if this is a verified version and the text is as verified."""
    if verified(version) and text.count(POLL[0]) == POLL_COUNT:
        return text.replace(*POLL)
    return text


def bundle_details(files: dict[str, bytes], version: str, primary: bool) -> dict:
    """What the manifest says of a bundle beyond Pagefind's documented interface (verified versions only):
    `meta` and `wasm`, the files its entry names (search.js preloads them), and for the primary
    bundle `chunks`, its index chunk list. Raises SearchIndexError if the files are not as verified."""
    if not verified(version):
        return {}
    try:
        entry = json.loads(files["pagefind-entry.json"])
        languages = entry["languages"]
        if not languages:  # an empty index (nothing published yet): nothing to fetch early
            return {}
        lang = languages.get("vi") or max(languages.values(), key=lambda v: v["page_count"])
        details = {"meta": f"pagefind.{lang['hash']}.pf_meta", "wasm": f"wasm.{lang['wasm'] or 'unknown'}.pagefind"}
    except KeyError as exc:
        raise SearchIndexError(_retry(_("Pagefind {version} wrote no {key} where its entry file should name it")
                                      .format(version=version, key=exc))) from exc
    except (ValueError, TypeError, AttributeError) as exc:
        raise SearchIndexError(_retry(_("Pagefind's pagefind-entry.json cannot be read ({error})").format(
            error=exc))) from exc
    for name in details.values():
        if name not in files:
            raise SearchIndexError(_retry(_("Pagefind {version}'s entry file names {name}, which it did not write")
                                          .format(version=version, name=name)))
    if primary:
        try:
            details["chunks"] = chunks_of(decode_meta(files[details["meta"]], details["meta"]), details["meta"])
        except MetaFormatError as exc:
            raise SearchIndexError(_retry(_("Pagefind's metadata cannot be read ({error})").format(error=exc))) from exc
    return details


def _retry(problem: str) -> str:
    return _("{problem}: run the command again; if it happens again, tell the technical staff").format(problem=problem)


def page_preloads(version: str) -> tuple[str, ...]:
    """Site-relative files of the primary bundle the search page preloads besides pagefind.js and the
    manifest: the WebAssembly, by the name verified versions give it (any other: nothing)."""
    return (urls.search_bundle("") + WASM_NO_STEMMER,) if verified(version) else ()

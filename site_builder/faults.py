"""Named points where a test can kill the build, to show that no fault leaves a mess.

`checkpoint("photos.job")` does nothing unless the environment variable
`GUONGSANG_FAULT` names that point: then the process that reaches it is killed with
SIGKILL at once, as an out-of-memory kill or a CI timeout would. `name:N` kills at the N-th
time the point is reached in that process. The fault-injection tests (tests/test_faults.py)
and `bench/faults.py` run a build for each point and check that `site/` is still the last
good site, that no process of the build survives, and that the next build succeeds.
Reading the variable once costs nothing per checkpoint.
"""

from __future__ import annotations

import os
import signal

_SPEC = os.environ.get("GUONGSANG_FAULT", "")
_NAME, _, _NTH = _SPEC.partition(":")
_AT = int(_NTH) if _NTH.isdigit() else 1
_seen = 0

#: Every point, where it is (the tests run them all).
POINTS = {
    "config": "settings read, before the content",
    "content": "content validated, before the catalog",
    "catalog": "the catalog built, before the routes are claimed",
    "routes": "routes claimed, before the search index starts",
    "search.start": "in the search process, as it starts",
    "search.bundle": "in the search process, the index written",
    "bodies": "bodies parsed, before the photos",
    "bodies.worker": "in a body parser process",
    "photos": "photos processed, before the cards",
    "photos.job": "in a photo worker, before it writes",
    "photos.pool": "in the build, the first photo back from the pool, the others still in its workers",
    "cards": "cards drawn, before MkDocs copies the theme",
    "cards.job": "in a card worker",
    "mkdocs.env": "MkDocs has copied the theme's files",
    "pages.first": "after the first page is written",
    "pages.worker": "in a forked page worker, after its first page",
    "pages.done": "every page written, before the fonts",
    "fonts": "fonts published, before the photos are linked",
    "outputs": "the outputs (sitemap, feeds, API, embed cards...) written, in their worker on a large site",
    "precompress": "text files precompressed, before the server's rules are written",
    "precompress.worker": "in a compression worker, after its first file",
    "publish.before": "the site complete, before it is swapped into place",
    "publish.after": "the new site in place, before the old one is removed",
}


def checkpoint(name: str) -> None:
    """Kill this process here when `GUONGSANG_FAULT` names `name` (see the module docstring)."""
    global _seen
    if name != _NAME:
        return
    _seen += 1
    if _seen == _AT:
        os.kill(os.getpid(), signal.SIGKILL)

"""What a web server must know beyond the site's files: redirects, withdrawn pages, the CSP.

The build writes these rules into the site as ``_server/rules.json`` (`urls.SERVER_RULES`,
never served: the server configurations deny ``/_server/``). `site-builder server-config`
turns them into an nginx or Caddy configuration (`site_builder.server_config`), and the S3
documentation maps the same redirects and 410s to a bucket's rules. A release therefore
carries the rules it needs, and `deploy` says when they changed (the server's configuration
must then be made again and reloaded).

`site_redirects` and `site_gone` are the one place where the build decides them from the
catalog: old addresses of moved stories and profiles (`aliases:`) and withdrawn stories
plug in there.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from pathlib import Path

from site_builder.catalog import Catalog
from site_builder.i18n import _
from site_builder.outputs import csp
from site_builder.settings import SiteSettings

VERSION = 1

# A path a rule may name: absolute, without control characters, query or fragment (as aliases are).
_PATH = re.compile(r"^/[^\x00-\x1f\x7f?#]*$")
# A path a configuration can spell without quoting trouble: no whitespace, quotes, backslashes,
# braces, $, ;, <, >, `, |, ^ (others are kept as redirect pages only: `configurable`).
_PLAIN = re.compile(r"^/[^\s\"'\\{}$;<>`|^]*$")
# Characters left as they are in a redirect's target; everything else is percent-encoded.
_TARGET_SAFE = "/:@!&'()*+,=-._~%"


class RulesError(ValueError):
    """A rule that cannot be written into a server configuration; the message says which."""


@dataclass(frozen=True)
class Redirect:
    """`source` (a site path, as a reader asks for it) answers 301 to `target`."""

    source: str
    target: str

    @property
    def location(self) -> str:
        """The target as sent in the Location header: percent-encoded, so no server syntax is in it."""
        return quote(self.target, safe=_TARGET_SAFE)


@dataclass(frozen=True)
class ServerRules:
    """Redirects (301), withdrawn paths (410), the inline scripts' hashes (CSP) and the folders
    whose files have content-hash names (cached for a year)."""

    redirects: tuple[Redirect, ...] = ()
    gone: tuple[str, ...] = ()
    script_hashes: tuple[str, ...] = ()
    hashed_folders: tuple[str, ...] = ("assets/",)

    def __post_init__(self) -> None:
        for redirect in self.redirects:
            check_path(redirect.source, "redirects")
            if not redirect.target or any(c.isspace() for c in redirect.target):
                raise RulesError(_("redirects: {path}: the new address {target!r} is empty or has spaces")
                                 .format(path=redirect.source, target=redirect.target))
        for path in self.gone:
            check_path(path, "gone")

    @property
    def content_security_policy(self) -> str:
        return csp.policy(self.script_hashes)

    @property
    def embed_security_policy(self) -> str:
        """The policy of the embed cards (`nhung/`): the same, but any site may frame them."""
        return csp.policy(self.script_hashes, frame_ancestors="*")

    def to_json(self) -> bytes:
        data = {
            "version": VERSION,
            "redirects": [{"from": r.source, "to": r.target} for r in self.redirects],
            "gone": list(self.gone),
            "script_hashes": list(self.script_hashes),
            "hashed_folders": list(self.hashed_folders),
        }
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes, where: str) -> "ServerRules":
        """Rules read from a `rules.json` (raises RulesError naming `where` and what is wrong)."""
        try:
            raw = json.loads(data.decode("utf-8"))
            if not isinstance(raw, dict) or raw.get("version") != VERSION:
                raise ValueError(_("not a rules file of this version ({version})").format(version=VERSION))
            return cls(
                redirects=tuple(Redirect(str(r["from"]), str(r["to"])) for r in raw.get("redirects", [])),
                gone=tuple(str(p) for p in raw.get("gone", [])),
                script_hashes=tuple(str(h) for h in raw.get("script_hashes", [])),
                hashed_folders=tuple(str(f) for f in raw.get("hashed_folders", ["assets/"])),
            )
        except RulesError as exc:
            raise RulesError(f"{where}: {exc}") from None
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise RulesError(_("{file}: cannot read the server rules ({reason}): build the site again")
                             .format(file=where, reason=exc)) from None


def check_path(path: str, what: str) -> str:
    """`path` if a server rule may name it, else RulesError."""
    if not _PATH.match(path):
        raise RulesError(_("{what}: {path!r} is not a path a server can match: write it as /old/address/, without "
                           "control characters, ? or #").format(what=what, path=path))
    return path


def configurable(path: str) -> bool:
    """Whether a server configuration spells `path` safely; the others stay redirect pages only."""
    return bool(_PLAIN.match(path))


def site_redirects(catalog: Catalog, settings: SiteSettings, root: Path | None = None) -> list[Redirect]:
    """The site's permanent redirects, from the catalog: the stories' and profiles' `aliases:`
    (`outputs.redirects.redirect_rules`) and the place pages of the 2025 reform
    (`Catalog.place_redirects`); their redirect pages stay for servers without rules. Targets on this
    site are written from its root, so a configuration also works for a test or staging host."""
    from site_builder.outputs.redirects import redirect_rules

    base = settings.site_url.rstrip("/") + "/" if settings.site_url else None
    out = []
    for source, target in redirect_rules(catalog, settings, root):
        if base and target.startswith(base):
            target = "/" + target[len(base):]
        out.append(Redirect(source, target))
    return out + [Redirect(f"/{old}", f"/{new}") for old, new in catalog.place_redirects()]


def site_gone(catalog: Catalog) -> list[str]:
    """The site paths answered with 410 Gone: the addresses of withdrawn stories and profiles (their
    removal notice is the answer's page)."""
    return [f"/{item.url}" for item in catalog.withdrawn]

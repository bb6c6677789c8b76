"""Known press outlets (`outlets.yml`, beside this module): by web address or by name."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..vietnamese import fold

DATA = Path(__file__).with_name("outlets.yml")


@dataclass(frozen=True)
class Outlet:
    """A newspaper (or agency, station) that articles are republished from."""

    name: str
    domains: tuple[str, ...] = ()
    province: str = ""
    closed: dt.date | None = None  # the day it stopped publishing
    successor: str = ""  # the outlet that continues it
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outlets:
    """The table, indexed by domain and by folded name."""

    by_domain: dict[str, Outlet]
    by_name: dict[str, Outlet]

    def for_url(self, url: str) -> Outlet | None:
        """The outlet of `url` ("http://baovinhphuc.com.vn/...", "baovinhphuc.com.vn"), subdomains included."""
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
        host = host.removeprefix("www.")
        while host:
            if host in self.by_domain:
                return self.by_domain[host]
            host = host.partition(".")[2]
        return None

    def for_name(self, text: str) -> Outlet | None:
        """The outlet named `text` ("Báo Vĩnh Phúc", "báo Vĩnh Phúc", "TTXVN"), or None."""
        return self.by_name.get(_key(text))


def _key(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").split())


@functools.cache
def outlets(path: Path = DATA) -> Outlets:
    """The table of `path` (read once)."""
    by_domain: dict[str, Outlet] = {}
    by_name: dict[str, Outlet] = {}
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
        outlet = Outlet(
            name=entry["name"],
            domains=tuple(entry.get("domains", ())),
            province=entry.get("province", ""),
            closed=entry.get("closed"),
            successor=entry.get("successor", ""),
            aliases=tuple(entry.get("aliases", ())),
        )
        for domain in outlet.domains:
            by_domain[domain] = outlet
        for name in (outlet.name, *outlet.aliases):
            by_name.setdefault(_key(name), outlet)
    return Outlets(by_domain, by_name)

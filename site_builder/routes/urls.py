"""Every URL shape of the site, in one place.

URLs are site-relative, without a leading slash; a page's URL ends with "/" and is
written to `<url>index.html` (`output_path`). The home page is "".

| what                     | URL                                  |
|--------------------------|--------------------------------------|
| home                     | ``""``                               |
| story                    | ``bai-viet/<slug>/``                 |
| all stories              | ``bai-viet/``                        |
| profile                  | ``ho-so/<slug>/``                    |
| profiles, by kind        | ``ho-so/``, ``ho-so/<kind>/``        |
| taxonomy index, term     | ``<prefix>``, ``<prefix><key>/``     |
| page n >= 2 of a list    | ``<list URL>page/<n>/``              |
| search page              | ``tim-kiem/``                        |
| search index             | ``pagefind/`` (bundles, manifest)    |
| photos, cards, fonts     | ``assets/images/``, ``assets/cards/``, ``assets/fonts/`` |
| sitemap, robots          | ``sitemap.xml``, ``sitemap.xml.gz``, ``robots.txt`` |
| theme assets             | ``assets/<name>.<hash>.css`` (`fingerprinted`) |
| server rules (not served)| ``_server/rules.json``               |

Slugs that would make a story or profile take a generated page's address are
reserved (`reserved_slugs`): content validation refuses them.
"""

from __future__ import annotations

from site_builder.content.kinds import PROFILE_KINDS, Kind

HOME = ""
STORIES = "bai-viet/"
PROFILES = "ho-so/"
SEARCH = "tim-kiem/"
PAGE_SEGMENT = "page"

#: taxonomy name -> URL prefix of its index page (terms live under it)
TAXONOMY_PREFIXES: dict[str, str] = {
    "kind": "loai/",
    "field": "linh-vuc/",
    "organisation": "don-vi/",
    "campaign": "phong-trao/",
    "place": "dia-phuong/",
    "tag": "the/",
    "archive": "luu-tru/",
}

# Folders of files that are not pages.
PHOTOS = "assets/images/"  # the default of `images.url_prefix`
CARDS = "assets/cards/"
FONTS = "assets/fonts/"
SEARCH_BUNDLES = "pagefind/"
SEARCH_MANIFEST = SEARCH_BUNDLES + "gs-search.json"

SITEMAP = "sitemap.xml"
SITEMAP_GZ = "sitemap.xml.gz"
ROBOTS = "robots.txt"
NOT_FOUND = "404.html"
SERVER_FOLDER = "_server/"  # read by `site-builder server-config`, never served
SERVER_RULES = SERVER_FOLDER + "rules.json"


def fingerprinted(path: str, digest: str) -> str:
    """A file's name with a content hash, so it can be cached for a year: ``assets/x.css`` ->
    ``assets/x.<digest>.css``."""
    folder, _, name = path.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    named = f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"
    return f"{folder}/{named}" if folder else named


def story(slug: str) -> str:
    return f"{STORIES}{slug}/"


def profile(slug: str) -> str:
    return f"{PROFILES}{slug}/"


def profile_kind(kind: Kind) -> str:
    """Index of the profiles of one kind: ``ho-so/ca-nhan/``."""
    return f"{PROFILES}{kind.value}/"


def kind(kind: Kind) -> str:
    """Stories of one kind: ``loai/ca-nhan/``."""
    return term("kind", kind.value)


def taxonomy(name: str) -> str:
    """Index page of a taxonomy: ``linh-vuc/``."""
    return TAXONOMY_PREFIXES[name]


def term(taxonomy_name: str, key: str) -> str:
    """A term's list page: ``linh-vuc/xay-dung-dang/``, ``dia-phuong/vinh-phuc/xa-tan-phong/``."""
    return f"{TAXONOMY_PREFIXES[taxonomy_name]}{key}/"


def page(list_url: str, number: int) -> str:
    """Page `number` (1-based) of the list at `list_url`; page 1 is the list URL itself."""
    if number < 1:
        raise ValueError(f"page number must be >= 1, got {number}")
    if list_url and not list_url.endswith("/"):
        list_url += "/"
    return list_url if number == 1 else f"{list_url}{PAGE_SEGMENT}/{number}/"


def output_path(url: str) -> str:
    """The file a page URL is written to: ``bai-viet/x/`` -> ``bai-viet/x/index.html``."""
    return f"{url}index.html"


def photo(name: str, prefix: str = PHOTOS) -> str:
    return f"{prefix}{name}"


def card(name: str) -> str:
    return f"{CARDS}{name}"


def font(name: str) -> str:
    return f"{FONTS}{name}"


def search_bundle(key: str) -> str:
    """A search bundle's folder: the primary one (key "") is ``pagefind/``, others ``pagefind/<key>/``."""
    return f"{SEARCH_BUNDLES}{key}/" if key else SEARCH_BUNDLES


def reserved_slugs(what: str) -> frozenset[str]:
    """Slugs a story ("story") or profile ("profile") may not take: its URL would be a generated page's."""
    if what == "story":
        return frozenset({PAGE_SEGMENT})
    if what == "profile":
        return frozenset({PAGE_SEGMENT, *(k.value for k in PROFILE_KINDS)})
    raise ValueError(f"unknown content type {what!r}")

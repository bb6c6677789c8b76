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
| personal data policy     | ``chinh-sach-du-lieu-ca-nhan/``      |
| statistics, its tables   | ``thong-ke/``, ``thong-ke/<table>.csv`` |
| search index             | ``pagefind/`` (bundles, manifest)    |
| photos, cards, fonts     | ``assets/images/``, ``assets/cards/``, ``assets/fonts/`` |
| sitemap, robots          | ``sitemap.xml`` (an index past 50,000 URLs or 50 MB: ``sitemap-<n>.xml``), ``robots.txt`` |
| Google News sitemap      | ``news-sitemap.xml``                 |
| feeds of a page          | ``<page URL>rss.xml``, ``<page URL>atom.xml``, ``<page URL>feed.json`` |
| embed card of a story    | ``nhung/<slug>/`` (+ ``nhung/<slug>/oembed.json``)    |
| embed cards' style sheet | ``nhung/nhung.css``                  |
| publisher logo (PNG)     | ``assets/publisher-logo.png``        |
| JSON API                 | ``api/stories.json`` (page 1), ``api/stories/page/<n>.json``, ``api/stories/<slug>.json``, ``api/taxonomies.json`` |
| press page               | ``bao-chi/``                         |
| theme assets             | ``assets/<name>.<hash>.css`` (`fingerprinted`) |
| server rules (not served)| ``_server/rules.json``               |
| redirect (old address)   | ``<old path>`` when it ends in .html/.htm, else ``<old path>/index.html`` |

Feeds (`feed`) sit beside the page whose stories they carry: the home page's are the
site's (``rss.xml``), a term's are in its folder (``linh-vuc/<key>/rss.xml``), a
profile's in the profile's (``ho-so/<slug>/rss.xml``).

Slugs that would make a story or profile take a generated page's address are
reserved (`reserved_slugs`): content validation refuses them. Old addresses
(`aliases:`) may not lead into what only the build makes (`reserved_path`).
"""

from __future__ import annotations

import re

from site_builder.content.kinds import PROFILE_KINDS, Kind

HOME = ""
STORIES = "bai-viet/"
PROFILES = "ho-so/"
SEARCH = "tim-kiem/"
PRIVACY = "chinh-sach-du-lieu-ca-nhan/"
STATS = "thong-ke/"
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
NEWS_SITEMAP = "news-sitemap.xml"
ROBOTS = "robots.txt"
PRESS = "bao-chi/"
API_STORIES = "api/stories.json"
API_TAXONOMIES = "api/taxonomies.json"
_API_STORY_FILES = "api/stories/"
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

#: feed format -> its file name beside the page it belongs to (`feed`)
FEED_FILES: dict[str, str] = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}

EMBEDS = "nhung/"
EMBED_CSS = EMBEDS + "nhung.css"  # not a slug (slugs have no dot), so no embed card takes it
PUBLISHER_LOGO = "assets/publisher-logo.png"


def story(slug: str) -> str:
    return f"{STORIES}{slug}/"


def profile(slug: str) -> str:
    return f"{PROFILES}{slug}/"


def embed(slug: str) -> str:
    """A story's embed card (an iframe-able page): ``nhung/<slug>/``."""
    return f"{EMBEDS}{slug}/"


def oembed(slug: str) -> str:
    """A story's oEmbed JSON: ``nhung/<slug>/oembed.json``."""
    return f"{embed(slug)}oembed.json"


def compressed_on_request(path: str) -> bool:
    """Whether the site file `path` is one that other sites and programs fetch now and then, one
    story at a time (an embed card, its oEmbed JSON, the API's files under ``api/stories/``): the
    build makes no precompressed copy of those (thousands of files, each rarely asked for); the
    server compresses them when asked (see `site_builder.server_config`)."""
    return path.startswith(_API_STORY_FILES) or (path.startswith(EMBEDS) and path not in (EMBEDS, EMBED_CSS))


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


def absolute(site_url: str, url: str) -> str:
    """`url` (site-relative) on the site at `site_url`; root-relative ("/<url>") without a site_url."""
    base = site_url.rstrip("/")
    return f"{base}/{url}" if base else f"/{url}"


def output_path(url: str) -> str:
    """The file a page URL is written to: ``bai-viet/x/`` -> ``bai-viet/x/index.html``."""
    return f"{url}index.html"


def photo(name: str, prefix: str = PHOTOS) -> str:
    return f"{prefix}{name}"


def card(name: str) -> str:
    return f"{CARDS}{name}"


def font(name: str) -> str:
    return f"{FONTS}{name}"


def stats_csv(table: str) -> str:
    """A statistics table as a CSV file: ``thong-ke/linh-vuc.csv``."""
    return f"{STATS}{table}.csv"


def search_bundle(key: str) -> str:
    """A search bundle's folder: the primary one (key "") is ``pagefind/``, others ``pagefind/<key>/``."""
    return f"{SEARCH_BUNDLES}{key}/" if key else SEARCH_BUNDLES


def sitemap_part(number: int) -> str:
    """Sitemap `number` (1-based) listed by the sitemap index when the site has too many pages for one."""
    return f"sitemap-{number}.xml"


def feed(page_url: str, fmt: str) -> str:
    """The feed in format `fmt` ("rss", "atom", "json") of the page at `page_url`:
    ``rss.xml`` (the home page: the whole site), ``linh-vuc/xay-dung-dang/atom.xml``, ``ho-so/x/feed.json``."""
    return f"{page_url}{FEED_FILES[fmt]}"
REDIRECT_FILE_SUFFIXES = (".html", ".htm")


def redirect_output(old_path: str) -> str:
    """The file a redirect page for the old address `old_path` (site-relative, decoded) is written to.

    An address ending in .html or .htm is a file (``tin-tuc/x-123.html``); any other is a
    folder's index, with or without its slash (``bai-viet/cu/`` and ``bai-viet/cu`` ->
    ``bai-viet/cu/index.html``), as web servers serve them.
    """
    if old_path.lower().endswith(REDIRECT_FILE_SUFFIXES):
        return old_path
    return output_path(old_path if old_path.endswith("/") else old_path + "/")


#: What only the build makes: an old address may not lead there (`reserved_path`).
RESERVED_FOLDERS = ("assets/", SEARCH_BUNDLES, API_STORIES.partition("/")[0] + "/", EMBEDS)
RESERVED_FILES = ("index.html", SITEMAP, NEWS_SITEMAP, ROBOTS, NOT_FOUND, *FEED_FILES.values())
_SITEMAP_PART = re.compile(r"sitemap-\d+\.xml")
#: First folders of the lists that are paginated (``<list URL>page/<n>/``); the home page's are ``page/<n>/``.
_LIST_FOLDERS = frozenset(p.split("/")[0] for p in (STORIES, PROFILES, *TAXONOMY_PREFIXES.values()))


def reserved_path(path: str) -> str:
    """What of the build's own outputs the site-relative, decoded `path` would land on, "" if nothing:
    the home page, a folder or file only the build makes (``assets/``, ``pagefind/``, ``api/``,
    ``nhung/``, ``sitemap.xml`` and its parts, ``robots.txt``, ``404.html``, the site's feeds...) or a
    numbered page of a list (``bai-viet/page/3/``): their number grows with the site."""
    output = redirect_output(path) if path else output_path(HOME)
    for name in (output, path.rstrip("/")):  # "sitemap.xml/" is a folder where the file must be
        if name in RESERVED_FILES or _SITEMAP_PART.fullmatch(name):
            return name
    for folder in RESERVED_FOLDERS:
        if output.startswith(folder):
            return folder
    parts = path.strip("/").split("/")
    for i in range(len(parts) - 1):
        number = parts[i + 1]
        in_a_list = i == 0 or parts[0] in _LIST_FOLDERS
        if parts[i] == PAGE_SEGMENT and number.isascii() and number.isdigit() and in_a_list:
            return "/".join(parts[: i + 2]) + "/"
    return ""


def api_stories(number: int) -> str:
    """Page `number` (1-based) of the API's list of stories: ``api/stories.json``, then
    ``api/stories/page/2.json``... A story's own file (`api_story`) ends in ``.json`` and pages
    live in the folder ``page/``, so no slug (not even "page") can take a page's address."""
    if number < 1:
        raise ValueError(f"page number must be >= 1, got {number}")
    return API_STORIES if number == 1 else f"{_API_STORY_FILES}{PAGE_SEGMENT}/{number}.json"


def api_story(slug: str) -> str:
    """A story in the JSON API, with its body: ``api/stories/<slug>.json``."""
    return f"{_API_STORY_FILES}{slug}.json"


def reserved_slugs(what: str) -> frozenset[str]:
    """Slugs a story ("story") or profile ("profile") may not take: its URL would be a generated page's."""
    if what == "story":
        return frozenset({PAGE_SEGMENT})
    if what == "profile":
        return frozenset({PAGE_SEGMENT, *(k.value for k in PROFILE_KINDS)})
    raise ValueError(f"unknown content type {what!r}")

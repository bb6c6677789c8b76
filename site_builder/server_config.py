"""Web server configurations for a built site: nginx and Caddy (`site-builder server-config`).

Both serve the same thing from the folder `root` (a deploy's `current` link):

- the precompressed siblings (`.br`, `.gz`) as they are, to browsers that accept them; text files
  without siblings (under `compress.MIN_SIZE`, or `urls.compressed_on_request`: embed cards, oEmbed,
  the API's per-story files) gzip-compressed when asked;
- `Cache-Control`: a year and `immutable` for files with a content hash in their name (theme
  assets, fonts, photos, cards, Pagefind's index files), `SHORT_CACHE` for everything else
  (pages, feeds, the sitemap, Pagefind's entry files);
- security headers: the site's Content-Security-Policy (`outputs.csp`; the embed cards under
  ``/nhung/`` may be framed by any site), `X-Content-Type-Options`, `Referrer-Policy`;
- `Access-Control-Allow-Origin: *`, so other sites' scripts may read the feeds, the JSON API and
  oEmbed (the site is public; no cookie or credential is ever involved);
- the Vietnamese 404 page, with status 404; for 410, a withdrawn page's removal notice (else the 404 page);
- the site's rules (`outputs.server_rules`): 301 for old addresses, 410 for withdrawn stories;
- nothing under ``/_server/``.

Every value written into a configuration comes from `ServerRules`: redirect targets are
percent-encoded, and a path with characters a configuration would read as syntax (quotes, braces,
$, spaces...) is left out (`configurable`): its redirect page still sends readers on, with 200.
"""

from __future__ import annotations

import re

from site_builder.compress import MIN_SIZE, TEXT_SUFFIXES
from site_builder.outputs.server_rules import ServerRules, configurable
from site_builder.routes import urls

LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300"
REFERRER_POLICY = "strict-origin-when-cross-origin"
SERVERS = ("nginx", "caddy", "s3")

#: Pagefind's files named by their content (fragments, index chunks, filters, metadata).
_PAGEFIND_HASHED = rf"^/{urls.SEARCH_BUNDLES}(?:.+/)?(?:fragment|index|filter)/|\.pf_meta$"


def hashed_pattern(rules: ServerRules) -> str:
    """A regular expression of the paths whose names carry a content hash (theme assets, fonts,
    Material's bundles, photos, cards): ``name.<hex>.css``, ``name-960-<hex>.webp``..."""
    folders = "|".join(sorted({f.strip("/") + "/" for f in rules.hashed_folders}))
    return rf"^/(?:{folders}).*[._-][0-9a-f]{{8,}}(?:\.min)?\.[a-z0-9]+(?:\.map)?(?:\.br|\.gz)?$|{_PAGEFIND_HASHED}"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _nginx_headers(rules: ServerRules, cache: str, indent: str, policy: str | None = None) -> list[str]:
    return [
        f'{indent}add_header Cache-Control {_quoted(cache)} always;',
        f'{indent}add_header Content-Security-Policy {_quoted(policy or rules.content_security_policy)} always;',
        f'{indent}add_header X-Content-Type-Options "nosniff" always;',
        f'{indent}add_header Referrer-Policy {_quoted(REFERRER_POLICY)} always;',
        f'{indent}add_header Access-Control-Allow-Origin "*" always;',
        f'{indent}add_header Vary "Accept-Encoding" always;',
    ]


def nginx(rules: ServerRules, root: str, listen: str = "80", server_name: str = "_") -> str:
    """An nginx configuration (a file for /etc/nginx/sites-enabled/) serving the site at `root`."""
    out = [
        "# Gương Sáng: made by `site-builder server-config nginx` from the site's _server/rules.json.",
        "# Needs Debian's libnginx-mod-http-brotli-static (brotli_static). Make it again, then",
        "# `nginx -t && systemctl reload nginx`, when `site-builder deploy` says the server rules changed.",
        "",
        "map $uri $gs_redirect {",
        "    volatile;  # evaluated again after the internal redirect to /404.html",
        '    default "";',
        *(f"    {_quoted(r.source)} {_quoted(r.location)};" for r in rules.redirects if configurable(r.source)),
        "}",
        "",
        "map $uri $gs_gone {",
        "    volatile;",
        "    default 0;",
        *(f"    {_quoted(path)} 1;" for path in rules.gone if configurable(path)),
        "}",
        "",
        "server {",
        f"    listen {listen};",
        f"    server_name {server_name};",
        f"    root {_quoted(root)};",
        "    index index.html;",
        "    charset utf-8;",
        "    charset_types text/css text/plain text/xml application/javascript application/json application/xml "
        "image/svg+xml application/rss+xml application/atom+xml;",
        "    include /etc/nginx/mime.types;",
        "    types {",
        "        application/manifest+json webmanifest;",
        "        application/json map;",
        "        text/javascript mjs;",
        "    }",
        "    default_type application/octet-stream;",
        "    absolute_redirect off;",
        "    server_tokens off;",
        "    gzip_static on;",
        "    brotli_static on;",
        "    gzip on;  # the text files the build did not precompress (embed cards, oEmbed, api/stories/)",
        f"    gzip_min_length {MIN_SIZE};",
        f"    gzip_types {' '.join(_GZIP_TYPES)};",
        "    error_page 404 /404.html;",
        "    error_page 410 @gs_gone;  # a withdrawn page's removal notice, else the 404 page",
        *_nginx_headers(rules, SHORT_CACHE, "    "),
        "",
        "    if ($gs_redirect) {",
        "        return 301 $gs_redirect;",
        "    }",
        "    if ($gs_gone) {",
        "        return 410;",
        "    }",
        "",
        "    location @gs_gone {",
        "        try_files ${uri}index.html /404.html;",
        *_nginx_headers(rules, SHORT_CACHE, "        "),
        "    }",
        f"    location ^~ /{urls.EMBEDS} {{  # the embed cards, which any site may frame",
        "        try_files $uri $uri/ =404;",
        *_nginx_headers(rules, SHORT_CACHE, "        ", rules.embed_security_policy),
        "    }",
        f"    location ^~ /{urls.SERVER_FOLDER} {{",
        "        return 404;",
        "    }",
        f"    location ~ {_quoted(hashed_pattern(rules))} {{",
        *_nginx_headers(rules, LONG_CACHE, "        "),
        "    }",
        "    location / {",
        "        try_files $uri $uri/ =404;",
        *_nginx_headers(rules, SHORT_CACHE, "        "),
        "    }",
        "}",
        "",
    ]
    return "\n".join(out)


def _caddy_headers(rules: ServerRules, indent: str, policy: bool = True) -> list[str]:
    """The headers of every answer; without `policy`, the Content-Security-Policy is set apart."""
    return [
        f"{indent}header {{",
        f"{indent}\t?Cache-Control {_quoted(SHORT_CACHE)}",  # unless set for a hashed name
        *([f"{indent}\tContent-Security-Policy {_quoted(rules.content_security_policy)}"] if policy else []),
        f"{indent}\tX-Content-Type-Options nosniff",
        f"{indent}\tReferrer-Policy {REFERRER_POLICY}",
        f'{indent}\tAccess-Control-Allow-Origin "*"',
        f"{indent}\t-Server",
        f"{indent}}}",
    ]


def caddy(rules: ServerRules, root: str, address: str = "") -> str:
    """A Caddyfile site block serving the site at `root` (`address` such as guongsang.example.vn or :8080)."""
    out = [
        "# Gương Sáng: made by `site-builder server-config caddy` from the site's _server/rules.json.",
        "# Make it again, then `systemctl reload caddy`, when `site-builder deploy` says the server rules changed.",
        f"{address or ':80'} {{",
        f"\troot * {_quoted(root)}",
        *_caddy_headers(rules, "\t", policy=False),
        f"\t@gs_embed path /{urls.EMBEDS}*",
        f"\theader @gs_embed Content-Security-Policy {_quoted(rules.embed_security_policy)}",
        f"\t@gs_not_embed not path /{urls.EMBEDS}*",
        f"\theader @gs_not_embed Content-Security-Policy {_quoted(rules.content_security_policy)}",
        f"\t@gs_hashed path_regexp `{hashed_pattern(rules)}`",  # a backquoted token is taken as it is
        f"\theader @gs_hashed Cache-Control {_quoted(LONG_CACHE)}",
        *(f"\tredir {r.source} {r.location} 301" for r in rules.redirects if configurable(r.source)),
        *(f"\terror {path} 410" for path in rules.gone if configurable(path)),
        f"\terror /{urls.SERVER_FOLDER}* 404",
        "\tencode {  # the text files the build did not precompress (embed cards, oEmbed, api/stories/)",
        "\t\tgzip",
        f"\t\tminimum_length {MIN_SIZE}",
        "\t}",
        "\tfile_server {",
        "\t\tprecompressed br gzip",
        "\t}",
        "\thandle_errors {",
        *_caddy_headers(rules, "\t\t"),
        "\t\t@gs_gone {",
        "\t\t\texpression `{err.status_code} == 410`",
        "\t\t\tfile {path}index.html",
        "\t\t}",
        "\t\trewrite @gs_gone {path}index.html  # a withdrawn page's removal notice",
        "\t\trewrite * /404.html",
        "\t\tfile_server {",
        "\t\t\tprecompressed br gzip",
        "\t\t}",
        "\t}",
        "}",
        "",
    ]
    return "\n".join(out)


#: Content types the nginx configuration sends with `; charset=utf-8` (its `charset_types`, plus HTML).
_CHARSET_TYPES = ("text/html", "text/css", "text/plain", "text/xml", "application/javascript", "text/javascript",
                  "application/json", "application/xml", "image/svg+xml", "application/rss+xml",
                  "application/atom+xml")
_TYPES = {".html": "text/html", ".css": "text/css", ".js": "application/javascript", ".mjs": "text/javascript",
          ".json": "application/json", ".map": "application/json", ".xml": "text/xml", ".svg": "image/svg+xml",
          ".txt": "text/plain", ".webp": "image/webp", ".avif": "image/avif", ".jpg": "image/jpeg",
          ".jpeg": "image/jpeg", ".png": "image/png", ".woff2": "font/woff2", ".rss": "application/rss+xml",
          ".atom": "application/atom+xml", ".webmanifest": "application/manifest+json", ".gz": "application/gzip"}


#: Types nginx compresses on request besides HTML (`gzip_types`): those of `compress.TEXT_SUFFIXES`.
_GZIP_TYPES = tuple(sorted({_TYPES[suffix] for suffix in TEXT_SUFFIXES} - {"text/html"}))


def object_headers(path: str, rules: ServerRules) -> dict[str, str]:
    """The headers a file of the site is stored with in an object store (`path` site-relative): the
    same Content-Type and Cache-Control as the nginx configuration sends."""
    kind = _TYPES.get("." + path.rpartition(".")[2].lower(), "application/octet-stream")
    if kind in _CHARSET_TYPES:
        kind += "; charset=utf-8"
    hashed = re.search(hashed_pattern(rules), "/" + path)
    return {"Content-Type": kind, "Cache-Control": LONG_CACHE if hashed else SHORT_CACHE}


def long_cache_globs(rules: ServerRules) -> list[str]:
    """Shell-style patterns (`aws s3 sync --include`, where * also matches /) of the files with hashed
    names: the site's photos and cards folders whole, the theme's and Material's hashed assets, fonts,
    Pagefind's index files."""
    ten = "?" * 10
    folders = sorted({f"{f.strip('/')}/*" for f in rules.hashed_folders if f.strip("/") != "assets"})
    return [*folders, f"{urls.CARDS}*", f"{urls.FONTS}*.{ten}.woff2", f"assets/*.{ten}.css", f"assets/*.{ten}.js",
            "assets/javascripts/*.min.js", "assets/javascripts/*.min.js.map", "assets/stylesheets/*.min.css",
            "assets/stylesheets/*.min.css.map", f"{urls.SEARCH_BUNDLES}*fragment/*", f"{urls.SEARCH_BUNDLES}*index/*",
            f"{urls.SEARCH_BUNDLES}*filter/*", f"{urls.SEARCH_BUNDLES}*.pf_meta"]


def redirect_key(source: str) -> str:
    """The object a store answers `source` with: ``/a/`` -> ``a/index.html``, ``/a.html`` -> ``a.html``."""
    key = source.lstrip("/")
    return key + "index.html" if key.endswith("/") or not key else key


def object_store(rules: ServerRules) -> dict:
    """What an S3-compatible store and its CDN need besides the files (`server-config s3`, JSON):
    the bucket's website configuration (index and 404 documents), an object per redirect (its
    `x-amz-website-redirect-location` answers 301), the paths the CDN answers with 410, and the
    response headers the CDN adds to every answer."""
    return {
        "website": {
            "IndexDocument": {"Suffix": "index.html"},
            "ErrorDocument": {"Key": urls.NOT_FOUND},
        },
        # one object per old address (routing rules match key prefixes, which would also move the pages
        # under an old address, and a bucket takes only 50 of them)
        "redirect_objects": [
            {"Key": redirect_key(r.source), "WebsiteRedirectLocation": r.location} for r in rules.redirects
        ],
        "gone": list(rules.gone),
        "response_headers": {
            "Content-Security-Policy": rules.content_security_policy,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": REFERRER_POLICY,
            "Access-Control-Allow-Origin": "*",
        },
        # the embed cards are made to be framed by other sites: the CDN sends them this policy instead
        "embed_cards": {"globs": [f"{urls.EMBEDS}*"], "Content-Security-Policy": rules.embed_security_policy},
        "cache_control": {"hashed_names": LONG_CACHE, "pattern": hashed_pattern(rules), "globs": long_cache_globs(rules),
                          "other": SHORT_CACHE},
        "not_uploaded": [f"{urls.SERVER_FOLDER}*", "*.br", "*.gz"],
    }

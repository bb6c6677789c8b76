"""`site-builder admin`: the editor's web server (standard library `http.server`, one thread per request).

| address                         | what                                                            |
|---------------------------------|-----------------------------------------------------------------|
| ``/admin/``                     | the editor's page (Decap CMS and `static/admin.js`)             |
| ``/admin/config.json``          | Decap's configuration, generated (`config.decap_config`)        |
| ``/admin/site.json``            | the preview's stylesheets, the preview site's address, photos' folder |
| ``/admin/decap/<file>``         | Decap's bundle, from ``node_modules/decap-cms/dist/`` (npm ci)  |
| ``/admin/static/<file>``        | our script, styles and Vietnamese strings                      |
| ``/admin/site/assets/<file>``   | the site's stylesheets and fonts, for the preview pane         |
| ``/admin/anh/<path>?w=<width>`` | a JPEG preview of a photo of the photo folder                   |
| ``/admin/xem-truoc`` (POST)     | a body rendered as the site renders it (`preview.body_html`)    |
| ``/admin/dang-nhap``            | the login page, with ``--password-file``                        |
| ``/api/v1`` (POST)              | Decap's proxy-backend actions (`store.Store.handle`)            |

Nothing is fetched from any other host: the page loads only these addresses.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import mimetypes
import threading
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from site_builder.i18n import _

from . import auth
from .config import decap_config
from .paths import Refused
from .preview import body_html
from .store import Store

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
#: The largest request: a story with a few phone photos (20 MB each, base64: a third more).
MAX_BODY = 160 * 1024 * 1024
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".json": "application/json; charset=utf-8", ".html": "text/html; charset=utf-8",
          ".woff2": "font/woff2", ".svg": "image/svg+xml", ".map": "application/json"}


class Editor:
    """What the handlers share: the store, where Decap's bundle and the site's styles are, sessions."""

    def __init__(self, store: Store, decap_dir: Path, site_assets: dict[str, Path], preview_site: str,
                 sessions: auth.Sessions | None = None) -> None:
        self.store = store
        self.decap_dir = decap_dir.resolve()
        self.site_assets = site_assets  # "guong-sang.css", "fonts/be-vietnam-pro-400.woff2"... -> file
        self.preview_site = preview_site.rstrip("/") + "/"
        self.sessions = sessions
        self._gzipped: dict[tuple[Path, int], bytes] = {}
        self._gzip_lock = threading.Lock()
        self._config: tuple[tuple[dict, dt.date], dict[str, Any]] | None = None
        self._config_lock = threading.Lock()

    def gzipped(self, path: Path) -> bytes:
        """A static file compressed once per version (Decap's bundle is 5 MB, 1.4 MB compressed)."""
        key = (path, path.stat().st_mtime_ns)
        with self._gzip_lock:
            known = self._gzipped.get(key)
        if known is None:  # compressed outside the lock: the small files need not wait for the bundle
            known = gzip.compress(path.read_bytes(), 6)
            with self._gzip_lock:
                self._gzipped[key] = known
        return known

    def config(self) -> dict[str, Any]:
        """Decap's configuration, made again only when the vocabularies (or the year) changed."""
        with self._config_lock:
            vocabularies, today = self.store.vocabularies(), dt.date.today()
            known = self._config[0] if self._config else None
            if known is None or known[0] is not vocabularies or known[1] != today:
                self._config = ((vocabularies, today), decap_config(self.store.settings, vocabularies,
                                                                    self.preview_site, today))
            return self._config[1]

    def warm_up(self) -> None:
        """What the editor's first opening needs, made before it is asked for (the server calls this
        in a thread when it starts): Decap's bundle compressed, the configuration, the story list
        read, the newest photos' previews made."""
        try:
            self.gzipped(self.decap_dir / "decap-cms.js")
            self.config()
            self.store.warm_up()
        except Exception:  # whatever fails here fails again, and is reported, when it is asked for
            log.debug("admin: warming up failed", exc_info=True)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A browser that closed its connection is not worth a traceback; anything else is logged."""
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            log.exception("admin: request from %s failed", client_address)


def make_server(editor: Editor, host: str, port: int, warm_up: bool = True) -> ThreadingHTTPServer:
    """The editor's server on `host`:`port`; with `warm_up`, its caches are filled in a thread."""
    handler = type("Handler", (_Handler,), {"editor": editor})
    server = _Server((host, port), handler)
    server.daemon_threads = True
    if warm_up:
        threading.Thread(target=editor.warm_up, name="admin-warm-up", daemon=True).start()
    return server


class _Handler(BaseHTTPRequestHandler):
    editor: Editor
    protocol_version = "HTTP/1.1"
    server_version = "GuongSang-admin"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s %s", self.address_string(), format % args)

    # -- routing ---------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        url = urlsplit(self.path)
        path = unquote(url.path)
        try:
            if path in ("/", "/admin"):
                return self._redirect("/admin/")
            if path == "/admin/dang-nhap":
                return self._send(200, _login_page(""), "text/html; charset=utf-8")
            if path.startswith("/admin/decap/"):
                return self._file(self.editor.decap_dir, path[len("/admin/decap/"):], immutable=True)
            if path.startswith("/admin/static/"):
                return self._file(STATIC, path[len("/admin/static/"):])
            if path.startswith("/admin/site/assets/"):
                found = self.editor.site_assets.get(path[len("/admin/site/assets/"):])
                return self._file(found.parent, found.name) if found else self._error(404, _("not found"))
            if not self._allowed():
                return self._redirect("/admin/dang-nhap") if path == "/admin/" else self._error(401, _("log in first: open the editor's address again"))
            if path == "/admin/":
                return self._file(STATIC, "index.html")
            if path == "/admin/config.json":
                return self._json(200, self.editor.config())
            if path == "/admin/site.json":
                styles = sorted(n for n in self.editor.site_assets if n.endswith(".css") and "search" not in n)
                return self._json(200, {"styles": [f"/admin/site/assets/{n}" for n in styles],
                                        "site": self.editor.preview_site, "images": self.editor.store.images_rel})
            if path.startswith("/admin/anh/"):
                width = int((parse_qs(url.query).get("w") or ["960"])[0])
                data = self.editor.store.preview(path[len("/admin/anh/"):], width)
                return self._send(200, data, "image/jpeg", cache="private, max-age=31536000, immutable")
            return self._error(404, _("not found"))
        except Refused as exc:
            return self._error(exc.status, str(exc))
        except (ValueError, OSError) as exc:
            return self._error(400, str(exc))

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        path = urlsplit(self.path).path
        try:
            if path == "/admin/dang-nhap":
                return self._login()
            if not self._same_origin():
                return self._error(403, _("the request comes from another site"))
            if not self._allowed():
                return self._error(401, _("log in first: open the editor's address again"))
            if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
                return self._error(415, _("send JSON"))
            body = self._body()
            if path == "/api/v1":
                request = json.loads(body)
                answer = self.editor.store.handle(str(request.get("action")), request.get("params") or {})
                return self._json(200, answer)
            if path == "/admin/xem-truoc":
                request = json.loads(body)
                html, problems = body_html(str(request.get("body") or ""), self.editor.store.images_rel)
                return self._json(200, {"html": html, "problems": problems})
            return self._error(404, _("not found"))
        except Refused as exc:
            return self._error(exc.status, str(exc))
        except json.JSONDecodeError:
            return self._error(400, _("the request is not valid JSON"))
        except Exception as exc:  # a bug: said to the editor, the details for developers in the log
            log.exception("admin: %s failed", path)
            return self._error(500, _("the server could not do this ({error}); nothing was changed if the "
                                      "error came before saving: try again").format(error=type(exc).__name__))

    # -- sessions ---------------------------------------------------------------------------

    def _token(self) -> str | None:
        jar = SimpleCookie(self.headers.get("Cookie", ""))
        return jar[auth.COOKIE].value if auth.COOKIE in jar else None

    def _allowed(self) -> bool:
        sessions = self.editor.sessions
        return sessions is None or sessions.user(self._token()) is not None

    def _same_origin(self) -> bool:
        """A browser says where a POST comes from: only the editor's own pages may post."""
        origin = self.headers.get("Origin")
        return origin is None or urlsplit(origin).netloc == self.headers.get("Host", "")

    def _login(self) -> None:
        sessions = self.editor.sessions
        if sessions is None:
            return self._redirect("/admin/")
        form = parse_qs(self._body().decode("utf-8", "replace"))
        token = sessions.login((form.get("user") or [""])[0], (form.get("password") or [""])[0])
        if token is None:
            page = _login_page(_("Wrong name or password."))
            return self._send(401, page, "text/html; charset=utf-8")
        self._redirect("/admin/", cookie=auth.cookie(token))

    # -- answers ----------------------------------------------------------------------------

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise Refused(_("the request is too large ({size} MB): send fewer or smaller photos at once").format(
                size=length // 2**20), 413)
        return self.rfile.read(length)

    def _file(self, folder: Path, name: str, immutable: bool = False) -> None:
        target = (folder / name).resolve()
        if not target.is_relative_to(folder.resolve()) or not target.is_file():
            return self._error(404, _("not found"))
        kind = _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
        if target.suffix in (".js", ".css", ".json", ".html") and "gzip" in self.headers.get("Accept-Encoding", ""):
            return self._send(200, self.editor.gzipped(target), kind, cache=cache, encoding="gzip")
        self._send(200, target.read_bytes(), kind, cache=cache)

    def _json(self, status: int, value: Any) -> None:
        data = json.dumps(value, ensure_ascii=False).encode("utf-8")
        if len(data) > 4096 and "gzip" in self.headers.get("Accept-Encoding", ""):
            return self._send(status, gzip.compress(data, 1), "application/json; charset=utf-8", encoding="gzip")
        self._send(status, data, "application/json; charset=utf-8")

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": message})

    def _redirect(self, location: str, cookie: str | None = None) -> None:
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", location)
        if cookie:
            self.send_header("Set-Cookie", cookie)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, data: bytes | str, kind: str, cache: str = "no-store",
              encoding: str | None = None) -> None:
        blob = data.encode("utf-8") if isinstance(data, str) else data
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(blob)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "same-origin")
        if kind.startswith("text/html"):
            self.send_header("X-Frame-Options", "SAMEORIGIN")
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(blob)


def _login_page(error: str) -> str:
    from html import escape

    message = f'<p class="loi" role="alert">{escape(error)}</p>' if error else ""
    return (STATIC / "login.html").read_text(encoding="utf-8").replace("<!--LOI-->", message)

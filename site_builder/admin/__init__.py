"""The browser editor: Decap CMS served from our own files, talking to our own Python backend.

`run(...)` is `site-builder admin`. Modules: `config` (Decap's configuration, generated from
the content model and the vocabularies), `store` (Decap's proxy-backend actions on the
project's files, every entry checked as `site-builder check` checks it), `entries` (the text
of a file as the editor shows and writes it), `media` (photos: checked uploads, previews),
`paths` (only the content and photo folders), `preview` (a body as the site renders it),
`auth` (password file and sessions), `server` (HTTP).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from site_builder.fonts import prepare_fonts
from site_builder.i18n import _
from site_builder.settings import SiteSettings

from . import auth
from .server import Editor, make_server
from .store import Store

#: Where `npm ci` puts Decap's bundle (package.json pins decap-cms).
DECAP_DIST = Path("node_modules") / "decap-cms" / "dist"


def decap_dir(root: Path) -> Path:
    """Decap's bundle for the project `root`; FileNotFoundError saying what to run when missing."""
    folder = root / DECAP_DIST
    if not (folder / "decap-cms.js").is_file():
        raise FileNotFoundError(_("Decap CMS is not installed ({folder} is missing): run 'npm ci' in {root}, "
                                  "or 'make serve'").format(folder=folder, root=root))
    return folder


def site_assets(root: Path) -> dict[str, Path]:
    """The stylesheets of a story page and their fonts, by their name under the site's assets/."""
    spec = importlib.util.find_spec("material")  # Material's files, without importing the theme
    styles = Path(spec.origin).resolve().parent / "templates" / "assets" / "stylesheets"
    theme = root / "themes" / "guong-sang" / "assets"
    out = {f"stylesheets/{p.name}": p for p in styles.glob("*.min.css")}
    out.update({p.name: p for p in theme.glob("*.css")})
    try:
        out.update({f"fonts/{face.output_name}": path for face, path in prepare_fonts(root / ".cache" / "fonts")})
    except OSError:
        pass  # the preview falls back on the system's fonts
    return out


def run(root: Path, settings: SiteSettings, host: str, port: int, preview_site: str,
        password_file: Path | None, git: bool) -> None:
    """Serve the editor until interrupted."""
    sessions = auth.Sessions(auth.read_users(password_file)) if password_file else None
    if sessions is None and not auth.is_local(host):
        raise PermissionError(_("the editor listens on {host}, beyond this computer: give a password file with "
                                "--password-file (make one with --add-user NAME)").format(host=host))
    editor = Editor(Store(root, settings, git=git), decap_dir(root), site_assets(root), preview_site, sessions)
    server = make_server(editor, host, port)
    try:
        server.serve_forever()
    finally:
        server.server_close()

"""The editor's backend: Decap's proxy-backend actions on the project's files.

`Store.handle(action, params)` answers the JSON actions Decap's `decap-server` answers
(`info`, `entriesByFolder`, `entriesByFiles`, `getEntry`, `persistEntry`, `getMedia`,
`getMediaFile`, `persistMedia`, `deleteFile`, `deleteFiles`), plus `slug` (the slug of a new
story or profile, as `site-builder new` makes it). The differences from `decap-server`:

- `entriesByFolder` also answers a page of a list (``page``, ``pageSize``), newest first, and
  front matter only (``bodies: false``): the editor's lists show a page, not thousands of
  stories, and never need bodies (an entry opened is read whole with `getEntry`); what a list
  needs of each file is kept in memory and read again only when the file changed;

- a story or profile is checked with the rules of `site-builder check` (`checking.check_one`)
  before anything is written, and refused with the Vietnamese ``field: message`` of each error;
- only files inside the content and photo folders are read or written (`paths.resolve`);
- every write is atomic (`files.write_atomic`), one at a time (a lock: two saves of the same
  new slug cannot both pass the check), and the previous version of a changed or deleted file
  is kept under `.history/` (with `git=True`, the written files are also committed);
- photos are checked like the image pipeline checks them and filed under
  ``images/<year>/<ascii-name>``; the library lists names and preview addresses, not bytes.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from site_builder.checking import check_one
from site_builder.content.errors import IssueLog
from site_builder.content.loader import Neighbours
from site_builder.content.models import PROFILE_KINDS, Profile, Story, Vocabulary
from site_builder.content.schema import field_title
from site_builder.content.frontmatter import parse_yaml
from site_builder.content.scaffold import title_slug
from site_builder.content.vocabulary import VOCABULARY_NAMES, load_vocabularies, load_vocabulary
from site_builder.files import write_atomic
from site_builder.i18n import _
from site_builder.images.process import SourceError
from site_builder.routes import urls
from site_builder.settings import SiteSettings
from site_builder.vietnamese import VIETNAM_TZ, nfc

from . import config, entries, media
from .paths import Refused, relative, resolve

log = logging.getLogger(__name__)

HISTORY = ".history"
_SLUG_LINE = re.compile(rb"^slug:[ \t]*['\"]?([a-z0-9-]+)['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)
_DATE_LINE = re.compile(rb"^date:[ \t]*['\"]?([0-9][0-9: T-]*)", re.MULTILINE)
#: Entries in a page of a list (`entries_by_folder`): a screen or two of cards.
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
#: Previews made when the server starts, if missing: this year's newest photos, the library's first screen.
WARM_PREVIEWS = 12
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*\r?$\n?", re.MULTILINE | re.DOTALL)
_STORY_FILE = re.compile(r"stories/\d{4}/[^/]+\.md")
_PROFILE_FILE = re.compile(r"profiles/(%s)/[^/]+\.md" % "|".join(k.value for k in PROFILE_KINDS))


@dataclass(frozen=True)
class _Listed:
    """What a list needs of a file: its date (to sort), its front matter (to show), its version."""

    path: str
    stamp: tuple[int, int]  # (mtime_ns, size)
    date: bytes
    head: str

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    @property
    def id(self) -> str:
        return f"{self.stamp[0]:x}-{self.stamp[1]:x}"

    @classmethod
    def read(cls, path: str, stamp: tuple[int, int]) -> _Listed:
        with open(path, "rb") as f:
            data = f.read()
        date = _DATE_LINE.search(data[:4096])
        text = data.decode("utf-8", "replace")
        head = _FRONT_MATTER.match(text)
        return cls(path, stamp, date.group(1) if date else b"", head.group(0) if head else text)


class Store:
    """The project's content and photos, as the editor sees and changes them."""

    def __init__(self, root: Path, settings: SiteSettings, git: bool = False,
                 clock: Callable[[], dt.datetime] | None = None) -> None:
        self.root = Path(root).resolve()
        self.settings = settings
        self.git = git
        self.content = (self.root / settings.docs_dir).resolve()
        self.images = (self.root / settings.images_dir).resolve()
        self.images_rel = self.images.relative_to(self.root).as_posix()
        self.max_pixels = settings.images.max_pixels
        self.previews = self.root / ".cache" / "admin" / "previews"
        self.history = self.root / HISTORY
        self.clock = clock or (lambda: dt.datetime.now(VIETNAM_TZ).replace(tzinfo=None))
        self.lock = threading.Lock()
        self._slugs: dict[Path, tuple[int, int, str]] = {}  # file -> (mtime_ns, size, slug)
        self._heads: dict[str, _Listed] = {}  # file -> its date and front matter, for the lists
        self._vocab: tuple[tuple, dict[str, Vocabulary]] | None = None

    # -- reading -------------------------------------------------------------------------

    def handle(self, action: str, params: dict[str, Any]) -> Any:
        """The answer to one action of Decap's proxy protocol; Refused for a bad request."""
        method = _ACTIONS.get(action)
        if method is None:
            raise Refused(_("unknown action {action!r}").format(action=action), 422)
        if not isinstance(params, dict):
            raise Refused(_("the request has no parameters"), 422)
        return method(self, params)

    def info(self, params: dict) -> dict:
        return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}

    def entries_by_folder(self, params: dict) -> list[dict] | dict:
        """The entries of a folder, newest first. As `decap-server`: every file whole. With
        ``bodies: false``, only their front matter (what lists, searches and relations read).
        With ``page`` (from 0) and ``pageSize``: that page only, as ``{entries, page, pages,
        count}`` (the story list shows a page and loads the next one when scrolled to)."""
        folder = resolve(self.root, str(params.get("folder", "")), (self.content,))
        extension = "." + str(params.get("extension") or "md").lstrip(".")
        depth = int(params.get("depth") or 1)
        bodies = params.get("bodies", True) is not False
        listed = self._listing(folder, extension, depth)
        if params.get("page") is None:
            return [self._listed_entry(item, bodies) for item in listed]
        size = min(max(int(params.get("pageSize") or PAGE_SIZE), 1), MAX_PAGE_SIZE)
        pages = max(1, -(-len(listed) // size))
        page = min(max(int(params["page"]), 0), pages - 1)
        return {"entries": [self._listed_entry(item, bodies) for item in listed[page * size:(page + 1) * size]],
                "page": page, "pages": pages, "count": len(listed)}

    def warm_up(self) -> None:
        """Read what the editor shows first (the story list, the previews of this year's newest
        photos) and what a first save checks (the slugs)."""
        self._listing(self.content / "stories", ".md", 2)
        for photo in media.list_folder(self.root, self.images / str(self.clock().year))[:WARM_PREVIEWS]:
            try:  # Pillow lets the other threads run while it decodes
                media.preview(self.root / photo["path"], media.PREVIEW_WIDTHS[0], self.previews, self.max_pixels)
            except (OSError, SourceError):
                continue  # said when the library shows that photo
        self.neighbours()

    def _previews(self, uploads) -> None:
        """The previews of photos just saved (a preview that cannot be made is made when shown)."""
        for upload in uploads:
            if upload.image is None:
                continue
            try:
                media.make_previews(self.root / upload.path, upload.image, self.previews)
            except OSError:
                log.warning("admin: no preview of %s", upload.path, exc_info=True)

    def _listing(self, folder: Path, extension: str, depth: int) -> list[_Listed]:
        """The files of `folder`, newest first (by the date in their front matter, then name); a
        file is read again only when it changed (its time or size)."""
        found = []
        for path, st in _scan(str(folder), extension, depth):
            known = self._heads.get(path)
            if known is None or known.stamp != (st.st_mtime_ns, st.st_size):
                try:
                    known = _Listed.read(path, (st.st_mtime_ns, st.st_size))
                except OSError:
                    continue
                self._heads[path] = known
            found.append(known)
        found.sort(key=lambda f: (f.date, f.name), reverse=True)
        return found

    def _listed_entry(self, item: _Listed, body: bool) -> dict:
        """A listed file as Decap reads it: whole (`body`), or its front matter only."""
        path = Path(item.path)
        if body:
            try:
                return self._entry(path, path.read_bytes(), raw=True)
            except OSError:
                pass
        return {"data": item.head, "file": {"path": self._shown(path), "id": item.id}}

    def entries_by_files(self, params: dict) -> list[dict]:
        out = []
        for item in params.get("files") or ():
            given = item.get("path", "") if isinstance(item, dict) else ""
            path = resolve(self.root, given, (self.content,))
            try:
                out.append({**self._entry(path, path.read_bytes()), "file": {
                    "path": relative(given), "label": item.get("label"), "id": self._id(path)}})
            except FileNotFoundError:
                out.append({"data": None, "file": {"path": relative(given), "label": item.get("label"), "id": None}})
        return out

    def get_entry(self, params: dict) -> dict:
        path = resolve(self.root, str(params.get("path", "")), (self.content,))
        try:
            return self._entry(path, path.read_bytes())
        except FileNotFoundError:
            raise Refused(_("there is no file {path}").format(path=self._shown(path)), 404) from None

    def _entry(self, path: Path, data: bytes, raw: bool = False) -> dict:
        """One entry; `raw`: the file as it is (the lists: only titles and dates are shown), else
        in the editor's terms (`entries.for_editor`)."""
        text = data.decode("utf-8", "replace") if raw else entries.for_editor(
            path, data, self.vocabularies(), self._is_vocabulary(path))
        return {"data": text, "file": {"path": self._shown(path), "id": self._id(path)}}

    def get_media(self, params: dict) -> list[dict]:
        folder = resolve(self.root, str(params.get("mediaFolder") or self.images_rel), (self.images,), itself=True)
        return media.list_folder(self.root, folder)

    def get_media_file(self, params: dict) -> dict:
        path = resolve(self.root, str(params.get("path", "")), (self.images,))
        if not path.is_file():
            raise Refused(_("there is no photo {path}").format(path=self._shown(path)), 404)
        return media.media_entry(self.root, path)

    def preview(self, rel: str, width: int) -> bytes:
        """The JPEG preview of the photo `rel` (relative to the project)."""
        path = resolve(self.root, rel, (self.images,))
        if not path.is_file() or not path.name.lower().endswith(media.PHOTO_EXTENSIONS):
            raise Refused(_("there is no photo {path}").format(path=rel), 404)
        return media.preview(path, width, self.previews, self.max_pixels)

    def slug(self, params: dict) -> dict:
        """The slug a new story or profile titled `title` gets: `site-builder new`'s, made unique."""
        what = "profile" if params.get("collection", "").startswith("ho-so") else "story"
        base = title_slug(nfc(str(params.get("title") or "")).strip())
        if not base:
            raise Refused(_("write a title with letters or digits first: the file's name is made from it"), 422)
        with self.lock:
            neighbours = self.neighbours()
        taken = set((neighbours.stories if what == "story" else neighbours.profiles).values())
        taken |= urls.reserved_slugs(what)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return {"slug": slug}

    # -- writing -------------------------------------------------------------------------

    def persist_entry(self, params: dict) -> dict:
        files = params.get("dataFiles") or ([params["entry"]] if params.get("entry") else [])
        if len(files) != 1 or not isinstance(files[0], dict):
            raise Refused(_("save one story, profile or list at a time"), 422)
        file = files[0]
        if file.get("newPath") and file.get("newPath") != file.get("path"):
            raise Refused(_("a file keeps its name once created: its address would change"), 422)
        path = resolve(self.root, str(file.get("path", "")), (self.content,))
        raw = file.get("raw")
        if not isinstance(raw, str):
            raise Refused(_("the entry has no text"), 422)
        with self.lock:
            uploads = self._uploads(params.get("assets") or ())
            renames = {media.public(a, self.images_rel): media.public(u.path, self.images_rel)
                       for a, u in uploads.items()}
            if self._is_vocabulary(path):
                text, title = self._vocabulary(path, raw), self._shown(path)
            else:
                text, title = self._checked(path, raw, renames, [u.path for u in uploads.values()])
            new = not path.exists()
            written = [self._write(self.root / u.path, u.data) for u in uploads.values()]
            written.append(self._write(path, text.encode("utf-8")))
            self._previews(uploads.values())
            if self.git:
                message = (_("Add story: {title}") if new else _("Edit story: {title}")) if "stories" in path.parts \
                    else (_("Add: {title}") if new else _("Edit: {title}"))
                self._commit(written, message.format(title=title))
        return {"message": "entry persisted", "path": self._shown(path)}

    def persist_media(self, params: dict) -> dict:
        asset = params.get("asset")
        with self.lock:
            uploads = self._uploads([asset] if asset else [])
            if not uploads:
                raise Refused(_("no photo was sent"), 422)
            upload = next(iter(uploads.values()))
            written = [self._write(self.root / upload.path, upload.data)]
            self._previews([upload])
            if self.git:
                self._commit(written, _("Add photo: {path}").format(path=upload.path))
        return media.media_entry(self.root, self.root / upload.path)

    def delete_file(self, params: dict) -> dict:
        return self.delete_files({"paths": [params.get("path", "")]})

    def delete_files(self, params: dict) -> dict:
        paths = [resolve(self.root, str(p), (self.images,)) for p in params.get("paths") or ()]
        with self.lock:
            gone = []
            for path in paths:
                if path.is_file():
                    self._keep_previous(path)
                    path.unlink()
                    gone.append(path)
            if self.git and gone:
                self._commit(gone, _("Delete photo: {path}").format(path=", ".join(self._shown(p) for p in gone)))
        return {"message": "deleted"}

    # -- checks ----------------------------------------------------------------------------

    def _checked(self, path: Path, raw: str, renames: dict[str, str], pending: list[str]) -> tuple[str, str]:
        """The file's new text, checked as `site-builder check` checks it; Refused with every error."""
        rel = path.relative_to(self.content).as_posix()
        if not (_STORY_FILE.fullmatch(rel) or _PROFILE_FILE.fullmatch(rel)):
            raise Refused(_("{path}: stories go in content/stories/<year>/, profiles in "
                            "content/profiles/<kind>/").format(path=self._shown(path)), 422)
        data, body, problems = entries.from_editor(raw)
        if data is None:
            raise Refused("\n".join(problems), 422)
        if path.exists():  # what the form does not edit stays as the file has it
            before, _body, _problems = entries.from_editor(path.read_text(encoding="utf-8"))
            for key in config.KEPT_FROM_FILE:
                if before and key in before and key not in data:
                    data[key] = before[key]
            _keep_people_consent(data, before or {})
        data = media.rename_references(data, renames)
        body = media.rename_references(body, renames)
        if not path.exists() and not data.get("slug"):
            data["slug"] = path.stem  # a new file's slug is fixed at creation
        text = entries.dump(data, body)
        model = Story if rel.startswith("stories/") else Profile
        issues = check_one(self.root, self.settings, path, text.encode("utf-8"), self.neighbours(),
                           pending_photos=[media.public(p, self.images_rel) for p in pending])
        errors = [i for i in issues if i.is_error]
        if errors:
            raise Refused("\n".join(self._said(model, i.field, i.message) for i in errors), 422)
        if not path.exists() and model is Story:
            year = str(data.get("date", ""))[:4]
            if path.parent.name != year:
                raise Refused(_("date: the story's date is in {year}: it is filed in content/stories/{year}/; "
                                "correct the date").format(year=year or "?"), 422)
        title = str(data.get("title") or data.get("name") or path.stem)
        return text, title

    @staticmethod
    def _said(model: type, field: str, message: str) -> str:
        """`field (its Vietnamese name): message`, as the editor shows an error."""
        if not field:
            return message
        loc = tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\[\]]+", field) if p)
        title = field_title(model, loc)
        return f"{field} ({title}): {message}" if title and title != field else f"{field}: {message}"

    def _vocabulary(self, path: Path, raw: str) -> str:
        """The vocabulary file the editor sent, as a YAML list, checked as `check` reads it."""
        name = path.stem
        if path.parent != self.content / "vocabularies" or name not in VOCABULARY_NAMES:
            raise Refused(_("{path}: not a vocabulary file").format(path=self._shown(path)), 422)
        parsed = parse_yaml(nfc(raw))
        if not parsed.ok or not isinstance(parsed.data, dict):
            raise Refused("\n".join(p.message for p in parsed.problems) or _("the list is empty"), 422)
        text = entries.vocabulary_text(entries.prune(parsed.data) or {})
        log = IssueLog(self.root)
        load_vocabulary(path, name, log, self._shown(path), data=text.encode("utf-8"))
        errors = [i for i in log.issues if i.is_error]
        if errors:
            raise Refused("\n".join(f"{i.field}: {i.message}" if i.field else i.message for i in errors), 422)
        return text

    def _uploads(self, assets) -> dict[str, media.Upload]:
        """The photos sent with an entry (or alone), checked and given their place; by the path
        the editor chose (relative to the project)."""
        out: dict[str, media.Upload] = {}
        taken: set[str] = set()
        year = self.clock().year
        for asset in assets:
            if not isinstance(asset, dict):
                raise Refused(_("a photo was sent without its data"), 422)
            given = relative(str(asset.get("path", "")))
            resolve(self.root, given, (self.images,))
            if asset.get("encoding", "base64") != "base64":
                raise Refused(_("{name}: the photo was not sent whole: upload it again").format(name=given), 422)
            try:
                data = base64.b64decode(asset.get("content") or "", validate=True)
            except (binascii.Error, ValueError):
                raise Refused(_("{name}: the photo was not sent whole: upload it again").format(name=given),
                              422) from None
            image = media.check_upload(Path(given).name, data, self.max_pixels)
            target = media.upload_path(given, self.images_rel, year, taken)
            while (self.root / target).exists() and (self.root / target).read_bytes() != data:
                taken.add(target)  # never replace another photo of that name
                target = media.upload_path(given, self.images_rel, year, taken)
            taken.add(target)
            out[given] = media.Upload(target, data, image)
        return out

    # -- what the checks know of the other files -------------------------------------------

    def neighbours(self) -> Neighbours:
        """The slug of every story and profile (read again only for files that changed)."""
        stories = self._slug_index(self.content / "stories", 1)
        profiles = self._slug_index(self.content / "profiles", 1)
        return Neighbours(stories, profiles)

    def _slug_index(self, folder: Path, depth: int) -> dict[Path, str]:
        out = {}
        for path in _files(folder, ".md", depth + 1):
            try:
                st = path.stat()
            except OSError:
                continue
            known = self._slugs.get(path)
            if known is None or known[:2] != (st.st_mtime_ns, st.st_size):
                found = _SLUG_LINE.search(path.read_bytes()[:8192])
                known = (st.st_mtime_ns, st.st_size, found.group(1).decode() if found else path.stem)
                self._slugs[path] = known
            out[path] = known[2]
        return out

    def vocabularies(self) -> dict[str, Vocabulary]:
        folder = self.content / "vocabularies"
        stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.y*ml")))
        if self._vocab is None or self._vocab[0] != stamp:
            resolvers = load_vocabularies(folder, IssueLog(self.root))
            self._vocab = (stamp, {name: r.vocabulary for name, r in resolvers.items()})
        return self._vocab[1]

    # -- files -------------------------------------------------------------------------------

    def _write(self, path: Path, data: bytes) -> Path:
        """Write `path` atomically, keeping its previous version; nothing when it is unchanged."""
        try:
            if path.read_bytes() == data:
                return path
            self._keep_previous(path)
        except FileNotFoundError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
        return path

    def _keep_previous(self, path: Path) -> None:
        """Copy `path` to .history/<its path>/<time>.<name> before it is replaced or deleted."""
        stamp = self.clock().strftime("%Y%m%d-%H%M%S-%f")
        folder = self.history / path.relative_to(self.root)
        folder.mkdir(parents=True, exist_ok=True)
        target, n = folder / f"{stamp}{path.suffix}", 1
        while target.exists():  # two versions in one instant: both are kept
            target, n = folder / f"{stamp}-{n}{path.suffix}", n + 1
        shutil.copy2(path, target)

    def _commit(self, paths: list[Path], message: str) -> None:
        rel = [p.relative_to(self.root).as_posix() for p in paths]
        env = {**os.environ, "GIT_AUTHOR_NAME": os.environ.get("GIT_AUTHOR_NAME", "Gương Sáng"),
               "GIT_AUTHOR_EMAIL": os.environ.get("GIT_AUTHOR_EMAIL", "bientap@guongsang.local"),
               "GIT_COMMITTER_NAME": os.environ.get("GIT_COMMITTER_NAME", "Gương Sáng"),
               "GIT_COMMITTER_EMAIL": os.environ.get("GIT_COMMITTER_EMAIL", "bientap@guongsang.local")}
        run = lambda *args: subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True)
        added = run("add", "-A", "--", *rel)
        done = run("commit", "--quiet", "-m", message, "--only", "--", *rel) if added.returncode == 0 else added
        if done.returncode != 0:
            raise Refused(_("the files were saved but git could not commit them: {reason}").format(
                reason=(done.stderr or done.stdout).strip()), 500)

    def _id(self, path: Path) -> str:
        st = path.stat()
        return f"{st.st_mtime_ns:x}-{st.st_size:x}"

    def _is_vocabulary(self, path: Path) -> bool:
        return path.parent == self.content / "vocabularies"

    def _shown(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)


def _files(folder: Path, extension: str, depth: int) -> list[Path]:
    """Files ending in `extension` at most `depth` levels below `folder` (hidden ones skipped), sorted."""
    out: list[Path] = []
    if depth <= 0 or not folder.is_dir():
        return out
    with os.scandir(folder) as it:
        for e in it:
            if e.name.startswith("."):
                continue
            if e.is_dir():
                out += _files(Path(e.path), extension, depth - 1)
            elif e.name.endswith(extension):
                out.append(Path(e.path))
    return sorted(out)


def _scan(folder: str, extension: str, depth: int) -> list[tuple[str, os.stat_result]]:
    """`_files` for long lists: (path, stat) of each file, no `Path` made, in no order."""
    out: list[tuple[str, os.stat_result]] = []
    if depth <= 0:
        return out
    try:
        with os.scandir(folder) as it:
            for e in it:
                if e.name.startswith("."):
                    continue
                if e.is_dir():
                    out += _scan(e.path, extension, depth - 1)
                elif e.name.endswith(extension):
                    try:
                        out.append((e.path, e.stat()))
                    except OSError:
                        continue
    except (FileNotFoundError, NotADirectoryError):
        pass
    return out


_ACTIONS: dict[str, Callable[[Store, dict], Any]] = {
    "info": Store.info,
    "entriesByFolder": Store.entries_by_folder,
    "entriesByFiles": Store.entries_by_files,
    "getEntry": Store.get_entry,
    "persistEntry": Store.persist_entry,
    "getMedia": Store.get_media,
    "getMediaFile": Store.get_media_file,
    "persistMedia": Store.persist_media,
    "deleteFile": Store.delete_file,
    "deleteFiles": Store.delete_files,
    "slug": Store.slug,
}


def _keep_people_consent(data: dict, before: dict) -> None:
    """Each person's consent record (which the form does not edit) as the file had it, matched by name."""
    old = {p.get("name"): p for p in before.get("people") or () if isinstance(p, dict)}
    for person in data.get("people") or ():
        if isinstance(person, dict) and person.get("name") in old:
            for key in config.KEPT_FOR_PEOPLE:
                if key in old[person["name"]] and key not in person:
                    person[key] = old[person["name"]][key]

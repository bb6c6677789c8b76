"""Load and validate everything in content/ into a `ContentSet`, reporting every problem."""

from __future__ import annotations

import contextlib
import difflib
import gc
import logging
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from pydantic import ValidationError

from ..vietnamese import nfc, slugify
from .errors import ContentErrors, ContentIssue, IssueLog, sort_issues
from .frontmatter import Document, Loc, decode, format_loc, parse_document
from .models import (
    PROFILE_KINDS,
    ContentSet,
    Kind,
    Person,
    Photo,
    Place,
    Profile,
    Recognition,
    Source,
    Story,
)
from .schema import SLUG_RE, ProfileFM, StoryFM, parse_profile_kind, to_datetime, translate_errors
from .vocabulary import Resolver, load_vocabularies

log = logging.getLogger(__name__)

_YEAR_DIR = re.compile(r"\d{4}")
_DRIVE = re.compile(r"^[A-Za-z]:")


# --- images --------------------------------------------------------------------


class ImageIndex:
    """Checks photo paths against images/: relative, inside, existing."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.real = folder.resolve()
        self._files: set[str] | None = None
        self._lowered: dict[str, str] | None = None

    @property
    def files(self) -> set[str]:
        """Regular files (not symlinks) under images/, as POSIX relative paths."""
        if self._files is None:
            self._files = set()
            self._scan(self.folder, "")
        return self._files

    def _scan(self, folder: Path, prefix: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                self._scan(Path(entry.path), f"{prefix}{entry.name}/")
            elif entry.is_file(follow_symlinks=False):
                self._files.add(prefix + entry.name)

    def problem(self, src: str) -> str | None:
        """Why `src` is not a usable photo path, or None when it is fine."""
        if "://" in src or src.startswith(("data:", "//")):
            return f"{src!r} must be a file in images/, not a URL"
        if "\\" in src:
            return f"{src!r}: use '/' to separate folders"
        if src.startswith("/") or _DRIVE.match(src):
            return f"{src!r} must be a path relative to images/, not an absolute path"
        norm = posixpath.normpath(src)
        if norm == ".." or norm.startswith("../"):
            return f"{src!r} leads outside images/"
        if norm in self.files:
            return None
        full = self.folder / norm
        try:
            real = full.resolve()
        except (OSError, RuntimeError):
            return f"{src!r} cannot be resolved (symlink loop?)"
        if not real.is_relative_to(self.real):
            return f"{src!r} is a symlink that leads outside images/"
        if real.is_file():
            return None
        return f"image not found: images/{norm}" + self._hint(norm)

    def _hint(self, norm: str) -> str:
        if self._lowered is None:
            self._lowered = {name.lower(): name for name in sorted(self.files)}
        found = self._lowered.get(norm.lower())
        return f"; did you mean {found!r}?" if found else ""


# --- per-file state ---------------------------------------------------------------


@dataclass
class _Entry:
    """One story or profile file while it is being checked."""

    path: Path
    doc: Document
    slug: str = ""
    slug_line: int = 1
    model: Any = None
    keys: dict[Loc, str] = field(default_factory=dict)  # resolved vocabulary keys

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data if isinstance(self.doc.data, dict) else {}


@dataclass
class _Record:
    """What is kept of a file after its own checks (the parsed YAML is dropped)."""

    path: Path
    slug: str
    slug_line: int
    item: Any = None  # Story or Profile, None when the file has errors
    refs: list[tuple[Loc, str, int]] = field(default_factory=list)  # people[i].profile, line


class _Checker:
    """Runs the checks of one load; holds the shared, read-once state."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.issues = IssueLog(root)
        self.vocab: dict[str, Resolver] = load_vocabularies(root, self.issues)
        self.images = ImageIndex(root / "images")

    def report(self, entry: _Entry, loc: Loc, message: str, severity: str = "error") -> None:
        self.issues.add(entry.path, entry.doc.line(loc), format_loc(loc), message, severity)

    # reading and shape ---------------------------------------------------------

    def read(self, path: Path, model: type) -> _Entry:
        """Parse and validate one file; problems are reported, never raised."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            entry = _Entry(path, Document())
            self.issues.add(path, 1, "", f"cannot read file: {exc.strerror or exc}")
            return entry
        text, problem = decode(data)
        if text is None:
            self.issues.add(path, problem.line, "", problem.message)
            return _Entry(path, Document())
        entry = _Entry(path, parse_document(nfc(text)))
        for p in entry.doc.problems:
            self.issues.add(path, p.line, format_loc(p.loc), p.message, p.severity)
        if entry.doc.data is None:
            return entry
        try:
            entry.model = model.model_validate(entry.data)
        except ValidationError as exc:
            already = {tuple(p.loc) for p in entry.doc.problems}  # e.g. an invalid date: said once
            for loc, message in translate_errors(model, exc):
                if tuple(loc) not in already:
                    self.report(entry, loc, message)
        self._slug(entry)
        return entry

    def _slug(self, entry: _Entry) -> None:
        raw = entry.data.get("slug")
        if isinstance(raw, (str, int)) and not isinstance(raw, bool) and str(raw).strip():
            text = str(raw).strip()
            if SLUG_RE.fullmatch(text):
                entry.slug, entry.slug_line = text, entry.doc.line(("slug",))
            return  # an invalid fixed slug is already reported by the schema
        stem = entry.path.stem
        if SLUG_RE.fullmatch(stem):
            entry.slug = stem
            return
        hint = slugify(stem)
        self.issues.add(
            entry.path, 1, "slug",
            f"file name {stem!r} is not a valid slug (lowercase a-z, 0-9, hyphens); "
            f"rename the file to {hint}.md or add 'slug: {hint}'",
        )

    # vocabulary terms and photos ----------------------------------------------------

    def terms(self, entry: _Entry) -> None:
        """Resolve organisation, fields, campaign and recognition levels to keys."""
        data = entry.data
        self._term(entry, ("organisation",), data.get("organisation"), "organisations")
        self._term(entry, ("campaign",), data.get("campaign"), "campaigns")
        fields = data.get("fields")
        if isinstance(fields, str):
            self._term(entry, ("fields",), fields, "fields")
        elif isinstance(fields, list):
            for i, value in enumerate(fields):
                self._term(entry, ("fields", i), value, "fields")
        recognition = data.get("recognition")
        if isinstance(recognition, list):
            for i, item in enumerate(recognition):
                if isinstance(item, dict):
                    self._term(entry, ("recognition", i, "level"), item.get("level"), "recognition_levels")

    def _term(self, entry: _Entry, loc: Loc, value: Any, vocabulary: str) -> None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # the schema accepts numbers as text
        if not isinstance(value, str) or not value.strip():
            return  # absent, or a type error the schema reports
        resolver = self.vocab[vocabulary]
        term = resolver.resolve(value.strip())
        if term is None:
            self.report(entry, loc, resolver.unknown_message(value.strip()))
        else:
            entry.keys[loc] = term.key

    def photo(self, entry: _Entry, key: str) -> None:
        photo = entry.data.get(key)
        if isinstance(photo, dict) and isinstance(photo.get("src"), str) and photo["src"].strip():
            problem = self.images.problem(photo["src"].strip())
            if problem:
                self.report(entry, (key, "src"), problem)

    # story- and profile-specific rules ------------------------------------------------

    def story_rules(self, entry: _Entry, stories_dir: Path) -> None:
        data = entry.data
        date = _try_datetime(data.get("date"))
        expires = _try_datetime(data.get("expires"))
        for name in ("date", "publish_date"):
            start = _try_datetime(data.get(name))
            if start and expires and expires < start:
                message = f"expires ({expires:%Y-%m-%d %H:%M}) is before {name} ({start:%Y-%m-%d %H:%M})"
                self.report(entry, ("expires",), message)
                break
        folder = entry.path.parent
        in_year_folder = folder.parent == stories_dir and _YEAR_DIR.fullmatch(folder.name)
        if date and in_year_folder and int(folder.name) != date.year:
            self.report(
                entry, ("date",),
                f"date is in {date.year} but the file is in the stories/{folder.name}/ folder",
                "warning",
            )

    def profile_rules(self, entry: _Entry, profiles_dir: Path) -> None:
        parts = entry.path.relative_to(profiles_dir).parts
        folders = [k.value for k in PROFILE_KINDS]
        if len(parts) != 2 or parts[0] not in folders:
            self.issues.add(
                entry.path, 1, "kind",
                "a profile must be in content/profiles/<kind>/ where kind is " + ", ".join(folders),
            )
            return
        try:
            kind = parse_profile_kind(entry.data.get("kind"))
        except ValueError:
            return  # reported by the schema
        if kind.value != parts[0]:
            self.report(entry, ("kind",), f"kind {kind.value!r} does not match the folder {parts[0]!r}")
        if kind is not Kind.PERSON and entry.data.get("birth_year") is not None:
            self.report(entry, ("birth_year",), "birth_year is only used for persons (ca-nhan)", "warning")

    # cross-file rules ----------------------------------------------------------------

    def duplicate_slugs(self, entries: list[_Record], what: str) -> None:
        by_slug: dict[str, list[_Record]] = {}
        for entry in entries:
            if entry.slug:
                by_slug.setdefault(entry.slug, []).append(entry)
        for slug, group in by_slug.items():
            if len(group) < 2:
                continue
            for entry in group:
                others = ", ".join(self._shown(o.path) for o in group if o is not entry)
                message = f"duplicate {what} slug {slug!r}: also used by {others}"
                self.issues.add(entry.path, entry.slug_line, "slug", message)

    def profile_refs(self, stories: list[_Record], profile_slugs: set[str]) -> None:
        for record in stories:
            for loc, ref, line in record.refs:
                if ref not in profile_slugs:
                    self.issues.add(record.path, line, format_loc(loc), _unknown_profile(ref, profile_slugs))

    # one file ---------------------------------------------------------------------------

    def story(self, path: Path, stories_dir: Path) -> _Record:
        """Read and check one story; build it if it has no errors of its own."""
        errors = self.issues.error_count
        entry = self.read(path, StoryFM)
        if entry.doc.data is not None:
            self.terms(entry)
            self.photo(entry, "cover")
            self.story_rules(entry, stories_dir)
        record = _Record(path, entry.slug, entry.slug_line, refs=_profile_refs(entry))
        if entry.model is not None and self.issues.error_count == errors:
            record.item = _story(entry)
        return record

    def profile(self, path: Path, profiles_dir: Path) -> _Record:
        """Read and check one profile; build it if it has no errors of its own."""
        errors = self.issues.error_count
        entry = self.read(path, ProfileFM)
        if entry.doc.data is not None:
            self.terms(entry)
            self.photo(entry, "photo")
            self.profile_rules(entry, profiles_dir)
        record = _Record(path, entry.slug, entry.slug_line)
        if entry.model is not None and self.issues.error_count == errors:
            record.item = _profile(entry)
        return record

    def _shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def _profile_refs(entry: _Entry) -> list[tuple[Loc, str, int]]:
    """(location, slug, line) of every people[i].profile written as text."""
    people = entry.data.get("people")
    refs = []
    for i, person in enumerate(people if isinstance(people, list) else ()):
        ref = person.get("profile") if isinstance(person, dict) else None
        if isinstance(ref, str) and ref.strip():
            loc = ("people", i, "profile")
            refs.append((loc, ref.strip(), entry.doc.line(loc)))
    return refs


def _try_datetime(value: Any) -> Any:
    if value is None:
        return None
    try:
        return to_datetime(value)
    except ValueError:
        return None


def _unknown_profile(ref: str, slugs: set[str]) -> str:
    message = f"unknown profile {ref!r}"
    candidate = slugify(ref)
    if candidate in slugs:
        return f"{message}; did you mean {candidate!r}?"
    close = difflib.get_close_matches(candidate or ref, list(slugs), n=1, cutoff=0.6)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    return f"{message}: no file content/profiles/<kind>/{candidate or ref}.md"


def _markdown_files(folder: Path) -> list[Path]:
    """*.md files under `folder`, hidden files and folders skipped, sorted."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath, f) for f in filenames if f.endswith(".md") and not f.startswith("."))
    return sorted(found)


# --- building the models ------------------------------------------------------------


def _place(m: Any) -> Place | None:
    return Place(m.province, m.commune, m.district) if m is not None else None


def _photo(entry: _Entry, name: str) -> Photo | None:
    m = getattr(entry.model, name)
    if m is None:
        return None
    return Photo(posixpath.normpath(m.src), m.alt, m.caption, m.credit, line=entry.doc.line((name, "src")))


def _keys(entry: _Entry, name: str, count: int) -> tuple[str, ...]:
    keys = [entry.keys[(name, i)] for i in range(count)] if count else []
    single = entry.keys.get((name,))
    return tuple(dict.fromkeys(keys + ([single] if single else [])))


def _recognition(entry: _Entry) -> tuple[Recognition, ...]:
    return tuple(
        Recognition(entry.keys[("recognition", i, "level")], r.year, r.title)
        for i, r in enumerate(entry.model.recognition)
    )


def _story(entry: _Entry) -> Story:
    m: StoryFM = entry.model
    return Story(
        path=entry.path, slug=entry.slug, title=m.title, date=m.date, summary=m.summary,
        kind=m.kind, body=entry.doc.body, body_line=entry.doc.body_line,
        people=tuple(Person(p.name, p.role, p.birth_year, p.profile) for p in m.people),
        organisation=entry.keys.get(("organisation",), ""),
        place=_place(m.place),
        fields=_keys(entry, "fields", len(m.fields) if isinstance(entry.data.get("fields"), list) else 0),
        campaign=entry.keys.get(("campaign",), ""),
        recognition=_recognition(entry),
        tags=tuple(m.tags), cover=_photo(entry, "cover"), authors=tuple(m.authors),
        photographer=m.photographer,
        source=Source(m.source.outlet, m.source.url, m.source.date) if m.source else None,
        featured=m.featured, draft=m.draft,
        publish_date=m.publish_date, expires=m.expires, updated=m.updated,
    )


def _profile(entry: _Entry) -> Profile:
    m: ProfileFM = entry.model
    return Profile(
        path=entry.path, slug=entry.slug, name=m.name, kind=m.kind, summary=m.summary,
        body=entry.doc.body, body_line=entry.doc.body_line, role=m.role, birth_year=m.birth_year,
        organisation=entry.keys.get(("organisation",), ""), place=_place(m.place),
        fields=_keys(entry, "fields", len(m.fields) if isinstance(entry.data.get("fields"), list) else 0),
        recognition=_recognition(entry), photo=_photo(entry, "photo"), draft=m.draft,
    )


# --- public API ------------------------------------------------------------------------


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC: loading allocates millions of acyclic objects and
    repeated collections over the growing heap cost ~40% of the load time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def validate_content(root: Path) -> tuple[ContentSet, list[ContentIssue]]:
    """Load everything under `root`/content; never raises for content problems.

    Returns the valid stories and profiles (files with errors are left out)
    and every issue found, errors and warnings, sorted by file and line.
    """
    with _gc_paused():
        return _validate(Path(root).resolve())


def _validate(root: Path) -> tuple[ContentSet, list[ContentIssue]]:
    checker = _Checker(root)
    content_dir = root / "content"
    if not content_dir.is_dir():
        checker.issues.add(content_dir, 1, "", "content folder not found")
    profiles_dir, stories_dir = content_dir / "profiles", content_dir / "stories"

    profiles = [checker.profile(p, profiles_dir) for p in _markdown_files(profiles_dir)]
    stories = [checker.story(p, stories_dir) for p in _markdown_files(stories_dir)]
    checker.duplicate_slugs(profiles, "profile")
    checker.duplicate_slugs(stories, "story")
    checker.profile_refs(stories, {r.slug for r in profiles if r.slug})

    bad = checker.issues.error_paths()
    content = ContentSet(
        stories=[r.item for r in stories if r.item is not None and r.path not in bad],
        profiles=[r.item for r in profiles if r.item is not None and r.path not in bad],
        vocabularies={name: r.vocabulary for name, r in checker.vocab.items()},
    )
    return content, sort_issues(checker.issues.issues)


def load_content(root: Path) -> ContentSet:
    """Load everything under `root`/content; raise `ContentErrors` listing every problem.

    Warnings alone do not raise; they are logged.
    """
    content, issues = validate_content(root)
    if any(i.is_error for i in issues):
        raise ContentErrors(issues)
    for issue in issues:
        log.warning("%s", issue)
    return content

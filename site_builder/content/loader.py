"""Load and validate everything in content/ into a `ContentSet`, reporting every problem."""

from __future__ import annotations

import contextlib
import difflib
import gc
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..i18n import _
from ..legacy_text import has_suspects, to_unicode
from ..routes import urls
from ..vietnamese import nfc, slugify
from . import limits
from .errors import ContentErrors, ContentIssue, IssueLog, sort_issues
from .frontmatter import Document, Loc, decode, format_loc, parse_document
from .models import KIND_LABELS, PROFILE_KINDS, ContentSet, Kind, Profile, Story
from .privacy import consent_findings, personal_data_findings
from .places import resolve_item
from .schema import unknown_field, validate
from .values import SLUG_RE, parse_profile_kind, to_datetime
from .vocabulary import Resolver, load_vocabularies

log = logging.getLogger(__name__)

_YEAR_DIR = re.compile(r"\d{4}")
#: What the loader gives a story or profile besides its front matter.
_FILE_KEYS = ("path", "body", "body_line")


# --- per-file state ---------------------------------------------------------------


@dataclass
class _Entry:
    """One story or profile file while it is being checked."""

    path: Path
    doc: Document
    slug: str = ""
    slug_line: int = 1

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
    photo: tuple[str, int, str] | None = None  # (src, line, field) of its cover/photo as written


class _Context:
    """Pydantic's validation context for one file: vocabulary terms, lines and the site's address (see `values`)."""

    __slots__ = ("vocab", "doc", "site_url")

    def __init__(self, vocab: dict[str, Resolver], doc: Document, site_url: str) -> None:
        self.vocab = vocab
        self.doc = doc
        self.site_url = site_url

    def term_key(self, vocabulary: str, text: str) -> str:
        resolver = self.vocab[vocabulary]
        term = resolver.resolve(text)
        if term is None:
            raise ValueError(resolver.unknown_message(text))
        return term.key

    def line(self, loc: Loc) -> int:
        return self.doc.line(loc)


class _Checker:
    """Runs the checks of one load; holds the shared, read-once state."""

    def __init__(self, root: Path, content_dir: Path, require_consent: bool = False, site_url: str = "") -> None:
        self.root = root
        self.content_dir = content_dir
        self.require_consent = require_consent
        self.site_url = site_url
        self.profiles: dict[str, Profile] = {}  # valid profiles by slug (read before the stories)
        self.issues = IssueLog(root)
        self.vocab: dict[str, Resolver] = load_vocabularies(content_dir / "vocabularies", self.issues)

    def report(self, entry: _Entry, loc: Loc, message: str, severity: str = "error") -> None:
        body = loc[:1] == ("body",) and ("body",) not in entry.doc.lines  # the text, not a `body:` key
        line = entry.doc.body_line if body else entry.doc.line(loc)
        self.issues.add(entry.path, line, format_loc(loc), message, severity)

    # reading and validating ------------------------------------------------------

    def read(self, path: Path) -> _Entry:
        """Read and parse one file; problems are reported, never raised."""
        try:
            size = path.stat().st_size
            if size > limits.FILE_BYTES:
                return self._too_large(path, size)
            data = path.read_bytes()
        except OSError as exc:
            entry = _Entry(path, Document())
            self.issues.add(path, 1, "", _("cannot read the file ({reason}): check that it exists and can be read")
                            .format(reason=exc.strerror or exc))
            return entry
        return self.parse(path, data)

    def parse(self, path: Path, data: bytes) -> _Entry:
        """Parse the bytes of the file `path` (read from disk, or about to be written there)."""
        if len(data) > limits.FILE_BYTES:
            return self._too_large(path, len(data))
        text, problem = decode(data)
        if text is None:
            self.issues.add(path, problem.line, "", problem.message)
            return _Entry(path, Document())
        entry = _Entry(path, parse_document(nfc(text)))
        for p in entry.doc.problems:
            self.issues.add(path, p.line, format_loc(p.loc), p.message, p.severity)
        return entry

    def _too_large(self, path: Path, size: int) -> _Entry:
        self.issues.add(path, 1, "", _("the file is too large ({size} MB; {most} MB at most): is a whole "
                                       "document pasted in it? split it or remove what does not belong")
                        .format(size=round(size / 2**20, 1), most=limits.FILE_BYTES // 2**20))
        return _Entry(path, Document())

    def validate(self, entry: _Entry, model: type) -> Any:
        """The front matter validated into `model` (with the file's path and body), or None."""
        values = dict(entry.data)
        for key in _FILE_KEYS:
            if key in values:
                self.report(entry, (key,), unknown_field(model, (key,)))
        values.update(path=entry.path, body=entry.doc.body, body_line=entry.doc.body_line)
        if entry.slug:
            values["slug"] = entry.slug
        item, errors = validate(model, values, _Context(self.vocab, entry.doc, self.site_url))
        if errors:
            already = {tuple(p.loc) for p in entry.doc.problems}  # e.g. an invalid date: said once
            for loc, message in errors:
                if tuple(loc) not in already:
                    self.report(entry, loc, message)
        return item

    def slug(self, entry: _Entry, what: str) -> None:
        """The file's URL slug: `slug:` when it is set, else the file name; both must be valid and free."""
        raw = entry.data.get("slug")
        if isinstance(raw, (str, int)) and not isinstance(raw, bool) and str(raw).strip():
            text = str(raw).strip()
            if SLUG_RE.fullmatch(text):
                entry.slug, entry.slug_line = text, entry.doc.line(("slug",))
                self._reserved(entry, what, fixed=True)
            return  # an invalid fixed slug is reported by the validation
        stem = entry.path.stem
        if SLUG_RE.fullmatch(stem):
            entry.slug = stem
            self._reserved(entry, what, fixed=False)
            return
        hint = slugify(stem) or "bai-viet"
        self.issues.add(
            entry.path, 1, "slug",
            _("the file name {name!r} cannot be used in a web address (only a-z, 0-9 and hyphens): "
              "rename the file to {hint}.md or add the line 'slug: {hint}'").format(name=stem, hint=hint),
        )

    def _reserved(self, entry: _Entry, what: str, fixed: bool) -> None:
        slug = entry.slug
        if slug not in urls.reserved_slugs(what):
            return
        address = "/" + (urls.story(slug) if what == "story" else urls.profile(slug))
        if slug == urls.PAGE_SEGMENT:
            page = _("the numbered pages of a list")
        else:
            page = _("the list of {kind} profiles").format(kind=KIND_LABELS[Kind(slug)].lower())
        if fixed:
            todo = _("change the line 'slug: {slug}', e.g. to 'slug: {slug}-1'").format(slug=slug)
        else:
            todo = _("rename the file or add a line such as 'slug: {slug}-1'").format(slug=slug)
        self.issues.add(
            entry.path, entry.slug_line, "slug",
            _("the slug {slug!r} is reserved: its address {address} belongs to {page}; {todo}").format(
                slug=slug, address=address, page=page, todo=todo
            ),
        )

    def aliases(self, entry: _Entry, item: Story | Profile) -> None:
        """Each old address once, and none the page's own."""
        own = urls.output_path(item.url)
        seen: dict[str, int] = {}
        for i, alias in enumerate(item.aliases):
            output = urls.redirect_output(alias.path)
            if output == own:
                self.report(entry, ("aliases", i), _("'/{path}' is the address of this page itself: remove the line")
                            .format(path=alias.path))
            elif output in seen:
                self.report(entry, ("aliases", i), _("'/{path}' is already listed on line {line}: remove one of the "
                                                     "two lines").format(path=alias.path, line=seen[output]))
            else:
                seen[output] = entry.doc.line(("aliases", i))

    # notes to review and legacy text (warnings) ----------------------------------------

    def review_notes(self, entry: _Entry) -> None:
        """Each `review:` item is a warning until the editor removes it."""
        notes = entry.data.get("review")
        for i, note in enumerate(notes if isinstance(notes, list) else ()):
            if isinstance(note, str) and note.strip():
                self.report(entry, ("review", i), _("to check: {note}; when it is done, remove this item")
                            .format(note=note.strip()), "warning")

    def legacy_text(self, entry: _Entry) -> None:
        """Text typed in the old VNI or TCVN3 encodings (front matter values, body lines)."""
        if not has_suspects(entry.doc.body) and not any(has_suspects(v) for _loc, v in _strings(entry.data, ())):
            return
        for loc, value in _strings(entry.data, ()):
            if has_suspects(value):
                self._legacy(entry, entry.doc.line(loc), format_loc(loc), value)
        found = 0
        for offset, line in enumerate(entry.doc.body.split("\n")):
            if has_suspects(line) and self._legacy(entry, entry.doc.body_line + offset, "body", line):
                found += 1
                if found == 3:
                    break  # the command converts them all: three lines say enough

    def _legacy(self, entry: _Entry, line: int, field: str, text: str) -> bool:
        conversion = to_unicode(text)
        if conversion.encoding is None:
            return False
        before, after = next(((b, a) for b, a in zip(text.split(), conversion.text.split()) if b != a),
                             (text[:40], conversion.text[:40]))
        self.issues.add(
            entry.path, line, field,
            _("this text looks typed in the old {encoding} encoding ({before!r} would read {after!r}): convert "
              "the file with 'site-builder convert {path}'").format(
                encoding=conversion.encoding.value, before=before, after=after, path=self._shown(entry.path)),
            "warning",
        )
        return True

    # story- and profile-specific rules ------------------------------------------------

    def story_rules(self, entry: _Entry, story: Story | None, stories_dir: Path) -> None:
        """Rules across fields; with the validated `story` its dates are not parsed again."""
        if story is not None:
            dates = {"date": story.date, "publish_date": story.publish_date, "expires": story.expires}
        else:
            dates = {name: _try_datetime(entry.data.get(name)) for name in ("date", "publish_date", "expires")}
        date, expires = dates["date"], dates["expires"]
        for name in ("date", "publish_date"):
            start = dates[name]
            if start and expires and expires < start:
                message = _("expires ({expires}) is before {name} ({start}): correct one of the two dates").format(
                    expires=f"{expires:%Y-%m-%d %H:%M}", name=name, start=f"{start:%Y-%m-%d %H:%M}"
                )
                self.report(entry, ("expires",), message)
                break
        folder = entry.path.parent
        in_year_folder = folder.parent == stories_dir and _YEAR_DIR.fullmatch(folder.name)
        if date and in_year_folder and int(folder.name) != date.year:
            self.report(
                entry, ("date",),
                _("the date is in {year} but the file is in the stories/{folder}/ folder: "
                  "move the file to stories/{year}/ or correct the date").format(year=date.year, folder=folder.name),
                "warning",
            )

    def profile_rules(self, entry: _Entry, profiles_dir: Path) -> None:
        parts = entry.path.relative_to(profiles_dir).parts
        folders = [k.value for k in PROFILE_KINDS]
        if len(parts) != 2 or parts[0] not in folders:
            self.issues.add(
                entry.path, 1, "kind",
                _("a profile must be in a folder {folder}/<kind>/ where kind is {kinds}: move the file there").format(
                    folder=self._shown(profiles_dir), kinds=", ".join(folders)
                ),
            )
            return
        try:
            kind = parse_profile_kind(entry.data.get("kind"))
        except ValueError:
            return  # reported by the validation
        if kind.value != parts[0]:
            self.report(
                entry, ("kind",),
                _("kind {kind!r} does not match the folder {folder!r}: correct the kind or move the file").format(
                    kind=kind.value, folder=parts[0]
                ),
            )
        if kind is not Kind.PERSON and entry.data.get("birth_year") is not None:
            self.report(
                entry, ("birth_year",),
                _("birth_year is only used for persons (ca-nhan): remove the line"),
                "warning",
            )

    def privacy_rules(self, entry: _Entry, item: Story | Profile, errors_before: int) -> None:
        """Consent and personal data (`content.privacy`), for an item without errors of its own; a
        withdrawn item is published nowhere."""
        if item.withdrawn is not None or self.issues.error_count > errors_before:
            return
        findings = consent_findings(item, self.profiles, self.require_consent) if self._profiles_known(item) else []
        findings += personal_data_findings(item)
        for f in findings:
            line = entry.doc.body_line + f.line_in_body if f.line_in_body >= 0 else entry.doc.line(f.loc)
            self.issues.add(entry.path, line, format_loc(f.loc), f.message, f.severity)

    def _profiles_known(self, item: Story | Profile) -> bool:
        """Whether every profile `item`'s people link to was read without errors (else their consent is
        unknown, and the link is reported on its own)."""
        return isinstance(item, Profile) or all(p.profile in self.profiles for p in item.people if p.profile)

    def place_rules(self, entry: _Entry, item: Story | Profile | None) -> None:
        """A place that is not a province, district or commune before or after the 2025 reform, or that
        names several now different places, is a warning with suggestions (the build still uses it)."""
        if item is None or item.place is None:
            return
        for problem in resolve_item(item).problems:
            self.report(entry, ("place", problem.field), problem.message, "warning")

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
                if what == "story":
                    message = _("two stories have the slug {slug!r}: also used by {others}; give one another slug")
                else:
                    message = _("two profiles have the slug {slug!r}: also used by {others}; give one another slug")
                self.issues.add(entry.path, entry.slug_line, "slug", message.format(slug=slug, others=others))

    def profile_refs(self, stories: list[_Record], profile_slugs: set[str]) -> None:
        for record in stories:
            for loc, ref, line in record.refs:
                if ref not in profile_slugs:
                    self.issues.add(
                        record.path, line, format_loc(loc),
                        _unknown_profile(ref, profile_slugs, self._shown(self.content_dir / "profiles")),
                    )

    # one file ---------------------------------------------------------------------------

    def story(self, path: Path, stories_dir: Path, data: bytes | None = None) -> _Record:
        """Read (or, given its bytes `data`, parse) and check one story; keep it if it has no errors of its own."""
        errors = self.issues.error_count
        entry = self.read(path) if data is None else self.parse(path, data)
        story = None
        if entry.doc.data is not None:
            self.slug(entry, "story")
            story = self.validate(entry, Story)
            self.story_rules(entry, story, stories_dir)
            if story is not None:
                self.aliases(entry, story)
            self.review_notes(entry)
            self.legacy_text(entry)
            if story is not None:
                self.privacy_rules(entry, story, errors)
            self.place_rules(entry, story)
        record = _Record(path, entry.slug, entry.slug_line, refs=_profile_refs(entry), photo=_photo_ref(entry, "cover"))
        if story is not None and self.issues.error_count == errors:
            record.item = story
        return record

    def profile(self, path: Path, profiles_dir: Path, data: bytes | None = None) -> _Record:
        """Read (or, given its bytes `data`, parse) and check one profile; keep it if it has no errors of its own."""
        errors = self.issues.error_count
        entry = self.read(path) if data is None else self.parse(path, data)
        profile = None
        if entry.doc.data is not None:
            self.slug(entry, "profile")
            profile = self.validate(entry, Profile)
            self.profile_rules(entry, profiles_dir)
            if profile is not None:
                self.aliases(entry, profile)
            self.review_notes(entry)
            self.legacy_text(entry)
            if profile is not None:
                self.privacy_rules(entry, profile, errors)
                if entry.slug and self.issues.error_count == errors:
                    self.profiles.setdefault(entry.slug, profile)
            self.place_rules(entry, profile)
        record = _Record(path, entry.slug, entry.slug_line, photo=_photo_ref(entry, "photo"))
        if profile is not None and self.issues.error_count == errors:
            record.item = profile
        return record

    def _shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def _strings(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Every text value of the front matter with its location."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, loc + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, loc + (i,))


def _photo_ref(entry: _Entry, key: str) -> tuple[str, int, str] | None:
    """(src, line, field) of the cover or photo as written, when it names a file."""
    photo = entry.data.get(key) if isinstance(entry.data, dict) else None
    src = photo.get("src") if isinstance(photo, dict) else None
    if isinstance(src, str) and src.strip():
        return src.strip(), entry.doc.line((key, "src")), f"{key}.src"
    return None


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


def _unknown_profile(ref: str, slugs: set[str], folder: str) -> str:
    candidate = slugify(ref)
    if candidate in slugs:
        close = [candidate]
    else:
        close = difflib.get_close_matches(candidate or ref, list(slugs), n=1, cutoff=0.6)
    if close:
        return _("unknown profile {ref!r}; did you mean {slug!r}?").format(ref=ref, slug=close[0])
    return _("unknown profile {ref!r}: there is no file {folder}/<kind>/{name}.md; "
             "check the profile's slug or create the profile").format(ref=ref, folder=folder, name=candidate or ref)


#: Extensions of Markdown files that editors (or their tools) use besides ".md".
_OTHER_MARKDOWN = (".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".txt")


def _markdown_files(folder: Path, content_dir: Path, depth: int, log: IssueLog, shown) -> list[Path]:
    """The *.md files `depth` folders below `folder` (stories: stories/<year>/x.md, depth 1;
    profiles: profiles/<kind>/x.md, depth 1), hidden files and folders skipped, sorted.

    Everything else that would be ignored or published by mistake is reported: a Markdown
    file at another depth or with another extension (.MD, .markdown), a link to a file or
    folder outside the content folder, and any other file (a photo belongs in the photo folder).
    """
    found: list[Path] = []
    content_real = content_dir.resolve()
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        level = len(here.relative_to(folder).parts)
        for name in sorted(dirnames):
            path = here / name
            if not name.startswith(".") and path.is_symlink() and not path.resolve().is_relative_to(content_real):
                log.add(path, 1, "", _("this folder is a link to {target}, outside the content folder: its files "
                                       "are not read; move them into {folder}").format(
                    target=path.resolve(), folder=shown(folder)))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = here / name
            if name.startswith("."):
                continue
            suffix = path.suffix.lower()
            if path.is_symlink() and not path.resolve().is_relative_to(content_real):
                log.add(path, 1, "", _("this file is a link to {target}, outside the content folder: copy the "
                                       "file itself here instead").format(target=path.resolve()))
            elif suffix == ".md" or suffix in _OTHER_MARKDOWN:
                if path.suffix != ".md":
                    log.add(path, 1, "", _("only files ending in .md are read: rename it to {name}").format(
                        name=path.stem + ".md"))
                elif level != depth:
                    log.add(path, 1, "", _wrong_depth(folder, shown))
                else:
                    found.append(path)
            else:
                log.add(path, 1, "", _("this file is not read: {folder} holds only .md files (photos go in the "
                                       "photo folder); move or delete it").format(folder=shown(folder)), "warning")
    return sorted(found)


def _wrong_depth(folder: Path, shown) -> str:
    if folder.name == "stories":
        return _("a story must be in a year folder, {folder}/<year>/<name>.md (e.g. {folder}/2026/): move the file "
                 "there").format(folder=shown(folder))
    return _("a profile must be in {folder}/<kind>/<name>.md where kind is ca-nhan, tap-the or mo-hinh: move the "
             "file there").format(folder=shown(folder))


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


def validate_content(root: Path, content_dir: str | Path = "content", require_consent: bool = False,
                     site_url: str = "") -> tuple[ContentSet, list[ContentIssue]]:
    """Load everything under `root`/`content_dir`; never raises for content problems.

    `require_consent` (the setting `privacy.require_consent`) makes a missing consent an error;
    `site_url` is the site's address, which full URLs in `aliases:` must be on ("": not set, so
    they are refused).

    `content_dir` is relative to `root` (or absolute). Returns the valid stories
    and profiles (files with errors are left out) and every issue found, errors
    and warnings, sorted by file and line.
    """
    with _gc_paused():
        root = Path(root).resolve()
        return _validate(root, (root / content_dir).resolve(), require_consent, site_url)


def _validate(root: Path, content_dir: Path, require_consent: bool,
              site_url: str) -> tuple[ContentSet, list[ContentIssue]]:
    checker = _Checker(root, content_dir, require_consent, site_url)
    if not content_dir.is_dir():
        checker.issues.add(
            content_dir, 1, "",
            _("the content folder {folder} does not exist: check the project folder").format(
                folder=checker._shown(content_dir)
            ),
        )
    profiles_dir, stories_dir = content_dir / "profiles", content_dir / "stories"

    log, shown = checker.issues, checker._shown
    profiles = [checker.profile(p, profiles_dir) for p in _markdown_files(profiles_dir, content_dir, 1, log, shown)]
    stories = [checker.story(p, stories_dir) for p in _markdown_files(stories_dir, content_dir, 1, log, shown)]
    checker.duplicate_slugs(profiles, "profile")
    checker.duplicate_slugs(stories, "story")
    checker.profile_refs(stories, {r.slug for r in profiles if r.slug})

    bad = checker.issues.error_paths()
    content = ContentSet(
        stories=[r.item for r in stories if r.item is not None and r.path not in bad],
        profiles=[r.item for r in profiles if r.item is not None and r.path not in bad],
        vocabularies={name: r.vocabulary for name, r in checker.vocab.items()},
        photos_of_rejected=[(r.path, *r.photo) for r in (*stories, *profiles)
                            if r.photo and (r.item is None or r.path in bad)],
    )
    return content, sort_issues(checker.issues.issues)


@dataclass(frozen=True)
class Neighbours:
    """What the cross-file rules need to know about the other files when one file is checked alone:
    the slug of every other story and profile (by file)."""

    stories: dict[Path, str] = field(default_factory=dict)
    profiles: dict[Path, str] = field(default_factory=dict)


def check_file(
    root: Path, path: Path, data: bytes, neighbours: Neighbours, content_dir: str | Path = "content",
    require_consent: bool = False, site_url: str = "",
) -> tuple[Story | Profile | None, list[ContentIssue]]:
    """Check one story or profile whose bytes are `data` (about to be written at `path`) with the
    rules `validate_content` applies to it among the others: the file's own checks, then its slug
    against the other files' (`neighbours`) and its people's profiles. Returns the item (None when
    the file has errors) and its issues, sorted."""
    root = Path(root).resolve()
    content_dir = (root / content_dir).resolve()
    checker = _Checker(root, content_dir, require_consent, site_url)
    stories_dir, profiles_dir = content_dir / "stories", content_dir / "profiles"
    path = Path(path)
    if path.is_relative_to(stories_dir):
        record = checker.story(path, stories_dir, data)
        others, what = neighbours.stories, "story"
    elif path.is_relative_to(profiles_dir):
        record = checker.profile(path, profiles_dir, data)
        others, what = neighbours.profiles, "profile"
    else:
        raise ValueError(f"{path} is neither a story nor a profile of {content_dir}")
    if record.slug:
        same = [_Record(other, slug, 1) for other, slug in sorted(others.items()) if slug == record.slug and other != path]
        if same:
            checker.duplicate_slugs([record, *same], what)
            checker.issues.issues = [i for i in checker.issues.issues if i.path == path]
            checker.issues.error_count = sum(i.is_error for i in checker.issues.issues)
    profile_slugs = set(neighbours.profiles.values())
    if what == "profile" and record.slug:
        profile_slugs.add(record.slug)
    checker.profile_refs([record] if what == "story" else [], profile_slugs)
    item = record.item if record.item is not None and not checker.issues.error_paths() else None
    return item, sort_issues(checker.issues.issues)


def load_content(root: Path, content_dir: str | Path = "content", site_url: str = "") -> ContentSet:
    """Load everything under `root`/`content_dir`; raise `ContentErrors` listing every problem.

    Warnings alone do not raise; they are logged.
    """
    content, issues = validate_content(root, content_dir, site_url=site_url)
    if any(i.is_error for i in issues):
        raise ContentErrors(issues)
    for issue in issues:
        log.warning("%s", issue)
    return content

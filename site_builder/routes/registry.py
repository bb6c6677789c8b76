"""Who makes which file of the site: every output is claimed here before anything is written.

Each producer (a story file, a generated list page, the photo pipeline, the search index,
a file MkDocs copies from the theme or from the content folder…) claims the output paths
it will write, site-relative (``bai-viet/x/index.html``), or a whole folder (``pagefind/``)
when its files are only known later. Two producers claiming one path is a conflict: the
build stops before rendering and names both (`RouteConflicts`), so nothing silently
replaces anything. The writer (`site_builder.writer`) then refuses to write a path that no
one claimed.

Models: Pelican's writer refusing a second write to a path, MkDocs' `files_by_dest`
conflict check, Zola's `find_path_collisions`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from site_builder.i18n import _, ngettext


@dataclass(frozen=True)
class Producer:
    """What makes an output: a source file (`path`) or a generated thing (`path` None).

    A file's `label` is its path relative to the project. A generated thing's `label` is an
    English message marked with `N_()` (e.g. ``N_("the generated list of {taxonomy} {term!r}")``)
    and `fields` fill it: it is translated when shown (`str()`), so a producer made when a
    module is imported speaks the language chosen later. `slug` says that the file is a story
    or a profile, whose address comes from its `slug:` (what to change in a conflict); `alias`
    that the output is a redirect from an old address the file lists in `aliases:`, the entry
    (``aliases[0]``) on `line` (what to change instead).
    """

    label: str
    path: Path | None = None
    fields: tuple[tuple[str, str], ...] = ()
    slug: bool = False
    alias: str = ""
    line: int = 0

    @classmethod
    def file(cls, path: Path, root: Path | None = None, slug: bool = False) -> "Producer":
        """A producer that is a file, shown relative to `root` when inside it."""
        shown = path
        if root is not None:
            try:
                shown = path.relative_to(root)
            except ValueError:
                pass
        return cls(shown.as_posix(), path, slug=slug)

    @classmethod
    def alias_in(cls, path: Path, root: Path | None, entry: str, line: int) -> "Producer":
        """The redirect from an old address the file `path` lists (`entry` such as ``aliases[0]``, on `line`)."""
        return cls(cls.file(path, root).label, path, alias=entry, line=line)

    @classmethod
    def generated(cls, message: str, /, **fields: str) -> "Producer":
        """A generated thing: `message` an English message marked with `N_()`, filled with `fields`."""
        return cls(message, None, tuple(sorted(fields.items())))

    def __str__(self) -> str:
        if self.path is not None:
            return self.label
        text = _(self.label)
        return text.format(**dict(self.fields)) if self.fields else text


@dataclass(frozen=True)
class Conflict:
    """Two producers claiming one output."""

    path: str
    first: Producer
    second: Producer

    def __str__(self) -> str:
        """The path, both producers and what to do: a file is renamed or removed (a story or a
        profile gets another `slug:`); two generated things are a matter for the technical staff."""
        first, second = self.first, self.second
        aliases = [p for p in (first, second) if p.alias]
        if len(aliases) == 2:
            return _("{path}: the old address listed in {first} ({first_entry}, line {first_line}) is also listed in "
                     "{second} ({second_entry}, line {second_line}): remove it from the aliases: of one of them").format(
                path=self.path, first=first, first_entry=first.alias, first_line=first.line, second=second,
                second_entry=second.alias, second_line=second.line)
        if aliases:
            (alias,) = aliases
            other = second if alias is first else first
            return _("{path}: the old address listed in {file} ({entry}, line {line}) is the address of {other}: "
                     "remove or correct that line of aliases: in {file}").format(
                path=self.path, file=alias, entry=alias.alias, line=alias.line, other=other)
        files = [p for p in (first, second) if p.path is not None]
        if len(files) == 2:
            text = (_("{path}: both {first} and {second} make this file of the site: change the slug: of one of them")
                    if any(p.slug for p in files) else
                    _("{path}: both {first} and {second} make this file of the site: rename or remove one of them"))
            return text.format(path=self.path, first=first, second=second)
        if len(files) == 1:
            (source,) = files
            other = second if source is first else first
            text = (_("{path}: {file} takes the address of {other}: change the slug: in {file}") if source.slug else
                    _("{path}: {file} takes the address of {other}: rename or remove {file}"))
            return text.format(path=self.path, file=source, other=other)
        return _("{path}: both {first} and {second} make this file of the site: if images.url_prefix was changed in "
                 "mkdocs.yml, choose another folder; otherwise tell the technical staff").format(
            path=self.path, first=first, second=second)


class RouteConflicts(Exception):
    """Raised by `RouteRegistry.check` with every conflict found."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__(conflicts)

    def __str__(self) -> str:
        n = len(self.conflicts)
        lines = [ngettext("{count} file of the site would be made twice, so nothing was published:",
                          "{count} files of the site would be made twice, so nothing was published:", n).format(count=n)]
        lines += [f"  {c}" for c in self.conflicts]
        return "\n".join(lines)


def _key(path: str) -> str:
    return unicodedata.normalize("NFC", path.lstrip("/"))


class RouteRegistry:
    """Output paths (files and folders) of one build and their producers."""

    def __init__(self) -> None:
        self._files: dict[str, Producer] = {}
        self._folders: dict[str, Producer] = {}  # "pagefind/" -> the search index
        self._parents: dict[str, Producer] = {}  # "bai-viet/x" -> first producer of a file under it
        self._conflicts: list[Conflict] = []

    def claim(self, path: str, producer: Producer) -> None:
        """`producer` will write the file `path` (site-relative); a second claim is a conflict.

        The same producer claiming a path again (a photo used by two stories) is not one.
        """
        key = _key(path)
        first = self._files.get(key) or self._folder_of(key) or self._parents.get(key)
        if first is None:
            first = self._file_above(key)
        if first is None:
            self._files[key] = producer
            self._add_parents(key, producer)
        elif first != producer:
            self._conflicts.append(Conflict(key, first, producer))

    def _file_above(self, key: str) -> Producer | None:
        """The producer of a file claimed at a folder of `key` ("a/b" for "a/b/index.html")."""
        end = key.rfind("/")
        while end > 0:
            owner = self._files.get(key[:end])
            if owner is not None:
                return owner
            end = key.rfind("/", 0, end)
        return None

    def _add_parents(self, key: str, producer: Producer) -> None:
        end = key.rfind("/")
        while end > 0:
            if self._parents.setdefault(key[:end], producer) is not producer:
                return  # this folder and those above it are known already
            end = key.rfind("/", 0, end)

    def claim_folder(self, folder: str, producer: Producer) -> None:
        """`producer` owns every file under `folder` ("pagefind/"), known only when it writes them."""
        key = _key(folder if folder.endswith("/") else folder + "/")
        first = self._folders.get(key) or self._folder_of(key)
        if first is not None and first != producer:
            self._conflicts.append(Conflict(key, first, producer))
            return
        for path, owner in self._files.items():
            if path.startswith(key) and owner != producer:
                self._conflicts.append(Conflict(path, owner, producer))
        self._folders[key] = producer

    def _folder_of(self, key: str) -> Producer | None:
        """The producer of a claimed folder containing `key`, if any."""
        if not self._folders:
            return None
        end = key.rfind("/", 0, len(key) - 1 if key.endswith("/") else len(key))
        while end >= 0:
            owner = self._folders.get(key[: end + 1])
            if owner is not None:
                return owner
            end = key.rfind("/", 0, end)
        return None

    def owner(self, path: str) -> Producer | None:
        """Who claimed `path` (directly or through its folder), None if no one."""
        key = _key(path)
        return self._files.get(key) or self._folder_of(key)

    def __contains__(self, path: str) -> bool:
        return self.owner(path) is not None

    def files(self) -> list[str]:
        """Every file claimed by path (not those under a claimed folder)."""
        return list(self._files)

    def claimed_file(self, path: str) -> bool:
        """Whether `path` itself was claimed (not only through its folder)."""
        return _key(path) in self._files

    def __len__(self) -> int:
        return len(self._files)

    @property
    def conflicts(self) -> list[Conflict]:
        return list(self._conflicts)

    def check(self) -> None:
        """Raise `RouteConflicts` listing every conflict found so far."""
        if self._conflicts:
            raise RouteConflicts(list(self._conflicts))

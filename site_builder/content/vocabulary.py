"""Controlled vocabularies: load `content/vocabularies/*.yml` and resolve editors' terms.

A term written by an editor matches a vocabulary entry by key, name,
short name or alias, compared by slug: "Van hoa - Xa hoi", "văn hóa - xã hội"
and "van-hoa-xa-hoi" are the same term.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from ..i18n import N_, _
from ..vietnamese import fold, nfc, slugify
from .errors import IssueLog
from .frontmatter import decode, format_loc, parse_yaml
from .models import Term, Vocabulary
from .schema import VocabularyEntry, validate

VOCABULARY_NAMES = ("fields", "organisations", "campaigns", "recognition_levels")
# "no field 'x' ..." per vocabulary; the second form when the vocabulary has no entries at all.
_UNKNOWN = {
    "fields": N_("no field {name!r} in the vocabulary"),
    "organisations": N_("no organisation {name!r} in the vocabulary"),
    "campaigns": N_("no campaign {name!r} in the vocabulary"),
    "recognition_levels": N_("no recognition level {name!r} in the vocabulary"),
}
_NONE_DEFINED = {
    "fields": N_("no field {name!r}: {file} has no fields yet; add it there first"),
    "organisations": N_("no organisation {name!r}: {file} has no organisations yet; add it there first"),
    "campaigns": N_("no campaign {name!r}: {file} has no campaigns yet; add it there first"),
    "recognition_levels": N_("no recognition level {name!r}: {file} has no recognition levels yet; add it there first"),
}
LIST_CHOICES_UP_TO = 12


class Resolver:
    """Looks up editors' spellings in one vocabulary (results cached per spelling)."""

    def __init__(self, vocabulary: Vocabulary, index: dict[str, Term], file: str) -> None:
        self.vocabulary = vocabulary
        self.index = index
        self.file = file
        self._cache: dict[str, Term | None] = {}

    def resolve(self, text: str) -> Term | None:
        """The term `text` names, or None."""
        if text not in self._cache:
            self._cache[text] = self.index.get(slugify(text))
        return self._cache[text]

    def unknown_message(self, text: str) -> str:
        """"unknown field 'x'; did you mean 'y'?" (or the valid choices when few)."""
        name = self.vocabulary.name
        terms = self.vocabulary.terms
        if not terms:
            return _(_NONE_DEFINED[name]).format(name=text, file=self.file)
        message = _(_UNKNOWN[name]).format(name=text)
        spellings: dict[str, str] = {}
        for term in terms:
            for spelling in (term.name, term.short_name, term.key, *term.aliases):
                if spelling:
                    spellings.setdefault(fold(spelling), term.name)
        close = difflib.get_close_matches(fold(text), list(spellings), n=3, cutoff=0.6)
        names = list(dict.fromkeys(spellings[c] for c in close))
        if names:
            return message + _("; did you mean {choices}?").format(choices=_(" or ").join(repr(n) for n in names))
        if len(terms) <= LIST_CHOICES_UP_TO:
            return message + _("; write one of: {choices}").format(choices=", ".join(t.name for t in terms))
        return message + _("; write a name listed in {file}, or add it there").format(file=self.file)


def load_vocabulary(
    path: Path, name: str, log: IssueLog, shown: str | None = None, data: bytes | None = None
) -> Resolver:
    """Load one vocabulary file (a YAML list); a missing file is an empty vocabulary.

    `shown` is how messages name the file (default: content/vocabularies/<file name>); `data`,
    the file's bytes when they are not (yet) on disk (the editor checks them before writing).
    """
    shown = shown or f"content/vocabularies/{path.name}"
    if data is None and not path.is_file():
        return Resolver(Vocabulary(name, ()), {}, shown)
    text, problem = decode(path.read_bytes() if data is None else data)
    if text is None:
        log.add(path, problem.line, "", problem.message)
        return Resolver(Vocabulary(name, ()), {}, shown)
    parsed = parse_yaml(nfc(text), first_line=1)
    for p in parsed.problems:
        log.add(path, p.line, format_loc(p.loc), p.message, p.severity)
    data = parsed.data if parsed.data is not None else []
    if not isinstance(data, list):
        log.add(path, 1, "", _("a vocabulary file is a list of entries: start each one with '- name: ...'"))
        data = []
    terms: list[Term] = []
    index: dict[str, Term] = {}
    for i, raw in enumerate(data):
        entry, errors = validate(VocabularyEntry, raw, None)
        for loc, message in errors:
            full = (i, *loc)
            log.add(path, parsed.line(full), format_loc(full), message)
        if entry is None:
            continue
        key = entry.key or slugify(entry.name)
        if not key:
            loc = (i, "name")
            log.add(
                path, parsed.line(loc), format_loc(loc),
                _("the name has no letters or digits to make a key from: add a line 'key: ...'"),
            )
            continue
        term = Term(key, entry.name, entry.description, entry.short_name, tuple(entry.aliases))
        if _add_term(index, term, path, parsed.line((i,)), format_loc((i,)), log):
            terms.append(term)
    return Resolver(Vocabulary(name, tuple(terms)), index, shown)


def _add_term(index: dict[str, Term], term: Term, path: Path, line: int, field: str, log: IssueLog) -> bool:
    """Index every spelling of `term`; report keys or spellings already taken."""
    if term.key in index and index[term.key].key == term.key:
        log.add(path, line, field, _("the key {key!r} is used twice: give each entry its own key").format(key=term.key))
        return False
    for spelling in (term.key, term.name, term.short_name, *term.aliases):
        norm = slugify(spelling) if spelling else ""
        if not norm:
            continue
        other = index.setdefault(norm, term)
        if other is not term:
            message = _("{spelling!r} also names {other!r}: each name, short name and alias must name one entry")
            log.add(path, line, field, message.format(spelling=spelling, other=other.name))
    return True


def load_vocabularies(folder: Path, log: IssueLog) -> dict[str, Resolver]:
    """All four vocabularies in `folder` (content/vocabularies/), by name."""
    resolvers = {}
    for name in VOCABULARY_NAMES:
        path = folder / f"{name}.yml"
        if not path.exists() and (folder / f"{name}.yaml").exists():
            path = folder / f"{name}.yaml"
        resolvers[name] = load_vocabulary(path, name, log, _shown(path, log.root))
    return resolvers


def _shown(path: Path, root: Path | None) -> str:
    if root is not None and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return f"content/vocabularies/{path.name}"

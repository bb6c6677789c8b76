"""Controlled vocabularies: load `content/vocabularies/*.yml` and resolve editors' terms.

A term written by an editor matches a vocabulary entry by key, name,
short name or alias, compared by slug: "Van hoa - Xa hoi", "văn hóa - xã hội"
and "van-hoa-xa-hoi" are the same term.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from pydantic import ValidationError

from ..vietnamese import fold, nfc, slugify
from .errors import IssueLog
from .frontmatter import decode, format_loc, parse_yaml
from .models import Term, Vocabulary
from .schema import VocabularyEntryFM, translate_errors

VOCABULARY_NAMES = ("fields", "organisations", "campaigns", "recognition_levels")
TERM_LABELS = {
    "fields": "field",
    "organisations": "organisation",
    "campaigns": "campaign",
    "recognition_levels": "recognition level",
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
        label = TERM_LABELS.get(self.vocabulary.name, self.vocabulary.name)
        message = f"unknown {label} {text!r}"
        terms = self.vocabulary.terms
        if not terms:
            return f"{message}: no {label}s are defined in {self.file}"
        spellings: dict[str, str] = {}
        for term in terms:
            for spelling in (term.name, term.short_name, term.key, *term.aliases):
                if spelling:
                    spellings.setdefault(fold(spelling), term.name)
        close = difflib.get_close_matches(fold(text), list(spellings), n=3, cutoff=0.6)
        names = list(dict.fromkeys(spellings[c] for c in close))
        if names:
            return message + "; did you mean " + " or ".join(repr(n) for n in names) + "?"
        if len(terms) <= LIST_CHOICES_UP_TO:
            return message + "; valid choices: " + ", ".join(t.name for t in terms)
        return f"{message}; see {self.file}"


def load_vocabulary(path: Path, name: str, log: IssueLog) -> Resolver:
    """Load one vocabulary file (a YAML list); a missing file is an empty vocabulary."""
    shown = f"content/vocabularies/{path.name}"
    if not path.is_file():
        return Resolver(Vocabulary(name, ()), {}, shown)
    text, problem = decode(path.read_bytes())
    if text is None:
        log.add(path, problem.line, "", problem.message)
        return Resolver(Vocabulary(name, ()), {}, shown)
    parsed = parse_yaml(nfc(text), first_line=1)
    for p in parsed.problems:
        log.add(path, p.line, format_loc(p.loc), p.message, p.severity)
    data = parsed.data if parsed.data is not None else []
    if not isinstance(data, list):
        log.add(path, 1, "", "a vocabulary file must be a YAML list of entries ('- name: ...')")
        data = []
    terms: list[Term] = []
    index: dict[str, Term] = {}
    for i, raw in enumerate(data):
        try:
            entry = VocabularyEntryFM.model_validate(raw)
        except ValidationError as exc:
            for loc, message in translate_errors(VocabularyEntryFM, exc):
                full = (i, *loc)
                log.add(path, parsed.line(full), format_loc(full), message)
            continue
        key = entry.key or slugify(entry.name)
        if not key:
            loc = (i, "name")
            log.add(path, parsed.line(loc), format_loc(loc), "name has no letters or digits; set 'key:'")
            continue
        term = Term(key, entry.name, entry.description, entry.short_name, tuple(entry.aliases))
        if _add_term(index, term, path, parsed.line((i,)), format_loc((i,)), log):
            terms.append(term)
    return Resolver(Vocabulary(name, tuple(terms)), index, shown)


def _add_term(index: dict[str, Term], term: Term, path: Path, line: int, field: str, log: IssueLog) -> bool:
    """Index every spelling of `term`; report keys or spellings already taken."""
    if term.key in index and index[term.key].key == term.key:
        log.add(path, line, field, f"duplicate key {term.key!r}")
        return False
    for spelling in (term.key, term.name, term.short_name, *term.aliases):
        norm = slugify(spelling) if spelling else ""
        if not norm:
            continue
        other = index.setdefault(norm, term)
        if other is not term:
            message = f"{spelling!r} also names {other.name!r}; each spelling must name one entry"
            log.add(path, line, field, message)
    return True


def load_vocabularies(root: Path, log: IssueLog) -> dict[str, Resolver]:
    """All four vocabularies of the project at `root`, by name."""
    folder = root / "content" / "vocabularies"
    resolvers = {}
    for name in VOCABULARY_NAMES:
        path = folder / f"{name}.yml"
        if not path.exists() and (folder / f"{name}.yaml").exists():
            path = folder / f"{name}.yaml"
        resolvers[name] = load_vocabulary(path, name, log)
    return resolvers

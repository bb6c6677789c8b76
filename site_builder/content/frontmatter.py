"""Split YAML front matter from a Markdown body and parse YAML keeping line numbers.

Only YAML's safe tags are accepted. Every mapping key and list item gets its
1-based line in `Parsed.lines`, keyed by a location tuple such as
``("cover", "alt")`` or ``("people", 0, "name")``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Union

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..i18n import N_, _

Loc = tuple[Union[str, int], ...]

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that caches implicit tag resolution of scalars (keys repeat a lot)."""

    _tags: dict[tuple[str, tuple[bool, bool]], str] = {}

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is not ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._tags) > 100_000:
                self._tags.clear()
            self._tags[key] = tag
        return tag

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_OPEN = re.compile(r"---[ \t]*\r?(?:\n|$)")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
MAX_NODES = 20_000  # guards against alias bombs ("billion laughs")


def format_loc(loc: Loc) -> str:
    """``("people", 0, "name")`` -> ``"people[0].name"``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = str(part) if str(part).isprintable() else repr(part)  # a key with control characters: escaped
            out += f".{name}" if out else name
    return out


@dataclass
class Problem:
    """A parse problem, before it is attached to a file."""

    line: int
    loc: Loc
    message: str
    severity: str = "error"


@dataclass
class Parsed:
    """A YAML value with the line of every key and list item."""

    data: Any = None
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    start_line: int = 1  # line of the first YAML line

    def line(self, loc: Loc) -> int:
        """Line of `loc`, or of its nearest located parent."""
        while loc:
            found = self.lines.get(loc)
            if found is not None:
                return found
            loc = loc[:-1]
        return self.start_line

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


@dataclass
class Document(Parsed):
    """A Markdown file: parsed front matter plus body."""

    body: str = ""
    body_line: int = 1


class _TooLarge(Exception):
    pass


class _Builder:
    """Turns composed YAML nodes into plain Python values, recording lines."""

    def __init__(self, offset: int, parsed: Parsed) -> None:
        self.offset = offset
        self.parsed = parsed
        self.constructor = SafeConstructor()
        self.count = 0
        self.stack: set[int] = set()

    def _line(self, node: Node) -> int:
        return node.start_mark.line + self.offset

    def _problem(self, node: Node, loc: Loc, message: str, severity: str = "error") -> None:
        self.parsed.problems.append(Problem(self._line(node), loc, message, severity))

    def build(self, node: Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge
        if isinstance(node, ScalarNode):
            return self._scalar(node, loc)
        if id(node) in self.stack:
            self._problem(node, loc, _("a YAML alias (*name) refers to itself: write the value out"))
            return None
        self.stack.add(id(node))
        try:
            if isinstance(node, MappingNode) and node.tag == _MAP_TAG:
                return self._mapping(node, loc)
            if isinstance(node, SequenceNode) and node.tag == _SEQ_TAG:
                return [self._item(item, loc + (i,)) for i, item in enumerate(node.value)]
            self._problem(node, loc, _unsupported_tag(node.tag))
            return None
        finally:
            self.stack.discard(id(node))

    def _item(self, node: Node, loc: Loc) -> Any:
        self.parsed.lines[loc] = self._line(node)
        return self.build(node, loc)

    def _mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        try:
            self.constructor.flatten_mapping(node)  # resolves "<<" merge keys
        except yaml.YAMLError as exc:
            self._problem(node, loc, _yaml_message(exc))
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self._problem(key_node, loc, _("a key must be plain text, such as 'title:'"))
                continue
            key = key_node.value
            sub = loc + (key,)
            if key in result:
                first = self.parsed.lines.get(sub)
                self._problem(
                    key_node, sub,
                    _("the key {key!r} is written twice (first on line {first}): keep one").format(key=key, first=first),
                )
            self.parsed.lines[sub] = self._line(key_node)
            result[key] = self.build(value_node, sub)
        return result

    def _scalar(self, node: ScalarNode, loc: Loc) -> Any:
        make = SafeConstructor.yaml_constructors.get(node.tag)
        if make is None or node.tag in (_MAP_TAG, _SEQ_TAG):
            self._problem(node, loc, _unsupported_tag(node.tag))
            return None
        try:
            return make(self.constructor, node)
        except (ValueError, OverflowError, yaml.YAMLError) as exc:
            if node.tag.endswith(":timestamp"):
                message = _("invalid date {value!r}: {reason}; correct the date").format(
                    value=node.value, reason=date_error(exc)
                )
            else:
                message = _("invalid value {value!r}: {reason}").format(value=node.value, reason=exc)
            self._problem(node, loc, message)
            return None


_DATE_REASONS = {
    "day is out of range for month": N_("that month has no such day"),
    "month must be in 1..12": N_("the month must be between 1 and 12"),
    "hour must be in 0..23": N_("the hour must be between 0 and 23"),
    "minute must be in 0..59": N_("the minutes must be between 0 and 59"),
    "second must be in 0..59": N_("the seconds must be between 0 and 59"),
}


def date_error(exc: Exception) -> str:
    """The reason the standard library gives for an impossible date, translated when known."""
    reason = str(exc)
    return _(_DATE_REASONS[reason]) if reason in _DATE_REASONS else reason


def _unsupported_tag(tag: str) -> str:
    return _("unsupported YAML tag {tag!r}: remove the '!' part").format(tag=tag)


def _yaml_message(exc: yaml.YAMLError) -> str:
    """The YAML parser's explanation (English: it comes from PyYAML), after a sentence staff can act on;
    always one line."""
    if isinstance(exc, yaml.reader.ReaderError):
        return _("the file holds a character that is not allowed (code {code}): delete it").format(
            code=f"U+{ord(exc.character):04X}" if isinstance(exc.character, str) else f"0x{exc.character:02X}"
        )
    reason = str(exc)
    if isinstance(exc, yaml.MarkedYAMLError):
        reason = ", ".join(p for p in (exc.context, exc.problem) if p) or reason
    return _("the YAML is malformed ({reason}): check the quotes, colons and indentation").format(
        reason=" ".join(reason.split())
    )


def parse_yaml(text: str, first_line: int = 1) -> Parsed:
    """Parse one YAML document whose first line is line `first_line` of its file."""
    parsed = Parsed(start_line=first_line)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + first_line if mark is not None else first_line
        if isinstance(exc, yaml.reader.ReaderError):
            line = text.count("\n", 0, exc.position) + first_line
        parsed.problems.append(Problem(line, (), _yaml_message(exc)))
        return parsed
    if node is None:
        return parsed
    try:
        parsed.data = _Builder(first_line, parsed).build(node, ())
    except _TooLarge:
        parsed.data = None
        parsed.problems.append(
            Problem(
                first_line, (),
                _("the YAML is too large (more than {count} values): remove the aliases (*name)").format(count=MAX_NODES),
            )
        )
    return parsed


def parse_document(text: str) -> Document:
    """Split ``---`` front matter from `text` and parse it.

    Problems (missing/unterminated front matter, bad YAML) are recorded in
    `Document.problems`; the front matter must be a mapping.
    """
    text = text.removeprefix("\ufeff")
    doc = Document(start_line=1)  # missing top-level keys are reported on the "---" line
    opening = _OPEN.match(text)
    if opening is None:
        doc.problems.append(Problem(1, (), _("missing front matter: the file must start with a '---' line")))
        doc.body = text
        return doc
    closing = _CLOSE.search(text, opening.end())
    if closing is None:
        doc.problems.append(Problem(1, (), _("the front matter is not closed: add a '---' line after it")))
        return doc
    yaml_text = text[opening.end() : closing.start()]
    parsed = parse_yaml(yaml_text, first_line=2)
    doc.data, doc.lines, doc.problems = parsed.data, parsed.lines, parsed.problems
    end = closing.end()
    doc.body_line = text.count("\n", 0, end) + 2
    doc.body = text[end + 1 :] if text.startswith("\n", end) else text[end:].lstrip("\r\n")
    if doc.data is None and parsed.ok:
        doc.data = {}
    if doc.data is not None and not isinstance(doc.data, dict):
        doc.problems.append(Problem(2, (), _("the front matter must be 'key: value' lines, such as 'title: ...'")))
        doc.data = None
    return doc


def decode(data: bytes) -> tuple[str | None, Problem | None]:
    """UTF-8 bytes -> text (BOM removed), or a problem on the line of the first bad byte."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start]
        return None, Problem(
            line, (), _("the file is not valid UTF-8 (byte 0x{byte:02x}): save it as UTF-8").format(byte=bad)
        )

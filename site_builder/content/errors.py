"""Content problems: one `ContentIssue` per problem, `ContentErrors` to raise them all."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal

from ..i18n import _, ngettext

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class ContentIssue:
    """A problem in one content file, pointing at the line of the offending field.

    `field` is a dotted path such as ``cover.alt`` or ``people[0].profile``
    (list indexes are 0-based); ``""`` when the problem is not about a field.
    `root` (optional) is the project root, used to show `path` relative to it.
    """

    path: Path
    line: int
    field: str
    message: str
    severity: Severity = "error"
    root: Path | None = field(default=None, compare=False, repr=False)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def display_path(self) -> str:
        """`path` relative to the project root (or the cwd) when possible, in POSIX form."""
        for base in (self.root, Path.cwd()):
            if base is None:
                continue
            try:
                return self.path.relative_to(base).as_posix()
            except ValueError:
                continue
        return self.path.as_posix()

    def __str__(self) -> str:
        prefix = f"{self.display_path}:{self.line}: "
        if self.field:
            prefix += f"{self.field}: "
        if self.severity == "warning":
            prefix += _("warning: ")
        return (prefix + self.message).translate(_ONE_LINE)


#: Characters that would start a new line (str.splitlines), escaped so that an issue is always one line.
_ONE_LINE = {ord(c): repr(c)[1:-1] for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}


def sort_issues(issues: Iterable[ContentIssue]) -> list[ContentIssue]:
    """Issues ordered by file, then line, then field."""
    return sorted(issues, key=lambda i: (str(i.path), i.line, i.field, i.message))


class ContentErrors(Exception):
    """Raised when content has errors; carries every issue found (warnings too)."""

    def __init__(self, issues: Iterable[ContentIssue]) -> None:
        self.issues: list[ContentIssue] = sort_issues(issues)
        super().__init__(self.issues)  # args stay picklable

    @property
    def errors(self) -> list[ContentIssue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[ContentIssue]:
        return [i for i in self.issues if not i.is_error]

    def _summary(self) -> str:
        count = len(self.errors)
        head = ngettext(
            "{count} content error: correct it and build again",
            "{count} content errors: correct them and build again",
            count,
        ).format(count=count)
        return "\n".join([head, *(str(i) for i in self.issues)])

    def __str__(self) -> str:
        return self._summary()


class IssueLog:
    """Collects issues for one run; knows the project root for display."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self.issues: list[ContentIssue] = []
        self.error_count = 0

    def add(
        self, path: Path, line: int, field: str, message: str, severity: Severity = "error"
    ) -> ContentIssue:
        issue = ContentIssue(path, line, field, message, severity, root=self.root)
        self.issues.append(issue)
        self.error_count += issue.is_error
        return issue

    def error_paths(self) -> set[Path]:
        return {i.path for i in self.issues if i.is_error}

"""Rules about the people in our stories: recorded consent, and personal data in published text.

Since 2026-01-01 the Law on Personal Data Protection (91/2025/QH15) and Decree 356/2025 apply, and
the Civil Code (art. 32) requires a person's consent to use their image; for a child from 7 years
old, the child's and a guardian's. These checks run on each validated story or profile (the
loader calls them) and return `(loc, message, severity)` findings; the loader puts file and line
on them.

- `consent_findings`: a story or profile that shows a photo and names people without a recorded
  `consent:` (a warning; an error with the setting `privacy.require_consent`); a minor without a
  guardian's consent (always an error).
- `personal_data_findings`: phone numbers, citizen ID numbers, home addresses with a house
  number, and dates of birth of minors in the body, the summary and the captions, unless the
  front matter acknowledges them in `allow_personal_data:` (text and reason).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from site_builder.content.frontmatter import Loc
from site_builder.content.kinds import Kind
from site_builder.content.models import Consent, Profile, Story
from site_builder.i18n import _

ADULT_AGE = 18  # Civil Code art. 21: under 18 is a minor
OWN_CONSENT_AGE = 7  # Civil Code art. 32: from 7, the child's own consent too

#: A Markdown image in a body (`![alt](src "caption")`).
_BODY_IMAGE = re.compile(r"!\[[^\]\n]*\]\(")


@dataclass(frozen=True)
class Finding:
    loc: Loc
    message: str
    severity: str  # "error" or "warning"
    line_in_body: int = -1  # 0-based line of the body (for findings in the body), else -1


# --- consent ----------------------------------------------------------------------------------


def shows_photo(item: Story | Profile) -> bool:
    photo = item.cover if isinstance(item, Story) else item.photo
    return photo is not None or _BODY_IMAGE.search(item.body) is not None


def _age(birth_year: int | None, on: dt.date) -> int | None:
    return on.year - birth_year if birth_year else None


def _consent_problem(name: str, consent: Consent | None, minor: bool, age: int | None, required: bool) \
        -> tuple[str, str] | None:
    """(message, severity) when the consent recorded for `name` is not enough, else None."""
    if minor:
        if consent is None or not consent.by_guardian:
            return (_("{name} is a minor and appears with a photo: a guardian's consent is required; add "
                      "consent: with by: giam-ho (or ca-hai), guardian: <the guardian's name>, date: and how:, "
                      "or remove the photo").format(name=name), "error")
        if not consent.guardian:
            return (_("{name}: the consent was given by a guardian: write the guardian's name in consent.guardian")
                    .format(name=name), "error")
        if age is not None and age >= OWN_CONSENT_AGE and not consent.by_person:
            return (_("{name} is {age} years old: from 7 years old the child's own consent is needed too; write "
                      "by: ca-hai once both have agreed").format(name=name, age=age), "error")
        return None
    if consent is None:
        return (_("{name} is named and a photo is shown, but no consent is recorded: add consent: with by:, date: "
                  "and how: (written, verbal or at a public event), or remove the photo").format(name=name),
                "error" if required else "warning")
    if consent.by_guardian and not consent.guardian:
        return (_("{name}: the consent was given by a guardian: write the guardian's name in consent.guardian")
                .format(name=name), "error" if required else "warning")
    return None


def consent_findings(item: Story | Profile, profiles: Mapping[str, Profile], required: bool) -> list[Finding]:
    """Consent problems of `item` (`profiles` by slug, for people whose consent is on their profile)."""
    if not shows_photo(item):
        return []
    findings = []
    if isinstance(item, Profile):
        if item.kind is Kind.PERSON:
            on = item.withdrawn.date if item.withdrawn else dt.date.today()
            problem = _consent_problem(item.name, item.consent, item.minor, _age(item.birth_year, on), required)
            if problem:
                findings.append(Finding(("consent",) if item.consent else ("name",), *problem))
        return findings
    on = item.date.date()
    for i, person in enumerate(item.people):
        profile = profiles.get(person.profile) if person.profile else None
        if profile is not None and profile.kind is not Kind.PERSON:
            continue  # a collective or a model named among the people: not a natural person
        consent = person.consent or (profile.consent if profile else None)
        birth_year = person.birth_year or (profile.birth_year if profile else None)
        age = _age(birth_year, on)
        minor = person.minor or bool(profile and profile.minor) or (age is not None and age < ADULT_AGE)
        problem = _consent_problem(person.name, consent, minor, age, required)
        if problem:
            findings.append(Finding(("people", i, "consent" if person.consent else "name"), *problem))
    return findings


# --- personal data in text ----------------------------------------------------------------------

_SEP = r"[ .\-]?"
#: Vietnamese phone numbers: mobile (0912 345 678, 0912.345.678, +84 912 345 678) and landline
#: (0211 3862 123, (024) 3823 4567): a 0 or +84, then 9 or 10 digits with spaces, dots or hyphens.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+84|0084|0)" + _SEP + r"\d(?:" + _SEP + r"\d){7,9}"
    r"|\(0\d{2,3}\)" + _SEP + r"\d(?:" + _SEP + r"\d){6,7})(?![\w])"
)
#: 12-digit citizen ID (CCCD, starts with a province code 001-096) or a 9/12-digit number named as an ID.
_CITIZEN_ID = re.compile(r"(?<![\w.,])0[0-9]{2}[0-9]{9}(?![\w])")
_ID_WORDS = re.compile(r"(?:CCCD|CMND|căn cước|chứng minh(?: nhân dân| thư)?|định danh)\D{0,20}?(\d{9}|\d{12})(?!\d)",
                       re.IGNORECASE)
#: A home address with a house number: "số nhà 12", "nhà số 7", "số 45 đường ...", "12/3 phố ...",
#: "ngõ 15 ... số 3"
_STREET = r"(?:đường|phố|ngõ|ngách|hẻm|kiệt|kiệt|tổ|xóm|khu phố|ấp)"
_ADDRESS = re.compile(
    r"(?:\b(?:số nhà|nhà số)\s*\d+[A-Za-z]?(?:/\d+)*"
    r"|\bsố\s*\d+[A-Za-z]?(?:/\d+)*\s*,?\s*" + _STREET + r"\b"
    r"|(?<![\d/])\d+[A-Za-z]?/\d+(?:/\d+)*\s*,?\s*" + _STREET + r"\b)",
    re.IGNORECASE,
)
#: A full date of birth: "sinh ngày 12/3/2015", "sinh ngày 12-03-2015", "ngày sinh: 12.03.2015"
_BIRTH_DATE = re.compile(r"(?:sinh ngày|ngày sinh)\s*:?\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})",
                         re.IGNORECASE)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _key(text: str) -> str:
    """How a finding is matched against `allow_personal_data` entries: the digits of a number, else the
    text without case and spacing."""
    digits = _digits(text)
    if digits and len(digits) >= len(re.sub(r"[\s.\-/()+]", "", text)) - 1:
        return "#" + (digits[2:] if digits.startswith("84") and len(digits) > 10 else digits.lstrip("0"))
    return " ".join(text.casefold().split())


def _found(text: str, on: dt.date) -> Iterator[tuple[str, str]]:
    """(matched text, message) of every piece of personal data in `text`."""
    ids: set[str] = set()
    for m in _ID_WORDS.finditer(text):
        ids.add(m.group(1))
        yield m.group(1), _("a citizen ID number ({text}) is published: remove it")
    for m in _CITIZEN_ID.finditer(text):
        if m.group(0) not in ids:
            yield m.group(0), _("a number that looks like a citizen ID (CCCD) ({text}) is published: remove it, or "
                                "acknowledge it in allow_personal_data: with a reason")
    for m in _PHONE.finditer(text):
        if _digits(m.group(0)) not in ids:
            yield m.group(0), _("a phone number ({text}) is published: remove it unless the person agreed, and then "
                                "acknowledge it in allow_personal_data: with a reason")
    for m in _ADDRESS.finditer(text):
        yield m.group(0), _("an exact address with a house number ({text}) is published: give only the village or "
                            "commune, or acknowledge it in allow_personal_data: with a reason (e.g. an office)")
    for m in _BIRTH_DATE.finditer(text):
        day, month, year = (int(g) for g in m.groups())
        try:
            born = dt.date(year, month, day)
        except ValueError:
            continue
        if (on - born).days < ADULT_AGE * 365.25:
            yield m.group(0), _("the date of birth of a minor ({text}) is published: give the age or the year "
                                "instead")


def _texts(item: Story | Profile) -> Iterator[tuple[Loc, str]]:
    """The published texts to scan, with where they are: summary, captions, then the body."""
    yield ("summary",), item.summary
    photo = item.cover if isinstance(item, Story) else item.photo
    if photo is not None and photo.caption:
        yield (("cover" if isinstance(item, Story) else "photo"), "caption"), photo.caption


def personal_data_findings(item: Story | Profile) -> list[Finding]:
    """Personal data found in `item`'s published text, less what `allow_personal_data` acknowledges; plus
    an acknowledgement that matches nothing (a warning: remove it)."""
    on = item.date.date() if isinstance(item, Story) else dt.date.today()
    allowed = {_key(a.text): i for i, a in enumerate(item.allow_personal_data)}
    used: set[int] = set()
    findings = []

    def report(loc: Loc, text: str, body_line: int = -1) -> None:
        for matched, message in _found(text, on):
            index = allowed.get(_key(matched))
            if index is not None:
                used.add(index)
                continue
            findings.append(Finding(loc, message.format(text=matched.strip()), "warning", body_line))

    for loc, text in _texts(item):
        report(loc, text)
    for n, line in enumerate(item.body.splitlines()):
        if any(ch.isdigit() for ch in line):  # every pattern has a digit: most lines are skipped at once
            report(("body",), line, n)
    for i, entry in enumerate(item.allow_personal_data):
        if i not in used:
            findings.append(Finding(("allow_personal_data", i, "text"),
                                    _("{text!r} is not found in the text any more: remove this entry").format(
                                        text=entry.text), "warning"))
    return findings

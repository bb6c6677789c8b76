"""Our rules for Vietnamese news articles: from what a reader found (`Article`) to a `Draft` story.

- The title is the page's headline (else the first line); the sapo the page's marked sapo, else
  the first paragraph when it is bold, else the first paragraph.
- Page furniture goes: lines such as "Chia sẻ", "In bài", "Facebook", and everything from a
  heading such as "Các tin khác", "Tin liên quan", "Phản hồi", "Mới nhất", "Liên kết website" on,
  once the article's own text is behind it.
- The byline in its usual forms: "Bài, ảnh: X", "Bài và ảnh: X", "Bài: X - Ảnh: Y", "Ảnh: Y",
  "X (Báo Y)", a name alone in bold at the end; the source from "Theo ..." / "Nguồn: ..." (an
  outlet's name or web address, found in `outlets.yml`), or the page's own address.
- The original date from the page's metadata or a date line near the top ("Thứ Sáu, 10/05/2019
  08:30", "ngày 10 tháng 5 năm 2019").
- A caption is the paragraph under a photo that the page marks as one, is in italics, or reads
  like one ("... (Ảnh: X)", "Trong ảnh: ..."); "(Ảnh: X)" becomes the photo's credit. A caption
  with no photo before the first paragraph of text is the lead photo's.
- Places, people, units, the campaign and the kind are proposed (`entities`), each marked for
  review.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..content.models import Place
from ..i18n import _
from ..vietnamese import fold
from .article import Article, Block, Kind, Photo
from .entities import PersonName, PlaceName, find_people, find_places, find_units, mentioned_terms
from .outlets import Outlet, Outlets

#: A line that is only page furniture (folded, punctuation removed): dropped wherever it is.
FURNITURE_LINES = frozenset({
    "chia se", "share", "tweet", "like", "in bai", "ban in", "in", "gui bai", "gui email", "email", "facebook",
    "zalo", "twitter", "len dau trang", "ve dau trang", "quay lai", "tro ve", "co chu", "a a a", "aaa",
    "nghe doc bai", "nghe bai viet", "luu bai", "luu", "gop y", "bao loi", "theo doi", "binh luan",
    "gui binh luan", "xem them", "doc them", "trang chu", "top",
})
#: A heading after which the page has no more of the article (folded, punctuation removed).
FURNITURE_SECTIONS = frozenset({
    "phan hoi", "cac tin khac", "tin khac", "moi nhat", "tin moi nhat", "lien ket website", "lien ket web",
    "tin lien quan", "bai lien quan", "tin cung chuyen muc", "cung chuyen muc", "y kien ban doc",
    "y kien cua ban", "gui y kien", "gui phan hoi", "binh luan", "cac bai khac", "bai viet khac", "doc nhieu",
    "xem nhieu", "tin doc nhieu", "tin xem nhieu", "tin noi bat", "ban co the quan tam", "co the ban quan tam",
    "tu khoa", "tags", "the",
})
_PREFIX_FURNITURE = re.compile(r"^(?:tu khoa|tags?|chu de|the)\s*:", re.IGNORECASE)
_PUNCT = re.compile(r"[^\w\s]")

# --- bylines and sources ---------------------------------------------------------------------------

_NAMES = r"(?P<names>[^:()]{2,120}?)"
_BOTH = re.compile(rf"^(?:bài|tin|bài viết|tin bài|tin và ảnh|bài và ảnh)\s*(?:,|và|&|-|/|\+)?\s*ảnh\s*:\s*{_NAMES}$",
                   re.IGNORECASE)
_SPLIT = re.compile(rf"^(?:bài|tin|bài viết)\s*:\s*(?P<authors>[^:]{{2,120}}?)\s*[-–—|;,/]?\s*ảnh\s*:\s*"
                    rf"(?P<photo>[^:()]{{2,120}}?)$", re.IGNORECASE)
_AUTHORS = re.compile(rf"^(?:bài|tin|bài viết|tác giả|nhóm phóng viên|pv)\s*:\s*{_NAMES}$", re.IGNORECASE)
_PHOTO = re.compile(rf"^ảnh\s*:\s*{_NAMES}$", re.IGNORECASE)
_NAME_OUTLET = re.compile(r"^(?P<names>[^()]{2,80}?)\s*\((?P<outlet>[^()]{2,80})\)$")
_SOURCE = re.compile(r"^(?:theo|nguồn)\s*:?\s+(?P<what>.+?)\s*\.?$", re.IGNORECASE)
_URL = re.compile(r"(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/\S*)?", re.IGNORECASE)
_CREDIT = re.compile(r"\s*[(\[]\s*(?:ảnh|photo)\s*:\s*(?P<credit>[^()\[\]]{2,80}?)\s*[)\]]\s*\.?\s*$|"
                     r"(?:^|\s+[-–—]\s+|\.\s+)(?:ảnh|photo)\s*:\s*(?P<credit2>[^()]{2,60}?)\s*\.?$", re.IGNORECASE)
_IN_PHOTO = re.compile(r"\(?\s*trong ảnh\s*:", re.IGNORECASE)

# --- dates ------------------------------------------------------------------------------------------

_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2}))?")
_DMY = re.compile(r"(?:(?P<H1>\d{1,2})[:hg](?P<M1>\d{2})\s*(?:[,|-]\s*)?(?:ngày\s*)?)?"
                  r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
                  r"(?:\s*(?:[,|-]\s*|lúc\s*)?(?P<H>\d{1,2})[:hg](?P<M>\d{2}))?", re.IGNORECASE)
_WORDS_DATE = re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.IGNORECASE)
_DATE_WORDS = re.compile(r"thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật|cập nhật|đăng ngày|ngày đăng|ngày|lúc|"
                         r"gmt\s*\+?\s*7|\(gmt\+7\)|sáng|chiều|tối|giờ", re.IGNORECASE)


def parse_date(text: str) -> dt.datetime | None:
    """The first date (and time) in `text`, or None."""
    for pattern in (_ISO, _DMY, _WORDS_DATE):
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        hour = parts.get("H") or parts.get("H1") or 0
        minute = parts.get("M") or parts.get("M1") or 0
        try:
            return dt.datetime(int(parts["y"]), int(parts["m"]), int(parts["d"]), int(hour), int(minute))
        except ValueError:
            continue
    return None


def _is_date_line(text: str) -> bool:
    """A short line that is only a date ("Thứ Sáu, 10/05/2019 08:30 (GMT+7)")."""
    if len(text) > 90 or parse_date(text) is None:
        return False
    rest = _DATE_WORDS.sub(" ", _DMY.sub(" ", _ISO.sub(" ", _WORDS_DATE.sub(" ", text))))
    return not re.search(r"\w{2,}", _PUNCT.sub(" ", rest))


def _key(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", fold(text)).split())


# --- the draft ----------------------------------------------------------------------------------------


@dataclass
class LeadPhoto:
    """The lead photo: its bytes when the article brought them, else only its caption."""

    photo: Photo | None
    caption: str
    credit: str = ""
    alt: str = ""


@dataclass
class Source:
    outlet: str = ""
    url: str = ""
    date: dt.date | None = None
    known: Outlet | None = None


@dataclass
class Draft:
    """A story as the rules understood an article; `story.render` writes it."""

    title: str = ""
    date: dt.datetime | None = None  # the original date, when the article gives one
    summary: str = ""
    kind: str = "tin-tong-hop"
    blocks: list[Block] = field(default_factory=list)
    lead: LeadPhoto | None = None
    authors: list[str] = field(default_factory=list)
    photographer: str = ""
    source: Source | None = None
    people: list[PersonName] = field(default_factory=list)
    place: Place | None = None
    places: list[Place] = field(default_factory=list)  # every commune (or district) named, as a Place
    villages: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    organisation: str = ""  # a term of organisations.yml (its name)
    campaign: str = ""  # a term of campaigns.yml (its name)
    review: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the report says besides (outlet closed...)
    removed: list[str] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)


@dataclass
class Vocabularies:
    """The project's terms the rules may propose (organisations, campaigns)."""

    organisations: tuple = ()
    campaigns: tuple = ()


def _split_names(text: str) -> list[str]:
    names = [n.strip(" .;,-–—*") for n in re.split(r"\s+[-–—]\s+|,|;|\s+và\s+|/", text)]
    return [n for n in names if n and _looks_like_name(n)]


def _looks_like_name(text: str) -> bool:
    words = text.replace(".", ". ").split()
    return 1 <= len(words) <= 6 and all(w[:1].isupper() or not w[:1].isalpha() for w in words)


def _byline(text: str, draft: Draft, outlets: Outlets) -> bool:
    """Read `text` as a byline into `draft`; True when it was one."""
    line = text.strip().strip("*_ ").strip()
    line = re.sub(r"^\((.*)\)$", r"\1", line).strip().rstrip(".")
    match = _SPLIT.match(line)
    if match:
        draft.authors = _split_names(match.group("authors")) or draft.authors
        draft.photographer = ", ".join(_split_names(match.group("photo"))) or draft.photographer
        return True
    match = _BOTH.match(line)
    if match and _split_names(match.group("names")):
        names = _split_names(match.group("names"))
        draft.authors, draft.photographer = names, ", ".join(names)
        return True
    match = _AUTHORS.match(line)
    if match and _split_names(match.group("names")):
        draft.authors = _split_names(match.group("names"))
        return True
    match = _PHOTO.match(line)
    if match and _split_names(match.group("names")):
        draft.photographer = ", ".join(_split_names(match.group("names")))
        return True
    match = _NAME_OUTLET.match(line)
    if match and _split_names(match.group("names")):
        outlet_text = match.group("outlet").strip()
        known = outlets.for_name(outlet_text) or (outlets.for_url(outlet_text) if "." in outlet_text else None)
        if known is None and not re.match(r"(?i)(báo|đài|tạp chí|ttxvn|cổng|trang|tạp san|bản tin)\b", outlet_text):
            return False
        draft.authors = _split_names(match.group("names"))
        if draft.source is None:
            draft.source = Source(outlet=known.name if known else outlet_text, known=known)
        return True
    return False


def _source(text: str, draft: Draft, outlets: Outlets) -> bool:
    """Read a "Theo ..." / "Nguồn: ..." line into `draft`; True when it was one."""
    match = _SOURCE.match(text.strip().strip("*_ ()"))
    if not match:
        return False
    what = match.group("what").strip()
    url_match = _URL.search(what)
    url = url_match.group(0).rstrip(").,") if url_match else ""
    named = _URL.sub("", what).strip(" ()-–,") if url else what
    if not url and not _looks_like_name(named.split(" (")[0]) and not outlets.for_name(named):
        return False
    known = (outlets.for_url(url) if url else None) or (outlets.for_name(named) if named else None)
    if url and not url.lower().startswith(("http://", "https://")):
        url = "http://" + url
    outlet = known.name if known else (named or (url and re.sub(r"^https?://(www\.)?", "", url).split("/")[0]))
    draft.source = Source(outlet=outlet, url=url or (draft.source.url if draft.source else ""), known=known)
    if known is None:
        draft.unrecognised.append(_("the outlet {outlet!r} is not in the table of known outlets "
                                    "(site_builder/importers/outlets.yml)").format(outlet=outlet))
    return True


def _strip_furniture(blocks: list[Block], draft: Draft) -> list[Block]:
    """The blocks without page furniture (see FURNITURE_LINES and FURNITURE_SECTIONS)."""
    kept: list[Block] = []
    text_seen = 0
    for index, block in enumerate(blocks):
        key = _key(block.text) if block.kind is not Kind.IMAGE else ""
        if block.kind in (Kind.PARAGRAPH, Kind.HEADING) and key in FURNITURE_SECTIONS and text_seen >= 2:
            draft.removed += [b.text or (b.photo.name if b.photo else "") for b in blocks[index:]]
            break
        if block.kind is Kind.PARAGRAPH and (key in FURNITURE_LINES or _PREFIX_FURNITURE.match(key)):
            draft.removed.append(block.text)
            continue
        if block.kind is Kind.PARAGRAPH and len(block.text) > 60:
            text_seen += 1
        kept.append(block)
    return kept


def _tail(blocks: list[Block], draft: Draft, outlets: Outlets) -> list[Block]:
    """The blocks without the byline and source lines at their end (and before the sapo)."""
    end = len(blocks)
    while end > 0:
        block = blocks[end - 1]
        if block.kind is not Kind.PARAGRAPH or len(block.text) > 200:
            break
        if _byline(block.text, draft, outlets) or _source(block.text, draft, outlets):
            end -= 1
            continue
        if not draft.authors and block.bold and _looks_like_name(block.text.strip("*_ .")):
            draft.authors = [block.text.strip("*_ .")]
            draft.review.append(_("authors: the last line in bold, {name!r}, was taken as the author: check it")
                                .format(name=draft.authors[0]))
            end -= 1
            continue
        break
    kept = blocks[:end]
    head = []
    for block in kept[:4]:  # bylines written under the title
        if block.kind is Kind.PARAGRAPH and len(block.text) <= 120 and _byline(block.text, draft, outlets):
            head.append(block)
    return [b for b in kept if b not in head]


def _date(article: Article, blocks: list[Block], draft: Draft) -> list[Block]:
    """The original date (page metadata or a date line near the top); the date lines removed."""
    if article.published:
        draft.date = parse_date(article.published)
    kept = []
    for position, block in enumerate(blocks):
        if block.kind is Kind.PARAGRAPH and position < 4 and _is_date_line(block.text):
            draft.date = draft.date or parse_date(block.text)
            draft.removed.append(block.text)
            continue
        kept.append(block)
    return kept


def _caption_like(block: Block) -> bool:
    return block.kind is Kind.PARAGRAPH and len(block.text) <= 400 and (
        block.hint == "caption" or block.italic or _IN_PHOTO.search(block.text) is not None
        or _CREDIT.search(block.text) is not None)


def split_credit(caption: str) -> tuple[str, str]:
    """("Cô giáo Lan", "Thành An") from "Cô giáo Lan (Ảnh: Thành An)"; the caption alone otherwise."""
    match = _CREDIT.search(caption)
    if not match:
        return caption.strip(), ""
    credit = (match.group("credit") or match.group("credit2") or "").strip()
    return caption[: match.start()].strip(), credit


def _photos(blocks: list[Block], draft: Draft) -> list[Block]:
    """Captions joined to their photos; the lead photo (or a lead caption without a photo) taken out."""
    kept: list[Block] = []
    skip = False
    for index, block in enumerate(blocks):
        if skip:
            skip = False
            continue
        if block.kind is Kind.IMAGE and block.photo is not None:
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if not block.photo.caption and following is not None and _caption_like(following):
                block.photo.caption = following.text
                skip = True
            block.photo.caption, credit = split_credit(block.photo.caption)
            block.photo.credit = block.photo.credit or credit
        kept.append(block)
    # the lead photo: a photo before any paragraph of text (a sapo may come first)
    for index, block in enumerate(kept[:3]):
        if block.kind is Kind.IMAGE and block.photo is not None:
            if all(b.kind is Kind.PARAGRAPH and (b.bold or b.hint == "sapo") for b in kept[:index]):
                photo = block.photo
                draft.lead = LeadPhoto(photo, photo.caption, photo.credit, photo.alt)
                return kept[:index] + kept[index + 1:]
        if block.kind is not Kind.IMAGE and not block.bold:
            break
    first = kept[0] if kept else None
    if first is not None and first.kind is Kind.PARAGRAPH and (
            _IN_PHOTO.search(first.text) or first.hint == "caption" or _CREDIT.search(first.text)):
        caption, credit = split_credit(first.text)
        draft.lead = LeadPhoto(None, caption, credit)
        return kept[1:]
    return kept


def _summary(article: Article, blocks: list[Block], draft: Draft) -> list[Block]:
    """The sapo: the page's, else the first paragraph (bold or not); taken out of the body."""
    if article.summary:
        draft.summary = article.summary
        return blocks
    for index, block in enumerate(blocks):
        if block.kind is Kind.PARAGRAPH:
            draft.summary = block.text.strip("*_ ")
            if not block.bold:
                draft.review.append(_("summary: the first paragraph was taken as the sapo: check it"))
            return blocks[:index] + blocks[index + 1:]
        if block.kind is not Kind.IMAGE:
            break
    return blocks


def _alt(lead: LeadPhoto) -> str:
    """Alt text for the lead photo: its own, else what "Trong ảnh: ..." says, else the caption."""
    if lead.alt:
        return lead.alt
    match = re.search(r"trong ảnh\s*:\s*(?P<what>[^()]+)", lead.caption, re.IGNORECASE)
    if match:
        return match.group("what").strip(" .)")
    return lead.caption.strip()


def _place(places, outlet: Outlet | None) -> tuple[Place | None, list[Place], str]:
    """The story's place (one commune, or the district of several), every commune as a Place, and
    the province's origin ("text", "outlet" or "")."""
    province, origin = "", ""
    if places.provinces:
        province, origin = places.provinces[0].name, "text"
    elif outlet is not None and outlet.province:
        province, origin = outlet.province, "outlet"
    district = max(places.districts, key=lambda p: places.counts[p]).written if places.districts else ""
    if not province:
        return None, [], origin
    proposals = []
    for commune in places.communes:
        within = places.within.get(commune)
        proposals.append(Place(province=province, commune=commune.written,
                               district=within.written if within and within.level != "tỉnh" else district))
    if len(places.communes) == 1:
        return proposals[0], proposals, origin
    if district:
        whole = Place(province=province, district=district)
        return whole, proposals or [whole], origin
    return Place(province=province), proposals, origin


def _kind(draft: Draft, body_text: str) -> str:
    head = fold(f"{draft.title} {draft.summary}")
    if fold("mô hình") in head or fold(body_text).count(fold("mô hình")) >= 3:
        return "mo-hinh"
    if len(draft.people) == 1 and fold(draft.people[0].name.split()[-1]) in head:
        return "ca-nhan"
    if re.search(r"\b(chi bo|chi hoi|tap the|hop tac xa|htx|clb|cau lac bo|to |doi |truong )", head):
        return "tap-the"
    return "tin-tong-hop"


def interpret(article: Article, outlets: Outlets, vocabularies: Vocabularies) -> Draft:
    """The draft story of `article` (see the module's docstring for the rules)."""
    draft = Draft(removed=list(article.removed), unrecognised=list(article.unrecognised))
    blocks = list(article.blocks)
    draft.title = article.title.strip()
    if not draft.title and blocks and blocks[0].kind in (Kind.PARAGRAPH, Kind.HEADING) and len(blocks[0].text) <= 300:
        draft.title = blocks.pop(0).text.strip("*_ ")
    elif blocks and blocks[0].kind is Kind.HEADING and blocks[0].text == draft.title:
        blocks.pop(0)
    if article.summary:
        sapo = [b for b in blocks if b.kind is Kind.PARAGRAPH and b.text == article.summary]
        blocks = [b for b in blocks if b not in sapo]
    blocks = _strip_furniture(blocks, draft)
    blocks = _tail(blocks, draft, outlets)
    blocks = _date(article, blocks, draft)
    blocks = _photos(blocks, draft)
    blocks = _summary(article, blocks, draft)
    draft.blocks = blocks
    if article.url and (draft.source is None or not draft.source.url):
        known = outlets.for_url(article.url)
        outlet = draft.source.outlet if draft.source and draft.source.outlet else (
            known.name if known else article.site_name)
        if outlet:
            draft.source = Source(outlet=outlet, url=article.url, known=known or (draft.source.known if draft.source
                                                                                 else None))
    if draft.source is not None and draft.date is not None:
        draft.source.date = draft.date.date()
    if draft.lead is not None:
        draft.lead.credit = draft.lead.credit or draft.photographer
        draft.lead.alt = _alt(draft.lead)
    _propose(draft, vocabularies)
    return draft


def _text_of(draft: Draft) -> str:
    parts = [draft.title, draft.summary]
    if draft.lead:
        parts.append(draft.lead.caption)
    for block in draft.blocks:
        parts.append(block.text if block.kind is not Kind.IMAGE else (block.photo.caption if block.photo else ""))
    return "\n".join(p for p in parts if p)


def _names(items: Iterable[str]) -> str:
    return "; ".join(items)


def _most_named(counted: list) -> str:
    """The name of the term named most, when it is named more than any other."""
    if counted and (len(counted) == 1 or counted[0][0] > counted[1][0]):
        return counted[0][1].name
    return ""


def _propose(draft: Draft, vocabularies: Vocabularies) -> None:
    """Places, people, units, campaign and kind from the text, each with its review note."""
    text = _text_of(draft)
    places = find_places(text)
    outlet = draft.source.known if draft.source else None
    draft.place, draft.places, origin = _place(places, outlet)
    named = [p.written for p in (*places.communes, *places.districts, *places.provinces)]
    draft.villages = [f"{v.written} ({places.within[v].written})" if v in places.within else v.written
                      for v in places.villages]
    if draft.place is not None:
        note = _("place: proposed from the text: {place}").format(place=draft.place.label)
        if origin == "outlet":
            note += _(" (the province is the outlet's, {outlet})").format(outlet=outlet.name)
        if named:
            note += _("; places named in the text: {places}").format(places=_names(named + draft.villages))
        draft.review.append(note + _("; places are written as in the article (before the 2025 reform)"))
    elif named:
        draft.review.append(_("place: the text names {places} but not their province: add a place with its "
                              "province").format(places=_names(named + draft.villages)))
    draft.people = find_people(text)
    if draft.people:
        draft.review.append(_("people: proposed from the text: check names and roles; link a profile with "
                              "'profile:' if there is one"))
    draft.units = find_units(text)
    organisations = mentioned_terms(text, vocabularies.organisations)
    draft.organisation = _most_named(organisations)
    if organisations or draft.units:
        names = [t.name for _n, t in organisations]
        units = names + [u for u in draft.units if u not in names]
        draft.review.append(_("organisation: units named in the text: {units}").format(units=_names(units)))
    campaigns = mentioned_terms(text, vocabularies.campaigns)
    draft.campaign = _most_named(campaigns)
    if campaigns:
        draft.review.append(_("campaign: campaigns named in the text: {campaigns}").format(
            campaigns=_names(t.name for _n, t in campaigns)))
    body_text = "\n".join(b.text for b in draft.blocks)
    draft.kind = _kind(draft, body_text)
    draft.review.append(_("kind: proposed as {kind}: ca-nhan, tap-the, mo-hinh or tin-tong-hop").format(
        kind=draft.kind))
    if draft.source is not None and draft.source.known is not None and draft.source.known.closed:
        known = draft.source.known
        draft.notes.append(_("{outlet} stopped publishing on {date}; it continues as {successor}").format(
            outlet=known.name, date=f"{known.closed:%d/%m/%Y}", successor=known.successor or "?"))
    if not draft.authors:
        draft.unrecognised.append(_("no byline (\"Bài, ảnh: ...\", \"Bài: ... - Ảnh: ...\") was found"))
    if draft.source is None:
        draft.unrecognised.append(_("no source (\"Theo ...\") was found"))

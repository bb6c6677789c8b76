"""Content load and catalog build time on a synthetic site: `python bench/catalog.py N`.

Load: writes N story files (`bench/synthetic.py`) and times `validate_content`
(read, parse, validate, build the models) over them, best of two runs.
Catalog: generates N stories in memory (skewed: half in one province, Zipf-like
tags, a tenth as many profiles), then times `build_catalog`, `related(story, 5)`
and `story_terms(story)` for every story.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_project  # noqa: E402

from site_builder.catalog import build_catalog  # noqa: E402
from site_builder.content import validate_content  # noqa: E402
from site_builder.content.models import ContentSet, Kind, Person, Place, Profile, Story, Term, Vocabulary  # noqa: E402

SYLLABLES = "an bình cường dũng đức giang hà hải hòa hùng lan linh minh nam nga phong phúc quang sơn tâm thành trung vân xuân yên".split()
FAMILY = "Nguyễn Trần Lê Phạm Hoàng Phan Vũ Đặng Bùi Đỗ Hồ Ngô Dương Lý".split()


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(SYLLABLES) for _ in range(n))


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {words(rng, 2).title()}"


def synthetic(n: int, seed: int = 1) -> ContentSet:
    """A deterministic ContentSet of `n` stories."""
    rng = random.Random(seed)
    fields = tuple(Term(f"field-{i}", f"Lĩnh vực {words(rng, 2)} {i}") for i in range(12))
    orgs = tuple(Term(f"org-{i}", f"Đơn vị {words(rng, 3)} {i}") for i in range(300))
    campaigns = tuple(Term(f"camp-{i}", f"Phong trào {words(rng, 3)} {i}") for i in range(20))
    provinces = [f"Tỉnh {words(rng, 2).title()} {i}" for i in range(63)]
    communes = {p: [f"xã {words(rng, 2).title()} {j}" for j in range(150)] for p in provinces}
    tags = [f"{words(rng, 2)} {i}" for i in range(3000)]
    tag_weights = [1 / (i + 1) for i in range(len(tags))]
    kinds = [Kind.PERSON, Kind.COLLECTIVE, Kind.MODEL]
    profiles = [
        Profile(
            path=Path(f"/p/{i}.md"), slug=f"profile-{i}", name=person_name(rng), kind=rng.choice(kinds),
            summary="s", body="", body_line=1, draft=rng.random() < 0.02,
        )
        for i in range(max(1, n // 10))
    ]
    start = dt.datetime(2016, 1, 1)
    stories = []
    for i in range(n):
        province = provinces[0] if rng.random() < 0.5 else rng.choice(provinces)
        commune = rng.choice(communes[province]) if rng.random() < 0.8 else ""
        people = tuple(
            Person(person_name(rng), profile=rng.choice(profiles).slug if rng.random() < 0.3 else "")
            for _ in range(rng.randint(0, 2))
        )
        story_tags = tuple(
            t.capitalize() if rng.random() < 0.2 else t for t in rng.choices(tags, tag_weights, k=rng.randint(1, 5))
        )
        stories.append(
            Story(
                path=Path(f"/s/{i}.md"),
                slug=f"story-{i}",
                title=f"Bài {i}",
                date=start + dt.timedelta(minutes=rng.randrange(10 * 365 * 24 * 60)),
                summary="s",
                kind=rng.choice(list(Kind)),
                body="",
                body_line=1,
                people=people,
                organisation=rng.choice(orgs).key if rng.random() < 0.7 else "",
                place=Place(province, commune),
                fields=tuple({rng.choice(fields).key for _ in range(rng.randint(1, 3))}),
                campaign=rng.choice(campaigns).key if rng.random() < 0.3 else "",
                tags=story_tags,
                featured=rng.random() < 0.01,
                draft=rng.random() < 0.01,
            )
        )
    vocabs = {
        "fields": Vocabulary("fields", fields),
        "organisations": Vocabulary("organisations", orgs),
        "campaigns": Vocabulary("campaigns", campaigns),
    }
    return ContentSet(stories=stories, profiles=profiles, vocabularies=vocabs)


def bench_load(n: int) -> None:
    """Time `validate_content` over n story files (best of two runs: the files are then in the page cache)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp) / "project", n, photos=1)
        times = []
        for _ in range(2):
            content = issues = None  # the previous run's objects are freed before timing again
            t0 = time.perf_counter()
            content, issues = validate_content(root)
            times.append(time.perf_counter() - t0)
        errors = sum(i.is_error for i in issues)
        assert len(content.stories) == n and not errors, f"{errors} errors: {[str(i) for i in issues[:3]]}"
    best = min(times)
    print(f"stories: {n:,} files loaded and validated")
    print(f"validate_content:         {best:7.2f} s  ({best / n * 1e6:.0f} µs/story; runs: "
          + ", ".join(f"{t:.2f}" for t in times) + " s)")


def main(argv: list[str]) -> None:
    n = int(argv[1]) if len(argv) > 1 else 10_000
    bench_load(n)
    content = synthetic(n)
    now = dt.datetime(2026, 6, 1)

    t0 = time.perf_counter()
    catalog = build_catalog(content, now)
    t1 = time.perf_counter()
    for story in catalog.stories:
        catalog.related(story, 5)
    t2 = time.perf_counter()
    for story in catalog.stories:
        catalog.story_terms(story)
    t3 = time.perf_counter()

    terms = sum(1 for tax in catalog.taxonomies.values() for _ in tax.all_terms())
    print(f"stories: {n:,} generated, {len(catalog.stories):,} published; {terms:,} term pages")
    print(f"build_catalog:            {t1 - t0:7.2f} s")
    print(f"related(story, 5) x all:  {t2 - t1:7.2f} s  ({(t2 - t1) / max(1, len(catalog.stories)) * 1e6:.0f} µs/story)")
    print(f"story_terms(story) x all: {t3 - t2:7.2f} s")
    print(f"total:                    {t3 - t0:7.2f} s")


if __name__ == "__main__":
    main(sys.argv)

"""Split a list into pages with stable URLs.

Page 1 lives at the list URL itself; page n (n >= 2) at ``<list URL>page/<n>/``.
URLs are site-relative like every other URL in the build (no leading slash).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, Sequence, TypeVar

from site_builder.routes import urls

T = TypeVar("T")

page_url = urls.page  # URL of page `number` (1-based) of the list at `base_url`


@dataclass(frozen=True)
class PageSlice(Generic[T]):
    """One page of a paginated list."""

    number: int  # 1-based
    total: int  # number of pages (>= 1)
    items: tuple[T, ...] = field(repr=False)
    url: str
    prev_url: str | None  # None on the first page
    next_url: str | None  # None on the last page
    first_url: str
    last_url: str
    total_items: int
    start: int  # 0-based index of items[0] in the whole list

    @property
    def is_first(self) -> bool:
        return self.number == 1

    @property
    def is_last(self) -> bool:
        return self.number == self.total


def paginate(items: Sequence[T], per_page: int, base_url: str) -> list[PageSlice[T]]:
    """Cut `items` into pages of `per_page`; an empty list gives one empty page."""
    if per_page < 1:
        raise ValueError(f"per_page must be >= 1, got {per_page}")
    total_items = len(items)
    total = max(1, -(-total_items // per_page))
    urls = [page_url(base_url, n) for n in range(1, total + 1)]
    pages: list[PageSlice[T]] = []
    for i in range(total):
        start = i * per_page
        pages.append(
            PageSlice(
                number=i + 1,
                total=total,
                items=tuple(items[start : start + per_page]),
                url=urls[i],
                prev_url=urls[i - 1] if i > 0 else None,
                next_url=urls[i + 1] if i + 1 < total else None,
                first_url=urls[0],
                last_url=urls[-1],
                total_items=total_items,
                start=start,
            )
        )
    return pages

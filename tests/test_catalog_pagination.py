"""Pagination: URLs and boundaries."""

import pytest

from site_builder.catalog import page_url, paginate


@pytest.mark.parametrize("count, pages", [(0, 1), (1, 1), (10, 1), (11, 2), (20, 2), (21, 3)])
def test_page_counts(count: int, pages: int) -> None:
    result = paginate(list(range(count)), 10, "the/phu-nu/")
    assert len(result) == pages
    assert [p.number for p in result] == list(range(1, pages + 1))
    assert all(p.total == pages and p.total_items == count for p in result)
    assert [x for p in result for x in p.items] == list(range(count))


def test_empty_list_gives_one_empty_page() -> None:
    (page,) = paginate([], 10, "linh-vuc/")
    assert page.items == ()
    assert page.url == "linh-vuc/"
    assert page.prev_url is None and page.next_url is None
    assert page.is_first and page.is_last


def test_urls_and_links() -> None:
    pages = paginate(list(range(11)), 5, "dia-phuong/vinh-phuc/")
    assert [p.url for p in pages] == [
        "dia-phuong/vinh-phuc/",
        "dia-phuong/vinh-phuc/page/2/",
        "dia-phuong/vinh-phuc/page/3/",
    ]
    assert [p.prev_url for p in pages] == [None, "dia-phuong/vinh-phuc/", "dia-phuong/vinh-phuc/page/2/"]
    assert [p.next_url for p in pages] == ["dia-phuong/vinh-phuc/page/2/", "dia-phuong/vinh-phuc/page/3/", None]
    assert [p.items for p in pages] == [(0, 1, 2, 3, 4), (5, 6, 7, 8, 9), (10,)]
    assert [p.start for p in pages] == [0, 5, 10]
    assert all(p.first_url == "dia-phuong/vinh-phuc/" and p.last_url == pages[-1].url for p in pages)


def test_exactly_per_page_is_one_page() -> None:
    (page,) = paginate(list(range(5)), 5, "the/")
    assert page.next_url is None and len(page.items) == 5


def test_per_page_plus_one() -> None:
    first, second = paginate(list(range(6)), 5, "the/")
    assert len(first.items) == 5 and second.items == (5,)
    assert second.url == "the/page/2/" and second.prev_url == "the/"


def test_home_and_missing_slash() -> None:
    assert page_url("", 1) == "" and page_url("", 2) == "page/2/"
    assert page_url("luu-tru", 3) == "luu-tru/page/3/"


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        paginate([1], 0, "x/")
    with pytest.raises(ValueError):
        page_url("x/", 0)

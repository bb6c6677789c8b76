"""Catalog stage: indexes built once per build from a ContentSet."""

from site_builder.catalog.catalog import Catalog, build_catalog
from site_builder.catalog.pagination import PageSlice, page_url, paginate
from site_builder.catalog.taxonomy import Taxonomy, TermEntry
from site_builder.catalog.views import PersonLink, ProfileTerms, StoryTerms, Totals

__all__ = [
    "Catalog",
    "PageSlice",
    "PersonLink",
    "ProfileTerms",
    "StoryTerms",
    "Taxonomy",
    "TermEntry",
    "Totals",
    "build_catalog",
    "page_url",
    "paginate",
]

"""Statistics of the published stories: counts by kind, field, province, commune, year,
campaign and recognition level (`tables`), for the "Thống kê" page, its CSV files and
`site-builder stats`."""

from site_builder.stats.tables import Row, Stats, Table, UnknownProvince, compute

__all__ = ["Row", "Stats", "Table", "UnknownProvince", "compute"]

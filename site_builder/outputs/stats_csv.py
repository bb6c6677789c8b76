"""The statistics tables as CSV files, `thong-ke/<table>.csv`, for Excel and reports.

UTF-8 with a byte order mark (so that Excel reads Vietnamese correctly), comma-separated,
CRLF line ends, a header row in Vietnamese, then one row per line of the table on /thong-ke/
(`site_builder.stats`), with the same figures.
"""

from __future__ import annotations

import csv
import io

from site_builder.catalog import Catalog
from site_builder.i18n import N_, in_language
from site_builder.outputs.base import Output, OutputContext, OutputPlan
from site_builder.routes import urls
from site_builder.routes.registry import Producer
from site_builder.stats import Table, compute
from site_builder.stats.tables import COUNT, KEYS


def table_csv(table: Table, language: str = "vi") -> bytes:
    """One table as CSV bytes (UTF-8 with BOM); the header row in `language`."""
    out = io.StringIO()
    writer = csv.writer(out)  # CRLF line ends, quotes where needed: what Excel expects
    header = [in_language(table.label, language), in_language(COUNT, language)]
    if table.group_label:
        header.insert(0, in_language(table.group_label, language))
    writer.writerow(header)
    for row in table.rows:
        writer.writerow([row.group, row.label, row.count] if table.group_label else [row.label, row.count])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def files(catalog: Catalog) -> list[tuple[str, bytes]]:
    """Every table's CSV file, by site path."""
    return [(urls.stats_csv(t.key), table_csv(t)) for t in compute(catalog).tables]


def _paths(plan: OutputPlan) -> list[str]:
    return [urls.stats_csv(key) for key in KEYS]


def _files(context: OutputContext) -> list[tuple[str, bytes]]:
    return files(context.catalog)


OUTPUT = Output(Producer.generated(N_("the statistics tables (CSV files)")), _paths, _files)

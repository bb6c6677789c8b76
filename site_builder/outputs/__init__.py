"""Machine-readable outputs built from the catalog (sitemap, robots.txt, feeds, embed cards, the publisher logo...).

Each module makes one `Output` (see `base`); `OUTPUTS` lists them in the order they are written.
To add one: spell its paths in `site_builder.routes.urls`, write a module here whose `OUTPUT`
names its files and makes their bytes, and add it to `OUTPUTS`.
"""

from __future__ import annotations

from site_builder.outputs import api, embeds, feeds, logo, news_sitemap, place_redirects, redirects, sitemap, stats_csv
from site_builder.outputs.base import Output, OutputContext, OutputPlan

OUTPUTS: tuple[Output, ...] = (sitemap.OUTPUT, news_sitemap.OUTPUT, feeds.OUTPUT, api.OUTPUT, logo.OUTPUT, embeds.OUTPUT,
                               place_redirects.OUTPUT, stats_csv.OUTPUT,
                               redirects.OUTPUT)  # redirects last: a collision names the other output first

__all__ = ["OUTPUTS", "Output", "OutputContext", "OutputPlan"]

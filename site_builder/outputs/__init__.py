"""Machine-readable outputs built from the catalog (sitemap, robots.txt, feeds, ...).

Each module makes one `Output` (see `base`); `OUTPUTS` lists them in the order they are written.
To add one: spell its paths in `site_builder.routes.urls`, write a module here whose `OUTPUT`
names its files and makes their bytes, and add it to `OUTPUTS`.
"""

from __future__ import annotations

from site_builder.outputs import feeds, redirects, sitemap
from site_builder.outputs.base import Output, OutputContext, OutputPlan

OUTPUTS: tuple[Output, ...] = (sitemap.OUTPUT, feeds.OUTPUT, redirects.OUTPUT)  # redirects last: see redirects.py

__all__ = ["OUTPUTS", "Output", "OutputContext", "OutputPlan"]

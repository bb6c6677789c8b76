"""The publisher's logo as a PNG (`assets/publisher-logo.png`), which structured data names
as `publisher.logo` (see `site_builder.images.logo`)."""

from __future__ import annotations

from site_builder.i18n import N_
from site_builder.images.logo import logo_png
from site_builder.outputs.base import Output, OutputContext, OutputPlan
from site_builder.routes import urls
from site_builder.routes.registry import Producer


def _paths(plan: OutputPlan) -> tuple[str, ...]:
    return (urls.PUBLISHER_LOGO,)


def _files(context: OutputContext) -> list[tuple[str, bytes]]:
    return [(urls.PUBLISHER_LOGO, logo_png())]


OUTPUT = Output(Producer.generated(N_("the publisher's logo for structured data (PNG)")), _paths, _files)

"""Bar charts of the statistics page, laid out at build time (the template draws them as SVG).

Each row is a label above a bar whose length is its share of the largest value, with the value
after the bar. The chart is 360 units wide, the width of a phone, and scales with the page; a
chart shows at most `MAX_BARS` rows (the largest; its description and the table say how many
more there are). Labels longer than `MAX_LABEL` characters are shortened with "…" in the drawing
only: the description and the table have them whole.
"""

from __future__ import annotations

from site_builder import vietnamese as vi
from site_builder.pages import views

WIDTH = 360
ROW = 42  # height of a row: the label (13 px text) and the bar under it
BAR_DY, BAR_HEIGHT, LABEL_DY = 18, 16, 13
VALUE_ROOM = 44  # room kept after the longest bar for its value
MAX_BARS = 20
MAX_LABEL = 48


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, int]]) -> views.Chart:
    """A chart of `rows` (label, value), in their order."""
    shown = rows[:MAX_BARS]
    largest = max((value for _label, value in shown), default=0) or 1
    span = WIDTH - VALUE_ROOM
    bars = tuple(
        views.ChartBar(_short(label), vi.format_count(value), i * ROW, round(max(value / largest * span, 2.0), 1))
        for i, (label, value) in enumerate(shown)
    )
    figures = "; ".join(f"{label}: {vi.format_count(value)}" for label, value in shown)
    desc = f"Biểu đồ thanh ngang, {len(shown)} mục. {figures}."
    if len(rows) > len(shown):
        desc += f" Còn {vi.format_count(len(rows) - len(shown))} mục nhỏ hơn, xem bảng số liệu."
    return views.Chart(chart_id, title, desc, WIDTH, len(shown) * ROW + 4, bars, 0, BAR_HEIGHT, LABEL_DY, BAR_DY)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"

"""Server-rendered SVG charts: a few hundred bytes each, no script. Every chart sits beside
a table with the same numbers, so the chart itself is hidden from screen readers."""

from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from objectives.progress import Figures

register = template.Library()

# The colours of the status bar's parts, as attributes too: PDF renderers read no CSS
# inside SVG. The same colours as tracker.css's .part-* rules.
STATUS_COLOURS = {
    "not_started": "#bdbdbd",
    "on_track": "#2e7d32",
    "at_risk": "#e0a100",
    "off_track": "#c62828",
    "completed": "#0b5394",
    "cancelled": "#6d4c41",
    "not_applicable": "#e3e8ec",
}
TREND_WIDTH = 600
TREND_HEIGHT = 160
MARGIN = 24


def _number(value: Decimal | float) -> str:
    """SVG wants a dot decimal separator whatever the reader's language."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


@register.simple_tag
def progress_bar(progress: Decimal | None) -> SafeString:
    """A horizontal bar of `progress` %, mirrored on right-to-left pages by CSS."""
    filled = _number(max(0, min(100, progress or 0)))
    return format_html(
        '<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false"><rect class="bar-track" width="100" '
        'height="10" fill="#e8edf3"/><rect class="bar-fill" width="{}" height="10" '
        'fill="#0b5394"/></svg>',
        filled,
    )


@register.simple_tag
def status_bar(parts: list[dict]) -> SafeString:
    """One bar split by status, each part as wide as its share; the numbers are in the
    legend beside it. Mirrored on right-to-left pages by CSS."""
    x = Decimal(0)
    segments = []
    for part in parts:
        if part["count"]:
            segments.append(
                (
                    _number(x),
                    _number(part["percent"]),
                    part["status"],
                    STATUS_COLOURS[part["status"]],
                )
            )
            x += part["percent"]
    return format_html(
        '<svg class="status-bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false">{}</svg>',
        format_html_join(
            "",
            '<rect x="{}" width="{}" height="10" class="part part-{}" fill="{}"/>',
            segments,
        ),
    )


@register.filter
def heat(figures: Figures | None) -> str:
    """The colour step of a grid cell: heat-0 (under 20 %) to heat-4 (80 % and more),
    heat-none where no applicable work is reported. The number is always written too."""
    if figures is None or figures.progress is None:
        return "heat-none"
    return f"heat-{min(int(figures.progress // 20), 4)}"


@register.simple_tag
def trend_chart(points: list[tuple[object, Decimal | None]]) -> SafeString:
    """A line of progress (0-100 %) over time, one point per day with figures."""
    values = [
        (index, value)
        for index, (_day, value) in enumerate(points)
        if value is not None
    ]
    if not values:
        return format_html("")
    span = max(len(points) - 1, 1)
    inner_width = TREND_WIDTH - 2 * MARGIN
    inner_height = TREND_HEIGHT - 2 * MARGIN

    def x(index: int) -> str:
        return _number(MARGIN + inner_width * index / span)

    def y(value: Decimal) -> str:
        return _number(MARGIN + inner_height * (100 - float(value)) / 100)

    line = " ".join(f"{x(index)},{y(value)}" for index, value in values)
    gridlines = format_html_join(
        "",
        '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#8a8a8a" '
        'stroke-dasharray="2 3"/>'
        '<text x="{}" y="{}" class="axis" font-size="11" fill="#4a4a4a">{}%</text>',
        (
            (MARGIN, TREND_WIDTH - MARGIN, y(level), y(level), 0, y(level), level)
            for level in (0, 50, 100)
        ),
    )
    markers = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3" fill="#0b5394"/>',
        ((x(index), y(value)) for index, value in values),
    )
    return format_html(
        '<svg class="trend" viewBox="0 0 {} {}" aria-hidden="true" focusable="false">'
        '{}<polyline points="{}" fill="none" stroke="#0b5394" stroke-width="2"/>{}'
        "</svg>",
        TREND_WIDTH,
        TREND_HEIGHT,
        gridlines,
        line,
        markers,
    )


@register.filter
def value_of(values: dict, key: object) -> object:
    """The value of `key` in a dict, or None."""
    return values.get(key)


@register.filter
def figures_of(figures: dict, key: object) -> Figures:
    """The figures of `key` in a dict of figures; none reported gives empty figures."""
    return figures.get(key) or Figures()

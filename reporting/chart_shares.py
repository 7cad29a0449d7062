"""The share chart of ``charts``: one 100 % stacked bar with its legend (e.g. hours by mode)."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.safestring import SafeString

from .chart_svg import (
    EMPTY_HEIGHT,
    GRID_COLOUR,
    PALETTE,
    SHARE_PERCENT_MIN,
    TEXT_COLOUR,
    WHITE,
    _chart_id,
    _check_width,
    _coord,
    _describe,
    _element,
    _empty,
    _items,
    _svg,
    _text,
    _text_width,
    _tooltip,
    _truncate,
    _value_text,
)


def _percentages(values: Sequence[Decimal]) -> list[int]:
    """Whole percentages summing to exactly 100 (largest remainder method)."""
    total = sum(values)
    exact = [value * 100 / total for value in values]
    floors = [int(share) for share in exact]
    missing = 100 - sum(floors)
    order = sorted(range(len(values)), key=lambda index: exact[index] - floors[index], reverse=True)
    for index in order[:missing]:
        floors[index] += 1
    return floors


def _text_colour_on(background: str) -> str:
    """Dark grey or white, whichever contrasts best with a ``#rrggbb`` background."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(background[offset : offset + 2]) for offset in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    # Contrast with white is 1.05 / (L + 0.05); with #212529 (L ≈ 0.016) it is (L + 0.05) / 0.066.
    return WHITE if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.066 else TEXT_COLOUR


def share_chart(items, *, title: str, width=640, unit: str = "") -> SafeString:
    """A single 100 % stacked bar with its legend below, for shares such as hours by mode.

    Segments of at least 8 % print their percentage; colours come from an 8-colour palette, cycled. Whole
    percentages are rounded so that they sum to exactly 100. ``unit`` only serves the ``<desc>`` figures.
    """
    width = _check_width(width)
    parts = _items(items)
    chart_id = _chart_id("share", title, (unit, *parts))
    total = sum((value for _, value in parts), Decimal(0))
    if total == 0:
        return _empty(chart_id, width, EMPTY_HEIGHT, title)

    size = 12.0
    pad = 8.0
    bar_y = pad
    bar_height = 32.0
    bar_width = Decimal(_coord(width - 2 * pad))
    percents = _percentages([value for _, value in parts])
    colours = [PALETTE[index % len(PALETTE)] for index in range(len(parts))]

    body = []
    cumulated = Decimal(0)
    start = Decimal(_coord(pad))
    for (label, value), percent, fill in zip(parts, percents, colours, strict=True):
        described = f"{label} : {_value_text(value, unit)} ({percent}%)"
        cumulated += value
        end = Decimal(_coord(pad)) + (bar_width * cumulated / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        segment_width = end - start
        if value > 0:
            segment = [
                _tooltip(described),
                _element(
                    "rect",
                    {
                        "class": "segment",
                        "x": start,
                        "y": bar_y,
                        "width": segment_width,
                        "height": bar_height,
                        "fill": fill,
                        "stroke": WHITE,
                        "stroke-width": 1,
                    },
                ),
            ]
            if value * 100 >= SHARE_PERCENT_MIN * total:
                segment.append(
                    _text(
                        start + segment_width / 2,
                        bar_y + bar_height / 2 + size * 0.35,
                        f"{percent}%",
                        size=size,
                        anchor="middle",
                        fill=_text_colour_on(fill),
                        class_="segment-percent",
                    )
                )
            body.append(_element("g", {"class": "chart-segment"}, "".join(segment)))
        start = end
    body.append(
        _element(
            "rect",
            {
                "class": "share-frame",
                "x": pad,
                "y": bar_y,
                "width": bar_width,
                "height": bar_height,
                "fill": "none",
                "stroke": GRID_COLOUR,
            },
        )
    )

    line_height = 20.0
    x, y = pad, bar_y + bar_height + 22
    for (label, value), percent, fill in zip(parts, percents, colours, strict=True):
        text = f"{_truncate(label)} ({percent}%)"
        item_width = 18 + _text_width(text, size)
        if x > pad and x + item_width > width - pad:
            x, y = pad, y + line_height
        body.append(
            _element(
                "g",
                {"class": "chart-legend-item"},
                _tooltip(f"{label} : {_value_text(value, unit)} ({percent}%)")
                + _element("rect", {"x": x, "y": y - 10, "width": 12, "height": 12, "fill": fill})
                + _text(x + 18, y, text, size=size, class_="legend-label"),
            )
        )
        x += item_width + 16
    height = y + 10

    desc = _describe(
        [
            f"{label} : {_value_text(value, unit)} ({percent}%)"
            for (label, value), percent in zip(parts, percents, strict=True)
        ]
    )
    return _svg(chart_id, width, height, title, desc, body)

"""Charts drawn on the server as inline SVG.

The same markup serves the browser dashboards and the WeasyPrint PDF reports, so the rules are strict:

* no JavaScript, no external resource and no ``style=`` attribute (the site has a strict
  Content-Security-Policy): only presentation attributes (``fill``, ``stroke``, ``font-size``…);
* every coordinate is written with a dot decimal and at most two decimals by ``_coord`` — never through
  Django's localisation, which would write « 12,5 » under the French locale and break the SVG;
* every ``<text>`` carries its own font family and size (WeasyPrint does not inherit them from the page);
* each chart has a ``<title>`` and a ``<desc>`` listing the figures in French words, so screen readers and
  ``pdftotext`` get the data, not only the drawing.

Values are ``Decimal`` or ``int`` (floats are tolerated); negative, missing or non-finite values count as zero.
Labels are plain text and are always escaped here.

The building blocks (numbers, markup, scale) are in ``chart_svg`` and the share chart in ``chart_shares``;
both are re-exported here, so that callers keep writing ``from reporting.charts import share_chart``.
"""

import math
from decimal import Decimal

from django.utils.safestring import SafeString

from .chart_shares import _percentages, _text_colour_on, share_chart  # noqa: F401
from .chart_svg import (  # noqa: F401
    AXIS_COLOUR,
    CHAR_WIDTH,
    ELLIPSIS,
    EMPTY_HEIGHT,
    EMPTY_MESSAGE,
    FONT_FAMILY,
    GRID_COLOUR,
    LABEL_MAX_CHARS,
    NBSP,
    PALETTE,
    REFERENCE_COLOUR,
    SHARE_PERCENT_MIN,
    TEXT_COLOUR,
    WHITE,
    Item,
    _amount,
    _attrs,
    _chart_id,
    _check_width,
    _coord,
    _decimals_of,
    _describe,
    _element,
    _empty,
    _items,
    _slug,
    _svg,
    _text,
    _text_width,
    _tooltip,
    _truncate,
    _value_text,
    _with_unit,
    nice_scale,
)

# --- Charts --------------------------------------------------------------------------------------------------


def bar_chart(items, *, title: str, unit: str = "h", width=640, bar_height=22, colour: str = "#1f5fa8") -> SafeString:
    """Horizontal bars, one row per ``(label, value)``, proportional to the largest value.

    Labels longer than 38 characters are cut with « … » (the full label stays in the row's ``<title>``);
    each value is written at the end of its bar (« 1 234,5 h »). The height grows with the number of rows.
    """
    width = _check_width(width)
    bar_height = max(4.0, float(bar_height))
    rows = _items(items)
    chart_id = _chart_id("bar", title, (unit, *rows))
    top_value = max((value for _, value in rows), default=Decimal(0))
    if top_value == 0:
        return _empty(chart_id, width, EMPTY_HEIGHT, title)

    size = min(12.0, max(9.0, bar_height * 0.6))
    pad = 8.0
    gap = max(6.0, bar_height * 0.4)
    max_chars = min(LABEL_MAX_CHARS, max(4, int((width * 0.5 - pad) / (CHAR_WIDTH * size))))
    shown = [_truncate(label, max_chars) for label, _ in rows]
    values = [_value_text(value, unit) for _, value in rows]
    label_width = min(width * 0.5, max(_text_width(text, size) for text in shown) + pad + 4)
    value_width = max(_text_width(text, size) for text in values) + pad
    bar_left = label_width + 4
    bar_max = max(20.0, width - bar_left - value_width - pad)
    height = 2 * pad + len(rows) * (bar_height + gap) - gap

    body = [
        _element(
            "line",
            {"x1": bar_left, "y1": pad - 2, "x2": bar_left, "y2": height - pad + 2, "stroke": GRID_COLOUR},
        )
    ]
    for index, ((label, value), short, value_text) in enumerate(zip(rows, shown, values, strict=True)):
        y = pad + index * (bar_height + gap)
        middle = y + bar_height / 2 + size * 0.35
        length = bar_max * float(value / top_value)
        body.append(
            _element(
                "g",
                {"class": "chart-row"},
                _tooltip(f"{label} : {value_text}")
                + _text(label_width, middle, short, size=size, anchor="end")
                + _element(
                    "rect",
                    {"class": "bar", "x": bar_left, "y": y, "width": length, "height": bar_height, "fill": colour},
                )
                + _text(bar_left + length + 4, middle, value_text, size=size, class_="chart-value"),
            )
        )
    desc = _describe([f"{label} : {text}" for (label, _), text in zip(rows, values, strict=True)])
    return _svg(chart_id, width, height, title, desc, body)


def column_chart(
    items,
    *,
    title: str,
    unit: str = "h",
    width=640,
    height=240,
    colour: str = "#1f5fa8",
    reference=None,
    series_label: str = "Heures validées",
    reference_label: str = "Heures attendues",
) -> SafeString:
    """Vertical columns for a series by month (``(label, value)`` with labels like « janv. 2026 »).

    The y axis has 4 or 5 round intervals; x labels are rotated by -45° beyond 8 columns. ``reference`` (same
    length as ``items``) is drawn as a line with dots, with a legend naming ``series_label`` and
    ``reference_label``. The chart is empty when every value and every reference value is zero.
    """
    width = _check_width(width)
    height = float(height)
    columns = _items(items)
    references = None
    if reference is not None:
        references = [_amount(value) for value in reference]
        if len(references) != len(columns):
            raise ValueError("reference must have one value per column")
    chart_id = _chart_id("column", title, (unit, series_label, reference_label, *columns, references))
    top_data = max((value for _, value in columns), default=Decimal(0))
    if references:
        top_data = max(top_data, *references)
    if top_data == 0:
        return _empty(chart_id, width, height, title)

    size = 11.0
    step, intervals = nice_scale(top_data)
    top_value = step * intervals
    decimals = _decimals_of(step)
    ticks = [_value_text(step * index, unit, decimals) for index in range(intervals + 1)]
    values = [_value_text(value, unit) for _, value in columns]
    labels = [_truncate(label) for label, _ in columns]
    rotate = len(columns) > 8

    left = max(_text_width(text, size) for text in ticks) + 10
    right = 12.0
    slot = (width - left - right) / len(columns)
    show_values = max(_text_width(text, 10) for text in values) <= slot - 2
    top = 10.0 + (22 if references is not None else 0) + (8 if show_values else 0)
    longest = max(_text_width(text, size) for text in labels)
    bottom = (longest * math.sqrt(0.5) + 18) if rotate else 22.0
    plot_height = height - top - bottom
    if plot_height < 60:  # keep a readable plot; the svg grows rather than crushing the columns
        height += 60 - plot_height
        plot_height = 60.0
    base = top + plot_height
    column_width = min(slot * 0.64, 56.0)

    def y_of(value: Decimal) -> float:
        return base - plot_height * float(value / top_value)

    body = []
    if references is not None:
        legend_y = 14.0
        legend_x = left
        body.append(
            _element(
                "g",
                {"class": "chart-legend"},
                _element("rect", {"x": legend_x, "y": legend_y - 9, "width": 12, "height": 12, "fill": colour})
                + _text(legend_x + 18, legend_y + 1, series_label, size=size)
                + _element(
                    "line",
                    {
                        "x1": legend_x + 30 + _text_width(series_label, size),
                        "y1": legend_y - 3,
                        "x2": legend_x + 50 + _text_width(series_label, size),
                        "y2": legend_y - 3,
                        "stroke": REFERENCE_COLOUR,
                        "stroke-width": 2,
                    },
                )
                + _element(
                    "circle",
                    {
                        "cx": legend_x + 40 + _text_width(series_label, size),
                        "cy": legend_y - 3,
                        "r": 3.5,
                        "fill": REFERENCE_COLOUR,
                    },
                )
                + _text(legend_x + 56 + _text_width(series_label, size), legend_y + 1, reference_label, size=size),
            )
        )
    for index, tick in enumerate(ticks):
        y = y_of(step * index)
        body.append(
            _element(
                "line",
                {
                    "x1": left,
                    "y1": y,
                    "x2": width - right,
                    "y2": y,
                    "stroke": AXIS_COLOUR if index == 0 else GRID_COLOUR,
                },
            )
        )
        body.append(_text(left - 6, y + size * 0.35, tick, size=size, anchor="end", class_="tick"))

    for index, ((label, value), short, value_text) in enumerate(zip(columns, labels, values, strict=True)):
        centre = left + slot * (index + 0.5)
        y = y_of(value)
        tooltip = f"{label} : {value_text}"
        if references is not None:
            tooltip += f" ({reference_label} : {_value_text(references[index], unit)})"
        if rotate:
            label_y = base + 12
            axis_label = _text(
                centre + 3,
                label_y,
                short,
                size=size,
                anchor="end",
                transform=f"rotate(-45 {_coord(centre + 3)} {_coord(label_y)})",
            )
        else:
            axis_label = _text(centre, base + 16, short, size=size, anchor="middle")
        parts = [
            _tooltip(tooltip),
            _element(
                "rect",
                {
                    "class": "column",
                    "x": centre - column_width / 2,
                    "y": y,
                    "width": column_width,
                    "height": base - y,
                    "fill": colour,
                },
            ),
            axis_label,
        ]
        if show_values and value > 0:
            parts.append(_text(centre, y - 4, value_text, size=10, anchor="middle", class_="chart-value"))
        body.append(_element("g", {"class": "chart-column"}, "".join(parts)))

    if references is not None:
        points = [(left + slot * (index + 0.5), y_of(value)) for index, value in enumerate(references)]
        body.append(
            _element(
                "polyline",
                {
                    "class": "reference",
                    "points": " ".join(f"{_coord(x)} {_coord(y)}" for x, y in points),
                    "fill": "none",
                    "stroke": REFERENCE_COLOUR,
                    "stroke-width": 2,
                },
            )
        )
        body.extend(
            _element("circle", {"cx": x, "cy": y, "r": 3.5, "fill": REFERENCE_COLOUR, "stroke": WHITE})
            for x, y in points
        )

    if references is None:
        desc_parts = [f"{label} : {text}" for (label, _), text in zip(columns, values, strict=True)]
        desc = f"{series_label} — " + _describe(desc_parts)
    else:
        desc = _describe(
            [
                f"{label} : {series_label} {text}, {reference_label} {_value_text(expected, unit)}"
                for (label, _), text, expected in zip(columns, values, references, strict=True)
            ]
        )
    return _svg(chart_id, width, height, title, desc, body)

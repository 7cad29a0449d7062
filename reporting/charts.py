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
"""

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from common.numbers import as_decimal, french_number

NBSP = "\u00a0"
ELLIPSIS = "…"
EMPTY_MESSAGE = "Aucune donnée pour cette période."

FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"
TEXT_COLOUR = "#212529"
GRID_COLOUR = "#dee2e6"
AXIS_COLOUR = "#6c757d"
REFERENCE_COLOUR = "#d9480f"
WHITE = "#ffffff"

# Okabe–Ito palette: eight colours told apart with every common colour-vision deficiency.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

LABEL_MAX_CHARS = 38
SHARE_PERCENT_MIN = 8  # a segment narrower than this share does not print its percentage
EMPTY_HEIGHT = 80  # height of an empty bar or share chart
CHAR_WIDTH = 0.62  # average DejaVu Sans glyph width, in em, to estimate text widths

Item = tuple[str, Decimal | int | float | None]


# --- Numbers -------------------------------------------------------------------------------------------------


def _amount(value) -> Decimal:
    """A chart value: a finite, non-negative Decimal (negative values are not expected and count as zero)."""
    number = as_decimal(value)
    return number if number > 0 else Decimal(0)


def _with_unit(text: str, unit: str) -> str:
    if not unit:
        return text
    if unit == "%":
        return f"{text}%"
    return f"{text}{NBSP}{unit}"


def _value_text(value, unit: str, decimals_max: int = 1) -> str:
    return _with_unit(french_number(value, decimals_max), unit)


def _coord(value) -> str:
    """An SVG number: dot decimal, at most two decimals, no exponent, never « -0 »."""
    number = as_decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --- Markup --------------------------------------------------------------------------------------------------


def _attrs(attributes: Mapping[str, object]) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            value = _coord(value)
        parts.append(f' {name}="{escape(str(value))}"')
    return "".join(parts)


def _element(tag: str, attributes: Mapping[str, object], content: str | None = None) -> str:
    """One element; ``content`` must already be markup (escaped text or child elements)."""
    if content is None:
        return f"<{tag}{_attrs(attributes)}/>"
    return f"<{tag}{_attrs(attributes)}>{content}</{tag}>"


def _text(x, y, content: str, *, size, anchor: str = "start", fill: str = TEXT_COLOUR, **extra) -> str:
    attributes = {
        "x": x,
        "y": y,
        "font-family": FONT_FAMILY,
        "font-size": size,
        "fill": fill,
        "text-anchor": anchor,
    }
    attributes.update({name.rstrip("_").replace("_", "-"): value for name, value in extra.items()})
    return _element("text", attributes, str(escape(content)))


def _tooltip(content: str) -> str:
    return _element("title", {}, str(escape(content)))


def _text_width(text: str, size) -> float:
    """Rough width of a text in DejaVu Sans, enough to lay out margins."""
    return len(text) * CHAR_WIDTH * float(size)


def _truncate(label: str, max_chars: int = LABEL_MAX_CHARS) -> str:
    if len(label) <= max_chars:
        return label
    return label[: max(1, max_chars - 1)].rstrip() + ELLIPSIS


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")


def _chart_id(kind: str, title: str, data: Iterable[object]) -> str:
    """Stable id: slug of the title plus a short hash of the kind, the title and the data."""
    digest = hashlib.blake2s(digest_size=4)
    for part in (kind, title, *data):
        digest.update(str(part).encode("utf-8"))
        digest.update(b"\x1f")
    slug = _slug(title)
    return f"chart-{slug}-{digest.hexdigest()}" if slug else f"chart-{digest.hexdigest()}"


def _svg(chart_id: str, width, height, title: str, desc: str, body: Sequence[str]) -> SafeString:
    root = {
        "xmlns": "http://www.w3.org/2000/svg",
        "viewBox": f"0 0 {_coord(width)} {_coord(height)}",
        "width": width,
        "height": height,
        "role": "img",
        "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
        "class": "chart",
    }
    head = _element("title", {"id": f"{chart_id}-title"}, str(escape(title))) + _element(
        "desc", {"id": f"{chart_id}-desc"}, str(escape(desc))
    )
    return mark_safe(_element("svg", root, head + "".join(body)))  # every part is escaped above


def _empty(chart_id: str, width, height, title: str) -> SafeString:
    message = _text(width / 2, height / 2 + 5, EMPTY_MESSAGE, size=14, anchor="middle", class_="chart-empty")
    return _svg(chart_id, width, height, title, EMPTY_MESSAGE, [message])


def _items(items) -> list[tuple[str, Decimal]]:
    if isinstance(items, Mapping):
        items = items.items()
    return [("" if label is None else str(label), _amount(value)) for label, value in items or ()]


def _describe(parts: Sequence[str]) -> str:
    return " ; ".join(parts) + "."


def _check_width(width) -> float:
    width = float(width)
    if not width > 0:
        raise ValueError("width must be positive")
    return width


# --- Scale ---------------------------------------------------------------------------------------------------


def nice_scale(maximum) -> tuple[Decimal, int]:
    """Step and number of intervals (4 or 5) of a y axis starting at zero and reaching at least ``maximum``.

    Steps are 1, 2, 2.5 or 5 × 10^k; the smallest top (step × intervals) wins.
    """
    maximum = _amount(maximum)
    if maximum == 0:
        return Decimal(1), 4
    exponent = math.floor(math.log10(float(maximum) / 5)) - 1
    best: tuple[Decimal, int] | None = None
    for power in range(exponent, exponent + 4):
        for mantissa in ("1", "2", "2.5", "5"):
            step = Decimal(mantissa).scaleb(power)
            intervals = max(4, int((maximum / step).to_integral_value(rounding=ROUND_CEILING)))
            if intervals <= 5 and (best is None or step * intervals < best[0] * best[1]):
                best = (step, intervals)
    assert best is not None  # a step of at least maximum / 4 is always among the candidates
    step, intervals = best
    return (step.quantize(Decimal(1)) if step == step.to_integral_value() else step.normalize()), intervals


def _decimals_of(step: Decimal) -> int:
    return max(0, -step.normalize().as_tuple().exponent)


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

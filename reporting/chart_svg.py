"""The building blocks of the server-side SVG charts of ``charts``: numbers, markup and the y scale.

Constants (fonts, colours, palette, sizes), the SVG number writer ``_coord`` (dot decimal, at most two
decimals), the escaped element and text writers, the chart id, title and description, and ``nice_scale``.
The rules they keep (no ``style=``, no localisation, a font on every ``<text>``) are told in ``charts``.
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

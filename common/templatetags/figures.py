"""French display of figures in the dashboards and reports: « 1 217 h », « 52,2 % » (the tenth
always written), « 50 000 € ». One library for the pages and the PDFs."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from common.numbers import french_number

register = template.Library()
NBSP = "\u00a0"
DASH = "—"


@register.filter
def number(value, decimals=1):
    if value is None or value == "":
        return DASH
    return french_number(value, int(decimals))


@register.filter
def hours(value):
    return DASH if value is None or value == "" else f"{french_number(value, 1)}{NBSP}h"


@register.filter
def percent(value):
    """A percentage to the tenth, the tenth always written: 50 → « 50,0 % »."""
    if value is None or value == "":
        return DASH
    tenth = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    whole, _, decimal = f"{abs(tenth):f}".partition(".")
    sign = "-" if tenth < 0 else ""
    return f"{sign}{french_number(Decimal(whole), 0)},{decimal or '0'}{NBSP}%"


@register.filter
def share_of(part, whole):
    """``part`` as a percentage of ``whole``: « 25,0 % »."""
    if not whole:
        return DASH
    return percent(Decimal(part or 0) * 100 / Decimal(whole))


@register.filter
def euros(value):
    return DASH if value is None or value == "" else f"{french_number(value, 0)}{NBSP}€"

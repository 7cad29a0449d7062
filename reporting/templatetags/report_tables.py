"""Template filters of the dashboards' and reports' tables: ``rows|leading`` (``leading_rows``)."""

from django import template

from reporting.leading_rows import LEADING_ROWS
from reporting.leading_rows import leading as leading_rows

register = template.Library()


@register.filter
def leading(rows, limit=LEADING_ROWS):
    return leading_rows(rows, int(limit))

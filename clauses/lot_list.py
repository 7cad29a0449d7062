"""The lot list's read model: every lot with its progress, the page's lots read in full, the totals.

Progress is computed for every lot (status filters and totals need it) from light rows; only the
page's lots are then read with what the table shows (one more query, a page at most).
"""

from django.core.paginator import Paginator

from . import hours
from .models import Lot
from .view_support import PAGE_SIZE


def progress_rows(lots, form, on):
    """(lot, progress) for each filtered lot, by end date, in the state the form asks for."""
    lots = form.filter_lots(lots)
    return form.keep_lot_rows([(lot, lot.progress(on)) for lot in lots.order_by("end_date", "pk")])


def page_of(rows, number):
    """The page of rows, its lots read again with their operation, buyer and trade."""
    page = Paginator(rows, PAGE_SIZE).get_page(number)
    shown = Lot.objects.select_related("contract__operation__commune__epci", "contract__operation__buyer", "trade")
    shown = shown.in_bulk([lot.pk for lot, _progress in page.object_list])
    page.object_list = [(shown[lot.pk], progress) for lot, progress in page.object_list]
    return page


def total(rows, on):
    """The combined progress of all the rows (not only the page's)."""
    return hours.combined_progress(
        [(p.required, p.done, lot.start_date, lot.end_date, p.expected) for lot, p in rows], on
    )

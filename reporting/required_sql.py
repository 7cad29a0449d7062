"""The hours lots require in a period, worked out by the database for every lot at once instead of
lot by lot in Python (``indicator_reads._hours_in``): the same rule, ``rules.hours_in_period``,
in integer arithmetic so that it is exact on PostgreSQL and on SQLite (floats) alike.

For a lot whose clause is not by hours per euro invoiced: R its required hours (contractual,
else computed: whole hours, so ``clause_hours.whole_hours`` keeps them), T its days, o its
days in the period; its hours in the period are round(R × o ÷ T, 2), half up, that is
⌊(200 × R × o + T) ÷ (2 × T)⌋ hundredths (integer division of positive integers on both
databases). Lots by hours per euro invoiced depend on their invoices' dates: they are left at
zero here and added up in Python (``grows`` tells them apart), as are lots without a clause.

Why no table of hours per lot and month: those hours are a pure function of the lot's and its
clause's columns, so summed by the database at read time they are never stale, need no upkeep in
the validation's transaction nor a worker's refresh, and cost one scan of the lots."""

from decimal import Decimal

from django.db.models import BigIntegerField, Case, DateField, F, Q, Sum, Value, When
from django.db.models.functions import Greatest, Least

from clauses.models import Clause
from clauses.progress_sql import DaysBetween, grows_with_invoices, required_whole_hours

HUNDRED = Decimal(100)

GROWS = grows_with_invoices(Clause.Method.PER_EURO_INVOICED)
# A lot whose required hours are spread over its days (with a clause, not by euro invoiced).
SPREAD = Q(clause__isnull=False) & ~GROWS


def _day(value):
    return Value(value, output_field=DateField())


def hundredths_in(start, end):
    """The hundredths of hours a spread lot requires from ``start`` to ``end`` (dates, both
    included), as an expression on its row; 0 for the other lots and outside the lot's days."""
    required = required_whole_hours()
    total = DaysBetween(F("end_date"), F("start_date")) + 1
    overlap = DaysBetween(Least(F("end_date"), _day(end)), Greatest(F("start_date"), _day(start))) + 1
    return Case(
        When(
            SPREAD & Q(start_date__lte=end, end_date__gte=start), then=(required * 200 * overlap + total) / (total * 2)
        ),
        default=Value(0),
        output_field=BigIntegerField(),
    )


def hours(hundredths):
    """Hours (Decimal, to the hundredth) from a sum of hundredths (None: no lot)."""
    return Decimal(int(hundredths or 0)) / HUNDRED


def sums(periods):
    """The aggregates summing the hundredths of hours the lots require in each of ``periods``
    (``{key: (start, end)}``), and the names they come back under: ``(aggregates, {name: key})``."""
    names = {f"hours_{index}": key for index, key in enumerate(periods)}
    return {name: Sum(hundredths_in(*periods[key])) for name, key in names.items()}, names


def sums_by_period(lots, periods, group=None):
    """``{period key: Decimal}`` of the hours the spread lots of ``lots`` require in each of
    ``periods`` (``{key: (start, end)}``), in one query; with ``group`` (a path from the lot),
    ``{group key: {period key: Decimal}}``."""
    aggregates, names = sums(periods)
    spread = lots.filter(SPREAD).order_by()
    if group is None:
        found = spread.aggregate(**aggregates)
        return {key: hours(found[name]) for name, key in names.items()}
    rows = spread.values(period_group=F(group)).annotate(**aggregates)
    return {row["period_group"]: {key: hours(row[name]) for name, key in names.items()} for row in rows}


def with_hours_in(lots, **periods):
    """The lots with, for each ``name=(start, end)``, ``name`` annotated: the hundredths of hours
    they require then (0 for lots not spread: see ``GROWS``)."""
    return lots.annotate(**{name: hundredths_in(start, end) for name, (start, end) in periods.items()})


def month_bounds(period, last_day):
    """``{first day of month: (start, end)}`` of each month of the period, cut to the period."""
    return {month: (max(month, period.start), min(last_day(month), period.end)) for month in period.months()}

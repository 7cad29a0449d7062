"""Pure rules of the reports: periods, age bands, hours of a lot that fall in a period, rates.

No database here, so that every rule is tested on its own.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from clauses import hours as clause_hours

ZERO = Decimal(0)
HUNDREDTH = Decimal("0.01")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("La fin de la période précède son début.")

    @classmethod
    def year(cls, year):
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def label(self):
        if self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31):
            return str(self.start.year)
        return f"du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"

    @property
    def first_month(self):
        return self.start.replace(day=1)

    def months(self):
        """First day of every month the period touches, in order."""
        months, month = [], self.first_month
        while month <= self.end:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months

    def contains(self, day):
        return day is not None and self.start <= day <= self.end

    def overlaps(self, start, end):
        """Whether something from ``start`` to ``end`` (None: still running) touches the period."""
        return start <= self.end and (end is None or end >= self.start)


# People ------------------------------------------------------------------------------------

UNDER_26 = "under_26"
FROM_26_TO_49 = "26_49"
FROM_50 = "50_plus"
AGE_BAND_LABELS = {UNDER_26: "Moins de 26 ans", FROM_26_TO_49: "26 à 49 ans", FROM_50: "50 ans et plus"}


def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_band(age):
    """The national network's bands: under 26, 26 to 49, 50 and over."""
    if age < 26:
        return UNDER_26
    if age < 50:
        return FROM_26_TO_49
    return FROM_50


# Hours -------------------------------------------------------------------------------------


def hours_in_period(required, lot_start, lot_end, period):
    """The part of a lot's required hours that falls in the period, pro rata of its days (both
    ends included)."""
    if not required:
        return ZERO
    total = (lot_end - lot_start).days + 1
    if total <= 0:
        return Decimal(required) if period.contains(lot_end) else ZERO
    overlap = (min(lot_end, period.end) - max(lot_start, period.start)).days + 1
    if overlap <= 0:
        return ZERO
    return (Decimal(required) * overlap / total).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def elapsed_part(period, on):
    """The days of the period up to ``on`` (None when ``on`` is before its start)."""
    if on < period.start:
        return None
    return Period(period.start, min(on, period.end))


def expected_in_period(required, lot_start, lot_end, period, on):
    """The part of a lot's required hours expected between the period's start and ``on``."""
    part = elapsed_part(period, on)
    return hours_in_period(required, lot_start, lot_end, part) if part else ZERO


def invoiced_hours_in_period(invoices, euros_per_hour, period):
    """Hours per euro invoiced that fall in the period: the hours of the ``(invoicing date,
    amount)`` invoices dated in it, not the lot's obligation spread over its days, so that the
    figures of a closed period do not move when a later purchase order is invoiced."""
    return clause_hours.invoiced_hours(
        clause_hours.invoiced_between(invoices, period.start, period.end), euros_per_hour
    )


def behind_judged_on(period, edition_day):
    """The day a report judges whether lots are behind schedule: the period's last day once the
    period is over (its figures then stay as they were), else the edition day."""
    return min(period.end, edition_day)


def rate(part, whole):
    """``part`` as a percentage of ``whole``, to the tenth; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


UNDER_ONE_MONTH = "under_1"
ONE_TO_THREE = "1_3"
THREE_TO_SIX = "3_6"
SIX_AND_MORE = "6_plus"
DURATION_LABELS = {
    UNDER_ONE_MONTH: "Moins d'un mois",
    ONE_TO_THREE: "1 à 3 mois",
    THREE_TO_SIX: "3 à 6 mois",
    SIX_AND_MORE: "6 mois et plus",
}


def duration_band(start, end, on):
    """Length of a placement, up to its end or ``on`` when it still runs (a month is 30.4 days)."""
    days = ((end or on) - start).days + 1
    months = Decimal(days) / Decimal("30.4375")
    if months < 1:
        return UNDER_ONE_MONTH
    if months < 3:
        return ONE_TO_THREE
    if months < 6:
        return THREE_TO_SIX
    return SIX_AND_MORE

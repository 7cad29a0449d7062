"""The hours of an insertion clause, and the progress of a lot: pure rules, no database.

Sources (domain.md, "Hours of a lot"): the standard formula and its published example (MEF Sud
77: 1,000,000 € × 50 % × 5 % ÷ 30 €/h = 833 h, rounded down to the hour); the cleaning sector's
coefficient C = 25 with the staff-transfer weighting P = 1 − (S × C) ÷ (A ÷ N) (Inserpropre,
PACT propreté); hours per euro invoiced for purchase-order framework agreements; a percentage of
the hours worked on the lot. Percentages are given as percents (50 for 50 %). Everything is
``Decimal``; results are rounded down to the whole hour.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
ZERO = Decimal(0)
ONE = Decimal(1)
CLEANING_COEFFICIENT = Decimal(25)


class HoursInputError(ValueError):
    """An input that makes no sense for the computation; the message is in French for the user."""


def whole_hours(value):
    """Round down to the whole hour, as the published example does (833.33 → 833)."""
    return Decimal(value).quantize(ONE, rounding=ROUND_DOWN)


def _percent(value, name):
    value = Decimal(value)
    if value < 0 or value > HUNDRED:
        raise HoursInputError(f"{name} doit être comprise entre 0 et 100 %.")
    return value / HUNDRED


def _positive(value, name):
    value = Decimal(value)
    if value <= 0:
        raise HoursInputError(f"{name} doit être strictement positif.")
    return value


def _not_negative(value, name):
    value = Decimal(value)
    if value < 0:
        raise HoursInputError(f"{name} ne peut pas être négatif.")
    return value


def formula_hours(amount_excl_tax, labour_share_percent, insertion_rate_percent, hourly_cost):
    """hours = amount × labour share × insertion rate ÷ hourly cost, rounded down."""
    amount = _not_negative(amount_excl_tax, "Le montant HT")
    labour = _percent(labour_share_percent, "La part de main-d'œuvre")
    rate = _percent(insertion_rate_percent, "Le taux d'insertion")
    cost = _positive(hourly_cost, "Le coût horaire")
    return whole_hours(amount * labour * rate / cost)


def worked_hours_share_hours(worked_hours, share_percent):
    """A clause written as a percentage of the hours worked on the lot."""
    worked = _not_negative(worked_hours, "Le nombre d'heures travaillées")
    return whole_hours(worked * _percent(share_percent, "Le pourcentage des heures travaillées"))


def invoiced_hours(invoiced_total, euros_per_hour):
    """Framework agreements paid by purchase order: one hour per ``euros_per_hour`` invoiced."""
    invoiced = _not_negative(invoiced_total, "Le montant facturé")
    return whole_hours(invoiced / _positive(euros_per_hour, "Le montant HT par heure"))


def invoiced_between(invoices, first=None, last=None):
    """Total of the ``(invoicing date, amount)`` invoices dated from ``first`` to ``last`` (both
    included; None: no bound). The obligation grows with each invoice on its date: it is never
    spread over the lot's duration."""
    return sum(
        (
            Decimal(amount)
            for day, amount in invoices
            if (first is None or day >= first) and (last is None or day <= last)
        ),
        ZERO,
    )


def cleaning_weighting(amount_excl_tax, months, transferred_monthly_hours, coefficient=CLEANING_COEFFICIENT):
    """P = 1 − (S × C) ÷ (A ÷ N): the share of the contract not taken by staff transferred under the
    collective agreement. Never below zero."""
    amount = _positive(amount_excl_tax, "Le montant HT")
    months = _positive(months, "La durée en mois")
    transferred = _not_negative(transferred_monthly_hours, "Les heures mensuelles du personnel repris")
    coefficient = _positive(coefficient, "Le coefficient")
    # Same as 1 − (S × C) ÷ (A ÷ N), written to divide once and keep exact decimals.
    weighting = ONE - (transferred * coefficient * months) / amount
    return max(weighting, ZERO)


def cleaning_hours(
    amount_excl_tax,
    insertion_rate_percent,
    months=None,
    transferred_monthly_hours=ZERO,
    coefficient=CLEANING_COEFFICIENT,
):
    """Cleaning sector: hours = P × A ÷ C × rate (P = 1 without staff transfer)."""
    amount = _not_negative(amount_excl_tax, "Le montant HT")
    rate = _percent(insertion_rate_percent, "Le taux d'insertion")
    coefficient = _positive(coefficient, "Le coefficient")
    weighting = ONE
    if Decimal(transferred_monthly_hours or 0) > 0:
        if not months:
            raise HoursInputError("La durée en mois est nécessaire pour pondérer la reprise du personnel.")
        weighting = cleaning_weighting(amount, months, transferred_monthly_hours, coefficient)
    return whole_hours(weighting * amount / coefficient * rate)


def is_below_minimum(hours, minimum):
    """A clause below the minimum (150 h by default) is not advised."""
    return hours is not None and Decimal(hours) < Decimal(minimum)


def months_between(start, end):
    """Whole months from start to end (at least one), for the cleaning weighting."""
    months = (end.year - start.year) * 12 + (end.month - start.month) + (1 if end.day >= start.day else 0)
    return max(months, 1)


# Progress -----------------------------------------------------------------------------------

NOT_STARTED = "not_started"
ON_TRACK = "on_track"
BEHIND = "behind"
DONE = "done"

STATUS_LABELS = {
    NOT_STARTED: "Non commencé",
    ON_TRACK: "Dans les temps",
    BEHIND: "En retard",
    DONE: "Réalisé",
}


def elapsed_share(start, end, today):
    """The share of a period elapsed on ``today``: 0 before the start, 1 after the end."""
    if start is None or end is None or today < start:
        return ZERO
    if today >= end:
        return ONE
    total = (end - start).days
    if total <= 0:
        return ONE
    return Decimal((today - start).days) / Decimal(total)


def expected_hours(required, start, end, today):
    """Hours expected by ``today``, pro rata of the elapsed duration, to the hundredth."""
    if not required:
        return ZERO
    return (Decimal(required) * elapsed_share(start, end, today)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def progress_status(required, done, expected, start, today):
    """Not started (before the start date), done (required hours reached), behind, on track."""
    required = Decimal(required or 0)
    done = Decimal(done or 0)
    if required > 0 and done >= required:
        return DONE
    if start is None or today < start:
        return NOT_STARTED
    if done < Decimal(expected or 0):
        return BEHIND
    return ON_TRACK


@dataclass(frozen=True)
class Progress:
    required: Decimal
    done: Decimal
    expected: Decimal
    status: str

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def done_percent(self):
        if not self.required:
            return ZERO
        return (self.done * HUNDRED / self.required).quantize(ONE, rounding=ROUND_DOWN)

    @property
    def expected_percent(self):
        if not self.required:
            return ZERO
        return (self.expected * HUNDRED / self.required).quantize(ONE, rounding=ROUND_DOWN)


def lot_progress(required, done, start, end, today: date, expected=None):
    """``expected``: the hours expected by ``today`` when they are not the required hours pro rata
    of the lot's elapsed duration (hours per euro invoiced: those invoiced by then)."""
    if expected is None:
        expected = expected_hours(required, start, end, today)
    return Progress(
        required=Decimal(required or 0),
        done=Decimal(done or 0),
        expected=expected,
        status=progress_status(required, done, expected, start, today),
    )


def combined_progress(parts, today: date):
    """Progress of a contract, an operation or a buyer: the sum of its lots' figures.

    ``parts`` are ``(required, done, start, end)`` of each lot, or ``(required, done, start, end,
    expected)`` when its expected hours are not pro rata of its duration (see ``lot_progress``);
    the status compares the sums.
    """
    required = done = expected = ZERO
    starts = []
    for lot_required, lot_done, start, end, *given in parts:
        required += Decimal(lot_required or 0)
        done += Decimal(lot_done or 0)
        expected += given[0] if given and given[0] is not None else expected_hours(lot_required, start, end, today)
        if start is not None:
            starts.append(start)
    first_start = min(starts) if starts else None
    return Progress(
        required=required,
        done=done,
        expected=expected,
        status=progress_status(required, done, expected, first_start, today),
    )

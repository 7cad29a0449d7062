"""Rules of the monthly hours declarations, without the database (domain.md, "Hours worked").

No negative hours; no more hours in a month than the legal maximum (48 h a week, about 208 h a
month: a setting); no hours in a month when the placement did not run; hours outside the person's
counting window, or of a person with no validated criterion, are kept but do not count.
"""

import calendar
from datetime import date
from decimal import Decimal, InvalidOperation

DEFAULT_MONTHLY_MAXIMUM = Decimal(208)
MONTH_NAMES = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def first_day(day):
    return date(day.year, day.month, 1)


def last_day(month):
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def previous_month(day):
    return first_day(date.fromordinal(first_day(day).toordinal() - 1))


def month_label(month):
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def of_month(month):
    """ "de mars 2026", "d'avril 2026": French elides "de" before a vowel."""
    label = month_label(month)
    return f"d'{label}" if label[0] in "aeiouy" else f"de {label}"


def parse_hours(text):
    """Hours typed by a person: "35", "35,5", "35.5", " 1 234,5 "; None when empty; ValueError otherwise."""
    value = (text or "").strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    if not value:
        return None
    try:
        hours = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"« {text} » n'est pas un nombre d'heures.") from exc
    if not hours.is_finite():
        raise ValueError(f"« {text} » n'est pas un nombre d'heures.")
    return hours


def hours_problem(hours, month, placement_start, placement_end, maximum=DEFAULT_MONTHLY_MAXIMUM):
    """The French message that refuses these hours for this placement and month, or None."""
    if hours is None:
        return None
    if hours < 0:
        return "Les heures ne peuvent pas être négatives."
    # Before the rounding check: quantize() fails on a huge number (1e30), which is too many hours anyway.
    if hours > maximum:
        return f"Plus de {maximum} h dans un mois dépasse la durée maximale légale du travail."
    if hours != hours.quantize(Decimal("0.01")):
        return "Indiquez les heures au centième près au plus (ex. 35,25)."
    if hours > 0 and not ran_during(month, placement_start, placement_end):
        return (
            f"La mise à l'emploi ne couvre pas {month_label(month)} "
            f"(du {placement_start:%d/%m/%Y}{f' au {placement_end:%d/%m/%Y}' if placement_end else ''})."
        )
    return None


def ran_during(month, placement_start, placement_end):
    """Whether the placement ran for at least one day of the month."""
    return placement_start <= last_day(month) and (placement_end is None or placement_end >= first_day(month))


def counts(month, window, is_training=False, training_counts=False, eligible=True):
    """Whether the hours of ``month`` count for the clause.

    Only the hours of an eligible person count (at least one validated criterion: domain.md,
    "Eligible people"); a person placed without one is warned of at placement, and their hours
    count again as soon as a criterion is validated (``counting``, which keeps the flag current).

    A month counts only when it lies entirely inside the person's counting window, from the first
    day of the first placement's month to the window's end (the last day of the Nth calendar month,
    see ``eligibility.CountingWindow``): the month of the first placement counts in full, a month
    that would run past the N months does not. Training hours count only where the local rule says
    so (``TRAINING_HOURS_COUNT``; domain.md, mode 4: off by default)."""
    if not eligible or (is_training and not training_counts):
        return False
    return window is not None and first_day(window.start) <= first_day(month) and last_day(month) <= window.end


DRAFT, PENDING, VALIDATED, REJECTED = "draft", "pending", "validated", "rejected"


def declaration_status(line_statuses):
    """draft while anything is being written; to correct when a line is rejected; submitted while
    lines wait for validation; validated when every line is."""
    statuses = set(line_statuses)
    if not statuses:
        return "draft"
    if DRAFT in statuses:
        return "draft"
    if REJECTED in statuses:
        return "to_correct"
    if PENDING in statuses:
        return "submitted"
    return "validated"

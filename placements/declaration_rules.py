"""Rules of the monthly hours declarations, without the database (domain.md, "Hours worked").

No negative hours; no more hours in a month than the legal maximum (48 h a week, about 208 h a
month: a setting); no hours in a month when the placement did not run; hours outside the person's
counting window, or of a person with no validated criterion, are kept but do not count.

The monthly maximum is a cap on the *person*, not on a declaration line: the hours of one person in
one month add up across their placements, whoever the employer (``person_month_problem``). The
weekly maximum adds up the weekly hours of a person's placements that run at the same time
(``weekly_problem``).
"""

import calendar
from datetime import date
from decimal import Decimal, InvalidOperation

from common.dates import month_label

DEFAULT_MONTHLY_MAXIMUM = Decimal(208)
# Code du travail, article L3121-20: "Au cours d'une même semaine, la durée maximale hebdomadaire de
# travail est de quarante-huit heures." (The monthly 208 h is about 48 h × 52 / 12.)
WEEKLY_HOURS_MAXIMUM = Decimal(48)


def first_day(day):
    return date(day.year, day.month, 1)


def last_day(month):
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def previous_month(day):
    return first_day(date.fromordinal(first_day(day).toordinal() - 1))


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


def format_hours(hours):
    """Hours as French writes them: "35", "35,5", "151,67"."""
    hours = Decimal(hours)
    if hours == hours.to_integral_value():
        return str(int(hours))
    return f"{hours:.2f}".rstrip("0").replace(".", ",")


def person_month_problem(new_hours, other_hours, month, maximum=DEFAULT_MONTHLY_MAXIMUM):
    """The French message that refuses a person's hours of ``month``, or None.

    ``new_hours``: what is being declared now for the person (the sum of their lines in this grid or
    file, when they work on several of the employer's lots); ``other_hours``: what is already
    declared for them that month elsewhere, by current lines that are not rejected (their other lots
    with this employer, and every other employer). The maximum is per person and month, not per line.

    The message never names the other employer or lot: an employer must not learn whom else the
    person works for. (The facilitator's validation names them, see ``validation_problem``.)
    """
    total = new_hours + other_hours
    if total <= maximum:
        return None
    if other_hours:
        return (
            f"Avec les heures déjà déclarées pour cette personne en {month_label(month)} sur un autre lot ou par "
            f"un autre employeur ({format_hours(other_hours)} h), le total ({format_hours(total)} h) dépasse "
            f"{format_hours(maximum)} h, la durée maximale légale dans un mois."
        )
    return (
        f"Les heures de cette personne en {month_label(month)} sur vos différents lots totalisent "
        f"{format_hours(total)} h : c'est plus que {format_hours(maximum)} h, la durée maximale légale dans un mois."
    )


def validation_problem(person, hours, validated_elsewhere, month, maximum=DEFAULT_MONTHLY_MAXIMUM):
    """The facilitator's refusal to validate ``hours`` of ``person`` in ``month``, or None.

    ``validated_elsewhere``: (label of the other lot and employer, hours) of the person's lines of the
    month already validated. Facilitators may see the other employers: the message names them."""
    already = sum((hours for _, hours in validated_elsewhere), Decimal(0))
    total = hours + already
    if total <= maximum:
        return None
    where = " ; ".join(f"{label} : {format_hours(other)} h" for label, other in validated_elsewhere)
    if not validated_elsewhere:
        return (
            f"{person} : les heures à valider en {month_label(month)} totalisent {format_hours(total)} h, plus que "
            f"{format_hours(maximum)} h, la durée maximale légale dans un mois. Refusez-en une partie."
        )
    return (
        f"{person} : {format_hours(already)} h sont déjà validées en {month_label(month)} ({where}) ; avec "
        f"{format_hours(hours)} h de plus, le total ({format_hours(total)} h) dépasserait {format_hours(maximum)} h, "
        "la durée maximale légale dans un mois. Vérifiez les justificatifs et refusez les heures en trop."
    )


def weekly_problem(weekly_hours, start, end, others, maximum=WEEKLY_HOURS_MAXIMUM):
    """The French message that refuses ``weekly_hours`` from ``start`` to ``end`` (None: not known),
    given the person's other placements ``others`` as (label, start, end, weekly hours); or None.

    Only the placements that run at the same time add up: the load is highest on the first day of
    one of them, so those days are the only ones to check."""
    if weekly_hours is None or start is None:
        return None
    if weekly_hours > maximum:
        return f"Au plus {format_hours(maximum)} heures par semaine (durée maximale légale, Code du travail L3121-20)."

    def runs(other_start, other_end, day):
        return other_start <= day and (other_end is None or day <= other_end)

    days = [start] + [other[1] for other in others if runs(start, end, other[1])]
    for day in sorted(set(days)):
        running = [other for other in others if runs(other[1], other[2], day)]
        total = weekly_hours + sum((other[3] for other in running), Decimal(0))
        if total > maximum:
            names = " ; ".join(f"{label} ({format_hours(hours)} h par semaine)" for label, _, _, hours in running)
            return (
                f"Avec ses autres mises à l'emploi en cours le {day:%d/%m/%Y} ({names}), cette personne "
                f"travaillerait {format_hours(total)} h par semaine : c'est plus que {format_hours(maximum)} h, "
                "la durée maximale légale (Code du travail L3121-20). Réduisez les heures par semaine ou "
                "changez les dates."
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

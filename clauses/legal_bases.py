"""What the legal basis of a clause requires of its lot: pure rules, no database.

Source (domain.md, "Legal bases of a clause"; Code de la commande publique, art. L2113-15): a
contract or lot reserved to social economy (ESS) companies lasts 3 years at most. A lot runs from
its start date to its end date, both included (as ``hours.months_between`` counts them): 3 years
from 1 January 2027 end on 31 December 2029 at the latest. From a 29 February, the years end on
the last day of February.
"""

from datetime import date, timedelta

RESERVED_ESS = "reserved_ess"
ESS_MAX_YEARS = 3


def _day(value):
    return f"{value:%d/%m/%Y}"


def years_later(start, years):
    """The same day ``years`` later; 1 March when it is a 29 February that does not exist."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February of a year that is not a leap year
        return date(start.year + years, 3, 1)


def ess_latest_end(start):
    """The last day a lot reserved to the ESS may run when it starts on ``start``."""
    return years_later(start, ESS_MAX_YEARS) - timedelta(days=1)


def duration_problem(legal_basis, start, end):
    """The French message when the legal basis does not allow a lot running from ``start`` to
    ``end``, or None. Missing or reversed dates are left to the checks of the dates."""
    if legal_basis != RESERVED_ESS or start is None or end is None or end < start:
        return None
    latest = ess_latest_end(start)
    if end <= latest:
        return None
    return (
        f"Un marché réservé aux entreprises de l'ESS (art. L2113-15) dure {ESS_MAX_YEARS} ans au plus : "
        f"ce lot va du {_day(start)} au {_day(end)}, il doit finir le {_day(latest)} au plus tard. "
        "Raccourcissez le lot ou choisissez un autre fondement juridique."
    )

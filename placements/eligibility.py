"""Eligible publics and the counting window of a person's hours: pure rules, no database.

Codes follow domain.md ("Eligible people"), themselves aligned on "Les emplois de l'inclusion".
"""

import calendar
from dataclasses import dataclass
from datetime import date

CRITERIA = {
    "DELD": "Demandeur d'emploi de longue durée (12 mois ou plus ; DETLD : 24 mois ou plus)",
    "RSA": "Bénéficiaire du RSA",
    "ASS": "Bénéficiaire de l'allocation de solidarité spécifique (ASS)",
    "ATA": "Bénéficiaire de l'allocation temporaire d'attente (ATA)",
    "AAH": "Bénéficiaire de l'AAH ou d'une pension d'invalidité",
    "TH": "Travailleur handicapé (RQTH, BOETH)",
    "JEUNE": "Jeune de moins de 26 ans, sorti du système scolaire depuis 6 mois, peu qualifié",
    "SENIOR": "Demandeur d'emploi de 50 ans ou plus",
    "QPV": "Habitant d'un quartier prioritaire de la politique de la ville (QPV)",
    "IAE": "Salarié d'une SIAE ou d'un GEIQ en parcours d'insertion",
    "EPIDE_E2C": "Stagiaire de l'EPIDE ou d'une école de la deuxième chance",
    "DEROGATION": "Autre difficulté grave, acceptée sur avis motivé d'un prescripteur",
}
CRITERIA_CHOICES = list(CRITERIA.items())

# Criteria whose proof is a prescriber's reasoned opinion rather than a document.
PRESCRIBER_ONLY = frozenset({"DEROGATION"})

DEFAULT_WINDOW_MONTHS = 24


def add_months(start, months):
    """The same day ``months`` later (the last day of the month when it does not exist)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def age_on(birth_date, on):
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def is_eligible(criteria_codes):
    """A person is eligible when at least one validated criterion applies."""
    return any(code in CRITERIA for code in criteria_codes)


@dataclass(frozen=True)
class CountingWindow:
    """The days during which a person's hours count for a clause (domain.md, "Eligible people").

    The rule: hours count during N calendar months (``COUNTING_WINDOW_MONTHS``, 24 by default),
    starting with the month of the person's first placement under a clause. No hours can precede
    that first placement, so its month counts in full. The month in which the N months from the
    first placement end is not counted when it would run past them: only whole months inside the
    window count (``declaration_rules.counts``).

    So ``start`` is the first placement's start date and ``end`` the last day of the Nth calendar
    month, the start month counting as the 1st: from 15 March 2025, 24 months run to 28 February
    2027 (March 2027 would go past 14 March 2027); from 1 March 2025, exactly 24 months, the same
    end. ``end`` is always the last day of a month, and the last day that counts.
    """

    start: date
    end: date  # last day that counts: the last day of the Nth calendar month

    def contains(self, day):
        return self.start <= day <= self.end


def counting_window(first_placement_start, months=DEFAULT_WINDOW_MONTHS):
    """The window opened by a first placement starting on ``first_placement_start`` (None: none)."""
    if first_placement_start is None:
        return None
    last_month = add_months(date(first_placement_start.year, first_placement_start.month, 1), months - 1)
    end = date(last_month.year, last_month.month, calendar.monthrange(last_month.year, last_month.month)[1])
    return CountingWindow(first_placement_start, end)


def proof_problem(criterion, proof, prescriber_id):
    """The French message when a criterion lacks what proves it, or None."""
    if criterion in PRESCRIBER_ONLY and not prescriber_id:
        return "Une dérogation exige l'avis motivé d'un prescripteur : indiquez lequel."
    if not (proof or "").strip() and not prescriber_id:
        return "Indiquez le justificatif vu ou le prescripteur qui confirme ce critère."
    return None

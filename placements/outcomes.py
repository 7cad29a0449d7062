"""Outcomes at exit and 6 (or 12) months later: categories and the "sorties dynamiques" rate.

Categories of domain.md ("Outcomes"), after the DGEFP/DARES definition of IAE exits: the first
three groups are the "sorties dynamiques"; neutral exits are not counted at all.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SUSTAINABLE = "sustainable"
TRANSITIONAL = "transitional"
POSITIVE = "positive"
OTHER = "other"
NEUTRAL = "neutral"

GROUP_LABELS = {
    SUSTAINABLE: "Emploi durable",
    TRANSITIONAL: "Emploi de transition",
    POSITIVE: "Sortie positive",
    OTHER: "Autre sortie",
    NEUTRAL: "Sortie neutre (non comptée)",
}

# situation code → (label, group)
SITUATIONS = {
    "cdi": ("CDI", SUSTAINABLE),
    "long_fixed_term": ("CDD ou intérim de 6 mois ou plus", SUSTAINABLE),
    "civil_service": ("Titularisation dans la fonction publique", SUSTAINABLE),
    "business_creation": ("Création d'entreprise", SUSTAINABLE),
    "short_fixed_term": ("CDD ou intérim de moins de 6 mois", TRANSITIONAL),
    "subsidised_contract": ("Contrat aidé chez un employeur ordinaire", TRANSITIONAL),
    "qualifying_training": ("Formation qualifiante", POSITIVE),
    "other_siae": ("Embauche par une autre SIAE", POSITIVE),
    "jobseeker": ("Demandeur d'emploi", OTHER),
    "inactive": ("Inactif", OTHER),
    "no_news": ("Sans nouvelles", OTHER),
    "illness": ("Maladie", NEUTRAL),
    "maternity": ("Maternité", NEUTRAL),
    "moved_away": ("Déménagement", NEUTRAL),
    "death": ("Décès", NEUTRAL),
}
SITUATION_CHOICES = [
    (GROUP_LABELS[group], [(code, label) for code, (label, g) in SITUATIONS.items() if g == group])
    for group in (SUSTAINABLE, TRANSITIONAL, POSITIVE, OTHER, NEUTRAL)
]
DYNAMIC_GROUPS = frozenset({SUSTAINABLE, TRANSITIONAL, POSITIVE})


def group_of(situation):
    return SITUATIONS[situation][1]


def is_dynamic(situation):
    """A "sortie dynamique": sustainable or transitional employment, or a positive exit."""
    return group_of(situation) in DYNAMIC_GROUPS


@dataclass(frozen=True)
class ExitRates:
    counted: int
    dynamic: int
    by_group: dict

    @property
    def dynamic_rate(self):
        """Share of dynamic exits among counted exits (neutral ones excluded), in percent."""
        if not self.counted:
            return None
        return (Decimal(self.dynamic) * 100 / self.counted).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def exit_rates(situations):
    by_group = dict.fromkeys(GROUP_LABELS, 0)
    for situation in situations:
        by_group[group_of(situation)] += 1
    counted = sum(n for group, n in by_group.items() if group != NEUTRAL)
    dynamic = sum(by_group[group] for group in DYNAMIC_GROUPS)
    return ExitRates(counted=counted, dynamic=dynamic, by_group=by_group)


OUTCOME_DELAYS_MONTHS = {"exit": 0, "six_months": 6, "twelve_months": 12}

"""The OETH deduction for purchases from EA, ESAT and TIH (Code du travail, D5212-21 and following;
integrations.md, « What the Département must publish »). Pure: no database.

Per purchase, the labour cost is the amount invoiced times the labour share the supplier's
attestation gives; 30 % of it is deductible. The year's total is capped at 50 % of the year's
contribution, or 75 % when the employer's direct employment rate of disabled workers is 3 % or
more. Money is ``Decimal``, rounded to the cent (half up) at each step a person reads.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
DEDUCTION_RATE = Decimal("0.30")
CAP_RATE = Decimal("0.50")
RAISED_CAP_RATE = Decimal("0.75")
RAISED_CAP_EMPLOYMENT_RATE = Decimal("3")  # per cent of the workforce


def money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def labour_cost(amount_invoiced, labour_share):
    """Amount invoiced (excl. tax) × labour share (a percentage, 0–100)."""
    if amount_invoiced < 0:
        raise ValueError("amount_invoiced must not be negative")
    if not 0 <= labour_share <= 100:
        raise ValueError("labour_share is a percentage between 0 and 100")
    return money(Decimal(amount_invoiced) * Decimal(labour_share) / 100)


def purchase_deduction(amount_invoiced, labour_share):
    """30 % of the labour cost of one purchase, before the cap."""
    return money(labour_cost(amount_invoiced, labour_share) * DEDUCTION_RATE)


def cap_rate(employment_rate):
    """50 % of the contribution, 75 % when the direct employment rate is ≥ 3 % (the boundary counts)."""
    return RAISED_CAP_RATE if Decimal(employment_rate) >= RAISED_CAP_EMPLOYMENT_RATE else CAP_RATE


@dataclass(frozen=True)
class Deduction:
    gross: Decimal  # sum of the purchases' deductions, before the cap
    cap_rate: Decimal  # 0.50 or 0.75
    cap: Decimal  # cap_rate × contribution
    deductible: Decimal  # min(gross, cap)
    capped: bool  # the cap lowered the total

    @property
    def cap_percent(self):
        return int(self.cap_rate * 100)

    @property
    def explanation(self):
        """In French, which cap applies and why, and whether it lowered the total."""
        reason = (
            "le taux d'emploi direct est d'au moins 3 %"
            if self.cap_rate == RAISED_CAP_RATE
            else "le taux d'emploi direct est inférieur à 3 %"
        )
        text = f"Plafond de {self.cap_percent} % de la contribution ({reason})"
        if self.capped:
            return f"{text} : le total des achats le dépasse, la déduction est ramenée au plafond."
        return f"{text} : le total des achats reste sous le plafond, il est déduit en entier."


def year_deduction(purchases, contribution, employment_rate):
    """The year's deduction. ``purchases``: (amount invoiced, labour share %) pairs; ``contribution``:
    the year's contribution before deduction (€); ``employment_rate``: direct employment rate (%)."""
    if contribution < 0:
        raise ValueError("contribution must not be negative")
    gross = money(sum((purchase_deduction(amount, share) for amount, share in purchases), Decimal(0)))
    rate = cap_rate(employment_rate)
    cap = money(Decimal(contribution) * rate)
    deductible = min(gross, cap)
    return Deduction(gross=gross, cap_rate=rate, cap=cap, deductible=deductible, capped=gross > cap)

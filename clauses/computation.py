"""From the inputs of a clause to its hours: picks the rule of ``hours`` for the chosen method.

Pure: takes plain values, so the lot form, the htmx calculator and the tests share it.
"""

from dataclasses import dataclass
from decimal import Decimal

from . import hours

FORMULA = "formula"
WORKED_HOURS_SHARE = "worked_hours_share"
PER_EURO_INVOICED = "per_euro_invoiced"
CLEANING = "cleaning"

# Inputs each method needs, with their French names for the messages.
REQUIRED_INPUTS = {
    FORMULA: {
        "labour_share": "la part de main-d'œuvre",
        "insertion_rate": "le taux d'insertion",
        "hourly_cost": "le coût horaire",
    },
    WORKED_HOURS_SHARE: {
        "worked_hours_share": "la part des heures travaillées",
        "estimated_worked_hours": "les heures travaillées estimées",
    },
    PER_EURO_INVOICED: {"euros_per_hour": "le montant facturé pour une heure"},
    CLEANING: {"insertion_rate": "le taux d'insertion"},
}


@dataclass(frozen=True)
class Computation:
    hours: Decimal | None
    explanation: str
    errors: dict
    below_minimum: bool = False


def _fmt(value):
    """French display of a decimal: thousands with a narrow space, comma for decimals."""
    value = Decimal(value).normalize()
    text = f"{abs(value):,f}".replace(",", "\u202f").replace(".", ",")
    return ("-" if value.is_signed() else "") + text


def compute(method, amount, inputs, months=None, invoiced_total=None, minimum=Decimal(150)):
    """Hours of a clause for ``method``; ``errors`` maps an input name to a French message."""
    missing = {
        name: f"Indiquez {label} pour ce mode de calcul."
        for name, label in REQUIRED_INPUTS.get(method, {}).items()
        if inputs.get(name) in (None, "")
    }
    if method not in REQUIRED_INPUTS:
        return Computation(None, "", {"method": "Mode de calcul inconnu."})
    if missing:
        return Computation(None, "", missing)
    try:
        if method == FORMULA:
            result = hours.formula_hours(
                amount, inputs["labour_share"], inputs["insertion_rate"], inputs["hourly_cost"]
            )
            explanation = (
                f"{_fmt(amount)} € × {_fmt(inputs['labour_share'])} % × {_fmt(inputs['insertion_rate'])} % "
                f"÷ {_fmt(inputs['hourly_cost'])} €/h = {_fmt(result)} h (arrondi à l'heure inférieure)"
            )
        elif method == WORKED_HOURS_SHARE:
            result = hours.worked_hours_share_hours(inputs["estimated_worked_hours"], inputs["worked_hours_share"])
            explanation = (
                f"{_fmt(inputs['worked_hours_share'])} % de {_fmt(inputs['estimated_worked_hours'])} h "
                f"travaillées = {_fmt(result)} h"
            )
        elif method == PER_EURO_INVOICED:
            invoiced = invoiced_total or Decimal(0)
            result = hours.invoiced_hours(invoiced, inputs["euros_per_hour"])
            explanation = (
                f"1 h pour {_fmt(inputs['euros_per_hour'])} € HT facturés : {_fmt(invoiced)} € facturés à ce jour "
                f"= {_fmt(result)} h ; l'obligation augmente avec chaque bon de commande"
            )
        else:
            coefficient = inputs.get("cleaning_coefficient") or hours.CLEANING_COEFFICIENT
            transferred = inputs.get("transferred_monthly_hours") or Decimal(0)
            result = hours.cleaning_hours(amount, inputs["insertion_rate"], months, transferred, coefficient)
            if transferred:
                weighting = hours.cleaning_weighting(amount, months, transferred, coefficient)
                explanation = (
                    f"P = 1 − ({_fmt(transferred)} h × {_fmt(coefficient)}) ÷ ({_fmt(amount)} € ÷ {months} mois) "
                    f"= {_fmt(weighting.quantize(Decimal('0.0001')))} ; "
                    f"{_fmt(weighting.quantize(Decimal('0.0001')))} × {_fmt(amount)} € ÷ {_fmt(coefficient)} "
                    f"× {_fmt(inputs['insertion_rate'])} % = {_fmt(result)} h"
                )
            else:
                explanation = (
                    f"{_fmt(amount)} € ÷ {_fmt(coefficient)} × {_fmt(inputs['insertion_rate'])} % = {_fmt(result)} h"
                )
    except hours.HoursInputError as exc:
        return Computation(None, "", {"__all__": str(exc)})
    return Computation(result, explanation, {}, hours.is_below_minimum(result, minimum))

from decimal import Decimal as D

from clauses.computation import compute


def test_formula_with_explanation_in_french():
    result = compute(
        "formula", D("1000000"), {"labour_share": D("50"), "insertion_rate": D("5"), "hourly_cost": D("30")}
    )
    assert result.hours == D("833")
    assert result.explanation == "1\u202f000\u202f000 € × 50 % × 5 % ÷ 30 €/h = 833 h (arrondi à l'heure inférieure)"
    assert not result.below_minimum


def test_missing_inputs_are_named():
    result = compute("formula", D("1000"), {"labour_share": D("50")})
    assert result.hours is None
    assert result.errors == {
        "insertion_rate": "Indiquez le taux d'insertion pour ce mode de calcul.",
        "hourly_cost": "Indiquez le coût horaire pour ce mode de calcul.",
    }


def test_below_minimum_is_flagged():
    result = compute(
        "formula", D("300000"), {"labour_share": D("20"), "insertion_rate": D("5"), "hourly_cost": D("30")}
    )
    assert result.hours == D("100") and result.below_minimum


def test_cleaning_with_transfer_explains_the_weighting():
    result = compute(
        "cleaning", D("600000"), {"insertion_rate": D("10"), "transferred_monthly_hours": D("300")}, months=36
    )
    assert result.hours == D("1320")
    assert "P = 1 − (300 h × 25)" in result.explanation


def test_per_euro_invoiced_uses_the_invoiced_total():
    result = compute("per_euro_invoiced", D("0"), {"euros_per_hour": D("2000")}, invoiced_total=D("150000"))
    assert result.hours == D("75")
    assert "150\u202f000 € facturés" in result.explanation


def test_worked_hours_share():
    result = compute("worked_hours_share", D("0"), {"worked_hours_share": D("7"), "estimated_worked_hours": D("14000")})
    assert result.hours == D("980")


def test_bad_value_is_reported_not_raised():
    result = compute("formula", D("1000"), {"labour_share": D("120"), "insertion_rate": D("5"), "hourly_cost": D("30")})
    assert result.hours is None
    assert "entre 0 et 100 %" in result.errors["__all__"]

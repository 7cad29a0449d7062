"""The advice from the structures near a lot (clauses/sourcing_rules.py): pure rules."""

import pytest

from clauses.sourcing_rules import MIN_DISABILITY_STRUCTURES, MIN_SIAE, advise


def test_two_siae_within_the_radius_suggest_a_lot_reserved_to_siae_or_subcontracting():
    (advice,) = advise([("Tremplin", "ACI"), ("Ain Intérim", "ETTI"), ("GEIQ BTP", "GEIQ")], 30)
    assert advice.legal_basis == "reserved_siae"
    assert "L2113-13" in advice.title and "sous-traitance" in advice.title
    assert advice.reason == "2 SIAE à moins de 30 km : Ain Intérim et Tremplin."


def test_two_disability_structures_suggest_a_lot_reserved_to_ea_and_esat():
    (advice,) = advise([("ESAT de la Dombes", "ESAT"), ("Atelier adapté", "EA")], 50)
    assert advice.legal_basis == "reserved_disability" and "L2113-12" in advice.title
    assert advice.reason == "2 EA ou ESAT à moins de 50 km : Atelier adapté et ESAT de la Dombes."


def test_both_suggestions_when_both_kinds_are_near_and_long_lists_are_cut():
    structures = [(f"SIAE {n}", "EI") for n in range(6)] + [("EA 1", "EA"), ("EATT 1", "EATT")]
    advice = advise(structures, 100)
    assert [a.legal_basis for a in advice] == ["reserved_disability", "reserved_siae"]
    assert advice[1].reason == "6 SIAE à moins de 100 km : SIAE 0, SIAE 1, SIAE 2, SIAE 3…"


def test_below_the_thresholds_and_geiq_alone_no_advice():
    assert MIN_SIAE == 2 and MIN_DISABILITY_STRUCTURES == 2
    assert advise([("Tremplin", "ACI"), ("ESAT", "ESAT"), ("GEIQ A", "GEIQ"), ("GEIQ B", "GEIQ")], 30) == []


@pytest.mark.parametrize("basis", ["reserved_siae", "reserved_disability", "reserved_ess"])
def test_a_lot_already_reserved_gets_no_advice(basis):
    structures = [("A", "ACI"), ("B", "AI"), ("C", "EA"), ("D", "ESAT")]
    assert advise(structures, 30, basis) == []


def test_a_lot_with_an_execution_condition_or_without_clause_gets_advice():
    structures = [("A", "ACI"), ("B", "AI")]
    assert advise(structures, 30, "execution_condition") and advise(structures, 30, "")

"""Suppression and rows of the open dataset, on worked examples (no database)."""

from decimal import Decimal

from opendata import rules, schema


def test_a_total_from_1_to_4_hides_the_whole_row_of_people():
    total, categories = rules.suppress(4, {"rsa": 4, "qpv": 0})
    assert total is None
    assert categories == {"rsa": None, "qpv": None}


def test_zero_and_five_are_published():
    assert rules.suppress(5, {"rsa": 5, "qpv": 0}) == (5, {"rsa": 5, "qpv": 0})


def test_a_single_small_category_takes_the_smallest_other_published_one_with_it():
    # 12 people: 3 RSA (hidden), 7 QPV, 5 DELD: DELD (the smallest published) is hidden too.
    total, categories = rules.suppress(12, {"rsa": 3, "qpv": 7, "deld": 5})
    assert total == 12
    assert categories == {"rsa": None, "qpv": 7, "deld": None}


def test_two_small_categories_need_no_secondary_suppression():
    assert rules.suppress(10, {"rsa": 2, "qpv": 3, "deld": 6}) == (10, {"rsa": None, "qpv": None, "deld": 6})


def test_zero_is_never_chosen_for_secondary_suppression():
    assert rules.suppress(9, {"rsa": 2, "qpv": 0, "deld": 9}) == (9, {"rsa": None, "qpv": 0, "deld": None})


def test_a_row_writes_hours_with_a_dot_and_marks_the_secret():
    figures = rules.LotFigures(
        year=2026,
        lot_key="CLAUSIER-LOT-7",
        buyer_siret="22010001000019",
        buyer_name="Département de l'Ain",
        decp_uid="",
        contract_object="Travaux",
        lot_object="Gros œuvre",
        legal_basis="L2112-2",
        hours_required=Decimal("1833"),
        hours_validated=Decimal("1250.5"),
        people=3,
        categories=dict.fromkeys(schema.CATEGORIES, 1),
    )
    row = rules.build_row(figures)
    assert row["heures_exigees"] == "1833.00"
    assert row["heures_realisees"] == "1250.50"
    assert row["personnes"] == ""
    assert all(row[f"personnes_{code}"] == "" for code in schema.CATEGORIES)
    assert row["secret_statistique"] == "oui"
    assert list(row) == schema.COLUMNS


def test_person_categories_from_age_rsa_and_criteria():
    assert rules.person_categories(24, False, {"QPV"}) == {"moins_26_ans", "qpv"}
    assert rules.person_categories(52, True, {"AAH"}) == {"rsa", "50_ans_et_plus", "handicap"}
    assert rules.person_categories(30, False, {"DELD"}) == {"deld"}


def test_the_schema_check_finds_bad_cells():
    header = ",".join(schema.COLUMNS)
    bad = ["2026", "CLAUSIER-LOT-1", "1234", "A", "", "o", "l", "L9999", "1 5", "2.00", "3"] + [""] * 6 + ["oui"]
    found = schema.problems(header + "\n" + ",".join(bad) + "\n")
    assert any("acheteur_siret" in p for p in found)
    assert any("fondement_juridique" in p for p in found)
    assert any("heures_exigees" in p for p in found)
    assert any(p.startswith("ligne 2 personnes : motif") for p in found)

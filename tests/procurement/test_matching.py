"""The scoring rules of the matching, without the database, on published examples of our own."""

from datetime import date
from decimal import Decimal

from procurement import cpv, matching
from procurement.matching import Followed, Published

BUYER = "22010001000019"  # Département de l'Ain (SIREN 220100010)
HOLDER = "44306184100047"

COLLEGE = Published(
    buyer_siret=BUYER,
    subject="Reconstruction du collège de Châtillon-sur-Chalaronne – lot 1 gros œuvre",
    amount=Decimal("1940000"),
    notification_date=date(2025, 9, 15),
    holder_sirets=frozenset({HOLDER}),
    decp_id="2025-017-01",
)


def followed(**changes):
    values = {
        "lot_id": 1,
        "contract_id": 10,
        "buyer_siret": BUYER,
        "title": "Reconstruction du collège de Châtillon-sur-Chalaronne Gros œuvre",
        "lot_amount": Decimal("2000000"),
        "contract_amount": Decimal("2000000"),
        "notification_date": date(2025, 9, 1),
        "holder_sirets": frozenset({HOLDER}),
        "reference": "CD01-2025-017",
        "label": "lot 1 « Gros œuvre » du marché CD01-2025-017",
        "contract_label": "marché CD01-2025-017",
    }
    values.update(changes)
    return Followed(**values)


def test_the_same_contract_scores_high_with_every_reason_in_french():
    result = matching.score(COLLEGE, followed())
    assert result.points == 30 + 25 + 15 + 10 + 15
    assert result.reasons == (
        "même acheteur",
        "même titulaire",
        "montant du lot proche (+3\u00a0%)",
        "notification à 14 jours",
        "objet semblable",
    )
    assert result.is_probable
    assert matching.propose([result]).text == ("Correspond probablement à lot 1 « Gros œuvre » du marché CD01-2025-017")


def test_another_buyer_and_holder_with_a_far_amount_is_a_new_contract():
    other = followed(
        buyer_siret="21010053600018",
        holder_sirets=frozenset({"51234567800011"}),
        lot_amount=Decimal("50000"),
        contract_amount=Decimal("50000"),
        notification_date=date(2024, 1, 1),
        title="Nettoyage des vitres de la mairie",
    )
    result = matching.score(COLLEGE, other)
    assert result.points == 0 and result.reasons == ()
    proposal = matching.propose(matching.best_candidates(COLLEGE, [other]))
    assert proposal.text == "Nouveau marché à suivre" and proposal.best is None


def test_the_amount_is_close_within_ten_percent_only():
    assert (
        "montant du lot proche (−8\u00a0%)" in matching.score(COLLEGE, followed(lot_amount=Decimal("1784800"))).reasons
    )
    assert not any(
        "montant" in reason for reason in matching.score(COLLEGE, followed(lot_amount=Decimal("1700000"))).reasons
    )


def test_a_contract_of_several_lots_matches_on_its_total():
    result = matching.score(
        COLLEGE, followed(lot_amount=Decimal("600000"), contract_amount=Decimal("1940000"), lot_count=3)
    )
    assert "montant du marché proche (0\u00a0%)" in result.reasons
    assert result.level == "contract"
    assert result.target_label == "marché CD01-2025-017"


def test_another_establishment_of_the_same_buyer_counts_less():
    result = matching.score(COLLEGE, followed(buyer_siret="22010001000027"))
    assert "même acheteur (autre établissement)" in result.reasons
    assert result.points == matching.score(COLLEGE, followed()).points - 10


def test_a_holder_siret_of_13_digits_gets_its_leading_zero_back():
    published = Published(
        buyer_siret=BUYER, subject="x", amount=None, notification_date=None, holder_sirets=frozenset({"5512345600019"})
    )
    result = matching.score(published, followed(holder_sirets=frozenset({"05512345600019"})))
    assert "même titulaire" in result.reasons


def test_the_notification_date_must_be_within_sixty_days():
    assert "même date de notification" in matching.score(COLLEGE, followed(notification_date=date(2025, 9, 15))).reasons
    far = matching.score(COLLEGE, followed(notification_date=date(2025, 11, 15)))
    assert not any("notification" in reason for reason in far.reasons)
    started = matching.score(COLLEGE, followed(notification_date=None, start_date=date(2025, 10, 1)))
    assert "début d'exécution à 16 jours" in started.reasons


def test_the_buyer_reference_typed_as_the_contract_reference_counts():
    result = matching.score(COLLEGE, followed(reference="2025 017 01"))
    assert "même référence" in result.reasons


def test_object_similarity_ignores_accents_case_and_tender_words():
    assert matching.object_similarity("Travaux de NETTOYAGE des collèges", "nettoyage colleges") == 1.0
    assert matching.object_similarity("Entretien des espaces verts", "Fourniture de repas") < matching.CLOSE_OBJECT
    assert matching.object_similarity("", "Entretien") == 0.0


def test_best_candidates_are_sorted_and_cut():
    candidates = [followed(lot_id=n, holder_sirets=frozenset(), title="Autre chose") for n in range(5)]
    candidates.append(followed(lot_id=99))
    best = matching.best_candidates(COLLEGE, candidates, limit=3)
    assert [item.followed.lot_id for item in best] == [99, 0, 1]


def test_cpv_codes_give_the_trades_of_the_reference_data():
    from clauses.reference import DEFAULT_TRADES

    names = {name for name, _sector, _share in DEFAULT_TRADES}
    assert set(cpv.TRADE_BY_PREFIX.values()) <= names
    assert cpv.trade_name_for("45210000-2") == "Gros œuvre, maçonnerie"
    assert cpv.trade_name_for("45262500") == "Gros œuvre, maçonnerie"
    assert cpv.trade_name_for("45223210-1") == "Charpente métallique"
    assert cpv.trade_name_for("45442100-8") == "Peinture intérieure"
    assert cpv.trade_name_for("45233140-2") == "Voirie et réseaux divers (VRD)"
    assert cpv.trade_name_for("90910000-9") == "Nettoyage des locaux"
    assert cpv.trade_name_for("77310000-6") == "Entretien des espaces verts"
    assert cpv.trade_name_for("55523100-3") == "Restauration collective"
    assert cpv.trade_name_for("72000000-5") is None
    assert cpv.trade_name_for("") is None


def test_cpv_sectors_without_a_trade():
    assert cpv.sector_for("45000000-7") == "building"
    assert cpv.sector_for("45112000") == "public_works"
    assert cpv.sector_for("72000000-5") == "services"
    assert cpv.sector_for("90910000", trade_sector="cleaning") == "cleaning"


def test_a_buyer_known_by_its_siren_only_is_the_same_buyer():
    assert "même acheteur" in matching.score(COLLEGE, followed(buyer_siret="220100010")).reasons


def test_a_lot_of_another_buyer_and_holder_is_no_candidate_even_with_the_same_amount():
    stranger = followed(buyer_siret="21010053600018", holder_sirets=frozenset(), title="Autre")
    assert matching.score(COLLEGE, stranger).points > 0
    assert matching.best_candidates(COLLEGE, [stranger]) == []

"""A declaration's page: its lines and their states, the history of versions, proofs, and the
review of one line or several (``declaration_review``)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clauses.models import Lot
from placements.models import DeclarationLine, MonthlyDeclaration
from tests.placements.factories import PlacementFactory, declared_month
from tests.portal.test_validation_support import (
    MARCH,
    add_proof,
    build_world,
    detail_url,
    person,
    refreshed,
    review_url,
    text_of,
)

DETAIL_QUERIES = 7


@pytest.fixture
def world(db, users_by_role):
    return build_world(users_by_role)


def progress_done(lot):
    return Lot.objects.with_progress_data().get(pk=lot.pk).progress().done


def correct(line, hours, reviewer, comment, status="pending", by=None):
    """What a refusal then a correction leave: the old version refused and kept, a new one current."""
    DeclarationLine.objects.filter(pk=line.pk).update(
        is_current=False,
        status="rejected",
        review_comment=comment,
        reviewed_by=reviewer,
        reviewed_at=timezone.now() - timedelta(days=3),
    )
    return DeclarationLine.objects.create(
        declaration=line.declaration,
        placement=line.placement,
        version=line.version + 1,
        hours=Decimal(hours),
        status=status,
        created_by=by,
    )


# The page -----------------------------------------------------------------------------------


def test_lines_of_the_month_with_their_state_and_links(client, world, facilitator):
    client.force_login(facilitator)
    response = client.get(detail_url(world["march"]))
    assert response.status_code == 200
    assert [line.placement.participant.last_name for line in response.context["lines"]] == ["Benali", "Haddad"]
    page = text_of(response)
    assert "Heures de mars 2026 — Bâtiments de l'Ain" in page
    assert page.count("À valider</span>") == 2
    for placement in (world["placements"]["samira"], world["placements"]["karim"]):
        assert reverse("placements:placement_detail", args=[placement.pk]) in page
    assert "Au-delà du repère" in page  # Karim: 200 h for 150 h expected
    assert "320 h déclarées, dont 0 h validées" in page
    assert "Valider la sélection" in page and "Refuser la sélection" in page
    assert 'form="bulk-review"' in page and 'id="bulk-review"' in page
    assert "<script" not in page.split("<main")[1] and 'style="' not in page


def test_proofs_are_listed_with_their_download_link(client, world, facilitator):
    second = add_proof(world["march"], "releve-agence.pdf")
    client.force_login(facilitator)
    page = text_of(client.get(detail_url(world["march"])))
    for proof in world["march"].proofs.all():
        assert reverse("placements:proof_download", args=[proof.pk]) in page
        assert proof.original_name in page
    assert second.original_name in page and "47,1\xa0Kio" in page
    assert "Aucun justificatif n'est joint" not in page
    no_proof = text_of(client.get(detail_url(world["april_cleaning"])))
    assert "Aucun justificatif n'est joint" in no_proof


def test_history_shows_every_version_with_who_when_and_the_comments(client, world, facilitator, employer):
    old = world["lines"]["samira"]
    DeclarationLine.objects.filter(pk=old.pk).update(created_by=employer)
    new = correct(old, "100", facilitator, "Les bulletins montrent 100 h.", by=employer)
    client.force_login(facilitator)
    response = client.get(detail_url(world["march"]))
    samira = next(line for line in response.context["lines"] if line.placement.participant.last_name == "Haddad")
    assert samira.pk == new.pk and [line.pk for line in samira.older_versions] == [old.pk]
    page = " ".join(text_of(response).split())
    assert "Historique des versions" in page
    assert "Versions des heures de Samira Haddad" in page
    assert "120 h" in page and "100 h" in page
    assert "Les bulletins montrent 100 h." in page
    assert f"par {facilitator}" in page and f"par {employer}" in page
    assert "en vigueur" in page and "Refusée" in page
    assert "version 2" in page


def test_no_history_without_corrections(client, world, facilitator):
    client.force_login(facilitator)
    response = client.get(detail_url(world["march"]))
    assert not response.context["has_history"]
    assert "Aucune correction" in text_of(response)


def test_lines_of_people_another_body_follows_are_not_shown(client, world, facilitator):
    stranger = PlacementFactory(
        participant=person("Marc", "Inconnu", facilitation_body=world["other_body"]),
        lot=world["other_lot"],
        employer=world["company"],
    )
    declared_month(stranger, "50", MARCH)
    client.force_login(facilitator)
    response = client.get(detail_url(world["march"]))
    assert [line.placement.participant.last_name for line in response.context["lines"]] == ["Benali", "Haddad"]
    page = text_of(response)
    assert "Inconnu" not in page
    assert "Une autre ligne de cette déclaration concerne une personne suivie par une autre structure" in page


# Review of one line or several --------------------------------------------------------------


def test_validating_one_line_counts_its_hours_for_the_lot(client, world, facilitator):
    samira = world["lines"]["samira"]
    assert progress_done(world["lot"]) == 0
    client.force_login(facilitator)
    response = client.post(review_url(world["march"]), {"lines": [samira.pk], "decision": "validated"})
    assert response.status_code == 302 and response.url == detail_url(world["march"])
    samira = refreshed(samira)
    assert samira.status == "validated" and samira.reviewed_by == facilitator
    assert progress_done(world["lot"]) == Decimal("120")
    assert refreshed(world["lines"]["karim"]).status == "pending"
    assert refreshed(world["march"]).status == MonthlyDeclaration.Status.SUBMITTED
    page = text_of(client.get(response.url))
    assert "Les heures de Samira Haddad (mars 2026, 120 h) sont validées." in page


def test_validating_the_whole_declaration(client, world, facilitator):
    lines = [world["lines"]["samira"].pk, world["lines"]["karim"].pk]
    client.force_login(facilitator)
    response = client.post(review_url(world["march"]), {"lines": lines, "decision": "validated"})
    assert response.status_code == 302
    assert refreshed(world["march"]).status == MonthlyDeclaration.Status.VALIDATED
    assert progress_done(world["lot"]) == Decimal("320")
    page = text_of(client.get(response.url))
    assert "Aucune ligne n'attend de validation dans cette déclaration." in page


def test_refusing_one_line_needs_a_comment(client, world, facilitator):
    karim = world["lines"]["karim"]
    client.force_login(facilitator)
    response = client.post(review_url(world["march"]), {"lines": [karim.pk], "decision": "rejected"})
    assert response.status_code == 200
    page = text_of(response)
    assert "Rien n'est enregistré" in page
    assert "Dites à l'employeur pourquoi ces heures sont refusées : le commentaire est obligatoire." in page
    assert refreshed(karim).status == "pending"
    comment = "200 h dépassent le contrat de 35 h par semaine : joignez les bulletins."
    response = client.post(
        review_url(world["march"]), {"lines": [karim.pk], "decision": "rejected", "comment": comment}
    )
    assert response.status_code == 302
    karim = refreshed(karim)
    assert karim.status == "rejected" and karim.review_comment == comment
    assert refreshed(world["march"]).status == MonthlyDeclaration.Status.TO_CORRECT
    page = text_of(client.get(response.url))
    assert "sont refusées ; l'employeur verra votre commentaire pour les corriger." in page
    assert f"« {comment} »" in page


def test_lines_of_another_declaration_are_ignored(client, world, facilitator):
    samira, lucie = world["lines"]["samira"], world["lines"]["lucie"]
    client.force_login(facilitator)
    response = client.post(review_url(world["march"]), {"lines": [lucie.pk], "decision": "validated"})
    assert response.status_code == 200
    assert "Cochez au moins une ligne d'heures à valider ou à refuser." in text_of(response)
    response = client.post(review_url(world["march"]), {"lines": [lucie.pk, samira.pk], "decision": "validated"})
    assert response.status_code == 302
    assert refreshed(lucie).status == "pending" and refreshed(samira).status == "validated"


def test_a_validated_line_cannot_be_reviewed_again(client, world, facilitator):
    samira = world["lines"]["samira"]
    client.force_login(facilitator)
    client.post(review_url(world["march"]), {"lines": [samira.pk], "decision": "validated"})
    reviewed_at = refreshed(samira).reviewed_at
    response = client.post(
        review_url(world["march"]), {"lines": [samira.pk], "decision": "rejected", "comment": "Finalement non"}
    )
    assert response.status_code == 200
    assert (
        "Les heures de Samira Haddad (mars 2026) sont déjà validées : elles ne peuvent plus être examinées."
        in text_of(response)
    )
    samira = refreshed(samira)
    assert samira.status == "validated" and samira.reviewed_at == reviewed_at and samira.review_comment == ""
    assert progress_done(world["lot"]) == Decimal("120")


def test_an_old_version_cannot_be_reviewed(client, world, facilitator):
    old = world["lines"]["samira"]
    new = correct(old, "110", facilitator, "Trop d'heures")
    client.force_login(facilitator)
    response = client.post(review_url(world["march"]), {"lines": [old.pk], "decision": "validated"})
    assert "ont été remplacées par une version plus récente" in text_of(response)
    assert refreshed(old).status == "rejected" and refreshed(new).status == "pending"


def test_a_refused_line_waits_for_the_employer(client, world, facilitator):
    karim = world["lines"]["karim"]
    DeclarationLine.objects.filter(pk=karim.pk).update(status="rejected", review_comment="Trop")
    client.force_login(facilitator)
    response = client.post(review_url(world["march"]), {"lines": [karim.pk], "decision": "validated"})
    assert "sont déjà refusées : l'employeur doit d'abord les corriger." in text_of(response)
    assert refreshed(karim).status == "rejected"


def test_an_unknown_decision_is_explained(client, world, facilitator):
    client.force_login(facilitator)
    response = client.post(review_url(world["march"]), {"lines": [world["lines"]["samira"].pk], "decision": "maybe"})
    assert response.status_code == 200
    assert "Choisissez de valider ou de refuser." in text_of(response)
    assert refreshed(world["lines"]["samira"]).status == "pending"


def test_review_is_post_only(client, world, facilitator):
    client.force_login(facilitator)
    assert client.get(review_url(world["march"])).status_code == 405


# Query count --------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 8])
def test_detail_query_count_does_not_grow(client, world, facilitator, django_assert_num_queries, extra):
    for index in range(extra):
        placement = PlacementFactory(
            participant=person("Personne", f"Nom {index}"), lot=world["lot"], employer=world["company"]
        )
        correct(declared_month(placement, "35", MARCH), "30", facilitator, "Corrigez", by=facilitator)
        add_proof(world["march"], f"bulletin-{index}.pdf")
    client.force_login(facilitator)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(detail_url(world["march"]))
    assert len(response.context["lines"]) == 2 + extra
    assert len(response.context["proofs"]) == 1 + extra


def test_line_identifiers_are_not_localized_for_large_numbers(client, world, facilitator):
    """With thousands of lines, ids and values must stay « 12345 », not « 12 345 »."""
    line = world["lines"]["samira"]
    DeclarationLine.objects.filter(pk=line.pk).update(id=12_345)
    client.force_login(facilitator)
    page = client.get(detail_url(world["march"])).content.decode()
    assert 'id="refusal-12345"' in page and 'value="12345"' in page
    assert "12\xa0345" not in page and "12&nbsp;345" not in page

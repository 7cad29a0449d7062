"""The facilitator's queue of declared hours: what waits, filters, hints, bulk decisions, counts."""

import re
from decimal import Decimal

import pytest

from clauses.models import Lot
from partners.models import Sector
from partners.roles import Role
from placements.declaration_rules import previous_month
from placements.models import DeclarationLine, MonthlyDeclaration
from tests.partners.factories import OrganisationFactory
from tests.placements.factories import PlacementFactory, declared_month
from tests.placements.test_placements_support import days
from tests.portal.test_validation_support import (
    APRIL,
    MARCH,
    QUEUE,
    build_world,
    person,
    queued_names,
    refreshed,
    text_of,
)

QUEUE_QUERIES = 16


@pytest.fixture
def world(db, users_by_role):
    return build_world(users_by_role)


def progress_done(lot):
    return Lot.objects.with_progress_data().get(pk=lot.pk).progress().done


# What waits ---------------------------------------------------------------------------------


def test_pending_lines_grouped_by_declaration_oldest_month_first(client, world, facilitator):
    client.force_login(facilitator)
    response = client.get(QUEUE)
    assert response.status_code == 200
    # March of the building company (Benali, Haddad by name), then April of the cleaning company;
    # not the draft, not the validated line, not Marc (another body follows him).
    assert queued_names(response) == [["Benali", "Haddad"], ["Morin"]]
    assert response.context["line_count"] == 3
    page = text_of(response)
    assert "Bâtiments de l'Ain — Mars 2026" in page
    assert "Propreté Bugey — Avril 2026" in page
    assert "Lefort" not in page
    assert '<h1 class="h2 mb-3">Heures à valider</h1>' in page


def test_administrators_see_every_body(client, world, administrator):
    client.force_login(administrator)
    names = queued_names(client.get(QUEUE))
    assert names == [["Benali", "Haddad"], ["Morin"], ["Lefort"]]


def test_a_corrected_line_waits_in_its_new_version_only(client, world, facilitator):
    old = world["lines"]["samira"]
    DeclarationLine.objects.filter(pk=old.pk).update(is_current=False, status="rejected", review_comment="Trop")
    new = DeclarationLine.objects.create(
        declaration=old.declaration, placement=old.placement, version=2, hours=Decimal("110"), status="pending"
    )
    client.force_login(facilitator)
    response = client.get(QUEUE)
    march = response.context["page"].object_list[0]
    assert [line.pk for line in march.queue_lines] == [world["lines"]["karim"].pk, new.pk]
    assert "Correction (version 2)" in text_of(response)


def test_plausibility_hint_flags_hours_above_weekly_hours_times_weeks(client, world, facilitator):
    """35 h a week from 2 March: 30 days of March, 150 h expected; a full April: 150 h."""
    client.force_login(facilitator)
    response = client.get(QUEUE)
    march, april = response.context["page"].object_list
    hints = {line.placement.participant.last_name: line.plausibility for line in march.queue_lines}
    assert hints["Benali"].expected == Decimal("150.0") and hints["Benali"].exceeded  # 200 h
    assert hints["Haddad"].expected == Decimal("150.0") and not hints["Haddad"].exceeded  # 120 h
    assert hints["Haddad"].weeks == Decimal("4.3")
    assert april.queue_lines[0].plausibility.expected == Decimal("150.0")
    page = text_of(response)
    assert page.count("Au-delà du repère") == 1
    assert "35 h × 4,3 sem." in page


def test_proof_count_and_warning_when_none(client, world, facilitator):
    client.force_login(facilitator)
    response = client.get(QUEUE)
    march, april = response.context["page"].object_list
    assert (march.proof_count, april.proof_count) == (1, 0)
    page = text_of(response)
    assert "1 justificatif</span>" in page
    assert page.count("Aucun justificatif") == 1


def test_checkboxes_have_labels_and_the_table_a_caption(client, world, facilitator):
    client.force_login(facilitator)
    page = text_of(client.get(QUEUE))
    line = world["lines"]["samira"]
    assert f'id="line-{line.pk}"' in page
    assert f'<label class="visually-hidden" for="line-{line.pk}">' in page
    assert "Sélectionner les 120 h de Samira Haddad (mars 2026)" in " ".join(page.split())
    assert "<caption" in page and 'scope="row"' in page
    assert "Valider la sélection" in page and "Refuser la sélection" in page
    assert "<script" not in page.split("<main")[1] and 'style="' not in page


def test_empty_queue_says_so(client, world, facilitator):
    DeclarationLine.objects.filter(status="pending").update(status="validated")
    client.force_login(facilitator)
    response = client.get(QUEUE)
    assert response.context["line_count"] == 0
    assert "Aucune heure n'attend votre validation." in text_of(response)


# Filters ------------------------------------------------------------------------------------


def test_filter_by_epci_of_the_operation(client, world, facilitator):
    client.force_login(facilitator)
    epci = world["lot_bugey"].contract.operation.commune.epci
    assert queued_names(client.get(QUEUE, {"territory": f"epci-{epci.pk}"})) == [["Morin"]]
    bourg = world["lot"].contract.operation.commune.epci
    assert queued_names(client.get(QUEUE, {"territory": f"epci-{bourg.pk}"})) == [["Benali", "Haddad"]]


def test_filter_by_departmental_sector_through_its_epcis_or_its_communes(client, world, facilitator):
    client.force_login(facilitator)
    bugey = Sector.objects.get(name="Bugey")
    bresse = Sector.objects.get(name="Bresse")
    assert queued_names(client.get(QUEUE, {"territory": f"sector-{bugey.pk}"})) == [["Morin"]]
    assert queued_names(client.get(QUEUE, {"territory": f"sector-{bresse.pk}"})) == [["Benali", "Haddad"]]
    # A commune added to a sector on its own counts for that sector.
    bugey.communes.add(world["lot"].contract.operation.commune)
    assert queued_names(client.get(QUEUE, {"territory": f"sector-{bugey.pk}"})) == [["Benali", "Haddad"], ["Morin"]]


def test_the_territories_offered_are_those_of_the_lots_waiting(client, world, facilitator):
    from partners.models import Commune, Epci

    elsewhere = Epci.objects.create(
        siren="200099999",
        name="CC d'ailleurs",
        kind=Epci.Kind.CC,
        communes_in_ain=1,
        communes_total=1,
        departments="01",
        population=900,
    )
    Commune.objects.create(
        insee_code="01999", name="Ailleurs", siren="210199999", postal_codes="01999", population=900, epci=elsewhere
    )
    Sector.objects.create(name="Secteur sans lot")
    client.force_login(facilitator)
    choices = dict(client.get(QUEUE).context["form"].fields["territory"].choices)
    epcis = {world[name].contract.operation.commune.epci.name for name in ("lot", "lot_bugey")}
    assert {label for _value, label in choices["EPCI"]} == epcis
    assert {label for _value, label in choices["Secteurs départementaux"]} == {"Bresse", "Bugey"}
    # A sector that covers a waiting lot's commune on its own is offered too.
    Sector.objects.get(name="Secteur sans lot").communes.add(world["lot"].contract.operation.commune)
    choices = dict(client.get(QUEUE).context["form"].fields["territory"].choices)
    assert "Secteur sans lot" in {label for _value, label in choices["Secteurs départementaux"]}


def test_filter_by_employer_lot_and_month(client, world, facilitator):
    client.force_login(facilitator)
    assert queued_names(client.get(QUEUE, {"employer": world["cleaning"].pk})) == [["Morin"]]
    assert queued_names(client.get(QUEUE, {"lot": world["lot"].pk})) == [["Benali", "Haddad"]]
    assert queued_names(client.get(QUEUE, {"month": "2026-04"})) == [["Morin"]]
    response = client.get(QUEUE, {"month": "2026-03", "employer": world["company"].pk})
    assert queued_names(response) == [["Benali", "Haddad"]]
    assert response.context["line_count"] == 2
    assert "Effacer les filtres" in text_of(response)


def test_filter_choices_come_from_what_waits(client, world, facilitator):
    client.force_login(facilitator)
    form = client.get(QUEUE).context["form"]
    assert [label for value, label in form.fields["employer"].choices] == [
        "Tous les employeurs",
        "Bâtiments de l'Ain",
        "Propreté Bugey",
    ]
    assert [value for value, label in form.fields["month"].choices] == ["", "2026-04", "2026-03"]
    assert dict(form.fields["month"].choices)["2026-03"] == "Mars 2026"
    # Marc's lot (another body) is not offered.
    assert str(world["other_lot"].pk) not in dict(form.fields["lot"].choices)


def test_an_unknown_filter_value_is_reported_and_left_out(client, world, facilitator):
    client.force_login(facilitator)
    response = client.get(QUEUE, {"employer": world["gex"].pk, "month": "2026-03"})
    assert queued_names(response) == [["Benali", "Haddad"]]
    assert "Ce choix n'est plus proposé" in text_of(response)


# Bulk decisions -----------------------------------------------------------------------------


def test_bulk_validation_counts_the_hours_for_the_lot(client, world, facilitator):
    samira, karim = world["lines"]["samira"], world["lines"]["karim"]
    assert progress_done(world["lot"]) == 0
    client.force_login(facilitator)
    response = client.post(QUEUE + "?month=2026-03", {"lines": [samira.pk, karim.pk], "decision": "validated"})
    assert response.status_code == 302 and response.url == QUEUE + "?month=2026-03"
    for line in (samira, karim):
        line = refreshed(line)
        assert line.status == "validated" and line.reviewed_by == facilitator and line.reviewed_at
    assert progress_done(world["lot"]) == Decimal("320")
    assert refreshed(world["march"]).status == MonthlyDeclaration.Status.VALIDATED
    page = text_of(client.get(response.url))
    assert "2 lignes d'heures sont validées (320 h au total)." in page
    assert queued_names(client.get(QUEUE)) == [["Morin"]]


def test_bulk_refusal_needs_a_comment(client, world, facilitator):
    samira, lucie = world["lines"]["samira"], world["lines"]["lucie"]
    client.force_login(facilitator)
    response = client.post(QUEUE, {"lines": [samira.pk, lucie.pk], "decision": "rejected", "comment": "  "})
    assert response.status_code == 200
    assert "Dites à l'employeur pourquoi ces heures sont refusées" in text_of(response)
    assert refreshed(samira).status == refreshed(lucie).status == "pending"
    assert response.context["checked"] == {samira.pk, lucie.pk}  # still ticked
    assert re.search(rf'value="{samira.pk}"\s+id="line-{samira.pk}"\s+checked>', response.content.decode())
    assert "Les bulletins" not in text_of(response)


def test_bulk_refusal_with_a_comment(client, world, facilitator):
    samira, lucie = world["lines"]["samira"], world["lines"]["lucie"]
    client.force_login(facilitator)
    comment = "Les bulletins de paie ne montrent que 100 h."
    response = client.post(QUEUE, {"lines": [samira.pk, lucie.pk], "decision": "rejected", "comment": comment})
    assert response.status_code == 302
    for line in (samira, lucie):
        line = refreshed(line)
        assert line.status == "rejected" and line.review_comment == comment and line.reviewed_by == facilitator
    assert refreshed(world["march"]).status == MonthlyDeclaration.Status.TO_CORRECT
    assert progress_done(world["lot"]) == 0
    page = text_of(client.get(QUEUE))
    assert "2 lignes d'heures sont refusées ; l'employeur verra votre commentaire pour les corriger." in page


def test_nothing_ticked_or_no_decision_is_explained(client, world, facilitator):
    client.force_login(facilitator)
    response = client.post(QUEUE, {"decision": "validated"})
    assert response.status_code == 200
    assert "Cochez au moins une ligne d'heures à valider ou à refuser." in text_of(response)
    response = client.post(QUEUE, {"lines": [world["lines"]["samira"].pk], "decision": "approve"})
    assert "Choisissez de valider ou de refuser." in text_of(response)
    assert refreshed(world["lines"]["samira"]).status == "pending"


def test_lines_of_people_another_body_follows_are_ignored(client, world, facilitator):
    marc = world["lines"]["marc"]
    client.force_login(facilitator)
    response = client.post(QUEUE, {"lines": [marc.pk, "abc", "9" * 30], "decision": "validated"})
    assert response.status_code == 200
    assert "Cochez au moins une ligne" in text_of(response)
    assert refreshed(marc).status == "pending"
    response = client.post(QUEUE, {"lines": [marc.pk, world["lines"]["lucie"].pk], "decision": "validated"})
    assert response.status_code == 302
    assert refreshed(marc).status == "pending" and refreshed(world["lines"]["lucie"]).status == "validated"


def test_a_validated_line_cannot_be_reviewed_again(client, world, facilitator):
    validated, samira = world["lines"]["lucie_march_validated"], world["lines"]["samira"]
    client.force_login(facilitator)
    response = client.post(
        QUEUE, {"lines": [validated.pk, samira.pk], "decision": "rejected", "comment": "Erreur de ma part"}
    )
    assert response.status_code == 200
    assert (
        "Les heures de Lucie Morin (mars 2026) sont déjà validées : elles ne peuvent plus être examinées."
        in text_of(response)
    )
    assert refreshed(validated).status == "validated" and refreshed(validated).review_comment == ""
    assert refreshed(samira).status == "pending"  # all or nothing


def test_a_draft_is_not_reviewed(client, world, facilitator):
    draft = world["lines"]["samira_april_draft"]
    client.force_login(facilitator)
    response = client.post(QUEUE, {"lines": [draft.pk], "decision": "validated"})
    assert "Les heures de Samira Haddad (avril 2026) n'ont pas encore été transmises par l'employeur." in text_of(
        response
    )
    assert refreshed(draft).status == "draft"


# Counts -------------------------------------------------------------------------------------


def test_count_of_declarations_to_correct(client, world, facilitator):
    client.force_login(facilitator)
    assert client.get(QUEUE).context["to_correct_count"] == 0
    client.post(
        QUEUE, {"lines": [world["lines"]["karim"].pk], "decision": "rejected", "comment": "Plus que le contrat"}
    )
    response = client.get(QUEUE)
    assert response.context["to_correct_count"] == 1
    assert [declaration.pk for declaration in response.context["to_correct"]] == [world["march"].pk]
    assert "déclaration à corriger par l'employeur" in text_of(response)


def test_count_of_months_not_declared(client, world, facilitator):
    """Over the last complete months: a person with no hours sent (nothing, or a draft) makes the
    employer's month "not declared"; hours sent (even refused) do not."""
    last_month = previous_month(days(0))
    late = OrganisationFactory(kind="company", name="Entreprise en retard")
    drafting = OrganisationFactory(kind="company", name="Entreprise au brouillon")
    on_time = OrganisationFactory(kind="company", name="Entreprise à jour")
    start, end = previous_month(last_month), days(60)
    for employer, state in ((late, None), (drafting, "draft"), (on_time, "rejected")):
        for index in range(2):
            placement = PlacementFactory(
                participant=person("Personne", f"{employer.name} {index}"),
                lot=world["lot"],
                employer=employer,
                start_date=start,
                end_date=end,
            )
            if state:
                declared_month(placement, "100", last_month, status=state)
                declared_month(placement, "100", start, status="validated")
    client.force_login(facilitator)
    response = client.get(QUEUE)
    rows = {
        (month["month"], row["employer__name"]): row["people"]
        for month in response.context["missing"]
        for row in month["employers"]
    }
    assert rows[(last_month, "Entreprise en retard")] == 2
    assert rows[(start, "Entreprise en retard")] == 2
    assert rows[(last_month, "Entreprise au brouillon")] == 2
    assert (start, "Entreprise au brouillon") not in rows
    assert not any(name == "Entreprise à jour" for _, name in rows)
    assert response.context["missing_count"] == len(rows)
    assert [month["month"] for month in response.context["missing"]] == [
        last_month,
        start,
        previous_month(start),
    ]
    assert "Entreprise en retard</a> —" in text_of(response)


def test_months_not_declared_only_for_people_the_facilitator_follows(client, world, users_by_role):
    other_facilitator = world["users"]["other_facilitator"]
    start = previous_month(previous_month(days(0)))
    PlacementFactory(
        participant=person("Personne", "Suivie ailleurs"),
        lot=world["lot"],
        employer=OrganisationFactory(kind="company", name="Entreprise du Département"),
        start_date=start,
        end_date=days(30),
    )
    client.force_login(other_facilitator)
    names = {row["employer__name"] for month in client.get(QUEUE).context["missing"] for row in month["employers"]}
    assert "Entreprise du Département" not in names
    client.force_login(users_by_role[Role.FACILITATOR])
    names = {row["employer__name"] for month in client.get(QUEUE).context["missing"] for row in month["employers"]}
    assert "Entreprise du Département" in names


# Query count --------------------------------------------------------------------------------


def _more_declarations(world, count):
    for index in range(count):
        employer = OrganisationFactory(kind="company", name=f"Entreprise {index:02d}")
        for month in (MARCH, APRIL):
            for rank in range(2):
                placement = PlacementFactory(
                    participant=person("Personne", f"Nom {index}-{rank}"), lot=world["lot"], employer=employer
                )
                declared_month(placement, "35", month)


@pytest.mark.parametrize("extra", [0, 6])
def test_queue_query_count_does_not_grow(client, world, facilitator, django_assert_num_queries, extra):
    _more_declarations(world, extra)
    bresse = Sector.objects.get(name="Bresse")
    client.force_login(facilitator)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(QUEUE)
    assert len(response.context["page"].object_list) == 2 + 2 * extra
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(QUEUE, {"month": "2026-03", "territory": f"sector-{bresse.pk}"})
    assert response.status_code == 200


def test_queue_is_paginated_by_declaration(client, world, facilitator):
    _more_declarations(world, 10)
    client.force_login(facilitator)
    first = client.get(QUEUE)
    assert len(first.context["page"].object_list) == 20
    second = client.get(QUEUE, {"page": 2})
    assert len(second.context["page"].object_list) == 2
    assert first.context["line_count"] == 3 + 40
    months = [declaration.month for declaration in first.context["page"].object_list]
    assert months == sorted(months) and months[0] == MARCH

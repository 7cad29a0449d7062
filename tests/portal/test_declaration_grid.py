"""The monthly hours grid of the employer's portal: save, transmit, errors, versions, lock, access."""

import html
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from partners.roles import Role
from placements.models import DeclarationLine, DeclarationProof, MonthlyDeclaration
from tests.clauses.factories import ClauseFactory
from tests.partners.factories import user_with_role
from tests.placements.factories import PlacementFactory, declared_month, eligible_participant

MARCH = date(2026, 3, 1)
TODAY = date(2026, 9, 15)


def grid_url(month=MARCH, **query):
    url = reverse("placements:declaration_grid", args=[month.year, month.month])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("portal.declaration_views.today", lambda: TODAY)


@pytest.fixture
def company(employer):
    return employer.memberships.get().organisation


@pytest.fixture
def lot(db):
    return ClauseFactory(lot__title="Gros œuvre du collège").lot


@pytest.fixture
def alice(company, lot):
    return PlacementFactory(
        employer=company, lot=lot, participant=eligible_participant(first_name="Alice", last_name="Martin")
    )


@pytest.fixture
def bruno(company, lot):
    return PlacementFactory(
        employer=company,
        lot=lot,
        participant=eligible_participant(first_name="Bruno", last_name="Petit"),
        contract_type="temporary",
        start_date=date(2026, 3, 16),
        end_date=None,
    )


def post_grid(client, hours, revision=0, action="save", url=None):
    data = {"revision": str(revision), "action": action}
    data.update({f"hours_{placement.pk}": value for placement, value in hours.items()})
    return client.post(url or grid_url(), data)


def declaration_of(company, month=MARCH):
    return MonthlyDeclaration.objects.get(employer=company, month=month)


def add_proof(declaration, user=None):
    return DeclarationProof.objects.create(
        declaration=declaration,
        file="proofs/test.pdf",
        original_name="bulletins-mars.pdf",
        content_type="application/pdf",
        size=1200,
        uploaded_by=user,
    )


# The page ----------------------------------------------------------------------------------


def test_grid_shows_each_person_with_a_labelled_decimal_input_and_no_eligibility(client, employer, alice, bruno):
    client.force_login(employer)
    response = client.get(grid_url())
    assert response.status_code == 200
    page = text(response)
    assert "Heures de mars 2026" in page
    assert "/portail/declarations/2026-3/import/" in page
    assert "Lot " + alice.lot.number + " — Gros œuvre du collège" in page
    assert "Alice Martin" in page and "Bruno Petit" in page
    assert "du 02/03/2026" in page and "au 31/08/2026" in page
    assert "Intérim" in page and "(fin non connue)" in page
    assert f'name="hours_{alice.pk}"' in page and 'inputmode="decimal"' in page
    assert (
        f'<label class="visually-hidden" for="id_hours_{alice.pk}">Heures de Alice Martin en mars 2026</label>' in page
    )
    assert "<caption" in page and 'scope="row"' in page
    for sensitive in ("RSA", "Bénéficiaire", "QPV", "handicap", "critère"):
        assert sensitive not in page
    assert response.context["form"]["revision"].value() == 0


def test_month_navigation(client, employer, alice):
    client.force_login(employer)
    page = text(client.get(grid_url()))
    assert grid_url(date(2026, 2, 1)).replace("-2/", "-02/") in page
    assert grid_url(date(2026, 4, 1)).replace("-4/", "-04/") in page
    current = text(client.get(grid_url(date(2026, 9, 1))))
    assert "Août 2026" in current
    assert "Octobre 2026" not in current  # no link to a month that has not started


def test_a_future_month_is_refused_in_french(client, employer, alice):
    client.force_login(employer)
    response = client.get(grid_url(date(2026, 10, 1)))
    assert response.status_code == 404
    assert "ce mois n'a pas commencé" in text(response)
    assert client.post(grid_url(date(2026, 10, 1)), {"revision": "0"}).status_code == 404
    assert client.get(reverse("placements:declaration_grid", args=[2026, 13])).status_code == 404
    assert not MonthlyDeclaration.objects.exists()


def test_before_the_first_placement_there_is_nothing_to_declare(client, employer, alice):
    client.force_login(employer)
    response = client.get(grid_url(date(2026, 1, 1)))
    page = text(response)
    assert response.status_code == 200
    assert "Rien à déclarer pour janvier 2026" in page
    assert "ont commencé en mars 2026" in page
    assert 'name="hours_' not in page
    assert not MonthlyDeclaration.objects.filter(month=date(2026, 1, 1)).exists()


# Saving and transmitting -------------------------------------------------------------------


def test_save_a_draft_with_a_french_decimal(client, employer, company, alice, bruno):
    client.force_login(employer)
    response = post_grid(client, {alice: "35,5", bruno: ""})
    assert response.status_code == 302
    line = DeclarationLine.objects.get()
    assert (line.placement, line.hours, line.status, line.created_by) == (alice, D("35.5"), "draft", employer)
    declaration = declaration_of(company)
    assert declaration.status == "draft" and declaration.revision == 1
    page = text(client.get(response.url))
    assert "Le brouillon de mars 2026 est enregistré" in page
    assert 'value="35,5"' in page
    assert "Brouillon, pas encore transmise" in page


def test_transmit_without_proof_keeps_a_draft_and_asks_for_one(client, employer, company, alice):
    client.force_login(employer)
    response = post_grid(client, {alice: "140"}, action="submit")
    assert response.status_code == 302 and response.url.endswith("#justificatifs")
    assert DeclarationLine.objects.get().status == "draft"
    declaration = declaration_of(company)
    assert declaration.status == "draft" and declaration.submitted_at is None
    page = text(client.get(response.url))
    assert "enregistrées en brouillon, mais pas transmises" in page
    assert "Joignez au moins un justificatif" in page


def test_transmit_with_a_proof(client, employer, company, alice, bruno):
    client.force_login(employer)
    client.get(grid_url())  # the page opens the month's declaration, to which the proof is attached
    add_proof(declaration_of(company), employer)
    response = post_grid(client, {alice: "140", bruno: "70,25"}, action="submit")
    assert response.status_code == 302
    assert set(DeclarationLine.objects.values_list("status", flat=True)) == {"pending"}
    declaration = declaration_of(company)
    assert declaration.status == "submitted" and declaration.submitted_by == employer
    page = text(client.get(response.url))
    assert "sont transmises au facilitateur" in page
    assert "Transmise, en attente de validation" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-2", "Les heures ne peuvent pas être négatives."),
        ("209", "Plus de 208 h dans un mois dépasse la durée maximale légale du travail."),
        ("abc", "« abc » n'est pas un nombre d'heures."),
        ("35,555", "Indiquez les heures au centième près au plus"),
    ],
)
def test_errors_next_to_the_input_keep_every_typed_value_and_save_nothing(
    client, employer, company, alice, bruno, typed, message
):
    client.force_login(employer)
    response = post_grid(client, {alice: "35,5", bruno: typed}, action="submit")
    assert response.status_code == 200
    page = text(response)
    assert message in page
    error = page.split(f'id="id_hours_{bruno.pk}-error">')[1].split("</div>")[0]
    assert message in error  # next to Bruno's input
    assert f'aria-describedby="id_hours_{bruno.pk}-error"' in page
    assert 'value="35,5"' in page and f'value="{typed}"' in page
    assert response.context["form"][f"hours_{bruno.pk}"].value() == typed
    assert response.context["form"][f"hours_{alice.pk}"].value() == "35,5"
    assert "Le formulaire n'est pas enregistré" in page
    assert not DeclarationLine.objects.exists()
    assert MonthlyDeclaration.objects.get(employer=company, month=MARCH).revision == 0


def test_hours_outside_the_placements_months_are_refused(client, employer, company, lot, alice):
    ended = PlacementFactory(
        employer=company,
        lot=lot,
        participant=eligible_participant(first_name="Chloé", last_name="Roux"),
        start_date=date(2026, 1, 5),
        end_date=date(2026, 2, 20),
    )
    client.force_login(employer)
    assert f"hours_{ended.pk}" not in text(client.get(grid_url()))  # not in March's grid
    # Typed anyway (the placement was shortened while the page was open): refused, with the reason.
    response = post_grid(client, {alice: "35", ended: "12"})
    assert response.status_code == 200
    page = text(response)
    assert "Chloé Roux : La mise à l'emploi ne couvre pas mars 2026 (du 05/01/2026 au 20/02/2026)." in page
    assert response.context["form"][f"hours_{alice.pk}"].value() == "35"
    assert not DeclarationLine.objects.exists()


def test_a_rejected_line_corrected_becomes_a_new_version_and_the_old_one_is_kept(
    client, employer, company, facilitator, alice
):
    rejected = declared_month(alice, "40", status="rejected")
    rejected.review_comment = "Le bulletin de paie indique 38 h."
    rejected.reviewed_by = facilitator
    rejected.save()
    client.force_login(employer)
    response = client.get(grid_url())
    page = text(response)
    assert "Refusée : à corriger" in page
    assert "Commentaire du facilitateur : « Le bulletin de paie indique 38 h. »" in page
    assert response.context["form"][f"hours_{alice.pk}"].value() == ""  # the person types the corrected hours
    revision = declaration_of(company).revision
    assert post_grid(client, {alice: "38"}, revision=revision).status_code == 302
    old, new = DeclarationLine.objects.order_by("version")
    assert (old.version, old.is_current, old.status, old.hours) == (1, False, "rejected", D("40"))
    assert (new.version, new.is_current, new.status, new.hours) == (2, True, "draft", D("38"))
    page = text(client.get(grid_url()))
    assert "Versions précédentes (1)" in page
    assert "Version 1 : 40 h — refusée" in page
    assert f"par {facilitator}" in page


def test_a_validated_month_is_locked_until_corrected(client, employer, company, alice):
    declared_month(alice, "140", status="validated")
    declaration = declaration_of(company)
    assert declaration.status == "validated"
    client.force_login(employer)
    page = text(client.get(grid_url()))
    assert f'name="hours_{alice.pk}"' not in page
    assert f'id="locked-{alice.pk}"' in page and "readonly" in page
    assert "Corriger une ligne" in page and "corriger=1" in page
    assert "Transmettre au facilitateur" not in page
    # A post on the locked grid changes nothing.
    response = post_grid(client, {alice: "120"}, revision=declaration.revision)
    assert response.status_code == 302
    assert DeclarationLine.objects.get().hours == D("140")
    assert declaration_of(company).revision == declaration.revision
    assert "rien n'a été modifié" in text(client.get(response.url))
    # Corrected through ?corriger=1: a new version, the validated one kept.
    correcting = grid_url(corriger=1)
    page = text(client.get(correcting))
    assert f'name="hours_{alice.pk}"' in page and "Annuler la correction" in page
    revision = declaration_of(company).revision
    assert post_grid(client, {alice: "120"}, revision=revision, url=correcting).status_code == 302
    old, new = DeclarationLine.objects.order_by("version")
    assert (old.is_current, old.status, old.hours) == (False, "validated", D("140"))
    assert (new.version, new.is_current, new.status, new.hours) == (2, True, "draft", D("120"))
    assert declaration_of(company).status == "draft"


def test_a_stale_revision_is_refused_with_the_message_and_nothing_saved(client, employer, company, alice, bruno):
    client.force_login(employer)
    client.get(grid_url())
    assert post_grid(client, {alice: "35"}, revision=0).status_code == 302
    response = post_grid(client, {alice: "70", bruno: "12"}, revision=0)
    assert response.status_code == 200
    page = text(response)
    assert "Quelqu'un a enregistré cette déclaration pendant que vous la modifiiez." in page
    assert "Recharger la déclaration" in page
    assert response.context["form"][f"hours_{alice.pk}"].value() == "70"
    assert response.context["form"][f"hours_{bruno.pk}"].value() == "12"
    line = DeclarationLine.objects.get()
    assert (line.placement, line.hours) == (alice, D("35"))
    assert declaration_of(company).revision == 1


def test_hours_outside_the_counting_window_are_kept_with_a_note(client, employer, company, lot):
    participant = eligible_participant(first_name="Denis", last_name="Morel")
    PlacementFactory(participant=participant, start_date=date(2023, 1, 2), end_date=date(2023, 6, 30))
    late = PlacementFactory(employer=company, lot=lot, participant=participant)
    client.force_login(employer)
    page = text(client.get(grid_url()))
    note = "Heures conservées mais non comptées : hors de la fenêtre de 24 mois commencée le 02/01/2023."
    assert " ".join(note.split()) in " ".join(page.split())
    assert post_grid(client, {late: "100"}).status_code == 302
    line = DeclarationLine.objects.get()
    assert line.hours == D("100") and line.counted is False


def test_empty_grid_is_not_saved(client, employer, company, alice):
    client.force_login(employer)
    response = post_grid(client, {alice: ""})
    assert response.status_code == 200
    assert "Saisissez les heures d'au moins une personne" in text(response)
    assert declaration_of(company).revision == 0


def test_a_missing_revision_asks_to_reload(client, employer, alice):
    client.force_login(employer)
    response = client.post(grid_url(), {f"hours_{alice.pk}": "35", "action": "save"})
    assert response.status_code == 200
    assert "rechargez-la" in text(response)
    assert not DeclarationLine.objects.exists()


# Access ------------------------------------------------------------------------------------


def test_another_employers_people_and_declaration_are_invisible(client, employer, company, alice):
    stranger = PlacementFactory(participant=eligible_participant(first_name="Eve", last_name="Secret"))
    declared_month(stranger, "50")
    other_declaration = MonthlyDeclaration.objects.get(employer=stranger.employer)
    proof = add_proof(other_declaration)
    client.force_login(employer)
    page = text(client.get(grid_url()))
    assert "Eve Secret" not in page and f"hours_{stranger.pk}" not in page
    response = post_grid(client, {alice: "35", stranger: "10"})
    assert response.status_code == 200
    assert "Cette personne ne travaille pas pour vous sur un lot ce mois-ci." in text(response)
    assert "Eve Secret" not in text(response)
    assert DeclarationLine.objects.filter(placement=stranger).count() == 1
    assert not DeclarationLine.objects.filter(placement=alice).exists()
    assert client.get(grid_url(employeur=stranger.employer.pk)).status_code == 404
    assert client.get(reverse("placements:proof_download", args=[proof.pk])).status_code == 404
    upload = reverse("placements:proof_upload", args=[other_declaration.pk])
    assert client.post(upload, {}).status_code == 404


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.DEPARTMENT_READER, Role.BUYER])
def test_other_roles_get_403(client, users_by_role, alice, role):
    client.force_login(users_by_role[role])
    assert client.get(grid_url()).status_code == 403
    assert client.post(grid_url(), {"revision": "0", f"hours_{alice.pk}": "35"}).status_code == 403
    assert not DeclarationLine.objects.exists()


def test_administrator_declares_for_a_chosen_employer(client, administrator, company, alice):
    client.force_login(administrator)
    response = client.get(grid_url())
    assert response.status_code == 302 and response.url == reverse("placements:portal_home")
    url = grid_url(employeur=company.pk)
    assert "Alice Martin" in text(client.get(url))
    assert post_grid(client, {alice: "20"}, url=url).status_code == 302
    assert DeclarationLine.objects.get().created_by == administrator


def test_an_employer_of_two_organisations_chooses_with_the_parameter(client, employer, company, alice):
    second = PlacementFactory(participant=eligible_participant(first_name="Farid", last_name="Benali"))
    user_with_role(Role.EMPLOYER, organisation=second.employer)
    from partners.models import Membership

    Membership.objects.create(user=employer, organisation=second.employer, role=Role.EMPLOYER)
    client.force_login(employer)
    page = text(client.get(grid_url(employeur=second.employer.pk)))
    assert "Farid Benali" in page and "Alice Martin" not in page


# Query count -------------------------------------------------------------------------------

GRID_QUERIES = 8


def test_grid_query_count_does_not_grow(client, employer, company, lot, facilitator, django_assert_num_queries):
    people = [PlacementFactory(employer=company, lot=lot) for _ in range(2)]
    for placement in people:
        declared_month(placement, "35", status="rejected", user=employer)
    client.force_login(employer)
    client.get(grid_url())
    with django_assert_num_queries(GRID_QUERIES):
        response = client.get(grid_url())
    assert len(response.context["grid"].rows) == 2
    other_lot = ClauseFactory().lot
    for index in range(10):
        placement = PlacementFactory(employer=company, lot=lot if index % 2 else other_lot)
        declared_month(placement, "35", status="rejected", user=employer)
    declaration = declaration_of(company)
    for line in DeclarationLine.objects.filter(declaration=declaration)[:4]:
        line.is_current = False
        line.save()
        DeclarationLine.objects.create(
            declaration=declaration, placement=line.placement, version=2, hours=30, created_by=employer
        )
    add_proof(declaration, employer)
    with django_assert_num_queries(GRID_QUERIES):
        response = client.get(grid_url())
    assert len(response.context["grid"].rows) == 12
    assert len(response.context["groups"]) == 2

"""The legal maximums are the person's, not a line's: 208 h in a month across all their lots and
employers (grid, file import, validation), and 48 h a week across placements running together
(Code du travail L3121-20)."""

import html
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse

from common.dates import month_label
from partners.models import Organisation
from placements import declaration_rules as rules
from placements.models import DeclarationLine, JobOffer, Placement
from portal.declaration_imports import import_hours, month_code
from tests.clauses.factories import ClauseFactory
from tests.clock import suite_today
from tests.partners.factories import OrganisationFactory
from tests.placements.factories import PlacementFactory, declared_month, eligible_participant
from tests.placements.test_placements import CREATE, form_data
from tests.placements.test_placements_support import build_world, days, place
from tests.portal.test_declaration_imports import csv_file, row

MONTH = rules.previous_month(suite_today())


def text(response):
    return html.unescape(response.content.decode())


def grid_url(month=MONTH):
    return reverse("placements:declaration_grid", args=[month.year, month.month])


def post_grid(client, hours, revision=0):
    data = {"revision": str(revision), "action": "save"}
    data.update({f"hours_{placement.pk}": value for placement, value in hours.items()})
    return client.post(grid_url(), data)


# The pure rules ----------------------------------------------------------------------------


def test_person_month_problem_adds_up_the_hours_declared_elsewhere():
    assert rules.person_month_problem(D(200), D(8), MONTH, D(208)) is None
    message = rules.person_month_problem(D(200), D(200), MONTH, D(208))
    assert message == (
        f"Avec les heures déjà déclarées pour cette personne en {month_label(MONTH)} sur un autre lot ou par "
        "un autre employeur (200 h), le total (400 h) dépasse 208 h, la durée maximale légale dans un mois."
    )
    alone = rules.person_month_problem(D("120.5"), D(0), MONTH, D(208))
    assert alone is None
    several_lots = rules.person_month_problem(D("220.5"), D(0), MONTH, D(208))
    assert "totalisent 220,5 h" in several_lots and "autre employeur" not in several_lots


def test_validation_problem_names_the_other_lots():
    assert rules.validation_problem("Ana B", D(100), [("lot 2 « École » chez Bâti", D(100))], MONTH) is None
    message = rules.validation_problem("Ana B", D(150), [("lot 2 « École » chez Bâti", D(100))], MONTH)
    assert "Ana B : 100 h sont déjà validées" in message and "lot 2 « École » chez Bâti : 100 h" in message
    assert "(250 h) dépasserait 208 h" in message


def test_weekly_problem_adds_up_only_the_placements_running_at_the_same_time():
    start = suite_today()
    assert "L3121-20" in rules.weekly_problem(D("48.5"), start, None, [])
    assert rules.weekly_problem(D(48), start, None, []) is None
    before = ("lot 1", start - timedelta(days=60), start - timedelta(days=1), D(35))
    assert rules.weekly_problem(D(35), start, None, [before]) is None
    later = ("lot 3 « Gymnase » chez Bâti", start + timedelta(days=30), None, D(20))
    message = rules.weekly_problem(D(35), start, start + timedelta(days=60), [before, later])
    assert "lot 3 « Gymnase » chez Bâti (20 h par semaine)" in message and "55 h par semaine" in message
    assert f"le {start + timedelta(days=30):%d/%m/%Y}" in message
    # A placement that ends before the other starts: never 55 h in the same week.
    assert rules.weekly_problem(D(35), start, start + timedelta(days=29), [later]) is None


# The grid ----------------------------------------------------------------------------------


@pytest.fixture
def company(employer):
    return employer.memberships.get().organisation


@pytest.fixture
def rival():
    return OrganisationFactory(kind=Organisation.Kind.COMPANY, name="Concurrents Réunis")


@pytest.fixture
def ana(db):
    return eligible_participant(first_name="Ana", last_name="Berger")


def placement_of(person, employer, **fields):
    fields.setdefault("start_date", MONTH)
    fields.setdefault("end_date", None)
    return PlacementFactory(participant=person, employer=employer, **fields)


def test_second_employer_is_refused_in_the_grid_without_seeing_the_first(client, employer, company, rival, ana):
    first = declared_month(placement_of(ana, rival), "200", MONTH)
    ours = placement_of(ana, company)
    client.force_login(employer)

    response = post_grid(client, {ours: "200"})

    assert response.status_code == 200
    errors = response.context["form"].errors[f"hours_{ours.pk}"]
    assert errors == [
        f"Avec les heures déjà déclarées pour cette personne en {month_label(MONTH)} sur un autre lot ou par "
        "un autre employeur (200 h), le total (400 h) dépasse 208 h, la durée maximale légale dans un mois."
    ]
    page = text(response)
    assert "Concurrents Réunis" not in page and first.placement.lot.contract.operation.title not in page
    assert not DeclarationLine.objects.filter(placement=ours).exists()
    assert post_grid(client, {ours: "8"}).status_code == 302  # 208 h in all: allowed
    assert DeclarationLine.objects.get(placement=ours).hours == 8


def test_a_rejected_line_of_the_other_employer_does_not_count(client, employer, company, rival, ana):
    declared_month(placement_of(ana, rival), "200", MONTH, status="rejected")
    ours = placement_of(ana, company)
    client.force_login(employer)

    assert post_grid(client, {ours: "200"}).status_code == 302
    assert DeclarationLine.objects.get(placement=ours).hours == 200


def test_two_placements_of_the_same_employer_add_up_in_the_grid(client, employer, company, ana):
    first, second = placement_of(ana, company), placement_of(ana, company)
    client.force_login(employer)

    response = post_grid(client, {first: "120", second: "100"})

    errors = response.context["form"].errors
    assert "totalisent 220 h" in errors[f"hours_{first.pk}"][0]
    assert errors[f"hours_{first.pk}"] == errors[f"hours_{second.pk}"]
    assert not DeclarationLine.objects.exists()
    assert post_grid(client, {first: "108", second: "100"}).status_code == 302


def test_a_correction_replaces_the_person_s_own_line(client, employer, company, ana):
    """The line being corrected is not counted twice."""
    ours = placement_of(ana, company)
    declared_month(ours, "200", MONTH, status="rejected")
    client.force_login(employer)
    declaration = DeclarationLine.objects.get(placement=ours).declaration
    assert post_grid(client, {ours: "205"}, revision=declaration.revision).status_code == 302


# The file import ---------------------------------------------------------------------------


def test_second_employer_is_refused_in_the_import(employer, company, rival, ana):
    declared_month(placement_of(ana, rival), "200", MONTH)
    ours = placement_of(ana, company)
    other = placement_of(eligible_participant(first_name="Léo", last_name="Roux"), company)

    result = import_hours(
        csv_file([row(other, "-3", month=month_code(MONTH)), row(ours, "200", month=month_code(MONTH))]),
        company,
        MONTH,
        employer,
    )

    assert [(error.line, error.column) for error in result.errors] == [(2, "heures"), (3, "heures")]
    assert "(200 h), le total (400 h) dépasse 208 h" in result.errors[1].message
    assert "Concurrents" not in result.errors[1].message
    assert not DeclarationLine.objects.filter(declaration__employer=company).exists()


def test_two_placements_of_the_same_employer_add_up_in_the_import(employer, company, ana):
    first, second = placement_of(ana, company), placement_of(ana, company)

    result = import_hours(
        csv_file([row(first, "120", month=month_code(MONTH)), row(second, "100", month=month_code(MONTH))]),
        company,
        MONTH,
        employer,
    )

    assert [error.line for error in result.errors] == [2, 3]
    assert all("totalisent 220 h" in error.message for error in result.errors)


# The validation ----------------------------------------------------------------------------


def test_validation_that_would_exceed_the_maximum_is_refused_with_the_other_lot(client, facilitator, company, ana):
    rival = OrganisationFactory(kind=Organisation.Kind.COMPANY, name="Concurrents Réunis")
    lot = ClauseFactory(lot__number="4", lot__contract__operation__title="Gymnase de Belley").lot
    declared_month(placement_of(ana, rival, lot=lot), "100", MONTH, status="validated")
    line = declared_month(placement_of(ana, company), "150", MONTH)
    client.force_login(facilitator)

    response = client.post(
        reverse("placements:declaration_review", args=[line.declaration.pk]),
        {"lines": [line.pk], "decision": "validated"},
    )

    assert response.status_code == 200
    page = text(response)
    assert "100 h sont déjà validées" in page and "lot 4 « Gymnase de Belley » chez Concurrents Réunis" in page
    line.refresh_from_db()
    assert line.status == "pending"
    # Refusing stays possible, and once the other hours are corrected below the cap, validating too.
    DeclarationLine.objects.filter(declaration__employer=rival).update(hours=58)
    client.post(
        reverse("placements:declaration_review", args=[line.declaration.pk]),
        {"lines": [line.pk], "decision": "validated"},
    )
    line.refresh_from_db()
    assert line.status == "validated"


# 48 h a week -------------------------------------------------------------------------------


@pytest.fixture
def world(db, users_by_role):
    return build_world(users_by_role)


def test_weekly_hours_above_48_are_refused(client, facilitator, world):
    client.force_login(facilitator)
    response = client.post(CREATE, form_data(world, weekly_hours="48.5"))
    assert "Au plus 48 heures par semaine" in response.context["form"].errors["weekly_hours"][0]


def test_overlapping_placements_of_a_person_add_up_to_48(client, facilitator, world):
    person = eligible_participant(first_name="Kevin", last_name="Morel")
    other_lot = ClauseFactory(lot__number="7", lot__contract__operation__title="Voirie de Nantua").lot
    other_employer = OrganisationFactory(kind=Organisation.Kind.INCLUSION_STRUCTURE, name="ETTI du Bugey")
    place(person, other_lot, other_employer, days(-60), days(10), weekly_hours=D(20))
    client.force_login(facilitator)

    response = client.post(CREATE, form_data(world, participant=person.pk, weekly_hours="35"))

    assert response.status_code == 200
    error = response.context["form"].errors["weekly_hours"][0]
    assert "lot 7 « Voirie de Nantua » chez ETTI du Bugey" in error and "55 h par semaine" in error
    assert not Placement.objects.filter(participant=person, lot=world["lot"]).exists()
    assert client.post(CREATE, form_data(world, participant=person.pk, weekly_hours="28")).status_code == 302


def test_placements_that_do_not_overlap_are_accepted(client, facilitator, world):
    person = eligible_participant(first_name="Kevin", last_name="Morel")
    place(person, ClauseFactory().lot, world["company"], days(-200), days(-31), weekly_hours=D(35))
    client.force_login(facilitator)

    response = client.post(CREATE, form_data(world, participant=person.pk, weekly_hours="35"))

    assert response.status_code == 302
    assert Placement.objects.filter(participant=person).count() == 2


def test_editing_a_placement_does_not_count_it_twice(client, facilitator, world):
    placement = world["placement"]
    client.force_login(facilitator)
    data = form_data(
        world,
        participant=placement.participant_id,
        start_date=placement.start_date.isoformat(),
        end_date=placement.end_date.isoformat(),
        weekly_hours="40",
    )
    response = client.post(reverse("placements:placement_update", args=[placement.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    placement.refresh_from_db()
    assert placement.weekly_hours == 40


def test_job_offers_refuse_more_than_48_hours_a_week(world):
    from placements.offer_forms import JobOfferForm

    lot = world["lot"]  # awarded to the company
    form = JobOfferForm(
        {
            "employer": world["company"].pk,
            "position": "Maçon",
            "tasks": "Murs",
            "contract_type": "cdd",
            "positions": "1",
            "weekly_hours": "49",
            "start_date": suite_today().isoformat(),
            "place": lot.contract.operation.commune_id,
            "status": JobOffer.Status.OPEN,
        },
        lot=lot,
    )
    assert not form.is_valid()
    assert "Au plus 48 heures par semaine" in form.errors["weekly_hours"][0]
    assert "L3121-20" in form.fields["weekly_hours"].help_text

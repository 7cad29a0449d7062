"""The monthly reminder of hours not declared: one e-mail per late employer, one per facilitator."""

from datetime import date

import pytest
from django.core import mail
from django.urls import resolve, reverse

from partners.models import Membership, Organisation
from partners.roles import Role
from placements.models import DeclarationLine
from portal.declaration_tasks import remind_missing_declarations, undeclared_placements
from tests.clauses.factories import ClauseFactory
from tests.partners.factories import MembershipFactory, OrganisationFactory, user_with_role
from tests.placements.factories import PlacementFactory, declared_month, eligible_participant

ON = "2026-04-05"  # the reminder of early April is about March
MARCH = date(2026, 3, 1)
GRID = "/portail/declarations/2026-03/"


@pytest.fixture
def world(db, facilitator, employer):
    department = Organisation.objects.department().get()
    colleague = user_with_role(Role.FACILITATOR, first_name="Hélène", last_name="Dupuis")
    former = user_with_role(Role.FACILITATOR, first_name="Ancienne")
    Membership.objects.filter(user=former).update(is_active=False)
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY, name="PLIE de la Plaine")
    other_facilitator = user_with_role(Role.FACILITATOR, organisation=other_body, first_name="Marc")

    building = employer.memberships.get().organisation
    building.name = "Bâtiments de l'Ain"
    building.save()
    accountant = user_with_role(Role.EMPLOYER, organisation=building, email="paie@batiments.example.fr")
    gone = user_with_role(Role.EMPLOYER, organisation=building, email="ancien@batiments.example.fr")
    Membership.objects.filter(user=gone).update(is_active=False)
    cleaning = OrganisationFactory(kind=Organisation.Kind.COMPANY, name="Propreté Bugey")
    cleaning_user = user_with_role(Role.EMPLOYER, organisation=cleaning, email="rh@proprete.example.fr")
    on_time = OrganisationFactory(kind=Organisation.Kind.COMPANY, name="Entreprise à jour")
    user_with_role(Role.EMPLOYER, organisation=on_time, email="contact@ajour.example.fr")
    gex = OrganisationFactory(kind=Organisation.Kind.COMPANY, name="Travaux du Pays de Gex")  # nobody to write to

    lot = ClauseFactory(lot__title="Gros œuvre", lot__contract__operation__title="Collège de Bourg").lot
    other_lot = ClauseFactory(lot__contract__operation__facilitation_body=other_body).lot

    def place(first_name, last_name, employer, body=department, on=lot, **dates):
        participant = eligible_participant(first_name=first_name, last_name=last_name, facilitation_body=body)
        return PlacementFactory(participant=participant, lot=on, employer=employer, **dates)

    placements = {
        "samira": place("Samira", "Haddad", building),  # nothing declared
        "karim": place("Karim", "Benali", building),  # sent, waiting
        "lucie": place("Lucie", "Morin", cleaning),  # a draft only
        "paul": place("Paul", "Valide", on_time),  # validated
        "nina": place("Nina", "Refus", on_time),  # refused: sent, the employer corrects it
        "ended": place("Ancien", "Terminé", building, start_date=date(2026, 1, 5), end_date=date(2026, 2, 27)),
        "later": place("Futur", "Avril", building, start_date=date(2026, 4, 1), end_date=None),
        "marc": place("Marc", "Lefort", gex, body=other_body, on=other_lot),
    }
    declared_month(placements["karim"], "140", MARCH)
    declared_month(placements["lucie"], "120", MARCH, status=DeclarationLine.Status.DRAFT)
    declared_month(placements["paul"], "150", MARCH, status=DeclarationLine.Status.VALIDATED)
    declared_month(placements["nina"], "150", MARCH, status=DeclarationLine.Status.REJECTED)
    return {
        "facilitators": [facilitator, colleague],
        "other_facilitator": other_facilitator,
        "building_emails": sorted([employer.email, accountant.email]),
        "cleaning_email": cleaning_user.email,
        "placements": placements,
        "other_body": other_body,
    }


def by_recipients():
    return {tuple(sorted(message.to)): message for message in mail.outbox}


def test_undeclared_placements_of_the_month(world):
    names = {placement.participant.last_name for placement in undeclared_placements(MARCH)}
    assert names == {"Haddad", "Morin", "Lefort"}


def test_one_email_per_late_employer_and_per_facilitator(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        summary = remind_missing_declarations(ON)
    assert summary == {
        "month": "2026-03",
        "employers_late": 3,
        "placements_not_declared": 3,
        "employer_emails": 2,
        "facilitator_emails": 3,
        "employers_without_recipient": 1,
    }
    assert len(callbacks) == len(mail.outbox) == 5
    messages = by_recipients()

    building = messages[tuple(world["building_emails"])]  # one e-mail to both active users
    assert building.subject == "Clausier : déclarez les heures de mars 2026"
    assert building.body.startswith("Bonjour,")
    assert "Les heures de mars 2026 d'une personne placée chez Bâtiments de l'Ain" in building.body
    assert "- Samira Haddad : lot" in building.body and "Collège de Bourg" in building.body
    for absent in ("Benali", "Terminé", "Avril", "Morin", "&#x27;", "ancien@"):
        assert absent not in building.body, absent
    assert GRID in building.body
    assert resolve(GRID).url_name == "declaration_grid" and resolve(GRID).kwargs == {"year": 2026, "month": 3}

    cleaning = messages[(world["cleaning_email"],)]
    assert cleaning.subject == "Clausier : déclarez les heures de mars 2026"
    assert "Lucie Morin" in cleaning.body and "pensez à transmettre la déclaration" in cleaning.body

    for facilitator in world["facilitators"]:
        message = messages[(facilitator.email,)]
        assert message.subject == "Clausier : 2 employeurs sans déclaration d'heures pour mars 2026"
        assert message.body.startswith(f"Bonjour {facilitator.get_full_name()},")
        assert "- Bâtiments de l'Ain : 1 personne (Samira Haddad)" in message.body
        assert "- Propreté Bugey : 1 personne (Lucie Morin)" in message.body
        assert "Gex" not in message.body and "Lefort" not in message.body
        assert reverse("placements:validation_queue") in message.body
    other = messages[(world["other_facilitator"].email,)]
    assert other.subject == "Clausier : 1 employeur sans déclaration d'heures pour mars 2026"
    assert "- Travaux du Pays de Gex : 1 personne (Marc Lefort)" in other.body
    assert "Aucun compte employeur actif n'a reçu de rappel : prévenez-les directement." in other.body
    assert "Haddad" not in other.body


def test_a_facilitator_of_two_bodies_gets_one_email(world, django_capture_on_commit_callbacks):
    facilitator = world["facilitators"][0]
    MembershipFactory(user=facilitator, organisation=world["other_body"], role=Role.FACILITATOR)
    with django_capture_on_commit_callbacks(execute=True):
        summary = remind_missing_declarations(ON)
    assert summary["facilitator_emails"] == 3
    message = by_recipients()[(facilitator.email,)]
    assert message.subject == "Clausier : 3 employeurs sans déclaration d'heures pour mars 2026"
    assert "Marc Lefort" in message.body and "Samira Haddad" in message.body


def test_nothing_is_sent_when_every_hour_is_declared(world, django_capture_on_commit_callbacks):
    DeclarationLine.objects.filter(status=DeclarationLine.Status.DRAFT).update(status="pending")
    for name in ("samira", "marc"):
        declared_month(world["placements"][name], "100", MARCH)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        summary = remind_missing_declarations(ON)
    assert callbacks == [] and mail.outbox == []
    assert summary["employers_late"] == summary["employer_emails"] == summary["facilitator_emails"] == 0


def test_a_draft_counts_as_not_declared(world, django_capture_on_commit_callbacks):
    """Cleaning saved Lucie's hours without sending them: reminded; once sent, not any more."""
    with django_capture_on_commit_callbacks(execute=True):
        remind_missing_declarations(ON)
    assert (world["cleaning_email"],) in by_recipients()
    mail.outbox.clear()
    DeclarationLine.objects.filter(status=DeclarationLine.Status.DRAFT).update(status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        summary = remind_missing_declarations(ON)
    assert (world["cleaning_email"],) not in by_recipients()
    assert summary["employers_late"] == 2


def test_an_old_version_sent_does_not_hide_a_current_draft(world, django_capture_on_commit_callbacks):
    """Karim's hours were refused, then corrected in a draft not sent yet: the month is not declared."""
    line = DeclarationLine.objects.get(placement=world["placements"]["karim"])
    DeclarationLine.objects.filter(pk=line.pk).update(is_current=False, status="rejected")
    DeclarationLine.objects.create(
        declaration=line.declaration, placement=line.placement, version=2, hours=120, status="draft"
    )
    with django_capture_on_commit_callbacks(execute=True):
        remind_missing_declarations(ON)
    body = by_recipients()[tuple(world["building_emails"])].body
    assert "Karim Benali" in body and "Samira Haddad" in body
    assert "de 2 personnes placées chez Bâtiments de l'Ain" in body


def test_nothing_leaves_before_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        remind_missing_declarations(ON)
    assert len(callbacks) == 5
    assert mail.outbox == []


def test_the_task_takes_an_iso_date(world, django_capture_on_commit_callbacks):
    """Run in-process with ``apply`` (the broker path is tested with a real worker in
    tests/test_celery_worker.py). Early March, the month is February: only the placement that
    ended in February ran then, and nothing was declared for it."""
    with django_capture_on_commit_callbacks(execute=True):
        result = remind_missing_declarations.apply(args=["2026-03-05"])
    assert result.get()["month"] == "2026-02"
    assert result.get()["placements_not_declared"] == 1
    assert "Ancien Terminé" in by_recipients()[tuple(world["building_emails"])].body
    assert "février 2026" in by_recipients()[tuple(world["building_emails"])].subject


def test_without_a_date_the_month_before_today(world, django_capture_on_commit_callbacks):
    from placements.declaration_rules import previous_month
    from portal.declaration_tasks import timezone

    with django_capture_on_commit_callbacks(execute=True):
        summary = remind_missing_declarations.apply().get()
    assert summary["month"] == f"{previous_month(timezone.localdate()):%Y-%m}"


def test_the_reminder_keeps_its_registered_name_and_schedule():
    """Moved to portal/, the task keeps its name from placements: the beat schedule finds it."""
    from django.conf import settings

    from config.celery import app

    name = settings.CELERY_BEAT_SCHEDULE["remind-missing-declarations"]["task"]
    assert name == remind_missing_declarations.name == "placements.declaration_tasks.remind_missing_declarations"
    assert app.tasks[name].run.__module__ == "portal.declaration_tasks"

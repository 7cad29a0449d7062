"""The periodic reminder of overdue outcomes: one e-mail per facilitator, in French, after commit."""

import pytest
from django.core import mail
from django.urls import reverse

from partners.models import Membership, Organisation
from partners.roles import Role
from placements.models import Outcome
from placements.tasks import remind_overdue_outcomes
from tests.partners.factories import OrganisationFactory, user_with_role
from tests.placements.factories import eligible_participant
from tests.placements.test_placements_support import days, lot_around_today, place


@pytest.fixture
def world(db, facilitator, administrator, employer):
    """Two Département facilitators; a facilitator of another body; overdue and other outcomes."""
    department = Organisation.objects.department().get()
    colleague = user_with_role(Role.FACILITATOR, first_name="Hélène", last_name="Dupuis")
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY, name="PLIE de la Plaine")
    other_facilitator = user_with_role(Role.FACILITATOR, organisation=other_body, first_name="Marc")
    # Not facilitators of the body, or no longer: never e-mailed.
    former = user_with_role(Role.FACILITATOR, first_name="Ancienne")
    Membership.objects.filter(user=former).update(is_active=False)
    lot = lot_around_today()
    company = employer.memberships.get().organisation

    def person(last_name, body=department):
        return eligible_participant(first_name="Personne", last_name=last_name, facilitation_body=body)

    samira = place(person("Haddad"), lot, company, days(-200), days(-20))  # exit overdue since 20 days
    nathalie = place(person("Rey"), lot, company, days(-300), days(-190))  # exit and 6 months overdue
    kevin = place(person("Morel", other_body), lot, company, days(-100), days(-3))  # other body, exit overdue
    recorded = place(person("Recueillie"), lot, company, days(-100), days(-30))
    recorded.outcomes.filter(moment=Outcome.Moment.EXIT).update(recorded_on=days(-29), situation="cdi")
    future = place(person("Avenir"), lot, company, days(-30), days(30))
    today_due = place(person("Aujourdhui"), lot, company, days(-30), days(0))  # due today: not yet overdue
    return {
        "facilitators": [facilitator, colleague],
        "other_facilitator": other_facilitator,
        "samira": samira,
        "nathalie": nathalie,
        "kevin": kevin,
        "recorded": recorded,
        "future": future,
        "today_due": today_due,
    }


def outcome(placement, moment=Outcome.Moment.EXIT):
    return placement.outcomes.get(moment=moment)


def by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def test_one_email_per_facilitator_listing_their_overdue_outcomes(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        summary = remind_overdue_outcomes()
    assert len(callbacks) == 3
    assert summary == {"emails_sent": 3, "outcomes_listed": 4, "outcomes_without_facilitator": 0}
    messages = by_recipient()
    assert set(messages) == {user.email for user in world["facilitators"]} | {world["other_facilitator"].email}
    for facilitator in world["facilitators"]:
        message = messages[facilitator.email]
        assert message.subject == "Clausier : 3 situations de sortie à recueillir"
        body = message.body
        assert body.startswith(f"Bonjour {facilitator.get_full_name()},")
        for expected in (
            outcome(world["samira"]),
            outcome(world["nathalie"]),
            outcome(world["nathalie"], Outcome.Moment.SIX_MONTHS),
        ):
            assert reverse("placements:outcome_record", args=[expected.pk]) in body
            assert f"à recueillir le {expected.due_date:%d/%m/%Y}" in body
        assert "Personne Haddad : situation à la sortie" in body
        assert "Personne Rey : situation à 6 mois" in body
        for absent in ("Morel", "Recueillie", "Avenir", "Aujourdhui", "&#x27;"):
            assert absent not in body, absent
        assert body.index("Personne Rey") < body.index("Personne Haddad")  # the oldest first
    other = messages[world["other_facilitator"].email]
    assert other.subject == "Clausier : 1 situation de sortie à recueillir"
    assert "Personne Morel" in other.body and "Haddad" not in other.body
    assert "Une situation de sortie d'une personne que vous suivez est en retard" in other.body


def test_nothing_is_sent_when_nothing_is_overdue(world, django_capture_on_commit_callbacks):
    Outcome.objects.filter(due_date__lt=days(0)).update(recorded_on=days(0), situation="jobseeker")
    with django_capture_on_commit_callbacks(execute=True):
        summary = remind_overdue_outcomes()
    assert summary == {"emails_sent": 0, "outcomes_listed": 0, "outcomes_without_facilitator": 0}
    assert mail.outbox == []


def test_nothing_leaves_before_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        remind_overdue_outcomes()
    assert len(callbacks) == 3
    assert mail.outbox == []


def test_outcomes_nobody_follows_are_counted_apart(world, django_capture_on_commit_callbacks):
    Membership.objects.filter(user=world["other_facilitator"]).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        summary = remind_overdue_outcomes()
    assert summary == {"emails_sent": 2, "outcomes_listed": 3, "outcomes_without_facilitator": 1}
    assert world["other_facilitator"].email not in by_recipient()


def test_the_task_takes_a_date_as_an_iso_string(world, django_capture_on_commit_callbacks):
    """Run in-process with ``apply`` (the broker path is tested once, with a real worker, in
    tests/test_celery_worker.py); the date is an ISO string, never an object."""
    with django_capture_on_commit_callbacks(execute=True):
        result = remind_overdue_outcomes.apply(args=[days(-25).isoformat()])
    # 25 days ago only Nathalie's exit (190 days ago) was overdue; Samira's ended 20 days ago.
    assert result.get() == {"emails_sent": 2, "outcomes_listed": 1, "outcomes_without_facilitator": 0}
    for message in mail.outbox:
        assert "Personne Rey" in message.body and "Haddad" not in message.body


def test_apply_returns_the_summary(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = remind_overdue_outcomes.apply()
    assert result.get()["emails_sent"] == 3
    assert len(mail.outbox) == 3

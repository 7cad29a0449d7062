"""Retention: people with no activity for PERSONAL_DATA_RETENTION_YEARS are anonymised, by the
monthly Celery task and by ``manage.py anonymise_inactive [--dry-run]``."""

import logging
from datetime import date, datetime, time
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from placements.models import Candidacy, Outcome, Participant, PersonalDataAccess
from placements.personal_data import anonymise
from placements.retention import inactive_participants
from placements.tasks import anonymise_inactive_participants
from tests.placements.factories import CandidacyFactory, ParticipantFactory, PlacementFactory

ON = date(2031, 7, 1)  # five years after 1 July 2026: the limit


def at(day, hour=12, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def someone(last_name, updated=date(2024, 1, 10), **placement):
    participant = ParticipantFactory(last_name=last_name)
    if placement:
        PlacementFactory(participant=participant, **placement)
    Participant.objects.filter(pk=participant.pk).update(updated_at=at(updated))
    return participant


@pytest.fixture
def people(db):
    people = {
        "ended_before": someone("Avant", start_date=date(2026, 1, 5), end_date=date(2026, 6, 30)),
        "ended_on_the_limit": someone("Limite", start_date=date(2026, 1, 5), end_date=date(2026, 7, 1)),
        "running": someone("EnCours", start_date=date(2020, 1, 6), end_date=None),
        "updated_before": someone("FicheAvant", updated=date(2026, 6, 30)),
        "updated_after": someone("FicheApres", updated=date(2026, 7, 1)),
        "outcome_after": someone("Sortie", start_date=date(2025, 1, 6), end_date=date(2025, 6, 30)),
        "candidacy_after": someone("Candidat"),
        "anonymised": someone("DejaFait"),
    }
    placement = people["outcome_after"].placements.get()
    Outcome.objects.create(
        placement=placement, moment="six_months", due_date=date(2025, 12, 31), recorded_on=date(2026, 7, 15)
    )
    candidacy = CandidacyFactory(participant=people["candidacy_after"])
    Candidacy.objects.filter(pk=candidacy.pk).update(updated_at=at(date(2026, 8, 1)))
    anonymise(people["anonymised"], reason="Demande")
    # Creating the offers' participants and the anonymisation touched other rows: set them old.
    for other in Participant.objects.exclude(pk__in=[p.pk for p in people.values()]):
        Participant.objects.filter(pk=other.pk).update(updated_at=at(date(2031, 6, 1)))
    for name in ("ended_before", "ended_on_the_limit", "running", "outcome_after", "candidacy_after"):
        Participant.objects.filter(pk=people[name].pk).update(updated_at=at(date(2024, 1, 10)))
    return people


def test_who_is_inactive_around_the_limit(people):
    found = {row.pk: row.last_activity for row in inactive_participants(ON)}
    assert found == {
        people["ended_before"].pk: date(2026, 6, 30),
        people["updated_before"].pk: date(2026, 6, 30),
    }
    # A day later, the people whose last activity was on the limit are due too.
    later = {row.pk for row in inactive_participants(date(2031, 7, 2))}
    assert people["ended_on_the_limit"].pk in later and people["updated_after"].pk in later
    assert people["running"].pk not in later and people["anonymised"].pk not in later


def test_the_setting_decides_the_period(people, settings):
    settings.CLAUSIER = {**django_settings.CLAUSIER, "PERSONAL_DATA_RETENTION_YEARS": 6}
    assert inactive_participants(ON) == []


def test_the_command_lists_without_names_then_anonymises(people):
    out = StringIO()
    call_command("anonymise_inactive", "--dry-run", "--date", ON.isoformat(), stdout=out)
    text = out.getvalue()
    assert f"n° {people['ended_before'].pk} — dernière activité le 30/06/2026" in text
    assert f"n° {people['updated_before'].pk} — dernière activité le 30/06/2026" in text
    assert "2 participant(s) concerné(s)." in text and "Simulation" in text
    for person in people.values():
        assert person.last_name not in text and person.first_name not in text
    assert Participant.objects.filter(anonymised_at__isnull=False).count() == 1  # nothing done

    out = StringIO()
    call_command("anonymise_inactive", "--date", ON.isoformat(), stdout=out)
    assert "2 participant(s) anonymisé(s)." in out.getvalue()
    done = Participant.objects.filter(pk__in=[people["ended_before"].pk, people["updated_before"].pk])
    assert all(p.anonymised_at and p.first_name == "Personne" for p in done)
    assert Participant.objects.get(pk=people["ended_on_the_limit"].pk).last_name == "Limite"
    logs = PersonalDataAccess.objects.filter(kind=PersonalDataAccess.Kind.ERASURE, participant__in=done)
    assert logs.count() == 2 and all(log.user is None and "5 ans sans activité" in log.reason for log in logs)


def test_the_monthly_task_anonymises_and_logs_ids_only(people, caplog):
    with caplog.at_level(logging.INFO, logger="placements.retention"):
        result = anonymise_inactive_participants.apply(args=[ON.isoformat()]).get()
    assert result == {"anonymised": 2, "ids": [people["ended_before"].pk, people["updated_before"].pk]}
    assert "2 personne(s)" in caplog.text
    for person in people.values():
        assert person.last_name not in caplog.text
    assert inactive_participants(ON) == []


def test_the_task_runs_every_month():
    entry = django_settings.CELERY_BEAT_SCHEDULE["anonymise-inactive-participants"]
    assert entry["task"] == "placements.tasks.anonymise_inactive_participants"
    assert entry["schedule"].day_of_month == {1}
    assert django_settings.CLAUSIER["PERSONAL_DATA_RETENTION_YEARS"] == 5

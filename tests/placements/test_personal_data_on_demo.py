"""The personal-data duties on the demo data: a record exported, a person erased on request, and
everyone inactive anonymised by the retention job; the anonymous figures stay the same."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from partners.models import User
from placements.models import Participant
from reporting import indicators
from reporting.rules import Period


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())
    return User.objects.get(email="facilitatrice@clausier.demo")


def figures():
    result = indicators.compute(Period.year(date.today().year))
    return (
        result.hours.required,
        result.hours.validated,
        result.profile.total,
        result.profile.women,
        result.profile.age_bands,
        result.profile.rsa,
        result.exit.dynamic,
        result.placements,
    )


def test_record_export_and_erasure_on_the_demo(client, demo):
    person = Participant.objects.filter(placements__isnull=False).first()
    client.force_login(demo)
    record = client.get(reverse("placements:participant_record", args=[person.pk]))
    assert record.status_code == 200
    assert person.last_name in record.content.decode()

    name = person.last_name
    before = figures()
    response = client.post(
        reverse("placements:participant_erase", args=[person.pk]),
        {"reason": "Demande de la personne du 24/11/2026", "confirm": "on"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.anonymised_at is not None and "anonymisée" in person.last_name
    assert not person.history.filter(last_name=name).exists()  # the history's copies are rewritten too
    assert figures() == before


def test_retention_job_on_the_demo(demo):
    before = figures()
    far = (date.today() + timedelta(days=365 * 12)).isoformat()
    dry = StringIO()
    call_command("anonymise_inactive", "--dry-run", "--date", far, stdout=dry)
    names = set(Participant.objects.values_list("last_name", flat=True))
    assert Participant.objects.filter(anonymised_at__isnull=False).count() == 0  # nothing changed yet
    assert not [name for name in names if name in dry.getvalue()]  # ids only, never a name
    call_command("anonymise_inactive", "--date", far, stdout=StringIO())
    # Everyone whose placements ended is anonymised; people still in an open-ended placement are kept.
    kept = Participant.objects.filter(anonymised_at__isnull=True)
    assert all(p.placements.filter(end_date__isnull=True).exists() for p in kept)
    assert Participant.objects.filter(anonymised_at__isnull=False).exists()
    assert figures() == before

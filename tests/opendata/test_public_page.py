"""The open data page and its files, as an anonymous visitor, on the demo data: no personal data."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from common.dates import today
from opendata import schema
from opendata.models import OpenDataset
from placements.models import Participant
from tests.partners.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())


def test_the_page_shows_without_login_and_the_csv_has_no_personal_data(demo, django_assert_max_num_queries):
    client = Client()
    year = today().year - 1
    with django_assert_max_num_queries(3):
        page = client.get(reverse("opendata:index"))
    assert page.status_code == 200
    assert f"clauses-sociales-ain-{year}.csv" in page.content.decode()
    response = client.get(reverse("opendata:download", args=[year]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert schema.problems(text) == []
    dataset = OpenDataset.objects.get(year=year)
    assert dataset.row_count > 0 and text.count("\n") == dataset.row_count + 1
    lowered = text.casefold()
    for person in Participant.objects.all():
        for value in (person.first_name, person.last_name, person.email, person.phone):
            assert not value or value.casefold() not in lowered
        assert f"{person.birth_date:%Y-%m-%d}" not in text and f"{person.birth_date:%d/%m/%Y}" not in text
    for row in csv.DictReader(io.StringIO(text)):
        counts = [row["personnes"]] + [row[f"personnes_{code}"] for code in schema.CATEGORIES]
        assert not any(cell in {"1", "2", "3", "4"} for cell in counts)
        assert row["identifiant_lot"].startswith("CLAUSIER-LOT-")
    assert "oui" in text  # the demo's lots have few people: their counts are suppressed
    assert client.get(reverse("opendata:schema")).json()["fields"][0]["name"] == "annee"


def test_building_now_is_for_administrators_only(db, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    reader = Client()
    reader.force_login(user_with_role("department_reader"))
    assert reader.post(reverse("opendata:build"), {"year": today().year - 1}).status_code == 403
    admin = Client()
    admin.force_login(user_with_role("administrator"))
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(reverse("opendata:build"), {"year": today().year - 1}).status_code == 302
    assert OpenDataset.objects.get(year=today().year - 1).status == OpenDataset.Status.DONE

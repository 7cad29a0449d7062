"""The weekly digest lists the contracts published this week with a social consideration that
nobody has reviewed yet (reporting.digest_published)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partners.permissions import load_memberships
from procurement.models import PublishedContract
from reporting import digest
from reporting.digest_published import new_published_contracts
from tests.clock import suite_today
from tests.procurement.factories import PublishedContractFactory

pytestmark = pytest.mark.django_db

ON = suite_today()


def test_new_contracts_with_a_social_consideration_of_the_week_are_listed(facilitator):
    fresh = PublishedContractFactory(subject="Réhabilitation du collège de Belley")
    PublishedContractFactory(subject="Sans clause", without_social_consideration=True)
    PublishedContractFactory(subject="Déjà examiné", review_status=PublishedContract.ReviewStatus.DISMISSED)
    old = PublishedContractFactory(subject="Vu il y a longtemps")
    PublishedContract.objects.filter(pk=old.pk).update(first_seen_at=timezone.now() - timedelta(days=20))
    items = new_published_contracts(load_memberships(facilitator), ON)
    assert [item["url"] for item in items] == [f"/marches-publics/{fresh.pk}/"]
    assert "Réhabilitation du collège de Belley" in items[0]["label"]
    assert "250 000 € HT" in items[0]["detail"].replace("\u202f", " ").replace("\xa0", " ")
    assert "Clause sociale" in items[0]["detail"]


def test_the_section_is_in_the_digest_and_not_for_readers(facilitator, department_reader):
    PublishedContractFactory()
    sections = digest.digest_for(load_memberships(facilitator), ON).sections
    assert digest.NEW_PUBLISHED_CONTRACTS in [section.title for section in sections]
    assert new_published_contracts(load_memberships(department_reader), ON) == []


def test_the_week_is_counted_in_days_of_paris_to_the_digest_day(facilitator):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    on = date(2026, 3, 31)  # the week: 25 to 31 March, summer time from the 29th
    seen = {
        "24 mars, 23 h 59": datetime(2026, 3, 24, 23, 59, tzinfo=paris),
        "25 mars, minuit": datetime(2026, 3, 25, 0, 0, tzinfo=paris),
        "31 mars, 23 h 59": datetime(2026, 3, 31, 23, 59, tzinfo=paris),
        "1er avril, minuit": datetime(2026, 4, 1, 0, 0, tzinfo=paris),
    }
    for subject, moment in seen.items():
        contract = PublishedContractFactory(subject=subject)
        PublishedContract.objects.filter(pk=contract.pk).update(first_seen_at=moment)
    items = new_published_contracts(load_memberships(facilitator), on)
    assert sorted(subject for subject in seen if any(subject in item["label"] for item in items)) == [
        "25 mars, minuit",
        "31 mars, 23 h 59",
    ]


def test_day_start_is_midnight_in_paris():
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from common.dates import day_start

    assert day_start(date(2026, 7, 14)) == datetime(2026, 7, 13, 22, 0, tzinfo=ZoneInfo("UTC"))
    assert day_start(date(2026, 1, 14)) == datetime(2026, 1, 13, 23, 0, tzinfo=ZoneInfo("UTC"))

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

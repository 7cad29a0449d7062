"""Factories of placements, shared by the tests of participants, offers and placements."""

from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from partners.models import Commune, Organisation, User
from placements.models import Candidacy, EligibilityCriterion, JobOffer, Participant, Placement
from tests.clauses.factories import ClauseFactory
from tests.partners.factories import OrganisationFactory, UserFactory


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    birth_date = date(1985, 4, 12)
    sex = Participant.Sex.FEMALE
    commune = factory.LazyFunction(lambda: Commune.objects.get(insee_code="01053"))
    education_level = Participant.EducationLevel.CAP_BEP
    rsa_at_entry = True
    data_information_date = date(2026, 1, 5)
    facilitation_body = factory.LazyFunction(lambda: Organisation.objects.department().get())


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = EligibilityCriterion

    participant = factory.SubFactory(ParticipantFactory)
    criterion = "RSA"
    assessed_on = date(2026, 1, 5)
    proof = "Attestation CAF de janvier 2026"
    validated_by = factory.LazyFunction(
        lambda: User.objects.filter(memberships__role="facilitator").first() or UserFactory()
    )


def eligible_participant(**fields):
    participant = ParticipantFactory(**fields)
    CriterionFactory(participant=participant)
    return participant


class JobOfferFactory(DjangoModelFactory):
    class Meta:
        model = JobOffer

    employer = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.COMPANY, with_siret=True)
    lot = factory.LazyFunction(lambda: ClauseFactory().lot)
    position = "Maçon ou maçonne"
    rome_code = "F1703"
    tasks = "Montage de murs, coffrages, finitions"
    contract_type = "cdd"
    positions = 1
    weekly_hours = Decimal("35")
    start_date = date(2026, 3, 2)
    place = factory.LazyFunction(lambda: Commune.objects.get(insee_code="01053"))


class CandidacyFactory(DjangoModelFactory):
    class Meta:
        model = Candidacy

    offer = factory.SubFactory(JobOfferFactory)
    participant = factory.LazyFunction(eligible_participant)
    status = Candidacy.Status.SENT


class PlacementFactory(DjangoModelFactory):
    class Meta:
        model = Placement

    participant = factory.LazyFunction(eligible_participant)
    lot = factory.LazyFunction(lambda: ClauseFactory().lot)
    employer = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.COMPANY, with_siret=True)
    mode = Placement.Mode.DIRECT_HIRE
    contract_type = "cdd"
    start_date = date(2026, 3, 2)
    end_date = date(2026, 8, 31)
    weekly_hours = Decimal("35")


def declared_month(placement, hours, month=None, status="pending", user=None):
    """A declaration of ``hours`` for ``placement`` in ``month`` (default: the placement's first month)."""
    from placements.declaration_rules import first_day
    from placements.models import DeclarationLine, MonthlyDeclaration

    month = first_day(month or placement.start_date)
    declaration, _ = MonthlyDeclaration.objects.get_or_create(employer=placement.employer, month=month)
    line = DeclarationLine.objects.create(
        declaration=declaration, placement=placement, hours=Decimal(hours), status=status, created_by=user
    )
    from portal.declaration_services import refresh_status

    refresh_status(declaration)
    return line

from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from clauses.models import Clause, Contract, Lot, LotAward, Operation
from partners.models import Commune, Organisation
from tests.partners.factories import OrganisationFactory


class OperationFactory(DjangoModelFactory):
    class Meta:
        model = Operation

    buyer = factory.SubFactory(
        OrganisationFactory, kind=Organisation.Kind.CONTRACTING_AUTHORITY, buyer_kind=Organisation.BuyerKind.COMMUNE
    )
    title = factory.Sequence(lambda n: f"Opération {n}")
    commune = factory.LazyFunction(lambda: Commune.objects.get(insee_code="01053"))
    facilitation_body = factory.LazyFunction(lambda: Organisation.objects.department().get())


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = Contract

    operation = factory.SubFactory(OperationFactory)
    reference = factory.Sequence(lambda n: f"M-2026-{n:03d}")
    title = "Travaux"
    start_date = date(2026, 1, 1)
    end_date = date(2026, 12, 31)


class LotFactory(DjangoModelFactory):
    class Meta:
        model = Lot

    contract = factory.SubFactory(ContractFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = "Gros œuvre"
    sector = "building"
    amount_excl_tax = Decimal("1000000")
    start_date = factory.SelfAttribute("contract.start_date")
    end_date = factory.SelfAttribute("contract.end_date")


class ClauseFactory(DjangoModelFactory):
    class Meta:
        model = Clause

    lot = factory.SubFactory(LotFactory)
    legal_basis = Clause.LegalBasis.EXECUTION_CONDITION
    method = Clause.Method.FORMULA
    labour_share = Decimal("50")
    insertion_rate = Decimal("5")
    hourly_cost = Decimal("30")
    computed_hours = Decimal("833")


class LotAwardFactory(DjangoModelFactory):
    class Meta:
        model = LotAward

    lot = factory.SubFactory(LotFactory)
    company = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.COMPANY)
    role = LotAward.Role.HOLDER


def award(lot, company, role=LotAward.Role.HOLDER):
    return LotAward.objects.create(lot=lot, company=company, role=role)

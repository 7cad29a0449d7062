"""Published contracts of the DECP and their holders, for the tests of the review and the reconciliation."""

from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from partners.identifiers import build_siren, build_siret
from procurement.models import NONE, SOCIAL_CLAUSE, PublishedContract, PublishedHolder

DEPARTMENT_SIRET = "22010001000019"  # Département de l'Ain: SIREN 220100010


class PublishedContractFactory(DjangoModelFactory):
    class Meta:
        model = PublishedContract

    decp_id = factory.Sequence(lambda n: f"2026-{n:04d}")
    buyer_siret = DEPARTMENT_SIRET
    uid = factory.LazyAttribute(lambda o: f"{o.buyer_siret}{o.decp_id}")
    buyer_name = "Département de l'Ain"
    subject = factory.Sequence(lambda n: f"Marché publié {n}")
    cpv_code = "45210000-2"
    procedure = "Procédure adaptée"
    nature = "Marché"
    place_code = "01053"
    place_code_type = "Code commune"
    department_code = "01"
    notification_date = date(2026, 9, 1)
    duration_months = 12
    amount = Decimal("250000")
    social_considerations = SOCIAL_CLAUSE
    has_social_consideration = True

    class Params:
        without_social_consideration = factory.Trait(social_considerations=NONE, has_social_consideration=False)


class PublishedHolderFactory(DjangoModelFactory):
    class Meta:
        model = PublishedHolder

    published_contract = factory.SubFactory(PublishedContractFactory)
    identifier = factory.Sequence(lambda n: build_siret(build_siren(f"{n + 50000000:08d}"), "0001"))
    identifier_type = "SIRET"
    name = factory.Sequence(lambda n: f"Entreprise publiée {n}")

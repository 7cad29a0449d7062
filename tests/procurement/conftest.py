from datetime import date
from decimal import Decimal

import pytest

from clauses.models import LotAward
from partners.models import Organisation
from partners.roles import Role
from tests.clauses.factories import LotFactory
from tests.partners.factories import OrganisationFactory, user_with_role
from tests.procurement.factories import DEPARTMENT_SIRET, PublishedContractFactory, PublishedHolderFactory


@pytest.fixture
def department(db):
    department = Organisation.objects.department().get()
    department.siret = DEPARTMENT_SIRET
    department.save()
    return department


@pytest.fixture
def world(department, users_by_role):
    """A lot of the Département followed by the Département (the facilitator's body), held by a
    company; a published contract that matches it, and one that matches nothing."""
    company = OrganisationFactory(kind=Organisation.Kind.COMPANY, with_siret=True, name="Bâtir Ain")
    lot = LotFactory(
        contract__operation__buyer=department,
        contract__operation__title="Collège de Trévoux",
        contract__reference="CD01-2026-031",
        contract__title="Rénovation du collège de Trévoux",
        contract__notification_date=date(2026, 8, 20),
        contract__start_date=date(2026, 9, 1),
        contract__end_date=date(2027, 8, 31),
        title="Gros œuvre",
        amount_excl_tax=Decimal("240000"),
    )
    LotAward.objects.create(lot=lot, company=company, role=LotAward.Role.HOLDER)
    matching = PublishedContractFactory(
        subject="Rénovation du collège de Trévoux - gros œuvre", amount=Decimal("250000")
    )
    PublishedHolderFactory(published_contract=matching, identifier=company.siret, name="BATIR AIN")
    new = PublishedContractFactory(
        buyer_siret="21010283500017",
        buyer_name="Commune de Miribel",
        subject="Entretien des espaces verts de la commune",
        cpv_code="77310000-6",
        place_code="01700",
        place_code_type="Code postal",
        amount=Decimal("90000"),
        duration_months=36,
    )
    PublishedHolderFactory(published_contract=new, name="Jardins de l'Ain")
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY)
    users = dict(users_by_role)
    users["other_facilitator"] = user_with_role(Role.FACILITATOR, organisation=other_body)
    return {"lot": lot, "company": company, "matching": matching, "new": new, "users": users}

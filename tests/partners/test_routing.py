"""Routing from the database: which facilitators follow a contract of this buyer at this place.

One test per case of the seed rule (the Département's own contracts everywhere; communes and EPCI
adhering to the engineering agency in the CC Rives de l'Ain – Pays du Cerdon, de la Dombes, de la
Veyle, Bresse et Saône), plus the white area of Val de Saône Dombes and the other bodies.
"""

import pytest
from django.core.management import call_command

from partners.models import Commune, CoverageRule, Epci, Organisation, Sector
from partners.roles import Role
from partners.routing import coverage_of_territories, facilitation_bodies_for, facilitators_for
from tests.partners.factories import OrganisationFactory, user_with_role


@pytest.fixture
def department(db):
    return Organisation.objects.department().get()


@pytest.fixture
def department_facilitator(db, department):
    return user_with_role(Role.FACILITATOR, organisation=department, email="claire@ain.fr")


def buyer(kind, insee, member=False):
    return OrganisationFactory(
        kind=Organisation.Kind.CONTRACTING_AUTHORITY,
        buyer_kind=kind,
        engineering_agency_member=member,
        commune=Commune.objects.get(insee_code=insee),
    )


def test_department_contracts_everywhere(department, department_facilitator):
    for insee in ("01053", "01427", "01173", "01093"):
        commune = Commune.objects.get(insee_code=insee)
        assert facilitation_bodies_for(department, commune) == [department]
        assert list(facilitators_for(department, commune)) == [department_facilitator]


@pytest.mark.parametrize(
    ("insee", "cc"),
    [
        ("01303", "CC Rives de l'Ain - Pays du Cerdon"),
        ("01093", "CC de la Dombes"),
        ("01306", "CC de la Veyle"),
        ("01305", "CC Bresse et Saône"),
    ],
)
def test_agency_member_communes_of_the_four_cc(department, department_facilitator, insee, cc):
    commune = Commune.objects.get(insee_code=insee)
    assert commune.epci.name == cc
    member = buyer(Organisation.BuyerKind.COMMUNE, insee, member=True)
    assert facilitation_bodies_for(member) == [department]
    assert list(facilitators_for(member)) == [department_facilitator]


def test_agency_member_epci_is_followed(department):
    dombes = buyer(Organisation.BuyerKind.EPCI, "01093", member=True)
    assert facilitation_bodies_for(dombes) == [department]


def test_non_member_commune_of_the_four_cc_is_not_followed(department):
    assert facilitation_bodies_for(buyer(Organisation.BuyerKind.COMMUNE, "01093", member=False)) == []


def test_member_commune_elsewhere_is_not_the_departments(department):
    assert facilitation_bodies_for(buyer(Organisation.BuyerKind.COMMUNE, "01053", member=True)) == []


def test_social_landlord_in_the_four_cc_is_not_followed(department):
    landlord = buyer(Organisation.BuyerKind.SOCIAL_LANDLORD, "01093", member=True)
    assert facilitation_bodies_for(landlord) == []


def test_val_de_saone_dombes_is_a_white_area(department):
    trevoux = buyer(Organisation.BuyerKind.COMMUNE, "01427", member=True)
    assert facilitation_bodies_for(trevoux) == []
    assert not facilitators_for(trevoux).exists()


def test_contract_place_overrides_the_buyers_seat(department):
    # A member commune of the Dombes building in Trévoux: the place decides.
    member = buyer(Organisation.BuyerKind.COMMUNE, "01093", member=True)
    assert facilitation_bodies_for(member, Commune.objects.get(insee_code="01427")) == []


def test_sector_rule_and_inactive_rules(db):
    body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY, name="PLIE test")
    facilitator = user_with_role(Role.FACILITATOR, organisation=body)
    rule = CoverageRule.objects.create(facilitation_body=body)
    rule.sectors.add(Sector.objects.get(name="Val de Saône Dombes"))
    trevoux = buyer(Organisation.BuyerKind.COMMUNE, "01427")
    assert facilitation_bodies_for(trevoux) == [body]
    assert list(facilitators_for(trevoux)) == [facilitator]
    rule.is_active = False
    rule.save()
    assert facilitation_bodies_for(trevoux) == []


def test_inactive_facilitator_membership_is_not_routed(department, department_facilitator):
    department_facilitator.memberships.update(is_active=False)
    assert not facilitators_for(department, Commune.objects.get(insee_code="01053")).exists()


def test_demo_reproduces_todays_situation(db):
    call_command("seed_demo")
    coverage = coverage_of_territories()
    sector_status = {row["sector"].name: row["status"] for row in coverage["sectors"]}
    epci_status = {row["epci"].name: row["status"] for row in coverage["epcis"]}
    assert sector_status["Val de Saône Dombes"] == "white"
    assert epci_status["CC Val de Saône Centre"] == "white"
    assert epci_status["CC Dombes Saône Vallée"] == "white"
    for cc in ("CC Rives de l'Ain - Pays du Cerdon", "CC de la Dombes", "CC de la Veyle", "CC Bresse et Saône"):
        assert epci_status[cc] == "partial", cc
    assert epci_status["CA du Bassin de Bourg-en-Bresse"] == "covered"
    assert len(epci_status) == Epci.objects.count()

import pytest
from django.urls import reverse

from partners.models import CoverageRule, Epci, Organisation
from partners.roles import Role

COVERAGE = reverse("partners:coverage")
CREATE = reverse("partners:coverage_rule_create")


@pytest.fixture
def rule(db):
    return CoverageRule.objects.filter(whole_department=False).first()


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.FACILITATOR, Role.DEPARTMENT_READER])
def test_staff_see_the_coverage_and_its_white_areas(client, users_by_role, role):
    client.force_login(users_by_role[role])
    response = client.get(COVERAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zones blanches" in html
    assert "Val de Saône Dombes" in html
    white = [row["epci"].name for row in response.context["white_epcis"]]
    assert "CC Val de Saône Centre" in white and "CC Dombes Saône Vallée" in white
    assert "CC de la Dombes" not in white  # partial: the Département follows agency members there
    assert ("Nouvelle règle de couverture" in html) is (role == Role.ADMINISTRATOR)


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.BUYER])
def test_employers_and_buyers_cannot_see_the_coverage(client, users_by_role, rule, role):
    client.force_login(users_by_role[role])
    assert client.get(COVERAGE).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.get(reverse("partners:coverage_rule_update", args=[rule.pk])).status_code == 404
    assert client.post(reverse("partners:coverage_rule_delete", args=[rule.pk])).status_code == 404
    assert CoverageRule.objects.filter(pk=rule.pk).exists()


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.DEPARTMENT_READER])
def test_only_administrators_change_coverage(client, users_by_role, rule, role):
    client.force_login(users_by_role[role])
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, {}).status_code == 403
    assert client.get(reverse("partners:coverage_rule_update", args=[rule.pk])).status_code == 403
    assert client.post(reverse("partners:coverage_rule_delete", args=[rule.pk])).status_code == 403
    assert CoverageRule.objects.filter(pk=rule.pk).exists()


def test_administrator_adds_a_rule_that_lifts_a_white_area(client, administrator):
    body = Organisation.objects.create(name="PLIE du Val de Saône", kind=Organisation.Kind.FACILITATION_BODY)
    vsc = Epci.objects.get(siren="200070118")
    client.force_login(administrator)
    response = client.post(CREATE, {"facilitation_body": body.pk, "epcis": [vsc.pk], "is_active": "on"})
    assert response.status_code == 302
    white = [row["epci"].name for row in client.get(COVERAGE).context["white_epcis"]]
    assert "CC Val de Saône Centre" not in white
    assert "CC Dombes Saône Vallée" in white


def test_rule_needs_a_territory_but_not_both(client, administrator):
    department = Organisation.objects.department().get()
    client.force_login(administrator)
    response = client.post(CREATE, {"facilitation_body": department.pk})
    assert "Choisissez au moins un EPCI ou un secteur" in response.content.decode()
    response = client.post(
        CREATE, {"facilitation_body": department.pk, "whole_department": "on", "epcis": [Epci.objects.first().pk]}
    )
    assert "mais pas les deux" in response.content.decode()
    assert CoverageRule.objects.count() == 2


def test_administrator_edits_and_deletes_a_rule(client, administrator, rule):
    client.force_login(administrator)
    url = reverse("partners:coverage_rule_update", args=[rule.pk])
    data = {
        "facilitation_body": rule.facilitation_body_id,
        "epcis": [e.pk for e in rule.epcis.all()],
        "buyer_kinds": ["commune"],
        "engineering_agency_members_only": "on",
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    rule.refresh_from_db()
    assert rule.buyer_kinds == ["commune"]
    assert client.post(reverse("partners:coverage_rule_delete", args=[rule.pk])).status_code == 302
    assert not CoverageRule.objects.filter(pk=rule.pk).exists()


def test_coverage_query_count_is_bounded(client, facilitator, django_assert_num_queries):
    client.force_login(facilitator)
    with django_assert_num_queries(15):
        client.get(COVERAGE)
    for n in range(5):
        body = Organisation.objects.create(name=f"Maison de l'emploi {n}", kind=Organisation.Kind.FACILITATION_BODY)
        CoverageRule.objects.create(facilitation_body=body, whole_department=True)
    with django_assert_num_queries(15):
        client.get(COVERAGE)

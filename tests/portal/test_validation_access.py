"""Who may open the validation pages: facilitators and administrators; others get 403 on the
queue and 404 on a declaration they cannot see; a write without the right role is refused."""

import pytest
from django.conf import settings
from django.urls import reverse

from partners.roles import Role
from tests.portal.test_validation_support import QUEUE, build_world, detail_url, refreshed, review_url


@pytest.fixture
def world(db, users_by_role):
    return build_world(users_by_role)


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for url in (QUEUE, detail_url(world["march"])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse(settings.LOGIN_URL))
    response = client.post(
        review_url(world["march"]), {"lines": [world["lines"]["samira"].pk], "decision": "validated"}
    )
    assert response.status_code == 302
    assert refreshed(world["lines"]["samira"]).status == "pending"


@pytest.mark.parametrize("who", [Role.ADMINISTRATOR, Role.FACILITATOR])
def test_facilitators_and_administrators_open_every_page(client, world, who):
    client.force_login(world["users"][who])
    assert client.get(QUEUE).status_code == 200
    for declaration in (world["march"], world["april_cleaning"]):
        assert client.get(detail_url(declaration)).status_code == 200


@pytest.mark.parametrize("who", [Role.DEPARTMENT_READER, Role.EMPLOYER, Role.BUYER])
def test_other_roles_get_403_on_the_queue(client, world, who):
    client.force_login(world["users"][who])
    assert client.get(QUEUE).status_code == 403
    response = client.post(QUEUE, {"lines": [world["lines"]["samira"].pk], "decision": "validated"})
    assert response.status_code == 403
    assert refreshed(world["lines"]["samira"]).status == "pending"


@pytest.mark.parametrize("who", [Role.DEPARTMENT_READER, Role.BUYER, "other_employer", "other_facilitator"])
def test_a_declaration_out_of_sight_is_a_404(client, world, who):
    client.force_login(world["users"][who])
    samira = world["lines"]["samira"]
    assert client.get(detail_url(world["march"])).status_code == 404
    response = client.post(review_url(world["march"]), {"lines": [samira.pk], "decision": "validated"})
    assert response.status_code == 404
    assert refreshed(samira).status == "pending"


def test_the_employer_who_declared_cannot_validate_their_own_hours(client, world):
    """The employer sees the declaration (``for_user``) but does not validate: 403."""
    client.force_login(world["users"][Role.EMPLOYER])
    samira = world["lines"]["samira"]
    assert client.get(detail_url(world["march"])).status_code == 403
    response = client.post(review_url(world["march"]), {"lines": [samira.pk], "decision": "validated"})
    assert response.status_code == 403
    assert refreshed(samira).status == "pending"


def test_a_facilitator_of_another_body_reviews_only_what_their_body_follows(client, world):
    """Marc is followed by the other body: its facilitator sees and validates his hours only."""
    client.force_login(world["users"]["other_facilitator"])
    response = client.get(QUEUE)
    assert [[line.placement.participant.last_name for line in d.queue_lines] for d in response.context["page"]] == [
        ["Lefort"]
    ]
    marc = world["lines"]["marc"]
    assert client.get(detail_url(world["outsider"])).status_code == 200
    response = client.post(review_url(world["outsider"]), {"lines": [marc.pk], "decision": "validated"})
    assert response.status_code == 302 and refreshed(marc).status == "validated"


def test_the_departement_facilitator_gets_404_on_another_bodys_declaration(client, world, facilitator):
    client.force_login(facilitator)
    marc = world["lines"]["marc"]
    assert client.get(detail_url(world["outsider"])).status_code == 404
    response = client.post(review_url(world["outsider"]), {"lines": [marc.pk], "decision": "validated"})
    assert response.status_code == 404
    assert refreshed(marc).status == "pending"


def test_unknown_declaration_is_a_404(client, world, facilitator):
    client.force_login(facilitator)
    assert client.get(reverse("placements:declaration_detail", args=[999999])).status_code == 404
    assert client.post(reverse("placements:declaration_review", args=[999999])).status_code == 404


def test_validation_is_in_the_facilitators_navigation(client, world, facilitator):
    client.force_login(facilitator)
    assert f'href="{QUEUE}"\n                       aria-current="page"' in client.get(QUEUE).content.decode()

"""A person with no validated eligibility criterion: the placement form asks for an explicit
acknowledgement, and the pages that show the person's placement and hours warn while no criterion
is validated (domain.md, "Eligible people")."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from partners.roles import Role
from placements.models import Candidacy, Placement
from tests.placements.factories import (
    CandidacyFactory,
    CriterionFactory,
    JobOfferFactory,
    ParticipantFactory,
    PlacementFactory,
    declared_month,
)
from tests.placements.test_placements_support import CRITERION_WORDS, build_world, days, place
from tests.portal.test_validation_support import MARCH, QUEUE, detail_url

CREATE = reverse("placements:placement_create")
FIELD = "no_criterion_acknowledged"
ACKNOWLEDGEMENT = (
    "Je sais que cette personne n'a aucun critère d'éligibilité validé : ses heures ne compteront pas "
    "pour la clause tant qu'un critère n'est pas validé"
)
REFUSAL = "n'a aucun critère d'éligibilité validé"
WARNING = "ses heures ne comptent pas pour la clause tant qu'un critère n'est pas validé"


@pytest.fixture
def world(db, users_by_role):
    world = build_world(users_by_role)
    world["newcomer"] = ParticipantFactory(first_name="Lina", last_name="Vernier")
    return world


def page_of(response):
    return html.unescape(response.content.decode())


def text_of(response):
    """The words the user reads: tags removed, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_of(response)).split())


def form_data(world, participant, **overrides):
    data = {
        "participant": participant.pk,
        "lot": world["lot"].pk,
        "employer": world["company"].pk,
        "mode": Placement.Mode.DIRECT_HIRE,
        "contract_type": "cdd",
        "start_date": days(-30).isoformat(),
        "end_date": days(60).isoformat(),
        "weekly_hours": "35",
    }
    data.update(overrides)
    return data


def warning_of(page):
    """The opening tag and the words of the warning about a person without criterion."""
    at = page.index('id="no-criterion-warning"')
    tag = page[page.rindex("<", 0, at) : page.index(">", at) + 1]
    return tag, " ".join(page[page.index(">", at) + 1 : page.index("</div>", at)].split())


def field_block(page, name):
    """The HTML of a field's wrapper, as crispy renders it (label, input, its errors)."""
    start = page.index(f'id="div_id_{name}"')
    return page[start : page.index("</div>\n", page.index(f'id="id_{name}"'))]


# The form ------------------------------------------------------------------------------------


def test_a_person_without_criterion_is_refused_without_the_acknowledgement(client, facilitator, world):
    client.force_login(facilitator)
    response = client.post(CREATE, form_data(world, world["newcomer"]))
    assert response.status_code == 200
    [error] = response.context["form"].errors[FIELD]
    assert f"Lina Vernier {REFUSAL}" in error
    page = page_of(response)
    block = field_block(page, FIELD)
    assert ACKNOWLEDGEMENT in block and f"Lina Vernier {REFUSAL}" in block  # the message next to the box
    assert "is-invalid" in block
    assert "Le formulaire n'est pas enregistré" in page
    assert not Placement.objects.filter(participant=world["newcomer"]).exists()


def test_a_person_without_criterion_is_accepted_with_the_acknowledgement(client, facilitator, world):
    client.force_login(facilitator)
    response = client.post(CREATE, form_data(world, world["newcomer"], **{FIELD: "on"}))
    placement = Placement.objects.get(participant=world["newcomer"])
    assert response.status_code == 302
    assert response.url == reverse("placements:placement_detail", args=[placement.pk])


def test_an_eligible_person_needs_no_acknowledgement_and_is_not_asked_for_one(client, facilitator, world):
    client.force_login(facilitator)
    eligible = world["participant"]
    page = page_of(client.get(CREATE, {"participant": eligible.pk}))
    assert f'id="id_{FIELD}"' not in page and ACKNOWLEDGEMENT not in page
    response = client.post(CREATE, form_data(world, eligible, start_date=days(-5).isoformat()))
    assert response.status_code == 302


def test_the_acknowledgement_is_asked_as_soon_as_the_person_is_known(client, facilitator, world):
    client.force_login(facilitator)
    page = page_of(client.get(CREATE, {"participant": world["newcomer"].pk}))
    assert ACKNOWLEDGEMENT in field_block(page, FIELD)
    assert "is-invalid" not in field_block(page, FIELD)  # asked, not yet refused


def test_people_without_criterion_are_flagged_in_the_list(client, facilitator, world):
    client.force_login(facilitator)
    form = client.get(CREATE).context["form"]
    labels = {value.instance.pk: label for value, label in form.fields["participant"].choices if value}
    assert "aucun critère validé" in labels[world["newcomer"].pk]
    assert "aucun critère validé" not in labels[world["participant"].pk]


def test_a_ticked_acknowledgement_is_kept_when_another_field_is_refused(client, facilitator, world):
    client.force_login(facilitator)
    response = client.post(CREATE, form_data(world, world["newcomer"], weekly_hours="60", **{FIELD: "on"}))
    assert FIELD not in response.context["form"].errors
    block = field_block(page_of(response), FIELD)
    assert "checked" in block


def test_a_hired_candidacy_of_a_person_without_criterion_asks_for_the_acknowledgement(client, facilitator, world):
    offer = JobOfferFactory(lot=world["lot"], employer=world["company"], start_date=days(-20))
    candidacy = CandidacyFactory(offer=offer, participant=world["newcomer"], status=Candidacy.Status.HIRED)
    client.force_login(facilitator)
    url = f"{CREATE}?candidacy={candidacy.pk}"
    assert ACKNOWLEDGEMENT in page_of(client.get(url))
    data = form_data(world, world["newcomer"])
    refused = client.post(url, data)
    assert REFUSAL in refused.context["form"].errors[FIELD][0]
    assert not Placement.objects.filter(candidacy=candidacy).exists()
    assert client.post(url, {**data, FIELD: "on"}).status_code == 302
    assert Placement.objects.get(candidacy=candidacy).participant == world["newcomer"]


def test_changing_a_placement_of_a_person_without_criterion_asks_again(client, facilitator, world):
    placement = place(world["newcomer"], world["lot"], world["company"], days(-30), days(30))
    client.force_login(facilitator)
    url = reverse("placements:placement_update", args=[placement.pk])
    data = form_data(world, world["newcomer"], start_date=days(-30).isoformat(), contract_signed="on")
    assert REFUSAL in client.post(url, data).context["form"].errors[FIELD][0]
    placement.refresh_from_db()
    assert not placement.contract_signed
    assert client.post(url, {**data, FIELD: "on"}).status_code == 302
    placement.refresh_from_db()
    assert placement.contract_signed


def test_once_a_criterion_is_validated_nothing_is_asked(client, facilitator, world):
    CriterionFactory(participant=world["newcomer"], criterion="DELD")
    client.force_login(facilitator)
    assert client.post(CREATE, form_data(world, world["newcomer"])).status_code == 302


# The warnings --------------------------------------------------------------------------------


@pytest.fixture
def unproven(world):
    """A placement of the person without criterion, with hours of last month waiting."""
    return place(world["newcomer"], world["lot"], world["company"], days(-60), days(60))


def test_the_placement_page_warns_the_facilitator(client, facilitator, world, unproven):
    client.force_login(facilitator)
    response = client.get(reverse("placements:placement_detail", args=[unproven.pk]))
    tag, alert = warning_of(page_of(response))
    assert "alert alert-warning" in tag
    assert WARNING in alert
    assert reverse("placements:participant_update", args=[world["newcomer"].pk]) in alert
    eligible = client.get(reverse("placements:placement_detail", args=[world["placement"].pk]))
    assert 'id="no-criterion-warning"' not in page_of(eligible)


def test_the_employer_never_sees_the_warning(client, employer, world, unproven):
    client.force_login(employer)
    page = page_of(client.get(reverse("placements:placement_detail", args=[unproven.pk])))
    assert 'id="no-criterion-warning"' not in page
    for word in CRITERION_WORDS:
        assert word not in page, word


def test_the_participant_page_warns(client, facilitator, world, unproven):
    client.force_login(facilitator)
    response = client.get(reverse("placements:participant_detail", args=[world["newcomer"].pk]))
    tag, alert = warning_of(page_of(response))
    assert "alert alert-warning" in tag
    assert WARNING in alert
    eligible = client.get(reverse("placements:participant_detail", args=[world["participant"].pk]))
    assert 'id="no-criterion-warning"' not in page_of(eligible)


@pytest.fixture
def declared(db, users_by_role):
    """Hours of March 2026 waiting for validation: one person with a criterion, one without."""
    company = users_by_role[Role.EMPLOYER].memberships.get().organisation
    with_criterion = PlacementFactory(employer=company)
    without = PlacementFactory(
        employer=company,
        lot=with_criterion.lot,
        participant=ParticipantFactory(first_name="Lina", last_name="Vernier"),
    )
    return {
        "with": declared_month(with_criterion, "35", MARCH),
        "without": declared_month(without, "70", MARCH),
    }


def test_the_validation_screen_of_a_declaration_warns(client, facilitator, declared):
    client.force_login(facilitator)
    response = client.get(detail_url(declared["without"].declaration))
    page = page_of(response)
    tag, alert = warning_of(page)
    assert "alert alert-warning" in tag
    assert "Lina Vernier" in alert and "ne compteront pas pour la clause" in alert
    assert str(declared["with"].placement.participant) not in alert
    assert page.count("Aucun critère validé") == 1  # beside Lina's hours in the table


def test_the_validation_queue_warns(client, facilitator, declared):
    client.force_login(facilitator)
    page = page_of(client.get(QUEUE))
    tag, alert = warning_of(page)
    assert "alert alert-warning" in tag
    assert "Lina Vernier" in alert and "ne compteront pas pour la clause" in alert
    assert str(declared["with"].placement.participant) not in alert
    assert page.count("Aucun critère validé") == 1


def test_no_warning_on_the_validation_screens_when_everyone_has_a_criterion(client, facilitator, declared):
    CriterionFactory(participant=declared["without"].placement.participant)
    client.force_login(facilitator)
    for url in (QUEUE, detail_url(declared["without"].declaration)):
        page = page_of(client.get(url))
        assert 'id="no-criterion-warning"' not in page and "Aucun critère validé" not in page


# Access stays as pinned -----------------------------------------------------------------------


def test_access_is_unchanged_for_a_person_without_criterion(client, world, unproven):
    users = world["users"]
    detail = reverse("placements:placement_detail", args=[unproven.pk])
    update = reverse("placements:placement_update", args=[unproven.pk])
    data = form_data(world, world["newcomer"], **{FIELD: "on"})
    client.force_login(users[Role.FACILITATOR])
    assert client.get(detail).status_code == 200 and client.get(update).status_code == 200
    for who in ("other_facilitator", "other_employer", "other_buyer"):
        client.force_login(users[who])
        assert client.get(detail).status_code == 404, who
        assert client.post(update, data).status_code == 404, who
    client.force_login(users[Role.EMPLOYER])  # reads the page of its placement, never writes
    assert client.get(detail).status_code == 200
    assert client.post(update, {**data, "weekly_hours": "20"}).status_code == 403
    assert client.post(CREATE, data).status_code == 403
    for who in (Role.DEPARTMENT_READER, Role.BUYER):
        client.force_login(users[who])
        assert client.post(CREATE, data).status_code == 403, who
    unproven.refresh_from_db()
    assert unproven.weekly_hours == Decimal("35")
    assert Placement.objects.filter(participant=world["newcomer"]).count() == 1

"""Awareness-raising actions: create, edit, delete, detail, and who may do what."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from partners.models import Audience, AwarenessAction, Epci, Organisation, Sector
from partners.roles import Role
from tests.partners.action_factories import AwarenessActionFactory

LIST = reverse("partners:action_list")
CREATE = reverse("partners:action_create")


def detail_url(action):
    return reverse("partners:action_detail", args=[action.pk])


def update_url(action):
    return reverse("partners:action_update", args=[action.pk])


def delete_url(action):
    return reverse("partners:action_delete", args=[action.pk])


def audience(code):
    return Audience.objects.get(code=code)


def form_data(**overrides):
    data = {
        "date": "2026-05-12",
        "kind": AwarenessAction.Kind.TRAINING,
        "title": "Formation des acheteurs aux clauses sociales",
        "audiences": [audience("public_buyers").pk, audience("project_managers").pk],
        "people_reached": "23",
        "epci": "",
        "sector": "",
        "organisations": [],
        "notes": "Demi-journée à Bourg-en-Bresse.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def action(db):
    return AwarenessActionFactory(
        title="Forum emploi du BTP",
        kind=AwarenessAction.Kind.FORUM,
        date=datetime.date(2026, 3, 20),
        people_reached=64,
        audiences=["companies", "iae_actors"],
        epci=Epci.objects.get(siren="200071751"),
        notes="Douze entreprises présentes.",
    )


# Create ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.FACILITATOR])
def test_editor_creates_an_action(client, users_by_role, role):
    user = users_by_role[role]
    federation = Organisation.objects.create(name="CAPEB de l'Ain", kind=Organisation.Kind.FEDERATION)
    client.force_login(user)
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, form_data(organisations=[federation.pk]))
    action = AwarenessAction.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(action)
    assert action.title == "Formation des acheteurs aux clauses sociales"
    assert action.date == datetime.date(2026, 5, 12)
    assert action.people_reached == 23
    assert action.created_by == user
    assert {a.code for a in action.audiences.all()} == {"public_buyers", "project_managers"}
    assert list(action.organisations.all()) == [federation]
    assert action.territory_label == "Tout l'Ain"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "L'action « Formation des acheteurs aux clauses sociales » est enregistrée."
    ]


def test_form_uses_a_date_input_checkboxes_and_a_bounded_multiple_select(client, facilitator):
    client.force_login(facilitator)
    html = client.get(CREATE).content.decode()
    assert 'type="date"' in html
    assert len(re.findall(r'<input type="checkbox"[^>]*name="audiences"', html)) == Audience.objects.count()
    assert re.search(r'<select name="organisations"[^>]*size="10"[^>]*multiple', html)
    assert "novalidate" in html


def test_action_in_a_sector(client, facilitator):
    bresse = Sector.objects.get(name="Bresse")
    client.force_login(facilitator)
    response = client.post(CREATE, form_data(sector=bresse.pk))
    assert response.status_code == 302
    assert AwarenessAction.objects.get().sector == bresse


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"audiences": []}, "audiences", "Cochez au moins un public visé."),
        ({"people_reached": "-3"}, "people_reached", "Le nombre de personnes touchées ne peut pas être négatif."),
        ({"people_reached": ""}, "people_reached", "Indiquez le nombre de personnes touchées"),
        ({"title": ""}, "title", "Donnez un intitulé à l'action."),
        ({"date": "pas une date"}, "date", "Date invalide."),
    ],
)
def test_invalid_action_is_not_saved_and_errors_are_in_french(client, facilitator, overrides, field, message):
    client.force_login(facilitator)
    response = client.post(CREATE, form_data(**overrides))
    assert response.status_code == 200
    assert AwarenessAction.objects.count() == 0
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    html = response.content.decode()
    assert "Le formulaire n'est pas enregistré" in html
    assert message.replace("'", "&#x27;") in html


def test_epci_and_sector_together_are_refused_next_to_the_sector(client, facilitator):
    client.force_login(facilitator)
    response = client.post(
        CREATE, form_data(epci=Epci.objects.get(siren="200069193").pk, sector=Sector.objects.get(name="Bugey").pk)
    )
    assert response.status_code == 200
    assert AwarenessAction.objects.count() == 0
    assert response.context["form"].errors["sector"] == [
        "Choisissez un EPCI ou un secteur départemental, pas les deux : laissez l'un des deux vide."
    ]
    assert "pas les deux" in response.content.decode()


# Update and delete -------------------------------------------------------------------------


def test_facilitator_edits_an_action(client, facilitator, administrator, action):
    action.created_by = administrator
    action.save()
    client.force_login(facilitator)
    page = client.get(update_url(action))
    assert page.status_code == 200
    assert 'value="2026-03-20"' in page.content.decode()
    bugey = Sector.objects.get(name="Bugey")
    response = client.post(
        update_url(action),
        form_data(
            title="Forum emploi du BTP (bilan)",
            kind=AwarenessAction.Kind.FORUM,
            audiences=[audience("federations").pk],
            people_reached="70",
            sector=bugey.pk,
            epci="",
        ),
    )
    assert response.status_code == 302
    assert response.url == detail_url(action)
    action.refresh_from_db()
    assert action.title == "Forum emploi du BTP (bilan)"
    assert action.people_reached == 70
    assert action.epci is None and action.sector == bugey
    assert [a.code for a in action.audiences.all()] == ["federations"]
    assert action.created_by == administrator  # the author does not change on edit
    assert "sont enregistrées" in str(list(get_messages(response.wsgi_request))[0])


def test_invalid_edit_changes_nothing(client, facilitator, action):
    client.force_login(facilitator)
    response = client.post(update_url(action), form_data(title="Nouveau titre", people_reached="-1"))
    assert response.status_code == 200
    assert "Modifier « Forum emploi du BTP »" in response.content.decode()
    action.refresh_from_db()
    assert action.title == "Forum emploi du BTP"
    assert action.people_reached == 64


def test_delete_asks_for_confirmation_then_deletes_on_post(client, facilitator, action):
    client.force_login(facilitator)
    confirmation = client.get(delete_url(action))
    assert confirmation.status_code == 200
    html = confirmation.content.decode()
    assert "Supprimer cette action ?" in html
    assert "20/03/2026" in html
    assert 'method="post"' in html
    assert AwarenessAction.objects.filter(pk=action.pk).exists()
    response = client.post(delete_url(action))
    assert response.status_code == 302
    assert response.url == LIST
    assert not AwarenessAction.objects.filter(pk=action.pk).exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["L'action « Forum emploi du BTP » est supprimée."]


# Detail ------------------------------------------------------------------------------------


def test_detail_shows_everything(client, facilitator, action):
    action.organisations.add(Organisation.objects.create(name="GEIQ BTP de l'Ain", kind=Organisation.Kind.COMPANY))
    action.created_by = facilitator
    action.save()
    client.force_login(facilitator)
    html = client.get(detail_url(action)).content.decode()
    for text in [
        "Forum emploi du BTP",
        "20/03/2026",
        "Forum",
        "Entreprises",
        "Acteurs de l&#x27;IAE",
        "64",
        "CA du Bassin de Bourg-en-Bresse",
        "GEIQ BTP de l&#x27;Ain",
        "Douze entreprises présentes.",
        str(facilitator),
    ]:
        assert text in html, text
    assert update_url(action) in html and delete_url(action) in html


# Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.FACILITATOR, Role.DEPARTMENT_READER])
def test_department_staff_see_list_and_detail(client, users_by_role, action, role):
    client.force_login(users_by_role[role])
    listing = client.get(LIST, {"start": "2026-01-01", "end": "2026-12-31"})
    assert listing.status_code == 200
    assert list(listing.context["page"].object_list) == [action]
    detail = client.get(detail_url(action))
    assert detail.status_code == 200
    can_edit = role != Role.DEPARTMENT_READER
    assert ("Nouvelle action" in listing.content.decode()) is can_edit
    assert (update_url(action) in detail.content.decode()) is can_edit
    assert (delete_url(action) in detail.content.decode()) is can_edit


def test_department_reader_cannot_write(client, department_reader, action):
    client.force_login(department_reader)
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data()).status_code == 403
    assert client.get(update_url(action)).status_code == 403
    assert client.post(update_url(action), form_data(title="Modifié")).status_code == 403
    assert client.get(delete_url(action)).status_code == 403
    assert client.post(delete_url(action)).status_code == 403
    action.refresh_from_db()
    assert action.title == "Forum emploi du BTP"
    assert AwarenessAction.objects.count() == 1


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.BUYER])
def test_employers_and_buyers_see_no_action(client, users_by_role, action, role):
    client.force_login(users_by_role[role])
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data()).status_code == 403
    assert client.get(detail_url(action)).status_code == 404
    assert client.get(update_url(action)).status_code == 404
    assert client.post(update_url(action), form_data(title="Modifié")).status_code == 404
    assert client.get(delete_url(action)).status_code == 404
    assert client.post(delete_url(action)).status_code == 404
    action.refresh_from_db()
    assert action.title == "Forum emploi du BTP"
    assert AwarenessAction.objects.count() == 1


def test_unknown_action_is_a_404_for_an_editor(client, facilitator):
    client.force_login(facilitator)
    assert client.get(reverse("partners:action_detail", args=[999999])).status_code == 404
    assert client.post(reverse("partners:action_delete", args=[999999])).status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(client, action):
    for url in [LIST, CREATE, detail_url(action), update_url(action), delete_url(action)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login")), url

"""The exports page and the downloads: who may use them, the files they get, clear errors."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partners.roles import Role
from tests.partners.factories import UserFactory, user_with_role
from tests.reporting import dataset

INDEX = "/exports/"
FIGURE_ROLES = [Role.ADMINISTRATOR, Role.FACILITATOR, Role.DEPARTMENT_READER, Role.BUYER]


@pytest.fixture
def world(db):
    return dataset.build()


def download(client, name, fmt, **params):
    params.setdefault("year", 2026)
    return client.get(f"/exports/{name}.{fmt}", params)


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_routes():
    assert reverse("reporting:export_index") == INDEX
    assert reverse("reporting:export_download", args=["lots", "xlsx"]) == "/exports/lots.xlsx"


@pytest.mark.parametrize("role", FIGURE_ROLES)
def test_the_page_lists_the_exports_of_the_role(client, users_by_role, role):
    client.force_login(users_by_role[role])
    response = client.get(INDEX)
    assert response.status_code == 200
    page = response.content.decode()
    names = ["lots", "heures-par-mois", "heures-par-regroupement", "indicateurs"]
    if role != Role.BUYER:  # buyers read aggregated figures only
        names.append("mises-a-l-emploi")
    for name in names:
        for fmt in ("csv", "xlsx"):
            assert f"/exports/{name}.{fmt}?year=" in page
    assert ("/exports/mises-a-l-emploi.csv" in page) == (role != Role.BUYER)
    assert "Exports des chiffres" in page
    assert ("sans l&#x27;identité des personnes" in page) == (role == Role.DEPARTMENT_READER)


def test_the_page_keeps_the_chosen_period_and_scope(client, world, administrator):
    client.force_login(administrator)
    epci = world["trevoux_commune"].epci
    response = client.get(INDEX, {"start": "2026-01-01", "end": "2026-06-30", "scope": "epci", "scope_id": epci.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"/exports/lots.xlsx?start=2026-01-01&amp;end=2026-06-30&amp;scope=epci&amp;scope_id={epci.pk}" in page
    assert f'value="epci:{epci.pk}" selected' in page
    assert "EPCI : CC Dombes Saône Vallée" in page


@pytest.mark.parametrize(
    "params, message",
    [
        ({"year": "deux-mille"}, "Indiquez une année"),
        ({"start": "2026-01-01"}, "Indiquez le début et la fin de la période."),
        ({"start": "2026-06-01", "end": "2026-01-01"}, "La fin de la période précède son début."),
        ({"start": "2026-13-45", "end": "2026-01-01"}, "Indiquez une date valide"),
        ({"start": "2010-01-01", "end": "2026-01-01"}, "La période ne peut pas dépasser cinq ans."),
        ({"scope": "planete"}, "Ce périmètre n&#x27;existe pas."),
        ({"scope": "epci"}, "Choisissez l&#x27;élément du périmètre."),
        ({"scope": "epci", "scope_id": "999999"}, "Cet élément n&#x27;existe pas ou ne vous est pas accessible."),
        ({"scope": "epci", "scope_id": "sector:1"}, "Cet élément n&#x27;appartient pas au périmètre choisi."),
        ({"scope": "contract", "scope_id": "1; drop"}, "Cet élément n&#x27;existe pas ou ne vous est pas accessible."),
    ],
)
def test_bad_parameters_get_a_clear_message(client, world, department_reader, params, message):
    client.force_login(department_reader)
    page = client.get(INDEX, params)
    assert page.status_code == 200 and message in page.content.decode()
    assert "/exports/lots.csv?" not in page.content.decode()
    params.setdefault("year", "2026")
    response = client.get("/exports/lots.csv", params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Export impossible" in response.content.decode()


def test_a_buyer_cannot_name_another_buyers_contract(client, world):
    buyer = user_with_role(Role.BUYER, organisation=world["trevoux"])
    client.force_login(buyer)
    department_contract = world["contracts"][0]
    response = download(client, "lots", "csv", scope="contract", scope_id=department_contract.pk)
    assert response.status_code == 400
    page = client.get(INDEX).content.decode()
    assert f"contract:{department_contract.pk}" not in page
    assert f"contract:{world['contracts'][1].pk}" in page


@pytest.mark.parametrize("who", ["employer", "nobody"])
def test_employers_and_users_without_role_get_404(client, world, employer, who):
    client.force_login(employer if who == "employer" else UserFactory())
    assert client.get(INDEX).status_code == 404
    for name in ("lots", "mises-a-l-emploi", "heures-par-mois", "heures-par-regroupement", "indicateurs"):
        assert download(client, name, "csv").status_code == 404
        assert download(client, name, "xlsx").status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(client, db):
    response = client.get(INDEX)
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_unknown_export_is_a_404(client, administrator):
    client.force_login(administrator)
    assert client.get("/exports/personnes.csv").status_code == 404
    assert client.get("/exports/lots.pdf").status_code == 404


def test_a_download_in_csv(client, world, department_reader):
    client.force_login(department_reader)
    response = download(client, "indicateurs", "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="clausier-indicateurs-2026.csv"'
    assert "no-store" in response["Cache-Control"]
    values = {row[1]: row[2] for row in csv_rows(response)[1:]}
    assert values["Heures requises sur la période"] == "1217"
    assert values["Participants"] == "4"


def test_a_download_in_xlsx(client, world, administrator):
    client.force_login(administrator)
    response = download(client, "lots", "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Content-Disposition"] == 'attachment; filename="clausier-lots-2026.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Opération" and len(rows) == 4
    assert sum(row[9] for row in rows[1:]) == 730 + 365 + 306


def test_a_download_with_a_period_and_a_scope(client, world, administrator):
    client.force_login(administrator)
    contract = world["contracts"][0]
    response = download(
        client, "heures-par-mois", "csv", year="", start="2026-01-01", end="2026-02-28", scope="contract",
        scope_id=f"contract:{contract.pk}",
    )  # fmt: skip
    assert response.status_code == 200
    assert (
        f'filename="clausier-heures-par-mois-2026-01-01-2026-02-28-{contract.reference.lower()}'
        in (response["Content-Disposition"])
    )
    rows = csv_rows(response)
    assert rows[0] == ["Lot", "janv. 2026", "févr. 2026", "Total"]
    assert rows[-1] == ["Total", "180", "170", "350"]


def test_facilitators_get_names_readers_and_buyers_do_not(client, world, facilitator, department_reader):
    trevoux_buyer = user_with_role(Role.BUYER, organisation=world["trevoux"])
    client.force_login(facilitator)
    assert "Alpha" in download(client, "mises-a-l-emploi", "csv").content.decode("utf-8-sig")
    client.force_login(trevoux_buyer)
    # A buyer reads their contracts aggregated: no row per person, even without a name.
    assert download(client, "mises-a-l-emploi", "csv").status_code == 404
    assert "Mises à l'emploi" not in client.get(reverse("reporting:export_index")).content.decode()
    for user in (department_reader,):
        client.force_login(user)
        for fmt in ("csv", "xlsx"):
            response = download(client, "mises-a-l-emploi", fmt)
            assert response.status_code == 200
            if fmt == "csv":
                text = response.content.decode("utf-8-sig")
            else:
                cells = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
                text = "\n".join(str(value) for row in cells for value in row)
            assert "Personne 1" in text
            for last_name in ("Alpha", "Bravo", "Charlie", "Delta", "Echo"):
                assert last_name not in text


# Session, user and memberships, then the export's own queries (see test_exports.QUERIES).
DOWNLOAD_QUERIES = {
    "lots": 5,
    "mises-a-l-emploi": 7,
    "heures-par-mois": 5,
    "heures-par-regroupement": 19,
    "indicateurs": 19,
}


@pytest.mark.parametrize("name", list(DOWNLOAD_QUERIES))
def test_the_number_of_queries_of_a_download_does_not_grow(
    client, world, administrator, django_assert_num_queries, name
):
    client.force_login(administrator)
    for _ in range(2):
        with django_assert_num_queries(DOWNLOAD_QUERIES[name]):
            assert download(client, name, "xlsx").status_code == 200
        dataset.build()


@pytest.mark.parametrize("role", FIGURE_ROLES)
def test_the_reports_page_leads_to_the_exports(client, users_by_role, role):
    client.force_login(users_by_role[role])
    assert f'href="{INDEX}"' in client.get(reverse("reporting:report_list")).content.decode()

"""Import of a month's hours through the employer's portal: access, form, error table, templates."""

import csv
import html
import io
import re
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.roles import Role
from placements.models import DeclarationLine, MonthlyDeclaration
from portal.declaration_imports import COLUMN_KEYS
from tests.partners.factories import OrganisationFactory
from tests.placements.factories import ParticipantFactory, PlacementFactory, declared_month

MARCH = date(2026, 3, 1)
IMPORT = reverse("placements:declaration_import", kwargs={"year": 2026, "month": 3})
GRID = reverse("placements:declaration_grid", kwargs={"year": 2026, "month": 3})
OUTSIDERS = [Role.FACILITATOR, Role.DEPARTMENT_READER, Role.BUYER]


def template_url(fmt, year=2026, month=3):
    return reverse("placements:declaration_import_template", kwargs={"year": year, "month": month, "fmt": fmt})


@pytest.fixture
def company(employer):
    return employer.memberships.get().organisation


@pytest.fixture
def julie(company):
    return PlacementFactory(employer=company, participant=ParticipantFactory(first_name="Julie", last_name="Martin"))


@pytest.fixture
def omar(company, julie):
    return PlacementFactory(
        employer=company, lot=julie.lot, participant=ParticipantFactory(first_name="Omar", last_name="Benali")
    )


def line_of(placement, hours, **overrides):
    values = {
        "reference": placement.pk,
        "nom": placement.participant.last_name,
        "prenom": placement.participant.first_name,
        "lot": "",
        "mois": "03/2026",
        "heures": hours,
    }
    values.update(overrides)
    return ";".join(str(values[key]) for key in COLUMN_KEYS)


def upload(*lines, name="heures.csv"):
    text = "\r\n".join([";".join(COLUMN_KEYS), *lines])
    return SimpleUploadedFile(name, "\ufeff".encode() + text.encode(), content_type="text/csv")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def text_of(response):
    """The page as a person reads it: entities decoded, spaces collapsed."""
    return " ".join(html.unescape(response.content.decode()).split())


def saved(company):
    return dict(
        DeclarationLine.objects.current()
        .filter(declaration__employer=company, declaration__month=MARCH)
        .values_list("placement_id", "hours")
    )


# Access ------------------------------------------------------------------------------------------


def test_employer_sees_the_form_with_explanations_and_template_links(client, employer, company, julie, omar):
    client.force_login(employer)

    response = client.get(IMPORT)

    assert response.status_code == 200
    content = response.content.decode()
    assert '<h1 class="h2">Importer les heures de mars 2026</h1>' in content
    assert company.name in content
    assert 'enctype="multipart/form-data"' in content
    assert "Fichier CSV ou XLSX" in content
    assert f'href="{template_url("xlsx")}"' in content
    assert f'href="{template_url("csv")}"' in content
    assert "les 2 personnes" in content
    assert "<code>heures</code>" in content and "<code>reference</code>" in content
    assert "tout ou rien" in content
    assert f'href="{GRID}"' in content
    assert 'role="alert"' not in content
    assert "style=" not in content and "<script>" not in content


def test_employer_without_people_this_month_is_told_so(client, employer, company):
    client.force_login(employer)

    response = client.get(IMPORT)

    assert response.status_code == 200
    assert "il n'y a pas d'heures à importer pour ce mois" in response.content.decode()


@pytest.mark.parametrize("role", OUTSIDERS)
def test_facilitators_readers_and_buyers_get_403_everywhere(client, users_by_role, julie, role):
    client.force_login(users_by_role[role])

    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"file": upload(line_of(julie, "35"))}).status_code == 403
    assert client.get(template_url("csv")).status_code == 403
    assert client.get(template_url("xlsx")).status_code == 403
    assert client.get(template_url("pdf")).status_code == 403
    assert not DeclarationLine.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(IMPORT)

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "login" in response["Location"]


def test_an_employer_cannot_import_for_another_organisation(client, employer, julie):
    other = PlacementFactory()
    client.force_login(employer)

    response = client.get(IMPORT, {"employeur": other.employer.pk})
    assert response.status_code == 404
    response = client.post(f"{IMPORT}?employeur={other.employer.pk}", {"file": upload(line_of(other, "35"))})
    assert response.status_code == 404
    assert client.get(template_url("csv"), {"employeur": other.employer.pk}).status_code == 404
    assert not DeclarationLine.objects.exists()


def test_administrator_imports_for_the_employer_named_in_the_address(client, administrator, company, julie):
    client.force_login(administrator)

    assert client.get(IMPORT).status_code == 404  # for whom?
    page = client.get(IMPORT, {"employeur": company.pk})
    assert page.status_code == 200
    assert f"{template_url('csv')}?employeur={company.pk}" in page.content.decode()
    contracting_authority = OrganisationFactory(kind="contracting_authority")
    assert client.get(IMPORT, {"employeur": contracting_authority.pk}).status_code == 404

    response = client.post(f"{IMPORT}?employeur={company.pk}", {"file": upload(line_of(julie, "35"))})

    assert response.status_code == 302
    assert response["Location"] == f"{GRID}?employeur={company.pk}"
    assert saved(company) == {julie.pk: D("35")}
    assert DeclarationLine.objects.get().created_by == administrator


@pytest.mark.parametrize(("year", "month"), [(2026, 13), (2026, 0), (1999, 12)])
def test_unknown_months_are_404(client, employer, company, year, month):
    client.force_login(employer)

    assert (
        client.get(reverse("placements:declaration_import", kwargs={"year": year, "month": month})).status_code == 404
    )
    assert client.get(template_url("csv", year, month)).status_code == 404


# Upload ------------------------------------------------------------------------------------------


def test_valid_file_saves_every_hour_and_goes_to_the_grid(client, employer, company, julie, omar):
    client.force_login(employer)

    response = client.post(IMPORT, {"file": upload(line_of(julie, "151,67"), line_of(omar, ""))})

    assert response.status_code == 302
    assert response["Location"] == GRID
    assert messages_of(response) == ["1 ligne importée ; vérifiez puis transmettez au facilitateur."]
    assert saved(company) == {julie.pk: D("151.67")}


def test_success_message_counts_the_lines_and_names_ignored_columns(client, employer, company, julie, omar):
    client.force_login(employer)
    text = "\r\n".join(
        [
            "reference;nom;prenom;mois;heures;remarque",
            f"{julie.pk};Martin;Julie;03/2026;35;",
            f"{omar.pk};Benali;Omar;03/2026;40;congés",
        ]
    )

    response = client.post(IMPORT, {"file": SimpleUploadedFile("heures.csv", text.encode("cp1252"))})

    assert response.status_code == 302
    assert messages_of(response) == [
        "2 lignes importées ; vérifiez puis transmettez au facilitateur.",
        "Colonnes non reconnues, donc ignorées : « remarque ».",
    ]


def test_xlsx_upload(client, employer, company, julie):
    workbook = openpyxl.Workbook()
    workbook.active.append(COLUMN_KEYS)
    workbook.active.append([julie.pk, "Martin", "Julie", "", "03/2026", 35.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(employer)

    response = client.post(IMPORT, {"file": SimpleUploadedFile("heures.xlsx", buffer.getvalue())})

    assert response.status_code == 302
    assert saved(company) == {julie.pk: D("35.5")}


def test_errors_are_listed_and_nothing_is_saved(client, employer, company, julie, omar):
    declared_month(julie, "20", month=MARCH, status="draft")
    client.force_login(employer)

    response = client.post(
        IMPORT,
        {"file": upload(line_of(julie, "35"), line_of(omar, "-4", nom="Durand"), line_of(julie, "12", mois="04/2026"))},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Aucune heure n'a été enregistrée : 4 erreurs" in text_of(response)
    assert "3 lignes lues." in text_of(response)
    start = content.index('id="import-errors"')
    table = content[start : content.index("</table>", start)]
    rows = [" ".join(cells.split()) for cells in table.split("<tr>")[2:]]
    assert len(rows) == 4
    assert 'class="text-end"> 3 </th>' in rows[0] and "<code>nom</code>" in rows[0]
    assert "correspond à Omar BENALI, pas à Omar DURAND" in rows[0]
    assert "<code>heures</code>" in rows[1] and "négatives" in rows[1]
    assert 'class="text-end"> 4 </th>' in rows[2] and "avril 2026" in rows[2]
    assert "Personne en double" in rows[3]
    assert saved(company) == {julie.pk: D("20")}
    assert MonthlyDeclaration.objects.get().revision == 0


def test_another_employers_person_is_not_revealed(client, employer, company, julie):
    other = PlacementFactory(participant=ParticipantFactory(first_name="Secrète", last_name="Ailleurs"))
    client.force_login(employer)

    response = client.post(IMPORT, {"file": upload(line_of(julie, "35"), line_of(other, "10"))})

    content = response.content.decode()
    assert response.status_code == 200
    assert f"la référence {other.pk} ne correspond à aucune personne que vous employez" in content
    # The typed name is shown back as typed, never completed nor confirmed from the database.
    assert "AILLEURS" not in content and "Secrète Ailleurs" not in content
    assert not DeclarationLine.objects.exists()


def test_file_level_errors_are_shown_without_a_line(client, employer, company, julie):
    client.force_login(employer)
    file = SimpleUploadedFile("heures.csv", b"reference;heures\r\n1;2\r\n")

    response = client.post(IMPORT, {"file": file})

    content = text_of(response)
    assert re.search(r"Aucune heure n'a été enregistrée : 1 erreur\b(?!s)", content)
    assert "Colonnes obligatoires absentes : nom, prenom, mois." in content
    assert "tout le fichier" in content


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (None, "Choisissez le fichier à importer."),
        (SimpleUploadedFile("heures.csv", b""), "Le fichier est vide."),
        (SimpleUploadedFile("heures.pdf", b"%PDF-1.7"), "Format non accepté (« .pdf »)"),
    ],
)
def test_the_form_refuses_what_is_not_a_table(client, employer, company, file, message):
    client.force_login(employer)

    response = client.post(IMPORT, {"file": file} if file else {})

    assert response.status_code == 200
    assert f"Le fichier n'a pas été vérifié : {message}" in text_of(response)
    assert not MonthlyDeclaration.objects.exists()


def test_error_page_queries_do_not_grow_with_the_number_of_rows(client, employer, company, julie):
    others = [PlacementFactory(employer=company, lot=julie.lot) for _ in range(199)]
    client.force_login(employer)

    def queries(placements):
        lines = [line_of(placement, "10") for placement in placements] + [line_of(julie, "x")]
        with CaptureQueriesContext(connection) as context:
            response = client.post(IMPORT, {"file": upload(*lines)})
        assert response.status_code == 200
        return len(context.captured_queries)

    assert queries(others[:5]) == queries(others)


# Templates ---------------------------------------------------------------------------------------


def test_csv_template_download(client, employer, company, julie, omar):
    declared_month(omar, "35", month=MARCH, status="pending")
    client.force_login(employer)

    response = client.get(template_url("csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="heures-2026-03-')
    assert response["Content-Disposition"].endswith('.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == COLUMN_KEYS
    assert sorted((line[0], line[1], line[2], line[4], line[5]) for line in table[1:]) == sorted(
        [(str(julie.pk), "Martin", "Julie", "03/2026", ""), (str(omar.pk), "Benali", "Omar", "03/2026", "35")]
    )


def test_xlsx_template_download(client, employer, company, julie):
    client.force_login(employer)

    response = client.get(template_url("xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Heures", "Aide"]
    assert [cell.value for cell in workbook["Heures"][2]][:3] == [julie.pk, "Martin", "Julie"]


def test_template_of_another_format_is_404_and_only_get_is_allowed(client, employer, company):
    client.force_login(employer)

    assert client.get(template_url("pdf")).status_code == 404
    assert client.post(template_url("csv")).status_code == 405


def test_downloaded_template_filled_then_uploaded(client, employer, company, julie, omar):
    client.force_login(employer)
    data = client.get(template_url("csv")).content.decode("utf-8-sig")
    filled = data.replace(f"{julie.pk};Martin;Julie;", f"{julie.pk};MARTIN;julie;").replace(
        ";03/2026;\r\n", ";03/2026;42\r\n"
    )

    response = client.post(IMPORT, {"file": SimpleUploadedFile("heures.csv", filled.encode("cp1252"))})

    assert response.status_code == 302, response.content.decode()
    assert saved(company) == {julie.pk: D("42"), omar.pk: D("42")}

"""Import of companies and structures through the web: access, upload form, error table, template."""

import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners import import_views
from partners.identifiers import build_siren, build_siret
from partners.imports import COLUMN_KEYS
from partners.models import Organisation
from partners.roles import Role

IMPORT = reverse("partners:organisation_import")
LIST = reverse("partners:organisation_list")
DIRECTORY_ROLES = [Role.ADMINISTRATOR, Role.FACILITATOR]
OUTSIDERS = [Role.DEPARTMENT_READER, Role.EMPLOYER, Role.BUYER]
Kind = Organisation.Kind


def template_url(fmt):
    return reverse("partners:organisation_import_template", args=[fmt])


def siret(number):
    return build_siret(build_siren(f"{60000000 + number:08d}"), "0001")


def csv_upload(lines, name="organisations.csv"):
    text = "\n".join([";".join(COLUMN_KEYS[:4] + ["type_structure"]), *lines])
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def imported():
    return Organisation.objects.filter(kind__in=[Kind.COMPANY, Kind.INCLUSION_STRUCTURE])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", DIRECTORY_ROLES)
def test_facilitators_and_administrators_see_the_form(client, users_by_role, role):
    client.force_login(users_by_role[role])

    response = client.get(IMPORT)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert "Fichier CSV ou XLSX" in content
    assert template_url("csv") in content
    assert template_url("xlsx") in content
    assert "<code>type_structure</code>" in content  # the explanation of the columns
    assert 'role="alert"' not in content


@pytest.mark.parametrize("role", DIRECTORY_ROLES)
def test_facilitators_and_administrators_download_the_templates(client, users_by_role, role):
    client.force_login(users_by_role[role])

    assert client.get(template_url("csv")).status_code == 200
    assert client.get(template_url("xlsx")).status_code == 200


@pytest.mark.parametrize("role", OUTSIDERS)
def test_others_get_403_on_every_view_and_method(client, users_by_role, role):
    client.force_login(users_by_role[role])

    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"file": csv_upload([f"entreprise;Bâtir;{siret(1)};01053;"])}).status_code == 403
    assert client.get(template_url("csv")).status_code == 403
    assert client.get(template_url("xlsx")).status_code == 403
    assert client.post(template_url("csv")).status_code == 403
    assert client.post(template_url("xlsx")).status_code == 403
    assert imported().count() == 1  # the company of the employer fixture
    assert not imported().filter(name="Bâtir").exists()


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(IMPORT)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Upload ----------------------------------------------------------------------------------------


def test_a_valid_file_creates_everything_and_redirects_to_the_directory(client, facilitator):
    client.force_login(facilitator)
    upload = csv_upload([f"entreprise;Bâtir Bresse;{siret(1)};01053;", f"structure;Tremplin;{siret(2)};01004;ACI"])

    response = client.post(IMPORT, {"file": upload})

    assert response.status_code == 302
    assert response["Location"] == LIST
    assert messages_of(response) == ["2 organisations importées."]
    assert set(imported().values_list("name", "kind")) == {
        ("Bâtir Bresse", Kind.COMPANY),
        ("Tremplin", Kind.INCLUSION_STRUCTURE),
    }


def test_a_single_organisation_is_announced_in_the_singular(client, facilitator):
    client.force_login(facilitator)

    response = client.post(IMPORT, {"file": csv_upload([f"entreprise;Bâtir Bresse;{siret(1)};01053;"])})

    assert messages_of(response) == ["1 organisation importée."]


def test_ignored_columns_are_mentioned_after_the_import(client, facilitator):
    client.force_login(facilitator)
    text = f"type;nom;siret;commune;couleur\nentreprise;Bâtir;{siret(1)};01053;rouge\n"

    response = client.post(IMPORT, {"file": SimpleUploadedFile("x.csv", text.encode())})

    assert messages_of(response) == ["1 organisation importée.", "Colonnes non reconnues, donc ignorées : « couleur »."]


def test_errors_are_listed_and_nothing_is_saved(client, facilitator):
    client.force_login(facilitator)
    upload = csv_upload(
        [
            f"entreprise;Bâtir Bresse;{siret(1)};01053;",
            "entreprise;Sans SIRET;;01053;",
            f"structure;Tremplin;{siret(2)};Trucville;",
        ]
    )

    response = client.post(IMPORT, {"file": upload})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Aucune organisation n'a été importée : 3 erreurs" in content
    assert 'role="alert"' in content
    assert "<caption" in content and 'scope="col"' in content
    errors = response.context["errors"]
    assert [(error.line, error.column) for error in errors] == [(3, "siret"), (4, "commune"), (4, "type_structure")]
    assert "SIRET obligatoire : la case est vide." in content
    assert "Commune inconnue « Trucville »" in content
    assert imported().count() == 0


def test_an_unreadable_file_is_explained(client, facilitator):
    client.force_login(facilitator)
    upload = SimpleUploadedFile("colonnes.csv", "nom;ville\nBâtir;Bourg\n".encode())

    response = client.post(IMPORT, {"file": upload})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Aucune organisation n'a été importée : 1 erreur" in content
    assert "Colonnes obligatoires absentes : type, siret, commune." in content


def test_long_error_lists_are_cut_and_say_so(client, facilitator, monkeypatch):
    monkeypatch.setattr(import_views, "MAX_ERRORS_SHOWN", 2)
    client.force_login(facilitator)
    upload = csv_upload([f"entreprise;Bâtir {number};123;01053;" for number in range(3)])

    response = client.post(IMPORT, {"file": upload})

    assert response.context["error_count"] == 3
    assert len(response.context["errors"]) == 2
    assert "Seules les 2 premières erreurs sont listées" in response.content.decode()


@pytest.mark.parametrize("name", ["organisations.xls", "organisations.ods", "organisations.pdf", "organisations"])
def test_other_extensions_are_refused_by_the_form(client, facilitator, name):
    client.force_login(facilitator)

    response = client.post(IMPORT, {"file": SimpleUploadedFile(name, b"type;nom;siret;commune\n")})

    assert response.status_code == 200
    assert "envoyez un fichier .csv ou .xlsx" in response.context["form"].errors["file"][0]
    assert response.context["result"] is None


def test_files_over_the_size_limit_are_refused(client, facilitator, monkeypatch):
    monkeypatch.setattr("partners.import_forms.MAX_FILE_SIZE", 10)
    client.force_login(facilitator)

    response = client.post(IMPORT, {"file": csv_upload([f"entreprise;Bâtir;{siret(1)};01053;"])})

    assert "Mo au maximum" in response.context["form"].errors["file"][0]
    assert imported().count() == 0


def test_a_missing_file_is_required(client, facilitator):
    client.force_login(facilitator)

    response = client.post(IMPORT, {})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]


# Template --------------------------------------------------------------------------------------


def test_csv_template_is_a_semicolon_utf8_file_with_bom(client, facilitator):
    client.force_login(facilitator)

    response = client.get(template_url("csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="modele-import-organisations.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";") == COLUMN_KEYS
    assert [line.split(";")[0] for line in lines[1:]] == ["entreprise", "structure"]


def test_xlsx_template_is_a_workbook(client, facilitator):
    client.force_login(facilitator)

    response = client.get(template_url("xlsx"))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="modele-import-organisations.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMN_KEYS
    assert [row[0] for row in rows[1:]] == ["entreprise", "structure"]
    assert rows[1][COLUMN_KEYS.index("commune")] == "01053"


def test_unknown_template_format_is_404(client, facilitator):
    client.force_login(facilitator)

    assert client.get(template_url("ods")).status_code == 404
    assert client.get(template_url("pdf")).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloaded_template_uploads_back_cleanly(client, facilitator, fmt):
    client.force_login(facilitator)
    template = client.get(template_url(fmt)).content

    response = client.post(IMPORT, {"file": SimpleUploadedFile(f"modele.{fmt}", template)})

    assert response.status_code == 302, response.context["errors"]
    assert messages_of(response) == ["2 organisations importées."]
    structure = imported().get(kind=Kind.INCLUSION_STRUCTURE)
    assert structure.structure_kind == "ACI"
    assert structure.commune.insee_code == "01004"
    assert imported().get(kind=Kind.COMPANY).commune.name == "Bourg-en-Bresse"

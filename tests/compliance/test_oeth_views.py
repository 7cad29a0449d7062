"""The OETH pages: who sees them, the administrator's forms (all or nothing, attestation checked by
its content), the download log, the figures against oeth_rules, the query pins and the XLSX export."""

import html
import io
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from common.dates import today
from compliance import oeth_rules
from compliance.models import AttestationAccess, OethPurchase, OethYear, TihSupplier
from partners.identifiers import build_siren, build_siret
from partners.roles import Role
from tests.partners.factories import user_with_role

from .oeth_factories import PDF, oeth_year, purchase, structure, tih

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def year():
    return today().year - 1


def stored_files(root):
    return sorted(p.name for p in Path(root).rglob("*") if p.is_file()) if Path(root).exists() else []


def year_url(year):
    return reverse("compliance:oeth_year", args=[year])


# Who sees -----------------------------------------------------------------------------------------


def test_the_reader_and_the_administrator_see_the_year(client, administrator, department_reader, year):
    oeth_year(year)
    for user in (administrator, department_reader):
        client.force_login(user)
        response = client.get(year_url(year))
        assert response.status_code == 200
        assert "Déduction OETH" in html.unescape(response.content.decode())


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.EMPLOYER, Role.BUYER])
def test_outsiders_get_404_everywhere(client, role, year):
    year_row = oeth_year(year)
    row = purchase(year_row, "1000", "50")
    client.force_login(user_with_role(role))
    for url in (
        reverse("compliance:oeth_index"),
        year_url(year),
        reverse("compliance:oeth_export", args=[year]),
        reverse("compliance:oeth_attestation", args=[row.pk]),
        reverse("compliance:tih_list"),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("compliance:oeth_year_edit", args=[year]), {}).status_code == 404
    assert not AttestationAccess.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, year):
    response = client.get(year_url(year))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_reader_gets_403_on_every_write(client, department_reader, year):
    year_row = oeth_year(year)
    row = purchase(year_row, "1000", "50")
    supplier = tih()
    client.force_login(department_reader)
    writes = [
        (reverse("compliance:oeth_year_edit", args=[year]), {"contribution": "1", "employment_rate": "1"}),
        (reverse("compliance:oeth_purchase_create", args=[year]), {}),
        (reverse("compliance:oeth_purchase_update", args=[row.pk]), {"amount_invoiced": "0"}),
        (reverse("compliance:tih_list"), {"name": "X", "siret": supplier.siret}),
        (reverse("compliance:tih_update", args=[supplier.pk]), {"name": "Y"}),
    ]
    for url, data in writes:
        assert client.post(url, data).status_code == 403, url
    year_row.refresh_from_db()
    assert year_row.contribution == D("40000") and TihSupplier.objects.count() == 1


def test_the_index_goes_to_the_latest_recorded_year_or_last_year(client, department_reader):
    client.force_login(department_reader)
    assert client.get(reverse("compliance:oeth_index"))["Location"] == year_url(today().year - 1)
    oeth_year(today().year)
    assert client.get(reverse("compliance:oeth_index"))["Location"] == year_url(today().year)


def test_the_dashboard_tabs_lead_to_oeth_for_the_reader_and_the_administrator_only(
    client, administrator, department_reader, facilitator
):
    dashboard = reverse("reporting:department_dashboard")
    for user in (administrator, department_reader):
        client.force_login(user)
        assert reverse("compliance:oeth_index") in html.unescape(client.get(dashboard).content.decode())
    client.force_login(facilitator)
    assert client.get(dashboard).status_code == 404
    assert reverse("compliance:oeth_index") not in html.unescape(client.get("/").content.decode())


# The administrator's forms ------------------------------------------------------------------------


def test_the_administrator_records_the_year_inputs(client, administrator, year):
    client.force_login(administrator)
    url = reverse("compliance:oeth_year_edit", args=[year])
    response = client.post(url, {"contribution": "52000,00", "employment_rate": "3"})
    assert response.status_code == 302
    row = OethYear.objects.get(year=year)
    assert (row.contribution, row.employment_rate, row.updated_by) == (D("52000"), D("3"), administrator)


def test_the_year_inputs_are_checked_in_french(client, administrator, year):
    client.force_login(administrator)
    url = reverse("compliance:oeth_year_edit", args=[year])
    response = client.post(url, {"contribution": "-1", "employment_rate": "101"})
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "Le montant ne peut pas être négatif." in text
    assert "Un pourcentage ne peut pas dépasser 100 %" in text
    assert not OethYear.objects.exists()


def purchase_data(supplier, **fields):
    prefix = "t" if isinstance(supplier, TihSupplier) else "s"
    return {
        "supplier": f"{prefix}{supplier.pk}",
        "contract_reference": "BC-12",
        "amount_invoiced": "40000",
        "labour_share": "60",
        **fields,
    }


def test_the_administrator_records_a_purchase_with_a_valid_pdf(client, administrator, year, private_root):
    year_row = oeth_year(year)
    supplier = structure(name="ESAT de la Dombes")
    client.force_login(administrator)
    upload = SimpleUploadedFile("Attestation 2026.pdf", PDF, content_type="application/pdf")
    url = reverse("compliance:oeth_purchase_create", args=[year])
    response = client.post(url, purchase_data(supplier, attestation=upload))
    assert response.status_code == 302, html.unescape(response.content.decode())
    row = OethPurchase.objects.get()
    assert (row.year, row.structure, row.amount_invoiced, row.labour_share) == (year_row, supplier, D("40000"), D("60"))
    assert row.attestation_name == "Attestation 2026.pdf" and row.attestation_content_type == "application/pdf"
    assert row.recorded_by == administrator
    # Stored privately under a generated name, never the person's.
    files = stored_files(private_root)
    assert len(files) == 1 and files[0].endswith(".pdf") and "Attestation" not in files[0]
    assert row.attestation.name.startswith(f"oeth/{year}/")


def test_a_text_file_named_pdf_is_refused_and_nothing_is_saved(client, administrator, year, private_root):
    oeth_year(year)
    supplier = structure()
    client.force_login(administrator)
    upload = SimpleUploadedFile("attestation.pdf", b"ceci n'est pas un PDF", content_type="application/pdf")
    response = client.post(
        reverse("compliance:oeth_purchase_create", args=[year]), purchase_data(supplier, attestation=upload)
    )
    assert response.status_code == 200
    assert "ni un PDF, ni une image JPEG ou PNG" in html.unescape(response.content.decode())
    assert not OethPurchase.objects.exists()
    assert stored_files(private_root) == []


def test_a_bad_amount_saves_nothing_not_even_a_valid_file(client, administrator, year, private_root):
    oeth_year(year)
    client.force_login(administrator)
    upload = SimpleUploadedFile("attestation.pdf", PDF, content_type="application/pdf")
    data = purchase_data(structure(), amount_invoiced="-5", labour_share="120", attestation=upload)
    response = client.post(reverse("compliance:oeth_purchase_create", args=[year]), data)
    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Le montant ne peut pas être négatif." in text and "ne peut pas dépasser 100" in text
    assert not OethPurchase.objects.exists() and stored_files(private_root) == []


def test_the_attestation_is_required_for_a_new_purchase(client, administrator, year):
    oeth_year(year)
    client.force_login(administrator)
    response = client.post(reverse("compliance:oeth_purchase_create", args=[year]), purchase_data(tih()))
    assert "Joignez l'attestation du fournisseur." in html.unescape(response.content.decode())


def test_editing_a_purchase_keeps_its_attestation(client, administrator, year):
    row = purchase(oeth_year(year), "1000", "50")
    name = row.attestation.name
    client.force_login(administrator)
    data = purchase_data(row.structure, amount_invoiced="2000")
    response = client.post(reverse("compliance:oeth_purchase_update", args=[row.pk]), data)
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.amount_invoiced == D("2000") and row.attestation.name == name


def test_only_ea_esat_and_tih_are_offered_as_suppliers(client, administrator, year):
    oeth_year(year)
    from partners.models import Organisation

    aci = structure(kind=Organisation.StructureKind.ACI, name="Chantier ACI")
    client.force_login(administrator)
    page = html.unescape(client.get(reverse("compliance:oeth_purchase_create", args=[year])).content.decode())
    assert "Chantier ACI" not in page
    response = client.post(reverse("compliance:oeth_purchase_create", args=[year]), {"supplier": f"s{aci.pk}"})
    assert "Choisissez un fournisseur de la liste." in html.unescape(response.content.decode())


def test_the_administrator_marks_a_tih_with_a_valid_siret(client, administrator):
    client.force_login(administrator)
    url = reverse("compliance:tih_list")
    response = client.post(url, {"name": "Lou Martin", "siret": "123 456 789 00012"})
    assert "SIRET invalide" in html.unescape(response.content.decode()) and not TihSupplier.objects.exists()
    siret = build_siret(build_siren("12345678"), "0001")
    assert client.post(url, {"name": "Lou Martin", "siret": siret}).status_code == 302
    assert TihSupplier.objects.get().marked_by == administrator
    assert "déjà celui d'un TIH" in html.unescape(client.post(url, {"name": "Autre", "siret": siret}).content.decode())


# Download and its log -----------------------------------------------------------------------------


def test_every_download_writes_an_access_row(client, department_reader, year):
    row = purchase(oeth_year(year), "1000", "50")
    client.force_login(department_reader)
    url = reverse("compliance:oeth_attestation", args=[row.pk])
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert 'filename="attestation.pdf"' in response["Content-Disposition"]
    accesses = AttestationAccess.objects.filter(purchase=row, user=department_reader)
    assert accesses.count() == 2 and accesses.first().path == url


# Figures ------------------------------------------------------------------------------------------


def test_the_table_equals_the_rule_on_a_capped_year(client, department_reader, year):
    # 60 000 € × 80 % → 48 000 € × 30 % = 14 400 €; 10 000 € × 45 % → 4 500 € × 30 % = 1 350 €;
    # gross 15 750 €; contribution 20 000 €, rate 3 % → cap 75 % = 15 000 €: capped.
    year_row = oeth_year(year, contribution="20000", rate="3")
    purchase(year_row, "60000", "80")
    purchase(year_row, "10000", "45", supplier=tih())
    expected = oeth_rules.year_deduction([(D("60000"), D("80")), (D("10000"), D("45"))], D("20000"), D("3"))
    assert (expected.gross, expected.cap, expected.deductible) == (D("15750.00"), D("15000.00"), D("15000.00"))
    client.force_login(department_reader)
    response = client.get(year_url(year))
    table = response.context["table"]
    assert table.deduction == expected
    assert [row.deduction for row in table.rows] == [D("14400.00"), D("1350.00")]
    assert table.labour_cost == D("52500.00") and table.contribution_after == D("5000.00")
    text = html.unescape(response.content.decode())
    assert expected.explanation in text
    assert "15\u00a0750,00 €" in text and "15\u00a0000,00 €" in text


# Session, user, memberships (3), the year's inputs, its purchases (2), the years shown in the selector (1).
YEAR_PAGE_QUERIES = 6


def test_the_year_page_makes_the_same_number_of_queries_with_2_or_20_purchases(
    client, department_reader, year, django_assert_num_queries
):
    year_row = oeth_year(year)
    for _ in range(2):
        purchase(year_row, "1000", "50")
    client.force_login(department_reader)
    with django_assert_num_queries(YEAR_PAGE_QUERIES):
        assert len(client.get(year_url(year)).context["table"].rows) == 2
    for index in range(18):
        purchase(year_row, "1000", "50", supplier=tih(name=f"TIH {index}", digits=f"{80000000 + index:08d}"))
    with django_assert_num_queries(YEAR_PAGE_QUERIES):
        assert len(client.get(year_url(year)).context["table"].rows) == 20


def test_a_new_attestation_replaces_the_old_file(client, administrator, year, private_root):
    row = purchase(oeth_year(year), "1000", "50")
    old = row.attestation.name
    client.force_login(administrator)
    upload = SimpleUploadedFile("nouvelle.pdf", PDF, content_type="application/pdf")
    data = purchase_data(row.structure, attestation=upload)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the old file goes once the row is saved
        assert client.post(reverse("compliance:oeth_purchase_update", args=[row.pk]), data).status_code == 302
    row.refresh_from_db()
    assert row.attestation_name == "nouvelle.pdf" and row.attestation.name != old
    assert stored_files(private_root) == [Path(row.attestation.name).name]


def test_a_year_out_of_range_is_not_found(client, department_reader):
    client.force_login(department_reader)
    assert client.get(year_url(today().year + 2)).status_code == 404
    assert client.get(year_url(1999)).status_code == 404


def test_the_xlsx_export_holds_the_same_totals(client, department_reader, year):
    year_row = oeth_year(year, contribution="20000", rate="3")
    purchase(year_row, "60000", "80")
    purchase(year_row, "10000", "45", supplier=tih())
    client.force_login(department_reader)
    response = client.get(reverse("compliance:oeth_export", args=[year]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="clausier-oeth-{year}.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row for row in sheet.iter_rows(values_only=True) if row[0]}
    assert D(str(values["Total des achats"][4])) == D("70000")
    assert D(str(values["Total des achats"][7])) == D("15750")
    assert D(str(values["Plafond (75 % de la contribution) (€)"][7])) == D("15000")
    assert D(str(values["Déduction retenue (€)"][7])) == D("15000")
    assert sheet.max_row == 1 + 2 + 1 + 7

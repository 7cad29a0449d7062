"""Proof files of the monthly declarations: checked by content, stored privately, served to who may see."""

import html
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import Organisation
from partners.roles import Role
from placements.models import DeclarationProof, MonthlyDeclaration
from portal import proofs
from tests.partners.factories import OrganisationFactory, user_with_role
from tests.placements.factories import PlacementFactory, declared_month

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def declaration(employer):
    company = employer.memberships.get().organisation
    placement = PlacementFactory(employer=company)
    declared_month(placement, "35", status="draft")
    return MonthlyDeclaration.objects.get(employer=company)


def upload_url(declaration):
    return reverse("placements:proof_upload", args=[declaration.pk])


def upload(client, declaration, name, content, **headers):
    return client.post(upload_url(declaration), {"file": SimpleUploadedFile(name, content)}, **headers)


def text(response):
    return html.unescape(response.content.decode())


# The checks, without the database ----------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type"), [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png")]
)
def test_kind_is_read_from_the_first_bytes(content, content_type):
    assert proofs.check_proof(SimpleUploadedFile("nimporte.txt", content)).content_type == content_type


def test_check_refuses_other_content_empty_and_too_large_files():
    with pytest.raises(proofs.ProofRejected, match="ni un PDF, ni une image JPEG ou PNG"):
        proofs.check_proof(SimpleUploadedFile("paie.pdf", b"Bulletin de paie de mars"))
    with pytest.raises(proofs.ProofRejected, match="vide"):
        proofs.check_proof(SimpleUploadedFile("paie.pdf", b""))
    big = SimpleUploadedFile("paie.pdf", PDF + b"0" * proofs.MAX_PROOF_SIZE)
    with pytest.raises(proofs.ProofRejected, match="10 Mo au plus"):
        proofs.check_proof(big)
    exactly = SimpleUploadedFile("paie.pdf", PDF + b"0" * (proofs.MAX_PROOF_SIZE - len(PDF)))
    assert proofs.check_proof(exactly).extension == ".pdf"


def test_original_name_loses_any_folder():
    assert proofs.original_name("C:\\Users\\paie\\mars.pdf") == "mars.pdf"
    assert proofs.original_name("../../etc/passwd") == "passwd"
    assert proofs.original_name("") == "justificatif"
    assert len(proofs.original_name("a" * 300 + ".pdf")) == proofs.MAX_ORIGINAL_NAME


# Upload ------------------------------------------------------------------------------------


def test_a_pdf_named_png_is_stored_as_a_pdf_under_a_generated_name(client, employer, declaration, private_root):
    client.force_login(employer)
    response = upload(client, declaration, "bulletins mars.png", PDF)
    assert response.status_code == 302 and response.url.endswith("#justificatifs")
    proof = DeclarationProof.objects.get()
    assert proof.original_name == "bulletins mars.png"
    assert (proof.content_type, proof.size, proof.uploaded_by) == ("application/pdf", len(PDF), employer)
    assert proof.file.name.startswith(f"proofs/{declaration.employer_id}/2026-03/")
    assert proof.file.name.endswith(".pdf") and "bulletins" not in proof.file.name
    assert (private_root / proof.file.name).read_bytes() == PDF
    assert "Le justificatif « bulletins mars.png » est joint aux heures de mars 2026." in text(client.get(response.url))


def test_a_text_file_named_pdf_is_refused_next_to_the_field(client, employer, declaration, private_root):
    client.force_login(employer)
    response = upload(client, declaration, "bulletins.pdf", b"Ceci n'est pas un PDF.")
    assert response.status_code == 200
    page = text(response)
    assert "Ce fichier n'est ni un PDF, ni une image JPEG ou PNG" in page
    assert "Heures de mars 2026" in page  # the grid is shown again, with the error by the file field
    assert not DeclarationProof.objects.exists()
    assert not any(private_root.rglob("*.*"))


def test_a_missing_or_too_large_file_is_refused(client, employer, declaration):
    client.force_login(employer)
    assert "Choisissez le fichier à joindre." in text(client.post(upload_url(declaration), {}))
    response = upload(client, declaration, "scan.jpg", JPEG + b"0" * proofs.MAX_PROOF_SIZE)
    assert "10 Mo au plus" in text(response)
    assert not DeclarationProof.objects.exists()


def test_upload_with_htmx_returns_the_proofs_section_only(client, employer, declaration):
    client.force_login(employer)
    response = upload(client, declaration, "releve.png", PNG, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = text(response)
    assert page.lstrip().startswith('<section id="justificatifs"')
    assert "releve.png" in page and "Le justificatif « releve.png » est joint" in page
    assert DeclarationProof.objects.get().content_type == "image/png"
    refused = upload(client, declaration, "releve.png", b"texte", HTTP_HX_REQUEST="true")
    assert "ni un PDF" in text(refused) and DeclarationProof.objects.count() == 1


def test_administrator_uploads(client, administrator, declaration):
    client.force_login(administrator)
    response = upload(client, declaration, "paie.pdf", PDF)
    assert response.status_code == 302
    assert f"employeur={declaration.employer_id}" in response.url
    assert DeclarationProof.objects.get().uploaded_by == administrator


def test_facilitator_may_not_upload(client, facilitator, declaration):
    client.force_login(facilitator)
    assert upload(client, declaration, "paie.pdf", PDF).status_code == 403
    assert not DeclarationProof.objects.exists()


@pytest.mark.parametrize("role", [Role.DEPARTMENT_READER, Role.BUYER])
def test_readers_and_buyers_do_not_see_the_declaration(client, users_by_role, declaration, role):
    client.force_login(users_by_role[role])
    assert upload(client, declaration, "paie.pdf", PDF).status_code == 404


def test_another_employer_gets_404(client, declaration):
    client.force_login(user_with_role(Role.EMPLOYER))
    assert upload(client, declaration, "paie.pdf", PDF).status_code == 404
    assert not DeclarationProof.objects.exists()


def test_upload_is_post_only(client, employer, declaration):
    client.force_login(employer)
    assert client.get(upload_url(declaration)).status_code == 405


# Download ----------------------------------------------------------------------------------


@pytest.fixture
def stored_proof(client, employer, declaration):
    client.force_login(employer)
    upload(client, declaration, "Bulletins de paie — mars.pdf", PDF)
    client.logout()
    return DeclarationProof.objects.get()


def download(client, user, proof):
    client.force_login(user)
    return client.get(reverse("placements:proof_download", args=[proof.pk]))


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.FACILITATOR, Role.ADMINISTRATOR])
def test_who_may_see_the_declaration_downloads_the_file(client, users_by_role, stored_proof, role):
    response = download(client, users_by_role[role], stored_proof)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Bulletins%20de%20paie%20%E2%80%94%20mars.pdf" in disposition


@pytest.mark.parametrize("role", [Role.DEPARTMENT_READER, Role.BUYER])
def test_readers_and_buyers_get_404_on_download(client, users_by_role, stored_proof, role):
    assert download(client, users_by_role[role], stored_proof).status_code == 404


def test_outsiders_get_404_on_download(client, stored_proof):
    assert download(client, user_with_role(Role.EMPLOYER), stored_proof).status_code == 404
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY)
    assert download(client, user_with_role(Role.FACILITATOR, organisation=other_body), stored_proof).status_code == 404


def test_download_requires_login(client, stored_proof):
    response = client.get(reverse("placements:proof_download", args=[stored_proof.pk]))
    assert response.status_code == 302 and "/compte/login/" in response.url


def test_a_file_missing_on_disk_is_a_404(client, employer, stored_proof, private_root):
    (private_root / stored_proof.file.name).unlink()
    assert download(client, employer, stored_proof).status_code == 404


def test_proofs_are_listed_on_the_grid_with_their_download_link(client, employer, stored_proof):
    client.force_login(employer)
    month = stored_proof.declaration.month
    assert month == date(2026, 3, 1)
    page = text(client.get(reverse("placements:declaration_grid", args=[2026, 3])))
    assert reverse("placements:proof_download", args=[stored_proof.pk]) in page
    assert "Bulletins de paie — mars.pdf" in page

"""Hardening: security headers with the production settings, sessions, passwords in French,
uploads checked by their content (issue 8, point 4)."""

import html
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.tabular import content_problem
from partners.import_forms import OrganisationImportForm
from portal.declaration_import_forms import DeclarationImportForm

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7!Qm2#pL9vR4sT8wY1zB6nC3dF5gH0jK2lM4nP6qR8sT0uV2wX4yZ6",
    "ALLOWED_HOSTS": "clausier.ain.fr",
}
# In a fresh interpreter with the production settings: one HTTPS request, its headers and settings.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
settings.ALLOWED_HOSTS = ["clausier.ain.fr"]
client = Client(HTTP_HOST="clausier.ain.fr")
plain = client.get("/healthz")
secure = client.get("/healthz", secure=True)
print(json.dumps({
    "plain_status": plain.status_code, "plain_location": plain.get("Location", ""),
    "headers": dict(secure.headers.items()),
    "session_secure": settings.SESSION_COOKIE_SECURE, "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY, "debug": settings.DEBUG,
}))
"""


def run_production(code):
    # A production process as deployed: none of the test run's services nor its async bypass.
    unset = ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(PRODUCTION_ENV)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=90)


def test_production_responses_carry_the_security_headers():
    result = run_production(PROBE)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    # HTTP is sent to HTTPS.
    assert values["plain_status"] == 301
    assert values["plain_location"] == "https://clausier.ain.fr/healthz"
    headers = values["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert values["session_secure"] and values["csrf_secure"] and values["session_httponly"]
    assert values["debug"] is False


def test_production_check_deploy_has_no_warning():
    code = (
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    result = run_production(code)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_pages_have_no_inline_script_and_send_the_headers(client, facilitator):
    client.force_login(facilitator)
    for url in (reverse("login"), reverse("home"), reverse("two_factor_setup")):
        response = client.get(url)
        content = response.content.decode()
        assert "<script>" not in content and " onclick=" not in content and "javascript:" not in content
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_sessions_expire():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600


@pytest.mark.parametrize(
    "password, message",
    [
        ("court", "Ce mot de passe est trop court"),
        ("motdepasse", "Ce mot de passe est trop courant"),
        ("4815162342", "Ce mot de passe est entièrement numérique"),
    ],
)
def test_password_validators_speak_french(password, message):
    with pytest.raises(ValidationError) as raised:
        validate_password(password)
    assert any(message in text for text in raised.value.messages), raised.value.messages


def test_password_close_to_the_email_is_refused_in_french(facilitator):
    with pytest.raises(ValidationError) as raised:
        validate_password(facilitator.email, user=facilitator)
    assert any("trop semblable" in text for text in raised.value.messages), raised.value.messages


# Uploads: by content, not by name ----------------------------------------------------------------

HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.mark.parametrize(
    "name, content, refused",
    [
        ("heures.csv", b"nom;heures\nDupont;35\n", False),
        ("heures.csv", b"PK\x03\x04rest", False),  # a workbook renamed .csv: read as a workbook
        ("heures.xlsx", b"nom;heures\n", True),
        ("heures.xlsx", HTML_PAGE, True),
        ("heures.csv", HTML_PAGE, True),
        ("heures.csv", b"%PDF-1.7\n", True),
        ("heures.csv", b"\x89PNG\r\n\x1a\n\x00\x00", True),
        ("heures.csv", b"a;b\x00c", True),
        ("heures.csv", "\ufeffnom;heures\n".encode("utf-16"), False),
    ],
)
def test_content_problem(name, content, refused):
    assert (content_problem(SimpleUploadedFile(name, content)) is not None) is refused


@pytest.mark.parametrize("form_class", [OrganisationImportForm, DeclarationImportForm])
def test_import_forms_refuse_a_web_page_named_csv_next_to_the_field(form_class):
    form = form_class(files={"file": SimpleUploadedFile("modele.csv", HTML_PAGE)})
    assert not form.is_valid()
    assert "page web (HTML)" in form.errors["file"][0]
    form = form_class(files={"file": SimpleUploadedFile("modele.xlsx", b"nom;heures\n")})
    assert not form.is_valid()
    assert "n'est pas un classeur XLSX" in form.errors["file"][0]


def test_a_web_page_named_pdf_is_refused_as_proof_next_to_the_field(client, employer, settings, tmp_path):
    from placements.models import DeclarationProof, MonthlyDeclaration
    from tests.placements.factories import PlacementFactory, declared_month

    settings.PRIVATE_STORAGE_ROOT = tmp_path
    company = employer.memberships.get().organisation
    declared_month(PlacementFactory(employer=company), "35", status="draft")
    declaration = MonthlyDeclaration.objects.get(employer=company)
    client.force_login(employer)
    response = client.post(
        reverse("placements:proof_upload", args=[declaration.pk]),
        {"file": SimpleUploadedFile("bulletins.pdf", HTML_PAGE, content_type="application/pdf")},
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Ce fichier n'est ni un PDF, ni une image JPEG ou PNG" in page
    assert 'id="id_file"' in page or 'name="file"' in page
    assert "<script>alert(1)</script>" not in page
    assert not DeclarationProof.objects.exists()
    assert not any(tmp_path.rglob("*.*"))

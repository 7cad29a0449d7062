"""The accessibility statement (/accessibilite/): public, its figures read from the recorded axe-core run."""

import json
import types
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import resolve, reverse

from accessibility import results, views

URL = "/accessibilite/"


def figures_file(tmp_path, roles):
    data = None
    for role, audited in roles.items():
        meta = {
            "axe_version": "4.14.1",
            "browser": "Chromium 1 (headless)",
            "wcag_tags": ["wcag2a"],
            "run_date": "2031-05-04",
        }
        data = results.merge(data, role, results.role_summary(audited), meta)
    path = tmp_path / "axe.json"
    path.write_text(results.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def results_file(settings, tmp_path):
    def point(path):
        settings.CLAUSIER = {**settings.CLAUSIER, "ACCESSIBILITY_RESULTS_FILE": path}

    return point


@pytest.mark.django_db
def test_an_anonymous_visitor_reads_the_figures_of_the_recorded_run(client, tmp_path, results_file):
    minor = {"id": "region", "impact": "minor", "help": "All page content should be contained by landmarks"}
    path = figures_file(
        tmp_path,
        {
            "anonymous": [("login", "compte/login/", [minor]), ("password_reset", "compte/password_reset/", [])],
            "buyer": [
                ("home", "", []),
                ("clauses:lot_detail", "lots/<int:pk>/", [minor, {**minor, "id": "x-rule", "impact": "moderate"}]),
            ],
        },
    )
    results_file(path)
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "4 pages" in text and "4 mai 2031" in text and "2031" in text and "2033" in text
    assert "/lots/{pk}/" in text and "<code>region</code>" in text and "<code>x-rule</code>" in text
    assert "régions (landmarks)" in text
    assert "non conforme" in text


@pytest.mark.django_db
def test_a_missing_file_still_shows_the_statement(client, tmp_path, results_file):
    results_file(tmp_path / "absent.json")
    page = client.get(URL)
    assert page.status_code == 200
    assert 'data-testid="figures-unavailable"' in page.content.decode()


def test_the_level_follows_the_rgaa_rate():
    assert results.compliance_level(None) == "non conforme"
    assert results.compliance_level(49.9) == "non conforme"
    assert results.compliance_level(50) == "partiellement conforme"
    assert results.compliance_level(100) == "totalement conforme"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "login"])
def test_the_footer_links_to_the_statement_with_the_level(client, django_user_model, name):
    if name == "home":
        client.force_login(django_user_model.objects.create_user(email="x@example.fr", password="p"))
    page = client.get(reverse(name)).content.decode()
    footer = page.split("<footer")[1]
    assert f'href="{URL}"' in footer and "Accessibilité : non conforme" in footer


def test_the_repository_file_is_valid_and_lists_the_pages_audited_now():
    """The stale check without a browser: run `make accessibility` when the audited pages change."""
    from tests.e2e import test_accessibility as audit

    path = Path(settings.CLAUSIER["ACCESSIBILITY_RESULTS_FILE"])
    data = json.loads(path.read_text(encoding="utf-8"))
    assert results.problems(data) == []
    assert results.load(path) is not None and views.results_file() == path
    fake = types.SimpleNamespace(pk=1, year=2027, month=2)
    objects = dict.fromkeys(("operation", "contract", "lot", "participant", "offer", "placement"), fake)
    objects |= dict.fromkeys(("declaration", "organisation", "action", "report", "previous"), fake)
    expected = {role: audit.pages_of(role, objects) for role in audit.ACCOUNTS}
    expected["anonymous"] = [reverse(name) for name in audit.PUBLIC_PAGES]
    for role, paths in expected.items():
        pages = [{"url_name": resolve(p).view_name, "path": results.page_path(resolve(p).route)} for p in paths]
        assert data["roles"][role]["pages"] == pages, f"{role}: run make accessibility"
    assert sum(len(summary["pages"]) for summary in data["roles"].values()) == data["totals"]["pages"]

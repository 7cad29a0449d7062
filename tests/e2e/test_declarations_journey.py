"""In Chromium: an employer declares a month by the grid and another by file, attaches proof and
submits; the facilitator refuses one line, the employer corrects it, the facilitator validates;
the lot's progress counts the validated hours and the declaration keeps every version."""

import contextlib
import os
import time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from clauses.models import Lot
from common.dates import month_label
from partners.demo import DEMO_PASSWORD
from placements import declaration_rules as rules
from placements.models import DeclarationLine, MonthlyDeclaration, Placement
from tests.services import real_worker

from .conftest import SCREENSHOTS
from .test_login_journey import log_in
from .test_placements_journey import log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def dashboard_hours(page, url):
    """The validated hours the facilitator's dashboard shows, « 2 287,5 h » read as a Decimal."""
    page.goto(url)
    text = page.get_by_test_id("hours-validated").inner_text()
    return Decimal(text.replace("h", "").replace("\u00a0", "").replace(" ", "").replace(",", ".").strip())


def hours_input(page, placement, month):
    return page.get_by_label(f"Heures de {placement.participant} en {month_label(month)}")


def test_declare_review_correct_validate(page, live_server, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    call_command("seed_demo")
    base = live_server.url
    os.makedirs(SCREENSHOTS, exist_ok=True)
    today = timezone.localdate()
    month = rules.previous_month(today)
    grid = f"{base}/portail/declarations/{month.year}-{month.month}/"
    placements = list(
        Placement.objects.filter(employer__name="Bâtir Bresse Construction", start_date__lte=rules.last_day(month))
        .exclude(end_date__lt=month)
        .select_related("participant", "lot")
        .order_by("participant__last_name")
    )
    assert len(placements) >= 2
    first, second = placements[0], placements[1]

    # The employer declares last month in the grid: a bad value first, then the hours.
    log_in(page, base, "employeur@clausier.demo", DEMO_PASSWORD)
    page.goto(f"{base}/portail/")
    assert month_label(month) in page.locator("main").inner_text()
    page.goto(grid)
    hours_input(page, first, month).fill("-4")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le brouillon").click()
    assert "Les heures ne peuvent pas être négatives." in page.locator("main").inner_text()
    hours_input(page, first, month).fill("35,5")
    hours_input(page, second, month).fill("20")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_label("Justificatif à joindre").set_input_files(
        {"name": "bulletins.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Joindre le justificatif").click()
    page.get_by_role("link", name="bulletins.pdf").wait_for()
    with page.expect_navigation():
        page.get_by_role("button", name="Transmettre au facilitateur").click()
    declaration = MonthlyDeclaration.objects.get(employer=first.employer, month=month)
    assert declaration.status == "submitted"
    page.screenshot(path=os.path.join(SCREENSHOTS, "declaration-grille.png"), full_page=True)

    # The current month by file: the pre-filled template, filled and sent back.
    import_page = f"{base}/portail/declarations/{today.year}-{today.month}/import/"
    page.goto(import_page)
    template = page.request.get(f"{base}/portail/declarations/{today.year}-{today.month}/modele.csv").text()
    header, *rows = [line for line in template.lstrip("\ufeff").splitlines() if line]
    filled = [header] + [row.rstrip(";") + ";12" if row.endswith(";") else row for row in rows]
    page.get_by_label("Fichier CSV ou XLSX", exact=False).set_input_files(
        {"name": "heures.csv", "mimeType": "text/csv", "buffer": ("\n".join(filled) + "\n").encode("utf-8")}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Importer").click()
    page.get_by_text("vérifiez puis transmettez au facilitateur").wait_for()
    assert DeclarationLine.objects.filter(declaration__month=rules.first_day(today), hours=12).exists()
    log_out(page)

    # The Département's dashboard before the validation.
    log_in(page, base, "admin@clausier.demo", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    dashboard = f"{base}/pilotage/?year={month.year}"
    validated_before = dashboard_hours(page, dashboard)
    log_out(page)

    # The facilitator refuses one line and validates the other.
    log_in(page, base, "facilitatrice@clausier.demo", DEMO_PASSWORD)
    page.goto(f"{base}/validation/")
    page.goto(f"{base}/declarations/{declaration.pk}/")
    refused = DeclarationLine.objects.get(declaration=declaration, placement=second, is_current=True)
    page.locator(f"details:has(#refusal-{refused.pk}) > summary").click()
    page.locator(f"#refusal-{refused.pk}").fill("Le relevé indique 18 h.")
    with page.expect_navigation():
        page.locator(f"#refusal-{refused.pk}").locator("xpath=..").get_by_role(
            "button", name="Refuser ces heures"
        ).click()
    with page.expect_navigation():
        page.get_by_role("button", name=f"Valider les heures de {first.participant}").click()
    declaration.refresh_from_db()
    assert declaration.status == "to_correct"
    log_out(page)

    # The employer reads the comment and corrects the line.
    log_in(page, base, "employeur@clausier.demo", DEMO_PASSWORD)
    page.goto(grid)
    assert "Le relevé indique 18 h." in page.locator("main").inner_text()
    hours_input(page, second, month).fill("18")
    with page.expect_navigation():
        page.get_by_role("button", name="Transmettre au facilitateur").click()
    declaration.refresh_from_db()
    assert declaration.status == "submitted"
    log_out(page)

    # The facilitator validates the correction; the lot counts it, every version is kept.
    done_before = Lot.objects.with_progress_data().get(pk=second.lot_id).progress().done
    log_in(page, base, "facilitatrice@clausier.demo", DEMO_PASSWORD)
    page.goto(f"{base}/declarations/{declaration.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name=f"Valider les heures de {second.participant}").click()
    declaration.refresh_from_db()
    assert declaration.status == "validated"
    done_after = Lot.objects.with_progress_data().get(pk=second.lot_id).progress().done
    line = DeclarationLine.objects.get(declaration=declaration, placement=second, is_current=True)
    assert line.version == 2 and line.hours == 18
    assert done_after - done_before == (18 if line.counted else 0)
    assert DeclarationLine.objects.filter(declaration=declaration, placement=second).count() == 2
    page.screenshot(path=os.path.join(SCREENSHOTS, "validation-declaration.png"), full_page=True)
    # The Département's dashboard counts the hours just validated (those inside each person's window).
    counted = sum(line.hours for line in DeclarationLine.objects.filter(declaration=declaration).counted())
    log_out(page)
    log_in(page, base, "admin@clausier.demo", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    # It first shows the figures it had, saying a worker is working them out again; a reload
    # then shows the new ones (a real worker through Redis in CI; in-process without a broker).
    with real_worker() if settings.CELERY_BROKER_URL else contextlib.nullcontext():
        assert dashboard_hours(page, dashboard) == validated_before
        assert "le calcul à jour est en cours" in page.locator("main").inner_text()
        deadline = time.monotonic() + 30
        while "le calcul à jour est en cours" in page.locator("main").inner_text() and time.monotonic() < deadline:
            time.sleep(0.2)
            page.reload()
    assert dashboard_hours(page, dashboard) - validated_before == counted

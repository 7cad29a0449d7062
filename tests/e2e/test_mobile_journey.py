"""On a 390 px wide phone: the employer finds the month to declare, fills the grid and saves it;
the import page fits too. No page scrolls sideways."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from common.dates import month_label
from partners.demo import DEMO_PASSWORD
from placements import declaration_rules as rules
from placements.models import DeclarationLine, Placement

from .test_login_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def assert_fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"


def test_employer_declares_a_month_on_a_phone(phone, live_server):
    call_command("seed_demo")
    page, base = phone, live_server.url
    month = rules.previous_month(timezone.localdate())
    placement = (
        Placement.objects.filter(employer__name="Bâtir Bresse Construction", start_date__lte=rules.last_day(month))
        .exclude(end_date__lt=month)
        .select_related("participant")
        .order_by("participant__last_name")
        .first()
    )
    log_in(page, base, "employeur@clausier.demo", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    assert_fits(page)

    page.goto(f"{base}/portail/")
    assert_fits(page)
    # The navigation folds into a menu button on a phone.
    page.get_by_role("button", name="Ouvrir le menu").click()
    page.get_by_role("link", name="Déclarations").first.wait_for()

    page.goto(f"{base}/portail/declarations/{month.year}-{month.month}/")
    assert_fits(page)
    field = page.get_by_label(f"Heures de {placement.participant} en {month_label(month)}")
    field.fill("27,5")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le brouillon").click()
    assert_fits(page)
    line = DeclarationLine.objects.get(placement=placement, declaration__month=month, is_current=True)
    assert line.hours == 27.5

    page.goto(f"{base}/portail/declarations/{month.year}-{month.month}/import/")
    assert_fits(page)
    assert page.get_by_label("Fichier CSV ou XLSX", exact=False).is_visible()

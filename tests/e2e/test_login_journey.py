"""In Chromium: each demo account logs in and sees the navigation of its role."""

import os

import pytest
from django.core.management import call_command

from partners.demo import ACCOUNTS, DEMO_PASSWORD
from tests.partners.test_navigation import EXPECTED_NAV

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, email, password):
    page.goto(f"{base_url}/compte/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_each_demo_account_logs_in_and_sees_its_navigation(page, live_server):
    call_command("seed_demo")
    page.goto(f"{live_server.url}/compte/login/")
    assert page.locator("html").get_attribute("lang") == "fr"
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, "connexion.png"))
    for account in ACCOUNTS:
        log_in(page, live_server.url, account.email, DEMO_PASSWORD)
        page.wait_for_url(f"{live_server.url}/")
        nav = page.get_by_role("navigation", name="Navigation principale")
        links = nav.locator("ul.me-auto a.nav-link").all_inner_texts()
        assert links == EXPECTED_NAV[account.role], account.email
        assert account.role.label in page.get_by_test_id("current-user").inner_text()
        page.screenshot(path=os.path.join(SCREENSHOTS, f"accueil-{account.role.value}.png"))
        page.get_by_test_id("current-user").click()
        page.get_by_role("button", name="Se déconnecter").click()
        page.wait_for_url("**/compte/login/")


def test_wrong_password_shows_the_error_in_french(page, live_server):
    call_command("seed_demo")
    log_in(page, live_server.url, "facilitatrice@clausier.demo", "pas-le-bon")
    alert = page.get_by_role("alert")
    assert "Adresse e-mail ou mot de passe incorrect" in alert.inner_text()


def test_skip_link_is_the_first_focus(page, live_server):
    page.goto(f"{live_server.url}/compte/login/")
    page.locator("body").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"

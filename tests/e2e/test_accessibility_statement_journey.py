"""In Chromium, logged out: the footer link of the login page leads to the accessibility statement."""

import os

import pytest

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_visitor_follows_the_footer_link_to_the_accessibility_statement(page, live_server):
    page.goto(f"{live_server.url}/compte/login/")
    page.get_by_role("link", name="Accessibilité : non conforme").click()
    page.wait_for_url(f"{live_server.url}/accessibilite/")
    assert page.get_by_role("heading", name="Déclaration d'accessibilité", exact=True).is_visible()
    assert page.get_by_test_id("audit-summary").is_visible()
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, "declaration-accessibilite.png"), full_page=True)

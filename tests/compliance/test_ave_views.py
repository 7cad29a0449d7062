"""The AVE return's page and workbook: who may open them, what they show (the same figures as the
read model, in French number formats), GET only."""

import html
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common.dates import today
from common.templatetags.figures import euros, hours, number, percent
from compliance import ave_return
from partners.roles import Role
from tests.partners.factories import UserFactory
from tests.reporting import dataset

PAGE = reverse("compliance:ave_return")
EXPORT = reverse("compliance:ave_export")
ALLOWED = {Role.ADMINISTRATOR, Role.DEPARTMENT_READER}
FORMATS = {"hours": hours, "money": euros, "rate": percent, "count": lambda value: number(value, 0)}


@pytest.fixture
def world(db):
    return dataset.build()


def test_the_reader_and_the_administrator_see_the_page_and_the_workbook(client, world, users_by_role):
    for role, user in users_by_role.items():
        client.force_login(user)
        expected = 200 if role in ALLOWED else 404
        assert client.get(PAGE, {"year": 2026}).status_code == expected, role
        assert client.get(EXPORT, {"year": 2026}).status_code == expected, role


def test_outsiders_get_404_and_anonymous_visitors_log_in(client, world):
    client.force_login(UserFactory())  # no role
    assert client.get(PAGE).status_code == 404
    assert client.get(EXPORT).status_code == 404
    client.logout()
    response = client.get(PAGE)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_read_only_pages_refuse_a_post(client, world, department_reader, administrator):
    for user in (department_reader, administrator):
        client.force_login(user)
        assert client.post(PAGE).status_code == 405
        assert client.post(EXPORT).status_code == 405


def cells(page):
    return [
        " ".join(html.unescape(text).split())
        for text in re.findall(r'<td class="text-end[^"]*">(.*?)</td>', page, re.S)
    ]


def test_the_page_shows_the_figures_of_the_return_in_french(client, world, department_reader):
    client.force_login(department_reader)
    response = client.get(PAGE, {"year": 2026})
    page = response.content.decode()
    report = ave_return.build(2026)
    expected = [
        " ".join(FORMATS[figure.kind](value).split())
        for section in report.sections
        for figure in section.figures
        for value in figure.values
    ]
    assert cells(page) == expected
    assert "635\u00a0h" in html.unescape(page) and "50\u00a0000\u00a0€" in html.unescape(page)
    for name in ("Alpha", "Bravo", "Charlie", "Delta", "Echo"):
        assert name not in page
    assert f'href="{EXPORT}?year=2026"' in page
    assert "Non couvert par Clausier" in page


def test_the_last_closed_year_by_default_and_one_body(client, world, administrator):
    client.force_login(administrator)
    response = client.get(PAGE)
    assert response.context["report"].year == today().year - 1  # the last closed year
    other = world["other_body"]
    response = client.get(PAGE, {"year": 2026, "body": other.pk})
    assert response.context["report"].columns == [other.name, "Total"]
    assert f"{EXPORT}?year=2026&amp;body={other.pk}" in response.content.decode()


def test_the_workbook_download(client, world, department_reader):
    client.force_login(department_reader)
    response = client.get(EXPORT, {"year": 2026, "body": world["other_body"].pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="clausier-bilan-ave-2026-animation-dombes.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book["Heures d'insertion"]["A4"].value == "Indicateur"
    assert "Non couvert" in book.sheetnames


def test_the_department_dashboard_links_the_return(client, world, department_reader):
    client.force_login(department_reader)
    assert PAGE in client.get(reverse("reporting:department_dashboard")).content.decode()


def test_the_page_reads_as_many_queries_for_more_bodies_and_rows(client, world, department_reader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(department_reader)
    client.get(PAGE, {"year": 2026})  # the session and the user are read once for all
    with CaptureQueriesContext(connection) as few:
        assert client.get(PAGE, {"year": 2026}).status_code == 200
    dataset.build()  # twice the rows and a third body
    with CaptureQueriesContext(connection) as many:
        response = client.get(PAGE, {"year": 2026})
    assert len(response.context["report"].bodies) == 3
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_bad_body_shows_its_error_and_every_body(client, world, department_reader):
    client.force_login(department_reader)
    response = client.get(PAGE, {"year": 2026, "body": world["trevoux"].pk})  # a buyer, not a body
    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    report = response.context["report"]
    assert report.year == 2026 and len(report.bodies) == 2
    assert 'class="invalid-feedback d-block"' in response.content.decode()

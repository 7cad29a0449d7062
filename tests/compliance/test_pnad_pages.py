"""The PNAD/SPASER page, its workbook and its yearly PDF (issue 18): the Département's staff see
the territory, a buyer its own share, everybody else a 404; every figure of the PDF and of the
workbook is the page's."""

import io
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from clauses.models import today
from compliance import pnad_report
from partners.models import Organisation
from partners.roles import Role
from procurement import reconciliation
from reporting.models import Report
from tests.partners.factories import OrganisationFactory, user_with_role
from tests.procurement.factories import DEPARTMENT_SIRET, PublishedContractFactory
from tests.reporting.test_reports_build import pdf_text

MIRIBEL = "21010283500017"
PAGE = reverse("compliance:pnad")
EXPORT = reverse("compliance:pnad_export")
BUILD = reverse("compliance:pnad_report")


@pytest.fixture
def miribel_buyer(db):
    miribel = OrganisationFactory(kind=Organisation.Kind.CONTRACTING_AUTHORITY, siret=MIRIBEL, name="Miribel")
    return user_with_role(Role.BUYER, organisation=miribel)


def territory_2026():
    return next(row for row in reconciliation.shares_by_year() if row.year == 2026)


def test_the_department_reader_sees_the_territory_returns_with_the_chart(client, published, department_reader):
    client.force_login(department_reader)
    response = client.get(PAGE, {"annee": 2026})
    assert response.status_code == 200
    report = response.context["pnad"]
    same = territory_2026()
    current = report.current
    assert (current.count, current.social_count, current.count_share) == (
        same.count,
        same.social_count,
        same.count_share,
    )
    page = response.content.decode().replace("\u00a0", " ")
    assert f"{same.count_share:f}".replace(".", ",") + " %" in page
    assert "<svg" in page and "Objectif PNAD (30 %)" in page
    assert "Commune de Miribel" in page  # the year's buyers
    assert "Construire le bilan PDF 2026" in page
    assert [row.year for row in report.years] == [2026, 2025]


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.EMPLOYER])
def test_other_roles_do_not_find_the_page(client, published, users_by_role, role):
    client.force_login(users_by_role[role])
    assert client.get(PAGE).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert client.post(BUILD, {"year": 2026}).status_code == 404
    assert not Report.objects.exists()


def test_a_buyer_without_a_siret_and_a_user_without_a_role_get_404(client, published, buyer):
    client.force_login(buyer)
    assert client.get(PAGE).status_code == 404
    client.force_login(user_with_role(Role.EMPLOYER))
    assert client.get(PAGE).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, published):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/compte/login/" in response["Location"]


def test_a_buyer_sees_its_own_share_and_no_one_elses(client, published, miribel_buyer):
    client.force_login(miribel_buyer)
    response = client.get(PAGE)
    assert response.status_code == 200
    report = response.context["pnad"]
    assert report.buyer_siret == MIRIBEL and not report.is_territory
    assert (report.current.count, report.current.social_count, report.current.count_share) == (1, 1, Decimal("100.0"))
    assert report.current.hours is None and report.by_buyer == []
    page = response.content.decode()
    assert "Construire le bilan PDF" not in page and "Heures d'insertion validées" not in page
    assert client.get(PAGE, {"acheteur": DEPARTMENT_SIRET}).status_code == 404
    assert client.get(EXPORT, {"acheteur": DEPARTMENT_SIRET}).status_code == 404
    assert client.post(BUILD, {"year": 2026}).status_code == 403  # sees the page, may not ask for the PDF
    assert not Report.objects.exists()


def test_the_staff_may_look_at_one_buyer(client, published, administrator):
    client.force_login(administrator)
    response = client.get(PAGE, {"acheteur": MIRIBEL})
    assert response.context["pnad"].buyer_label == "Commune de Miribel"
    assert client.get(PAGE, {"acheteur": "00000000000000"}).status_code == 404


def test_the_page_shows_a_message_without_published_contracts(client, department_reader):
    client.force_login(department_reader)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "Aucun marché notifié publié" in response.content.decode()


def test_the_workbook_holds_the_page_figures(client, published, department_reader):
    client.force_login(department_reader)
    page = client.get(PAGE, {"annee": 2026}).context["pnad"]
    response = client.get(EXPORT, {"annee": 2026})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="pnad-spaser-territoire.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    years, buyers = workbook.worksheets
    rows = list(years.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [row.year for row in page.years]
    for cells, row in zip(rows, page.years, strict=True):
        assert cells[1:5] == (row.count, row.amount, row.social_count, row.social_amount)
        assert Decimal(str(cells[5])) == row.count_share
    names = {row[0] for row in buyers.iter_rows(min_row=2, values_only=True)}
    assert names == {row.buyer_name for row in page.by_buyer}


def test_the_reader_builds_the_yearly_pdf_with_the_page_figures(
    client, published, department_reader, django_capture_on_commit_callbacks
):
    client.force_login(department_reader)
    page = client.get(PAGE, {"annee": 2026}).context["pnad"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BUILD, {"year": 2026})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reporting:report_detail", args=[report.pk])
    report.refresh_from_db()
    assert (report.kind, report.status, report.progress) == (Report.Kind.COMPLIANCE, Report.Status.DONE, 100)
    assert report.filename == "bilan-pnad-spaser-2026.pdf"
    text = pdf_text(report)
    if os.environ.get("PDF_DIR"):
        with report.file.open("rb") as handle:
            (Path(os.environ["PDF_DIR"]) / report.filename).write_bytes(handle.read())
    current = page.current
    for figure in (
        f"{current.count_share:f}".replace(".", ",") + " %",
        f"{current.amount_share:f}".replace(".", ",") + " %",
        f"{current.social_count} sur {current.count})",
        "Commune de Miribel",
    ):
        assert figure in text, figure
    for row in page.years:
        assert f"{row.count_share:f}".replace(".", ",") + " %" in text
    download = client.get(reverse("reporting:report_download", args=[report.pk]))
    assert download.status_code == 200


def test_a_bad_year_is_refused_with_a_message_and_nothing_is_asked(client, published, administrator):
    client.force_login(administrator)
    response = client.post(BUILD, {"year": "deux mille"}, follow=True)
    assert "Choisissez une année." in response.content.decode()
    response = client.post(BUILD, {"year": 1990}, follow=True)
    assert "Choisissez une année entre 2015 et" in response.content.decode()
    assert not Report.objects.exists()


def test_the_report_form_of_the_reports_page_does_not_offer_the_yearly_compliance_kind(client, administrator):
    client.force_login(administrator)
    kinds = dict(client.get(reverse("reporting:report_list")).context["form"].fields["kind"].choices)
    assert Report.Kind.COMPLIANCE not in kinds and Report.Kind.IMPACT in kinds


def test_the_page_does_a_bounded_number_of_queries(client, published, department_reader, django_assert_num_queries):
    client.force_login(department_reader)
    client.get(PAGE)  # session and memberships warm
    counts = []
    for extra in (0, 12):
        for index in range(extra):
            PublishedContractFactory(buyer_siret=f"2101000{index:02d}00017", amount=Decimal("45000"))
        with django_assert_num_queries(len(_queries(client))) as context:
            client.get(PAGE, {"annee": 2026})
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]


def _queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(PAGE, {"annee": 2026})
    return context.captured_queries


def test_the_read_model_of_a_year_without_contracts_has_no_current_row(published):
    report = pnad_report.build(year=2024)
    assert report.current is None and report.year == 2024 and report.year_choices == [2026, 2025]


def test_the_default_year_is_the_last_complete_one_when_it_has_contracts():
    year = today().year
    assert pnad_report.default_year([year, year - 1, year - 2]) == year - 1
    assert pnad_report.default_year([year, year - 3]) == year
    assert pnad_report.default_year([]) is None


def test_a_yearly_pdf_stops_at_its_year(published):
    report = pnad_report.build(year=2025)
    assert [row.year for row in report.years] == [2026, 2025]
    assert [row.year for row in report.until_year().years] == [2025]


def test_the_page_lists_the_largest_buyers_and_adds_up_the_others(client, published, department_reader):
    for index in range(pnad_report.BUYERS_SHOWN):
        PublishedContractFactory(buyer_siret=f"2101{index:04d}000017", buyer_name=f"Acheteur {index}", amount=45000)
    report = pnad_report.build(year=2026)
    assert len(report.by_buyer) == pnad_report.BUYERS_SHOWN + 2
    others = report.other_buyers
    assert others.buyer_name == "Les 2 autres acheteurs"
    rest = report.by_buyer[pnad_report.BUYERS_SHOWN :]
    assert (others.count, others.amount) == (sum(r.count for r in rest), sum(r.amount for r in rest))
    client.force_login(department_reader)
    page = client.get(PAGE, {"annee": 2026}).content.decode()
    assert "Les 2 autres acheteurs (détail dans le tableur)" in page
    assert pnad_report.build(year=2025).other_buyers is None

"""Report pages: who sees which report, the request form, the polled progress, the download."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from partners.navigation import items_for
from partners.roles import Role
from reporting.models import Report
from reporting.scope import Scope
from tests.partners.factories import user_with_role
from tests.reporting import dataset


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(db):
    return dataset.build()


def make_report(user=None, kind=Report.Kind.IMPACT, scope=None, status=Report.Status.DONE, content=b"%PDF-1.7 faux"):
    scope = scope or Scope()
    report = Report.objects.create(
        kind=kind,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        scope_kind=scope.kind,
        scope_id=scope.pk,
        scope_label=scope.label,
        created_by=user,
        status=status,
        progress=100 if status == Report.Status.DONE else 0,
        error="Le bilan n'a pas pu être construit." if status == Report.Status.FAILED else "",
    )
    if status == Report.Status.DONE:
        report.file.save(report.filename, ContentFile(content))
    return report


@pytest.fixture
def reports(world, administrator, facilitator):
    trevoux_buyer = user_with_role(Role.BUYER, organisation=world["trevoux"])
    return {
        "impact": make_report(administrator),
        "mine": make_report(facilitator, scope=Scope.load("facilitation_body", world["department"].pk)),
        "other_body": make_report(administrator, scope=Scope.load("facilitation_body", world["other_body"].pk)),
        "trevoux": make_report(administrator, kind=Report.Kind.BUYER, scope=Scope.load("buyer", world["trevoux"].pk)),
        "trevoux_contract": make_report(
            administrator,
            kind=Report.Kind.BUYER,
            scope=Scope.load("contract", world["contracts"][1].pk),
            status=Report.Status.FAILED,
        ),
        "department_contract": make_report(
            administrator, kind=Report.Kind.BUYER, scope=Scope.load("contract", world["contracts"][0].pk)
        ),
        "trevoux_impact": make_report(administrator, scope=Scope.load("buyer", world["trevoux"].pk)),
        "trevoux_buyer": trevoux_buyer,
    }


def visible(user):
    return set(Report.objects.for_user(user).values_list("pk", flat=True))


def pks(reports, *names):
    return {reports[name].pk for name in names}


# Who sees what --------------------------------------------------------------------------------


def test_for_user(reports, administrator, department_reader, facilitator, buyer, employer):
    everything = {report.pk for name, report in reports.items() if name != "trevoux_buyer"}
    assert visible(administrator) == visible(department_reader) == everything
    # The facilitator asked for "mine"; "impact" was asked by the administrator for all of Ain.
    assert visible(facilitator) == pks(reports, "mine")
    assert visible(reports["trevoux_buyer"]) == pks(reports, "trevoux", "trevoux_contract")
    assert visible(buyer) == set()  # another buyer never sees Trévoux's reports
    assert visible(employer) == set()


def test_a_facilitator_sees_the_reports_of_their_body(reports, world, facilitator):
    colleague = user_with_role(Role.FACILITATOR, organisation=world["other_body"])
    assert visible(colleague) == pks(reports, "other_body")


def test_the_list_shows_the_visible_reports_newest_first(client, reports):
    client.force_login(reports["trevoux_buyer"])
    response = client.get(reverse("reporting:report_list"))
    assert response.status_code == 200
    assert [report.pk for report in response.context["reports"]] == [
        reports["trevoux_contract"].pk,
        reports["trevoux"].pk,
    ]
    assert response.context["form"] is None  # a buyer reads, never asks
    assert b"Demander un bilan" not in response.content
    assert "Échec".encode() in response.content and "Prêt".encode() in response.content


def test_the_list_is_closed_to_employers_and_anonymous_users(client, reports, employer):
    url = reverse("reporting:report_list")
    assert client.get(url).status_code == 302
    client.force_login(employer)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["report_detail", "report_status", "report_download"])
def test_object_pages_right_user_and_outsiders(client, reports, buyer, employer, name):
    report = reports["trevoux"]
    url = reverse(f"reporting:{name}", args=[report.pk])
    client.force_login(reports["trevoux_buyer"])
    assert client.get(url).status_code == 200
    for outsider in (buyer, employer):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_the_download_is_an_attachment_named_after_the_report(client, reports, department_reader):
    client.force_login(department_reader)
    response = client.get(reverse("reporting:report_download", args=[reports["impact"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bilan-impact-2026.pdf"'
    assert b"".join(response.streaming_content) == b"%PDF-1.7 faux"


def test_no_download_before_the_report_is_done(client, reports, administrator):
    client.force_login(administrator)
    assert client.get(reverse("reporting:report_download", args=[reports["trevoux_contract"].pk])).status_code == 404


def test_the_detail_of_a_pending_report_polls_its_state(client, world, administrator):
    report = make_report(administrator, status=Report.Status.RUNNING)
    client.force_login(administrator)
    page = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    state_url = reverse("reporting:report_status", args=[report.pk])
    assert f'hx-get="{state_url}"' in page and 'hx-trigger="every 2s"' in page
    assert "<progress" in page and "style=" not in page

    Report.objects.filter(pk=report.pk).update(status=Report.Status.DONE, progress=100)
    report.refresh_from_db()
    report.file.save(report.filename, ContentFile(b"%PDF"))
    fragment = client.get(state_url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in fragment  # done: the polling stops
    assert reverse("reporting:report_download", args=[report.pk]) in fragment
    assert "<html" not in fragment


def test_a_failed_report_shows_its_error_and_a_retry_button(client, reports, administrator):
    report = reports["trevoux_contract"]
    client.force_login(administrator)
    page = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "Le bilan n'a pas pu être construit." in page
    assert reverse("reporting:report_retry", args=[report.pk]) in page and "Relancer" in page


# Writes -----------------------------------------------------------------------------------------


def test_retry_puts_a_failed_report_back_in_the_queue(
    client, reports, department_reader, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr("reporting.report_services.build_report.delay", lambda pk: sent.append(pk))
    report = reports["trevoux_contract"]
    client.force_login(department_reader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:report_retry", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.error) == (Report.Status.QUEUED, "")
    assert sent == [report.pk]


def test_read_only_users_get_403_on_writes_and_outsiders_404(client, reports, buyer, employer):
    report = reports["trevoux_contract"]
    client.force_login(reports["trevoux_buyer"])
    assert client.post(reverse("reporting:report_retry", args=[report.pk])).status_code == 403
    response = client.post(reverse("reporting:report_list"), {"kind": "impact", "scope_kind": "all"})
    assert response.status_code == 403
    for outsider in (buyer, employer):
        client.force_login(outsider)
        assert client.post(reverse("reporting:report_retry", args=[report.pk])).status_code == 404
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED


def post_request(client, **data):
    values = {"kind": "impact", "period_start": "2026-01-01", "period_end": "2026-12-31", "scope_kind": "all"}
    values.update(data)
    return client.post(reverse("reporting:report_list"), values)


def test_a_department_reader_asks_for_a_report(
    client, world, department_reader, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr("reporting.report_services.build_report.delay", lambda pk: sent.append(pk))
    client.force_login(department_reader)
    form = client.get(reverse("reporting:report_list")).context["form"]
    assert (form["period_start"].value(), form["period_end"].value()) == (
        date(date.today().year, 1, 1),
        date(date.today().year, 12, 31),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = post_request(client, scope_kind="epci", epci=world["trevoux_commune"].epci_id)
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:report_detail", args=[report.pk])
    assert (report.status, report.scope_kind, report.scope_id, report.created_by) == (
        Report.Status.QUEUED,
        "epci",
        world["trevoux_commune"].epci_id,
        department_reader,
    )
    assert report.scope_label == "EPCI : CC Dombes Saône Vallée"
    assert sent == [report.pk]


def test_validation_errors_are_in_french_next_to_the_field(client, world, administrator):
    client.force_login(administrator)
    response = post_request(client, scope_kind="buyer")
    assert response.status_code == 200
    assert response.context["form"].errors == {"buyer": ["Choisissez le donneur d'ordre."]}
    response = post_request(client, period_start="2026-12-31", period_end="2026-01-01")
    assert response.context["form"].errors == {"period_end": ["La fin de la période précède son début."]}
    response = post_request(client, kind="buyer", scope_kind="epci", epci=world["trevoux_commune"].epci_id)
    assert "scope_kind" in response.context["form"].errors
    assert "Choisissez le donneur d&#x27;ordre." in post_request(client, scope_kind="buyer").content.decode()
    assert not Report.objects.exists()


def test_a_facilitator_picks_only_scopes_they_see(client, world, facilitator, monkeypatch):
    monkeypatch.setattr("reporting.report_services.build_report.delay", lambda pk: None)
    client.force_login(facilitator)
    form = client.get(reverse("reporting:report_list")).context["form"]
    assert [kind for kind, _ in form.fields["scope_kind"].choices] == ["facilitation_body", "buyer", "contract"]
    assert list(form.fields["buyer"].queryset) == [world["department"]]
    assert "sector" not in form.fields and "epci" not in form.fields
    # All of Ain, another body, another body's buyer: refused.
    assert "scope_kind" in post_request(client, scope_kind="all").context["form"].errors
    response = post_request(client, scope_kind="facilitation_body", facilitation_body=world["other_body"].pk)
    assert "facilitation_body" in response.context["form"].errors
    response = post_request(client, scope_kind="buyer", buyer=world["trevoux"].pk)
    assert "buyer" in response.context["form"].errors
    assert not Report.objects.exists()
    response = post_request(client, kind="buyer", scope_kind="contract", contract=world["contracts"][0].pk)
    assert response.status_code == 302
    assert Report.objects.get().kind == Report.Kind.BUYER


# Navigation and queries ---------------------------------------------------------------------------


def test_navigation_entry_for_those_who_read_figures(users_by_role):
    for role, user in users_by_role.items():
        labels = [item.label for item in items_for(user)]
        assert ("Bilans" in labels) == (role != Role.EMPLOYER), role


LIST_QUERIES = 9  # session, user, memberships, reports, then the five selects of the form


def test_the_list_page_makes_a_fixed_number_of_queries(client, reports, administrator, django_assert_num_queries):
    client.force_login(administrator)
    url = reverse("reporting:report_list")
    client.get(url)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(url).status_code == 200
    for _ in range(5):
        make_report(user_with_role(Role.FACILITATOR))
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url)
    assert len(response.context["reports"]) == 12


def test_a_facilitator_with_one_body_finds_it_chosen(client, facilitator):
    client.force_login(facilitator)
    form = client.get(reverse("reporting:report_list")).context["form"]
    assert form.fields["facilitation_body"].initial == facilitator.memberships.get().organisation_id


def test_a_buyer_is_told_who_requests_their_reports(client, reports, buyer, facilitator):
    """Buyers read the reports made for them but cannot request one: the page says so, and does
    not invite them to ask."""
    client.force_login(buyer)
    page = " ".join(client.get(reverse("reporting:report_list")).content.decode().split())
    assert "demandés par le facilitateur ou le Département" in page and "demandez-en un" not in page
    client.force_login(facilitator)
    page = " ".join(client.get(reverse("reporting:report_list")).content.decode().split())
    assert "demandez-en un" in page and "Demander un bilan" in page

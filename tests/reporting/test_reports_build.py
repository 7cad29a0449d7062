"""The report task on the golden dataset: a PDF with the figures in French, never a person's name."""

import subprocess
from datetime import date

import pytest

from reporting import indicators, report_document
from reporting.models import Report
from reporting.report_services import request_report, retry_report
from reporting.rules import Period
from reporting.scope import Scope
from reporting.tasks import build_report
from tests.reporting import dataset
from tests.services import tasks_eager

YEAR = Period.year(2026)
NAMES = ("Alpha", "Bravo", "Charlie", "Delta", "Echo")


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def built_on(monkeypatch):
    monkeypatch.setattr("reporting.tasks.today", lambda: dataset.ON)


@pytest.fixture
def world(db):
    return dataset.build()


def pdf_text(report):
    with report.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def make_report(user=None, kind=Report.Kind.IMPACT, scope=None, period=YEAR):
    scope = scope or Scope()
    return Report.objects.create(
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        scope_kind=scope.kind,
        scope_id=scope.pk,
        scope_label=scope.label,
        created_by=user,
    )


def test_the_impact_report_prints_the_golden_figures_in_french(world, administrator):
    report = make_report(administrator)
    result = build_report.apply(args=[report.pk])
    assert result.get() == Report.Status.DONE
    report.refresh_from_db()
    assert (report.status, report.progress, report.error) == (Report.Status.DONE, 100, "")
    assert report.started_at and report.finished_at
    assert report.file.name.startswith("reports/") and report.file.name.endswith(".pdf")
    text = pdf_text(report)
    for figure in (
        "Bilan d'impact de la clause sociale d'insertion",
        "Tout l'Ain",
        "Année 2026",
        "Département de l'Ain",
        "Édité le 01/07/2026",
        "Page 1 sur",
        "1 217 h",  # required
        "635 h",  # validated
        "668 h",  # expected on 1 July
        "52,2 %",  # done rate
        "50,0 %",  # sorties dynamiques at exit
        "100,0 %",  # left the RSA at 6 months
        "200 000 €",  # reserved to EA and ESAT, and the Département's spending with them
        "50 000 €",  # reserved to SIAE
        "CA du Bassin de Bourg-en-Bresse",
        "911 h",
        "Val de Saône Dombes",
        "Commune de Trévoux",
        "ESAT Les Ateliers",
        "ETTI Intérim Ain",
        "385 h",  # RSA beneficiaries' hours
        "Acheteurs publics",
        "obligation d'emploi des travailleurs handicapés",
    ):
        assert figure in text, figure
    for name in NAMES:
        assert name not in text


def test_the_buyer_report_shows_the_buyers_lots_and_no_name(world, administrator):
    scope = Scope.load("buyer", world["department"].pk)
    report = make_report(administrator, kind=Report.Kind.BUYER, scope=scope)
    build_report.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    text = pdf_text(report)
    assert "Bilan de la clause sociale d'insertion" in text
    assert "Donneur d'ordre : Département de l'Ain" in text
    assert "911 h" in text and "350 h" in text
    assert "Commune de Trévoux" not in text and "TP Dombes" not in text  # another buyer's lot
    assert world["contracts"][0].reference in text
    for name in NAMES:
        assert name not in text
    assert report.filename == "bilan-clause-departement-de-lain-2026.pdf"


def test_a_facilitator_report_counts_only_the_lots_they_see(world, facilitator):
    # The facilitator works for the Département, which follows the operation in Bourg only.
    report = make_report(facilitator)
    build_report.apply(args=[report.pk])
    report.refresh_from_db()
    text = pdf_text(report)
    assert "911 h" in text and "1 217 h" not in text


@pytest.fixture
def eager_tasks():
    """Run the task sent by the retry in this process, even when a broker is configured (CI): the
    real queue and worker are tested in test_reports_worker.py."""
    with tasks_eager(True):
        yield


def test_a_missing_scope_fails_with_a_french_message_and_retry_builds_it(
    world, administrator, django_capture_on_commit_callbacks, eager_tasks
):
    report = make_report(administrator, kind=Report.Kind.BUYER, scope=Scope.load("buyer", world["trevoux"].pk))
    Report.objects.filter(pk=report.pk).update(scope_id=999999)
    build_report.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert "n'existe plus" in report.error and "Commune de Trévoux" in report.error
    assert report.finished_at and not report.file

    Report.objects.filter(pk=report.pk).update(scope_id=world["trevoux"].pk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        retry_report(report)
    assert len(callbacks) == 1  # sent once, after the commit
    report.refresh_from_db()
    assert (report.status, report.progress, report.error) == (Report.Status.DONE, 100, "")


def test_a_renderer_error_fails_and_is_logged_never_left_running(world, administrator, monkeypatch, caplog):
    report = make_report(administrator)

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint a planté")

    monkeypatch.setattr(report_document, "render_pdf", broken)
    build_report.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.progress == 40
    assert report.error.startswith("Le bilan n'a pas pu être construit")
    assert "WeasyPrint" not in report.error  # technical details go to the log
    assert "WeasyPrint a planté" in caplog.text

    monkeypatch.undo()
    monkeypatch.setattr("reporting.tasks.today", lambda: dataset.ON)
    retry_report(report)
    build_report.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.status == Report.Status.DONE


def test_only_a_failed_report_is_retried(world, administrator):
    report = make_report(administrator)
    with pytest.raises(ValueError):
        retry_report(report)


def test_request_report_creates_the_row_and_sends_the_task_after_commit(
    world, department_reader, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("reporting.report_services.build_report.delay", lambda pk: sent.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(department_reader, Report.Kind.IMPACT, YEAR, Scope())
        assert sent == []  # not before the commit
    assert sent == [report.pk]
    assert (report.status, report.scope_label, report.created_by) == (
        Report.Status.QUEUED,
        "Tout l'Ain",
        department_reader,
    )
    assert report.filename == "bilan-impact-2026.pdf"


def test_a_missing_report_is_not_an_error(db):
    assert build_report.apply(args=[123456]).get() is None


def test_filename_of_a_part_of_a_year(db):
    report = Report(kind=Report.Kind.IMPACT, period_start=date(2026, 1, 1), period_end=date(2026, 6, 30))
    assert report.filename == "bilan-impact-2026-01-01-au-2026-06-30.pdf"


def flat(text):
    return " ".join(text.split())


@pytest.mark.parametrize(
    "edited, behind",
    [
        # A closed year, on its last day: lots 1, 2 and 3 (285 h of 306 done on lot 3).
        (date(2027, 3, 10), "3 lots en retard au 31/12/2026."),
        # The current year, on the edition day: lots 1 and 2.
        (date(2026, 7, 1), "2 lots en retard au 01/07/2026."),
    ],
)
def test_the_impact_report_says_on_which_day_lots_are_behind(world, administrator, monkeypatch, edited, behind):
    monkeypatch.setattr("reporting.tasks.today", lambda: edited)
    report = make_report(administrator)
    build_report.apply(args=[report.pk])
    report.refresh_from_db()
    text = flat(pdf_text(report))
    assert f"Édité le {edited:%d/%m/%Y}" in text
    assert behind in text


def test_the_buyer_report_judges_its_lots_on_the_last_day_of_a_closed_year(world, administrator, monkeypatch):
    from tests.placements.factories import PlacementFactory

    # Lot 1 ran all of 2026: 300 h validated by the end of the year for 730 expected; hours of 2027
    # (here on a placement that ran on) do not make it catch up in the report of 2026.
    lot1 = world["lots"][0]
    late = PlacementFactory(
        lot=lot1, employer=lot1.awards.get().company, start_date=date(2026, 12, 1), end_date=date(2027, 2, 28)
    )
    dataset.line(late, date(2027, 1, 1), 450)
    monkeypatch.setattr("reporting.tasks.today", lambda: date(2027, 3, 10))
    report = make_report(administrator, kind=Report.Kind.BUYER, scope=Scope.load("buyer", world["department"].pk))
    lines = report_document.lot_lines(indicators.compute(YEAR, report.scope, on=date(2027, 3, 10)))
    assert [(line.number, line.done, line.status) for line in lines] == [("1", 300, "behind"), ("2", 130, "behind")]
    build_report.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    assert "Avancement de chaque lot depuis son début, au 31/12/2026" in flat(pdf_text(report))


def test_the_key_figures_count_the_lots_with_a_clause(world, administrator):
    from tests.clauses.factories import ContractFactory, LotFactory

    contract = ContractFactory(operation=world["contracts"][0].operation)
    LotFactory(contract=contract, start_date=date(2026, 2, 1), end_date=date(2026, 5, 31))  # no clause
    report = make_report(administrator)
    figures = indicators.compute(YEAR, Scope(), on=dataset.ON)
    assert figures.lots == 4
    for kind in (Report.Kind.IMPACT, Report.Kind.BUYER):
        report.kind = kind
        html = flat(report_document.render_html(report, figures, dataset.ON))
        assert (
            '<span class="value">3</span> <span class="label">lots avec une clause (2 marchés, 2 opérations)</span>'
            in html
        ), kind

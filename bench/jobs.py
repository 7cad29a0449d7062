"""`make bench`, the jobs: the yearly report built by a real worker through Redis, and the import of
a CSV file of hours by the employer's import page. Run after Django is set up."""

import csv
import io
import time

from bench.databases import vacuum
from bench.pages import Rollback, employer_user, pick_subjects


def measure_report(year, timeout, kind="impact"):
    """Seconds from the request of a yearly report (whole of Ain: the impact report, or the PNAD and
    SPASER report with ``kind="compliance"``) to its PDF, with a real worker started in this process
    and fed through Redis."""
    from celery.contrib.testing.worker import start_worker
    from django.db import transaction

    from config.celery import app as celery_app
    from reporting import rules
    from reporting.models import Report
    from reporting.report_services import request_report
    from reporting.scope import Scope

    subjects_reader = pick_subjects()["reader"]
    celery_app.conf.task_always_eager = False
    period = rules.Period.year(year)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
        start = time.perf_counter()
        with transaction.atomic():
            report = request_report(subjects_reader, Report.Kind(kind), period, Scope())
        deadline = start + timeout
        while True:
            report.refresh_from_db()
            if report.status in (Report.Status.DONE, Report.Status.FAILED) or time.perf_counter() > deadline:
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - start
    figures = {
        "year": year,
        "status": report.status,
        "seconds": round(seconds, 2),
        "pdf_bytes": report.file.size if report.file else 0,
        "error": report.error,
    }
    if report.file:
        report.file.storage.delete(report.file.name)
    Report.objects.filter(pk=report.pk).delete()
    return figures


def measure_import(subjects_month, rows):
    """Rows per second of the import of a CSV file of ``rows`` lines (POST to the import page, as
    an employer), inside a transaction rolled back afterwards. The people and placements the file
    names are copies of one of the employer's, created in the same transaction."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.test import Client

    from placements.models import DeclarationLine, Participant, Placement
    from portal import declaration_imports as imports

    figures = {}
    try:
        with transaction.atomic():
            subjects = pick_subjects()
            employer_id = subjects["employer_id"]
            month = subjects_month or subjects["month"]
            user = employer_user(subjects)
            model = Placement.objects.filter(employer_id=employer_id).select_related("participant").first()
            person = model.participant
            people = []
            for index in range(rows):
                copy = Participant.objects.get(pk=person.pk)
                copy.pk = None
                copy.last_name = f"BANC{index:05d}"
                copy.first_name = "Essai"
                people.append(copy)
            people = Participant.objects.bulk_create(people, batch_size=2000)
            fields = {
                field.attname: getattr(model, field.attname)
                for field in Placement._meta.concrete_fields
                if field.attname not in ("id", "participant_id", "candidacy_id")
            }
            fields.update(start_date=month, end_date=None)
            placements = [Placement(**fields, participant_id=copy.pk) for copy in people]
            placements = Placement.objects.bulk_create(placements, batch_size=2000)
            wanted = {placement.pk for placement in placements}
            buffer = io.StringIO(newline="")
            writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
            writer.writerow(imports.COLUMN_KEYS)
            for reference, last_name, first_name, lot, month_text, _ in imports.template_rows(
                subjects["employer_id"], month
            ):
                if reference in wanted:
                    writer.writerow([reference, last_name, first_name, lot, month_text, "35"])
            content = "\ufeff".encode() + buffer.getvalue().encode("utf-8")

            client = Client()
            client.force_login(user)
            url = f"/portail/declarations/{month.year}-{month.month}/import/"
            upload = SimpleUploadedFile("heures.csv", content, content_type="text/csv")
            start = time.perf_counter()
            response = client.post(url, {"file": upload})
            seconds = time.perf_counter() - start
            saved = DeclarationLine.objects.filter(
                placement_id__in=wanted, is_current=True, declaration__month=month
            ).count()
            if response.status_code != 302 or saved != rows:
                raise RuntimeError(f"import refusé : HTTP {response.status_code}, {saved} lignes enregistrées")
            figures = {
                "rows": rows,
                "file_bytes": len(content),
                "seconds": round(seconds, 2),
                "rows_per_s": round(rows / seconds),
                "employer_id": employer_id,
                "month": month.isoformat(),
            }
            raise Rollback
    except Rollback:
        pass
    vacuum()
    return figures

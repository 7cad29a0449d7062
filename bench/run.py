"""`make bench`: times the main pages, the yearly impact report and the import of hours on PostgreSQL.

Never part of `make test`: these are timings, not tests. See bench/README.md (in French).

    DATABASE_URL=postgres://root@127.0.0.1:5432/clausier_bench \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/2 \
    .venv/bin/python bench/run.py --scale department [--skip-generate] [--repeat 30]

Steps: (1) unless --skip-generate, migrate and fill the database with `generate_dataset`;
(2) on a separate demo database (`<name>_demo`, filled by `seed_demo`), count the queries of each
page, for reference; (3) time each page and its floor (bench/floors.py), the report with a real
worker through Redis, and the import of 10,000 rows; (4) print a table and write results.json.
The pages and the import run inside a transaction that is rolled back, and the report's row and
file are deleted afterwards: the database is left as it was found.
"""

import argparse
import csv
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/clausier_bench"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/2"
IMPORT_ROWS = 10_000
DECP_ROWS = 100_000

TARGETS = {
    "department": {"page_p95_ms": 150, "floor_ratio": 3.0, "report_s": 10, "import_rows_per_s": 2000},
    "national": {"page_p95_ms": 500, "report_s": 60},
}

# Pages whose figures are kept in the cache between two changes of the data
# (reporting/figures_cache.py): timed as served (figures ready) and "cold" (worked out again).
CACHED_PAGES = {"facilitator_dashboard", "department_dashboard"}

PAGES = [
    ("facilitator_dashboard", "Tableau de bord facilitateur (/)"),
    ("department_dashboard", "Pilotage Département (/pilotage/)"),
    ("lot_list", "Liste des lots"),
    ("lot_detail", "Fiche d'un gros lot"),
    ("validation_queue", "File de validation"),
    ("participant_list", "Liste des participants"),
    ("declaration_grid", "Grille de déclaration employeur"),
]


# Databases (before Django is set up) ---------------------------------------------------------


def database_url_for(base_url, suffix=""):
    """The same server, with ``suffix`` added to the database name."""
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))


def database_name(url):
    return urlsplit(url).path.lstrip("/")


def ensure_database(url):
    """Create the database when it does not exist (createdb, as the README says)."""
    import psycopg

    parts = urlsplit(url)
    name = database_name(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if not exists:
        command = ["createdb", "-h", parts.hostname or "127.0.0.1", "-U", parts.username or "root"]
        if parts.port:
            command += ["-p", str(parts.port)]
        subprocess.run([*command, name], check=True)
        log(f"base {name} créée")


def manage(url, *args):
    env = {**os.environ, "DATABASE_URL": url}
    log(f"manage.py {' '.join(args)} ({database_name(url)})")
    # Their output goes to stderr: stdout is the table only.
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT, stdout=sys.stderr)


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# Measures (after Django is set up) -----------------------------------------------------------


def timed(function, warmup, repeat):
    """Median and 95th percentile, in milliseconds, of ``repeat`` calls after ``warmup`` calls."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, max(0, round(0.95 * len(samples)) - 1))]
    return {"median_ms": round(statistics.median(samples), 2), "p95_ms": round(p95, 2), "samples": len(samples)}


def pick_subjects():
    """The users and objects each page is measured with: the biggest ones of the database."""
    from django.db import connection

    from partners.models import User

    with connection.cursor() as cursor:
        # The facilitator who sees the most lots.
        cursor.execute(
            """SELECT m.user_id, COUNT(DISTINCT l.id) FROM partners_membership m
               JOIN clauses_operation o ON o.facilitation_body_id = m.organisation_id
               JOIN clauses_contract k ON k.operation_id = o.id JOIN clauses_lot l ON l.contract_id = k.id
               WHERE m.role = 'facilitator' AND m.is_active GROUP BY m.user_id ORDER BY 2 DESC, 1 LIMIT 1"""
        )
        facilitator_id, facilitator_lots = cursor.fetchone()
        cursor.execute(
            "SELECT user_id FROM partners_membership WHERE role = 'department_reader' AND is_active "
            "ORDER BY user_id LIMIT 1"
        )
        reader_id = cursor.fetchone()[0]
        # The facilitator's lot with the most placements.
        cursor.execute(
            """SELECT l.id, COUNT(p.id) FROM clauses_lot l
               JOIN clauses_contract k ON k.id = l.contract_id JOIN clauses_operation o ON o.id = k.operation_id
               LEFT JOIN placements_placement p ON p.lot_id = l.id
               WHERE o.facilitation_body_id IN (SELECT organisation_id FROM partners_membership
                   WHERE user_id = %s AND role = 'facilitator' AND is_active)
               GROUP BY l.id ORDER BY 2 DESC, 1 LIMIT 1""",
            [facilitator_id],
        )
        lot_id, lot_placements = cursor.fetchone()
        # The employer and month (already declared, not in the future) with the most people.
        cursor.execute(
            """SELECT d.employer_id, d.month, COUNT(p.id) FROM placements_monthlydeclaration d
               JOIN placements_placement p ON p.employer_id = d.employer_id
                AND p.start_date <= (d.month + interval '1 month' - interval '1 day')::date
                AND (p.end_date IS NULL OR p.end_date >= d.month)
               WHERE d.month <= date_trunc('month', now())::date
               GROUP BY 1, 2 ORDER BY 3 DESC, 2 DESC LIMIT 1"""
        )
        employer_id, month, month_people = cursor.fetchone()
        cursor.execute(
            """SELECT m.user_id FROM partners_membership m WHERE m.role = 'employer' AND m.is_active
               AND m.organisation_id = %s
               AND NOT EXISTS (SELECT 1 FROM partners_membership o WHERE o.user_id = m.user_id
                               AND o.is_active AND o.id <> m.id)
               ORDER BY m.user_id LIMIT 1""",
            [employer_id],
        )
        row = cursor.fetchone()
    return {
        "facilitator": User.objects.get(pk=facilitator_id),
        "facilitator_lots": facilitator_lots,
        "reader": User.objects.get(pk=reader_id),
        "lot_id": lot_id,
        "lot_placements": lot_placements,
        "employer_id": employer_id,
        "employer_user": User.objects.get(pk=row[0]) if row else None,
        "month": month,
        "month_people": month_people,
    }


def employer_user(subjects):
    """An employer account of the chosen employer (created inside the rolled-back transaction if none)."""
    from partners.models import Membership, User
    from partners.roles import Role

    if subjects["employer_user"] is not None:
        return subjects["employer_user"]
    user = User.objects.create(email="bench-employeur@clausier.invalid")
    Membership.objects.create(user=user, organisation_id=subjects["employer_id"], role=Role.EMPLOYER)
    return user


def page_requests(subjects):
    """Page name → (user, URL)."""
    month = subjects["month"]
    return {
        "facilitator_dashboard": (subjects["facilitator"], "/"),
        "department_dashboard": (subjects["reader"], "/pilotage/"),
        "lot_list": (subjects["facilitator"], "/lots/"),
        "lot_detail": (subjects["facilitator"], f"/lots/{subjects['lot_id']}/"),
        "validation_queue": (subjects["facilitator"], "/validation/"),
        "participant_list": (subjects["facilitator"], "/participants/"),
        "declaration_grid": (employer_user(subjects), f"/portail/declarations/{month.year}-{month.month:02d}/"),
    }


def floor_parameters(subjects):
    from common.dates import today
    from placements.declaration_rules import last_day

    on = today()
    month = subjects["month"]
    return {
        "user": subjects["facilitator"].pk,
        "start": date(on.year, 1, 1),
        "end": date(on.year, 12, 31),
        "first_year_start": date(on.year - 3, 1, 1),
        "lot": subjects["lot_id"],
        "on": on,
        "month": month,
        "month_end": last_day(month),
        "employer": subjects["employer_id"],
    }


def clients(requests):
    from django.test import Client

    by_user = {}
    for user, _ in requests.values():
        if user.pk not in by_user:
            client = Client()
            client.force_login(user)
            by_user[user.pk] = client
    return by_user


def get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} a répondu {response.status_code}")
    return response


def count_queries(client, url, cold=False):
    """Queries of one request; ``cold``: with the dashboards' cache emptied first (figures worked out)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    return len(captured), sorted(
        ({"ms": float(query["time"]) * 1000, "sql": query["sql"]} for query in captured.captured_queries),
        key=lambda query: -query["ms"],
    )[:3]


def explain(sql):
    """EXPLAIN ANALYZE of a query the page ran (as the ORM sent it), for bench/README.md."""
    from django.db import connection

    if not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql.replace("%", "%%"))
        return "\n".join(row[0] for row in cursor.fetchall())


class Rollback(Exception):
    pass


def measure_counts():
    """Only the number of queries of each page (the run on the demo data)."""
    from django.db import transaction

    counts = {}
    try:
        with transaction.atomic():
            subjects = pick_subjects()
            requests = page_requests(subjects)
            by_user = clients(requests)
            for name, (user, url) in requests.items():
                get(by_user[user.pk], url)  # the first request fills the caches
                counts[name] = count_queries(by_user[user.pk], url, cold=name in CACHED_PAGES)[0]
            raise Rollback
    except Rollback:
        pass
    return counts


def measure_pages(warmup, repeat):
    from django.core.cache import cache
    from django.db import connection, transaction

    from bench import floors

    results = {}
    try:
        with transaction.atomic():
            subjects = pick_subjects()
            requests = page_requests(subjects)
            parameters = floor_parameters(subjects)
            by_user = clients(requests)
            for name, (user, url) in requests.items():
                client = by_user[user.pk]
                log(f"page {name} : {url}")
                page = timed(lambda client=client, url=url: get(client, url), warmup, repeat)
                cold = {}
                if name in CACHED_PAGES:
                    # Each request after a change of the data: the figures worked out again.
                    def cold_get(client=client, url=url):
                        cache.clear()
                        get(client, url)

                    cold = timed(cold_get, min(warmup, 1), max(repeat // 3, 5))
                    cold["warm_queries"] = count_queries(client, url)[0]
                queries, slowest = count_queries(client, url, cold=name in CACHED_PAGES)

                def floor(sql=floors.FLOORS[name]):
                    with connection.cursor() as cursor:
                        cursor.execute(sql, parameters)
                        cursor.fetchall()

                floor_figures = timed(floor, warmup, repeat)
                plan = explain(slowest[0]["sql"]) if slowest else ""
                results[name] = {
                    "url": url,
                    "user": user.email,
                    "queries": queries,
                    **page,
                    "floor_median_ms": floor_figures["median_ms"],
                    "floor_p95_ms": floor_figures["p95_ms"],
                    "ratio": round(page["median_ms"] / floor_figures["median_ms"], 1)
                    if floor_figures["median_ms"]
                    else None,
                    "slowest_queries": slowest,
                    "slowest_plan": plan,
                }
                if cold:
                    results[name].update(
                        cold_median_ms=cold["median_ms"], cold_p95_ms=cold["p95_ms"], warm_queries=cold["warm_queries"]
                    )
            described = {
                "facilitator": subjects["facilitator"].email,
                "facilitator_lots": subjects["facilitator_lots"],
                "reader": subjects["reader"].email,
                "lot_id": subjects["lot_id"],
                "lot_placements": subjects["lot_placements"],
                "employer_id": subjects["employer_id"],
                "month": subjects["month"].isoformat(),
                "month_people": subjects["month_people"],
            }
            raise Rollback
    except Rollback:
        pass
    return results, described


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


def vacuum():
    """The rolled-back import leaves dead rows: clean them so that the next run's plans are the same."""
    from django.db import connection

    tables = [
        "placements_participant",
        "placements_placement",
        "placements_declarationline",
        "placements_historicaldeclarationline",
        "placements_monthlydeclaration",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE tablename = ANY(%s)", [tables])
        for (table,) in cursor.fetchall():
            cursor.execute(f'VACUUM ANALYZE "{table}"')


def machine():
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return {
        "cores": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def postgres_version():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def database_size():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT (SELECT COUNT(*) FROM clauses_lot), (SELECT COUNT(*) FROM placements_participant),
                      (SELECT COUNT(*) FROM placements_placement), (SELECT COUNT(*) FROM placements_declarationline)"""
        )
        lots, participants, placements, lines = cursor.fetchone()
    return {"lots": lots, "participants": participants, "placements": placements, "declaration_lines": lines}


# Verdicts and output ---------------------------------------------------------------------------


def verdicts(scale, pages, demo_counts, report, importing, decp_import=None):
    from bench import decp

    target = TARGETS[scale]
    checks = list(decp.verdicts(decp_import or {}))
    for name, _ in PAGES:
        page = pages[name]
        checks.append(
            (f"{name}: p95 < {target['page_p95_ms']} ms", page["p95_ms"] < target["page_p95_ms"], page["p95_ms"])
        )
        if name == "facilitator_dashboard":
            # Worked out again in the request after each change: the page's target holds for it too.
            checks.append(
                (
                    f"{name} sans cache : p95 < {target['page_p95_ms']} ms",
                    page["cold_p95_ms"] < target["page_p95_ms"],
                    page["cold_p95_ms"],
                )
            )
        if name == "department_dashboard":
            # Worked out again by a worker while the last figures are served: a job, like the report.
            checks.append(
                (
                    f"{name} sans cache (worker) : p95 < {target['report_s']} s",
                    page["cold_p95_ms"] < target["report_s"] * 1000,
                    page["cold_p95_ms"],
                )
            )
        if scale == "department":
            checks.append(
                (
                    f"{name}: page ≤ {target['floor_ratio']:g} × plancher",
                    page["ratio"] is not None and page["ratio"] <= target["floor_ratio"],
                    page["ratio"],
                )
            )
            demo = demo_counts.get(name)
            checks.append(
                (
                    f"{name}: requêtes = démo ({demo})",
                    demo is not None and page["queries"] == demo,
                    page["queries"],
                )
            )
    checks.append(
        (
            f"bilan annuel < {target['report_s']} s",
            report.get("status") == "done" and report["seconds"] < target["report_s"],
            report.get("seconds"),
        )
    )
    if scale == "department":
        checks.append(
            (
                f"import > {target['import_rows_per_s']} lignes/s",
                importing.get("rows_per_s", 0) > target["import_rows_per_s"],
                importing.get("rows_per_s"),
            )
        )
    return [{"target": label, "value": value, "result": "PASS" if ok else "FAIL"} for label, ok, value in checks]


def print_table(results):
    pages = results["pages"]
    demo = results.get("demo_query_counts", {})
    header = f"{'page':<34} {'req.':>5} {'démo':>5} {'médiane ms':>11} {'p95 ms':>8} {'plancher ms':>12} {'ratio':>6}"
    print()
    print(f"Clausier — banc d'essai, échelle {results['scale']}, {results['date']}")
    print(f"{results['machine']['cpu_model']} ({results['machine']['cores']} cœurs), PostgreSQL {results['postgres']}")
    print(f"Données : {results['data']}")
    print()
    print(header)
    print("-" * len(header))
    for name, label in PAGES:
        page = pages[name]
        queries = f"{page['warm_queries']}/{page['queries']}" if name in CACHED_PAGES else page["queries"]
        print(
            f"{label:<34} {queries:>5} {demo.get(name, '-'):>5} {page['median_ms']:>11.1f} "
            f"{page['p95_ms']:>8.1f} {page['floor_median_ms']:>12.2f} {page['ratio']:>6}"
        )
        if name in CACHED_PAGES:
            print(
                f"{'  … sans cache':<34} {page['queries']:>5} {'':>5} "
                f"{page['cold_median_ms']:>11.1f} {page['cold_p95_ms']:>8.1f}"
            )
    report = results["report"]
    print()
    print(f"Bilan d'impact {report.get('year')} (Ain entier, worker réel via Redis) : {report.get('seconds')} s")
    if results.get("compliance_report"):
        pnad = results["compliance_report"]
        print(
            f"Bilan PNAD et SPASER {pnad.get('year')} (Ain entier, {pnad.get('published_contracts')} marchés DECP) : "
            f"{pnad.get('seconds')} s"
        )
    if results.get("import"):
        importing = results["import"]
        print(
            f"Import CSV de {importing['rows']} lignes : {importing['seconds']} s, {importing['rows_per_s']} lignes/s"
        )
    print()
    for verdict in results["verdicts"]:
        print(f"  {verdict['result']:<4}  {verdict['target']}  ({verdict['value']})")
    failed = sum(1 for verdict in results["verdicts"] if verdict["result"] == "FAIL")
    print()
    print(f"{len(results['verdicts']) - failed} objectifs tenus, {failed} manqués.")


# Main ----------------------------------------------------------------------------------------------


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description="Banc d'essai de Clausier (PostgreSQL, worker Celery réel).")
    parser.add_argument("--scale", choices=["department", "national"], default="department")
    parser.add_argument("--skip-generate", action="store_true", help="réutiliser une base déjà remplie")
    parser.add_argument("--repeat", type=int, default=30, help="requêtes mesurées par page (après l'échauffement)")
    parser.add_argument("--warmup", type=int, default=3, help="requêtes d'échauffement par page")
    parser.add_argument("--report-year", type=int, default=None, help="année du bilan (défaut : l'an dernier)")
    parser.add_argument("--import-rows", type=int, default=IMPORT_ROWS)
    parser.add_argument(
        "--decp-rows", type=int, default=DECP_ROWS, help="lignes de la table DECP importée (0 : pas d'import DECP)"
    )
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--skip-demo", action="store_true", help="ne pas compter les requêtes sur la démo")
    parser.add_argument("--counts-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--only-compliance",
        action="store_true",
        help="seulement le bilan PNAD et SPASER, sur une base déjà remplie (avec --skip-generate)",
    )
    return parser.parse_args(argv)


def setup_django(url, broker, storage):
    os.environ["DATABASE_URL"] = url
    os.environ["CELERY_BROKER_URL"] = broker
    os.environ["CELERY_RESULT_BACKEND"] = broker
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["PRIVATE_STORAGE_ROOT"] = storage
    # The dashboards' cache in Redis, as in production, in a database of its own (the bench empties it).
    os.environ.setdefault("CACHE_URL", urlunsplit(urlsplit(broker)._replace(path="/4")))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    from config.startup import tune_garbage_collector

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    tune_garbage_collector()  # as config/wsgi.py does in production


def demo_counts(base_url, broker):
    """Query counts of each page on the demo data (``seed_demo``, in ``<name>_demo``)."""
    url = database_url_for(base_url, "_demo")
    ensure_database(url)
    manage(url, "migrate", "--noinput", "-v", "0")
    manage(url, "seed_demo")
    env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": broker}
    output = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--counts-only"],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(argv=None):
    arguments = parse_arguments(argv)
    base_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    broker = os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER_URL
    if not base_url.startswith("postgres"):
        sys.exit("Le banc d'essai tourne sur PostgreSQL : DATABASE_URL=postgres://…")
    storage = tempfile.mkdtemp(prefix="clausier-bench-")

    if arguments.counts_only:
        setup_django(base_url, broker, storage)
        print(json.dumps(measure_counts()))
        return

    url = base_url if arguments.scale == "department" else database_url_for(base_url, "_national")
    if not arguments.skip_generate:
        ensure_database(url)
        manage(url, "migrate", "--noinput", "-v", "0")
        manage(url, "generate_dataset", "--scale", arguments.scale)
    counts = {} if arguments.skip_demo else demo_counts(base_url, broker)

    setup_django(url, broker, storage)
    from common.dates import today

    if arguments.only_compliance:
        from bench import compliance

        year = arguments.report_year or today().year - 1
        figures = compliance.measure(url, year, arguments.decp_rows, measure_report, log)
        print(json.dumps({"compliance_report": figures, "verdicts": compliance.verdicts(figures)}, indent=2))
        return

    started = datetime.now().astimezone()
    log(f"base {database_name(url)}, échelle {arguments.scale}")
    data = database_size()
    pages, subjects = measure_pages(arguments.warmup, arguments.repeat)
    year = arguments.report_year or today().year - 1
    log(f"bilan d'impact {year}")
    report = measure_report(year, timeout=600)
    from bench import compliance

    compliance_report = compliance.measure(url, year, arguments.decp_rows, measure_report, log)
    importing = {}
    if arguments.import_rows:
        log(f"import de {arguments.import_rows} lignes")
        month = date(today().year, today().month, 1) - timedelta(days=1)
        importing = measure_import(date(month.year, month.month, 1), arguments.import_rows)

    decp_import = {}
    if arguments.decp_rows:
        from bench import decp

        decp_import = decp.measure(url, arguments.decp_rows, log)

    results = {
        "date": started.isoformat(timespec="seconds"),
        "scale": arguments.scale,
        "database": database_name(url),
        "machine": machine(),
        "postgres": postgres_version(),
        "data": data,
        "subjects": subjects,
        "repeat": arguments.repeat,
        "warmup": arguments.warmup,
        "pages": pages,
        "demo_query_counts": counts,
        "report": report,
        "compliance_report": compliance_report,
        "import": importing,
        "decp_import": decp_import,
    }
    results["verdicts"] = verdicts(arguments.scale, pages, counts, report, importing, decp_import)
    results["verdicts"] += compliance.verdicts(compliance_report)
    Path(arguments.output).write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    print_table(results)
    log(f"résultats : {arguments.output}")


if __name__ == "__main__":
    main()

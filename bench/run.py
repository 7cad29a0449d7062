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
import json
import os
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: bench/ is on the path, not the project

from bench.databases import (  # noqa: E402
    DEFAULT_DATABASE_URL,
    database_name,
    database_size,
    database_url_for,
    ensure_database,
    manage,
)
from bench.environment import machine, postgres_version, setup_django  # noqa: E402
from bench.jobs import measure_import, measure_report  # noqa: E402
from bench.logs import log  # noqa: E402
from bench.pages import measure_counts, measure_pages  # noqa: E402
from bench.report import print_table  # noqa: E402
from bench.verdicts import verdicts, with_previous  # noqa: E402

DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/2"
IMPORT_ROWS = 10_000
DECP_ROWS = 100_000


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
    parser.add_argument(
        "--previous",
        default=None,
        help="résultats d'une mesure précédente, à afficher à côté de chaque chiffre "
        "(défaut : le fichier --output, lu avant d'être remplacé, s'il existe)",
    )
    parser.add_argument("--skip-demo", action="store_true", help="ne pas compter les requêtes sur la démo")
    parser.add_argument("--counts-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--only-compliance",
        action="store_true",
        help="seulement le bilan PNAD et SPASER, sur une base déjà remplie (avec --skip-generate)",
    )
    return parser.parse_args(argv)


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


def read_previous(path, output):
    """(path, results) of the previous run: ``path`` if given (it must exist), else the results file
    about to be overwritten, if there is one; (None, None) without a previous run."""
    if path is None:
        path = output
        if not Path(path).exists():
            return None, None
    try:
        return str(path), json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        if path != output:
            sys.exit(f"--previous {path} : illisible ({error})")
        log(f"résultats précédents {path} illisibles, ignorés ({error})")
        return None, None


def main(argv=None):
    arguments = parse_arguments(argv)
    base_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    broker = os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER_URL
    if not base_url.startswith("postgres"):
        sys.exit("Le banc d'essai tourne sur PostgreSQL : DATABASE_URL=postgres://…")
    storage = tempfile.mkdtemp(prefix="clausier-bench-")
    # Read now: the file named by --output is overwritten at the end.
    previous_path, previous = read_previous(arguments.previous, arguments.output)

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
        "previous_results": previous_path,
    }
    results["verdicts"] = with_previous(verdicts(results), previous)
    Path(arguments.output).write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    print_table(results)
    log(f"résultats : {arguments.output}")


if __name__ == "__main__":
    main()

"""The yearly PNAD and SPASER report (issue 18) in the benchmark: built by a real worker for the
whole of Ain, on the bench database with the DECP of a large region (``decp_rows`` rows of
bench/decp_table.py imported by ``manage.py import_decp`` once, when the database has no published
contract yet: it is part of the dataset, like ``generate_dataset``). Target: under 5 s."""

import tempfile
from pathlib import Path

TARGET_SECONDS = 5


def ensure_published_contracts(url, rows, log):
    from bench.decp import _run
    from bench.decp_table import write_table
    from procurement.models import PublishedContract

    if PublishedContract.objects.exists() or not rows:
        return
    with tempfile.TemporaryDirectory(prefix="clausier-decp-") as folder:
        path = Path(folder) / "decp.csv"
        write_table(path, rows)
        log(f"bilan PNAD : import de {rows} lignes DECP dans la base du banc")
        _run(url, "import_decp", str(path))


def measure(url, year, decp_rows, measure_report, log):
    from procurement.models import PublishedContract

    ensure_published_contracts(url, decp_rows, log)
    latest = PublishedContract.objects.dates("notification_date", "year", order="DESC").first()
    report_year = latest.year if latest and not PublishedContract.objects.notified_in(year).exists() else year
    log(f"bilan PNAD et SPASER {report_year}")
    figures = measure_report(report_year, timeout=300, kind="compliance")
    figures["published_contracts"] = PublishedContract.objects.count()
    return figures


def verdicts(figures):
    ok = figures.get("status") == "done" and figures.get("seconds", TARGET_SECONDS) < TARGET_SECONDS
    return [
        {
            "target": f"bilan PNAD et SPASER < {TARGET_SECONDS} s",
            "value": figures.get("seconds"),
            "result": "PASS" if ok else "FAIL",
        }
    ]

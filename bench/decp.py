"""The DECP import benchmark: a consolidated table of ``rows`` rows (bench/decp_table.py) imported
by ``manage.py import_decp`` in a process of its own, on a database of its own (``<name>_decp``,
emptied first), twice: all new, then all known (the idempotent re-import of the nightly job).
Seconds are wall time; memory is the peak resident size of the importing process (``wait4``)."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60
TARGET_PEAK_MB = 300


def _recreate(url, name):
    from urllib.parse import urlsplit, urlunsplit

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _run(url, *args):
    """Run manage.py in a child; (seconds, peak resident MB, output)."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if child.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} a échoué : {output[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, output.strip().splitlines()[-1] if output.strip() else ""


def measure(base_url, rows, log):
    from urllib.parse import urlsplit, urlunsplit

    from bench.decp_table import write_table

    parts = urlsplit(base_url)
    name = parts.path.lstrip("/") + "_decp"
    url = urlunsplit(parts._replace(path="/" + name))
    _recreate(base_url, name)
    log(f"DECP : base {name}, migrate")
    _run(url, "migrate", "--noinput", "-v", "0")
    with tempfile.TemporaryDirectory(prefix="clausier-decp-") as folder:
        path = Path(folder) / "decp.csv"
        write_table(path, rows)
        size = path.stat().st_size
        runs = {}
        for label in ("first", "again"):
            log(f"DECP : import de {rows} lignes ({label})")
            seconds, peak, summary = _run(url, "import_decp", str(path))
            runs[label] = {"seconds": round(seconds, 1), "peak_mb": round(peak), "summary": summary}
    return {"rows": rows, "file_mb": round(size / 1024 / 1024, 1), "database": name, **runs}


def verdicts(figures):
    checks = []
    for label in ("first", "again"):
        run = figures.get(label)
        if not run:
            continue
        checks.append(
            (
                f"import DECP {figures['rows']} lignes ({label}) < {TARGET_SECONDS} s",
                run["seconds"] < TARGET_SECONDS,
                run["seconds"],
            )
        )
        checks.append(
            (f"import DECP ({label}) mémoire < {TARGET_PEAK_MB} Mo", run["peak_mb"] < TARGET_PEAK_MB, run["peak_mb"])
        )
    return checks

"""`make bench`, the databases: their URLs and names, created when missing, the management commands
run on them (before Django is set up in this process), and, once it is, their cleaning and size."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.logs import log

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/clausier_bench"


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


def database_size():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT (SELECT COUNT(*) FROM clauses_lot), (SELECT COUNT(*) FROM placements_participant),
                      (SELECT COUNT(*) FROM placements_placement), (SELECT COUNT(*) FROM placements_declarationline)"""
        )
        lots, participants, placements, lines = cursor.fetchone()
    return {"lots": lots, "participants": participants, "placements": placements, "declaration_lines": lines}

"""Bounded load test on loopback: gunicorn with the production settings, driven by wrk.

`make load` (or `.venv/bin/python bench/load.py --help`):

1. prepares a PostgreSQL database (``clausier_load`` by default, created if missing), migrates,
   seeds the demo data (or ``generate_dataset --scale department`` with ``--dataset department``)
   and collects the static files;
2. starts gunicorn (``config.wsgi``, ``config.settings.production``) on a free port of 127.0.0.1,
   in its own process group, and waits for ``/healthz``;
3. logs in the demo facilitator and the demo employer (real login POST with the CSRF token);
4. runs wrk (``bench/load.lua``) for a fixed duration at each concurrency level, over a rotation
   of facilitator and employer pages;
5. prints a table, writes ``bench/load_results.json`` and stops gunicorn, whatever happened.

Any status other than 200 and any socket error (connect, read, write, timeout) counts as an error.
Plain HTTP on loopback: ``SECURE_SSL_REDIRECT`` is set to False through its environment variable;
every other production setting is as deployed.

Standard library only; needs ``wrk`` (``apt-get install -y wrk``) and PostgreSQL's client tools.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: bench/ is on the path, not the project

from bench.cpu import cpu_model  # noqa: E402
from bench.load_http import EMPLOYER, FACILITATOR, build_mix, check_pages, login, wait_healthy  # noqa: E402
from bench.load_server import (  # noqa: E402
    DEFAULT_DATABASE_URL,
    LoadError,
    database_parts,
    free_port,
    log_tail,
    prepare,
    server_env,
    start_gunicorn,
    stop_gunicorn,
)
from bench.load_table import print_table  # noqa: E402
from bench.load_wrk import run_wrk  # noqa: E402

RESULTS_FILE = ROOT / "bench" / "load_results.json"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL"),
        help=f"PostgreSQL database to prepare and serve (default: $LOAD_DATABASE_URL, else {DEFAULT_DATABASE_URL},"
        " with the suffix _department for --dataset department)",
    )
    parser.add_argument(
        "--dataset",
        choices=["demo", "department"],
        default="demo",
        help="demo: manage.py seed_demo; department: also manage.py generate_dataset --scale department",
    )
    parser.add_argument(
        "--regenerate", action="store_true", help="--dataset department: generate again (generate_dataset --reset)"
    )
    parser.add_argument("--skip-prepare", action="store_true", help="use the database as it is (no migrate/seed)")
    parser.add_argument("--levels", default="4,16,32,64,128", help="concurrent connections, comma-separated")
    parser.add_argument("--duration", type=int, default=30, help="seconds of load at each level")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of unrecorded load before the levels")
    parser.add_argument("--workers", type=int, default=3, choices=[2, 3, 4], help="gunicorn sync workers")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk threads (at most the connections)")
    parser.add_argument("--timeout", type=int, default=10, help="wrk socket timeout in seconds (a timeout is an error)")
    parser.add_argument("--output", type=Path, default=RESULTS_FILE, help="results file (default: %(default)s)")
    args = parser.parse_args(argv)
    if not args.database_url:
        suffix = "_department" if args.dataset == "department" else ""
        args.database_url = DEFAULT_DATABASE_URL + suffix
    try:
        args.levels = [int(level) for level in args.levels.split(",") if level.strip()]
    except ValueError:
        parser.error("--levels: integers separated by commas, e.g. 4,16,32")
    if not args.levels or min(args.levels) < 1:
        parser.error("--levels: at least one level, each at least 1")
    if args.duration < 1:
        parser.error("--duration: at least 1 second")
    return args


def machine_info():
    return {"cpus": os.cpu_count(), "cpu_model": cpu_model(), "loadavg_1_5_15_before": list(os.getloadavg())}


def public_url(url):
    """The database URL without its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")).geturl()


def git_commit():
    completed = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return completed.stdout.strip() or None


def main(argv=None):
    args = parse_args(argv)
    machine = machine_info()  # the load average before anything runs: is the machine shared right now?
    if shutil.which("wrk") is None:
        print("wrk est introuvable : apt-get install -y wrk", file=sys.stderr)
        return 2
    # A TERM (from make, CI or a timeout) goes through the finally below like a Ctrl-C.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    env = server_env(args.database_url)
    workdir = Path(tempfile.mkdtemp(prefix="clausier-load-"))
    log_path = workdir / "gunicorn.log"
    process = None
    keep_log = True
    try:
        if args.skip_prepare:
            database_parts(args.database_url)
        else:
            prepare(args, env)
        port = free_port()
        print(f"gunicorn : 127.0.0.1:{port}, {args.workers} workers sync, journal {log_path}", flush=True)
        process = start_gunicorn(env, port, args.workers, log_path)
        health = wait_healthy(port, process, log_path)
        print(f"/healthz : {health}")

        facilitator_cookie = login(port, FACILITATOR)
        employer_cookie = login(port, EMPLOYER)
        mix = build_mix(port, facilitator_cookie, employer_cookie)
        pages = check_pages(port, mix)
        mix_file = workdir / "mix.tsv"
        mix_file.write_text("".join(f"{path}\t{cookie}\n" for _, path, cookie in mix))

        if args.warmup:
            print(f"Échauffement : {args.warmup} s à {min(args.levels)} connexions…", flush=True)
            run_wrk(port, mix_file, min(args.levels), args.warmup, args, process.pid)
        levels = []
        for connections in args.levels:
            print(f"Palier : {connections} connexions pendant {args.duration} s…", flush=True)
            levels.append(run_wrk(port, mix_file, connections, args.duration, args, process.pid))
            if process.poll() is not None:
                raise LoadError(f"gunicorn exited during the run:\n{log_tail(log_path)}")

        print_table(levels, pages)
        held = [level for level in levels if level["errors"] == 0]
        results = {
            "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "commit": git_commit(),
            "machine": {**machine, "loadavg_1_5_15_after": list(os.getloadavg())},
            "dataset": args.dataset,
            "database": public_url(args.database_url),
            "server": {
                "command": "gunicorn config.wsgi:application",
                "settings": "config.settings.production",
                "SECURE_SSL_REDIRECT": False,
                "workers": args.workers,
                "worker_class": "sync",
                "celery": "eager (no broker)",
            },
            "load": {
                "tool": "wrk 4 + bench/load.lua (closed loop: each connection waits for its answer)",
                "duration_s": args.duration,
                "warmup_s": args.warmup,
                "timeout_s": args.timeout,
                "error_rule": "any status other than 200, and any socket error (connect, read, write, timeout)",
                "mix": [{"role": role, "path": path} for role, path, _ in mix],
            },
            "pages": pages,
            "levels": levels,
            "held_without_error_rps": max((level["rps"] for level in held), default=None),
        }
        args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        print(f"Résultats : {args.output}")
        keep_log = False
        return 0 if held else 1
    except LoadError as exc:
        print(f"Échec : {exc}", file=sys.stderr)
        return 1
    finally:
        stop_gunicorn(process)
        if keep_log and process is not None:
            print(f"Journal de gunicorn gardé : {log_path}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

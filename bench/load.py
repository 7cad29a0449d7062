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
import contextlib
import http.client
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LUA_SCRIPT = ROOT / "bench" / "load.lua"
RESULTS_FILE = ROOT / "bench" / "load_results.json"
DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/clausier_load"
# Databases of the test suite: never prepared nor loaded by this script.
FORBIDDEN_DATABASES = {"test", "test_test"}

FACILITATOR = "facilitatrice@clausier.demo"
EMPLOYER = "employeur@clausier.demo"
DEMO_PASSWORD = "Clausier-demo-2026"

HEALTH_TIMEOUT_S = 60
PAGE_SAMPLES = 10


class LoadError(Exception):
    """A step failed: the message says which, the run stops (gunicorn is still shut down)."""


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
    parser.add_argument("--levels", default="4,16,32", help="concurrent connections, comma-separated")
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


# --- Database and Django commands -----------------------------------------------------------------


def database_parts(url):
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise LoadError(f"PostgreSQL only: {url}")
    name = unquote(parts.path.lstrip("/"))
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise LoadError(f"database name must be letters, digits and underscores: {name!r}")
    if name in FORBIDDEN_DATABASES or name.startswith("test_"):
        raise LoadError(f"refusing to use {name!r}: it belongs to the test suite")
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": str(parts.port or 5432),
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
        "name": name,
    }


def ensure_database(url):
    db = database_parts(url)
    env = {**os.environ, "PGPASSWORD": db["password"]} if db["password"] else dict(os.environ)
    common = ["-h", db["host"], "-p", db["port"], "-U", db["user"]]
    query = f"SELECT 1 FROM pg_database WHERE datname = '{db['name']}'"
    found = run(["psql", *common, "-d", "postgres", "-tAc", query], env=env, capture=True)
    if found.strip() == "1":
        print(f"Base {db['name']} : existante.")
        return
    run(["createdb", *common, db["name"]], env=env)
    print(f"Base {db['name']} : créée.")


def server_env(database_url):
    """The environment of gunicorn and of the management commands: production settings."""
    env = dict(os.environ)
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        env.pop(name, None)  # tasks run eagerly, as the embedded default; /healthz says "eager"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "False",  # plain HTTP on loopback; the rest of production is unchanged
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def run(command, env=None, capture=False, timeout=1800):
    try:
        completed = subprocess.run(
            command, cwd=ROOT, env=env, text=True, capture_output=capture, timeout=timeout, check=False
        )
    except FileNotFoundError as exc:
        raise LoadError(f"command not found: {command[0]}") from exc
    if completed.returncode != 0:
        detail = (completed.stderr or "")[-2000:] if capture else ""
        raise LoadError(f"failed ({completed.returncode}): {' '.join(command)}\n{detail}")
    return completed.stdout if capture else ""


def manage(env, *arguments, capture=False):
    print(f"$ manage.py {' '.join(arguments)}", flush=True)
    return run([sys.executable, "manage.py", *arguments], env=env, capture=capture)


def has_command(env, name):
    completed = subprocess.run(
        [sys.executable, "manage.py", "help", name], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    return completed.returncode == 0


def has_generated_data(env):
    """Whether the database already holds a generated dataset (generate_dataset refuses to run twice)."""
    code = "from demo.dataset import has_generated_data; print(has_generated_data())"
    return manage(env, "shell", "-c", code, capture=True).strip().endswith("True")


def prepare(args, env):
    ensure_database(args.database_url)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "seed_demo")
    if args.dataset == "department":
        if not has_command(env, "generate_dataset"):
            raise LoadError("--dataset department: manage.py generate_dataset does not exist (yet)")
        if args.regenerate:
            manage(env, "generate_dataset", "--scale", "department", "--reset")
        elif has_generated_data(env):
            print("Jeu généré déjà présent : gardé (--regenerate pour le refaire).")
        else:
            manage(env, "generate_dataset", "--scale", "department")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


# --- gunicorn ------------------------------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env, port, workers, log_path):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--error-logfile",
        "-",
    ]
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process in stop_gunicorn
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    process.log = log
    return process


def stop_gunicorn(process):
    """Stop the whole process group (arbiter and workers): TERM, then KILL after 10 s."""
    if process is None:
        return
    try:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        # Workers left behind by an arbiter that died first.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.log.close()
    print("gunicorn arrêté.")


def log_tail(log_path, lines=30):
    try:
        return "\n".join(Path(log_path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def wait_healthy(port, process, log_path):
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LoadError(f"gunicorn exited ({process.returncode}):\n{log_tail(log_path)}")
        try:
            status, _, body = http_request(port, "GET", "/healthz")
            if status == 200:
                return json.loads(body)
            last = f"status {status}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.3)
    raise LoadError(f"/healthz not ready after {HEALTH_TIMEOUT_S} s ({last}):\n{log_tail(log_path)}")


# --- HTTP client: login and checks ---------------------------------------------------------------


def http_request(port, method, path, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        cookies = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            parsed = SimpleCookie()
            parsed.load(header)
            cookies.update({name: morsel.value for name, morsel in parsed.items()})
        content = response.read().decode("utf-8", errors="replace")
        response.cookies = cookies
        return response.status, response, content
    finally:
        connection.close()


def login(port, email):
    """A real login: GET the form for the CSRF cookie and token, POST the credentials.
    Returns the Cookie header of the new session."""
    status, response, page = http_request(port, "GET", "/compte/login/")
    if status != 200:
        raise LoadError(f"login page: status {status}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    csrf_cookie = response.cookies.get("csrftoken")
    if not token or not csrf_cookie:
        raise LoadError("login page: no CSRF token or cookie")
    form = urlencode({"csrfmiddlewaretoken": token.group(1), "username": email, "password": DEMO_PASSWORD})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}"}
    status, response, _ = http_request(port, "POST", "/compte/login/", headers=headers, body=form)
    session = response.cookies.get("sessionid")
    location = response.getheader("Location", "")
    if status != 302 or not session or "/compte/" in location:
        raise LoadError(f"login of {email} failed: status {status}, redirect {location!r} (demo data seeded?)")
    return f"sessionid={session}"


def last_month():
    return (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)


def build_mix(port, facilitator_cookie, employer_cookie):
    """The pages of the rotation: five of the facilitator, two of the employer."""
    status, _, lots = http_request(port, "GET", "/lots/", headers={"Cookie": facilitator_cookie})
    found = re.search(r'href="/lots/(\d+)/"', lots) if status == 200 else None
    if not found:
        raise LoadError(f"no lot in the facilitator's lot list (status {status})")
    month = last_month()
    facilitator_paths = ["/", "/lots/", f"/lots/{found.group(1)}/", "/validation/", "/participants/"]
    employer_paths = ["/portail/", f"/portail/declarations/{month.year}-{month.month:02d}/"]
    return [("facilitatrice", path, facilitator_cookie) for path in facilitator_paths] + [
        ("employeur", path, employer_cookie) for path in employer_paths
    ]


def check_pages(port, mix):
    """Each page once for its status, then PAGE_SAMPLES times alone: the latency without load."""
    pages = []
    for role, path, cookie in mix:
        status, _, body = http_request(port, "GET", path, headers={"Cookie": cookie})
        if status != 200:
            raise LoadError(f"{role} {path}: status {status}, expected 200")
        timings = []
        for _ in range(PAGE_SAMPLES):
            start = time.perf_counter()
            http_request(port, "GET", path, headers={"Cookie": cookie})
            timings.append((time.perf_counter() - start) * 1000)
        pages.append(
            {
                "role": role,
                "path": path,
                "bytes": len(body.encode()),
                "median_ms": round(statistics.median(timings), 1),
                "max_ms": round(max(timings), 1),
            }
        )
    return pages


# --- CPU accounting: where the machine's time goes during a level --------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_ticks():
    """Busy ticks of all CPUs since boot (everything but idle and iowait), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4]


def process_ticks(gunicorn_pgid):
    """CPU ticks used so far by gunicorn's process group and by every PostgreSQL process."""
    gunicorn = postgres = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # the process ended meanwhile
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        # utime + stime, and the same of the children it reaped: PostgreSQL forks one backend per
        # connection, and a backend that ended is counted in the postmaster's cutime + cstime.
        ticks = sum(int(value) for value in fields[11:15])
        if int(fields[2]) == gunicorn_pgid:
            gunicorn += ticks
        elif name.startswith("postgres"):
            postgres += ticks
    return gunicorn, postgres


def cpu_snapshot(gunicorn_pgid):
    gunicorn, postgres = process_ticks(gunicorn_pgid)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once it has ended
    return {
        "time": time.monotonic(),
        "machine": machine_busy_ticks() / CLOCK_TICKS,
        "gunicorn": gunicorn / CLOCK_TICKS,
        "postgres": postgres / CLOCK_TICKS,
        "wrk": children.ru_utime + children.ru_stime,
    }


def cpu_cores(before, after):
    """Average cores busy between two snapshots: the machine, gunicorn, PostgreSQL (every
    backend, whoever its client), wrk, and the rest (other programs of the machine)."""
    wall = after["time"] - before["time"]
    used = {key: (after[key] - before[key]) / wall for key in ("machine", "gunicorn", "postgres", "wrk")}
    used["other"] = used["machine"] - used["gunicorn"] - used["postgres"] - used["wrk"]
    return {key: round(value, 2) for key, value in used.items()}


# --- wrk -------------------------------------------------------------------------------------------


def run_wrk(port, mix_file, connections, duration, args, gunicorn_pgid):
    threads = max(1, min(args.wrk_threads, connections))
    command = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
        "--timeout",
        f"{args.timeout}s",
        "-s",
        str(LUA_SCRIPT),
        f"http://127.0.0.1:{port}",
        "--",
        str(mix_file),
    ]
    before = cpu_snapshot(gunicorn_pgid)
    completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=False)
    after = cpu_snapshot(gunicorn_pgid)
    if completed.returncode != 0:
        raise LoadError(f"wrk failed ({completed.returncode}): {completed.stderr[-1000:]}")
    line = next((x for x in completed.stdout.splitlines() if x.startswith("LOAD_RESULT ")), None)
    if line is None:
        raise LoadError(f"wrk: no LOAD_RESULT line in its output:\n{completed.stdout[-1000:]}")
    raw = json.loads(line.removeprefix("LOAD_RESULT "))
    seconds = raw["duration_us"] / 1e6
    socket_errors = sum(raw["socket_errors"].values())
    errors = raw["non200"] + socket_errors
    latency = raw["latency_us"]
    cores = cpu_cores(before, after)
    own = cores["gunicorn"] + cores["postgres"] + cores["wrk"]
    return {
        "connections": connections,
        "wrk_threads": threads,
        "duration_s": round(seconds, 2),
        "requests": raw["requests"],
        "errors": errors,
        "non200": raw["non200"],
        "statuses": raw["statuses"],
        "socket_errors": raw["socket_errors"],
        "rps": round(raw["requests"] / seconds, 1),
        "ok_rps": round((raw["requests"] - errors) / seconds, 1),
        "latency_ms": {key: round(value / 1000, 1) for key, value in latency.items()},
        "mb_per_s": round(raw["bytes"] / seconds / 1e6, 2),
        "cpu_cores": cores,
        # Requests per second for each core that gunicorn, PostgreSQL and wrk used: on a shared machine,
        # steadier than req/s when other programs take CPU ("other").
        "rps_per_core": round(raw["requests"] / seconds / max(own, 0.01), 1),
    }


# --- Report ----------------------------------------------------------------------------------------


def print_table(levels, pages):
    print()
    print("Pages seules (sans charge), médiane sur", PAGE_SAMPLES, "requêtes :")
    for page in pages:
        print(f"  {page['role']:<14} {page['path']:<32} {page['median_ms']:>7.1f} ms  {page['bytes']:>8} octets")
    print()
    header = (
        f"{'connexions':>10} {'req/s':>8} {'erreurs':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
        f" {'req/cœur':>8}   cœurs : {'total':>5} {'guni':>5} {'pg':>5} {'wrk':>5} {'autre':>5}"
    )
    print(header)
    print("-" * len(header))
    for level in levels:
        latency, cpu = level["latency_ms"], level["cpu_cores"]
        print(
            f"{level['connections']:>10} {level['rps']:>8.1f} {level['errors']:>8} {latency['p50']:>8.1f} "
            f"{latency['p95']:>8.1f} {latency['p99']:>8.1f} {latency['max']:>8.1f}"
            f" {level['rps_per_core']:>8.1f}           {cpu['machine']:>5.2f} {cpu['gunicorn']:>5.2f}"
            f" {cpu['postgres']:>5.2f} {cpu['wrk']:>5.2f} {cpu['other']:>5.2f}"
        )
    held = [level for level in levels if level["errors"] == 0]
    if held:
        best = max(held, key=lambda level: level["rps"])
        print(f"\nTenu sans erreur : {best['rps']:.1f} req/s ({best['connections']} connexions).")
    else:
        print("\nAucun palier sans erreur.")


def machine_info():
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": model, "loadavg_1_5_15_before": list(os.getloadavg())}


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

"""`make load`, the server side: the PostgreSQL database prepared with the management commands,
and gunicorn (production settings) started in its own process group and stopped with it.

Standard library only, like bench/load.py."""

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/clausier_load"
# Databases of the test suite: never prepared nor loaded by this script.
FORBIDDEN_DATABASES = {"test", "test_test"}


class LoadError(Exception):
    """A step failed: the message says which, the run stops (gunicorn is still shut down)."""


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

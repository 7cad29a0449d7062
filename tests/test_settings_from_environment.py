"""Settings read the environment (django-environ); each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), 'host': db.get('HOST', ''), "
    "'broker': settings.CELERY_BROKER_URL, 'eager': settings.CELERY_TASK_ALWAYS_EAGER, "
    "'hosts': settings.ALLOWED_HOSTS, 'email': settings.EMAIL_BACKEND, "
    "'email_host': getattr(settings, 'EMAIL_HOST', ''), 'lang': settings.LANGUAGE_CODE, "
    "'tz': settings.TIME_ZONE, 'use_tz': settings.USE_TZ, 'debug': settings.DEBUG}))"
)
CLEARED = (
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "SECRET_KEY",
)


def run_python(code, settings_module, **env_vars):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, **env_vars)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def probe(settings_module="config.settings.dev", **env_vars):
    result = run_python(PROBE, settings_module, **env_vars)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_defaults_are_the_embedded_mode():
    values = probe()
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "db.sqlite3")
    assert values["broker"] == ""
    assert values["eager"] is True
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert (values["lang"], values["tz"], values["use_tz"]) == ("fr-fr", "Europe/Paris", True)


def test_services_come_from_the_environment():
    values = probe(
        DATABASE_URL="postgres://clausier:secret@db.example:5432/clausier",
        CELERY_BROKER_URL="redis://cache.example:6379/3",
        ALLOWED_HOSTS="clausier.ain.fr,www.clausier.ain.fr",
        EMAIL_URL="smtp+tls://mailer:pw@smtp.example:587",
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert (values["name"], values["host"]) == ("clausier", "db.example")
    assert values["broker"] == "redis://cache.example:6379/3"
    assert values["eager"] is False
    assert values["hosts"] == ["clausier.ain.fr", "www.clausier.ain.fr"]
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["email_host"] == "smtp.example"


def test_production_refuses_to_start_without_secret_key():
    result = run_python("import django; django.setup()", "config.settings.production", ALLOWED_HOSTS="clausier.ain.fr")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


@pytest.mark.services
def test_production_passes_check_deploy_without_warning():
    result = run_python(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        "config.settings.production",
        SECRET_KEY="x7!Qm2#pL9vR4sT8wY1zB6nC3dF5gH0jK2lM4nP6qR8sT0uV2wX4yZ6",
        ALLOWED_HOSTS="clausier.ain.fr",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

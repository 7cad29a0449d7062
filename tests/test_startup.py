"""A web process tunes the garbage collector once Django is loaded (config/startup.py)."""

import gc
import os
import subprocess
import sys
from pathlib import Path

from config import startup

ROOT = Path(__file__).resolve().parent.parent


def test_the_loaded_objects_are_frozen_and_collections_are_rarer():
    previous = gc.get_threshold()
    try:
        startup.tune_garbage_collector()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == startup.THRESHOLDS
    finally:
        gc.unfreeze()
        gc.set_threshold(*previous)


def test_the_wsgi_application_does_it(tmp_path):
    """In its own process, as gunicorn loads it, with the production settings."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "test",
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    script = "import gc, config.wsgi; print(gc.get_threshold(), gc.get_freeze_count() > 0)"
    output = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == f"{startup.THRESHOLDS} True"

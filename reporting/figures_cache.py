"""Dashboards kept ready: their figures are worked out once per state of the data, not per view.

Every write that can move a figure (a row of the clauses, placements or partners apps saved or
deleted, hours saved or validated) changes the *data version*, a number held in the cache, once
its transaction commits (``data_changed``; the receivers are connected in ``apps.py``). A
dashboard's figures are stored as rendered HTML with the version and the day they were worked out
for, and served while both still hold. When they no longer hold:

- by default they are worked out again at once (a facilitator's dashboard: their own territory,
  and they expect to see the hours they have just validated);
- with ``stale_ok`` (the Département's dashboard, which adds up every lot of every year) the last
  figures are served, with the time they were worked out, while a Celery task works out the new
  ones; a fragment older than ``STALE_FOR`` is never served.

Two safety nets: figures older than ``FRESH_FOR`` are worked out again whatever the version (a
write that would escape the signals is then seen within the hour); and when the cache cannot be
reached, the figures are worked out for the request and a write still succeeds (logged).

Nothing personal is stored: the fragments hold counts and sums, keyed by what they cover. The
cache is Redis in production (``CACHE_URL``), shared by the web processes and the workers.
"""

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

VERSION_KEY = "clausier:figures:version"
PREFIX = "clausier:figures:"
# How long a fragment is kept at all; how long it counts as current when nothing changed; how old
# it may be to be served while a new one is made.
KEEP_FOR = timedelta(days=2)
FRESH_FOR = timedelta(hours=1)
STALE_FOR = timedelta(hours=24)
# A refresh that has not ended by then is taken for lost, and may be asked again.
REFRESH_LOCK = timedelta(minutes=10)


@dataclass(frozen=True)
class Fragment:
    html: str
    computed_at: datetime
    fresh: bool


def data_version():
    """The current data version (created when the cache has none, e.g. after a restart of Redis:
    a new number, so that no fragment stored before can pass for current)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _bump():
    try:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:  # the write is committed: never turn it into an error page
        logger.exception("Version des chiffres non changée : cache injoignable (chiffres refaits d'ici une heure).")


def data_changed():
    """Figures may have moved: change the data version when the current transaction commits (at
    once outside a transaction; nothing if it rolls back)."""
    transaction.on_commit(_bump)


def key_for(name, **params):
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return f"{PREFIX}{name}:{digest}"


def fragment(key, build, *, on, stale_ok=False, refresh=None):
    """The HTML ``build()`` renders, for the data as it is now and the day ``on``.

    ``build`` is called when nothing current is stored. With ``stale_ok``, a fragment stored for
    an older version or day (and younger than ``STALE_FOR``) is served instead, and ``refresh()``
    is called once to have a worker make the new one (``store`` then keeps it)."""
    try:
        version = data_version()
        entry = cache.get(key)
    except Exception:
        logger.exception("Cache injoignable : chiffres calculés pour cette requête.")
        return Fragment(build(), timezone.now(), fresh=True)
    age = timezone.now() - entry["computed_at"] if entry else None
    if entry and entry["version"] == version and entry["on"] == on.isoformat() and age < FRESH_FOR:
        return Fragment(entry["html"], entry["computed_at"], fresh=True)
    if entry and stale_ok and refresh is not None and age < STALE_FOR:
        lock = f"{key}:refreshing:{version}:{on.isoformat()}"
        if cache.add(lock, 1, timeout=REFRESH_LOCK.total_seconds()):
            try:
                refresh()
            except Exception:  # the broker is down: the last figures are still worth showing
                logger.exception("Calcul des chiffres non demandé : file des tâches injoignable.")
                cache.delete(lock)
        return Fragment(entry["html"], entry["computed_at"], fresh=False)
    return store(key, build, on=on, version=version)


def store(key, build, *, on, version=None):
    """Render ``build()`` and keep it for ``version`` (read before rendering: a write that lands
    meanwhile leaves the fragment out of date, as it should) and the day ``on``."""
    version = data_version() if version is None else version
    computed_at = timezone.now()
    html = build()
    try:
        cache.set(
            key,
            {"version": version, "on": on.isoformat(), "html": html, "computed_at": computed_at},
            timeout=KEEP_FOR.total_seconds(),
        )
    except Exception:
        logger.exception("Cache injoignable : chiffres non gardés.")
    return Fragment(html, computed_at, fresh=True)

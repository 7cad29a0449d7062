"""Dashboards kept ready: their figures are worked out once per state of the data, not per view.

Every write that can move a figure (a row of the clauses, placements or partners apps saved or
deleted, hours saved or validated) changes a *data version*, a number held in the cache, once its
transaction commits (``data_changed``; the receivers are in ``figures_signals``). There are
several: one per facilitation body, changed by the writes on its territory (a lot, a placement, an
hour... whatever the year: every figure shown reads lots' progress and people's first placements
since the beginning, so a version per year would let figures pass for current when they are
not); one « any body », changed with each of them; and a global one, for the writes that cannot be
pinned on a body (reference data, counting rules, organisations, memberships...). A dashboard's
figures are stored as rendered HTML with the versions they follow (``depends``: a facilitator's,
the global one and their bodies'; the Département's, the global one and « any body ») and the
day they were worked out for, and served while all still hold (read with one ``get_many``).
When they no longer hold:

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

# The versions: one global (writes no facilitation body can be pinned on: reference data, counting
# rules, organisations, memberships...), one per facilitation body (every write on its territory,
# whatever the year), and one bumped with any body's (what the Département's figures follow).
VERSION_KEY = "clausier:figures:version"
ANY_BODY_KEY = "clausier:figures:version:any-body"
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


def body_key(body_id):
    return f"{PREFIX}version:body:{body_id}"


# What a fragment follows when it adds up every body (the Département's, the API's): cheap to check.
EVERYTHING = (VERSION_KEY, ANY_BODY_KEY)


def depends_on_bodies(body_ids):
    """The versions a fragment follows when it reads only the territory of these bodies."""
    return (VERSION_KEY, *(body_key(pk) for pk in sorted(set(body_ids))))


def versions(keys=EVERYTHING):
    """The current versions of ``keys``, read at once (those the cache has not, e.g. after a restart
    of Redis, are created with a new number, so that no fragment stored before can pass for
    current)."""
    keys = tuple(keys)
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, time.time_ns(), timeout=None)
        found.update(cache.get_many(missing))
    return {key: found.get(key) for key in keys}


def data_version():
    """The versions the Département's figures follow (global and any body): changed by every write."""
    return versions(EVERYTHING)


def _bump(body_ids=None):
    """A new global version (``body_ids`` None), or new versions for these bodies and « any body »."""
    now = time.time_ns()
    keys = [VERSION_KEY] if body_ids is None else [ANY_BODY_KEY, *(body_key(pk) for pk in body_ids)]
    try:
        cache.set_many(dict.fromkeys(keys, now), timeout=None)
    except Exception:  # the write is committed: never turn it into an error page
        logger.exception("Version des chiffres non changée : cache injoignable (chiffres refaits d'ici une heure).")


def data_changed(body_ids=None):
    """Figures may have moved: change the versions when the current transaction commits (at once
    outside a transaction; nothing if it rolls back). ``body_ids``: the facilitation bodies whose
    territory the write is in; None when it cannot be pinned on some (then every figure moves)."""
    body_ids = None if body_ids is None else sorted(set(body_ids))
    transaction.on_commit(lambda: _bump(body_ids))


def key_for(name, **params):
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return f"{PREFIX}{name}:{digest}"


def _stamp(current):
    return hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()[:16]


def fragment(key, build, *, on, stale_ok=False, refresh=None, depends=EVERYTHING):
    """The HTML ``build()`` renders, for the data as it is now and the day ``on``.

    ``depends``: the version keys the fragment follows (``EVERYTHING`` or ``depends_on_bodies``);
    it is current while none of them changed. ``build`` is called when nothing current is stored.
    With ``stale_ok``, a fragment stored for older versions or day (and younger than
    ``STALE_FOR``) is served instead, and ``refresh()`` is called once to have a worker make the
    new one (``store`` then keeps it)."""
    try:
        current = versions(depends)
        entry = cache.get(key)
    except Exception:
        logger.exception("Cache injoignable : chiffres calculés pour cette requête.")
        return Fragment(build(), timezone.now(), fresh=True)
    age = timezone.now() - entry["computed_at"] if entry else None
    if entry and entry.get("versions") == current and entry["on"] == on.isoformat() and age < FRESH_FOR:
        return Fragment(entry["html"], entry["computed_at"], fresh=True)
    if entry and stale_ok and refresh is not None and age < STALE_FOR:
        lock = f"{key}:refreshing:{_stamp(current)}:{on.isoformat()}"
        if cache.add(lock, 1, timeout=REFRESH_LOCK.total_seconds()):
            try:
                refresh()
            except Exception:  # the broker is down: the last figures are still worth showing
                logger.exception("Calcul des chiffres non demandé : file des tâches injoignable.")
                cache.delete(lock)
        return Fragment(entry["html"], entry["computed_at"], fresh=False)
    return store(key, build, on=on, depends=depends, current=current)


def store(key, build, *, on, depends=EVERYTHING, current=None):
    """Render ``build()`` and keep it for the versions of ``depends`` (read before rendering: a
    write that lands meanwhile leaves the fragment out of date, as it should) and the day ``on``."""
    try:
        current = versions(depends) if current is None else current
    except Exception:
        logger.exception("Cache injoignable : chiffres non gardés.")
        return Fragment(build(), timezone.now(), fresh=True)
    computed_at = timezone.now()
    html = build()
    try:
        cache.set(
            key,
            {"versions": current, "on": on.isoformat(), "html": html, "computed_at": computed_at},
            timeout=KEEP_FOR.total_seconds(),
        )
    except Exception:
        logger.exception("Cache injoignable : chiffres non gardés.")
    return Fragment(html, computed_at, fresh=True)

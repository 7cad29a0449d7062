"""The test suite's Redis cache: one key prefix per run, and ``clear()`` deletes that run's keys only.

Django's ``RedisCache.clear()`` empties the whole Redis database (``FLUSHDB``). Two test runs on one
machine (a developer's and a helper's, or two CI jobs) share the same database, so each run's
``cache.clear()`` between tests used to drop the other's dashboards and rate-limit counters
mid-test. Here each run writes under its own prefix and clears only what it wrote."""

import os
import uuid

from django.core.cache.backends.redis import RedisCache

PREFIX_VARIABLE = "CLAUSIER_TEST_CACHE_PREFIX"
XDIST_WORKER_VARIABLE = "PYTEST_XDIST_WORKER"  # gw0, gw1... set by pytest-xdist in each worker


def run_prefix():
    """A key prefix unique to this test run (process and a random part), kept in the environment so
    that the processes a test starts (a Celery worker) share it; under pytest-xdist, one per worker
    too: the workers inherit the run's variable, and one worker's ``clear()`` would drop another's keys."""
    run = os.environ.setdefault(PREFIX_VARIABLE, f"clausier-test-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    worker = os.environ.get(XDIST_WORKER_VARIABLE)
    return f"{run}-{worker}" if worker else run


class RunScopedRedisCache(RedisCache):
    def clear(self):
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        return True

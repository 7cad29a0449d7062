"""The test suite's cache: two runs on one machine share a Redis database but not their keys, and
one run's ``cache.clear()`` (before and after every test) leaves the other's alone."""

from django.conf import settings

from config.test_cache import PREFIX_VARIABLE, XDIST_WORKER_VARIABLE, RunScopedRedisCache, run_prefix
from tests.services import broker_url


def _cache(prefix):
    return RunScopedRedisCache(settings.CACHES["default"]["LOCATION"], {"KEY_PREFIX": prefix})


def test_clearing_one_run_keeps_the_other_runs_keys():
    broker_url()  # Redis is there (fails in CI, skips locally without it)
    mine, theirs = _cache("clausier-test-mine"), _cache("clausier-test-theirs")
    mine.set_many({"dashboard": "mine", "rate": 1})
    theirs.set("dashboard", "theirs")

    mine.clear()

    assert mine.get("dashboard") is None and mine.get("rate") is None
    assert theirs.get("dashboard") == "theirs"
    theirs.clear()
    assert theirs.get("dashboard") is None


def test_the_suite_writes_under_a_prefix_of_its_own():
    broker_url()
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    assert prefix.startswith("clausier-test-") and prefix != "clausier-test"
    assert settings.CACHES["default"]["BACKEND"] == "config.test_cache.RunScopedRedisCache"


def test_each_xdist_worker_of_a_run_has_its_own_prefix(monkeypatch):
    monkeypatch.setenv(PREFIX_VARIABLE, "clausier-test-42-abcdef12")
    monkeypatch.setenv(XDIST_WORKER_VARIABLE, "gw0")
    first = run_prefix()
    monkeypatch.setenv(XDIST_WORKER_VARIABLE, "gw1")
    assert (first, run_prefix()) == ("clausier-test-42-abcdef12-gw0", "clausier-test-42-abcdef12-gw1")
    monkeypatch.delenv(XDIST_WORKER_VARIABLE)
    assert run_prefix() == "clausier-test-42-abcdef12"

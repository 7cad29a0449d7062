"""A report whose worker died does not stay "running" forever (issue 8, point 6)."""

import datetime
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from reporting import report_sweep, tasks
from reporting.models import Report
from reporting.report_services import retry_report
from tests.services import broker_url, require_postgresql, tasks_eager

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    return tmp_path


def make_report(status=Report.Status.RUNNING, started_minutes_ago=None):
    started = timezone.now() - datetime.timedelta(minutes=started_minutes_ago) if started_minutes_ago else None
    return Report.objects.create(
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        status=status,
        progress=40 if status == Report.Status.RUNNING else 0,
        started_at=started,
    )


def test_the_build_task_is_acknowledged_only_when_done():
    assert tasks.build_report.acks_late is True
    assert tasks.build_report.reject_on_worker_lost is True


def test_the_sweep_is_a_periodic_task():
    entries = [
        entry for entry in django_settings.CELERY_BEAT_SCHEDULE.values() if entry["task"].endswith("fail_stale_reports")
    ]
    assert len(entries) == 1
    assert entries[0]["task"] in celery_app.tasks
    assert django_settings.REPORT_RUNNING_TIMEOUT_MINUTES > 0


def test_reports_running_for_too_long_are_marked_failed_in_french(db, settings):
    settings.REPORT_RUNNING_TIMEOUT_MINUTES = 30
    stale = make_report(started_minutes_ago=31)
    recent = make_report(started_minutes_ago=5)
    queued = make_report(status=Report.Status.QUEUED)
    done = make_report(status=Report.Status.DONE, started_minutes_ago=300)
    assert tasks.fail_stale_reports() == 1
    for report in (stale, recent, queued, done):
        report.refresh_from_db()
    assert stale.status == Report.Status.FAILED
    assert stale.error.startswith("La préparation du bilan s'est interrompue")
    assert "Relancez-le" in stale.error
    assert stale.finished_at is not None
    assert (recent.status, queued.status, done.status) == (
        Report.Status.RUNNING,
        Report.Status.QUEUED,
        Report.Status.DONE,
    )
    assert tasks.fail_stale_reports() == 0
    # A failed report may be re-run.
    retry_report(stale)
    assert (stale.status, stale.error) == (Report.Status.QUEUED, "")


def test_the_status_fragment_shows_a_dead_job_as_failed_with_its_retry_button(client, administrator, settings):
    settings.REPORT_RUNNING_TIMEOUT_MINUTES = 30
    report = make_report(started_minutes_ago=45)
    client.force_login(administrator)
    response = client.get(reverse("reporting:report_status", args=[report.pk]))
    content = response.content.decode()
    assert "Relancer" in content
    assert "hx-trigger" not in content  # polling stops
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED


def test_fail_if_stale_leaves_live_jobs_alone_without_a_query(db, settings, django_assert_num_queries):
    settings.REPORT_RUNNING_TIMEOUT_MINUTES = 30
    report = make_report(started_minutes_ago=1)
    with django_assert_num_queries(0):
        assert report_sweep.fail_if_stale(report) is False


# A real worker killed in the middle of a job --------------------------------------------------

# The worker's process: PDF rendering made endless, so that the job is surely killed while running.
WORKER = """
import sys, time, django
django.setup()
from reporting import report_document
report_document.render_pdf = lambda *args, **kwargs: time.sleep(600)
from config.celery import app
app.worker_main(["worker", "--pool=solo", "-Q", sys.argv[1], "--loglevel=WARNING",
                 "--without-heartbeat", "--without-gossip", "--without-mingle"])
"""


@pytest.fixture
def committed(transactional_db):
    """Rows committed for real, so that the worker's process reads them; reference data back after."""
    from tests.reference import restore_reference_data

    broker_url()
    require_postgresql()
    restore_reference_data()
    yield
    restore_reference_data()


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _forget_unacked(url, queue):
    """Remove the killed job's message from Redis, so that no later worker runs it again."""
    import redis

    client = redis.Redis.from_url(url)
    for tag, payload in client.hgetall("unacked").items():
        if queue.encode() in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    client.delete(queue)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_leaves_a_report_that_the_sweep_fails_and_that_can_be_rerun(committed, tmp_path):
    url = broker_url()
    queue = f"clausier-kill-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": _database_url()}
    env.update(CELERY_BROKER_URL=url, PRIVATE_STORAGE_ROOT=str(tmp_path))
    report = make_report(status=Report.Status.QUEUED)
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, queue], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        with tasks_eager(False):
            tasks.build_report.apply_async((report.pk,), queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None:
            report.refresh_from_db()
            if report.status == Report.Status.RUNNING and report.progress == 40:
                break  # figures computed, the PDF being printed
            time.sleep(0.2)
        assert (report.status, report.progress) == (Report.Status.RUNNING, 40), worker.stderr.read1().decode()
        worker.kill()  # SIGKILL: nothing of the job's end is written
        worker.wait(timeout=10)
        time.sleep(0.5)
        report.refresh_from_db()
        assert report.status == Report.Status.RUNNING
        # acks_late: the message was not acknowledged, so the broker keeps it to hand it again.
        import redis

        assert any(queue.encode() in payload for payload in redis.Redis.from_url(url).hgetall("unacked").values())
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)
        _forget_unacked(url, queue)
    later = report.started_at + report_sweep.running_timeout() + datetime.timedelta(seconds=1)
    assert report_sweep.fail_stale_reports(now=later) == 1
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == report_sweep.STALE_ERROR
    retry_report(report)
    assert tasks.build_report(report.pk) == Report.Status.DONE  # in this process: the real renderer

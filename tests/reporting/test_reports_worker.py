"""A report requested on the page side is built by a real worker through Redis (design.md, Jobs)."""

import time

import pytest

from reporting.models import Report
from reporting.report_services import request_report
from reporting.rules import Period
from reporting.scope import Scope
from tests.reporting import dataset
from tests.services import broker_url, real_worker


@pytest.fixture
def reference_data(transactional_db):
    """The worker thread reads committed rows: transactional test, then the reference data back."""
    from tests.reference import restore_reference_data

    restore_reference_data()
    yield
    restore_reference_data()


@pytest.mark.services
def test_a_report_is_built_by_a_real_worker(reference_data, settings, tmp_path):
    broker_url()
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    dataset.build()
    with real_worker():
        report = request_report(None, Report.Kind.IMPACT, Period.year(2026), Scope())  # autocommit: sent now
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if not report.is_pending:
                break
            time.sleep(0.2)
    assert (report.status, report.progress, report.error) == (Report.Status.DONE, 100, "")
    with report.file.open("rb") as handle:
        assert handle.read(4) == b"%PDF"

import pytest

from tests.services import tasks_eager


@pytest.fixture(autouse=True)
def eager_tasks():
    """Run the build sent after the commit in this process, even when a broker is configured (CI):
    the real queue and worker are tested with the reports (tests/reporting/test_reports_worker.py)."""
    with tasks_eager(True):
        yield

"""The compliance tests read the DECP world of the procurement tests (explicit imports, no ``*``)."""

import pytest

from tests.procurement.conftest import department, world  # noqa: F401
from tests.procurement.test_reconciliation import published  # noqa: F401
from tests.services import tasks_eager


@pytest.fixture(autouse=True)
def eager_tasks():
    """Reports asked from these pages are built in this process, even with a broker configured (CI);
    the real queue and worker are tested with the reports (tests/reporting/test_reports_worker.py)."""
    with tasks_eager(True):
        yield


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    return tmp_path

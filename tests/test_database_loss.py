"""The database connection lost in the middle of a multi-row save (issue 8, point 6): the save is
one transaction, so nothing half-written remains and what was committed before is intact.

PostgreSQL only: the backend of the saving connection is ended from another connection
(``pg_terminate_backend``) while the save is between two rows."""

from decimal import Decimal

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection

from partners import imports
from partners.models import Organisation
from placements.models import DeclarationLine, MonthlyDeclaration
from portal import declaration_services
from tests.placements.factories import PlacementFactory, declared_month
from tests.services import require_postgresql

# Every fixture of these tests (users, organisations) commits for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def committed(transactional_db):
    """Rows are committed for real (the save under test is the only transaction); reference data back after."""
    from tests.reference import restore_reference_data

    require_postgresql()
    restore_reference_data()
    yield
    connection.close()  # the killed connection: Django opens a new one for the flush
    restore_reference_data()


def terminate_current_backend():
    """End the backend of Django's connection from a second connection, as a crash or a restart would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def killing_on_call(real, on_call):
    calls = {"count": 0}

    def wrapper(*args, **kwargs):
        calls["count"] += 1
        if calls["count"] == on_call:
            terminate_current_backend()
        return real(*args, **kwargs)

    return wrapper


@pytest.mark.services
def test_hours_grid_save_is_all_or_nothing_when_the_database_goes_away(committed, monkeypatch, employer):
    company = employer.memberships.get().organisation
    first = PlacementFactory(employer=company)
    second = PlacementFactory(employer=company)
    declared_month(first, "35", status="draft")
    declaration = MonthlyDeclaration.objects.get(employer=company)
    revision = declaration.revision
    # The grid's second row is computed after the first was written: the backend dies there.
    monkeypatch.setattr(
        declaration_services.rules, "counts", killing_on_call(declaration_services.rules.counts, on_call=2)
    )
    with pytest.raises(DatabaseError):
        declaration_services.save_hours(
            declaration, {first.pk: Decimal("70"), second.pk: Decimal("50")}, employer, revision
        )
    monkeypatch.undo()
    connection.close()
    lines = DeclarationLine.objects.filter(declaration=declaration)
    assert [(line.placement_id, line.hours) for line in lines] == [(first.pk, Decimal("35.00"))]
    assert MonthlyDeclaration.objects.get(pk=declaration.pk).revision == revision
    # The same save succeeds once the database is back.
    declaration.refresh_from_db()
    declaration_services.save_hours(
        declaration, {first.pk: Decimal("70"), second.pk: Decimal("50")}, employer, revision
    )
    assert sorted(DeclarationLine.objects.current().values_list("hours", flat=True)) == [Decimal("50"), Decimal("70")]


@pytest.mark.services
def test_companies_import_is_all_or_nothing_when_the_database_goes_away(committed, monkeypatch):
    before = set(Organisation.objects.values_list("pk", "name"))
    content = imports.template_csv()
    rows = imports.parse_file(SimpleUploadedFile("modele.csv", content))
    assert len(rows) >= 2, "the template must hold at least two example rows"
    monkeypatch.setattr(Organisation, "save", killing_on_call(Organisation.save, on_call=2))
    with pytest.raises(DatabaseError):
        imports.import_organisations(SimpleUploadedFile("modele.csv", content))
    monkeypatch.undo()
    connection.close()
    assert set(Organisation.objects.values_list("pk", "name")) == before

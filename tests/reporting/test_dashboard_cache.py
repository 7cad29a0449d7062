"""Dashboards kept ready between two changes of the data (reporting/figures_cache.py)."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clauses import models as clause_models
from clauses.models import Lot
from partners.models import User
from placements.models import DeclarationLine, Participant, PersonalDataAccess
from portal import declaration_services
from reporting import dashboard_fragments, figures_cache
from reporting.scope import Scope
from tests.reporting import dataset
from tests.services import broker_url, real_worker, require_postgresql, tasks_eager

FACILITATOR_URL = reverse("reporting:facilitator_dashboard")
DEPARTMENT_URL = reverse("reporting:department_dashboard")
# When the figures are ready: session, user and memberships; the Département's form also lists the
# sectors, EPCIs and buyers to choose from. The facilitator's page reads the contracts published this
# week for its digest on each request (public data that the figures' version does not follow).
FACILITATOR_WARM_QUERIES = 4
DEPARTMENT_WARM_QUERIES = 6


@pytest.fixture
def world(db, monkeypatch):
    from clauses import progress
    from reporting import dashboard_forms, dashboard_views

    for module in (clause_models, progress, dashboard_views, dashboard_forms):
        monkeypatch.setattr(module, "today", lambda: dataset.ON)
    return dataset.build()


def validate_pending_line(user):
    """Bruno's February hours, validated; the commit's callbacks run (the test's transaction
    never commits)."""
    line = DeclarationLine.objects.get(is_current=True, status=DeclarationLine.Status.PENDING)
    with TestCase.captureOnCommitCallbacks(execute=True):
        declaration_services.review([line], DeclarationLine.Status.VALIDATED, user)
    return line


def figures_of(response):
    return response.context.get("figures")


@pytest.mark.parametrize("builds", [1, 2])
def test_a_dashboard_seen_again_reads_only_the_session_and_the_user(
    client, world, facilitator, department_reader, django_assert_num_queries, builds
):
    for _ in range(builds - 1):
        dataset.build()
    for user, url, queries in (
        (facilitator, FACILITATOR_URL, FACILITATOR_WARM_QUERIES),
        (department_reader, DEPARTMENT_URL, DEPARTMENT_WARM_QUERIES),
    ):
        client.force_login(user)
        first = client.get(url, {"year": 2026})
        with django_assert_num_queries(queries):
            again = client.get(url, {"year": 2026})
        assert again.status_code == 200
        assert first.context["body"] == again.context["body"]


def test_the_facilitator_sees_the_hours_they_just_validated(client, world, facilitator):
    client.force_login(facilitator)
    before = figures_of(client.get(FACILITATOR_URL, {"year": 2026}))
    assert before.hours.validated == 350
    line = validate_pending_line(facilitator)
    response = client.get(FACILITATOR_URL, {"year": 2026})
    after = figures_of(response)
    assert after is not None, "the figures should have been worked out again"
    assert after.hours.validated == 350 + line.hours
    assert response.context["work"].lines_to_validate == 0


def test_the_department_sees_the_last_figures_then_the_new_ones(client, world, department_reader, facilitator):
    client.force_login(department_reader)
    assert figures_of(client.get(DEPARTMENT_URL, {"year": 2026})).hours.validated == 635
    with tasks_eager(True):
        line = validate_pending_line(facilitator)
        stale = client.get(DEPARTMENT_URL, {"year": 2026})
    page = stale.content.decode()
    assert "le calcul à jour est en cours" in page
    assert "635" in stale.context["body"]
    fresh = client.get(DEPARTMENT_URL, {"year": 2026})
    assert "le calcul à jour est en cours" not in fresh.content.decode()
    assert figures_of(fresh) is None, "a worker made the new figures: the page only reads them"
    cache.clear()
    assert figures_of(client.get(DEPARTMENT_URL, {"year": 2026})).hours.validated == 635 + line.hours


@pytest.fixture
def committed(transactional_db):
    """Rows committed for real, so that the worker's thread reads them; reference data back after."""
    from tests.reference import restore_reference_data

    broker_url()
    require_postgresql()
    restore_reference_data()
    yield
    restore_reference_data()


@pytest.mark.services
def test_a_real_worker_makes_the_department_figures_again(client, committed, department_reader, facilitator):
    dataset.build()
    key = dashboard_fragments.department_key(2026, Scope())
    client.force_login(department_reader)
    client.get(DEPARTMENT_URL, {"year": 2026})
    old = cache.get(key)
    with real_worker():
        validate_pending_line(facilitator)
        assert "le calcul à jour est en cours" in client.get(DEPARTMENT_URL, {"year": 2026}).content.decode()
        deadline = time.monotonic() + 30
        while cache.get(key)["versions"] == old["versions"] and time.monotonic() < deadline:
            time.sleep(0.05)
    assert cache.get(key)["versions"] == figures_cache.data_version()
    assert "le calcul à jour est en cours" not in client.get(DEPARTMENT_URL, {"year": 2026}).content.decode()


def test_figures_older_than_a_day_are_never_served(client, world, department_reader):
    client.force_login(department_reader)
    client.get(DEPARTMENT_URL, {"year": 2026})
    key = dashboard_fragments.department_key(2026, Scope())
    entry = cache.get(key)
    entry["computed_at"] = timezone.now() - figures_cache.STALE_FOR - timedelta(minutes=1)
    entry["versions"] = {}
    cache.set(key, entry)
    response = client.get(DEPARTMENT_URL, {"year": 2026})
    assert figures_of(response) is not None and "le calcul à jour est en cours" not in response.content.decode()


def test_a_new_day_works_the_facilitator_figures_out_again(client, world, facilitator, monkeypatch):
    from reporting import dashboard_views

    client.force_login(facilitator)
    client.get(FACILITATOR_URL, {"year": 2026})
    monkeypatch.setattr(dashboard_views, "today", lambda: dataset.ON + timedelta(days=1))
    assert figures_of(client.get(FACILITATOR_URL, {"year": 2026})).on == dataset.ON + timedelta(days=1)


# The data version --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_version_changes_once_the_transaction_commits_and_not_on_rollback():
    from tests.reference import restore_reference_data

    restore_reference_data()
    try:
        version = figures_cache.data_version()
        with transaction.atomic():
            dataset.build()
            assert figures_cache.data_version() == version, "not before the commit"
        changed = figures_cache.data_version()
        assert changed != version
        lot = Lot.objects.select_related("contract__operation").first()
        body = figures_cache.depends_on_bodies([lot.contract.operation.facilitation_body_id])
        body_version = figures_cache.versions(body)
        with pytest.raises(RuntimeError), transaction.atomic():
            lot.title = "Annulé"
            lot.save()
            raise RuntimeError
        assert figures_cache.data_version() == changed
        assert figures_cache.versions(body) == body_version, "nor the body's"
        with transaction.atomic():
            lot.title = "Gardé"
            lot.save()
        assert figures_cache.versions(body) != body_version
    finally:
        restore_reference_data()


def test_rows_no_figure_reads_leave_the_version(world, facilitator, django_capture_on_commit_callbacks):
    participant = Participant.objects.first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        PersonalDataAccess.objects.create(user=facilitator, participant=participant, kind=PersonalDataAccess.Kind.PAGE)
        User.objects.filter(pk=facilitator.pk).first().save()
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lot = Lot.objects.first()
        lot.title = "Nouveau titre"
        lot.save()
    assert len(callbacks) == 1


def test_hours_saved_in_bulk_change_the_version(world, django_capture_on_commit_callbacks):
    from placements.signals import declarations_written

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        declarations_written.send(sender=None)
    assert len(callbacks) == 1


def test_the_demo_data_changes_the_version(db, django_capture_on_commit_callbacks):
    """``seed_demo`` writes partly in bulk, without signals."""
    from reporting import demo

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        demo.seed({})
    assert len(callbacks) == 1


def test_figures_older_than_an_hour_are_worked_out_again(client, world, facilitator):
    client.force_login(facilitator)
    client.get(FACILITATOR_URL, {"year": 2026})
    key = figures_cache.key_for("facilitator", user=facilitator.pk, year=2026)
    entry = cache.get(key)
    entry["computed_at"] -= figures_cache.FRESH_FOR
    cache.set(key, entry)
    assert figures_of(client.get(FACILITATOR_URL, {"year": 2026})) is not None


UNREACHABLE_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


def test_without_its_cache_a_dashboard_is_worked_out_and_a_write_still_succeeds(
    client, world, facilitator, department_reader, settings, caplog
):
    settings.CACHES = UNREACHABLE_CACHE
    client.force_login(facilitator)
    response = client.get(FACILITATOR_URL, {"year": 2026})
    assert response.status_code == 200 and figures_of(response).hours.validated == 350
    client.force_login(department_reader)
    assert figures_of(client.get(DEPARTMENT_URL, {"year": 2026})).hours.validated == 635
    line = validate_pending_line(facilitator)  # the version cannot change: logged, not raised
    line.refresh_from_db()
    assert line.status == DeclarationLine.Status.VALIDATED
    assert "cache injoignable" in caplog.text.lower()


def test_when_the_refresh_cannot_be_asked_the_last_figures_are_still_served(
    db, caplog, django_capture_on_commit_callbacks
):
    """The broker down: the page shows the figures it has, says so in the log, and asks again at
    the next view."""
    from datetime import date

    asked = []

    def refresh():
        asked.append(1)
        raise ConnectionError("broker down")

    key = figures_cache.key_for("test", n=1)
    figures_cache.store(key, lambda: "<p>anciens chiffres</p>", on=date(2026, 7, 1))
    with django_capture_on_commit_callbacks(execute=True):
        figures_cache.data_changed()
    for _ in range(2):
        fragment = figures_cache.fragment(
            key, lambda: "<p>nouveaux</p>", on=date(2026, 7, 1), stale_ok=True, refresh=refresh
        )
        assert (fragment.html, fragment.fresh) == ("<p>anciens chiffres</p>", False)
    assert len(asked) == 2
    assert "file des tâches injoignable" in caplog.text


# Versions per facilitation body ------------------------------------------------------------------


@pytest.fixture
def dombes_facilitator(world):
    """A facilitator of the other body (« Animation Dombes »: lots 3 and 4); ``facilitator``
    works for the Département's body (lots 1 and 2, and every person of the data set)."""
    from partners.roles import Role
    from tests.partners.factories import user_with_role

    return user_with_role(Role.FACILITATOR, organisation=world["other_body"], first_name="Denis")


def seen_twice(client, user, django_assert_num_queries=None):
    """The facilitator's dashboard as ``user`` sees it now (after a first view)."""
    client.force_login(user)
    if django_assert_num_queries is None:
        return client.get(FACILITATOR_URL, {"year": 2026})
    with django_assert_num_queries(FACILITATOR_WARM_QUERIES):
        return client.get(FACILITATOR_URL, {"year": 2026})


def first_views(client, *users):
    for user in users:
        client.force_login(user)
        assert figures_of(client.get(FACILITATOR_URL, {"year": 2026})) is not None


def save_in_commit(row, **changes):
    for name, value in changes.items():
        setattr(row, name, value)
    with TestCase.captureOnCommitCallbacks(execute=True):
        row.save()


def test_a_validation_in_one_body_leaves_the_other_body_dashboards_ready(
    client, world, facilitator, dombes_facilitator, django_assert_num_queries
):
    first_views(client, facilitator, dombes_facilitator)
    line = validate_pending_line(facilitator)  # Bruno's, on lot 1: the Département's body
    other = seen_twice(client, dombes_facilitator, django_assert_num_queries)
    assert figures_of(other) is None, "nothing changed in Dombes: the figures kept are served"
    own = figures_of(seen_twice(client, facilitator))
    assert own is not None and own.hours.validated == 350 + line.hours


def test_hours_saved_on_a_lot_of_one_body_work_its_dashboards_out_again(
    client, world, facilitator, dombes_facilitator, django_assert_num_queries
):
    lot3 = world["lots"][2]
    first_views(client, dombes_facilitator)
    line = DeclarationLine.objects.get(placement__lot=lot3, is_current=True, declaration__month__month=3)
    save_in_commit(line, hours=line.hours + 10)
    assert figures_of(seen_twice(client, dombes_facilitator)) is not None


def test_a_write_is_pinned_on_the_lot_body_and_the_person_body(world):
    from reporting.figures_signals import bodies_of

    department, dombes = world["department"].pk, world["other_body"].pk
    lot1, _, lot3, _ = world["lots"]
    assert bodies_of(lot3) == {dombes, department}  # Dombes's lot, where Driss (of the Département) works
    driss_line = DeclarationLine.objects.filter(placement__lot=lot3).first()
    assert bodies_of(driss_line) == {dombes, department}
    bruno_line = DeclarationLine.objects.filter(placement__lot=lot1).first()
    assert bodies_of(bruno_line) == {department}
    assert bodies_of(world["contracts"][1]) == {dombes}
    assert bodies_of(world["trevoux"]) is None, "an organisation: every figure"


def test_a_write_no_body_can_be_pinned_on_works_every_dashboard_out_again(
    client, world, facilitator, dombes_facilitator
):
    from placements.models import CountingRules
    from placements.signals import declarations_written

    first_views(client, facilitator, dombes_facilitator)
    save_in_commit(world["trevoux"], name="Ville de Trévoux")  # a buyer renamed
    for user in (facilitator, dombes_facilitator):
        assert figures_of(seen_twice(client, user)) is not None
    with TestCase.captureOnCommitCallbacks(execute=True):
        declarations_written.send(sender=CountingRules, declaration=None)  # the counting rules changed
    for user in (facilitator, dombes_facilitator):
        assert figures_of(seen_twice(client, user)) is not None


def test_a_row_moved_to_another_body_works_every_dashboard_out_again(client, world, facilitator, dombes_facilitator):
    from reporting.figures_signals import bodies_of

    operation = world["contracts"][1].operation
    operation.facilitation_body = world["department"]
    assert bodies_of(operation) is None, "the former body is not known any more: every figure"
    first_views(client, facilitator, dombes_facilitator)
    save_in_commit(operation)
    for user in (facilitator, dombes_facilitator):
        assert figures_of(seen_twice(client, user)) is not None
    operation.refresh_from_db()
    assert bodies_of(operation) == {world["department"].pk}, "read again: pinned on its body"


def test_a_declaration_written_in_bulk_is_pinned_on_its_lines_bodies(
    world, facilitator, dombes_facilitator, django_capture_on_commit_callbacks
):
    from placements.models import MonthlyDeclaration
    from placements.signals import declarations_written

    declaration = MonthlyDeclaration.objects.get(
        lines__placement__lot=world["lots"][0], month__month=2, lines__status="pending"
    )
    dombes = figures_cache.depends_on_bodies([world["other_body"].pk])
    department = figures_cache.depends_on_bodies([world["department"].pk])
    before = figures_cache.versions(dombes), figures_cache.versions(department)
    with django_capture_on_commit_callbacks(execute=True):
        declarations_written.send(sender=MonthlyDeclaration, declaration=declaration)
    assert figures_cache.versions(dombes) == before[0]
    assert figures_cache.versions(department) != before[1]


def test_the_department_sees_every_body_change(client, world, department_reader):
    client.force_login(department_reader)
    client.get(DEPARTMENT_URL, {"year": 2026})
    line = DeclarationLine.objects.filter(placement__lot=world["lots"][2], is_current=True).first()
    save_in_commit(line, hours=line.hours + 1)  # Dombes's lot 3
    with tasks_eager(True):
        assert "le calcul à jour est en cours" in client.get(DEPARTMENT_URL, {"year": 2026}).content.decode()


def test_a_body_version_lost_by_the_cache_is_a_new_one(client, world, dombes_facilitator):
    first_views(client, dombes_facilitator)
    cache.delete(figures_cache.body_key(world["other_body"].pk))  # Redis restarted, say
    assert figures_of(seen_twice(client, dombes_facilitator)) is not None


def test_rows_saved_in_a_transaction_are_pinned_at_commit_in_a_few_queries(
    world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """Saving many lines, follow-ups and placements adds no query per row: their bodies are read
    once the transaction commits (one query per kind), and they are those of each row alone."""
    from placements.models import Placement
    from reporting.figures_signals import bodies_of, bodies_of_batch

    lines = list(DeclarationLine.objects.filter(is_current=True))
    placements = list(Placement.objects.all())
    expected = set().union(*(bodies_of(row) for row in [*lines, *placements]))
    bumped = []
    capture = django_capture_on_commit_callbacks(execute=False)
    with capture as callbacks, CaptureQueriesContext(connection) as saves, transaction.atomic():
        for row in [*lines, *placements]:
            row.save()
    flushes = [callback for callback in callbacks if callback.__qualname__.startswith("_Batch")]
    assert len(flushes) == 1, "one lookup for the whole transaction"
    lookups = [query["sql"] for query in saves.captured_queries if "facilitation_body_id" in query["sql"]]
    assert lookups == [], "no body looked up while saving"
    original = figures_cache.data_changed
    try:
        figures_cache.data_changed = bumped.append
        with django_assert_max_num_queries(4):  # placements, lots, people and the lots of those people
            flushes[0]()
    finally:
        figures_cache.data_changed = original
    assert bumped == [expected]
    assert bodies_of_batch({("placement", lines[0].placement_id), ("placement", -1)}) is None, "gone: every figure"


class ReadsCounted(list):
    """A list that counts the times it is read through."""

    reads = 0

    def __iter__(self):
        self.reads += 1
        return super().__iter__()


def test_a_batch_follows_its_block_through_savepoints_and_other_callbacks(world, django_capture_on_commit_callbacks):
    """One batch per block: other callbacks registered between saves keep it (no new lookup per
    row), a savepoint rolled back drops its own batch, and the block's rows saved after it go to
    a batch that is still sent at commit."""
    from placements.models import Placement
    from reporting import figures_signals

    first, second, third, *_ = list(Placement.objects.all())
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        first.save()
        outer = figures_signals._local.batch
        connection.run_on_commit = ReadsCounted(connection.run_on_commit)
        outer.callbacks = connection.run_on_commit  # as if registered in it
        for _ in range(50):
            transaction.on_commit(lambda: None)
            first.save()
        assert figures_signals._local.batch is outer, "the same batch while the block is the same"
        assert connection.run_on_commit.reads == 0, "the callbacks are not read on every save"
        try:
            with transaction.atomic():
                second.save()
                dropped = figures_signals._local.batch
                assert dropped is not outer, "a savepoint has its own batch"
                raise RuntimeError
        except RuntimeError:
            pass
        third.save()
        after = figures_signals._local.batch
    flushes = [callback for callback in callbacks if callback.__qualname__.startswith("_Batch")]
    assert outer.flush in flushes and after.flush in flushes, "the outer block's rows are all sent"
    assert dropped.flush not in flushes, "the rolled-back savepoint's batch is dropped with it"
    assert ("person", first.participant_id) in outer.keys and ("person", third.participant_id) in after.keys

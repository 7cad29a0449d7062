"""Who sees which operations and lots, and which lots are behind schedule."""

from datetime import date
from decimal import Decimal as D

import pytest

from clauses.models import Lot, Operation
from partners.models import Organisation
from partners.roles import Role
from tests.clauses.factories import ClauseFactory, LotFactory, OperationFactory, award
from tests.partners.factories import OrganisationFactory, user_with_role


@pytest.fixture
def other_body(db):
    return OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY, name="PLIE test")


def test_facilitators_see_the_operations_of_their_body(facilitator, other_body):
    mine = OperationFactory()
    OperationFactory(facilitation_body=other_body)
    OperationFactory(facilitation_body=None)
    assert list(Operation.objects.for_user(facilitator)) == [mine]
    other = user_with_role(Role.FACILITATOR, organisation=other_body)
    assert mine not in Operation.objects.for_user(other)


def test_administrators_and_readers_see_all(administrator, department_reader, other_body):
    OperationFactory()
    OperationFactory(facilitation_body=None)
    assert Operation.objects.for_user(administrator).count() == 2
    assert Operation.objects.for_user(department_reader).count() == 2


def test_buyers_see_their_own_operations(buyer):
    organisation = buyer.memberships.get().organisation
    mine = OperationFactory(buyer=organisation)
    OperationFactory()
    assert list(Operation.objects.for_user(buyer)) == [mine]


def test_employers_see_only_the_lots_awarded_to_them(employer):
    company = employer.memberships.get().organisation
    lot = LotFactory()
    LotFactory(contract=lot.contract)  # same contract, not awarded to them
    award(lot, company)
    assert list(Lot.objects.for_user(employer)) == [lot]
    assert list(Operation.objects.for_user(employer)) == [lot.contract.operation]


def test_behind_schedule_lists_started_lots_under_their_expected_hours(db):
    on = date(2026, 7, 2)
    behind = ClauseFactory(lot__start_date=date(2026, 1, 1)).lot
    future = ClauseFactory(lot__contract__start_date=date(2026, 9, 1), lot__start_date=date(2026, 9, 1)).lot
    LotFactory()  # no clause: nothing required
    assert list(Lot.objects.behind_schedule(on)) == [behind]
    assert future.progress(on).status == "not_started"


def test_per_euro_obligation_grows_with_invoices(db):
    from clauses.models import InvoicedAmount

    clause = ClauseFactory(
        method="per_euro_invoiced", euros_per_hour=D("2000"), lot__contract__is_purchase_order_framework=True
    )
    lot = Lot.objects.with_progress_data().get(pk=clause.lot_id)
    assert lot.hours_required == D("0")
    InvoicedAmount.objects.create(
        lot=clause.lot, period_start=date(2026, 1, 1), period_end=date(2026, 3, 31), amount=D("100000")
    )
    InvoicedAmount.objects.create(
        lot=clause.lot, period_start=date(2026, 4, 1), period_end=date(2026, 6, 30), amount=D("50000")
    )
    lot = Lot.objects.with_progress_data().get(pk=clause.lot_id)
    assert lot.invoiced_total == D("150000")
    assert lot.hours_required == D("75")


def test_contractual_hours_win_over_computed(db):
    clause = ClauseFactory(contractual_hours=D("900"), adjustment_reason="Arrondi")
    assert clause.required_hours() == D("900")


def test_per_euro_progress_counts_the_invoices_dated_by_the_day_not_spread_over_the_lot(db):
    """Hours per euro invoiced: what is expected by a day is what was invoiced by then (an amount
    counts on the last day of its invoicing period); a later invoice moves nothing before it."""
    from clauses.models import InvoicedAmount
    from clauses.progress import total_progress

    clause = ClauseFactory(
        method="per_euro_invoiced",
        euros_per_hour=D("2000"),
        computed_hours=D("0"),
        lot__contract__is_purchase_order_framework=True,
        lot__contract__start_date=date(2026, 1, 1),
        lot__contract__end_date=date(2027, 12, 31),
    )
    InvoicedAmount.objects.create(
        lot=clause.lot, period_start=date(2026, 1, 1), period_end=date(2026, 3, 31), amount=D("100000")
    )
    InvoicedAmount.objects.create(
        lot=clause.lot, period_start=date(2026, 4, 1), period_end=date(2026, 9, 30), amount=D("60000")
    )
    end_of_2026 = date(2026, 12, 31)

    def read(on=None):
        return Lot.objects.with_progress_data(on=on).get(pk=clause.lot_id)

    # 160,000 € invoiced by the end of 2026: 80 h, all of them expected then (not 80 h × 365/730).
    progress = read(end_of_2026).progress(end_of_2026)
    assert (progress.required, progress.expected, progress.status) == (D("80"), D("80"), "behind")
    assert read().progress(date(2026, 6, 30)).expected == D("50")  # the first invoice only
    assert read().progress(date(2026, 3, 30)).expected == D("0")
    assert total_progress([read()], end_of_2026).expected == D("80")
    assert list(Lot.objects.behind_schedule(end_of_2026)) == [clause.lot]

    InvoicedAmount.objects.create(
        lot=clause.lot, period_start=date(2027, 1, 1), period_end=date(2027, 1, 31), amount=D("40000")
    )
    progress = read(end_of_2026).progress(end_of_2026)
    assert (progress.required, progress.expected) == (D("80"), D("80"))  # as it stood on 31/12/2026
    assert read().progress(end_of_2026).expected == D("80")
    assert total_progress([read()], end_of_2026).expected == D("80")
    progress = read().progress(date(2027, 2, 1))
    assert (progress.required, progress.expected) == (D("100"), D("100"))

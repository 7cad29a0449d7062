"""Fuzzing of the employer's hours grid through its page (issue 8, point 5): hostile values in the
hours, the revision, extra fields. Never a server error; never stored hours below 0, above the
monthly maximum, or with more than two decimals."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from placements.models import DeclarationLine, MonthlyDeclaration
from tests.clauses.factories import ClauseFactory
from tests.fuzz import FUZZ, nasty_text
from tests.placements.factories import PlacementFactory, eligible_participant

MARCH = date(2026, 3, 1)


class Rollback(Exception):
    pass


@pytest.fixture
def grid(employer, monkeypatch):
    monkeypatch.setattr("portal.declaration_views.today", lambda: date(2026, 9, 15))
    company = employer.memberships.get().organisation
    lot = ClauseFactory().lot
    placements = [
        PlacementFactory(employer=company, lot=lot, participant=eligible_participant(last_name=name))
        for name in ("Martin", "Petit")
    ]
    return employer, placements


@pytest.mark.django_db
@FUZZ
@given(
    hours=st.lists(nasty_text, min_size=2, max_size=2),
    revision=st.one_of(st.just("0"), nasty_text),
    extra=st.dictionaries(
        st.one_of(st.just("hours_999999"), st.just("hours_-1"), nasty_text.map(lambda t: t[:50])),
        nasty_text,
        max_size=2,
    ),
    action=st.sampled_from(["save", "submit", "", "<script>"]),
)
@example(hours=["1e30", "35"], revision="0", extra={}, action="save")  # once a server error (fixed)
@example(hours=["-35", "208,01"], revision="0", extra={}, action="submit")
@example(hours=["35,5", "=HYPERLINK(1)"], revision="0", extra={"hours_999999": "35"}, action="save")
def test_grid_posts_never_fail_nor_store_invalid_hours(client, grid, hours, revision, extra, action):
    user, placements = grid
    client.force_login(user)
    url = reverse("placements:declaration_grid", args=[MARCH.year, MARCH.month])
    data = {**extra, "revision": revision, "action": action}
    data.update({f"hours_{placement.pk}": value for placement, value in zip(placements, hours, strict=True)})
    data = {key.replace("\x00", ""): value.replace("\x00", "") for key, value in data.items()}  # a browser sends no NUL
    maximum = django_settings.CLAUSIER["MONTHLY_HOURS_MAXIMUM"]
    try:
        with transaction.atomic():
            response = client.post(url, data)
            assert response.status_code in (200, 302, 400)
            for line in DeclarationLine.objects.all():
                assert Decimal(0) <= line.hours <= maximum
                assert line.hours == line.hours.quantize(Decimal("0.01"))
            assert MonthlyDeclaration.objects.count() <= 1
            raise Rollback
    except Rollback:
        pass


@FUZZ
@given(text=nasty_text)
def test_hours_rules_never_raise_and_refuse_what_cannot_be_stored(text):
    from placements import declaration_rules as rules

    maximum = django_settings.CLAUSIER["MONTHLY_HOURS_MAXIMUM"]
    try:
        hours = rules.parse_hours(text)
    except ValueError:
        return
    problem = rules.hours_problem(hours, MARCH, date(2026, 3, 2), None, maximum)
    if hours is not None and problem is None:
        assert Decimal(0) <= hours <= maximum
        assert hours == hours.quantize(Decimal("0.01"))

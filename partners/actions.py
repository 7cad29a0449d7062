"""Awareness-raising and partnership actions: who sees which, filters and totals (database aggregates)."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from .models import Audience, AwarenessAction, Epci
from .permissions import can_view_actions


def actions_for_user(user):
    """The actions a user may open: all of them for Département staff, none for anyone else."""
    if can_view_actions(user):
        return AwarenessAction.objects.all()
    return AwarenessAction.objects.none()


def default_period(today=None):
    """From the 1st of January of the current year to today."""
    today = today or timezone.localdate()
    return today.replace(month=1, day=1), today


def filter_actions(queryset, *, start=None, end=None, kind="", audience=None, epci=None, sector=None):
    """Narrow actions by period, kind, audience and territory.

    A sector matches the actions recorded for the sector itself and those recorded for one of its EPCI.
    Every filter keeps one row per action: an action holds an audience once, and sectors go through a subquery.
    """
    queryset = queryset.between(start, end)
    if kind:
        queryset = queryset.filter(kind=kind)
    if audience is not None:
        queryset = queryset.filter(audiences=audience)
    if epci is not None:
        queryset = queryset.filter(epci=epci)
    if sector is not None:
        queryset = queryset.filter(Q(sector=sector) | Q(epci__in=Epci.objects.filter(sectors=sector)))
    return queryset


@dataclass(frozen=True)
class TotalRow:
    label: str
    actions: int
    people: int


@dataclass(frozen=True)
class Totals:
    by_kind: list
    by_audience: list
    actions: int
    people: int


def totals_by_kind(queryset):
    """One row per kind of action, in the order of the choices (kinds without action count 0). One query."""
    rows = {
        row["kind"]: row
        for row in queryset.order_by().values("kind").annotate(actions=Count("pk"), people=Sum("people_reached"))
    }
    return [
        TotalRow(label, rows.get(value, {}).get("actions", 0), rows.get(value, {}).get("people") or 0)
        for value, label in AwarenessAction.Kind.choices
    ]


def totals_by_audience(queryset):
    """One row per audience; an action aimed at several audiences counts once for each of them. One query."""
    selected = Q(actions__in=queryset.order_by().values("pk"))
    audiences = Audience.objects.annotate(
        action_count=Count("actions", filter=selected),
        people=Sum("actions__people_reached", filter=selected),
    ).order_by("position", "label")
    return [TotalRow(audience.label, audience.action_count, audience.people or 0) for audience in audiences]


def totals(queryset):
    """Totals of the filtered actions, by kind and by audience, and overall (summed from the kinds)."""
    by_kind = totals_by_kind(queryset)
    return Totals(
        by_kind=by_kind,
        by_audience=totals_by_audience(queryset),
        actions=sum(row.actions for row in by_kind),
        people=sum(row.people for row in by_kind),
    )

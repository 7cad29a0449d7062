"""Retention of personal data: people with no activity for ``PERSONAL_DATA_RETENTION_YEARS`` are
anonymised (by the monthly Celery task and by ``manage.py anonymise_inactive``).

A person's last activity is the latest of: the end of their last placement, their last outcome
recorded, their last candidacy changed, the last change of their record. A person in a placement
without an end date is active. Only ids and dates are written to the logs, never names.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from common.dates import day_start

from .models import Candidacy, Outcome, Participant, Placement
from .personal_data import RETENTION_REASON, anonymise

logger = logging.getLogger(__name__)


def retention_years():
    return int(settings.CLAUSIER.get("PERSONAL_DATA_RETENTION_YEARS", 5))


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def cutoff(on=None, years=None):
    """People whose last activity is before this day are anonymised."""
    return years_before(on or timezone.localdate(), retention_years() if years is None else years)


@dataclass(frozen=True)
class Inactive:
    pk: int
    last_activity: date


def _latest(queryset, field):
    return Subquery(queryset.order_by(F(field).desc(nulls_last=True)).values(field)[:1])


def _local_date(value):
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def inactive_participants(on=None, years=None):
    """The people to anonymise on ``on`` (default today), oldest activity first."""
    limit = cutoff(on, years)
    limit_start = day_start(limit)
    placements = Placement.objects.filter(participant=OuterRef("pk"))
    outcomes = Outcome.objects.filter(placement__participant=OuterRef("pk"))
    candidacies = Candidacy.objects.filter(participant=OuterRef("pk"))
    rows = (
        Participant.objects.filter(anonymised_at__isnull=True, updated_at__lt=limit_start)
        .exclude(Exists(placements.filter(Q(end_date__isnull=True) | Q(end_date__gte=limit))))
        .exclude(Exists(outcomes.filter(recorded_on__gte=limit)))
        .exclude(Exists(candidacies.filter(updated_at__gte=limit_start)))
        .annotate(
            last_end=_latest(placements, "end_date"),
            last_outcome=_latest(outcomes, "recorded_on"),
            last_candidacy=_latest(candidacies, "updated_at"),
        )
        .values_list("pk", "updated_at", "last_end", "last_outcome", "last_candidacy")
        .order_by("pk")
    )
    found = []
    for pk, *dates in rows:
        last = max(_local_date(value) for value in dates if value is not None)
        found.append(Inactive(pk, last))
    return sorted(found, key=lambda row: (row.last_activity, row.pk))


def anonymise_inactive(on=None, years=None, dry_run=False):
    """Anonymise the inactive people (or only list them with ``dry_run``); returns the list."""
    years = retention_years() if years is None else years
    found = inactive_participants(on, years)
    logger.info(
        "Conservation des données : %d personne(s) sans activité depuis %d ans%s : %s",
        len(found),
        years,
        " (simulation)" if dry_run else "",
        ", ".join(f"n° {row.pk} (dernière activité le {row.last_activity:%d/%m/%Y})" for row in found) or "aucune",
    )
    if not dry_run:
        reason = RETENTION_REASON.format(years=years)
        for participant in Participant.objects.filter(pk__in=[row.pk for row in found]):
            anonymise(participant, user=None, reason=reason)
    return found

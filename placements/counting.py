"""Whether each declared line counts for its clause, kept true when the facts behind it change.

A line's ``counted`` flag is stored (the figures sum it in SQL), so it is derived again whenever one
of its inputs changes (``declaration_rules.counts`` is the rule):

- the person's first placement (its start opens the counting window): a placement added, its dates
  edited or deleted — the person's lines are recounted in the same transaction (``signals`` below);
- the person's eligibility (hours count only for a person with a validated criterion): a criterion
  added or removed — the same;
- the local settings ``COUNTING_WINDOW_MONTHS`` and ``TRAINING_HOURS_COUNT``, or the rule itself
  (``RULE_VERSION``): ``CountingRules`` keeps those every line was computed with; when they differ
  from today's, every line is recounted by a job (``tasks.recount_hours``, at the worker's start,
  every night and from the dashboards), and the dashboards say the figures are being recomputed.

The flag is derived, not declared: recounting writes it with a queryset update and adds no version
to the line's history (the hours, their status and who reviewed them do not change).
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Min
from django.utils import timezone

from . import declaration_rules
from .eligibility import counting_window
from .models import CountingRules, DeclarationLine, EligibilityCriterion, Participant, Placement
from .signals import declarations_written

logger = logging.getLogger(__name__)

# Bump when ``declaration_rules.counts`` changes meaning: every stored flag is then recounted.
# 2: only whole months inside the window count; hours count only for an eligible person.
RULE_VERSION = 2
# People recounted per batch by the job (three queries and two updates per batch).
BATCH = 2000
# A recount still marked running after this long is taken for the job of a dead worker.
STALE_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class Rules:
    window_months: int
    training_counts: bool
    version: int = RULE_VERSION


def current_rules():
    return Rules(settings.CLAUSIER["COUNTING_WINDOW_MONTHS"], settings.CLAUSIER["TRAINING_HOURS_COUNT"])


def line_counts(month, first_start, is_training, eligible, rules=None):
    """Whether hours of ``month`` count, for a person whose first placement started on ``first_start``."""
    rules = rules or current_rules()
    return declaration_rules.counts(
        month,
        counting_window(first_start, rules.window_months),
        is_training=is_training,
        training_counts=rules.training_counts,
        eligible=eligible,
    )


def recount_people(participant_ids, rules=None):
    """Derive ``counted`` again for every line of these people; returns how many lines changed.

    A handful of queries whatever the number of people (call it in batches of ``BATCH``)."""
    ids = set(participant_ids)
    if not ids:
        return 0
    rules = rules or current_rules()
    firsts = dict(
        Placement.objects.filter(participant_id__in=ids)
        .values("participant_id")
        .annotate(first=Min("start_date"))
        .values_list("participant_id", "first")
    )
    eligible = set(EligibilityCriterion.objects.filter(participant_id__in=ids).values_list("participant_id", flat=True))
    to_count, to_drop = [], []
    lines = DeclarationLine.objects.filter(placement__participant_id__in=ids).values_list(
        "pk", "declaration__month", "placement__participant_id", "placement__mode", "counted"
    )
    for pk, month, person, mode, counted in lines.iterator(chunk_size=5000):
        counts = line_counts(month, firsts.get(person), mode == Placement.Mode.TRAINING, person in eligible, rules)
        if counts != counted:
            (to_count if counts else to_drop).append(pk)
    for flag, pks in ((True, to_count), (False, to_drop)):
        for start in range(0, len(pks), 5000):
            DeclarationLine.objects.filter(pk__in=pks[start : start + 5000]).update(counted=flag)
    changed = len(to_count) + len(to_drop)
    if changed:
        # Written in bulk: the dashboards kept ready are out of date (reporting.figures_signals).
        declarations_written.send(sender=DeclarationLine, declaration=None)
    return changed


def stored_rules():
    """The row of ``CountingRules`` (created by the migration; created again when the tables were
    emptied: today's rules if there is no line to recount, else rules that make the job run)."""
    row = CountingRules.objects.filter(pk=1).first()
    if row is None:
        rules = current_rules() if not DeclarationLine.objects.exists() else Rules(0, False, 0)
        row, _ = CountingRules.objects.get_or_create(pk=1, defaults=_defaults(rules))
    return row


def _defaults(rules):
    return {
        "window_months": rules.window_months,
        "training_counts": rules.training_counts,
        "rule_version": rules.version,
    }


def needs_recount(row):
    return Rules(row.window_months, row.training_counts, row.rule_version) != current_rules()


def is_current(row):
    """Every flag computed under today's rules, and no recount running."""
    return not needs_recount(row) and row.state == CountingRules.State.CURRENT


def recount_pending(row):
    """What the dashboards say: None when every flag is current, else the French notice."""
    if is_current(row):
        return None
    return (
        "Les heures comptées pour les clauses sont en cours de recalcul (les règles de décompte ont "
        "changé : durée de la période de décompte, heures de formation). Les chiffres affichés peuvent "
        "encore changer dans les minutes qui viennent."
    )


def current_key(rules):
    return f"counting-rules-current:{rules.window_months}:{rules.training_counts}:{rules.version}"


def claim_recount(row=None):
    """Mark the recount as running, unless a live job already does; True when this caller should run it.
    ``row``: the stored rules when the caller has just read them."""
    row = row or stored_rules()
    if is_current(row):
        return False
    stale = timezone.now() - STALE_AFTER
    claimed = (
        CountingRules.objects.filter(pk=row.pk)
        .filter(
            models.Q(state=CountingRules.State.CURRENT) | models.Q(started_at__lt=stale) | models.Q(started_at=None)
        )
        .update(state=CountingRules.State.RECOUNTING, started_at=timezone.now())
    )
    return bool(claimed)


def recount_all(rules=None):
    """Recount every line, by batches of people, then store the rules they were computed with."""
    rules = rules or current_rules()
    changed = 0
    ids = list(Participant.objects.filter(placements__isnull=False).distinct().values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            changed += recount_people(ids[start : start + BATCH], rules)
    CountingRules.objects.update_or_create(
        pk=1,
        defaults={
            "window_months": rules.window_months,
            "training_counts": rules.training_counts,
            "rule_version": rules.version,
            "state": CountingRules.State.CURRENT,
            "recounted_at": timezone.now(),
        },
    )
    declarations_written.send(sender=CountingRules, declaration=None)
    return changed


def _recount_person_of(sender, instance, **kwargs):
    participant_ids = {instance.participant_id, getattr(instance, "_counting_participant_id", None)} - {None}
    recount_people(participant_ids)


def _remember_participant(sender, instance, **kwargs):
    """A placement moved to another person: recount the one it leaves too."""
    if instance.pk:
        instance._counting_participant_id = (
            sender.objects.filter(pk=instance.pk).values_list("participant_id", flat=True).first()
        )


def connect():
    from django.db.models.signals import post_delete, post_save, pre_save

    for model in (Placement, EligibilityCriterion):
        post_save.connect(_recount_person_of, sender=model, dispatch_uid=f"recount-{model.__name__}-save")
        post_delete.connect(_recount_person_of, sender=model, dispatch_uid=f"recount-{model.__name__}-delete")
    pre_save.connect(_remember_participant, sender=Placement, dispatch_uid="recount-placement-pre-save")

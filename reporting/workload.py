"""What waits for a facilitator: hours to validate, declarations missing, follow-ups and outcomes due.

Counts only, each in one query, over the placements the user follows.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count

from common.dates import month_label
from placements.declaration_rules import previous_month
from placements.models import DeclarationLine, FollowUp, MonthlyDeclaration, Outcome, Placement
from portal.declaration_tasks import undeclared_placements

SOON_DAYS = 7


@dataclass(frozen=True)
class Workload:
    lines_to_validate: int
    declarations_to_validate: int
    declarations_to_correct: int
    missing_month_label: str
    employers_missing: int
    people_missing: int
    follow_ups_due: int
    outcomes_due: int


def workload(user, on):
    placements = Placement.objects.followed_by(user)
    pending = DeclarationLine.objects.filter(
        placement__in=placements, is_current=True, status=DeclarationLine.Status.PENDING
    )
    waiting = pending.aggregate(lines=Count("pk"), declarations=Count("declaration", distinct=True))
    to_correct = MonthlyDeclaration.objects.to_correct_followed_by(user).count()
    month = previous_month(on)
    missing = list(undeclared_placements(month, placements).values_list("employer", flat=True))
    soon = on + timedelta(days=SOON_DAYS)
    return Workload(
        lines_to_validate=waiting["lines"],
        declarations_to_validate=waiting["declarations"],
        declarations_to_correct=to_correct,
        missing_month_label=month_label(month),
        employers_missing=len(set(missing)),
        people_missing=len(missing),
        follow_ups_due=FollowUp.objects.filter(
            placement__in=placements, done_on__isnull=True, due_date__lte=soon
        ).count(),
        outcomes_due=Outcome.objects.filter(
            placement__in=placements, recorded_on__isnull=True, due_date__lte=soon
        ).count(),
    )

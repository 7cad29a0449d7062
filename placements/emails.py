"""E-mails of placements: the reminder of outcomes to collect, one per facilitator."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from partners.links import absolute
from partners.models import Membership
from partners.roles import Role

from .models import Outcome


@dataclass
class OverdueOutcomesReminder:
    """The outcomes a facilitator should have collected by now."""

    email: str
    name: str
    outcomes: list = field(default_factory=list)

    def context(self):
        return {
            "name": self.name,
            "count": len(self.outcomes),
            "rows": [
                {
                    "outcome": outcome,
                    "placement": outcome.placement,
                    "link": absolute(reverse("placements:outcome_record", args=[outcome.pk])),
                }
                for outcome in self.outcomes
            ],
            "list_link": absolute(reverse("placements:follow_up_list")),
        }

    def subject(self):
        text = render_to_string("placements/emails/overdue_outcomes_subject.txt", self.context())
        return " ".join(text.split())

    def body(self):
        return render_to_string("placements/emails/overdue_outcomes_body.txt", self.context())

    def send(self):
        send_mail(self.subject(), self.body(), None, [self.email])


def overdue_outcomes(on):
    """Outcomes not recorded whose due date is past on ``on``, the oldest first."""
    return (
        Outcome.objects.filter(recorded_on__isnull=True, due_date__lt=on)
        .select_related("placement__participant", "placement__employer", "placement__lot__contract__operation")
        .order_by("due_date", "pk")
    )


def overdue_outcome_reminders(on):
    """One reminder per active facilitator of the bodies that follow the people concerned,
    and the outcomes that no facilitator follows."""
    by_body = defaultdict(list)
    for outcome in overdue_outcomes(on):
        by_body[outcome.placement.participant.facilitation_body_id].append(outcome)
    memberships = (
        Membership.objects.filter(
            organisation_id__in=by_body, role=Role.FACILITATOR, is_active=True, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    reminders = {}
    followed = set()
    for membership in memberships:
        user = membership.user
        reminder = reminders.setdefault(
            user.pk, OverdueOutcomesReminder(email=user.email, name=user.get_full_name() or user.email)
        )
        reminder.outcomes.extend(by_body[membership.organisation_id])
        followed.add(membership.organisation_id)
    for reminder in reminders.values():
        reminder.outcomes.sort(key=lambda outcome: (outcome.due_date, outcome.pk))
    unfollowed = [outcome for body, outcomes in by_body.items() if body not in followed for outcome in outcomes]
    return list(reminders.values()), unfollowed

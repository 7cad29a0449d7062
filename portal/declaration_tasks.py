"""Monthly reminders of the hours declarations (domain.md, "Hours worked"; design.md, Jobs).

Early each month, for the month just ended: every employer with a person placed during that
month whose hours are not sent (no current line pending, validated or rejected; a draft does not
count) gets one e-mail listing those people; each facilitator of the bodies concerned gets one
e-mail listing the late employers. Tasks take an ISO date or nothing, never objects.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from common.dates import month_label
from partners.links import absolute
from partners.models import Membership
from partners.roles import Role
from placements.declaration_rules import first_day, last_day, previous_month
from placements.models import DeclarationLine, Placement

logger = logging.getLogger(__name__)

SUBMITTED = (DeclarationLine.Status.PENDING, DeclarationLine.Status.VALIDATED, DeclarationLine.Status.REJECTED)


def undeclared_placements(month, placements=None):
    """Placements that ran during ``month`` and whose hours for it are not sent by their employer."""
    month = first_day(month)
    placements = Placement.objects.all() if placements is None else placements
    sent = DeclarationLine.objects.filter(
        placement=OuterRef("pk"),
        declaration__employer=OuterRef("employer"),
        declaration__month=month,
        is_current=True,
        status__in=SUBMITTED,
    )
    return (
        placements.filter(start_date__lte=last_day(month))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=month))
        .exclude(Exists(sent))
    )


def _grid_path(month):
    """The employer's grid of the month, written /portail/declarations/2026-03/."""
    return reverse("placements:declaration_grid", kwargs={"year": month.year, "month": f"{month.month:02d}"})


@dataclass
class _Reminder:
    """One e-mail: its recipients and what the templates need."""

    template: str
    recipients: list
    context: dict

    def subject(self):
        text = render_to_string(f"placements/emails/{self.template}_subject.txt", self.context)
        return " ".join(text.split())

    def body(self):
        return render_to_string(f"placements/emails/{self.template}_body.txt", self.context)

    def send(self):
        send_mail(self.subject(), self.body(), None, self.recipients)


def bodies_of(placement):
    """The facilitation bodies that follow a placement: the person's, and the operation's."""
    bodies = {placement.participant.facilitation_body_id, placement.lot.contract.operation.facilitation_body_id}
    return bodies - {None}


@dataclass
class LateEmployer:
    employer: object
    placements: list = field(default_factory=list)

    @property
    def bodies(self):
        return set().union(*(bodies_of(placement) for placement in self.placements))

    def placements_followed_by(self, bodies):
        return [placement for placement in self.placements if bodies_of(placement) & bodies]


def late_employers(month):
    """The employers late for ``month``, each with the placements not declared, by employer name."""
    by_employer = {}
    placements = (
        undeclared_placements(month)
        .select_related("employer", "participant", "lot__contract__operation")
        .order_by("employer__name", "employer_id", "participant__last_name", "participant__first_name", "pk")
    )
    for placement in placements:
        late = by_employer.setdefault(placement.employer_id, LateEmployer(placement.employer))
        late.placements.append(placement)
    return list(by_employer.values())


def _memberships(role, organisation_ids):
    return (
        Membership.objects.filter(organisation_id__in=organisation_ids, role=role, is_active=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )


def missing_declaration_reminders(month):
    """The e-mails for ``month``: one per late employer (to its active employer users), one per
    facilitator of the bodies concerned; and the late employers nobody can be written to."""
    late = late_employers(month)
    label = month_label(month)
    grid_link = absolute(_grid_path(month))
    addresses = defaultdict(list)
    for membership in _memberships(Role.EMPLOYER, [item.employer.pk for item in late]):
        addresses[membership.organisation_id].append(membership.user.email)
    reminders, unreachable = [], []
    for item in late:
        if not addresses[item.employer.pk]:
            unreachable.append(item)
            continue
        reminders.append(
            _Reminder(
                "declaration_missing_employer",
                addresses[item.employer.pk],
                {
                    "employer": item.employer,
                    "month": label,
                    "placements": item.placements,
                    "count": len(item.placements),
                    "grid_link": grid_link,
                },
            )
        )
    employer_emails = len(reminders)
    by_facilitator = {}
    bodies = {body for item in late for body in item.bodies}
    for membership in _memberships(Role.FACILITATOR, bodies):
        user = membership.user
        entry = by_facilitator.setdefault(user.pk, {"user": user, "bodies": set()})
        entry["bodies"].add(membership.organisation_id)
    queue_link = absolute(reverse("placements:validation_queue"))
    unreachable_ids = {item.employer.pk for item in unreachable}
    for entry in by_facilitator.values():
        user = entry["user"]
        employers = [
            {
                "employer": item.employer,
                "placements": item.placements_followed_by(entry["bodies"]),
                "reachable": item.employer.pk not in unreachable_ids,
            }
            for item in late
        ]
        employers = [row for row in employers if row["placements"]]
        reminders.append(
            _Reminder(
                "declaration_missing_facilitator",
                [user.email],
                {
                    "name": user.get_full_name() or user.email,
                    "month": label,
                    "employers": employers,
                    "count": len(employers),
                    "queue_link": queue_link,
                },
            )
        )
    return reminders, employer_emails, late, unreachable


# Registered under its name from before the portal had an app of its own: the beat schedule and
# any message already queued by a worker of the previous version still find it.
@shared_task(name="placements.declaration_tasks.remind_missing_declarations")
def remind_missing_declarations(on=None):
    """E-mail, for the month before ``on`` (an ISO date; default: today, Europe/Paris), the
    employers who have not sent all their hours, and the facilitators who follow them.

    The e-mails leave after the transaction commits; a failing address does not stop the others.
    """
    day = date.fromisoformat(on) if on else timezone.localdate()
    month = previous_month(day)
    with transaction.atomic():
        reminders, employer_emails, late, unreachable = missing_declaration_reminders(month)
        for reminder in reminders:
            transaction.on_commit(reminder.send, robust=True)
    if unreachable:
        logger.warning(
            "%d employeur(s) en retard pour %s sans utilisateur actif à prévenir.", len(unreachable), month_label(month)
        )
    return {
        "month": f"{month:%Y-%m}",
        "employers_late": len(late),
        "placements_not_declared": sum(len(item.placements) for item in late),
        "employer_emails": employer_emails,
        "facilitator_emails": len(reminders) - employer_emails,
        "employers_without_recipient": len(unreachable),
    }

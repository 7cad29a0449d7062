"""Each facilitator's weekly digest (issue 16): what changed or waits in their territory this week,
by e-mail every Monday morning and on their dashboard.

Sections, each item linked to the page where the facilitator acts:

(a) the lots that fell behind schedule this week (behind on the day, not seven days before): this
    is the periodic alert "lots behind schedule" of design.md (Jobs);
(b) the monthly declarations missing for last month, by employer;
(c) the outcomes due within the week or overdue;
(d) the sections other features register (``register_section``), e.g. "Nouveaux marchés publiés à
    suivre" from the DECP: nothing shows while none is registered.

Each section reads the user's scope through the helpers the dashboard uses (``visible_lots``,
``Placement.objects.followed_by``), in a fixed number of queries whatever the data.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Prefetch
from django.template.loader import render_to_string
from django.urls import reverse

from clauses.models import Lot
from common.dates import month_label
from common.templatetags.figures import hours as hours_text
from partners.links import absolute
from partners.models import Membership, User
from partners.roles import Role
from placements.declaration_rules import previous_month
from placements.emails import overdue_outcomes
from placements.models import Placement
from portal.declaration_tasks import undeclared_placements

from .permissions import visible_lots
from .workload import SOON_DAYS

logger = logging.getLogger(__name__)

WEEK = timedelta(days=7)
# Items listed per section; the section's link leads to the full list.
ITEMS_SHOWN = 15
NEW_PUBLISHED_CONTRACTS = "Nouveaux marchés publiés à suivre"


@dataclass(frozen=True)
class Item:
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: tuple
    empty_text: str = ""
    link: Item | None = None  # the page with the whole list

    @property
    def shown(self):
        return self.items[:ITEMS_SHOWN]

    @property
    def more(self):
        return max(len(self.items) - ITEMS_SHOWN, 0)


@dataclass(frozen=True)
class Digest:
    user: object
    on: object
    sections: tuple

    @property
    def week_start(self):
        return self.on - WEEK

    @property
    def is_empty(self):
        return not any(section.items for section in self.sections)

    @property
    def filled(self):
        return [section for section in self.sections if section.items]

    def section(self, key):
        return next(section for section in self.sections if section.key == key)

    @property
    def item_count(self):
        return sum(len(section.items) for section in self.sections)


# Extra sections -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtraSection:
    title: str
    items: object  # fn(user, on) -> iterable of items, each with a label and a url
    # True when fn reads only rows whose writes change the figures' data version (clauses,
    # placements, partners): the dashboard then keeps the section ready with its own sections.
    follows_version: bool = False


_extra_sections = []


def register_section(title, fn, follows_version=False):
    """Add a section to every digest: ``fn(user, on)`` returns the user's items, each an object
    with ``label`` and ``url`` (an absolute address, or a path) or a dict with those keys, and
    optionally ``detail``. Registering the same title and function again changes nothing.
    For the DECP feature: ``register_section(NEW_PUBLISHED_CONTRACTS, fn)``."""
    section = ExtraSection(title, fn, follows_version)
    if section not in _extra_sections:
        _extra_sections.append(section)
    return fn


def registered_sections():
    return tuple(_extra_sections)


def _item(value):
    get = value.get if isinstance(value, dict) else lambda name, default="": getattr(value, name, default)
    url = str(get("url"))
    return Item(label=str(get("label")), url=absolute(url) if url.startswith("/") else url, detail=get("detail", ""))


def extra_sections(user, on, follows_version=None):
    """The registered sections that have items for ``user``; one that fails is left out (logged):
    a feature plugged in must not stop the digests. ``follows_version`` True or False keeps only
    the sections that do (or do not) follow the figures' data version; None keeps them all."""
    sections = []
    for index, extra in enumerate(registered_sections()):
        if follows_version is not None and extra.follows_version != follows_version:
            continue
        try:
            items = tuple(_item(value) for value in extra.items(user, on) or ())
        except Exception:
            logger.exception(
                "Section « %s » du point de la semaine en échec pour l'utilisateur %s.", extra.title, user.pk
            )
            continue
        if items:
            sections.append(Section(key=f"extra-{index}", title=extra.title, items=items))
    return sections


# The sections of the facilitator's own work ------------------------------------------------------


def _date(day):
    return f"{day:%d/%m/%Y}"


def fell_behind(user, on):
    """(a) The user's lots behind schedule on ``on`` that were not seven days before (two queries:
    the ids of the user's lots first, so that the database judges only those; given the whole
    visibility condition at once, PostgreSQL judged every started lot of the country, 1.5 s)."""
    ids = list(visible_lots(user).values_list("pk", flat=True))
    lots = Lot.objects.filter(pk__any_of=ids).fell_behind_between(on - WEEK, on).with_progress_data(on=on)
    lots = lots.order_by("end_date", "pk")
    items = []
    for lot in lots:
        progress = lot.progress(on)
        items.append(
            Item(
                label=f"{lot} ({lot.contract.operation.title}, {lot.contract.operation.buyer.name})",
                url=absolute(reverse("clauses:lot_detail", args=[lot.pk])),
                detail=(
                    f"{hours_text(progress.done)} validées pour {hours_text(progress.expected)} attendues"
                    f" ({hours_text(progress.required)} exigées, fin le {_date(lot.end_date)})"
                ),
            )
        )
    return Section(
        key="fell-behind",
        title="Lots passés en retard cette semaine",
        items=tuple(items),
        empty_text="Aucun lot n'est passé en retard cette semaine.",
        link=Item("Tous les lots en retard", absolute(reverse("clauses:lot_list") + "?behind=on")),
    )


def missing_declarations(user, on):
    """(b) The employers that have not declared every person's hours of last month (one query,
    after the ids of the placements the user follows, read once per user)."""
    month = previous_month(on)
    rows = (
        undeclared_placements(month, Placement.objects.followed_by(user))
        .values("employer", "employer__name")
        .annotate(people=Count("pk", distinct=True))
        .order_by("employer__name", "employer")
    )
    queue = absolute(reverse("placements:validation_queue") + "#missing-title")
    items = tuple(
        Item(
            label=row["employer__name"],
            url=queue,
            detail=f"{row['people']} personne{'s' if row['people'] > 1 else ''} sans heures déclarées",
        )
        for row in rows
    )
    return Section(
        key="missing-declarations",
        title=f"Déclarations mensuelles manquantes ({month_label(month)})",
        items=items,
        empty_text=f"Toutes les heures de {month_label(month)} sont déclarées.",
        link=Item("Les déclarations à valider et les manquantes", queue),
    )


def outcomes_due(user, on):
    """(c) The outcomes not recorded, due within ``SOON_DAYS`` or overdue, of the placements the
    user follows, the oldest first (one query; the same as the daily reminder's, on a wider day)."""
    outcomes = overdue_outcomes(on + timedelta(days=SOON_DAYS + 1)).filter(
        placement__in=Placement.objects.followed_by(user)
    )
    items = []
    for outcome in outcomes:
        placement = outcome.placement
        when = (
            f"en retard depuis le {_date(outcome.due_date)}"
            if outcome.due_date < on
            else f"à recueillir le {_date(outcome.due_date)}"
        )
        items.append(
            Item(
                label=f"{placement.participant} — situation {outcome.get_moment_display().lower()}",
                url=absolute(reverse("placements:outcome_record", args=[outcome.pk])),
                detail=f"{when} ; chez {placement.employer.name}, lot {placement.lot.number} — {placement.lot.title}",
            )
        )
    return Section(
        key="outcomes-due",
        title="Sorties à recueillir (dans les 7 jours ou en retard)",
        items=tuple(items),
        empty_text="Aucune sortie à recueillir cette semaine.",
        link=Item("Tous les suivis et sorties", absolute(reverse("placements:follow_up_list"))),
    )


SECTIONS = (fell_behind, missing_declarations, outcomes_due)


def own_sections(user, on):
    """(a), (b), (c): they read only rows of clauses, placements and partners."""
    return [section(user, on) for section in SECTIONS]


def digest_for(user, on):
    """The whole digest of ``user`` (memberships loaded: ``partners.permissions.load_memberships``)."""
    return Digest(user=user, on=on, sections=tuple(own_sections(user, on) + extra_sections(user, on)))


# The weekly e-mail ---------------------------------------------------------------------------------


def facilitators():
    """Active users with an active facilitator membership and an address, memberships loaded."""
    return (
        User.objects.filter(is_active=True, memberships__role=Role.FACILITATOR, memberships__is_active=True)
        .exclude(email="")
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("organisation")))
        .order_by("last_name", "first_name", "pk")
    )


@dataclass
class DigestEmail:
    digest: Digest
    context: dict = field(init=False)

    def __post_init__(self):
        user = self.digest.user
        self.context = {
            "name": user.get_full_name() or user.email,
            "digest": self.digest,
            "sections": self.digest.filled,
            "dashboard_link": absolute(reverse("reporting:facilitator_dashboard")),
        }

    def subject(self):
        return " ".join(render_to_string("reporting/digest/subject.txt", self.context).split())

    def message(self):
        message = EmailMultiAlternatives(
            self.subject(),
            render_to_string("reporting/digest/body.txt", self.context),
            None,
            [self.digest.user.email],
        )
        message.attach_alternative(render_to_string("reporting/digest/body.html", self.context), "text/html")
        return message

    def send(self):
        self.message().send()


def weekly_digests(on):
    """The e-mails of the week: one per facilitator with something in at least one section."""
    emails = []
    for user in facilitators():
        digest = digest_for(user, on)
        if not digest.is_empty:
            emails.append(DigestEmail(digest))
    return emails

"""Personal data of participants: the access log, the record given under the right of access, and
the anonymisation (on request, or when the retention period is over).

The anonymisation keeps every figure the Département and the national network count (hours,
placements, outcomes, sex, age band at entry, RSA, criteria codes, commune, education level) and
removes what identifies the person, in the participant's row and in the copies
django-simple-history keeps of it. Proof files of hours are the employer's payslips for several
people: they are not deleted (``PROOF_FILES_NOTE``).
"""

from collections import defaultdict
from datetime import date

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Min
from django.utils import timezone

from . import eligibility
from .models import (
    Candidacy,
    DeclarationLine,
    EligibilityCriterion,
    FollowUp,
    Outcome,
    Participant,
    PersonalDataAccess,
    Placement,
)

ANONYMOUS_FIRST_NAME = "Personne"
ANONYMOUS_LAST_NAME = "anonymisée"
# Fields of the participant emptied by the anonymisation (in the row and in its history).
EMPTIED_FIELDS = ("address", "email", "phone", "notes", "referent", "availability")
PROOF_FILES_NOTE = (
    "Les justificatifs d'heures (bulletins de paie, relevés) déposés par les employeurs concernent "
    "souvent plusieurs personnes : ils ne sont pas supprimés par l'anonymisation et restent "
    "accessibles aux seuls employeurs, facilitateurs et administrateurs concernés."
)
RETENTION_REASON = "Durée de conservation dépassée : {years} ans sans activité."


# The access log ----------------------------------------------------------------------------


def log_access(request, participant_ids, kind, reason=""):
    """One row per person concerned, in one insert. ``request`` may be None (the periodic job)."""
    user = request.user if request is not None and request.user.is_authenticated else None
    path = request.get_full_path()[:300] if request is not None else ""
    now = timezone.now()
    rows = [
        PersonalDataAccess(user=user, participant_id=pk, kind=kind, at=now, path=path, reason=reason[:300])
        for pk in sorted(set(participant_ids))
    ]
    if rows:
        PersonalDataAccess.objects.bulk_create(rows)
    return rows


def participants_of_declaration(declaration_id):
    """The people whose hours a declaration holds (all versions): those a proof file concerns."""
    return list(
        DeclarationLine.objects.filter(declaration_id=declaration_id)
        .values_list("placement__participant", flat=True)
        .distinct()
        .order_by()
    )


# Anonymisation -----------------------------------------------------------------------------


def reduced_birth_date(birth_date, first_placement_start=None):
    """The birth year only: 1 January, or 31 December when the person's birthday came after the
    start of their first placement in that year, so that their age at entry, from which the age
    bands are counted, stays exactly the same."""
    if birth_date is None:
        return None
    reduced = date(birth_date.year, 1, 1)
    if first_placement_start is not None and eligibility.age_on(reduced, first_placement_start) != (
        eligibility.age_on(birth_date, first_placement_start)
    ):
        reduced = date(birth_date.year, 12, 31)
    return reduced


def anonymous_fields(participant, first_placement_start=None):
    fields = dict.fromkeys(EMPTIED_FIELDS, "")
    fields.update(
        first_name=ANONYMOUS_FIRST_NAME,
        last_name=f"{ANONYMOUS_LAST_NAME} n° {participant.pk}",
        birth_date=reduced_birth_date(participant.birth_date, first_placement_start),
    )
    return fields


def _scrub_admin_log(model, pks, label):
    """The admin's journal keeps each object's name as it was: replace it by a neutral label."""
    if pks:
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in pks]
        ).update(object_repr=label)


@transaction.atomic
def anonymise(participant, user=None, reason="", request=None):
    """Anonymise ``participant`` in place: their row, their history, the free-text notes about
    them; recorded with who (``user``, empty for the periodic job) and why (``reason``)."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.anonymised_at is not None:
        return participant
    placement_ids = list(Placement.objects.filter(participant=participant).values_list("pk", flat=True))
    first_start = Placement.objects.filter(participant=participant).aggregate(first=Min("start_date"))["first"]
    fields = anonymous_fields(participant, first_start)

    for name, value in fields.items():
        setattr(participant, name, value)
    participant.anonymised_at = timezone.now()
    participant._change_reason = f"Anonymisation. {reason}".strip()[:100]
    if user is not None:
        participant._history_user = user
    participant.save()

    # The copies kept by django-simple-history, and the free text about the person elsewhere.
    Participant.history.filter(id=participant.pk).update(**fields)
    EligibilityCriterion.objects.filter(participant=participant).update(proof="")
    EligibilityCriterion.history.filter(participant_id=participant.pk).update(proof="")
    Candidacy.objects.filter(participant=participant).update(comment="")
    Candidacy.history.filter(participant_id=participant.pk).update(comment="")
    for model in (FollowUp, Outcome):
        model.objects.filter(placement__in=placement_ids).update(notes="")
        model.history.filter(placement_id__in=placement_ids).update(notes="")

    label = str(participant)
    _scrub_admin_log(Participant, [participant.pk], label)
    _scrub_admin_log(Placement, placement_ids, f"Mise à l'emploi de {label}")
    _scrub_admin_log(
        Candidacy, list(Candidacy.objects.filter(participant=participant).values_list("pk", flat=True)), label
    )
    _scrub_admin_log(
        FollowUp, list(FollowUp.objects.filter(placement__in=placement_ids).values_list("pk", flat=True)), label
    )
    _scrub_admin_log(
        Outcome, list(Outcome.objects.filter(placement__in=placement_ids).values_list("pk", flat=True)), label
    )
    _scrub_admin_log(
        DeclarationLine,
        list(DeclarationLine.objects.filter(placement__in=placement_ids).values_list("pk", flat=True)),
        label,
    )

    row = PersonalDataAccess(
        user=user,
        participant=participant,
        kind=PersonalDataAccess.Kind.ERASURE,
        path=request.get_full_path()[:300] if request is not None else "",
        reason=reason[:300],
    )
    row.save()
    return participant


# The record given under the right of access --------------------------------------------------

HISTORY_TYPES = {"+": "Création", "~": "Modification", "-": "Suppression"}
# Technical fields left out of the list of changes.
SKIPPED_FIELDS = {"id", "updated_at", "created_at", "revision", "anonymised_at"}


def _value(field, value):
    if isinstance(field, models.ForeignKey):
        return "modifié(e)"  # another person or organisation: its name is not copied here
    if value is None or value == "":
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.BooleanField):
        return "oui" if value else "non"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _history_entries(history_rows, kind_label, model):
    """Each historical row as who, when, what; the changed fields by comparison with the
    previous row of the same object (rows are read at once, not one query per row)."""
    fields = [field for field in model._meta.concrete_fields if field.name not in SKIPPED_FIELDS]
    previous_of = {}
    entries = []
    for row in sorted(history_rows, key=lambda r: (r.history_date, r.history_id)):
        previous = previous_of.get(row.id)
        if row.history_type == "~" and previous is not None:
            changes = [
                f"{field.verbose_name} : {_value(field, getattr(row, field.attname))}"
                for field in fields
                if getattr(row, field.attname) != getattr(previous, field.attname)
            ]
        else:
            changes = []
        previous_of[row.id] = row
        entries.append(
            {
                "quand": row.history_date,
                "qui": str(row.history_user) if row.history_user_id else "Traitement automatique ou inconnu",
                "objet": kind_label,
                "action": HISTORY_TYPES.get(row.history_type, row.history_type),
                "changements": changes,
                "motif": row.history_change_reason or "",
            }
        )
    return entries


def participant_record(participant):
    """Everything Clausier keeps about one person, as sections of a readable document. A fixed
    number of queries whatever the length of the person's path."""
    participant = (
        Participant.objects.select_related("commune", "prescriber", "facilitation_body")
        .prefetch_related("wished_trades")
        .get(pk=participant.pk)
    )
    criteria = list(
        EligibilityCriterion.objects.filter(participant=participant).select_related(
            "confirming_prescriber", "validated_by"
        )
    )
    candidacies = list(
        Candidacy.objects.filter(participant=participant)
        .select_related("offer__employer", "offer__lot")
        .order_by("created_at")
    )
    placements = list(
        Placement.objects.filter(participant=participant).select_related("lot", "employer").order_by("start_date")
    )
    placement_ids = [placement.pk for placement in placements]
    follow_ups = list(
        FollowUp.objects.filter(placement__in=placement_ids).select_related("placement__lot").order_by("due_date")
    )
    outcome_rows = list(
        Outcome.objects.filter(placement__in=placement_ids).select_related("placement__lot").order_by("due_date")
    )
    lines = list(
        DeclarationLine.objects.current()
        .filter(placement__in=placement_ids)
        .select_related("declaration", "placement__lot", "placement__employer")
        .order_by("declaration__month", "placement__start_date")
    )
    hours_by_month = defaultdict(list)
    for line in lines:
        hours_by_month[line.declaration.month].append(line)

    history = []
    sources = [
        (Participant.history.filter(id=participant.pk), "Fiche", Participant),
        (
            EligibilityCriterion.history.filter(participant_id=participant.pk),
            "Critère d'éligibilité",
            EligibilityCriterion,
        ),
        (Candidacy.history.filter(participant_id=participant.pk), "Candidature", Candidacy),
        (Placement.history.filter(participant_id=participant.pk), "Mise à l'emploi", Placement),
        (FollowUp.history.filter(placement_id__in=placement_ids), "Suivi", FollowUp),
        (Outcome.history.filter(placement_id__in=placement_ids), "Sortie", Outcome),
        (DeclarationLine.history.filter(placement_id__in=placement_ids), "Heures déclarées", DeclarationLine),
    ]
    for rows, label, model in sources:
        history.extend(_history_entries(rows.select_related("history_user"), label, model))
    history.sort(key=lambda entry: entry["quand"])

    accesses = list(
        PersonalDataAccess.objects.filter(participant=participant).select_related("user").order_by("at", "pk")
    )
    return {
        "participant": participant,
        "criteria": criteria,
        "candidacies": candidacies,
        "placements": placements,
        "follow_ups": follow_ups,
        "outcomes": outcome_rows,
        "hours_by_month": sorted(hours_by_month.items()),
        "history": history,
        "accesses": accesses,
        "proof_files_note": PROOF_FILES_NOTE,
    }

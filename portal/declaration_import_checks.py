"""Checks of the hours import file: every line checked, every problem reported with its line, its
column and a reason in French. A reference that is not one of the employer's placements is refused
with the same words whether it exists elsewhere or not: nothing leaks about another employer's people."""

import re
from dataclasses import dataclass, field, replace

from common.dates import month_label, of_month
from common.tabular import LINE
from common.text import search_key
from placements import declaration_rules as rules
from placements.models import Placement

from .declaration_import_reading import month_code, parse_month, person_name
from .declaration_services import (
    declarable_placements,
    hours_declared_elsewhere,
    monthly_maximum,
    person_month_errors,
)

# Validation --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem of the file: its line (None for the whole file), column and reason in French."""

    line: int | None
    column: str
    message: str
    value: str = ""
    column_letter: str = ""


@dataclass
class CheckedRows:
    """What the validation found: the hours by placement id (None: leave as is), the line of each
    placement in the file, and every error."""

    hours: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    @property
    def hours_count(self):
        return sum(1 for hours in self.hours.values() if hours is not None)


def _name_key(text):
    return search_key((text or "").replace("-", " ").replace("'", " "))


_HOURS_UNIT = re.compile(r"\s*(h|heures?)\s*$", re.IGNORECASE)


def _parse_reference(text):
    """12, "12", "#12", "12.0" → 12; None when it is not a whole number."""
    value = text.strip().lstrip("#").strip()
    if re.fullmatch(r"\d{1,12}", value):
        return int(value)
    return None


def validate_rows(rows, employer, month):
    """Check every row against the employer's placements of the month; nothing is written.

    Queries: the month's placements (and their participants) once, and, only when the file names
    references that are not among them, the employer's own placements among those references once;
    then, when the file has hours, the hours already declared for these people this month, in one
    aggregate query: the monthly maximum is per person, whatever the lot or the employer (the hours
    of a person's lines in the file add up; the other employers are never named).
    """
    month = rules.first_day(month)
    label = month_label(month)
    maximum = monthly_maximum()
    placements = {placement.pk: placement for placement in _placements_to_check(employer, month)}
    references = {row[LINE]: _parse_reference(row.get("reference", "")) for row in rows}
    unknown = {reference for reference in references.values() if reference is not None} - placements.keys()
    own_elsewhere = {}
    if unknown:
        own_elsewhere = {
            placement.pk: placement
            for placement in Placement.objects.filter(employer=employer, pk__in=sorted(unknown)).select_related(
                "participant"
            )
        }

    checked = CheckedRows()
    refused = set()  # references whose hours are refused on their own
    for row in rows:
        line = row[LINE]

        def value(key, row=row):
            return (row.get(key) or "").strip()

        def error(key, message, shown=None, line=line):
            checked.errors.append(RowError(line, key, message, value(key) if shown is None else shown))

        # mois
        typed_month = value("mois")
        if not typed_month:
            error("mois", f"Mois vide : indiquez {month_code(month)} ({label}), le mois de cette page.")
        else:
            parsed_month = parse_month(typed_month)
            if parsed_month is None:
                error(
                    "mois",
                    f"Mois illisible : indiquez-le au format MM/AAAA, ici {month_code(month)} ({label}).",
                )
            elif parsed_month != month:
                error(
                    "mois",
                    f"Ce fichier déclare {month_label(parsed_month)}, mais cette page importe les heures "
                    f"{of_month(month)} : importez-le depuis la page {of_month(parsed_month)}, "
                    f"ou corrigez le mois ({month_code(month)}).",
                )

        # heures
        hours, hours_readable = None, True
        raw_hours = value("heures")
        try:
            hours = rules.parse_hours(_HOURS_UNIT.sub("", raw_hours))
        except ValueError:
            hours_readable = False
            error("heures", f"« {raw_hours} » n'est pas un nombre d'heures : indiquez par exemple 35 ou 35,5.")

        # reference, then the name that confirms it, then the hours against the placement's dates
        if not value("reference"):
            error(
                "reference",
                "Référence vide : recopiez celle de la personne depuis le modèle du mois. Une personne absente du "
                "modèle ne peut pas être déclarée ici : contactez le facilitateur.",
            )
            continue
        reference = references[line]
        if reference is None:
            error(
                "reference",
                "Référence illisible : c'est le numéro de la colonne « reference » du modèle du mois (ex. 12).",
            )
            continue
        placement = placements.get(reference)
        if placement is None:
            elsewhere = own_elsewhere.get(reference)
            if elsewhere is None:
                # Same words whether the reference exists for another employer or not at all.
                error(
                    "reference",
                    f"Personne inconnue : la référence {reference} ne correspond à aucune personne que vous employez "
                    f"sur un lot en {label}. Téléchargez le modèle de ce mois pour avoir les bonnes références.",
                )
            else:
                error("reference", _not_running_message(elsewhere, reference, month))
            continue
        _check_name(placement.participant, reference, value("nom"), value("prenom"), error)
        if reference in checked.lines:
            error(
                "reference",
                f"Personne en double : la référence {reference} ({person_name(placement.participant)}) est déjà à "
                f"la ligne {checked.lines[reference]}. Gardez une seule ligne par personne, avec le total de ses "
                "heures du mois.",
            )
            continue
        checked.lines[reference] = line
        if hours_readable:
            problem = rules.hours_problem(hours, month, placement.start_date, placement.end_date, maximum)
            if problem:
                error("heures", problem)
                refused.add(reference)
        checked.hours[reference] = hours

    _check_person_totals(checked, placements, refused, employer, month, maximum)

    letters = getattr(rows, "column_letters", {})
    if letters:
        checked.errors = [replace(error, column_letter=letters.get(error.column, "")) for error in checked.errors]
    if not checked.errors and not checked.hours_count:
        checked.errors.append(
            RowError(
                None,
                "heures",
                "Aucune heure à importer : la colonne « heures » est vide sur toutes les lignes.",
                column_letter=letters.get("heures", ""),
            )
        )
    return checked


def _check_person_totals(checked, placements, refused, employer, month, maximum):
    """A person's hours of the month in the file plus those already declared elsewhere must not
    exceed the monthly maximum: each of the person's lines gets the error, in the order of the file."""
    typed = {
        reference: hours for reference, hours in checked.hours.items() if hours is not None and reference not in refused
    }
    if not typed:
        return
    written = {reference for reference, hours in checked.hours.items() if hours is not None}
    elsewhere = hours_declared_elsewhere(employer, month, written)
    participant_of = {reference: placements[reference].participant_id for reference in typed}
    errors = person_month_errors(month, typed, participant_of, elsewhere, maximum)
    for reference, message in errors.items():
        checked.errors.append(
            RowError(checked.lines[reference], "heures", message, rules.format_hours(typed[reference]))
        )
    checked.errors.sort(key=lambda error: error.line or 0)


def _placements_to_check(employer, month):
    """The month's declarable placements with only what the checks read: one query, no prefetch,
    so that a file of 10,000 lines is checked in well under a second."""
    return (
        declarable_placements(employer, month)
        .select_related(None)
        .select_related("participant")
        .prefetch_related(None)
        .order_by()
        .only("pk", "start_date", "end_date", "participant__first_name", "participant__last_name")
    )


def _check_name(participant, reference, last_name, first_name, error):
    if _name_key(last_name) == _name_key(participant.last_name) and _name_key(first_name) == _name_key(
        participant.first_name
    ):
        return
    expected = person_name(participant)
    typed = " ".join(part for part in (first_name, last_name.upper()) if part)
    column = "nom" if _name_key(last_name) != _name_key(participant.last_name) else "prenom"
    if not typed:
        error(
            "nom",
            f"Nom et prénom vides : la référence {reference} correspond à {expected} ; recopiez son nom et son "
            "prénom depuis le modèle, ils servent à vérifier la référence.",
            shown="",
        )
        return
    error(
        column,
        f"La référence {reference} correspond à {expected}, pas à {typed} : vérifiez la référence ou le nom.",
        shown=typed,
    )


def _not_running_message(placement, reference, month):
    """The employer's own placement that did not run this month: they may see who and when."""
    period = f"du {placement.start_date:%d/%m/%Y}" + (
        f" au {placement.end_date:%d/%m/%Y}" if placement.end_date else ""
    )
    return (
        f"La référence {reference} ({person_name(placement.participant)}) : la mise à l'emploi ne couvre pas "
        f"{month_label(month)} ({period}). Retirez cette ligne."
    )

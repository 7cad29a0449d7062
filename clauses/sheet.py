"""The "fiche clause" for buyers: what a contract's (or a lot's) insertion clauses require, in a PDF.

``build_sheet`` gathers the data (legal basis, hours and how they were computed, the model text
with its variables filled, the modes, the eligible publics, the facilitator to contact);
``render_pdf`` turns it into a PDF with WeasyPrint. Numbers are formatted here, in French, so the
template stays free of locale settings.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from common.numbers import legal_number
from partners.models import User
from partners.roles import Role

from . import computation, hours
from .models import Clause, ClauseSheetTemplate, HoursSettings
from .reference import DEFAULT_SHEET_TEXTS

TEMPLATE_NAME = "clauses/sheet.html"
NBSP = "\u00a0"

# Variables an administrator may use in the model texts (ClauseSheetTemplate.model_text).
VARIABLES = ("heures", "lot", "marche", "acheteur", "facilitateur")
_VARIABLE_RE = re.compile(r"\{(" + "|".join(VARIABLES) + r")\}")


@dataclass(frozen=True)
class Mode:
    title: str
    detail: str


@dataclass(frozen=True)
class Public:
    code: str
    label: str


MODES = (
    Mode(
        "Embauche directe",
        "par l'entreprise titulaire : CDI, CDD, contrat d'apprentissage ou de professionnalisation.",
    ),
    Mode(
        "Mise à disposition de personnel",
        "par une entreprise de travail temporaire d'insertion (ETTI), une association intermédiaire (AI), "
        "un groupement d'employeurs pour l'insertion et la qualification (GEIQ), ou une agence d'intérim "
        "qui met à disposition une personne éligible.",
    ),
    Mode(
        "Sous-traitance ou co-traitance",
        "avec une structure d'insertion par l'activité économique (SIAE), une entreprise adaptée (EA) ou un "
        "établissement et service d'accompagnement par le travail (ESAT) : les heures de leurs salariés en "
        "insertion sur le lot sont comptées.",
    ),
)
TRAINING_MODE = Mode(
    "Formation",
    "les heures de formation suivies par les personnes en insertion sont comptées, selon la règle locale.",
)

PUBLICS = (
    Public("DELD", "Demandeurs d'emploi inscrits depuis 12 mois ou plus (24 mois ou plus : DETLD)"),
    Public("RSA", "Bénéficiaires du revenu de solidarité active (RSA)"),
    Public(
        "ASS, ATA, AAH",
        "Bénéficiaires d'un autre minimum social : allocation de solidarité spécifique, allocation temporaire "
        "d'attente, allocation aux adultes handicapés ou pension d'invalidité",
    ),
    Public("TH", "Travailleurs handicapés bénéficiaires de l'obligation d'emploi (RQTH, BOETH)"),
    Public("Jeunes", "Jeunes de moins de 26 ans sortis de l'école depuis 6 mois ou plus, peu qualifiés"),
    Public("Seniors", "Demandeurs d'emploi de 50 ans et plus"),
    Public("QPV", "Habitants d'un quartier prioritaire de la politique de la ville"),
    Public("IAE", "Salariés d'une SIAE ou d'un GEIQ en parcours d'insertion"),
    Public("EPIDE, E2C", "Stagiaires de l'EPIDE ou d'une école de la deuxième chance"),
    Public(
        "Dérogation",
        "Autres personnes en grande difficulté, sur avis motivé d'un prescripteur accepté par le facilitateur",
    ),
)


@dataclass(frozen=True)
class Facilitator:
    name: str
    email: str


@dataclass(frozen=True)
class LotRow:
    number: str
    title: str
    amount: str
    start_date: date
    end_date: date
    legal_basis: str
    legal_basis_label: str
    method_label: str
    hours: Decimal
    hours_display: str
    hours_rule: str
    explanation: str
    computed_hours: str
    adjusted: bool
    adjustment_reason: str
    model_text: str


@dataclass(frozen=True)
class ClauseSheet:
    contract: object
    operation: object
    buyer: object
    lots: list
    facilitation_body: object
    facilitators: list
    modes: tuple
    publics: tuple
    eligibility_window_months: int
    built_on: date
    single_lot: bool = False
    total_hours: str = ""
    has_invoiced_lots: bool = False

    @property
    def reference(self):
        if self.single_lot and self.lots:
            return f"{self.contract.reference} lot {self.lots[0].number}"
        return self.contract.reference

    @property
    def reference_label(self):
        if self.single_lot and self.lots:
            return f"Marché {self.contract.reference} · lot {self.lots[0].number}"
        return f"Marché {self.contract.reference}"

    @property
    def filename(self):
        return f"fiche-clause-{slugify(self.reference) or 'marche'}.pdf"

    @property
    def facilitator_text(self):
        return facilitator_text(self.facilitation_body, self.facilitators)


# Formatting -------------------------------------------------------------------------------


def french_date(value):
    return value.strftime("%d/%m/%Y") if value else ""


def natural_key(number):
    """Lot numbers are text: sort "2" before "10", and "2a" after "2"."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", number)]


def fill_variables(text, values):
    """Replace {heures}, {lot}… and leave any other brace untouched (admins type free text)."""
    return _VARIABLE_RE.sub(lambda match: values[match.group(1)], text)


# Building ---------------------------------------------------------------------------------


def explain(lot, clause, minimum=None):
    """The computation of the clause's hours, as on the lot page (``computation.compute``)."""
    inputs = {name: getattr(clause, name) for name in computation.REQUIRED_INPUTS.get(clause.method, {})}
    inputs.update(
        cleaning_coefficient=clause.cleaning_coefficient, transferred_monthly_hours=clause.transferred_monthly_hours
    )
    if minimum is None:
        minimum = HoursSettings.current().minimum_hours
    return computation.compute(
        clause.method,
        lot.amount_excl_tax,
        inputs,
        months=hours.months_between(lot.start_date, lot.end_date),
        invoiced_total=getattr(lot, "invoiced_total", None),
        minimum=minimum,
    )


def local_setting(name):
    return settings.CLAUSIER[name]


def facilitators_of(body):
    if body is None:
        return []
    users = (
        User.objects.filter(
            is_active=True,
            memberships__organisation=body,
            memberships__role=Role.FACILITATOR,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )
    return [Facilitator(user.get_full_name() or user.email, user.email) for user in users]


def facilitator_text(body, facilitators):
    """The value of {facilitateur}: names and e-mails, then the facilitation body."""
    people = [f"{person.name}, {person.email}" if person.email else person.name for person in facilitators]
    name = body.name if body else ""
    if people:
        names = " ; ".join(people)
        return f"{names} — {name}" if name else names
    if body:
        contact = ", ".join(value for value in (body.email, body.phone) if value)
        return f"{name}, {contact}" if contact else name
    return "à désigner"


def _model_texts(bases):
    texts = dict(DEFAULT_SHEET_TEXTS)
    texts.update(ClauseSheetTemplate.objects.filter(legal_basis__in=bases).values_list("legal_basis", "model_text"))
    return texts


def _lot_row(lot, clause, sheet_values, model_texts, minimum):
    required = lot.hours_required
    result = explain(lot, clause, minimum)
    per_euro = clause.method == Clause.Method.PER_EURO_INVOICED and clause.euros_per_hour
    adjusted = (
        clause.contractual_hours is not None
        and not per_euro
        and (clause.contractual_hours != clause.computed_hours or bool(clause.adjustment_reason))
    )
    hours_rule = ""
    heures = legal_number(required)
    if per_euro:
        hours_rule = f"1 h pour {legal_number(clause.euros_per_hour)} € HT facturés"
        heures = f"{heures} (à raison d'une heure pour {legal_number(clause.euros_per_hour)} € HT facturés)"
    if result.explanation:
        explanation = result.explanation
    else:
        explanation = "Les éléments du calcul ne sont pas renseignés : les heures ont été fixées directement."
    values = dict(
        sheet_values,
        heures=heures,
        lot=f"lot {lot.number} «{NBSP}{lot.title}{NBSP}»",
    )
    text = clause.model_text.strip() or model_texts.get(clause.legal_basis, "")
    return LotRow(
        number=lot.number,
        title=lot.title,
        amount=legal_number(lot.amount_excl_tax),
        start_date=lot.start_date,
        end_date=lot.end_date,
        legal_basis=clause.legal_basis,
        legal_basis_label=clause.get_legal_basis_display(),
        method_label=clause.get_method_display(),
        hours=required,
        hours_display=legal_number(required),
        hours_rule=hours_rule,
        explanation=explanation,
        computed_hours=legal_number(clause.computed_hours),
        adjusted=adjusted,
        adjustment_reason=clause.adjustment_reason if adjusted else "",
        model_text=fill_variables(text, values),
    )


def build_sheet(contract, lots, single_lot=False, on=None):
    """The sheet of ``contract`` for ``lots`` (those without a clause are left out).

    Pass lots from ``Lot.objects.with_progress_data()`` to avoid a query per lot.
    """
    operation = contract.operation
    body = operation.facilitation_body
    lots_with_clause = sorted(
        ((lot, clause) for lot in lots if (clause := getattr(lot, "clause", None)) is not None),
        key=lambda pair: natural_key(pair[0].number),
    )
    facilitators = facilitators_of(body)
    sheet_values = {
        "marche": f"{contract.reference} «{NBSP}{contract.title}{NBSP}»",
        "acheteur": operation.buyer.name,
        "facilitateur": facilitator_text(body, facilitators),
    }
    model_texts = _model_texts({clause.legal_basis for _, clause in lots_with_clause})
    minimum = HoursSettings.current().minimum_hours
    rows = [_lot_row(lot, clause, sheet_values, model_texts, minimum) for lot, clause in lots_with_clause]
    training_counts = local_setting("TRAINING_HOURS_COUNT")
    return ClauseSheet(
        contract=contract,
        operation=operation,
        buyer=operation.buyer,
        lots=rows,
        facilitation_body=body,
        facilitators=facilitators,
        modes=MODES + ((TRAINING_MODE,) if training_counts else ()),
        publics=PUBLICS,
        eligibility_window_months=local_setting("COUNTING_WINDOW_MONTHS"),
        built_on=on or timezone.localdate(),
        single_lot=single_lot,
        total_hours=legal_number(sum((row.hours for row in rows), Decimal(0))),
        has_invoiced_lots=any(row.hours_rule for row in rows),
    )


# Rendering --------------------------------------------------------------------------------


def render_html(sheet):
    return render_to_string(TEMPLATE_NAME, {"sheet": sheet})


def render_pdf(sheet):
    """The PDF of the sheet, as bytes."""
    from weasyprint import HTML  # heavy import, only where a PDF is built

    return HTML(string=render_html(sheet), base_url=str(settings.BASE_DIR)).write_pdf()

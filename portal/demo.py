"""Demo monthly declarations in every state: validated months, a month to correct, a month
waiting for validation, a draft, and a month not declared yet.

Run by ``seed_demo`` right after ``placements/demo.py`` (the apps' order), on its placements.
Idempotent: declarations are found by (employer, month), lines by (declaration, placement).
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.timezone import localdate

from placements import counting
from placements import declaration_rules as rules
from placements.models import DeclarationLine, DeclarationProof, MonthlyDeclaration, Placement

from .declaration_services import refresh_status

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _months(placement, until):
    month = rules.first_day(placement.start_date)
    last = rules.first_day(min(placement.end_date or until, until))
    while month <= last:
        yield month
        month = rules.last_day(month) + timedelta(days=1)


def _hours(placement, month):
    """Weekly hours × 52 ÷ 12, pro rata of the days worked in the month, to the half hour."""
    start = max(placement.start_date, month)
    end = min(placement.end_date or rules.last_day(month), rules.last_day(month))
    share = Decimal((end - start).days + 1) / Decimal(rules.last_day(month).day)
    full = placement.weekly_hours * 52 / 12
    return (full * share * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def _state(month, previous, employer_name):
    """The state a demo month is in, so that every state shows."""
    if month == previous:
        return {
            "Bâtir Bresse Construction": None,  # not declared yet: the reminder lists it
            "Tremplin Bresse (ACI)": DeclarationLine.Status.DRAFT,
        }.get(employer_name, DeclarationLine.Status.PENDING)
    if month == rules.previous_month(previous) and employer_name == "Bâtir Bresse Construction":
        return DeclarationLine.Status.REJECTED
    return DeclarationLine.Status.VALIDATED


def seed(context):
    today = localdate()
    previous = rules.previous_month(today)
    facilitator = context.get("facilitator")
    for placement in Placement.objects.select_related("employer", "participant").prefetch_related(
        "participant__placements"
    ):
        first_start = placement.participant.first_clause_placement_start()
        for month in _months(placement, previous):
            status = _state(month, previous, placement.employer.name)
            if status is None:
                continue
            declaration, created = MonthlyDeclaration.objects.get_or_create(employer=placement.employer, month=month)
            if created and status != DeclarationLine.Status.DRAFT:
                proof = DeclarationProof(
                    declaration=declaration,
                    original_name=f"bulletins-{month:%Y-%m}.pdf",
                    content_type="application/pdf",
                    size=len(PDF),
                )
                proof.file.save(f"demo-{declaration.employer_id}-{month:%Y-%m}.pdf", ContentFile(PDF), save=False)
                proof.save()
            if declaration.lines.filter(placement=placement).exists():
                continue
            reviewed = status in (DeclarationLine.Status.VALIDATED, DeclarationLine.Status.REJECTED)
            DeclarationLine.objects.create(
                declaration=declaration,
                placement=placement,
                hours=_hours(placement, month),
                counted=counting.line_counts(
                    month, first_start, placement.mode == Placement.Mode.TRAINING, placement.participant.is_eligible()
                ),
                status=status,
                review_comment="Le bulletin de paie indique 8 h de moins : corrigez la ligne."
                if status == DeclarationLine.Status.REJECTED
                else "",
                reviewed_by=facilitator if reviewed else None,
                reviewed_at=timezone.now() if reviewed else None,
            )
            refresh_status(declaration)
    # Every line counted under today's rules, and the rules stored (no "en cours de recalcul").
    counting.recount_all()
    return context

"""Demo operations across Ain with contracts, lots, clauses of each kind, awards and invoices.

Idempotent: operations are found by (buyer, title), contracts by reference, lots by number.
Dates are set relative to the day of the first seeding, so the lots are in several states.
"""

from datetime import timedelta
from decimal import Decimal as D

from django.utils import timezone

from common.dates import today
from partners.models import Commune, Organisation

from .computation import compute
from .hours import months_between
from .models import Clause, Contract, HoursSettings, InvoicedAmount, Lot, LotAward, Operation, Trade

# buyer, title, commune, facilitation body (None: white area), project manager
OPERATIONS = [
    (
        "Département de l'Ain",
        "Reconstruction du collège de Châtillon-sur-Chalaronne",
        "01093",
        "Département de l'Ain",
        "Atelier d'architecture Dombes",
    ),
    ("Commune de Pont-de-Vaux", "Réhabilitation de la salle des fêtes", "01305", "Département de l'Ain", ""),
    (
        "Dynacité, office public de l'habitat de l'Ain",
        "Réhabilitation thermique de 120 logements, quartier de la Reyssouze",
        "01053",
        "Maison de l'emploi du Bassin de Bourg-en-Bresse",
        "BET Bresse Énergie",
    ),
    (
        "Ville d'Ambérieu-en-Bugey",
        "Pôle d'échanges multimodal de la gare",
        "01004",
        "PLIE de la Plaine de l'Ain et de la Côtière",
        "Cabinet Plaine Ingénierie",
    ),
    ("Département de l'Ain", "Nettoyage des bâtiments départementaux", "01053", "Département de l'Ain", ""),
    (
        "Centre hospitalier du Haut-Bugey",
        "Extension du service des urgences",
        "01283",
        "Initiative emploi Bugey",
        "Haut-Bugey Architectes",
    ),
    ("Commune de Trévoux", "Aménagement des quais de Saône", "01427", None, ""),
]

# operation index, reference, title, start offset (days from today), duration (days), purchase orders
CONTRACTS = [
    (0, "CD01-2025-017", "Travaux de reconstruction", -420, 900, False),
    (1, "PDV-2026-03", "Travaux de réhabilitation", 45, 300, False),
    (2, "DYN-2025-112", "Réhabilitation thermique", -250, 600, False),
    (3, "AMB-2026-08", "Travaux de voirie et d'aménagement", -20, 500, False),
    (4, "CD01-2024-088", "Accord-cadre de nettoyage des locaux", -600, 1460, True),
    (5, "CHHB-2025-05", "Travaux d'extension", -700, 650, False),
    (6, "TRV-2026-01", "Aménagement paysager des quais", -60, 420, False),
]

# contract index, number, title, trade, amount, method, inputs, legal basis, holder, contractual
LOTS = [
    (
        0,
        "1",
        "Gros œuvre",
        "Gros œuvre, maçonnerie",
        "1000000",
        "formula",
        {"insertion_rate": "5"},
        "execution_condition",
        "Bâtir Bresse Construction",
        None,
    ),
    (
        0,
        "2",
        "Peinture",
        "Peinture intérieure",
        "240000",
        "formula",
        {"insertion_rate": "10"},
        "execution_condition",
        "Peinture et Décors du Bugey",
        ("650", "Arrondi par l'acheteur au CCAP"),
    ),
    (
        0,
        "3",
        "Charpente métallique",
        "Charpente métallique",
        "300000",
        "formula",
        {"insertion_rate": "5"},
        "execution_condition",
        "Charpente Métallique de Gex",
        None,
    ),
    (
        1,
        "1",
        "Gros œuvre et maçonnerie",
        "Gros œuvre, maçonnerie",
        "380000",
        "formula",
        {"insertion_rate": "7"},
        "execution_condition",
        "Maçonnerie Dombes Saône",
        None,
    ),
    (
        2,
        "1",
        "Isolation par l'extérieur",
        "Plâtrerie, cloisons, faux plafonds",
        "820000",
        "formula",
        {"insertion_rate": "8"},
        "execution_condition",
        "Bâtir Bresse Construction",
        None,
    ),
    (
        2,
        "2",
        "Menuiseries extérieures",
        "Menuiseries intérieures et extérieures",
        "450000",
        "formula",
        {"insertion_rate": "6"},
        "award_criterion",
        "Bâtir Bresse Construction",
        None,
    ),
    (
        2,
        "3",
        "Entretien des espaces extérieurs",
        "Entretien des espaces verts",
        "90000",
        "formula",
        {"insertion_rate": "100"},
        "reserved_siae",
        "Tremplin Bresse (ACI)",
        None,
    ),
    (
        3,
        "1",
        "Voirie et réseaux divers",
        "Voirie et réseaux divers (VRD)",
        "1600000",
        "worked_hours_share",
        {"worked_hours_share": "7", "estimated_worked_hours": "14000"},
        "execution_condition",
        "Travaux Publics de la Plaine",
        None,
    ),
    (
        4,
        "1",
        "Nettoyage des collèges",
        "Nettoyage des locaux",
        "2400000",
        "per_euro_invoiced",
        {"euros_per_hour": "2000"},
        "execution_condition",
        "Propreté Ain Services",
        None,
    ),
    (
        4,
        "2",
        "Nettoyage des sites sociaux",
        "Nettoyage des locaux",
        "600000",
        "cleaning",
        {"insertion_rate": "10", "transferred_monthly_hours": "150"},
        "execution_condition",
        "Propreté Ain Services",
        None,
    ),
    (
        4,
        "3",
        "Entretien des locaux administratifs",
        "Nettoyage des locaux",
        "180000",
        "formula",
        {"insertion_rate": "100"},
        "reserved_disability",
        "Atelier Bugey Adapté (EA)",
        None,
    ),
    (
        5,
        "1",
        "Gros œuvre",
        "Gros œuvre, maçonnerie",
        "1250000",
        "formula",
        {"insertion_rate": "5"},
        "execution_condition",
        "Bâtir Bresse Construction",
        None,
    ),
    (
        5,
        "2",
        "Électricité",
        "Électricité",
        "320000",
        "formula",
        {"insertion_rate": "5"},
        "execution_condition",
        "Électricité Côtière Montluel",
        None,
    ),
    (
        6,
        "1",
        "Aménagements paysagers",
        "Entretien des espaces verts",
        "410000",
        "formula",
        {"insertion_rate": "8"},
        "execution_condition",
        "Espaces Verts du Revermont",
        None,
    ),
]


def _lot(contract, spec, settings):
    _, number, title, trade_name, amount, method, inputs, basis, holder, contractual = spec
    trade = Trade.objects.get(name=trade_name)
    lot, created = Lot.objects.get_or_create(
        contract=contract,
        number=number,
        defaults={
            "title": title,
            "trade": trade,
            "sector": trade.sector,
            "amount_excl_tax": D(amount),
            "start_date": contract.start_date,
            "end_date": contract.end_date,
        },
    )
    if not created:
        return lot
    values = {key: D(value) for key, value in inputs.items()}
    if method == "formula":
        values.setdefault("labour_share", trade.labour_share)
        values.setdefault("hourly_cost", settings.default_hourly_cost)
    if method == "cleaning":
        values.setdefault("cleaning_coefficient", settings.cleaning_coefficient)
    result = compute(method, lot.amount_excl_tax, values, months=months_between(lot.start_date, lot.end_date))
    Clause.objects.create(
        lot=lot,
        legal_basis=basis,
        method=method,
        computed_hours=result.hours or D(0),
        contractual_hours=D(contractual[0]) if contractual else None,
        adjustment_reason=contractual[1] if contractual else "",
        **values,
    )
    company = Organisation.objects.get(name=holder)
    LotAward.objects.get_or_create(lot=lot, company=company, defaults={"role": LotAward.Role.HOLDER})
    if method == "per_euro_invoiced":
        start = lot.start_date
        for quarter in range(6):
            period_start = start + timedelta(days=91 * quarter)
            InvoicedAmount.objects.create(
                lot=lot,
                period_start=period_start,
                period_end=period_start + timedelta(days=90),
                amount=D("120000") + D(15000 * quarter),
            )
    return lot


def seed(context):
    settings = HoursSettings.current()
    base = today()
    operations = []
    for buyer_name, title, insee, body_name, manager in OPERATIONS:
        buyer = Organisation.objects.get(name=buyer_name, kind__in=["department", "contracting_authority"])
        operation, _ = Operation.objects.get_or_create(
            buyer=buyer,
            title=title,
            defaults={
                "commune": Commune.objects.get(insee_code=insee),
                "facilitation_body": Organisation.objects.get(name=body_name) if body_name else None,
                "project_manager": manager,
            },
        )
        operations.append(operation)
    contracts = []
    for index, reference, title, offset, duration, orders in CONTRACTS:
        operation = operations[index]
        start = base + timedelta(days=offset)
        contract, created = Contract.objects.get_or_create(
            operation=operation,
            reference=reference,
            defaults={
                "title": title,
                "procedure": Contract.Procedure.OPEN if not orders else Contract.Procedure.ADAPTED,
                "is_purchase_order_framework": orders,
                "notification_date": start - timedelta(days=30),
                "start_date": start,
                "end_date": start + timedelta(days=duration),
            },
        )
        if created and operation.start_date is None:
            operation.start_date, operation.end_date = contract.start_date, contract.end_date
            operation.save(update_fields=["start_date", "end_date"])
        contracts.append(contract)
    lots = [_lot(contracts[spec[0]], spec, settings) for spec in LOTS]
    _closed_holder(lots, base)
    context["operations"] = operations
    context["lots"] = lots
    return context


DEMO_EMPLOYER = "Bâtir Bresse Construction"


def _closed_holder(lots, base):
    """One holder of a running lot that the Sirene register says closed a fortnight ago, so that
    the facilitator's dashboard shows « Titulaires fermés » (the weekly check does it for real)."""
    award = (
        LotAward.objects.filter(lot__in=[lot for lot in lots if lot.end_date >= base], role=LotAward.Role.HOLDER)
        .exclude(company__name=DEMO_EMPLOYER)
        .exclude(company__siret="")
        .select_related("company")
        .order_by("lot__pk")
        .first()
    )
    if award is None:
        return
    company = award.company
    company.register_status = Organisation.RegisterStatus.CLOSED_ESTABLISHMENT
    company.closed_on = base - timedelta(days=14)
    company.register_checked_at = timezone.now()
    company.save(update_fields=["register_status", "closed_on", "register_checked_at"])

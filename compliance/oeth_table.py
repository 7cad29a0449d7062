"""The OETH table of a year (issue 18): one row per purchase from an EA, EATT, ESAT or TIH, the totals
and the capped deduction, for the page and the XLSX export.

Every figure comes from the pure rule (``oeth_rules.purchase_deduction``, ``year_deduction``); this
module only reads the rows. Queries: 2 (the year's inputs, the purchases with their supplier and
contract), whatever the number of purchases.
"""

from dataclasses import dataclass
from decimal import Decimal

from common.tabular import Table

from . import oeth_rules
from .models import OethPurchase, OethYear

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PurchaseRow:
    purchase: OethPurchase
    labour_cost: Decimal
    deduction: Decimal  # 30 % of the labour cost, before the cap

    @property
    def supplier_name(self):
        return self.purchase.supplier_name

    @property
    def supplier_kind(self):
        return self.purchase.supplier_kind


@dataclass(frozen=True)
class OethTable:
    year: int
    inputs: OethYear | None  # None: the year's contribution and rate are not recorded yet
    rows: list
    amount_invoiced: Decimal
    labour_cost: Decimal
    deduction: oeth_rules.Deduction | None  # None without the year's inputs

    @property
    def contribution_after(self):
        """The contribution once the deduction is taken off."""
        if self.deduction is None:
            return None
        return oeth_rules.money(self.inputs.contribution - self.deduction.deductible)


def build(year):
    """The table of ``year`` (an int)."""
    inputs = OethYear.objects.filter(year=year).first()
    purchases = []
    if inputs is not None:
        purchases = list(
            OethPurchase.objects.filter(year=inputs)
            .select_related("structure", "tih", "contract", "published_contract")
            .order_by("pk")
        )
    rows = [
        PurchaseRow(
            purchase=purchase,
            labour_cost=oeth_rules.labour_cost(purchase.amount_invoiced, purchase.labour_share),
            deduction=oeth_rules.purchase_deduction(purchase.amount_invoiced, purchase.labour_share),
        )
        for purchase in purchases
    ]
    deduction = None
    if inputs is not None:
        deduction = oeth_rules.year_deduction(
            [(p.amount_invoiced, p.labour_share) for p in purchases], inputs.contribution, inputs.employment_rate
        )
    return OethTable(
        year=year,
        inputs=inputs,
        rows=rows,
        amount_invoiced=oeth_rules.money(sum((p.amount_invoiced for p in purchases), ZERO)),
        labour_cost=oeth_rules.money(sum((row.labour_cost for row in rows), ZERO)),
        deduction=deduction,
    )


HEADERS = [
    "Fournisseur",
    "Type",
    "SIRET",
    "Marché",
    "Montant facturé (€ HT)",
    "Part de main-d'œuvre (%)",
    "Coût de la main-d'œuvre (€)",
    "Déduction à 30 % (€)",
    "Attestation",
]


def _siret(purchase):
    return purchase.structure.siret if purchase.structure_id else purchase.tih.siret


def export_table(table):
    """The table as rows for ``common.tabular`` (XLSX): the purchases, then the totals and the cap."""
    rows = [
        [
            row.supplier_name,
            row.supplier_kind,
            _siret(row.purchase),
            row.purchase.contract_label,
            row.purchase.amount_invoiced,
            row.purchase.labour_share,
            row.labour_cost,
            row.deduction,
            row.purchase.attestation_name,
        ]
        for row in table.rows
    ]
    blank = [None] * len(HEADERS)
    rows.append(["Total des achats", None, None, None, table.amount_invoiced, None, table.labour_cost, None, None])
    if table.deduction is not None:
        deduction, inputs = table.deduction, table.inputs
        rows[-1][7] = deduction.gross
        rows += [
            blank,
            ["Contribution avant déduction (€)", *blank[1:7], inputs.contribution, None],
            ["Taux d'emploi direct (%)", *blank[1:7], inputs.employment_rate, None],
            [f"Plafond ({deduction.cap_percent} % de la contribution) (€)", *blank[1:7], deduction.cap, None],
            ["Déduction retenue (€)", *blank[1:7], deduction.deductible, None],
            ["Contribution après déduction (€)", *blank[1:7], table.contribution_after, None],
            [deduction.explanation, *blank[1:]],
        ]
    return Table(name=f"oeth-{table.year}", title=f"Déduction OETH {table.year}", headers=HEADERS, rows=rows)

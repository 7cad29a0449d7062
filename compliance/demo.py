"""Demo data of the OETH returns: last year's and this year's inputs, purchases from the demo's EA
and ESAT and from one TIH, each with a small PDF attestation in the private storage. Last year stays
under the 50 % cap; this year, with a 3 % rate, is capped at 75 %. Built relative to the day it is
loaded; idempotent (years by number, purchases by year and reference)."""

from decimal import Decimal

from django.core.files.base import ContentFile

from common.dates import today
from partners.identifiers import build_siren, build_siret
from partners.models import Organisation, User
from portal import proofs
from portal.demo import PDF

from .models import OethPurchase, OethYear, TihSupplier, disability_structures

TIH_NAME = "Camille Roux, graphiste"
# (years before this one, contribution, direct employment rate)
YEARS = ((1, Decimal("48000.00"), Decimal("2.40")), (0, Decimal("12000.00"), Decimal("3.10")))
# (years before this one, supplier name or None for the TIH, reference, amount, labour share)
PURCHASES = (
    (1, "Atelier Bugey Adapté (EA)", "BC-{year}-014 entretien des espaces verts", "18500.00", "65"),
    (1, "ESAT de la Dombes", "BC-{year}-027 blanchisserie", "9200.00", "55"),
    (1, None, "BC-{year}-031 maquette du rapport annuel", "4800.00", "90"),
    (0, "Bresse Services Adaptés (EA)", "MA-{year}-003 nettoyage des locaux", "42000.00", "80"),
    (0, "ESAT de la Dombes", "BC-{year}-008 conditionnement", "21000.00", "70"),
)


def _structure(name):
    structure = disability_structures().filter(name=name).first()
    if structure is None:  # a demo without the partners' structures: one of our own
        structure, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={"kind": Organisation.Kind.INCLUSION_STRUCTURE, "structure_kind": Organisation.StructureKind.EA},
        )
    return structure


def seed(context):
    administrator = User.objects.filter(email="admin@clausier.demo").first()
    this_year = today().year
    years = {}
    for back, contribution, rate in YEARS:
        years[back], _ = OethYear.objects.get_or_create(
            year=this_year - back, defaults={"contribution": contribution, "employment_rate": rate}
        )
    tih, _ = TihSupplier.objects.get_or_create(
        siret=build_siret(build_siren("90817263"), "0001"),
        defaults={"name": TIH_NAME, "notes": "RQTH vue le 12/01, valable 5 ans."},
    )
    for back, name, reference, amount, share in PURCHASES:
        year = years[back]
        reference = reference.format(year=year.year)
        if OethPurchase.objects.filter(year=year, contract_reference=reference).exists():
            continue
        purchase = OethPurchase(
            year=year,
            structure=_structure(name) if name else None,
            tih=None if name else tih,
            contract_reference=reference,
            amount_invoiced=Decimal(amount),
            labour_share=Decimal(share),
            attestation_name=f"attestation-{reference.split()[0].lower()}.pdf",
            attestation_content_type="application/pdf",
            attestation_size=len(PDF),
            recorded_by=administrator,
        )
        purchase.attestation.save(proofs.stored_name(proofs.PROOF_KINDS[0]), ContentFile(PDF), save=False)
        purchase.save()
    return context

"""Rows of the OETH returns for the tests: years, EA/ESAT structures, TIH, purchases with a PDF."""

from decimal import Decimal

from django.core.files.base import ContentFile

from compliance.models import OethPurchase, OethYear, TihSupplier
from partners.identifiers import build_siren, build_siret
from partners.models import Organisation
from portal import proofs
from tests.partners.factories import OrganisationFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def oeth_year(year, contribution="40000", rate="2"):
    return OethYear.objects.create(year=year, contribution=Decimal(contribution), employment_rate=Decimal(rate))


def structure(kind=Organisation.StructureKind.ESAT, **fields):
    return OrganisationFactory(kind=Organisation.Kind.INCLUSION_STRUCTURE, structure_kind=kind, **fields)


def tih(name="Camille Roux", digits="90817263"):
    return TihSupplier.objects.create(name=name, siret=build_siret(build_siren(digits), "0001"))


def purchase(year, amount, share, supplier=None, **fields):
    supplier = supplier or structure()
    row = OethPurchase(
        year=year,
        structure=supplier if isinstance(supplier, Organisation) else None,
        tih=supplier if isinstance(supplier, TihSupplier) else None,
        amount_invoiced=Decimal(amount),
        labour_share=Decimal(share),
        attestation_name="attestation.pdf",
        attestation_content_type="application/pdf",
        attestation_size=len(PDF),
        **fields,
    )
    row.attestation.save(proofs.stored_name(proofs.PROOF_KINDS[0]), ContentFile(PDF), save=False)
    row.save()
    return row

"""Demo DECP data: a small consolidated table of the territory, imported like a file a facilitator
uploads, so that every page of the feature has content (import and rejected rows, review with
matches, reconciliation and PNAD shares).

The table is written at seeding time, relative to the day it runs: the contracts Clausier follows
are published with their own reference, amount, holders and dates; the others are notified over
the last two years and today. It holds what real files hold: several rows for a contract with two
holders, an old version (``donneesActuelles`` false), contracts outside Ain, and bad rows (no
amount, a SIRET of 13 digits, no buyer, a date that cannot be read).

Idempotent: the import is found by its file name; the buyers' SIRET are set only when missing.
"""

import csv
import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from clauses.models import Contract, LotAward, today
from partners.identifiers import build_siren, build_siret
from partners.models import Organisation, User

from . import decp_intake, review_services
from .models import NONE, RESERVED, SOCIAL_CLAUSE, SOCIAL_CRITERION, DecpImport, PublishedContract

DEMO_FILE_NAME = "decp-ain-demo.csv"
DEPARTMENT_SIRET = "22010001000019"

# Demo buyers get the SIRET a public body of their kind has (21: communes, 20: groupings, 26/27:
# public establishments): first eight digits of the SIREN.
BUYER_SIRENS = {
    "Ville de Bourg-en-Bresse": "21010053",
    "Ville d'Ambérieu-en-Bugey": "21010004",
    "Dynacité, office public de l'habitat de l'Ain": "27010001",
    "Centre hospitalier du Haut-Bugey": "26010283",
    "Commune de Châtillon-sur-Chalaronne": "21010093",
    "Commune de Pont-de-Veyle": "21010306",
    "Commune de Pont-de-Vaux": "21010305",
    "Commune de Poncin": "21010303",
    "Commune de Trévoux": "21010427",
    "Commune de Reyrieux": "21010322",
}

# Buyers of Ain that Clausier does not follow yet: name, first eight digits of the SIREN, commune.
OTHER_BUYERS = [
    ("Grand Bourg Agglomération", "20007116", "01053"),
    ("Commune d'Oyonnax", "21010283", "01283"),
    ("Service départemental d'incendie et de secours de l'Ain", "28010001", "01053"),
    ("Haut-Bugey Agglomération", "20004204", "01283"),
    ("Commune de Bellegarde-Valserine", "21010033", "01033"),
]
# Holders that are not in Clausier: name, first eight digits of the SIREN.
OTHER_HOLDERS = [
    ("Routes et Réseaux de l'Ain", "41234560"),
    ("Nettoyage Bugey Services", "42345670"),
    ("Jardins d'insertion de la Bresse", "43456780"),
    ("Menuiserie du Valromey", "44567890"),
]
# Holders of some of the contracts below that are inclusion structures of the directory
# (partners/demo.py, STRUCTURES): the purchases from SIAE, EA and ESAT of the PNAD and SPASER returns.
INCLUSIVE_HOLDERS = {
    3: ("ESAT de la Dombes", "22334450"),
    4: ("Tremplin Bresse (ACI)", "78901230"),
    8: ("Atelier Bugey Adapté (EA)", "11223340"),
}

# Contracts not followed: buyer index, subject, CPV, days before today, months, amount, considerations.
OTHER_CONTRACTS = [
    (0, "Collecte et tri des déchets ménagers - lot 2 secteur est", "90511000-2", 0, 48, "2400000", [SOCIAL_CLAUSE]),
    (1, "Réfection de la voirie de la rue Anatole France", "45233140-2", 25, 6, "380000", [SOCIAL_CLAUSE]),
    (2, "Entretien des espaces verts des centres de secours", "77310000-6", 60, 36, "150000", [RESERVED]),
    (3, "Nettoyage des locaux administratifs", "90910000-9", 95, 24, "210000", [SOCIAL_CLAUSE, SOCIAL_CRITERION]),
    (4, "Rénovation énergétique du groupe scolaire", "45321000-3", 130, 14, "1250000", [SOCIAL_CLAUSE]),
    (0, "Maintenance de l'éclairage public", "50232100-1", 170, 48, "560000", [SOCIAL_CRITERION]),
    (1, "Construction d'une halle sportive - lot gros œuvre", "45212225-9", 220, 18, "1900000", [SOCIAL_CLAUSE]),
    (3, "Restauration collective des crèches", "55523100-3", 300, 36, "720000", [RESERVED]),
    (4, "Aménagement de la voie verte", "45233162-2", 390, 10, "640000", [SOCIAL_CLAUSE]),
    (0, "Fourniture de bacs roulants", "34928480-6", 10, 12, "95000", [NONE]),
    (1, "Assurance dommages aux biens", "66515000-3", 40, 48, "120000", [NONE]),
    (2, "Achat de véhicules d'intervention", "34144210-3", 80, 1, "880000", [NONE]),
    (3, "Audit des réseaux d'eau", "71351000-3", 150, 8, "60000", [NONE]),
    (4, "Maîtrise d'œuvre du centre culturel", "71000000-8", 260, 30, "310000", [NONE]),
    (0, "Prestations de conseil juridique", "79100000-5", 410, 24, "80000", [NONE]),
    (2, "Travaux de désamiantage de la caserne", "45262660-5", 500, 5, "420000", [NONE]),
    (1, "Entretien des bâtiments communaux - multi-lots", "45453000-7", 2, 36, "450000", [SOCIAL_CLAUSE]),
]
# Followed contracts whose record the facilitator has already linked; the cleaning one says
# « Pas de considération sociale » (to correct with the buyer).
MERGED_REFERENCES = ("CD01-2025-017-L1", "DYN-2025-112", "CD01-2024-088")
# Buyers that publish each lot as a contract of its own: lots 2 and 3 are left to review, with
# their match.
PER_LOT_REFERENCES = ("CD01-2025-017",)
SAYS_NONE_REFERENCES = ("CD01-2024-088",)
COLUMNS = [
    "uid",
    "id",
    "acheteur_id",
    "acheteur_nom",
    "acheteur_departement_code",
    "titulaire_id",
    "titulaire_typeIdentifiant",
    "titulaire_nom",
    "objet",
    "codeCPV",
    "procedure",
    "nature",
    "techniques",
    "modalitesExecution",
    "lieuExecution_code",
    "lieuExecution_typeCode",
    "dureeMois",
    "dateNotification",
    "datePublicationDonnees",
    "montant",
    "considerationsSociales",
    "donneesActuelles",
]


def _siret(first_eight):
    return build_siret(build_siren(first_eight), "0001")


def _give_buyers_siret(organisations):
    department = Organisation.objects.department().first()
    if department is not None and not department.siret:
        department.siret = DEPARTMENT_SIRET
        department.save(update_fields=["siret", "siren"] if not department.siren else ["siret"])
    for name, digits in BUYER_SIRENS.items():
        buyer = organisations.get(name)
        if buyer is not None and not buyer.siret:
            buyer.siret = _siret(digits)
            buyer.siren = buyer.siret[:9]
            buyer.save(update_fields=["siret", "siren"])


def _row(**values):
    row = dict.fromkeys(COLUMNS, "")
    row.update(values)
    row["uid"] = row["uid"] or f"{row['acheteur_id']}{row['id']}"
    row.setdefault("donneesActuelles", "true")
    row["donneesActuelles"] = row["donneesActuelles"] or "true"
    return row


def _publications(contract, holders_by_lot):
    """(id, subject, amount, holders) of what the buyer published for ``contract``: one record for
    the whole contract, or one per lot for the buyers that publish each lot apart."""
    lots = sorted(contract.lots.all(), key=lambda lot: lot.number)
    if contract.reference in PER_LOT_REFERENCES:
        return [
            (
                f"{contract.reference}-L{lot.number}",
                f"{contract.operation.title} - lot {lot.number} {lot.title}",
                lot.amount_excl_tax,
                holders_by_lot.get(lot.pk, {}),
            )
            for lot in lots
        ]
    holders = {}
    for lot in lots:
        holders.update(holders_by_lot.get(lot.pk, {}))
    total = sum((lot.amount_excl_tax for lot in lots), Decimal("0"))
    return [(contract.reference, f"{contract.operation.title} - {contract.title}", total, holders)]


def _followed_rows(on):
    rows = []
    contracts = (
        Contract.objects.select_related("operation__buyer", "operation__commune")
        .prefetch_related("lots")
        .order_by("reference")
    )
    holders_by_lot = {}
    for award in LotAward.objects.filter(role=LotAward.Role.HOLDER).select_related("company"):
        if award.company.siret:
            holders_by_lot.setdefault(award.lot_id, {})[award.company.siret] = award.company.name
    for contract in contracts:
        buyer = contract.operation.buyer
        notified = contract.notification_date or (contract.start_date - timedelta(days=30))
        if not buyer.siret or notified > on:
            continue  # a buyer Clausier cannot name, or not yet notified: not yet published
        says_none = contract.reference in SAYS_NONE_REFERENCES
        months = max(1, round((contract.end_date - contract.start_date).days / 30.44))
        commune = contract.operation.commune
        for decp_id, subject, amount, holders in _publications(contract, holders_by_lot):
            for siret, name in holders.items():
                rows.append(
                    _row(
                        id=decp_id,
                        acheteur_id=buyer.siret,
                        acheteur_nom=buyer.name,
                        acheteur_departement_code="01",
                        titulaire_id=siret,
                        titulaire_typeIdentifiant="SIRET",
                        titulaire_nom=name,
                        objet=subject,
                        codeCPV="45000000-7",
                        procedure="Appel d'offres ouvert" if amount > 2_000_000 else "Procédure adaptée",
                        nature="Marché",
                        techniques="Accord-cadre" if contract.is_purchase_order_framework else "Sans objet",
                        lieuExecution_code=commune.insee_code if commune else "",
                        lieuExecution_typeCode="Code commune",
                        dureeMois=months,
                        dateNotification=notified.isoformat(),
                        datePublicationDonnees=min(on, notified + timedelta(days=20)).isoformat(),
                        montant=str(amount),
                        considerationsSociales=NONE if says_none else SOCIAL_CLAUSE,
                    )
                )
    return rows


def _other_rows(on):
    rows = []
    for number, (buyer, subject, cpv, days, months, amount, considerations) in enumerate(OTHER_CONTRACTS, start=1):
        name, digits, commune = OTHER_BUYERS[buyer]
        notified = on - timedelta(days=days)
        holder_name, holder_digits = INCLUSIVE_HOLDERS.get(number) or OTHER_HOLDERS[number % len(OTHER_HOLDERS)]
        values = {
            "id": f"{notified.year}-DEMO-{number:03d}",
            "acheteur_id": _siret(digits),
            "acheteur_nom": name,
            "acheteur_departement_code": "01",
            "titulaire_typeIdentifiant": "SIRET",
            "objet": subject,
            "codeCPV": cpv,
            "procedure": "Procédure adaptée" if Decimal(amount) < 500_000 else "Appel d'offres ouvert",
            "nature": "Marché",
            "techniques": "Accord-cadre" if months >= 24 else "Sans objet",
            "modalitesExecution": "Bons de commande" if months >= 24 else "Sans objet",
            "lieuExecution_code": commune,
            "lieuExecution_typeCode": "Code commune",
            "dureeMois": months,
            "dateNotification": notified.isoformat(),
            "datePublicationDonnees": min(on, notified + timedelta(days=15)).isoformat(),
            "montant": amount,
            "considerationsSociales": ", ".join(considerations),
        }
        rows.append(_row(titulaire_id=_siret(holder_digits), titulaire_nom=holder_name, **values))
        if number == len(OTHER_CONTRACTS):  # a contract of several holders: one row each
            second_name, second_digits = OTHER_HOLDERS[(number + 1) % len(OTHER_HOLDERS)]
            rows.append(_row(titulaire_id=_siret(second_digits), titulaire_nom=second_name, **values))
            # … and its first version, before a modification raised the amount: not current.
            rows.append(
                _row(
                    titulaire_id=_siret(holder_digits),
                    titulaire_nom=holder_name,
                    **{**values, "montant": "400000", "donneesActuelles": "false"},
                )
            )
    return rows


def _outside_and_bad_rows(on):
    lyon_buyer = _siret("21690123")
    base = {
        "acheteur_nom": "Métropole de Lyon",
        "acheteur_departement_code": "69",
        "titulaire_id": _siret("45678900"),
        "titulaire_typeIdentifiant": "SIRET",
        "titulaire_nom": "Travaux Publics de la Plaine",
        "nature": "Marché",
        "procedure": "Appel d'offres ouvert",
        "lieuExecution_typeCode": "Code postal",
        "lieuExecution_code": "69003",
        "dureeMois": 12,
        "considerationsSociales": SOCIAL_CLAUSE,
    }
    notified = (on - timedelta(days=45)).isoformat()
    oyonnax = {**base, "acheteur_nom": "Commune d'Oyonnax", "acheteur_departement_code": "01"}
    oyonnax.update(lieuExecution_code="01100", objet="Réfection des vestiaires du stade", dateNotification=notified)
    return [
        _row(
            id="LYON-2026-451",
            acheteur_id=lyon_buyer,
            objet="Tramway T10 - génie civil",
            montant="8200000",
            **{
                **base,
                "dateNotification": notified,
            },
        ),
        _row(
            id="LYON-2026-452",
            acheteur_id=lyon_buyer,
            objet="Entretien des berges du Rhône",
            montant="300000",
            **{
                **base,
                "dateNotification": notified,
            },
        ),
        # Bad rows, as real files have them:
        _row(id="OYO-2026-031", acheteur_id=_siret("21010283"), montant="", **oyonnax),
        _row(id="OYO-2026-032", acheteur_id="2101028300012", montant="98000", **oyonnax),
        _row(id="OYO-2026-033", acheteur_id="", montant="54000", **oyonnax),
        _row(
            id="OYO-2026-034",
            acheteur_id=_siret("21010283"),
            montant="61000",
            **{
                **oyonnax,
                "dateNotification": "31/02/2026",
            },
        ),
    ]


def demo_table(on):
    """The demo file's text (CSV, ``;`` between columns, as data.gouv.fr serves it)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=";")
    writer.writeheader()
    writer.writerows([*_followed_rows(on), *_other_rows(on), *_outside_and_bad_rows(on)])
    return buffer.getvalue()


def _decide(facilitator):
    published = {
        record.decp_id: record
        for record in PublishedContract.objects.filter(review_status=PublishedContract.ReviewStatus.NEW)
    }
    for decp_id in MERGED_REFERENCES:
        record = published.get(decp_id)
        reference, _, lot_number = decp_id.partition("-L")
        contract = Contract.objects.filter(reference=reference).first()
        if record is not None and contract is not None:
            lot = contract.lots.filter(number=lot_number).first() if lot_number else None
            review_services.merge(record, facilitator, contract, lot)
    consulting = next((r for r in published.values() if r.subject.startswith("Prestations de conseil")), None)
    if consulting is not None and consulting.review_status == PublishedContract.ReviewStatus.NEW:
        review_services.dismiss(consulting, facilitator, PublishedContract.DismissalReason.NO_INSERTION)


def seed(context):
    organisations = context["organisations"]
    _give_buyers_siret(organisations)
    if DecpImport.objects.filter(original_name=DEMO_FILE_NAME).exists():
        return
    facilitator = User.objects.filter(email="facilitatrice@clausier.demo").first()
    decp_import = DecpImport(
        source=DecpImport.Source.FILE,
        format=DecpImport.Format.CSV,
        original_name=DEMO_FILE_NAME,
        department_code=decp_intake.department_code(),
        created_by=facilitator,
    )
    decp_import.file.save(DEMO_FILE_NAME, ContentFile(demo_table(today()).encode("utf-8")), save=False)
    decp_import.save()
    decp_intake.run(decp_import.pk)
    if facilitator is not None:
        _decide(facilitator)

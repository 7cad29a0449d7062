"""Demo data of partners: organisations of Ain, facilitation bodies and their coverage, contacts,
and one account per role.

Idempotent: every object is found by a natural key (SIRET, e-mail, name) before it is created,
and Faker is seeded, so running it twice gives the same data.
"""

from dataclasses import dataclass
from decimal import Decimal

from . import demo_actions
from .identifiers import build_siren, build_siret
from .models import Commune, Contact, CoverageRule, Epci, Membership, Organisation, User
from .reference import DEPARTMENT_SIREN
from .roles import Role

DEMO_PASSWORD = "Clausier-demo-2026"
K = Organisation.Kind
B = Organisation.BuyerKind
S = Organisation.StructureKind


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    role: Role
    organisation_name: str


# name, commune (INSEE), buyer kind, engineering agency member, EPCI SIREN (for an EPCI buyer)
BUYERS = [
    ("Ville de Bourg-en-Bresse", "01053", B.COMMUNE, False, None),
    ("Ville d'Ambérieu-en-Bugey", "01004", B.COMMUNE, False, None),
    ("Dynacité, office public de l'habitat de l'Ain", "01053", B.SOCIAL_LANDLORD, False, None),
    ("Centre hospitalier du Haut-Bugey", "01283", B.HOSPITAL, False, None),
    ("Commune de Châtillon-sur-Chalaronne", "01093", B.COMMUNE, True, None),
    ("Commune de Pont-de-Veyle", "01306", B.COMMUNE, True, None),
    ("Commune de Pont-de-Vaux", "01305", B.COMMUNE, True, None),
    ("Commune de Poncin", "01303", B.COMMUNE, True, None),
    ("Communauté de communes de la Dombes", "01093", B.EPCI, True, "200069193"),
    ("Commune de Trévoux", "01427", B.COMMUNE, True, None),
    ("Commune de Reyrieux", "01322", B.COMMUNE, False, None),
]
# name, commune, first 8 digits of the SIREN, NAF code, size band
COMPANIES = [
    ("Bâtir Bresse Construction", "01053", "12345670", "4120A", "50-249"),
    ("Maçonnerie Dombes Saône", "01427", "23456780", "4399C", "10-49"),
    ("Peinture et Décors du Bugey", "01004", "34567890", "4334Z", "10-49"),
    ("Travaux Publics de la Plaine", "01244", "45678900", "4211Z", "250-4999"),
    ("Propreté Ain Services", "01283", "56789010", "8121Z", "250-4999"),
    ("Espaces Verts du Revermont", "01053", "67890120", "8130Z", "10-49"),
    ("Charpente Métallique de Gex", "01173", "78901200", "2511Z", "10-49"),
    ("Électricité Côtière Montluel", "01262", "89012300", "4321A", "1-9"),
]
COMPANY_FEDERATION = {
    "Bâtir Bresse Construction": "Fédération du BTP de l'Ain",
    "Travaux Publics de la Plaine": "Fédération du BTP de l'Ain",
    "Maçonnerie Dombes Saône": "CAPEB de l'Ain",
    "Peinture et Décors du Bugey": "CAPEB de l'Ain",
    "Électricité Côtière Montluel": "CAPEB de l'Ain",
}
# name, commune, SIREN digits, kind, provides staff, subcontracts, EPCI served
STRUCTURES = [
    ("Tremplin Bresse (ACI)", "01053", "78901230", S.ACI, False, True, ["200071751", "200071371"]),
    ("Ain Intérim Insertion (ETTI)", "01004", "89012340", S.ETTI, True, False, ["240100883", "200042935"]),
    ("GEIQ BTP de l'Ain", "01053", "90123450", S.GEIQ, True, False, []),
    ("Atelier Bugey Adapté (EA)", "01283", "11223340", S.EA, False, True, ["200042935", "200040350"]),
    ("ESAT de la Dombes", "01093", "22334450", S.ESAT, False, True, ["200069193"]),
    ("Association intermédiaire Val de Saône", "01427", "33445560", S.AI, True, False, ["200042497", "200070118"]),
    ("Bresse Services Adaptés (EA)", "01053", "44556670", S.EA, False, True, ["200071751"]),
]
# Town centres of the demo's communes (latitude, longitude), so that the sourcing panel of a lot shows
# distances in the demo. Demo approximations only: ``refresh_geography`` (geo.api.gouv.fr) replaces
# them with the official centres, and a commune that already has coordinates keeps them.
DEMO_COMMUNE_CENTRES = {
    "01004": ("45.95830", "5.35970"),  # Ambérieu-en-Bugey
    "01034": ("45.75890", "5.68800"),  # Belley
    "01053": ("46.20520", "5.22550"),  # Bourg-en-Bresse
    "01093": ("46.11830", "4.95670"),  # Châtillon-sur-Chalaronne
    "01173": ("46.33330", "6.05780"),  # Gex
    "01244": ("45.90530", "5.19470"),  # Meximieux
    "01262": ("45.85140", "5.05690"),  # Montluel
    "01283": ("46.25610", "5.65560"),  # Oyonnax
    "01303": ("46.08670", "5.41080"),  # Poncin
    "01305": ("46.43060", "4.93860"),  # Pont-de-Vaux
    "01306": ("46.26060", "4.88780"),  # Pont-de-Veyle
    "01322": ("45.93610", "4.81470"),  # Reyrieux
    "01427": ("45.94080", "4.77530"),  # Trévoux
}
EMPLOYMENT_SERVICES = [
    ("France Travail Bourg-en-Bresse", "01053", Organisation.ServiceKind.FRANCE_TRAVAIL),
    ("Mission locale Bresse Dombes Côtière", "01053", Organisation.ServiceKind.MISSION_LOCALE),
    ("Cap emploi Ain", "01053", Organisation.ServiceKind.CAP_EMPLOI),
    ("Centre départemental de la solidarité de Bourg-en-Bresse", "01053", Organisation.ServiceKind.CDS),
    ("MDPH de l'Ain", "01053", Organisation.ServiceKind.MDPH),
]
FEDERATIONS = [("Fédération du BTP de l'Ain", "01053"), ("CAPEB de l'Ain", "01053")]
# Facilitation bodies other than the Département, with the EPCI they cover for every buyer.
FACILITATION_BODIES = [
    ("Maison de l'emploi du Bassin de Bourg-en-Bresse", "01053", ["200071751"], ("Karim", "Benali")),
    (
        "PLIE de la Plaine de l'Ain et de la Côtière",
        "01004",
        ["240100883", "240100800", "240100610"],
        ("Lucie", "Perrin"),
    ),
    ("Maison de l'emploi du Pays de Gex et de Valserhône", "01173", ["240100750", "240100891"], ("Marc", "Fontaine")),
    ("Initiative emploi Bugey", "01283", ["200042935", "200040350"], ("Nadia", "Roux")),
]

ACCOUNTS = [
    DemoAccount("admin@clausier.demo", "Anne", "Lefèvre", Role.ADMINISTRATOR, "Département de l'Ain"),
    DemoAccount("facilitatrice@clausier.demo", "Claire", "Martin", Role.FACILITATOR, "Département de l'Ain"),
    DemoAccount("lecteur@clausier.demo", "Paul", "Girard", Role.DEPARTMENT_READER, "Département de l'Ain"),
    DemoAccount("employeur@clausier.demo", "Julien", "Bernard", Role.EMPLOYER, "Bâtir Bresse Construction"),
    DemoAccount(
        "acheteur@clausier.demo", "Sophie", "Moreau", Role.BUYER, "Dynacité, office public de l'habitat de l'Ain"
    ),
]


def _commune(insee_code):
    return Commune.objects.get(insee_code=insee_code)


def _with_siret(name, kind, insee_code, siren_digits, **fields):
    siren = build_siren(siren_digits[:8])
    organisation, _ = Organisation.objects.get_or_create(
        siret=build_siret(siren, "0001"),
        defaults={"name": name, "kind": kind, "siren": siren, "commune": _commune(insee_code), **fields},
    )
    return organisation


def _by_name(name, kind, insee_code, **fields):
    organisation, _ = Organisation.objects.get_or_create(
        name=name, kind=kind, defaults={"commune": _commune(insee_code) if insee_code else None, **fields}
    )
    return organisation


def _user(email, first_name, last_name, role, organisation):
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first_name, "last_name": last_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return user


def _contacts(fake, organisations):
    """Two contacts per company and structure, one per buyer; names from the seeded Faker."""
    functions = ["Conducteur de travaux", "Responsable des ressources humaines", "Chargé d'insertion", "Directrice"]
    for organisation in organisations:
        if organisation.contacts.exists():
            continue
        count = 2 if organisation.kind in (K.COMPANY, K.INCLUSION_STRUCTURE) else 1
        for index in range(count):
            first, last = fake.first_name(), fake.last_name()
            Contact.objects.create(
                organisation=organisation,
                first_name=first,
                last_name=last,
                function=functions[(organisation.pk + index) % len(functions)],
                email=f"{first}.{last}@exemple.fr".lower().replace(" ", "-"),
                phone=f"04 74 {fake.numerify('## ## ##')}",
                retention_reason="Interlocuteur pour le suivi des clauses sociales des marchés.",
            )


def _place_communes():
    for insee_code, (latitude, longitude) in DEMO_COMMUNE_CENTRES.items():
        Commune.objects.filter(insee_code=insee_code, latitude__isnull=True).update(
            latitude=Decimal(latitude), longitude=Decimal(longitude)
        )


def seed(context):
    """Create the demo organisations, coverage and accounts; return what later seeders build on."""
    fake = context.get("fake")
    _place_communes()
    department = Organisation.objects.get(siren=DEPARTMENT_SIREN, kind=K.DEPARTMENT)
    organisations = {department.name: department}
    for name, insee in FEDERATIONS:
        organisations[name] = _by_name(name, K.FEDERATION, insee)
    for name, insee, kind, member, epci_siren in BUYERS:
        organisations[name] = _by_name(
            name,
            K.CONTRACTING_AUTHORITY,
            insee,
            buyer_kind=kind,
            engineering_agency_member=member,
            epci=Epci.objects.get(siren=epci_siren) if epci_siren else None,
        )
    for name, insee, digits, naf, size in COMPANIES:
        federation = organisations.get(COMPANY_FEDERATION.get(name, ""))
        organisations[name] = _with_siret(
            name, K.COMPANY, insee, digits, naf_code=naf, size_band=size, federation=federation
        )
    for name, insee, digits, kind, staff, subcontracts, served in STRUCTURES:
        structure = _with_siret(
            name,
            K.INCLUSION_STRUCTURE,
            insee,
            digits,
            structure_kind=kind,
            provides_staff=staff,
            subcontracts=subcontracts,
        )
        if not structure.served_epcis.exists() and served:
            structure.served_epcis.set(Epci.objects.filter(siren__in=served))
        organisations[name] = structure
    for name, insee, service_kind in EMPLOYMENT_SERVICES:
        organisations[name] = _by_name(name, K.EMPLOYMENT_SERVICE, insee, service_kind=service_kind)
    for name, insee, epci_sirens, (first, last) in FACILITATION_BODIES:
        body = _by_name(name, K.FACILITATION_BODY, insee)
        organisations[name] = body
        if not body.coverage_rules.exists():
            rule = CoverageRule.objects.create(facilitation_body=body, notes="Tous les donneurs d'ordre du territoire.")
            rule.epcis.set(Epci.objects.filter(siren__in=epci_sirens))
        email = f"{first}.{last}@clausier.demo".lower()
        _user(email, first, last, Role.FACILITATOR, body)

    for account in ACCOUNTS:
        _user(
            account.email, account.first_name, account.last_name, account.role, organisations[account.organisation_name]
        )
    if fake is not None:
        _contacts(fake, [o for o in organisations.values() if o.kind != K.DEPARTMENT])
    context["organisations"] = organisations
    context["accounts"] = ACCOUNTS
    demo_actions.seed(context)
    return context

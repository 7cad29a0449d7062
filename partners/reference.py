"""Reference data of Ain: EPCI, communes, departmental sectors and the Département itself.

Loaded by a data migration so that it is present after every ``migrate``. The functions take
model classes so that the migration can pass its historical models.
"""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
EPCI_FILE = DATA_DIR / "ain_epci.csv"
COMMUNES_FILE = DATA_DIR / "ain_communes_epci.csv"

DEPARTMENT_NAME = "Département de l'Ain"
DEPARTMENT_SIREN = "220100010"
DEPARTMENT_SEAT_INSEE = "01053"

# Departmental sectors (SIREN of their EPCI). "Val de Saône Dombes" is the Département's own
# sector; the others are a starting split that administrators adjust in the admin.
SEED_SECTORS = {
    "Val de Saône Dombes": ["200070118", "200042497"],
    "Bresse": ["200071751", "200071371", "200070555", "200070308"],
    "Dombes et Côtière": ["200069193", "240100800", "240100610", "200040590"],
    "Plaine de l'Ain": ["240100883", "200029999"],
    "Bugey": ["200042935", "200040350"],
    "Pays de Gex et Valserhône": ["240100750", "240100891", "200070852"],
}
SEED_SECTOR_DESCRIPTIONS = {
    "Val de Saône Dombes": "Secteur départemental : CC Val de Saône Centre et CC Dombes Saône Vallée.",
}


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_epcis(Epci):
    for row in read_rows(EPCI_FILE):
        Epci.objects.update_or_create(
            siren=row["siren"],
            defaults={
                "name": row["nom"],
                "kind": row["type"],
                "communes_in_ain": int(row["nb_communes_ain"]),
                "communes_total": int(row["nb_communes_total"]),
                "departments": row["departements"],
                "population": int(row["population_municipale_totale"]),
            },
        )


def load_communes(Commune, Epci):
    epcis = {epci.siren: epci for epci in Epci.objects.all()}
    for row in read_rows(COMMUNES_FILE):
        Commune.objects.update_or_create(
            insee_code=row["code_insee"],
            defaults={
                "name": row["nom"],
                "siren": row["siren_commune"],
                "postal_codes": row["codes_postaux"],
                "population": int(row["population"]),
                "epci": epcis[row["siren_epci"]],
            },
        )


def seed_sectors(Sector, Epci):
    for name, sirens in SEED_SECTORS.items():
        sector, created = Sector.objects.get_or_create(
            name=name, defaults={"description": SEED_SECTOR_DESCRIPTIONS.get(name, "")}
        )
        if created:
            sector.epcis.set(Epci.objects.filter(siren__in=sirens))


def seed_department(Organisation, Commune):
    Organisation.objects.get_or_create(
        siren=DEPARTMENT_SIREN,
        kind="department",
        defaults={
            "name": DEPARTMENT_NAME,
            "commune": Commune.objects.get(insee_code=DEPARTMENT_SEAT_INSEE),
        },
    )


def load_all(Epci, Commune, Sector, Organisation):
    load_epcis(Epci)
    load_communes(Commune, Epci)
    seed_sectors(Sector, Epci)
    seed_department(Organisation, Commune)


AUDIENCES = [
    ("public_buyers", "Acheteurs publics"),
    ("companies", "Entreprises"),
    ("project_managers", "Maîtres d'œuvre"),
    ("iae_actors", "Acteurs de l'IAE"),
    ("federations", "Fédérations et branches"),
    ("elected_officials", "Élus"),
]

# The Département's facilitator: its own contracts everywhere in Ain, plus the communes and EPCI
# adhering to the engineering agency in these four communautés de communes.
DEPARTMENT_AGENCY_EPCIS = ["200029999", "200069193", "200070555", "200071371"]


def seed_audiences(Audience):
    for position, (code, label) in enumerate(AUDIENCES):
        Audience.objects.update_or_create(code=code, defaults={"label": label, "position": position})


def seed_department_coverage(CoverageRule, Organisation, Epci):
    department = Organisation.objects.get(siren=DEPARTMENT_SIREN, kind="department")
    if CoverageRule.objects.filter(facilitation_body=department).exists():
        return
    CoverageRule.objects.create(
        facilitation_body=department,
        whole_department=True,
        buyer_kinds=["department"],
        notes="Les marchés du Département lui-même, partout dans l'Ain.",
    )
    agency_rule = CoverageRule.objects.create(
        facilitation_body=department,
        buyer_kinds=["commune", "epci"],
        engineering_agency_members_only=True,
        notes=(
            "Communes et intercommunalités adhérentes de l'Agence d'Ingénierie 01 "
            "non couvertes par un autre facilitateur."
        ),
    )
    agency_rule.epcis.set(Epci.objects.filter(siren__in=DEPARTMENT_AGENCY_EPCIS))

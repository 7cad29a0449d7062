"""A consolidated DECP table of any size, for the import benchmark: what a year of a large region
looks like (one row per contract × holder, a few contracts with two holders, old versions, rows
outside the territory and bad rows), written to a file row by row."""

import csv
import datetime
import random

from partners.identifiers import build_siren, build_siret
from procurement.demo import COLUMNS

CONSIDERATIONS = ["Clause sociale", "Pas de considération sociale", "Critère social", "Marché réservé", ""]


def write_table(path, rows, seed=16):
    rng = random.Random(seed)
    buyers = [build_siret(build_siren(f"21{n:06d}"), "0001") for n in range(1, 800)]
    holders = [build_siret(build_siren(f"4{n:07d}"), "0001") for n in range(1, 6000)]
    start = datetime.date(2025, 1, 1)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, delimiter=";")
        writer.writeheader()
        written = number = 0
        while written < rows:
            number += 1
            buyer = rng.choice(buyers)
            row = {
                "id": f"2025-{number:06d}",
                "acheteur_id": buyer,
                "acheteur_nom": f"Acheteur {buyer[:9]}",
                "acheteur_departement_code": "01" if rng.random() < 0.9 else "69",
                "titulaire_id": rng.choice(holders),
                "titulaire_typeIdentifiant": "SIRET",
                "titulaire_nom": "Titulaire",
                "objet": f"Travaux et services n° {number} pour les bâtiments de la collectivité",
                "codeCPV": rng.choice(["45210000-2", "90910000-9", "77310000-6", "79100000-5"]),
                "procedure": "Procédure adaptée",
                "nature": "Marché",
                "techniques": "Sans objet",
                "modalitesExecution": "Sans objet",
                "lieuExecution_code": f"01{rng.randint(1, 450):03d}",
                "lieuExecution_typeCode": "Code commune",
                "dureeMois": rng.choice([6, 12, 24, 48]),
                "dateNotification": (start + datetime.timedelta(days=rng.randint(0, 364))).isoformat(),
                "datePublicationDonnees": "2026-01-15",
                "montant": f"{rng.randint(40_000, 5_000_000)}.{rng.randint(0, 99):02d}",
                "considerationsSociales": rng.choice(CONSIDERATIONS),
                "donneesActuelles": "true",
            }
            if rng.random() < 0.01:
                row["montant"] = ""  # a bad row
            row["uid"] = f"{row['acheteur_id']}{row['id']}"
            writer.writerow(row)
            written += 1
            if rng.random() < 0.1 and written < rows:  # a second holder
                writer.writerow({**row, "titulaire_id": rng.choice(holders)})
                written += 1
    return path

"""DECP files for the tests, shaped like the real ones (integrations.md): the consolidated table
(CSV, one row per contract × holder) and the regulatory JSON (schema v2, with modifications)."""

import csv
import io
import json

from partners.identifiers import build_siren, build_siret

BUYER = "22010001000019"  # Département de l'Ain
HOLDER = build_siret(build_siren("12345670"), "0001")
OTHER_HOLDER = build_siret(build_siren("23456780"), "0001")

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
    "lieuExecution_code",
    "lieuExecution_typeCode",
    "dureeMois",
    "dateNotification",
    "datePublicationDonnees",
    "montant",
    "considerationsSociales",
    "donneesActuelles",
]


def table_row(**values):
    row = {
        "id": "2026-001",
        "acheteur_id": BUYER,
        "acheteur_nom": "Département de l'Ain",
        "acheteur_departement_code": "01",
        "titulaire_id": HOLDER,
        "titulaire_typeIdentifiant": "SIRET",
        "titulaire_nom": "Bâtir Bresse Construction",
        "objet": "Réhabilitation du collège de Trévoux",
        "codeCPV": "45210000-2",
        "procedure": "Appel d'offres ouvert",
        "nature": "Marché",
        "lieuExecution_code": "01427",
        "lieuExecution_typeCode": "Code commune",
        "dureeMois": "12",
        "dateNotification": "2026-09-01",
        "datePublicationDonnees": "2026-09-20",
        "montant": "250000",
        "considerationsSociales": "Clause sociale",
        "donneesActuelles": "true",
    }
    row.update(values)
    row.setdefault("uid", f"{row['acheteur_id']}{row['id']}")
    return row


def table_csv(rows, delimiter=";"):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({"uid": f"{row['acheteur_id']}{row['id']}", **row})
    return buffer.getvalue().encode("utf-8")


def marche(**values):
    record = {
        "id": "2026-101",
        "acheteur": {"id": BUYER},
        "nature": "Marché",
        "objet": "Entretien des espaces verts des collèges",
        "codeCPV": "77310000-6",
        "procedure": "Procédure adaptée",
        "techniques": {"technique": ["Accord-cadre"]},
        "modalitesExecution": {"modaliteExecution": ["Bons de commande"]},
        "lieuExecution": {"code": "01053", "typeCode": "Code commune"},
        "dureeMois": 24,
        "dateNotification": "2026-06-15",
        "datePublicationDonnees": "2026-06-30",
        "montant": 120000,
        "considerationsSociales": {"considerationSociale": ["Marché réservé"]},
        "titulaires": [{"titulaire": {"id": HOLDER, "typeIdentifiant": "SIRET"}}],
        "modifications": [],
    }
    record.update(values)
    return record


def regulatory_json(*marches):
    return json.dumps({"marches": {"marche": list(marches)}}, ensure_ascii=False).encode("utf-8")

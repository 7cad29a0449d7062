"""The Table Schema (frictionless, schema.data.gouv.fr style) of the open dataset, and a check of a
CSV against it written with the standard library (no validator package is installed)."""

import csv
import io
import re

CATEGORIES = {
    "rsa": "bénéficiaires du RSA",
    "deld": "demandeurs d'emploi de longue durée",
    "moins_26_ans": "jeunes de moins de 26 ans",
    "50_ans_et_plus": "personnes de 50 ans et plus",
    "handicap": "travailleurs handicapés (RQTH, BOETH, AAH)",
    "qpv": "habitants d'un quartier prioritaire de la politique de la ville",
}

COUNT = {"type": "integer", "constraints": {"minimum": 0, "pattern": r"^(0|[5-9]|[1-9]\d+)$"}}
HOURS = {"type": "number", "constraints": {"required": True, "minimum": 0, "pattern": r"^\d+\.\d{2}$"}}

FIELDS = [
    {
        "name": "annee",
        "title": "Année",
        "description": "Année civile des heures réalisées.",
        "type": "integer",
        "example": "2026",
        "constraints": {"required": True},
    },
    {
        "name": "identifiant_lot",
        "title": "Identifiant du lot",
        "description": "Identifiant du lot dans Clausier.",
        "type": "string",
        "example": "CLAUSIER-LOT-12",
        "constraints": {"required": True, "pattern": r"^CLAUSIER-LOT-\d+$"},
    },
    {
        "name": "acheteur_siret",
        "title": "SIRET de l'acheteur",
        "description": "SIRET du donneur d'ordre (vide s'il n'est pas connu).",
        "type": "string",
        "example": "22010001000019",
        "constraints": {"pattern": r"^\d{14}$"},
    },
    {
        "name": "acheteur_nom",
        "title": "Acheteur",
        "description": "Nom du donneur d'ordre.",
        "type": "string",
        "example": "Département de l'Ain",
        "constraints": {"required": True},
    },
    {
        "name": "decp_uid",
        "title": "Identifiant national DECP",
        "description": (
            "Identifiant national (uid) du marché dans les données essentielles de la commande publique, "
            "quand le marché y est rattaché ; vide sinon."
        ),
        "type": "string",
        "example": "22010001000019CD01-2025-017",
        "constraints": {},
    },
    {
        "name": "objet_marche",
        "title": "Objet du marché",
        "description": "Objet du marché.",
        "type": "string",
        "example": "Travaux de reconstruction",
        "constraints": {"required": True},
    },
    {
        "name": "objet_lot",
        "title": "Objet du lot",
        "description": "Intitulé du lot.",
        "type": "string",
        "example": "Gros œuvre",
        "constraints": {"required": True},
    },
    {
        "name": "fondement_juridique",
        "title": "Fondement juridique",
        "description": "Fondement de la clause (code de la commande publique).",
        "type": "string",
        "example": "L2112-2",
        "constraints": {
            "required": True,
            "enum": ["L2112-2", "R2152-7", "L2113-13", "L2113-12", "L2113-15", "R2123-1"],
        },
    },
    {
        "name": "heures_exigees",
        "title": "Heures d'insertion exigées",
        "description": (
            "Heures exigées par la clause sur toute la durée du lot (point décimal, sans séparateur de milliers)."
        ),
        "example": "833.00",
        **HOURS,
    },
    {
        "name": "heures_realisees",
        "title": "Heures réalisées dans l'année",
        "description": "Heures validées par le facilitateur pour les mois de l'année (point décimal).",
        "example": "412.50",
        **HOURS,
    },
    {
        "name": "personnes",
        "title": "Personnes",
        "description": (
            "Personnes distinctes avec des heures validées dans l'année ; vide si de 1 à 4 (secret statistique)."
        ),
        "example": "7",
        **COUNT,
    },
]
for _code, _label in CATEGORIES.items():
    FIELDS.append(
        {
            "name": f"personnes_{_code}",
            "title": f"Personnes : {_label}",
            "description": f"Parmi les personnes, {_label} ; vide si de 1 à 4 ou par secret secondaire.",
            "example": "5",
            **COUNT,
        }
    )
FIELDS.append(
    {
        "name": "secret_statistique",
        "title": "Secret statistique",
        "description": "« oui » quand au moins une case de la ligne est vide par secret statistique.",
        "type": "string",
        "example": "non",
        "constraints": {"required": True, "enum": ["oui", "non"]},
    }
)

COLUMNS = [field["name"] for field in FIELDS]


def table_schema():
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": "clauses-sociales-resultats-annuels",
        "title": "Résultats annuels des clauses sociales d'insertion du Département de l'Ain",
        "description": "Une ligne par lot avec une clause d'insertion actif dans l'année. Aucune donnée personnelle ; "
        "les effectifs de 1 à 4 sont masqués (cellule vide), avec un secret secondaire.",
        "licenses": [
            {
                "name": "etalab-2.0",
                "title": "Licence Ouverte / Open Licence version 2.0",
                "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
            }
        ],
        "missingValues": [""],
        "fields": FIELDS,
        "primaryKey": ["annee", "identifiant_lot"],
    }


def _problem(field, value):
    constraints = field.get("constraints", {})
    if value == "":
        return "obligatoire" if constraints.get("required") else None
    if field["type"] == "integer" and not re.fullmatch(r"\d+", value):
        return "entier attendu"
    if field["type"] == "number" and not re.fullmatch(r"\d+(\.\d+)?", value):
        return "nombre attendu"
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], value):
        return "motif"
    if "enum" in constraints and value not in constraints["enum"]:
        return "valeur hors liste"
    if "minimum" in constraints and float(value) < constraints["minimum"]:
        return "minimum"
    return None


def problems(text, schema=None):
    """Every mismatch of the CSV ``text`` with the schema, as « line column: reason » strings."""
    fields = (schema or table_schema())["fields"]
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    found = []
    if header != [field["name"] for field in fields]:
        return [f"en-tête : {header}"]
    for number, row in enumerate(reader, start=2):
        if len(row) != len(fields):
            found.append(f"ligne {number} : {len(row)} cellules")
            continue
        for field, value in zip(fields, row, strict=True):
            reason = _problem(field, value)
            if reason:
                found.append(f"ligne {number} {field['name']} : {reason} ({value!r})")
    return found

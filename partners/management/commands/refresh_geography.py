"""`manage.py refresh_geography`: the communes and EPCI of the department from geo.api.gouv.fr, or
from the same lists saved as JSON files (``--communes-file``, ``--epci-file``, ``--deleguees-file``)
when the service cannot be reached. The same refresh as the yearly job, in this process."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partners import geography_refresh
from partners.geo_client import COMMUNE_FIELDS, DELEGATED_FIELDS, EPCI_FIELDS
from partners.http_client import ServiceUnavailable


def read_json(path, what):
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"Fichier des {what} introuvable : {path}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise CommandError(f"Le fichier des {what} ({path}) n'est pas du JSON lisible : {error}.") from None


class Command(BaseCommand):
    help = (
        "Met à jour les communes et les EPCI du département depuis geo.api.gouv.fr (API Découpage "
        "administratif), ou depuis les listes enregistrées en JSON. Une commune disparue n'est jamais "
        "effacée : elle est marquée supprimée, fusionnée dans sa commune nouvelle quand on la connaît."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--department",
            default=settings.CLAUSIER["DECP_DEPARTMENT_CODE"],
            help="code du département (par défaut CLAUSIER['DECP_DEPARTMENT_CODE'] : %(default)s)",
        )
        parser.add_argument(
            "--communes-file",
            help=f"réponse enregistrée de /communes?codeDepartement=…&fields={COMMUNE_FIELDS}",
        )
        parser.add_argument("--epci-file", help=f"réponse enregistrée de /epcis?codeDepartement=…&fields={EPCI_FIELDS}")
        parser.add_argument(
            "--deleguees-file",
            help=(
                "facultatif : réponse enregistrée de /communes_associees_deleguees?codeDepartement=…"
                f"&fields={DELEGATED_FIELDS}, pour savoir où une commune disparue a fusionné"
            ),
        )

    def handle(self, *args, department, communes_file=None, epci_file=None, deleguees_file=None, **options):
        department = (department or "").strip().upper()
        if not department:
            raise CommandError("Indiquez le code du département (--department 01).")
        try:
            if communes_file or epci_file or deleguees_file:
                if not (communes_file and epci_file):
                    raise CommandError("Hors ligne, donnez les deux fichiers : --communes-file et --epci-file.")
                self.stdout.write(f"Lecture des fichiers enregistrés (département {department})…")
                summary = geography_refresh.refresh(
                    read_json(communes_file, "communes"),
                    read_json(epci_file, "EPCI"),
                    read_json(deleguees_file, "communes déléguées") if deleguees_file else None,
                    department=department,
                )
            else:
                self.stdout.write(f"Lecture de geo.api.gouv.fr (département {department})…")
                summary = geography_refresh.refresh_from_api(department)
        except (ServiceUnavailable, geography_refresh.RefreshRefused) as error:
            raise CommandError(str(error)) from None
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Communes et EPCI à jour."))

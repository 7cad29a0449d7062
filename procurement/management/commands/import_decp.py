"""`manage.py import_decp FICHIER` (or `--api`): a DECP import from the shell, the same job as the
import page (a ``DecpImport`` row with its counts and rejected rows), run in this process."""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from procurement import decp_intake
from procurement.models import DecpImport


class Command(BaseCommand):
    help = (
        "Importe un fichier DECP (JSON réglementaire ou table consolidée en CSV), ou l'API tabulaire de "
        "data.gouv.fr avec --api, pour le territoire (CLAUSIER['DECP_DEPARTMENT_CODE'])."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="chemin du fichier .json ou .csv")
        parser.add_argument("--api", action="store_true", help="lire l'API tabulaire au lieu d'un fichier")

    def handle(self, *args, file=None, api=False, **options):
        if api == bool(file):
            raise CommandError("Donnez un fichier, ou --api (pas les deux).")
        if api:
            decp_import = DecpImport.objects.create(
                source=DecpImport.Source.API,
                format=DecpImport.Format.API,
                department_code=decp_intake.department_code(),
                notified_since=decp_intake.last_api_notification_date(),
            )
        else:
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"Fichier introuvable : {path}")
            decp_import = DecpImport(
                source=DecpImport.Source.FILE,
                format=DecpImport.Format.JSON if path.suffix.lower() == ".json" else DecpImport.Format.CSV,
                original_name=path.name[:250],
                department_code=decp_intake.department_code(),
            )
            with path.open("rb") as handle:
                decp_import.file.save(path.name, File(handle), save=False)
            decp_import.save()
        result = decp_intake.run(decp_import.pk)
        summary = (
            f"{result.rows_read} lignes lues : {result.created_count} marchés nouveaux, "
            f"{result.updated_count} mis à jour, {result.unchanged_count} inchangés, "
            f"{result.skipped_count} passées, {result.rejected_count} rejetées."
        )
        if result.status == DecpImport.Status.FAILED:
            raise CommandError(f"{result.error} ({summary})")
        self.stdout.write(self.style.SUCCESS(summary))

"""Anonymise the participants with no activity for the retention period (CLAUSIER setting)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from placements.retention import anonymise_inactive, cutoff, inactive_participants, retention_years


class Command(BaseCommand):
    help = (
        "Anonymise les participants sans activité depuis PERSONAL_DATA_RETENTION_YEARS ans. "
        "Affiche d'abord la liste (numéros et dernière activité, jamais de nom)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Afficher la liste sans rien anonymiser.")
        parser.add_argument("--date", dest="on", help="Jour du contrôle, AAAA-MM-JJ (par défaut : aujourd'hui).")

    def handle(self, *args, dry_run=False, on=None, **options):
        try:
            on = date.fromisoformat(on) if on else None
        except ValueError as exc:
            raise CommandError("Date invalide : utilisez le format AAAA-MM-JJ.") from exc
        years = retention_years()
        found = inactive_participants(on, years)
        self.stdout.write(
            f"Participants sans activité depuis {years} ans (dernière activité avant le {cutoff(on, years):%d/%m/%Y}) :"
        )
        for row in found:
            self.stdout.write(f"  n° {row.pk} — dernière activité le {row.last_activity:%d/%m/%Y}")
        self.stdout.write(f"{len(found)} participant(s) concerné(s).")
        if dry_run:
            self.stdout.write("Simulation : rien n'a été anonymisé.")
            return
        done = anonymise_inactive(on, years)
        self.stdout.write(self.style.SUCCESS(f"{len(done)} participant(s) anonymisé(s)."))

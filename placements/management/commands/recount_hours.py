"""`manage.py recount_hours`: derive again whether each declared line counts (``placements.counting``)."""

from django.core.management.base import BaseCommand

from placements import counting


class Command(BaseCommand):
    help = (
        "Recalcule, pour chaque ligne déclarée, si ses heures comptent pour la clause (période de "
        "décompte, éligibilité, heures de formation). À lancer après un changement de "
        "COUNTING_WINDOW_MONTHS ou TRAINING_HOURS_COUNT (le worker le fait aussi à son démarrage et chaque nuit)."
    )

    def handle(self, *args, **options):
        rules = counting.current_rules()
        changed = counting.recount_all(rules)
        self.stdout.write(
            self.style.SUCCESS(
                f"Heures comptées recalculées ({rules.window_months} mois, formation "
                f"{'comptée' if rules.training_counts else 'non comptée'}) : {changed} ligne(s) changée(s)."
            )
        )

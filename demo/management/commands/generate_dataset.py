"""`manage.py generate_dataset --scale department|national|tiny [--seed N] [--years N] [--today YYYY-MM-DD]`

A synthetic dataset for benchmarks and load tests; see ``demo/dataset/`` for the
scales, the distributions and how generated rows are marked. It refuses to run on a database that
already holds a generated dataset unless ``--reset`` is given, which deletes that dataset (and only
it: reference data, demo data and anything typed by hand stay) before generating the new one.
"""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from demo import dataset as generator
from partners.models import User
from reporting import figures_cache


def _day(text):
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Date invalide : « {text} » (format AAAA-MM-JJ).") from exc


class Command(BaseCommand):
    help = "Génère un jeu de données synthétique (département, national ou minuscule) pour les mesures de charge."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(generator.SCALES), default="tiny", help="taille du jeu")
        parser.add_argument("--seed", type=int, default=1, help="graine : même graine, mêmes données")
        parser.add_argument("--years", type=int, default=None, help="nombre d'années (les volumes suivent)")
        parser.add_argument("--today", type=_day, default=None, help="date de référence (AAAA-MM-JJ)")
        parser.add_argument(
            "--reset", action="store_true", help="supprime d'abord le jeu généré précédemment (et lui seul)"
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        if options["years"] is not None and options["years"] < 1:
            raise CommandError("--years doit être au moins 1.")

        def log(message):
            self.stdout.write(message)
            self.stdout.flush()

        if generator.has_generated_data():
            if not options["reset"]:
                raise CommandError(
                    "La base contient déjà un jeu de données généré : relancez avec --reset pour le remplacer."
                )
            generator.delete_generated(log=log)
        try:
            counts, summary, _ = generator.generate(
                options["scale"], seed=options["seed"], years=options["years"], today=options["today"], log=log
            )
        except generator.DatasetError as exc:
            raise CommandError(str(exc)) from exc
        figures_cache.data_changed()  # written in bulk, without signals: the dashboards kept ready are out of date
        self.stdout.write(
            self.style.SUCCESS(f"Jeu « {options['scale']} » généré en {time.monotonic() - started:.1f} s.")
        )
        for name, count in counts.items():
            self.stdout.write(f"  {name:<22} {count:>9}")
        self.stdout.write("Répartitions :")
        for name, value in summary.items():
            self.stdout.write(f"  {name} : {value}")
        self.stdout.write(f"Comptes (mot de passe commun : {generator.PASSWORD}) :")
        for user in User.objects.filter(email__endswith=f"@{generator.EMAIL_DOMAIN}").order_by("email"):
            roles = ", ".join(f"{m.get_role_display()} — {m.organisation}" for m in user.memberships.all())
            self.stdout.write(f"  {user.email:<45} {roles}")

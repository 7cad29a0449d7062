"""`manage.py seed_demo`: a living demo, idempotent.

Each app may have a ``demo`` module with ``seed(context)``; they run in the order of
INSTALLED_APPS (partners ← clauses ← placements ← reporting), sharing one context dict.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from faker import Faker

from partners.demo import ACCOUNTS, DEMO_PASSWORD

DEMO_SEED = 2026


class Command(BaseCommand):
    help = "Crée (ou complète) les données de démonstration et un compte par rôle."

    def handle(self, *args, **options):
        fake = Faker("fr_FR")
        fake.seed_instance(DEMO_SEED)
        context = {"fake": fake}
        with transaction.atomic():
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if find_spec(config.name) and find_spec(module_name):
                    import_module(module_name).seed(context)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for account in ACCOUNTS:
            self.stdout.write(f"  {account.role.label:<24} {account.email}")

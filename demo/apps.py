from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (``seed_demo``) and the synthetic dataset (``generate_dataset``): on top of every
    app, it may import them all and nothing imports it."""

    name = "demo"
    verbose_name = "Démonstration et jeu de données"

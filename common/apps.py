from django.apps import AppConfig


class CommonConfig(AppConfig):
    """What every app uses (French numbers and dates, tabular files, query strings, widgets); it
    imports no app of Clausier."""

    name = "common"
    verbose_name = "Outils communs"

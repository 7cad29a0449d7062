"""The yearly open dataset of clause results (issue 21). Last in the import arrow: nothing imports
opendata."""

from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = "Données ouvertes"

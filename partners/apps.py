from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partenaires et territoires"

    def ready(self):
        from . import access, lookups, two_factor  # noqa: F401 - access rules; registers __any_of; connects the login signal of the second factor

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        from . import (
            access,  # noqa: F401 - the access rules of the API tokens
            schema,  # noqa: F401 - registers the token scheme with drf-spectacular
        )

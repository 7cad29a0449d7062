from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Bilans et indicateurs"

    def ready(self):
        from partners import navigation

        from . import (
            access,  # noqa: F401 - the access rules of the reports
            digest_closed_holders,
            digest_published,
            figures_signals,
        )
        from .dashboard_navigation import navigation as dashboard_navigation
        from .report_navigation import navigation as report_navigation

        navigation.register(dashboard_navigation)
        navigation.register(report_navigation)
        figures_signals.connect()
        digest_published.register()
        digest_closed_holders.register()

"""The accessibility statement (issue 18): a public page whose figures come from the axe-core run
of the browser tests (``make accessibility``). Nothing imports accessibility."""

from django.apps import AppConfig


class AccessibilityConfig(AppConfig):
    name = "accessibility"
    verbose_name = "Accessibilité"

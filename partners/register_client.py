"""Client of the API Recherche d'entreprises (integrations.md, "API Recherche d'entreprises"):
``GET /search?q=<SIRET>``, open, no key, about 7 requests a second (429 beyond).

Two ways to call it: from a page, one short attempt (the page never waits more than about two
seconds); from the weekly job, retries with back-off and requests spaced to stay under the rate.
"""

from django.conf import settings

from .http_client import JsonClient, ServiceUnavailable
from .register_records import entry_from_answer

SERVICE = "La recherche au répertoire Sirene (API Recherche d'entreprises)"
HINT = "Saisissez les informations à la main ; elles seront vérifiées au prochain contrôle hebdomadaire."
REQUESTS_PER_SECOND = 7


class RegisterUnavailable(ServiceUnavailable):
    pass


class RegisterClient(JsonClient):
    error_class = RegisterUnavailable
    service = SERVICE
    hint = HINT

    @staticmethod
    def accepts(answer):
        return isinstance(answer, dict) and isinstance(answer.get("results"), list)

    def __init__(self, base_url=None, **options):
        options.setdefault("min_interval", 1 / REQUESTS_PER_SECOND)
        super().__init__(base_url or settings.CLAUSIER["SIRENE_API_URL"], **options)

    def find(self, siret):
        """The establishment's ``RegisterEntry``, or None when the register does not know the SIRET."""
        answer = self.get("search", {"q": siret, "page": 1, "per_page": 5})
        return entry_from_answer(answer, siret)


def for_page(**options):
    """For a page: one attempt, a short timeout."""
    return RegisterClient(timeout=1.5, attempts=1, **options)


def for_job(**options):
    """For the weekly job: patient, and under the service's rate."""
    options.setdefault("backoff", settings.CLAUSIER["SIRENE_API_BACKOFF_SECONDS"])
    return RegisterClient(timeout=10, attempts=4, **options)

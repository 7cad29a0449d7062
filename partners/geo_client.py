"""Client of geo.api.gouv.fr, the API Découpage administratif (integrations.md, "Inclusion directories").

Three lists of a department, each one JSON array in one answer (the service does not page):

- ``GET /communes?codeDepartement=01&fields=nom,code,codeEpci,codesPostaux,population,siren,centre``:
  the current communes; ``centre`` is a GeoJSON point ``{"type": "Point", "coordinates": [lon, lat]}``;
- ``GET /epcis?codeDepartement=01&fields=nom,code,type,codesDepartements,population``: the EPCI
  with at least one commune there; ``code`` is the SIREN, ``type`` CA, CC, CU or ME;
- ``GET /communes_associees_deleguees?codeDepartement=01&fields=nom,code,chefLieu,type``: the
  communes déléguées and associées, ``chefLieu`` being the code of the commune they belong to
  now: this is where a commune that vanished from the first list went.

Built on ``partners.http_client.JsonClient``: timeouts, retries with back-off on 429, 5xx and
network failures, ``Retry-After`` honoured; every failure that outlives the retries is a
``GeoUnavailable`` whose message is for the user, in French.
"""

from django.conf import settings

from .http_client import JsonClient, ServiceUnavailable

SERVICE = "L'API Découpage administratif (geo.api.gouv.fr)"
HINT = (
    "Réessayez plus tard, ou chargez les listes enregistrées depuis geo.api.gouv.fr "
    "(manage.py refresh_geography --communes-file … --epci-file …)."
)
COMMUNE_FIELDS = "nom,code,codeEpci,codesPostaux,population,siren,centre"
EPCI_FIELDS = "nom,code,type,codesDepartements,population"
DELEGATED_FIELDS = "nom,code,chefLieu,type"


class GeoUnavailable(ServiceUnavailable):
    """geo.api.gouv.fr could not be read; the message says so in French."""


class GeoClient(JsonClient):
    error_class = GeoUnavailable
    service = SERVICE
    hint = HINT

    @staticmethod
    def accepts(answer):
        return isinstance(answer, list)

    def __init__(self, base_url=None, *, timeout=15.0, attempts=4, backoff=None, max_wait=30.0, **options):
        if backoff is None:
            backoff = settings.CLAUSIER["GEO_API_BACKOFF_SECONDS"]
        base_url = base_url or settings.CLAUSIER["GEO_API_URL"]
        super().__init__(base_url, timeout=timeout, attempts=attempts, backoff=backoff, max_wait=max_wait, **options)

    def communes(self, department):
        return self.get("communes", {"codeDepartement": department, "fields": COMMUNE_FIELDS})

    def epcis(self, department):
        return self.get("epcis", {"codeDepartement": department, "fields": EPCI_FIELDS})

    def delegated_communes(self, department):
        """The communes déléguées and associées, each with the code of its commune (``chefLieu``)."""
        return self.get("communes_associees_deleguees", {"codeDepartement": department, "fields": DELEGATED_FIELDS})

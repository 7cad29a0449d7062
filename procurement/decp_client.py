"""Client of data.gouv.fr's tabular API for the consolidated DECP table (integrations.md, "DECP").

``GET <resource>/data/`` with ``<column>__exact=``, ``<column>__greater=``, ``page``, ``page_size``
(50 at most); the answer is ``{"data": [...], "links": {"next": …}, "meta": {"page", "page_size",
"total"}}``. Timeouts on every request, retries with exponential back-off on 429, 5xx and network
failures (``Retry-After`` honoured, within a bound), paging by ``links.next`` with a bound on the
number of pages (``partners.http_client``). Every failure that outlives the retries is a
``DecpUnavailable`` whose message is for the facilitator.
"""

from partners.http_client import JsonClient, ServiceUnavailable

PAGE_SIZE = 50
MAX_PAGES = 20_000
SERVICE = "L'API des données de la commande publique"
HINT = "Réessayez plus tard, ou déposez le fichier téléchargé sur data.gouv.fr."


class DecpUnavailable(ServiceUnavailable):
    """The API could not be read; the message says so in French."""


class TabularClient(JsonClient):
    error_class = DecpUnavailable
    service = SERVICE
    hint = HINT

    @staticmethod
    def accepts(answer):
        return isinstance(answer, dict) and isinstance(answer.get("data"), list)

    def __init__(self, url, *, timeout=15.0, attempts=4, backoff=1.0, max_wait=30.0, **options):
        super().__init__(url, timeout=timeout, attempts=attempts, backoff=backoff, max_wait=max_wait, **options)
        self.total = None

    def rows(self, filters):
        """Every row matching ``filters`` (``{"column__exact": value, …}``), page after page."""
        params = {**filters, "page": 1, "page_size": PAGE_SIZE}
        url = ""
        for _ in range(MAX_PAGES):
            answer = self.get(url, params)
            meta = answer.get("meta") or {}
            if self.total is None and isinstance(meta.get("total"), int):
                self.total = meta["total"]
            yield from answer["data"]
            following = (answer.get("links") or {}).get("next")
            if not following or not answer["data"]:
                return
            url, params = following, None  # the next link carries the filters and the page


def contract_filters(department_code, notified_since=None):
    """The territory's current contracts, oldest notification first (stable paging)."""
    filters = {
        "acheteur_departement_code__exact": department_code,
        "donneesActuelles__exact": "true",
        "dateNotification__sort": "asc",
    }
    if notified_since:
        filters["dateNotification__greater"] = notified_since.isoformat()
    return filters

"""Client of data.gouv.fr's tabular API for the consolidated DECP table (integrations.md, "DECP").

``GET <resource>/data/`` with ``<column>__exact=``, ``<column>__greater=``, ``page``, ``page_size``
(50 at most); the answer is ``{"data": [...], "links": {"next": …}, "meta": {"page", "page_size",
"total"}}``. Timeouts on every request, retries with exponential back-off on 429, 5xx and network
failures (``Retry-After`` honoured, within a bound), paging by ``links.next`` with a bound on the
number of pages. Every failure that outlives the retries is a ``DecpUnavailable`` whose message is
for the facilitator.
"""

import time

import httpx

PAGE_SIZE = 50
MAX_PAGES = 20_000
RETRIED_STATUSES = {429, 500, 502, 503, 504}
USER_AGENT = "Clausier (facilitateurs de la clause sociale de l'Ain)"


class DecpUnavailable(Exception):
    """The API could not be read; the message says so in French."""


class TabularClient:
    def __init__(self, url, *, timeout=15.0, attempts=4, backoff=1.0, max_wait=30.0, sleep=time.sleep, transport=None):
        self.url = url
        self.attempts = attempts
        self.backoff = backoff
        self.max_wait = max_wait
        self.sleep = sleep
        self.total = None
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout), headers={"User-Agent": USER_AGENT}, transport=transport
        )

    def close(self):
        self._client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _wait(self, attempt, response=None):
        delay = self.backoff * (2**attempt)
        if response is not None and response.headers.get("Retry-After", "").strip().isdigit():
            delay = float(response.headers["Retry-After"])
        self.sleep(min(delay, self.max_wait))

    def get(self, url, params=None):
        """One page, as JSON, after as many attempts as allowed."""
        problem = ""
        for attempt in range(self.attempts):
            response = None
            try:
                response = self._client.get(url, params=params)
            except httpx.TimeoutException:
                problem = "le service n'a pas répondu à temps"
            except httpx.TransportError:
                problem = "le service est injoignable"
            else:
                if response.status_code in RETRIED_STATUSES:
                    problem = (
                        "le service limite le nombre de demandes (429)"
                        if response.status_code == 429
                        else f"le service est en erreur ({response.status_code})"
                    )
                elif response.status_code >= 400:
                    raise DecpUnavailable(
                        f"L'API des données de la commande publique refuse la demande (erreur "
                        f"{response.status_code}). Déposez plutôt le fichier téléchargé sur data.gouv.fr."
                    )
                else:
                    try:
                        answer = response.json()
                    except ValueError:
                        problem = "sa réponse n'est pas du JSON"
                    else:
                        if isinstance(answer, dict) and isinstance(answer.get("data"), list):
                            return answer
                        problem = "sa réponse n'a pas la forme attendue"
            if attempt + 1 < self.attempts:
                self._wait(attempt, response)
        raise DecpUnavailable(
            f"L'API des données de la commande publique n'a pas pu être lue : {problem}, après "
            f"{self.attempts} essais. Réessayez plus tard, ou déposez le fichier téléchargé sur data.gouv.fr."
        )

    def rows(self, filters):
        """Every row matching ``filters`` (``{"column__exact": value, …}``), page after page."""
        params = {**filters, "page": 1, "page_size": PAGE_SIZE}
        url = self.url
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

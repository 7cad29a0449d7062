"""The one client Clausier uses for the public services it reads (DECP tabular API, API Recherche
d'entreprises, les emplois de l'inclusion, geo.api.gouv.fr).

A timeout on every request; retries with exponential back-off on 429, 5xx and network failures
(``Retry-After`` honoured within a bound); an optional spacing between requests for the services
that limit their rate (7 requests a second for Recherche d'entreprises); an answer checked for its
shape. Every failure that outlives the retries is a ``ServiceUnavailable`` whose message is for
the user, in French, and says what to do instead. Pages call it with one short attempt so that
an unreachable service never holds a page for more than about two seconds.
"""

import time

import httpx

RETRIED_STATUSES = {429, 500, 502, 503, 504}
USER_AGENT = "Clausier (facilitateurs de la clause sociale de l'Ain)"


class ServiceUnavailable(Exception):
    """An outside service could not be read; the message says so in French."""


class JsonClient:
    """A service's client sets ``service`` (its name in a sentence, « L'API Recherche
    d'entreprises »), ``hint`` (what the user can do instead), ``error_class`` and ``accepts``
    (an answer of the expected shape) as class attributes; the constructor may override them."""

    error_class = ServiceUnavailable
    service = "Le service"
    hint = "Réessayez plus tard."

    @staticmethod
    def accepts(answer):
        return True

    def __init__(
        self,
        base_url,
        *,
        service=None,
        hint=None,
        timeout=10.0,
        attempts=4,
        backoff=1.0,
        max_wait=30.0,
        min_interval=0.0,
        accept=None,
        sleep=time.sleep,
        clock=time.monotonic,
        transport=None,
    ):
        self.base_url = base_url
        self.service = service or self.service
        self.hint = hint or self.hint
        self.attempts = attempts
        self.backoff = backoff
        self.max_wait = max_wait
        self.min_interval = min_interval
        if accept is not None:
            self.accepts = accept
        self.sleep = sleep
        self.clock = clock
        self.requests_sent = 0
        self._last_request = None
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            transport=transport,
        )

    def close(self):
        self._client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def url(self, path):
        """A path relative to the service's base URL; a full URL (a ``next`` link) as it is."""
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url.rstrip('/')}/{path.lstrip('/')}" if path else self.base_url

    def _space_out(self):
        if self.min_interval and self._last_request is not None:
            wait = self.min_interval - (self.clock() - self._last_request)
            if wait > 0:
                self.sleep(wait)
        self._last_request = self.clock()

    def _wait(self, attempt, response=None):
        delay = self.backoff * (2**attempt)
        if response is not None and response.headers.get("Retry-After", "").strip().isdigit():
            delay = float(response.headers["Retry-After"])
        self.sleep(min(delay, self.max_wait))

    def get(self, path="", params=None):
        """The JSON answer, after as many attempts as allowed."""
        problem = ""
        for attempt in range(self.attempts):
            response = None
            self._space_out()
            self.requests_sent += 1
            try:
                response = self._client.get(self.url(path), params=params)
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
                    raise self.error_class(
                        f"{self.service} refuse la demande (erreur {response.status_code}). {self.hint}"
                    )
                else:
                    try:
                        answer = response.json()
                    except ValueError:
                        problem = "sa réponse n'est pas du JSON"
                    else:
                        if self.accepts(answer):
                            return answer
                        problem = "sa réponse n'a pas la forme attendue"
            if attempt + 1 < self.attempts:
                self._wait(attempt, response)
        essais = "essai" if self.attempts == 1 else "essais"
        raise self.error_class(
            f"{self.service} n'a pas pu être lue : {problem}, après {self.attempts} {essais}. {self.hint}"
        )

"""`make load`, the HTTP client: /healthz, the real login of the demo users, the rotation of pages
and each page alone (its latency without load). Standard library only, like bench/load.py."""

import http.client
import json
import re
import statistics
import time
from datetime import date, timedelta
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench.load_server import LoadError, log_tail

FACILITATOR = "facilitatrice@clausier.demo"
EMPLOYER = "employeur@clausier.demo"
DEMO_PASSWORD = "Clausier-demo-2026"

HEALTH_TIMEOUT_S = 60
PAGE_SAMPLES = 10


def wait_healthy(port, process, log_path):
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LoadError(f"gunicorn exited ({process.returncode}):\n{log_tail(log_path)}")
        try:
            status, _, body = http_request(port, "GET", "/healthz")
            if status == 200:
                return json.loads(body)
            last = f"status {status}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.3)
    raise LoadError(f"/healthz not ready after {HEALTH_TIMEOUT_S} s ({last}):\n{log_tail(log_path)}")


def http_request(port, method, path, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        cookies = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            parsed = SimpleCookie()
            parsed.load(header)
            cookies.update({name: morsel.value for name, morsel in parsed.items()})
        content = response.read().decode("utf-8", errors="replace")
        response.cookies = cookies
        return response.status, response, content
    finally:
        connection.close()


def login(port, email):
    """A real login: GET the form for the CSRF cookie and token, POST the credentials.
    Returns the Cookie header of the new session."""
    status, response, page = http_request(port, "GET", "/compte/login/")
    if status != 200:
        raise LoadError(f"login page: status {status}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    csrf_cookie = response.cookies.get("csrftoken")
    if not token or not csrf_cookie:
        raise LoadError("login page: no CSRF token or cookie")
    form = urlencode({"csrfmiddlewaretoken": token.group(1), "username": email, "password": DEMO_PASSWORD})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}"}
    status, response, _ = http_request(port, "POST", "/compte/login/", headers=headers, body=form)
    session = response.cookies.get("sessionid")
    location = response.getheader("Location", "")
    if status != 302 or not session or "/compte/" in location:
        raise LoadError(f"login of {email} failed: status {status}, redirect {location!r} (demo data seeded?)")
    return f"sessionid={session}"


def last_month():
    return (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)


def build_mix(port, facilitator_cookie, employer_cookie):
    """The pages of the rotation: five of the facilitator, two of the employer."""
    status, _, lots = http_request(port, "GET", "/lots/", headers={"Cookie": facilitator_cookie})
    found = re.search(r'href="/lots/(\d+)/"', lots) if status == 200 else None
    if not found:
        raise LoadError(f"no lot in the facilitator's lot list (status {status})")
    month = last_month()
    facilitator_paths = ["/", "/lots/", f"/lots/{found.group(1)}/", "/validation/", "/participants/"]
    employer_paths = ["/portail/", f"/portail/declarations/{month.year}-{month.month:02d}/"]
    return [("facilitatrice", path, facilitator_cookie) for path in facilitator_paths] + [
        ("employeur", path, employer_cookie) for path in employer_paths
    ]


def check_pages(port, mix):
    """Each page once for its status, then PAGE_SAMPLES times alone: the latency without load."""
    pages = []
    for role, path, cookie in mix:
        status, _, body = http_request(port, "GET", path, headers={"Cookie": cookie})
        if status != 200:
            raise LoadError(f"{role} {path}: status {status}, expected 200")
        timings = []
        for _ in range(PAGE_SAMPLES):
            start = time.perf_counter()
            http_request(port, "GET", path, headers={"Cookie": cookie})
            timings.append((time.perf_counter() - start) * 1000)
        pages.append(
            {
                "role": role,
                "path": path,
                "bytes": len(body.encode()),
                "median_ms": round(statistics.median(timings), 1),
                "max_ms": round(max(timings), 1),
            }
        )
    return pages

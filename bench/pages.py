"""`make bench`, the pages: the subjects they are measured with (the biggest of the database), their
requests and test clients, their timing beside their SQL floor (bench/floors.py), their query
counts and the plan of their slowest query. Run after Django is set up."""

import statistics
import time
from datetime import date

from bench.logs import log

# Pages whose figures are kept in the cache between two changes of the data
# (reporting/figures_cache.py): timed as served (figures ready) and "cold" (worked out again).
CACHED_PAGES = {"facilitator_dashboard", "department_dashboard"}

PAGES = [
    ("facilitator_dashboard", "Tableau de bord facilitateur (/)"),
    ("department_dashboard", "Pilotage Département (/pilotage/)"),
    ("lot_list", "Liste des lots"),
    ("lot_detail", "Fiche d'un gros lot"),
    ("validation_queue", "File de validation"),
    ("participant_list", "Liste des participants"),
    ("declaration_grid", "Grille de déclaration employeur"),
]


def timed(function, warmup, repeat):
    """Median and 95th percentile, in milliseconds, of ``repeat`` calls after ``warmup`` calls."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, max(0, round(0.95 * len(samples)) - 1))]
    return {"median_ms": round(statistics.median(samples), 2), "p95_ms": round(p95, 2), "samples": len(samples)}


def pick_subjects():
    """The users and objects each page is measured with: the biggest ones of the database."""
    from django.db import connection

    from partners.models import User

    with connection.cursor() as cursor:
        # The facilitator who sees the most lots.
        cursor.execute(
            """SELECT m.user_id, COUNT(DISTINCT l.id) FROM partners_membership m
               JOIN clauses_operation o ON o.facilitation_body_id = m.organisation_id
               JOIN clauses_contract k ON k.operation_id = o.id JOIN clauses_lot l ON l.contract_id = k.id
               WHERE m.role = 'facilitator' AND m.is_active GROUP BY m.user_id ORDER BY 2 DESC, 1 LIMIT 1"""
        )
        facilitator_id, facilitator_lots = cursor.fetchone()
        cursor.execute(
            "SELECT user_id FROM partners_membership WHERE role = 'department_reader' AND is_active "
            "ORDER BY user_id LIMIT 1"
        )
        reader_id = cursor.fetchone()[0]
        # The facilitator's lot with the most placements.
        cursor.execute(
            """SELECT l.id, COUNT(p.id) FROM clauses_lot l
               JOIN clauses_contract k ON k.id = l.contract_id JOIN clauses_operation o ON o.id = k.operation_id
               LEFT JOIN placements_placement p ON p.lot_id = l.id
               WHERE o.facilitation_body_id IN (SELECT organisation_id FROM partners_membership
                   WHERE user_id = %s AND role = 'facilitator' AND is_active)
               GROUP BY l.id ORDER BY 2 DESC, 1 LIMIT 1""",
            [facilitator_id],
        )
        lot_id, lot_placements = cursor.fetchone()
        # The employer and month (already declared, not in the future) with the most people.
        cursor.execute(
            """SELECT d.employer_id, d.month, COUNT(p.id) FROM placements_monthlydeclaration d
               JOIN placements_placement p ON p.employer_id = d.employer_id
                AND p.start_date <= (d.month + interval '1 month' - interval '1 day')::date
                AND (p.end_date IS NULL OR p.end_date >= d.month)
               WHERE d.month <= date_trunc('month', now())::date
               GROUP BY 1, 2 ORDER BY 3 DESC, 2 DESC LIMIT 1"""
        )
        employer_id, month, month_people = cursor.fetchone()
        cursor.execute(
            """SELECT m.user_id FROM partners_membership m WHERE m.role = 'employer' AND m.is_active
               AND m.organisation_id = %s
               AND NOT EXISTS (SELECT 1 FROM partners_membership o WHERE o.user_id = m.user_id
                               AND o.is_active AND o.id <> m.id)
               ORDER BY m.user_id LIMIT 1""",
            [employer_id],
        )
        row = cursor.fetchone()
    return {
        "facilitator": User.objects.get(pk=facilitator_id),
        "facilitator_lots": facilitator_lots,
        "reader": User.objects.get(pk=reader_id),
        "lot_id": lot_id,
        "lot_placements": lot_placements,
        "employer_id": employer_id,
        "employer_user": User.objects.get(pk=row[0]) if row else None,
        "month": month,
        "month_people": month_people,
    }


def employer_user(subjects):
    """An employer account of the chosen employer (created inside the rolled-back transaction if none)."""
    from partners.models import Membership, User
    from partners.roles import Role

    if subjects["employer_user"] is not None:
        return subjects["employer_user"]
    user = User.objects.create(email="bench-employeur@clausier.invalid")
    Membership.objects.create(user=user, organisation_id=subjects["employer_id"], role=Role.EMPLOYER)
    return user


def page_requests(subjects):
    """Page name → (user, URL)."""
    month = subjects["month"]
    return {
        "facilitator_dashboard": (subjects["facilitator"], "/"),
        "department_dashboard": (subjects["reader"], "/pilotage/"),
        "lot_list": (subjects["facilitator"], "/lots/"),
        "lot_detail": (subjects["facilitator"], f"/lots/{subjects['lot_id']}/"),
        "validation_queue": (subjects["facilitator"], "/validation/"),
        "participant_list": (subjects["facilitator"], "/participants/"),
        "declaration_grid": (employer_user(subjects), f"/portail/declarations/{month.year}-{month.month:02d}/"),
    }


def floor_parameters(subjects):
    from common.dates import today
    from placements.declaration_rules import last_day

    on = today()
    month = subjects["month"]
    return {
        "user": subjects["facilitator"].pk,
        "start": date(on.year, 1, 1),
        "end": date(on.year, 12, 31),
        "first_year_start": date(on.year - 3, 1, 1),
        "lot": subjects["lot_id"],
        "on": on,
        "month": month,
        "month_end": last_day(month),
        "employer": subjects["employer_id"],
    }


def clients(requests):
    from django.test import Client

    by_user = {}
    for user, _ in requests.values():
        if user.pk not in by_user:
            client = Client()
            client.force_login(user)
            by_user[user.pk] = client
    return by_user


def get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} a répondu {response.status_code}")
    return response


def count_queries(client, url, cold=False):
    """Queries of one request; ``cold``: with the dashboards' cache emptied first (figures worked out)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    return len(captured), sorted(
        ({"ms": float(query["time"]) * 1000, "sql": query["sql"]} for query in captured.captured_queries),
        key=lambda query: -query["ms"],
    )[:3]


def explain(sql):
    """EXPLAIN ANALYZE of a query the page ran (as the ORM sent it), for bench/README.md."""
    from django.db import connection

    if not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql.replace("%", "%%"))
        return "\n".join(row[0] for row in cursor.fetchall())


class Rollback(Exception):
    pass


def measure_counts():
    """Only the number of queries of each page (the run on the demo data)."""
    from django.db import transaction

    counts = {}
    try:
        with transaction.atomic():
            subjects = pick_subjects()
            requests = page_requests(subjects)
            by_user = clients(requests)
            for name, (user, url) in requests.items():
                get(by_user[user.pk], url)  # the first request fills the caches
                counts[name] = count_queries(by_user[user.pk], url, cold=name in CACHED_PAGES)[0]
            raise Rollback
    except Rollback:
        pass
    return counts


# The cheapest page a logged-in user can ask for (« Données personnelles »: a template, no query of
# its own): what any page costs at the least (session, user, middleware, base template), measured
# for each user of the pages; the budget of a page is its SQL floor plus this baseline.
BASELINE_URL_NAME = "placements:privacy_notice"


def budget_ratio(page_p95_ms, floor_p95_ms, baseline_p95_ms):
    """A page's p95 ÷ (its SQL floor's p95 + the p95 of the cheapest logged-in page, for the same
    user, in the same run): how many times the least it could cost the page takes. None if unknown."""
    if page_p95_ms is None or floor_p95_ms is None or baseline_p95_ms is None:
        return None
    budget = floor_p95_ms + baseline_p95_ms
    return round(page_p95_ms / budget, 2) if budget > 0 else None


def measure_baselines(by_user, warmup, repeat):
    """User id → timing of the cheapest logged-in page (BASELINE_URL_NAME), as that user."""
    from django.urls import reverse

    url = reverse(BASELINE_URL_NAME)
    baselines = {}
    for pk, client in by_user.items():
        log(f"page de référence {url} (utilisateur {pk})")
        baselines[pk] = timed(lambda client=client: get(client, url), warmup, repeat)
    return url, baselines


def measure_pages(warmup, repeat):
    from django.core.cache import cache
    from django.db import connection, transaction

    from bench import floors

    results = {}
    try:
        with transaction.atomic():
            subjects = pick_subjects()
            requests = page_requests(subjects)
            parameters = floor_parameters(subjects)
            by_user = clients(requests)
            baseline_url, baselines = measure_baselines(by_user, warmup, repeat)
            for name, (user, url) in requests.items():
                client = by_user[user.pk]
                log(f"page {name} : {url}")
                page = timed(lambda client=client, url=url: get(client, url), warmup, repeat)
                cold = {}
                if name in CACHED_PAGES:
                    # Each request after a change of the data: the figures worked out again.
                    def cold_get(client=client, url=url):
                        cache.clear()
                        get(client, url)

                    cold = timed(cold_get, min(warmup, 1), max(repeat // 3, 5))
                    cold["warm_queries"] = count_queries(client, url)[0]
                queries, slowest = count_queries(client, url, cold=name in CACHED_PAGES)

                def floor(sql=floors.FLOORS[name]):
                    with connection.cursor() as cursor:
                        cursor.execute(sql, parameters)
                        cursor.fetchall()

                floor_figures = timed(floor, warmup, repeat)
                plan = explain(slowest[0]["sql"]) if slowest else ""
                results[name] = {
                    "url": url,
                    "user": user.email,
                    "queries": queries,
                    **page,
                    "floor_median_ms": floor_figures["median_ms"],
                    "floor_p95_ms": floor_figures["p95_ms"],
                    "ratio": round(page["median_ms"] / floor_figures["median_ms"], 1)
                    if floor_figures["median_ms"]
                    else None,
                    "baseline_p95_ms": baselines[user.pk]["p95_ms"],
                    "budget_ratio": budget_ratio(page["p95_ms"], floor_figures["p95_ms"], baselines[user.pk]["p95_ms"]),
                    "slowest_queries": slowest,
                    "slowest_plan": plan,
                }
                if cold:
                    results[name].update(
                        cold_median_ms=cold["median_ms"], cold_p95_ms=cold["p95_ms"], warm_queries=cold["warm_queries"]
                    )
            described = {
                "facilitator": subjects["facilitator"].email,
                "facilitator_lots": subjects["facilitator_lots"],
                "reader": subjects["reader"].email,
                "lot_id": subjects["lot_id"],
                "lot_placements": subjects["lot_placements"],
                "employer_id": subjects["employer_id"],
                "month": subjects["month"].isoformat(),
                "month_people": subjects["month_people"],
                "baseline_url": baseline_url,
            }
            raise Rollback
    except Rollback:
        pass
    return results, described

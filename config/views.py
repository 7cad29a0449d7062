"""Project-wide views: the home page of each role and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clauses.progress import home_summary
from partners.models import Commune, Epci, Organisation, Sector
from partners.permissions import is_department_staff
from partners.roles import Role
from reporting import dashboard_views

from .celery import app as celery_app


def home(request):
    """The home page: what the user's role leads to. Facilitators land on their dashboard and
    department readers on the Département's."""
    if request.user.role == Role.FACILITATOR:
        return dashboard_views.facilitator_dashboard(request)
    if request.user.role == Role.DEPARTMENT_READER:
        return dashboard_views.department_dashboard(request)
    context = {
        "role": request.user.role,
        "organisations": request.user.organisations,
        "clauses": home_summary(request.user) if request.user.roles else None,
    }
    if is_department_staff(request.user):
        context["reference"] = {
            "communes": Commune.objects.count(),
            "epcis": Epci.objects.count(),
            "sectors": Sector.objects.count(),
            "organisations": Organisation.objects.count(),
        }
    return render(request, "home.html", context)


def _database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"status": "error", "error": str(exc)[:200]}
    return {"status": "ok", "vendor": connection.vendor}


def broker_state(url):
    if celery_app.conf.task_always_eager:
        return {"status": "eager"}
    try:
        with celery_app.connection_for_write(url) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001 - any failure means the broker is unreachable
        return {"status": "error", "error": str(exc)[:200]}
    return {"status": "ok"}


def workers_state(broker):
    if celery_app.conf.task_always_eager:
        return {"status": "eager"}
    if broker["status"] != "ok":
        return {"status": "unknown"}
    try:
        replies = celery_app.control.inspect(timeout=1).ping() or {}
    except Exception as exc:  # noqa: BLE001
        return {"status": "error", "error": str(exc)[:200]}
    return {"status": "ok" if replies else "none", "count": len(replies)}


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """State of the database, the broker and the workers; 200 whenever the database answers."""
    database = _database_state()
    broker = broker_state(celery_app.conf.broker_url)
    workers = workers_state(broker)
    healthy = database["status"] == "ok"
    payload = {"status": "ok" if healthy else "error", "database": database, "broker": broker, "workers": workers}
    return JsonResponse(payload, status=200 if healthy else 503)

"""The access matrix (tests/access_matrix.py) against the real answers, for every URL of the project.

The demo data is built once for the module (``seed_demo``, in a transaction rolled back at the end);
each request runs in a savepoint rolled back after it, so that a write never changes what the next
request sees. All mismatches are reported together.
"""

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import access_matrix
from tests.access_matrix import ADMIN_LOGIN, ADMIN_RULE, ANY_LOGIN, DONE, LOGIN, MATRIX, MOVED, OBJECTS, ROLES

# The test database is set up only for tests that ask for it: all of these do.
pytestmark = pytest.mark.django_db

DEMO_EMAILS = {
    "administrator": "admin@clausier.demo",
    "facilitator": "facilitatrice@clausier.demo",
    "department_reader": "lecteur@clausier.demo",
    "employer": "employeur@clausier.demo",
    "buyer": "acheteur@clausier.demo",
}


# The URL patterns of the project ---------------------------------------------------------------


def url_patterns(patterns=None, namespaces=(), prefix=""):
    """(URL name or None, route) of every pattern, through the includes."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            spaces = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from url_patterns(pattern.url_patterns, spaces, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = ":".join((*namespaces, pattern.name)) if pattern.name else None
            yield name, prefix + str(pattern.pattern)


def is_admin(name, route):
    return (name or "").startswith("admin:") or route.startswith("admin/")


def project_url_names():
    """URL names outside the admin, and the routes of patterns without a name."""
    names, unnamed = set(), []
    for name, route in url_patterns():
        if is_admin(name, route):
            continue
        if name is None:
            unnamed.append(route)
        else:
            names.add(name)
    return names, unnamed


def admin_url_names():
    """The admin's index and one list per application (its first model, alphabetically)."""
    first_of_app = {}
    for model in admin.site._registry:
        meta = model._meta
        key = (meta.app_label, meta.model_name)
        if meta.app_label not in first_of_app or key < first_of_app[meta.app_label]:
            first_of_app[meta.app_label] = key
    return ["admin:index"] + [f"admin:{app}_{model}_changelist" for app, model in sorted(first_of_app.values())]


# The demo data and what each address is opened on -----------------------------------------------


def find_objects():
    """URL parameters (and query) of each key of OBJECTS, from the demo data."""
    from clauses.models import InvoicedAmount, Lot, LotAward, Operation
    from compliance.models import OethPurchase, TihSupplier
    from partners.models import AwarenessAction, Contact, CoverageRule, Organisation
    from placements.models import Candidacy, DeclarationProof, JobOffer, MonthlyDeclaration, Placement
    from procurement.models import DecpImport, PublishedContract
    from reporting.models import Report
    from reporting.scope import Scope

    batir = Organisation.objects.get(name="Bâtir Bresse Construction")
    employer_query = f"employeur={batir.pk}"
    operation = Operation.objects.get(title="Reconstruction du collège de Châtillon-sur-Chalaronne")
    lot = Lot.objects.get(contract__operation=operation, number="1")
    offer = JobOffer.objects.get(lot=lot, position="Coffreur ou coffreuse bancheur")
    placement = Placement.objects.filter(lot=lot, employer=batir, candidacy__isnull=False).get()
    declaration = MonthlyDeclaration.objects.get(employer=batir, status=MonthlyDeclaration.Status.TO_CORRECT)
    month = {"year": declaration.month.year, "month": declaration.month.month}
    buyer_organisation = Organisation.objects.get(memberships__user__email="acheteur@clausier.demo")
    scope = Scope.load("buyer", buyer_organisation.pk)
    report = Report.objects.create(
        kind=Report.Kind.BUYER,
        period_start=date(date.today().year, 1, 1),
        period_end=date(date.today().year, 12, 31),
        scope_kind=scope.kind,
        scope_id=scope.pk,
        scope_label=scope.label,
        created_by=access_user("facilitator"),
        status=Report.Status.DONE,
        progress=100,
    )
    report.file.save(report.filename, ContentFile(b"%PDF-1.7 bilan de test"))
    published = PublishedContract.objects.create(
        uid="22010001000019CD01-DECP-001",
        decp_id="CD01-DECP-001",
        buyer_siret="22010001000019",
        buyer_name="Département de l'Ain",
        subject="Entretien des espaces verts des collèges",
        cpv_code="77310000-6",
        notification_date=date(date.today().year, 1, 15),
        duration_months=24,
        amount=Decimal("120000"),
        social_considerations="Clause sociale",
        has_social_consideration=True,
    )

    def pk(obj):
        return {"pk": obj.pk}, ""

    return {
        "reset_link": ({"uidb64": "MQ", "token": "lien-invalide"}, ""),
        "organisation_kind": ({"kind": "company"}, ""),
        "organisation": pk(batir),
        "contact": pk(Contact.objects.filter(organisation=batir).order_by("pk").first()),
        "csv_format": ({"fmt": "csv"}, ""),
        "coverage_rule": pk(
            CoverageRule.objects.get(facilitation_body__name="Maison de l'emploi du Bassin de Bourg-en-Bresse")
        ),
        "action": pk(AwarenessAction.objects.order_by("pk").first()),
        "operation": pk(operation),
        "contract": pk(lot.contract),
        "lot": pk(lot),
        "award": pk(LotAward.objects.get(lot=lot, company=batir)),
        "invoiced_amount": pk(
            InvoicedAmount.objects.filter(lot__contract__operation__title__startswith="Nettoyage").order_by("pk")[0]
        ),
        "offer_lot": ({"lot_pk": lot.pk}, ""),
        "offer": pk(offer),
        "candidacy": pk(Candidacy.objects.filter(offer=offer, status=Candidacy.Status.SENT).get()),
        "participant": pk(placement.participant),
        "placement": pk(placement),
        "follow_up": pk(placement.follow_ups.order_by("pk").first()),
        "outcome": pk(placement.outcomes.order_by("pk").first()),
        "employer": ({}, employer_query),
        "declaration_month": (month, employer_query),
        "declaration_month_csv": ({**month, "fmt": "csv"}, employer_query),
        "declaration": pk(declaration),
        "proof": pk(DeclarationProof.objects.filter(declaration=declaration).order_by("pk").first()),
        "people_export": ({"name": "mises-a-l-emploi", "fmt": "csv"}, f"year={date.today().year}"),
        "report": pk(report),
        "published_contract": pk(published),
        "decp_buyer": ({"siret": published.buyer_siret}, ""),
        "decp_export": ({"name": "par-acheteur", "fmt": "csv"}, ""),
        "decp_import": pk(DecpImport.objects.order_by("pk").first()),
        "open_dataset": ({"year": date.today().year - 1}, ""),
        "oeth_year": ({"year": date.today().year - 1}, ""),
        "oeth_purchase": pk(OethPurchase.objects.order_by("pk").first()),
        "tih": pk(TihSupplier.objects.order_by("pk").first()),
    }


def access_user(role):
    from partners.models import User

    if role == "no_role":
        return User.objects.get_or_create(email="sans-role@clausier.demo", defaults={"first_name": "Sans"})[0]
    return User.objects.get(email=DEMO_EMAILS[role])


def api_token(user):
    from api.models import ApiToken

    return ApiToken.issue(user, "Accès de test")


def is_api_call(url):
    """API calls authenticate by token (the documentation page is a page: the session)."""
    return url.startswith("/api/v1/") and not url.startswith(reverse("api:docs"))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data and the parameters of each address, for the whole module."""
    with (
        django_db_blocker.unblock(),
        override_settings(PRIVATE_STORAGE_ROOT=tmp_path_factory.mktemp("private")),
        transaction.atomic(),
    ):
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or Path(name).name.startswith("test_"), f"not a test database: {name}"
        call_command("seed_demo", stdout=StringIO())
        users = {role: access_user(role) for role in ROLES if role != "anonymous"}
        tokens = {role: api_token(user) for role, user in users.items()}
        objects = find_objects()
        objects["api_token"] = ({"pk": tokens["facilitator"][0].pk}, "")
        yield {"objects": objects, "users": users, "tokens": {role: secret for role, (_, secret) in tokens.items()}}
        transaction.set_rollback(True)


@pytest.fixture
def clients(demo):
    """One client per role, logged in for this test (sessions of a test are rolled back after it)."""
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role, user in demo["users"].items():
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)
    return {**demo, "clients": clients}


# Requests and comparison -------------------------------------------------------------------------


def ask(world, role, method, url):
    """The answer to one request, in a savepoint rolled back after it; logs the client in again if the
    request logged it out."""
    client = world["clients"][role]
    extra = {}
    if is_api_call(url) and role != "anonymous":
        extra["HTTP_AUTHORIZATION"] = f"Bearer {world['tokens'][role]}"
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, **extra)
        elif is_api_call(url):
            response = client.post(url, {}, content_type="application/json", **extra)
        else:
            response = client.post(url, {})
        transaction.set_rollback(True)
    if role != "anonymous" and "_auth_user_id" not in client.session:
        client.force_login(world["users"][role])
    return response


def outcome(response):
    """What the answer is, in the words of the matrix."""
    status = response.status_code
    if status in (301, 302):
        location = response.headers.get("Location", "")
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location.startswith(reverse("login")):
            return LOGIN
        return MOVED
    return status


def matches(expected, got):
    if expected == ANY_LOGIN:
        return got in (LOGIN, ADMIN_LOGIN)
    if expected == DONE:
        return got not in (403, 404, 405, LOGIN, ADMIN_LOGIN) and not (isinstance(got, int) and got >= 500)
    return expected == got


def describe(response, got):
    text = str(got)
    if got in (MOVED, LOGIN, ADMIN_LOGIN):
        text += f" (→ {response.headers.get('Location', '')})"
    exc_info = getattr(response, "exc_info", None)
    if exc_info:
        text += f" ({exc_info[0].__name__}: {exc_info[1]})"
    return text


def check(world, name, access, mismatches):
    kwargs, query = world["objects"][access.on] if access.on else ({}, "")
    try:
        url = reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")
    except Exception as exc:  # noqa: BLE001 - any failure to build the address is reported with the others
        mismatches.append(f"{name}: cannot build the address from {access.on!r}: {exc}")
        return
    for method in ("GET", "POST"):
        expected = access.expected(method)
        if expected is None:
            continue
        for role in ROLES:
            response = ask(world, role, method, url)
            got = outcome(response)
            if not matches(expected[role], got):
                mismatches.append(
                    f"{name:45} {method:4} {role:18} expected {expected[role]!s:6} got {describe(response, got)}"
                )


def test_every_url_name_has_an_entry_in_the_matrix():
    names, unnamed = project_url_names()
    missing = sorted(names - set(MATRIX))
    stale = sorted(set(MATRIX) - names)
    assert not unnamed, f"URL patterns without a name (give them one and an entry in the matrix): {unnamed}"
    assert not missing, (
        "URL names without an entry in tests/access_matrix.py (add one per design.md, Roles):\n  "
        + "\n  ".join(missing)
    )
    assert not stale, f"Entries of tests/access_matrix.py for URL names that no longer exist: {stale}"


def test_the_matrix_is_well_formed():
    problems = []
    for name, access in MATRIX.items():
        if access.on is not None and access.on not in OBJECTS:
            problems.append(f"{name}: object {access.on!r} is not described in OBJECTS")
        for method, row in (("GET", access.get), ("POST", access.post)):
            if row is not None and len(row) != len(ROLES):
                problems.append(f"{name} {method}: {len(row)} answers for {len(ROLES)} roles")
    assert not problems, "\n".join(problems)


def test_every_url_answers_each_role_as_the_matrix_says(clients):
    mismatches = []
    names, _ = project_url_names()
    for name in sorted(names & set(MATRIX)):
        check(clients, name, MATRIX[name], mismatches)
    admin_rule = access_matrix.Access(None, get=ADMIN_RULE)
    for name in admin_url_names():
        check(clients, name, admin_rule, mismatches)
    assert not mismatches, f"{len(mismatches)} answers differ from tests/access_matrix.py:\n" + "\n".join(mismatches)


def test_readers_and_buyers_never_get_a_person_or_a_proof_file(clients):
    """Personal data: every participant's page and record, and every proof file of the demo, is a 404 for them."""
    from placements.models import DeclarationProof, Participant

    people = Participant.objects.values_list("pk", flat=True)
    urls = [reverse("placements:participant_detail", args=[pk]) for pk in people]
    urls += [reverse("placements:participant_record", args=[pk]) for pk in people]
    urls += [
        reverse("placements:proof_download", args=[pk]) for pk in DeclarationProof.objects.values_list("pk", flat=True)
    ]
    assert len(urls) > 10
    leaks = []
    for role in ("department_reader", "buyer"):
        for url in urls:
            status = ask(clients, role, "GET", url).status_code
            if status != 404:
                leaks.append(f"{role} {url}: {status}")
    assert not leaks, "Personal data shown to readers or buyers:\n" + "\n".join(leaks)

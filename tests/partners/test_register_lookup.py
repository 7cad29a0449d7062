"""The SIRET lookup in the Sirene register (API Recherche d'entreprises) against a local stand-in
server answering like the service: found, closed, ceased, unknown, a 429, a failure, a timeout,
a malformed answer; the form's fragment per role; the weekly check; the dashboard's flag."""

import datetime
import socket
from decimal import Decimal

import pytest
from django.urls import reverse
from werkzeug import Response

from clauses.models import LotAward
from partners import register_checks
from partners.identifiers import build_siren, build_siret
from partners.models import Commune, Organisation
from partners.register_client import RegisterClient, RegisterUnavailable
from partners.register_records import MalformedAnswer, entry_from_answer
from reporting import digest_closed_holders
from tests.clauses.factories import LotFactory
from tests.partners.factories import OrganisationFactory

SIREN = build_siren("41234567")
SIRET = build_siret(SIREN, "0001")
OTHER_SIRET = build_siret(SIREN, "0002")


def result(siret=SIRET, company_state="A", state="A", closed=None, **extra):
    establishment = {
        "siret": siret,
        "adresse": "12 RUE DES ARTISANS 01000 BOURG-EN-BRESSE",
        "code_postal": "01000",
        "commune": "01053",
        "libelle_commune": "BOURG-EN-BRESSE",
        "etat_administratif": state,
        "date_fermeture": closed,
        "latitude": "46.2051",
        "longitude": "5.2255",
        "activite_principale": "43.22A",
        "est_siege": True,
    }
    return {
        "siren": siret[:9],
        "nom_complet": "BRESSE ENERGIES BATIMENT",
        "nature_juridique": "5710",
        "activite_principale": "43.22A",
        "etat_administratif": company_state,
        "date_fermeture": closed if company_state == "C" else None,
        "tranche_effectif_salarie": "12",
        "siege": establishment,
        "matching_etablissements": [establishment],
        "complements": {"est_ess": True, "est_siae": False},
        **extra,
    }


def answer(*results):
    return {"results": list(results), "total_results": len(results), "page": 1, "per_page": 5, "total_pages": 1}


@pytest.fixture
def register(httpserver, settings):
    settings.CLAUSIER = {**settings.CLAUSIER, "SIRENE_API_URL": httpserver.url_for(""), "SIRENE_API_BACKOFF_SECONDS": 0}
    return httpserver


def test_an_establishment_is_read_from_the_answer():
    entry = entry_from_answer(answer(result()), SIRET)
    assert (entry.name, entry.address, entry.postal_code, entry.insee_code) == (
        "BRESSE ENERGIES BATIMENT",
        "12 RUE DES ARTISANS",
        "01000",
        "01053",
    )
    assert (entry.naf_code, entry.legal_form_label, entry.size_band) == ("4322A", "SAS", "10-49")
    assert (entry.is_ess, entry.is_siae, entry.status, entry.closed_on) == (True, False, "active", None)
    assert (entry.latitude, entry.longitude) == (Decimal("46.20510"), Decimal("5.22550"))


@pytest.mark.parametrize(
    ("company_state", "state", "status"),
    [("A", "F", "closed_establishment"), ("C", "F", "ceased_company"), ("C", "A", "ceased_company")],
)
def test_a_closed_establishment_or_a_ceased_company_is_told_with_its_date(company_state, state, status):
    entry = entry_from_answer(answer(result(company_state=company_state, state=state, closed="2026-09-30")), SIRET)
    assert (entry.status, entry.closed_on, entry.is_closed) == (status, datetime.date(2026, 9, 30), True)


def test_a_siret_the_register_does_not_know_is_none_and_a_malformed_answer_is_refused():
    assert entry_from_answer(answer(result(siret=OTHER_SIRET)), SIRET) is None
    assert entry_from_answer(answer(), SIRET) is None
    with pytest.raises(MalformedAnswer):
        entry_from_answer({"erreur": "x"}, SIRET)


def test_the_client_asks_by_siret_and_waits_as_a_429_says(register):
    register.expect_ordered_request(
        "/search", query_string={"q": SIRET, "page": "1", "per_page": "5"}
    ).respond_with_response(Response("slow down", status=429, headers={"Retry-After": "2"}))
    register.expect_ordered_request("/search").respond_with_json(answer(result()))
    waits = []
    with RegisterClient(register.url_for(""), attempts=3, sleep=waits.append, min_interval=0) as client:
        entry = client.find(SIRET)
    assert entry.siret == SIRET and waits == [2.0]


def test_a_failing_service_gives_a_message_after_its_attempts(register):
    register.expect_request("/search").respond_with_response(Response("down", status=502))
    client = RegisterClient(register.url_for(""), attempts=2, sleep=lambda _: None)
    with client, pytest.raises(RegisterUnavailable, match=r"en erreur \(502\), après 2 essais. Saisissez"):
        client.find(SIRET)


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_an_unreachable_service_is_a_message_not_an_error_and_is_not_cached(settings):
    settings.CLAUSIER = {**settings.CLAUSIER, "SIRENE_API_URL": f"http://127.0.0.1:{closed_port()}"}
    lookup = register_checks.look_up(SIRET)
    assert lookup.entry is None and "injoignable, après 1 essai" in lookup.error
    assert register_checks.cached_entry(SIRET) is None


@pytest.mark.django_db
def test_a_slow_service_does_not_hold_the_page(register):
    def slow(request):
        import time

        time.sleep(2.5)
        return Response("{}", content_type="application/json")

    register.expect_request("/search").respond_with_handler(slow)
    lookup = register_checks.look_up(SIRET)
    assert "n'a pas répondu à temps" in lookup.error


def lookup_url(kind="company"):
    return reverse("partners:siret_lookup", args=[kind])


@pytest.mark.django_db
def test_typing_a_siret_shows_the_register_and_fills_the_empty_fields(client, facilitator, register):
    register.expect_request("/search").respond_with_json(answer(result()))
    client.force_login(facilitator)
    html = client.get(lookup_url(), {"siret": SIRET, "name": "", "address": "", "naf_code": "4399C"}).content.decode()
    assert "Au répertoire Sirene : BRESSE ENERGIES BATIMENT" in html and "En activité" in html and "ESS" in html
    assert 'id="id_name"' in html and 'value="BRESSE ENERGIES BATIMENT"' in html and 'hx-swap-oob="true"' in html
    bourg = Commune.objects.get(insee_code="01053")
    assert f'<option value="{bourg.pk}" selected>' in html
    assert 'id="id_naf_code"' not in html  # typed by the user: kept


@pytest.mark.django_db
def test_the_saved_organisation_records_what_the_register_said(client, facilitator, register):
    register.expect_request("/search").respond_with_json(
        answer(result(state="F", closed="2026-11-02", complements={"est_siae": True, "est_ess": False}))
    )
    client.force_login(facilitator)
    html = client.get(lookup_url(), {"siret": SIRET}).content.decode()
    assert "Établissement fermé le 02/11/2026" in html
    response = client.post(
        reverse("partners:organisation_create", args=["company"]),
        {"name": "Bresse Énergies Bâtiment", "siret": SIRET, "naf_code": "", "address": "", "commune": ""},
    )
    assert response.status_code == 302
    company = Organisation.objects.get(siret=SIRET)
    assert (company.register_status, company.closed_on, company.is_siae, company.legal_form) == (
        "closed_establishment",
        datetime.date(2026, 11, 2),
        True,
        "5710",
    )
    assert company.commune.insee_code == "01053" and company.naf_code == "4322A"
    assert company.register_checked_at is not None
    assert len(register.log) == 1  # the save read the answer the form already had


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("siret", "shown"),
    [
        (SIRET[:-1] + str((int(SIRET[-1]) + 1) % 10), "la clé de contrôle ne correspond pas"),
        (SIRET[:13], ""),
    ],
)
def test_a_bad_siret_is_told_without_asking_the_register(client, facilitator, register, siret, shown):
    client.force_login(facilitator)
    html = client.get(lookup_url(), {"siret": siret}).content.decode()
    assert (shown in html) if shown else html == ""
    assert register.log == []


@pytest.mark.django_db
def test_an_unknown_siret_and_a_siret_already_in_the_directory_are_told(client, facilitator, register):
    register.expect_request("/search").respond_with_json(answer())
    client.force_login(facilitator)
    assert "Aucun établissement n'a le SIRET" in client.get(lookup_url(), {"siret": SIRET}).content.decode()
    existing = OrganisationFactory(kind=Organisation.Kind.COMPANY, siret=OTHER_SIRET, name="Déjà là")
    register.clear()
    register.expect_request("/search").respond_with_json(answer(result(siret=OTHER_SIRET)))
    html = client.get(lookup_url(), {"siret": OTHER_SIRET}).content.decode()
    assert "déjà celui de" in html and "Déjà là" in html and "hx-swap-oob" not in html
    editing = client.get(lookup_url(), {"siret": OTHER_SIRET, "organisation": existing.pk}).content.decode()
    assert "déjà celui de" not in editing


@pytest.mark.django_db
def test_the_form_stays_usable_when_the_register_is_down(client, facilitator, settings):
    settings.CLAUSIER = {**settings.CLAUSIER, "SIRENE_API_URL": f"http://127.0.0.1:{closed_port()}"}
    client.force_login(facilitator)
    html = client.get(lookup_url(), {"siret": SIRET}).content.decode()
    assert "Saisissez les informations à la main" in html
    response = client.post(
        reverse("partners:organisation_create", args=["company"]), {"name": "À la main", "siret": SIRET}
    )
    assert response.status_code == 302 and Organisation.objects.get(siret=SIRET).register_checked_at is None


@pytest.mark.django_db
def test_only_directory_users_may_look_up(client, users_by_role, register):
    for role, user in users_by_role.items():
        client.force_login(user)
        status = client.get(lookup_url(), {"siret": SIRET[:5]}).status_code
        assert status == (200 if role in ("facilitator", "administrator") else 404), role
    assert client.get(lookup_url(kind="department"), {"siret": SIRET}).status_code == 404


@pytest.mark.django_db
def test_the_weekly_check_flags_a_holder_that_closed_and_the_dashboard_lists_it(register, facilitator):
    lot = LotFactory()
    company = OrganisationFactory(kind=Organisation.Kind.COMPANY, siret=SIRET, register_status="active")
    LotAward.objects.create(lot=lot, company=company, role=LotAward.Role.HOLDER)
    unknown = OrganisationFactory(kind=Organisation.Kind.COMPANY, siret=OTHER_SIRET)
    register.expect_request("/search", query_string={"q": SIRET, "page": "1", "per_page": "5"}).respond_with_json(
        answer(result(state="F", closed="2027-03-01"))
    )
    register.expect_request("/search", query_string={"q": OTHER_SIRET, "page": "1", "per_page": "5"}).respond_with_json(
        answer()
    )
    summary = register_checks.check_organisations(register_checks.due_for_check())
    assert (summary.checked, summary.newly_closed, summary.unknown) == (2, 1, 1)
    company.refresh_from_db()
    unknown.refresh_from_db()
    assert (company.register_status, company.closed_on) == ("closed_establishment", datetime.date(2027, 3, 1))
    assert unknown.register_checked_at is not None and unknown.register_status == ""
    items = digest_closed_holders.closed_holders(facilitator, lot.start_date)
    assert [item["url"] for item in items] == [reverse("clauses:lot_detail", args=[lot.pk])]
    assert "établissement fermé le 01/03/2027" in items[0]["detail"]


@pytest.mark.django_db
def test_the_weekly_check_stops_when_the_service_fails_and_writes_nothing_more(register):
    first = OrganisationFactory(kind=Organisation.Kind.COMPANY, siret=SIRET)
    OrganisationFactory(kind=Organisation.Kind.COMPANY, siret=OTHER_SIRET)
    register.expect_request("/search").respond_with_response(Response("down", status=503))
    summary = register_checks.check_organisations(
        register_checks.due_for_check(), client_factory=lambda: RegisterClient(attempts=2, sleep=lambda _: None)
    )
    assert (summary.checked, summary.failed) == (0, 2) and "non vérifiés" in str(summary)
    first.refresh_from_db()
    assert first.register_checked_at is None


@pytest.mark.django_db
def test_the_dashboard_kept_ready_shows_a_holder_closed_since(
    client, register, facilitator, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    running = timezone.localdate()
    lot = LotFactory(
        contract__start_date=running.replace(day=1),
        contract__end_date=running.replace(year=running.year + 1, day=1),
    )
    company = OrganisationFactory(kind=Organisation.Kind.COMPANY, siret=SIRET, name="Bresse Énergies")
    LotAward.objects.create(lot=lot, company=company, role=LotAward.Role.HOLDER)
    client.force_login(facilitator)
    assert "Bresse Énergies (titulaire)" not in client.get(reverse("home")).content.decode()
    register.expect_request("/search").respond_with_json(answer(result(company_state="C", closed="2027-02-28")))
    with django_capture_on_commit_callbacks(execute=True):
        register_checks.check_organisations(register_checks.due_for_check())
    html = client.get(reverse("home")).content.decode()
    assert "Bresse Énergies (titulaire)" in html and "entreprise cessée le 28/02/2027" in html


@pytest.mark.django_db
def test_imported_organisations_are_checked_by_the_worker_never_inside_the_page(
    settings, django_capture_on_commit_callbacks
):
    from partners.tasks import schedule_register_check

    settings.CELERY_TASK_ALWAYS_EAGER = True  # no worker (make run): left to the weekly check
    with django_capture_on_commit_callbacks() as callbacks:
        assert schedule_register_check([1, 2]) is False
    assert callbacks == []
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert schedule_register_check([1, None, 2]) is True
        assert schedule_register_check([]) is False
    assert len(callbacks) == 1

"""Sourcing for a lot, against a local stand-in of les emplois de l'inclusion (pytest-httpserver)
answering like the service (``{"count", "next", "previous", "results"}``, results as its serializer
writes them): paging, a 429, a slow service, an unreachable one, a result that cannot be read;
who may see the panel and import; the import de-duplicated by SIRET; a bounded number of queries."""

import html
import io
import socket
import threading
import time
from decimal import Decimal

import pytest
from django.urls import reverse
from werkzeug import Response

from clauses import sourcing
from clauses.models import Clause
from partners.emplois_client import EmploisClient, parse_structure
from partners.identifiers import build_siren, build_siret
from partners.models import Commune, Organisation
from partners.roles import Role
from tests.clauses.factories import ClauseFactory, LotFactory
from tests.partners.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db

SIAES = "/api/v1/siaes/"
# Town centres (approximate) of the communes of these tests.
BOURG = ("01053", Decimal("46.20520"), Decimal("5.22550"))
AMBERIEU = ("01004", Decimal("45.95830"), Decimal("5.35970"))
OYONNAX = ("01283", Decimal("46.25610"), Decimal("5.65560"))


def siret(n):
    return build_siret(build_siren(f"{n + 50000000:08d}"), "0001")


def siae(n, kind="EI", name=None, postal_code="01000", town="BOURG EN BRESSE", posts=None):
    """One result as les emplois' serializer writes it."""
    return {
        "cree_le": "2021-05-04T10:00:00+02:00",
        "mis_a_jour_le": "2026-11-02T09:30:00+01:00",
        "siret": siret(n),
        "type": kind,
        "raison_sociale": name or f"STRUCTURE {n}",
        "enseigne": name or f"Structure {n}",
        "site_web": "",
        "description": "",
        "bloque_candidatures": False,
        "addresse_ligne_1": f"{n} rue de la République",
        "addresse_ligne_2": "",
        "code_postal": postal_code,
        "ville": town,
        "departement": "01",
        "postes": posts
        if posts is not None
        else [
            {"id": 1, "rome": "Maçon / Maçonne (F1703)", "recrutement_ouvert": "True", "appellation_modifiee": ""},
            {"id": 2, "rome": "Agent / Agente de propreté (K2204)", "recrutement_ouvert": "True"},
        ],
    }


def page(results, following=None):
    return {"count": len(results), "next": following, "previous": None, "results": results}


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def places(db):
    for insee, lat, lon in (BOURG, AMBERIEU, OYONNAX):
        Commune.objects.filter(insee_code=insee).update(latitude=lat, longitude=lon)
    return {insee: Commune.objects.get(insee_code=insee) for insee, _, _ in (BOURG, AMBERIEU, OYONNAX)}


@pytest.fixture
def lot(places):
    """A masonry lot of an operation in Bourg-en-Bresse, followed by the Département."""
    from clauses.models import Trade

    clause = ClauseFactory(lot=LotFactory(trade=Trade.objects.get(name="Gros œuvre, maçonnerie")))
    return clause.lot


@pytest.fixture
def emplois(httpserver, settings):
    settings.CLAUSIER = {**settings.CLAUSIER, "EMPLOIS_API_URL": httpserver.url_for("/api/v1")}
    return httpserver


def structure(name, kind, commune, **fields):
    return OrganisationFactory(
        name=name, kind=Organisation.Kind.INCLUSION_STRUCTURE, structure_kind=kind, commune=commune, **fields
    )


def fragment(client, lot, **params):
    return client.get(reverse("clauses:lot_sourcing", args=[lot.pk]), params, HTTP_HX_REQUEST="true")


def text(response):
    """The answer's text with its white space folded, as a reader sees it."""
    return " ".join(html.unescape(response.content.decode()).split())


def import_(client, lot, siret_value, radius=30):
    return client.post(
        reverse("clauses:lot_sourcing_import", args=[lot.pk]),
        {"siret": siret_value, "rayon": radius},
        HTTP_HX_REQUEST="true",
    )


# What les emplois answers ---------------------------------------------------------------------


def test_pages_are_followed_and_the_radius_is_asked_for(emplois):
    emplois.expect_ordered_request(
        SIAES, query_string={"code_insee": "01053", "distance_max_km": "30"}
    ).respond_with_json(
        page([siae(1)], following=emplois.url_for(SIAES) + "?code_insee=01053&distance_max_km=30&page=2")
    )
    emplois.expect_ordered_request(SIAES, query_string="code_insee=01053&distance_max_km=30&page=2").respond_with_json(
        page([siae(2, kind="ESAT")])
    )
    with EmploisClient(emplois.url_for("/api/v1")) as client:
        answer = client.siaes_around("01053", 30)
    assert [s.siret for s in answer.structures] == [siret(1), siret(2)] and answer.complete
    assert answer.structures[0].posts[0].rome == "F1703" and answer.structures[0].posts[0].is_open
    emplois.check_assertions()


def test_a_result_that_cannot_be_read_is_skipped_and_counted():
    assert parse_structure("not a structure") is None
    assert parse_structure({**siae(1), "siret": "123"}) is None
    assert parse_structure({**siae(1), "type": "OPCS"}) is None  # not an inclusion structure of Clausier
    assert parse_structure({**siae(1), "enseigne": "", "raison_sociale": ""}) is None
    assert parse_structure({**siae(1), "postes": "none"}).posts == ()


def test_the_panel_lists_both_sources_with_distances_posts_of_the_trade_and_advice(
    client, facilitator, lot, places, emplois
):
    structure("Tremplin Bresse", "ACI", places["01053"], siret=siret(1))  # also on les emplois: one row
    structure("Ain Intérim Insertion", "ETTI", places["01004"])  # 29 km from Bourg
    structure("Atelier Bugey Adapté", "EA", places["01283"])  # 34 km: outside the radius
    emplois.expect_request(SIAES).respond_with_json(
        page(
            [
                siae(1, kind="ACI"),
                siae(2, kind="EI", name="Bresse Insertion"),
                siae(3, kind="AI", town="Lyon", postal_code="69001"),
            ]
        )
    )
    client.force_login(facilitator)
    response = fragment(client, lot)
    assert response.status_code == 200
    rows = response.context["sourcing"].rows
    assert [row.name for row in rows] == ["Bresse Insertion", "Tremplin Bresse", "Ain Intérim Insertion", "Structure 3"]
    tremplin, ain_interim = rows[1], rows[2]
    assert tremplin.in_directory and tremplin.distance_km == 0.0
    assert [post.rome for post in tremplin.posts] == ["F1703"] and tremplin.other_posts == 1
    assert 28 < ain_interim.distance_km <= 30 and not ain_interim.emplois
    assert rows[3].distance_km is None and not rows[3].in_directory  # Lyon: not a commune of Ain
    body = text(response)
    assert "Maçon / Maçonne" in body and "(F1703)" in body and "Agent / Agente de propreté" not in body
    assert "Ajouter à l'annuaire" in body and "Dans l'annuaire" in body
    assert "4 SIAE à moins de 30 km" in body and "L2113-13" in body
    assert "Atelier Bugey Adapté" not in body
    response = fragment(client, lot, rayon="50")
    assert "Atelier Bugey Adapté" in text(response)


def test_without_a_rome_mapping_every_open_post_is_shown(client, facilitator, lot, emplois):
    lot.trade, lot.sector = None, "services"
    lot.save()
    emplois.expect_request(SIAES).respond_with_json(page([siae(1)]))
    client.force_login(facilitator)
    (row,) = fragment(client, lot).context["sourcing"].rows
    assert [post.rome for post in row.posts] == ["F1703", "K2204"] and row.other_posts == 0


def test_a_reserved_lot_gets_no_advice(client, facilitator, lot, emplois):
    Clause.objects.filter(lot=lot).update(legal_basis=Clause.LegalBasis.RESERVED_SIAE)
    emplois.expect_request(SIAES).respond_with_json(page([siae(1), siae(2), siae(3)]))
    client.force_login(facilitator)
    response = fragment(client, lot)
    assert len(response.context["sourcing"].rows) == 3 and response.context["sourcing"].advice == []


def test_an_unreadable_result_is_counted_on_the_panel(client, facilitator, lot, emplois):
    emplois.expect_request(SIAES).respond_with_json(page([siae(1), {"siret": "oops"}, "x"]))
    client.force_login(facilitator)
    body = text(fragment(client, lot))
    assert "2 structures de la réponse des emplois de l'inclusion n'ont pas pu être lues" in body


# When les emplois cannot be read ----------------------------------------------------------------


def test_a_429_is_not_retried_and_the_directory_is_still_listed(client, facilitator, lot, places, emplois):
    structure("Tremplin Bresse", "ACI", places["01053"])
    emplois.expect_request(SIAES).respond_with_response(
        Response("Too Many Requests", status=429, headers={"Retry-After": "30"})
    )
    client.force_login(facilitator)
    started = time.monotonic()
    response = fragment(client, lot)
    assert time.monotonic() - started < 2
    body = text(response)
    assert "Tremplin Bresse" in body
    assert "Les emplois de l'inclusion n'ont pas pu être consultés" in body and "(429), après 1 essai" in body
    assert len(emplois.log) == 1


def test_an_unreachable_service_gives_a_clear_notice(client, facilitator, lot, places, settings):
    settings.CLAUSIER = {**settings.CLAUSIER, "EMPLOIS_API_URL": f"http://127.0.0.1:{closed_port()}/api/v1"}
    structure("Tremplin Bresse", "ACI", places["01053"])
    client.force_login(facilitator)
    body = text(fragment(client, lot))
    assert "Tremplin Bresse" in body and "le service est injoignable, après 1 essai" in body


def test_a_slow_service_never_holds_the_fragment_more_than_two_seconds(client, facilitator, lot, emplois):
    released = threading.Event()

    def slow(request):
        released.wait(5)
        return Response("{}", content_type="application/json")

    emplois.expect_request(SIAES).respond_with_handler(slow)
    client.force_login(facilitator)
    started = time.monotonic()
    body = text(fragment(client, lot))
    assert time.monotonic() - started < 2
    assert "n'a pas répondu à temps" in body
    released.set()  # the stand-in answers now, before the next test uses it
    while not emplois.log and time.monotonic() - started < 5:
        time.sleep(0.05)


def test_the_answer_is_kept_an_hour_per_commune_and_radius(client, facilitator, lot, emplois):
    emplois.expect_request(SIAES).respond_with_json(page([siae(1)]))
    client.force_login(facilitator)
    fragment(client, lot)
    fragment(client, lot)
    assert len(emplois.log) == 1
    fragment(client, lot, rayon="50")
    assert len(emplois.log) == 2
    assert sourcing.CACHE_SECONDS == 3600


# Who may see and import ----------------------------------------------------------------------------


def test_the_lot_page_renders_at_once_and_loads_the_panel_by_htmx(client, facilitator, lot):
    client.force_login(facilitator)
    body = text(client.get(reverse("clauses:lot_detail", args=[lot.pk])))
    url = reverse("clauses:lot_sourcing", args=[lot.pk])
    assert f'hx-get="{url}"' in body and 'hx-trigger="load"' in body


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.BUYER])
def test_other_roles_get_404_on_the_fragment_and_the_import(client, lot, emplois, role):
    client.force_login(user_with_role(role))
    assert fragment(client, lot).status_code == 404
    assert import_(client, lot, siret(1)).status_code == 404
    assert len(emplois.log) == 0


def test_the_holder_employer_sees_the_lot_but_not_its_sourcing(client, lot, emplois):
    from clauses.models import LotAward

    company = OrganisationFactory()
    LotAward.objects.create(lot=lot, company=company)
    client.force_login(user_with_role(Role.EMPLOYER, organisation=company))
    body = text(client.get(reverse("clauses:lot_detail", args=[lot.pk])))
    assert "structures-proches" not in body
    assert fragment(client, lot).status_code == 404


def test_a_facilitator_of_another_body_gets_404(client, lot, emplois):
    body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY)
    client.force_login(user_with_role(Role.FACILITATOR, organisation=body))
    assert fragment(client, lot).status_code == 404
    assert import_(client, lot, siret(1)).status_code == 404


def test_a_department_reader_sees_the_panel_read_only(client, department_reader, lot, emplois):
    emplois.expect_request(SIAES).respond_with_json(page([siae(1)]))
    client.force_login(department_reader)
    response = fragment(client, lot)
    assert response.status_code == 200 and "Structure 1" in text(response)
    assert "Ajouter à l'annuaire" not in text(response)
    assert import_(client, lot, siret(1)).status_code == 403
    assert not Organisation.objects.filter(siret=siret(1)).exists()


def test_the_import_creates_the_structure_once_and_links_an_existing_siret(client, facilitator, lot, places, emplois):
    existing = OrganisationFactory(name="Bresse Emploi (déjà connue)", kind=Organisation.Kind.COMPANY, siret=siret(2))
    emplois.expect_request(SIAES).respond_with_json(page([siae(1, kind="EI", name="Bresse Insertion"), siae(2)]))
    client.force_login(facilitator)
    response = import_(client, lot, siret(1))
    assert response.status_code == 200 and "« Bresse Insertion » est ajoutée à l'annuaire" in text(response)
    created = Organisation.objects.get(siret=siret(1))
    assert (created.kind, created.structure_kind, created.commune) == ("inclusion_structure", "EI", places["01053"])
    assert "Dans l'annuaire" in text(response)
    count = Organisation.objects.count()
    assert "était déjà dans l'annuaire" in text(import_(client, lot, siret(1)))
    assert "était déjà dans l'annuaire" in text(import_(client, lot, siret(2)))
    assert Organisation.objects.count() == count
    assert Organisation.objects.get(siret=siret(2)) == existing
    assert len(emplois.log) == 1  # the import reads the answer kept in the cache


def test_an_import_of_a_structure_les_emplois_no_longer_lists(client, facilitator, lot, emplois):
    emplois.expect_request(SIAES).respond_with_json(page([siae(1)]))
    client.force_login(facilitator)
    response = client.post(reverse("clauses:lot_sourcing_import", args=[lot.pk]), {"siret": siret(9)})
    assert response.status_code == 302
    assert not Organisation.objects.filter(siret=siret(9)).exists()


# Bounded queries ---------------------------------------------------------------------------------


def _queries_for(client, lot, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        assert fragment(client, lot).status_code == 200


@pytest.mark.parametrize("how_many", [3, 40])
def test_the_fragment_reads_a_fixed_number_of_queries(
    client, facilitator, lot, places, emplois, how_many, django_assert_num_queries
):
    for n in range(how_many):
        structure(f"Structure de l'annuaire {n}", "ACI" if n % 2 else "ESAT", places["01053"], siret=siret(100 + n))
    results = [siae(100 + n) for n in range(how_many // 2)] + [
        siae(500 + n, town="Ambérieu-en-Bugey", postal_code="01500") for n in range(how_many)
    ]
    emplois.expect_request(SIAES).respond_with_json(page(results))
    client.force_login(facilitator)
    # session, user, memberships, lot, directory structures, organisations by SIRET, communes
    _queries_for(client, lot, django_assert_num_queries, 7)


# The demo -------------------------------------------------------------------------------------------


def test_the_demo_lot_shows_distances_and_advice_even_without_les_emplois(client):
    from django.core.management import call_command

    from clauses.models import Lot

    call_command("seed_demo", stdout=io.StringIO())
    lot = Lot.objects.get(contract__reference="CD01-2025-017", number="1")
    client.force_login(Organisation.objects.department().get().memberships.get(role=Role.FACILITATOR).user)
    result = fragment(client, lot).context["sourcing"]
    assert result.notice  # the tests never reach the real service
    assert all(row.distance_km is not None and row.distance_km <= 30 for row in result.rows)
    assert {advice.legal_basis for advice in result.advice} == {"reserved_siae", "reserved_disability"}

"""The refresh of the communes and EPCI from geo.api.gouv.fr, against a local stand-in of the service
(pytest-httpserver) answering like it: one JSON array per list, built here from the reference files
of ``partners/data/`` with a centre for each commune; a 429 with Retry-After, a 503 then success, a
service that cannot be reached; a malformed item; an empty answer refused; a commune that merged
into a commune nouvelle and keeps what points at it; a second run that changes nothing."""

import json
import socket
import time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from werkzeug import Response

from clauses.forms import OperationForm
from partners import geography_refresh, reference
from partners.directory_forms import organisation_form_class
from partners.geo_client import COMMUNE_FIELDS, EPCI_FIELDS, GeoClient, GeoUnavailable
from partners.geography_refresh import RefreshRefused
from partners.models import Commune, Epci, Organisation
from partners.tasks import refresh_geography
from placements.participant_forms import ParticipantForm
from procurement import review_services
from procurement.review_forms import AcceptForm
from tests.clauses.factories import OperationFactory
from tests.clock import suite_today
from tests.partners.factories import OrganisationFactory
from tests.procurement.factories import PublishedContractFactory

MERGED = "01001"  # L'Abergement-Clémenciat
NOUVELLE = "01093"  # Châtillon-sur-Chalaronne, same EPCI (CC de la Dombes)


def commune_items():
    """``/communes?codeDepartement=01&fields=…`` as geo.api.gouv.fr answers it."""
    items = []
    for position, row in enumerate(reference.read_rows(reference.COMMUNES_FILE)):
        items.append(
            {
                "nom": row["nom"],
                "code": row["code_insee"],
                "codeEpci": row["siren_epci"],
                "codesPostaux": row["codes_postaux"].split(),
                "population": int(row["population"]),
                "siren": row["siren_commune"],
                "centre": {"type": "Point", "coordinates": [5.0 + position / 1000, 46.0 + position / 2000]},
            }
        )
    return items


def epci_items():
    """``/epcis?codeDepartement=01&fields=nom,code,type,codesDepartements,population``."""
    return [
        {
            "nom": row["nom"],
            "code": row["siren"],
            "type": row["type"],
            "codesDepartements": row["departements"].split("/"),
            "population": int(row["population_municipale_totale"]),
        }
        for row in reference.read_rows(reference.EPCI_FILE)
    ]


def delegated_items():
    """``/communes_associees_deleguees?codeDepartement=01&fields=nom,code,chefLieu,type``."""
    return [
        {"nom": "Chalamont", "code": "01074", "chefLieu": "01074", "type": "commune-deleguee"},
    ]


def merger():
    """The answers of the year when L'Abergement-Clémenciat merged into Châtillon-sur-Chalaronne."""
    communes = [item for item in commune_items() if item["code"] != MERGED]
    for item in communes:
        if item["code"] == NOUVELLE:
            item["nom"] = "Châtillon-Clémenciat"
            item["population"] += 860
            item["codesPostaux"] = ["01400"]
    delegated = [
        *delegated_items(),
        {"nom": "L'Abergement-Clémenciat", "code": MERGED, "chefLieu": NOUVELLE, "type": "commune-deleguee"},
        {"nom": "Châtillon-sur-Chalaronne", "code": NOUVELLE, "chefLieu": NOUVELLE, "type": "commune-deleguee"},
    ]
    return communes, epci_items(), delegated


def serve(httpserver, communes=None, epcis=None, delegated=None):
    httpserver.expect_request(
        "/communes", query_string={"codeDepartement": "01", "fields": COMMUNE_FIELDS}
    ).respond_with_json(commune_items() if communes is None else communes)
    httpserver.expect_request(
        "/epcis", query_string={"codeDepartement": "01", "fields": EPCI_FIELDS}
    ).respond_with_json(epci_items() if epcis is None else epcis)
    httpserver.expect_request("/communes_associees_deleguees").respond_with_json(
        delegated_items() if delegated is None else delegated
    )


def client_for(httpserver, **options):
    waits = []
    options.setdefault("sleep", waits.append)
    return GeoClient(httpserver.url_for("/"), timeout=2, **options), waits


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Reading the answers: no database


def test_a_centre_is_a_geojson_point_longitude_first():
    assert geography_refresh.parse_centre({"type": "Point", "coordinates": [5.2283, 46.2052]}) == (
        Decimal("46.20520"),
        Decimal("5.22830"),
    )
    assert geography_refresh.parse_centre(None) is None
    for bad in ({"type": "Point", "coordinates": [5.2, 146.2]}, {"type": "Polygon"}, {"coordinates": ["5", 46]}):
        with pytest.raises(ValueError):
            geography_refresh.parse_centre(bad)


def test_malformed_items_are_listed_and_the_others_kept():
    communes = commune_items()
    communes[2]["centre"] = {"type": "Point", "coordinates": [5.3, "quarante-six"]}  # 01004
    communes[3]["codeEpci"] = None  # 01005
    communes.append({"nom": "Sans code"})
    communes.append({"nom": "Annecy", "code": "74010", "codeEpci": "200066793"})
    territory = geography_refresh.parse(communes, epci_items(), department="01")
    assert len(territory.communes) == 389 and len(territory.epcis) == 17
    assert territory.problems == [
        "Commune n° 3 (01004) : coordonnées du centre impossibles (5.3, 'quarante-six').",
        "Commune n° 4 (01005) : EPCI absent ou illisible (codeEpci).",
        "Commune n° 392 : code INSEE absent ou illisible.",
        "Commune n° 393 (74010) : commune hors du département 01.",
    ]
    # A malformed commune is still in the answer: it is left as it is, never ended.
    assert {"01004", "01005"} <= territory.codes_seen and "74010" not in territory.codes_seen
    assert territory.items_without_code == 1


@pytest.mark.parametrize("communes", [[], {"message": "ok"}, None])
def test_an_empty_or_odd_list_of_communes_is_refused(communes):
    with pytest.raises(RefreshRefused, match="vide ou illisible"):
        geography_refresh.parse(communes, epci_items(), department="01")


def test_a_list_of_communes_mostly_unreadable_is_refused():
    communes = [{"code": item["code"], "nom": item["nom"]} for item in commune_items()]
    with pytest.raises(RefreshRefused, match="391 éléments illisibles sur 391"):
        geography_refresh.parse(communes, epci_items(), department="01")


def test_the_kind_of_an_epci_comes_from_its_type_or_else_its_name():
    assert geography_refresh.epci_kind("CA", "Haut-Bugey") == "CA"
    assert geography_refresh.epci_kind("", "CC de la Dombes") == "CC"
    assert geography_refresh.epci_kind("ME", "Métropole de Lyon") is None


def test_an_unchanged_commune_has_no_changes():
    epci = Epci(pk=7, siren="200069193")
    commune = Commune(
        insee_code="01001",
        name="L'Abergement-Clémenciat",
        siren="210100012",
        postal_codes="01400",
        population=860,
        epci_id=7,
        latitude=Decimal("46.15000"),
        longitude=Decimal("4.92000"),
    )
    item = geography_refresh.CommuneItem(
        "01001", "L'Abergement-Clémenciat", "200069193", "210100012", "01400", 860, Decimal("46.15"), Decimal("4.92")
    )
    assert geography_refresh.commune_changes(commune, item, epci) == {}
    renamed = geography_refresh.CommuneItem("01001", "Clémenciat", "200069193", population=870)
    assert geography_refresh.commune_changes(commune, renamed, epci) == {"name": "Clémenciat", "population": 870}


# The client, against the stand-in


def test_the_client_asks_for_the_three_lists(httpserver):
    serve(httpserver)
    client, waits = client_for(httpserver)
    with client:
        assert len(client.communes("01")) == 391
        assert len(client.epcis("01")) == 17
        assert client.delegated_communes("01")[0]["chefLieu"] == "01074"
    assert waits == []


def test_a_429_is_waited_for_as_the_service_asks(httpserver):
    httpserver.expect_ordered_request("/epcis").respond_with_response(
        Response("Too Many Requests", status=429, headers={"Retry-After": "5"})
    )
    httpserver.expect_ordered_request("/epcis").respond_with_json(epci_items())
    client, waits = client_for(httpserver)
    assert len(client.epcis("01")) == 17
    assert waits == [5.0]


def test_a_503_then_success(httpserver):
    httpserver.expect_ordered_request("/communes").respond_with_data("maintenance", status=503)
    httpserver.expect_ordered_request("/communes").respond_with_json(commune_items())
    client, waits = client_for(httpserver, backoff=0.5)
    assert len(client.communes("01")) == 391
    assert waits == [0.5]


def test_an_answer_that_is_not_a_list_is_retried_then_reported(httpserver):
    httpserver.expect_request("/communes").respond_with_json({"code": 400, "message": "Bad request"})
    client, waits = client_for(httpserver, attempts=2)
    with pytest.raises(GeoUnavailable, match="pas la forme attendue, après 2 essais"):
        client.communes("01")


def test_a_service_that_does_not_answer_in_time(httpserver):
    def slow(request):
        time.sleep(1.5)
        return Response("[]", content_type="application/json")

    httpserver.expect_request("/communes").respond_with_handler(slow)
    client = GeoClient(httpserver.url_for("/"), timeout=0.3, attempts=1, sleep=lambda _: None)
    with pytest.raises(GeoUnavailable, match="n'a pas répondu à temps, après 1 essai"):
        client.communes("01")


# Applying them


@pytest.mark.django_db
def test_the_first_refresh_adds_the_centres_and_the_second_changes_nothing(httpserver):
    serve(httpserver)
    first = geography_refresh.refresh_from_api("01", client=client_for(httpserver)[0])
    assert first.counts() == {
        "created": 0,
        "updated": 391,
        "merged": 0,
        "ended": 0,
        "unchanged": 0,
        "epci_created": 0,
        "epci_updated": 0,
        "epci_unchanged": 17,
        "problems": 0,
    }
    bourg = Commune.objects.get(insee_code="01053")
    assert isinstance(bourg.latitude, Decimal) and bourg.latitude.as_tuple().exponent == -5
    second = geography_refresh.refresh_from_api("01", client=client_for(httpserver)[0])
    assert (second.updated, second.unchanged, second.epci_unchanged, second.created) == (0, 391, 17, 0)
    assert second.lines()[0] == (
        "Communes : 0 nouvelle, 0 mise à jour, 0 fusionnée dans une commune nouvelle, "
        "0 supprimée sans successeur connu, 391 inchangées."
    )


@pytest.mark.django_db
def test_a_merged_commune_keeps_its_history(httpserver):
    old = Commune.objects.get(insee_code=MERGED)
    organisation = OrganisationFactory(name="Menuiserie Clémenciat", commune=old)
    operation = OperationFactory(commune=old)
    communes, epcis, delegated = merger()
    serve(httpserver, communes, epcis, delegated)

    summary = geography_refresh.refresh_from_api("01", client=client_for(httpserver)[0])

    assert (summary.merged, summary.ended, summary.created) == (1, 0, 0)
    old.refresh_from_db()
    nouvelle = Commune.objects.get(insee_code=NOUVELLE)
    assert (old.is_current, old.ended_on, old.merged_into) == (False, timezone.localdate(), nouvelle)
    assert old.ended_on == suite_today() and old.in_force() == nouvelle
    assert nouvelle.name == "Châtillon-Clémenciat" and nouvelle.is_current
    organisation.refresh_from_db()
    operation.refresh_from_db()
    assert organisation.commune_id == old.pk and operation.commune_id == old.pk
    # The commune nouvelle's members: counted in its EPCI without the old commune.
    assert Epci.objects.get(siren="200069193").communes_in_ain == 35
    # Second run of the same answer: nothing moves, the date of the merger stays.
    again = geography_refresh.refresh_from_api("01", client=client_for(httpserver)[0])
    assert (again.merged, again.updated, again.unchanged) == (0, 0, 390)
    old.refresh_from_db()
    assert old.ended_on == suite_today() and old.merged_into == nouvelle


@pytest.mark.django_db
def test_pickers_offer_current_communes_and_a_row_keeps_its_old_one(facilitator):
    old = Commune.objects.get(insee_code=MERGED)
    organisation = OrganisationFactory(commune=old)
    geography_refresh.refresh(*merger(), department="01")
    company_form = organisation_form_class(Organisation.Kind.COMPANY)
    assert old not in company_form().fields["commune"].queryset
    assert old in company_form(instance=organisation).fields["commune"].queryset
    assert old not in OperationForm(user=facilitator).fields["commune"].queryset
    assert Commune.objects.current().count() == 390 and Commune.objects.count() == 391
    assert organisation in Organisation.objects.search("Abergement")


@pytest.mark.django_db
def test_the_participant_picker_and_the_decp_place_use_the_commune_nouvelle(facilitator):
    geography_refresh.refresh(*merger(), department="01")
    old = Commune.objects.get(insee_code=MERGED)
    assert old not in ParticipantForm(user=facilitator).fields["commune"].queryset
    published = PublishedContractFactory(place_code=MERGED, place_code_type="Code commune")
    assert review_services.commune_of(published).insee_code == NOUVELLE
    assert old not in AcceptForm().fields["commune"].queryset


@pytest.mark.django_db
def test_a_renamed_commune_renames_its_organisations_search():
    organisation = OrganisationFactory(name="Boulangerie du centre", commune=Commune.objects.get(insee_code=NOUVELLE))
    geography_refresh.refresh(*merger(), department="01")
    assert organisation in Organisation.objects.search("clemenciat")


@pytest.mark.django_db
def test_a_vanished_commune_without_known_successor_is_ended_not_deleted():
    communes = [item for item in commune_items() if item["code"] != MERGED]
    summary = geography_refresh.refresh(communes, epci_items(), [], department="01")
    old = Commune.objects.get(insee_code=MERGED)
    assert (summary.merged, summary.ended) == (0, 1)
    assert (old.is_current, old.merged_into, old.ended_on) == (False, None, suite_today())
    # The list of communes déléguées, known a year later, completes the history.
    later = geography_refresh.refresh(*merger(), department="01")
    old.refresh_from_db()
    assert later.merged == 1 and old.merged_into.insee_code == NOUVELLE and old.ended_on == suite_today()


@pytest.mark.django_db
def test_a_new_commune_and_a_new_epci_are_created():
    communes = commune_items()
    communes.append(
        {
            "nom": "Nouvelle-Commune",
            "code": "01999",
            "codeEpci": "200099999",
            "codesPostaux": ["01999"],
            "population": 1200,
            "siren": "200099998",
            "centre": {"type": "Point", "coordinates": [5.1, 46.1]},
        }
    )
    epcis = [*epci_items(), {"nom": "CC Nouvelle", "code": "200099999", "type": "CC", "population": 1200}]
    epcis[0]["nom"] = "CA Haut-Bugey Agglomération (HBA)"
    summary = geography_refresh.refresh(communes, epcis, department="01")
    assert (summary.created, summary.epci_created, summary.epci_updated) == (1, 1, 1)
    created = Commune.objects.get(insee_code="01999")
    assert created.epci.name == "CC Nouvelle" and created.epci.communes_total == 1
    assert (created.latitude, created.longitude) == (Decimal("46.10000"), Decimal("5.10000"))
    assert created.epci.departments == "01" and created.epci.kind == "CC"


@pytest.mark.django_db
def test_a_commune_back_in_the_answer_is_current_again():
    communes = [item for item in commune_items() if item["code"] != MERGED]
    geography_refresh.refresh(communes, epci_items(), department="01")
    summary = geography_refresh.refresh(commune_items(), epci_items(), department="01")
    commune = Commune.objects.get(insee_code=MERGED)
    assert summary.updated == 1 and commune.is_current and commune.ended_on is None


@pytest.mark.django_db
def test_a_malformed_item_is_skipped_and_its_commune_left_as_it_is():
    communes = commune_items()
    communes[0]["centre"] = {"type": "Point", "coordinates": [500, 46]}
    summary = geography_refresh.refresh(communes, epci_items(), department="01")
    commune = Commune.objects.get(insee_code="01001")
    assert summary.updated == 390 and commune.is_current and commune.latitude is None
    assert summary.problems == ["Commune n° 1 (01001) : coordonnées du centre impossibles (500, 46)."]
    assert "1 élément ignoré :" in summary.lines()


@pytest.mark.django_db
def test_items_without_a_code_suspend_the_ending_of_communes():
    communes = [item for item in commune_items() if item["code"] != MERGED] + [{"nom": "L'Abergement-Clémenciat"}]
    summary = geography_refresh.refresh(communes, epci_items(), department="01")
    assert summary.ending_suspended and Commune.objects.get(insee_code=MERGED).is_current


@pytest.mark.django_db
def test_an_answer_missing_a_large_share_of_the_territory_writes_nothing():
    communes = commune_items()[:200]
    for item in communes:
        item["nom"] += " (modifié)"
    with pytest.raises(RefreshRefused, match="disparaître 191 communes sur 391"):
        geography_refresh.refresh(communes, epci_items(), department="01")
    # One transaction: the names changed before the refusal are rolled back.
    assert not Commune.objects.filter(name__endswith="(modifié)").exists()
    assert Commune.objects.current().count() == 391


@pytest.mark.django_db
def test_an_empty_answer_never_wipes_the_territory(httpserver):
    serve(httpserver, communes=[])
    with pytest.raises(RefreshRefused, match="une réponse vide ne vide jamais le territoire"):
        geography_refresh.refresh_from_api("01", client=client_for(httpserver)[0])
    assert Commune.objects.current().count() == 391


# The command and the yearly job


@pytest.mark.django_db
def test_the_command_reads_the_service_and_prints_a_summary(httpserver, settings, capsys):
    settings.CLAUSIER = {**settings.CLAUSIER, "GEO_API_URL": httpserver.url_for("/")}
    serve(httpserver, *merger())
    call_command("refresh_geography")
    out = capsys.readouterr().out
    assert "Lecture de geo.api.gouv.fr (département 01)" in out
    assert "1 fusionnée dans une commune nouvelle" in out and "Communes et EPCI à jour." in out


@pytest.mark.django_db
def test_the_command_reads_saved_files(tmp_path, capsys):
    communes, epcis, delegated = merger()
    paths = {}
    for name, content in {"communes": communes, "epci": epcis, "deleguees": delegated}.items():
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_text(json.dumps(content), encoding="utf-8")
    call_command(
        "refresh_geography",
        "--department",
        "01",
        "--communes-file",
        str(paths["communes"]),
        "--epci-file",
        str(paths["epci"]),
        "--deleguees-file",
        str(paths["deleguees"]),
    )
    assert "Lecture des fichiers enregistrés" in capsys.readouterr().out
    assert Commune.objects.get(insee_code=MERGED).merged_into.insee_code == NOUVELLE


@pytest.mark.django_db
def test_the_command_refuses_one_file_alone_or_a_file_that_is_not_json(tmp_path):
    with pytest.raises(CommandError, match="donnez les deux fichiers"):
        call_command("refresh_geography", "--communes-file", "communes.json")
    broken = tmp_path / "communes.json"
    broken.write_text("<html>", encoding="utf-8")
    with pytest.raises(CommandError, match="n'est pas du JSON lisible"):
        call_command("refresh_geography", "--communes-file", str(broken), "--epci-file", str(broken))


@pytest.mark.django_db
def test_an_unreachable_service_is_one_clear_line_and_exit_code_1(settings):
    settings.CLAUSIER = {**settings.CLAUSIER, "GEO_API_URL": f"http://127.0.0.1:{closed_port()}"}
    settings.CLAUSIER["GEO_API_BACKOFF_SECONDS"] = 0
    with pytest.raises(CommandError) as error:
        call_command("refresh_geography")
    # manage.py prints a CommandError as one line « CommandError: … » and exits with its returncode.
    assert error.value.returncode == 1 and "\n" not in str(error.value)
    assert "geo.api.gouv.fr) n'a pas pu être lue : le service est injoignable, après 4 essais" in str(error.value)
    assert "--communes-file" in str(error.value)
    assert Commune.objects.current().count() == 391


@pytest.mark.django_db
def test_the_yearly_job_refreshes_and_reports_a_failure_without_raising(httpserver, settings):
    settings.CLAUSIER = {**settings.CLAUSIER, "GEO_API_URL": httpserver.url_for("/")}
    serve(httpserver, *merger())
    result = refresh_geography()
    assert result["ok"] and result["merged"] == 1
    settings.CLAUSIER = {**settings.CLAUSIER, "GEO_API_URL": f"http://127.0.0.1:{closed_port()}"}
    settings.CLAUSIER["GEO_API_BACKOFF_SECONDS"] = 0
    failed = refresh_geography()
    assert not failed["ok"] and "injoignable" in failed["message"]


def test_the_job_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-geography"]
    assert entry["task"] == "partners.tasks.refresh_geography"
    assert entry["schedule"].month_of_year == {3} and entry["schedule"].day_of_month == {1}

"""The reference data of Ain is present after `migrate`."""

import csv

from django.db.models import Count

from partners.models import Commune, Epci, Organisation, Sector
from partners.reference import COMMUNES_FILE


def test_all_communes_and_epci_of_ain(db):
    assert Commune.objects.count() == 391
    assert Epci.objects.count() == 17


def test_each_commune_is_linked_to_its_epci(db):
    with open(COMMUNES_FILE, encoding="utf-8") as handle:
        expected = {row["code_insee"]: row["siren_epci"] for row in csv.DictReader(handle)}
    actual = dict(Commune.objects.values_list("insee_code", "epci__siren"))
    assert actual == expected


def test_epci_commune_counts_match_the_source(db):
    for epci in Epci.objects.annotate(n=Count("communes")):
        assert epci.n == epci.communes_in_ain, epci.name
    assert Commune.objects.get(insee_code="01053").name == "Bourg-en-Bresse"
    assert Epci.objects.get(siren="240100891").name == "CC Terre Valserhône (CCTV)"


def test_val_de_saone_dombes_is_a_sector_not_an_epci(db):
    sector = Sector.objects.get(name="Val de Saône Dombes")
    assert set(sector.epcis.values_list("name", flat=True)) == {"CC Val de Saône Centre", "CC Dombes Saône Vallée"}
    assert not Epci.objects.filter(name__icontains="Val de Saône Dombes").exists()


def test_every_epci_sits_in_exactly_one_seeded_sector(db):
    assert Sector.objects.count() == 6
    for epci in Epci.objects.annotate(n=Count("sectors")):
        assert epci.n == 1, epci.name


def test_the_department_itself(db):
    department = Organisation.objects.department().get()
    assert department.name == "Département de l'Ain"
    assert department.siren == "220100010"
    assert department.commune.insee_code == "01053"

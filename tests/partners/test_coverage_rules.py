"""The pure coverage rules: which bodies cover a buyer at a place, and the status of a territory."""

from partners.coverage import COVERED, PARTIAL, WHITE, Buyer, Place, Rule, covering_bodies, territory_status

DEPARTMENT, MAISON, PLIE = 1, 2, 3
DOMBES, VEYLE, BOURG, TREVOUX_EPCI = 10, 11, 12, 13
VSD_SECTOR, BRESSE_SECTOR = 100, 101

RULES = [
    Rule(body_id=DEPARTMENT, whole_department=True, buyer_kinds=frozenset({"department"})),
    Rule(
        body_id=DEPARTMENT,
        epci_ids=frozenset({DOMBES, VEYLE}),
        buyer_kinds=frozenset({"commune", "epci"}),
        members_only=True,
    ),
    Rule(body_id=MAISON, epci_ids=frozenset({BOURG})),
    Rule(body_id=PLIE, sector_ids=frozenset({BRESSE_SECTOR}), buyer_kinds=frozenset({"social_landlord"})),
]


def test_department_contracts_are_followed_everywhere():
    for place in (Place(DOMBES), Place(TREVOUX_EPCI, frozenset({VSD_SECTOR})), Place(None)):
        assert covering_bodies(RULES, Buyer("department"), place) == [DEPARTMENT]


def test_agency_member_commune_in_the_four_cc():
    assert covering_bodies(RULES, Buyer("commune", engineering_agency_member=True), Place(DOMBES)) == [DEPARTMENT]
    assert covering_bodies(RULES, Buyer("epci", engineering_agency_member=True), Place(VEYLE)) == [DEPARTMENT]


def test_non_member_commune_in_the_four_cc_has_no_facilitator():
    assert covering_bodies(RULES, Buyer("commune", engineering_agency_member=False), Place(DOMBES)) == []


def test_member_commune_outside_the_four_cc_is_not_the_departments():
    assert covering_bodies(RULES, Buyer("commune", engineering_agency_member=True), Place(BOURG)) == [MAISON]


def test_social_landlord_in_the_four_cc_is_not_covered_by_the_agency_rule():
    assert covering_bodies(RULES, Buyer("social_landlord", engineering_agency_member=True), Place(DOMBES)) == []


def test_body_covering_all_buyers_of_an_epci():
    for kind in ("commune", "social_landlord", "hospital", "other"):
        assert covering_bodies(RULES, Buyer(kind), Place(BOURG)) == [MAISON]


def test_sector_rule_applies_through_the_place_sectors():
    place = Place(BOURG, frozenset({BRESSE_SECTOR}))
    assert covering_bodies(RULES, Buyer("social_landlord"), place) == [MAISON, PLIE]
    assert covering_bodies(RULES, Buyer("commune"), place) == [MAISON]


def test_white_area_commune_has_no_facilitator():
    place = Place(TREVOUX_EPCI, frozenset({VSD_SECTOR}))
    assert covering_bodies(RULES, Buyer("commune", engineering_agency_member=True), place) == []


def test_territory_status():
    assert territory_status(RULES, Place(BOURG)) == COVERED
    assert territory_status(RULES, Place(DOMBES)) == PARTIAL
    assert territory_status(RULES, Place(TREVOUX_EPCI, frozenset({VSD_SECTOR}))) == WHITE


def test_department_only_rule_does_not_lift_a_white_area():
    only_department = [RULES[0]]
    assert territory_status(only_department, Place(DOMBES)) == WHITE


def test_a_body_is_listed_once_even_with_two_matching_rules():
    rules = [Rule(body_id=MAISON, epci_ids=frozenset({BOURG})), Rule(body_id=MAISON, whole_department=True)]
    assert covering_bodies(rules, Buyer("commune"), Place(BOURG)) == [MAISON]

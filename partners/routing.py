"""Route contracts to facilitators, from the coverage rules in the database."""

from .coverage import COVERED, PARTIAL, WHITE, Buyer, Place, Rule, covering_bodies, territory_status
from .models import CoverageRule, Epci, Organisation, Sector, User
from .roles import Role


def load_rules(queryset=None):
    """The active coverage rules as pure ``Rule`` values (three queries)."""
    queryset = (queryset if queryset is not None else CoverageRule.objects.active()).prefetch_related(
        "epcis", "sectors"
    )
    return [
        Rule(
            body_id=rule.facilitation_body_id,
            whole_department=rule.whole_department,
            epci_ids=frozenset(epci.pk for epci in rule.epcis.all()),
            sector_ids=frozenset(sector.pk for sector in rule.sectors.all()),
            buyer_kinds=frozenset(rule.buyer_kinds),
            members_only=rule.engineering_agency_members_only,
            extra={"rule": rule},
        )
        for rule in queryset
    ]


def sector_ids_by_epci():
    """EPCI id → ids of the sectors that contain it (one query)."""
    mapping = {}
    for epci_id, sector_id in Sector.epcis.through.objects.values_list("epci_id", "sector_id"):
        mapping.setdefault(epci_id, set()).add(sector_id)
    return mapping


def place_of(commune):
    """The place of a commune: its EPCI and every sector holding its EPCI or the commune itself."""
    if commune is None:
        return Place(epci_id=None)
    sector_ids = set(Sector.objects.filter(epcis=commune.epci_id).values_list("pk", flat=True)) | set(
        commune.sectors.values_list("pk", flat=True)
    )
    return Place(epci_id=commune.epci_id, sector_ids=frozenset(sector_ids))


def buyer_of(organisation):
    kind = organisation.buyer_kind or (
        Organisation.BuyerKind.DEPARTMENT if organisation.kind == Organisation.Kind.DEPARTMENT else ""
    )
    return Buyer(kind=kind, engineering_agency_member=organisation.engineering_agency_member)


def facilitation_bodies_for(buyer, commune=None, rules=None):
    """The facilitation bodies that follow a contract of ``buyer`` at ``commune`` (default: the buyer's)."""
    rules = rules if rules is not None else load_rules()
    place = place_of(commune if commune is not None else buyer.commune)
    ids = covering_bodies(rules, buyer_of(buyer), place)
    bodies = Organisation.objects.in_bulk(ids)
    return [bodies[pk] for pk in ids if pk in bodies]


def facilitators_for(buyer, commune=None, rules=None):
    """The facilitators (users) who follow a contract of ``buyer`` at ``commune``."""
    bodies = facilitation_bodies_for(buyer, commune, rules)
    return User.objects.filter(
        is_active=True,
        memberships__organisation__in=bodies,
        memberships__role=Role.FACILITATOR,
        memberships__is_active=True,
    ).distinct()


def coverage_of_territories(rules=None):
    """Each EPCI and each sector with its status (covered, partial, white) and the rules covering it."""
    rules = rules if rules is not None else load_rules()
    sectors_of = sector_ids_by_epci()
    epcis = []
    for epci in Epci.objects.order_by("name"):
        place = Place(epci_id=epci.pk, sector_ids=frozenset(sectors_of.get(epci.pk, ())))
        covering = [rule for rule in rules if rule.serves_local_buyers and rule.covers_place(place)]
        epcis.append({"epci": epci, "status": territory_status(rules, place), "rules": covering})
    status_by_epci = {row["epci"].pk: row["status"] for row in epcis}
    sectors = []
    for sector in Sector.objects.prefetch_related("epcis").order_by("name"):
        statuses = {status_by_epci[epci.pk] for epci in sector.epcis.all()}
        if not statuses or statuses == {WHITE}:
            status = WHITE
        elif statuses == {COVERED}:
            status = COVERED
        else:
            status = PARTIAL
        sectors.append({"sector": sector, "status": status, "epcis": list(sector.epcis.all())})
    return {"epcis": epcis, "sectors": sectors}

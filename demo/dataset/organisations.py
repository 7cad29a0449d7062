"""Organisations: facilitation bodies, federations, buyers, companies, inclusion structures, services."""

from faker.providers.person.fr_FR import Provider as FrenchNames

from partners.identifiers import build_siren, build_siret
from partners.reference import DEPARTMENT_AGENCY_EPCIS

from .config import B, K, S
from .distributions import (
    COMPANY_PREFIX,
    NAF_BY_SECTOR,
    SECTOR_SHARE,
    SERVICES,
    SIZE_BANDS,
    STAFF_PROVIDERS,
    STRUCTURE_RATES,
    SUBCONTRACTORS,
    _commune_buyer_name,
    _cumulative,
    _weighted,
)
from .records import Org


class OrganisationsPlanner:
    """Part of ``Generator`` (``build.py``)."""

    # Organisations ----------------------------------------------------------------------------

    def _org(self, name, kind, territory, place, **fields):
        org = Org(name, kind, territory, place, **fields)
        self.orgs.append(org)
        return org

    def _siret(self):
        self.siren_counter += 1
        siren = build_siren(f"{70_000_000 + self.siren_counter:08d}")
        return build_siret(siren, f"{self.rng.randrange(1, 100):04d}")

    def build_organisations(self):
        rng = self.rng
        surnames = list(FrenchNames.last_names)
        department_org = Org(self.department.name, K.DEPARTMENT, 0, None, buyer_kind=B.DEPARTMENT, real=True)
        department_org.pk = self.department.pk
        self.department_org = department_org
        for index, t in enumerate(self.territories):
            contracts = max(t.contracts, 1)
            capital = max(t.places, key=lambda place: place.population)
            synthetic = index > 0
            # Facilitation bodies.
            if synthetic:
                t.body = self._org(f"Animation des clauses sociales — {t.label}", K.FACILITATION_BODY, index, capital)
                t.body.coverage = [("sector", self.sectors[index - 1])]
            else:
                t.body = department_org
                if self.scale.departments == 1:
                    for ref, name in self.ain_sectors:
                        if name == "Val de Saône Dombes":  # the white area of domain.md
                            t.sector_bodies[ref] = None
                            continue
                        places = [p for p in t.places if p.sector is ref]
                        seat = max(places, key=lambda p: p.population) if places else capital
                        body = self._org(f"Animation des clauses sociales — {name}", K.FACILITATION_BODY, 0, seat)
                        body.coverage = [("sector", ref)]
                        t.sector_bodies[ref] = body
            # Federations.
            for name in ("Fédération du BTP", "CAPEB", "Fédération des entreprises de propreté"):
                t.federations.append(self._org(f"{name} — {t.label}", K.FEDERATION, index, capital))
            # Buyers.
            if synthetic:
                council = self._org(
                    f"Conseil départemental — {t.label}",
                    K.CONTRACTING_AUTHORITY,
                    index,
                    capital,
                    buyer_kind=B.DEPARTMENT,
                )
                t.buyers[B.DEPARTMENT] = [council]
            else:
                t.buyers[B.DEPARTMENT] = [department_org]
            by_population = sorted(t.places, key=lambda p: (-p.population, p.name))
            t.buyers[B.COMMUNE] = [
                self._org(
                    _commune_buyer_name(place.name, place.population, synthetic),
                    K.CONTRACTING_AUTHORITY,
                    index,
                    place,
                    buyer_kind=B.COMMUNE,
                    agency=not synthetic and place.epci_siren in DEPARTMENT_AGENCY_EPCIS and rng.random() < 0.6,
                    weight=place.population,
                )
                for place in by_population[: min(len(by_population), max(3, 10 + contracts // 25))]
            ]
            t.buyers[B.EPCI] = []
            for epci in t.epcis:
                places = t.by_epci[epci]
                name = epci.name if synthetic else self.ain_epci_names[epci]
                t.buyers[B.EPCI].append(
                    self._org(
                        name,
                        K.CONTRACTING_AUTHORITY,
                        index,
                        max(places, key=lambda p: p.population),
                        buyer_kind=B.EPCI,
                        epci=epci,
                        agency=not synthetic and places[0].epci_siren in DEPARTMENT_AGENCY_EPCIS,
                        weight=sum(p.population for p in places),
                    )
                )
            for kind, label, per in (
                (B.SOCIAL_LANDLORD, "Bailleur social", 200),
                (B.HOSPITAL, "Centre hospitalier", 300),
                (B.SEM, "SEM d'aménagement", 500),
                (B.STATE, "Services de l'État", 100_000),
                (B.REGION, "Région, antenne", 100_000),
                (B.OTHER, "Syndicat intercommunal", 400),
            ):
                t.buyers[kind] = [
                    self._org(
                        f"{label} n° {n} — {t.label}",
                        K.CONTRACTING_AUTHORITY,
                        index,
                        self.place_in(t),
                        buyer_kind=kind,
                    )
                    for n in range(1, max(1, contracts // per) + 1)
                ]
            # Companies, by sector, with a popularity that makes some win many lots.
            total_companies = max(8, round(0.42 * contracts))
            for sector, share in SECTOR_SHARE.items():
                companies = []
                for _ in range(max(2, round(total_companies * share))):
                    place = self.place_in(t)
                    federation = None
                    if sector in ("building", "public_works") and rng.random() < 0.4:
                        federation = t.federations[rng.randrange(2)]
                    elif sector == "cleaning" and rng.random() < 0.4:
                        federation = t.federations[2]
                    companies.append(
                        self._org(
                            f"{rng.choice(COMPANY_PREFIX[sector])} {rng.choice(surnames)}"
                            f"{rng.choice(['', '', ' et fils', ' SARL', ' SAS', ' et associés'])}",
                            K.COMPANY,
                            index,
                            place,
                            naf=rng.choice(NAF_BY_SECTOR[sector]),
                            size=_weighted(rng, SIZE_BANDS),
                            sector=sector,
                            siret=self._siret(),
                            federation=federation,
                            weight=rng.paretovariate(1.6),
                        )
                    )
                t.companies[sector] = (companies, _cumulative([c.weight for c in companies]))
            # Inclusion structures.
            for kind, per in STRUCTURE_RATES.items():
                count = max(1, contracts // per) if kind not in (S.EATT, S.EITI) else contracts // per
                t.structures[kind] = []
                for n in range(1, count + 1):
                    place = self.place_in(t)
                    structure = self._org(
                        f"{kind} {rng.choice(surnames)} n° {n} — {t.label}",
                        K.INCLUSION_STRUCTURE,
                        index,
                        place,
                        structure_kind=kind,
                        provides_staff=kind in STAFF_PROVIDERS or kind == S.EATT,
                        subcontracts=kind in SUBCONTRACTORS,
                        siret=self._siret(),
                        naf="7830Z" if kind in (S.ETTI, S.EATT) else "8899B",
                    )
                    served = [place.epci] + [e for e in t.epcis if e is not place.epci and rng.random() < 0.2]
                    structure.served_epcis = served[:3]
                    t.structures[kind].append(structure)
            # Employment services (prescribers).
            for kind, (label, per) in SERVICES.items():
                if kind == "plie" and synthetic and rng.random() < 0.5:
                    t.services[kind] = []
                    continue
                t.services[kind] = [
                    self._org(
                        f"{label} n° {n} — {t.label}", K.EMPLOYMENT_SERVICE, index, self.place_in(t), service_kind=kind
                    )
                    for n in range(1, max(1, contracts // per) + 1)
                ]
        self.say(f"Organisations prévues : {len(self.orgs)}.")

    def body_for(self, territory, buyer, place):
        """Who follows an operation: the department's body; in Ain, the Département for its own
        contracts and for the engineering agency's members, a sector's body otherwise."""
        if territory.sector_bodies == {}:
            return territory.body
        if buyer is self.department_org or (buyer.agency and buyer.buyer_kind in (B.COMMUNE, B.EPCI)):
            return self.department_org
        return territory.sector_bodies.get(place.sector, self.department_org)

"""Reference data of Ain and the synthetic departments (territories, communes, EPCI, sectors)."""

import math
from collections import defaultdict
from decimal import Decimal

from clauses.models import HoursSettings, Trade
from partners.models import (
    Audience,
    Commune,
    Epci,
    Organisation,
    Sector,
)

from .config import (
    COMMUNES_PER_EPCI,
    EPCIS_PER_DEPARTMENT,
    MARKER,
    SYNTHETIC_INSEE_PREFIX,
    SYNTHETIC_SIREN_PREFIX,
    DatasetError,
)
from .distributions import _cumulative, _pick
from .records import CommuneRec, EpciRec, Place, Ref, SectorRec, Territory


class TerritoryPlanner:
    """Part of ``Generator`` (``build.py``)."""

    # Reference data ---------------------------------------------------------------------------

    def load_reference(self):
        self.department = Organisation.objects.department().order_by("pk").first()
        if self.department is None:
            raise DatasetError("Le Département de l'Ain est introuvable : lancez d'abord « manage.py migrate ».")
        trades = list(Trade.objects.order_by("name").values("pk", "name", "sector", "labour_share"))
        if not trades:
            raise DatasetError("Aucun corps d'état : lancez d'abord « manage.py migrate ».")
        self.trades_by_sector = defaultdict(list)
        for trade in trades:
            self.trades_by_sector[trade["sector"]].append(trade)
        self.audiences = list(Audience.objects.order_by("position", "code").values_list("pk", flat=True))
        hours_settings = HoursSettings.objects.filter(pk=1).first()
        self.hourly_cost = hours_settings.default_hourly_cost if hours_settings else Decimal(30)
        epcis = {
            row["pk"]: row
            for row in Epci.objects.filter(communes__insee_code__startswith="01")
            .distinct()
            .order_by("siren")
            .values("pk", "siren", "name")
        }
        if not epcis:
            raise DatasetError("Les communes de l'Ain sont introuvables : lancez d'abord « manage.py migrate ».")
        self.epci_refs = {pk: Ref(pk) for pk in epcis}
        sector_of_epci, sector_of_commune, self.ain_sectors = {}, {}, []
        for sector in Sector.objects.order_by("name").prefetch_related("epcis", "communes"):
            if sector.description.startswith(MARKER):
                continue
            ref = Ref(sector.pk)
            self.ain_sectors.append((ref, sector.name))
            for epci in sorted(sector.epcis.all(), key=lambda e: e.siren):
                sector_of_epci.setdefault(epci.pk, ref)
            for commune in sorted(sector.communes.all(), key=lambda c: c.insee_code):
                sector_of_commune.setdefault(commune.pk, ref)
        places = []
        for row in (
            Commune.objects.filter(insee_code__startswith="01")
            .order_by("insee_code")
            .values("pk", "name", "population", "epci_id")
        ):
            places.append(
                Place(
                    Ref(row["pk"]),
                    row["name"],
                    max(row["population"], 50),
                    self.epci_refs[row["epci_id"]],
                    sector_of_commune.get(row["pk"]) or sector_of_epci.get(row["epci_id"]),
                    epcis[row["epci_id"]]["siren"],
                )
            )
        self.ain = Territory("01", "Ain", places)
        self.ain_epci_names = {self.epci_refs[pk]: row["name"] for pk, row in epcis.items()}

    # Territories ------------------------------------------------------------------------------

    def build_territories(self):
        rng = self.rng
        self.territories = [self.ain]
        for number in range(2, self.scale.departments + 1):
            code = f"{number:02d}"
            label = f"Département {code}"
            places, epcis = [], []
            for e in range(1, EPCIS_PER_DEPARTMENT + 1):
                epci = EpciRec(
                    f"{label} — EPCI {e}",
                    "CA" if e <= 2 else "CC",
                    f"{SYNTHETIC_SIREN_PREFIX}{number:03d}{e:05d}",
                    code,
                    COMMUNES_PER_EPCI,
                )
                epcis.append(epci)
                self.epcis.append(epci)
            sector = SectorRec(label, epcis)
            self.sectors.append(sector)
            for e, epci in enumerate(epcis):
                for c in range(COMMUNES_PER_EPCI):
                    index = e * COMMUNES_PER_EPCI + c + 1
                    serial = len(self.communes) + 1
                    big = c == 0 and e < 2
                    population = int(rng.lognormvariate(math.log(40_000 if big else 1_500), 0.6))
                    commune = CommuneRec(
                        f"{label} — Commune {index}",
                        f"{SYNTHETIC_INSEE_PREFIX}{serial:04d}",
                        f"{SYNTHETIC_SIREN_PREFIX}{serial:08d}",
                        f"{code[:2]}{index:03d}",
                        max(population, 80),
                        epci,
                    )
                    epci.population += commune.population
                    self.communes.append(commune)
                    places.append(Place(commune, commune.name, commune.population, epci, sector, epci.siren))
            self.territories.append(Territory(code, label, places))
        for territory in self.territories:
            territory.cum_population = _cumulative([place.population for place in territory.places])
            for place in territory.places:
                territory.by_epci.setdefault(place.epci, []).append(place)
            territory.epcis = list(territory.by_epci)
            territory.weight = rng.lognormvariate(0, 0.45) if self.scale.departments > 1 else 1.0
        self._share(self.scale.contracts, [t.weight for t in self.territories], "contracts")
        self.say(f"Territoires : {len(self.territories)} départements, {len(self.communes)} communes synthétiques.")

    def _share(self, total, weights, attribute):
        """Split ``total`` in proportion to ``weights`` (largest remainders), on the territories."""
        whole = sum(weights)
        exact = [total * weight / whole for weight in weights]
        counts = [int(value) for value in exact]
        order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - counts[i]), i))
        for i in order[: total - sum(counts)]:
            counts[i] += 1
        for territory, count in zip(self.territories, counts, strict=True):
            setattr(territory, attribute, count)

    def place_in(self, territory, epci=None):
        if epci is not None and self.rng.random() < 0.6:
            places = territory.by_epci[epci]
            return places[self.rng.randrange(len(places))]
        return _pick(self.rng, territory.places, territory.cum_population)

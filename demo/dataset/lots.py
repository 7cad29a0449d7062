"""Operations, contracts, lots, their legal bases and awards."""

from collections import Counter
from datetime import timedelta

from clauses import legal_bases
from clauses.models import LotAward
from placements.eligibility import add_months

from .config import BASIS, B, K
from .distributions import (
    BUYER_KIND_WEIGHTS,
    CONTRACT_MONTHS,
    LOTS_PER_CONTRACT,
    OPERATION_TITLES,
    PROCEDURES,
    RESERVED_HOLDERS,
    SUBCONTRACTORS,
    THEME_SERVICE,
    THEMES_BY_BUYER,
    _pick,
    _weighted,
)
from .records import ContractRec, LotRec, OperationRec


class LotsPlanner:
    """Part of ``Generator`` (``build.py``)."""

    # Operations, contracts, lots ----------------------------------------------------------------

    def build_contracts(self):
        rng = self.rng
        span = (self.last_start - self.first_day).days
        serial = 0
        managers = ["", "", "Atelier d'architecture", "BET Structures et Fluides", "Cabinet d'ingénierie", "AMO Bâtir"]
        for index, t in enumerate(self.territories):
            remaining = t.contracts
            while remaining > 0:
                kind = _weighted(rng, BUYER_KIND_WEIGHTS)
                buyers = t.buyers[kind]
                if kind in (B.COMMUNE, B.EPCI):
                    buyer = rng.choices(buyers, weights=[b.weight for b in buyers])[0]
                else:
                    buyer = buyers[rng.randrange(len(buyers))]
                if kind == B.COMMUNE:
                    place = buyer.place
                elif kind == B.EPCI:
                    place = self.place_in(t, buyer.epci)
                else:
                    place = self.place_in(t)
                theme = _weighted(rng, THEMES_BY_BUYER[kind])
                title = rng.choice(OPERATION_TITLES[theme]).format(c=place.name, n=rng.choice([12, 24, 40, 60, 120]))
                operation = OperationRec(
                    buyer, place, title, rng.choice(managers), self.body_for(t, buyer, place), index
                )
                self.operations.append(operation)
                count = min(remaining, _weighted(rng, {1: 70, 2: 20, 3: 10}))
                first_start = self.first_day + timedelta(days=rng.randrange(span))
                for phase in range(count):
                    serial += 1
                    framework = theme in THEME_SERVICE and rng.random() < 0.4 or rng.random() < 0.02
                    low, high = CONTRACT_MONTHS[theme]
                    if framework:
                        low, high = max(low, 24), max(high, 36)
                    start = first_start + timedelta(days=phase * rng.randrange(60, 240))
                    months = rng.randint(low, high)
                    end = add_months(start, months) - timedelta(days=1)
                    title = {
                        "building": "Travaux",
                        "public_works": "Travaux de voirie et réseaux",
                    }.get(theme, "Accord-cadre de prestations" if framework else "Prestations")
                    contract = ContractRec(
                        operation,
                        f"M{start.year}-{serial:05d}",
                        f"{title}{f' — tranche {phase + 1}' if count > 1 else ''}",
                        theme,
                        "adapted" if framework and rng.random() < 0.5 else _weighted(rng, PROCEDURES),
                        framework,
                        start,
                        end,
                    )
                    self.contracts.append(contract)
                    operation.start = min(operation.start or start, start)
                    operation.end = max(operation.end or end, end)
                remaining -= count
        self._build_lots()
        self.say(f"Opérations : {len(self.operations)}, marchés : {len(self.contracts)}, lots : {len(self.lots)}.")

    def _lot_counts(self):
        rng = self.rng
        counts = [_weighted(rng, LOTS_PER_CONTRACT) for _ in self.contracts]
        target = self.scale.lots
        while sum(counts) > target:
            i = rng.randrange(len(counts))
            if counts[i] > 1:
                counts[i] -= 1
        while sum(counts) < target:
            counts[rng.randrange(len(counts))] += 1
        return counts

    def _trades_for(self, theme, count):
        rng = self.rng
        trades = self.trades_by_sector
        if theme == "building":
            pool = list(trades["building"])
            first = next((t for t in pool if t["name"].startswith("Gros œuvre")), pool[0])
            rest = [t for t in pool if t is not first]
            rng.shuffle(rest)
            chosen = [first] + rest
            extra = trades["public_works"] + trades["green_spaces"]
            while len(chosen) < count:
                chosen.append(rng.choice(pool + extra))
            if count > 3 and rng.random() < 0.3:
                chosen[count - 1] = rng.choice(extra)
            return chosen[:count]
        if theme == "public_works":
            pool = list(trades["public_works"])
            extra = trades["green_spaces"] + [t for t in trades["building"] if t["name"].startswith("Démolition")]
            return [pool[i % len(pool)] if i < 2 or rng.random() < 0.7 else rng.choice(extra) for i in range(count)]
        return [(trades[theme] or trades["building"])[0]] * count

    def _build_lots(self):
        rng = self.rng
        for contract, count in zip(self.contracts, self._lot_counts(), strict=True):
            trades = self._trades_for(contract.theme, count)
            days = (contract.end - contract.start).days
            seen = Counter()
            for number, trade in enumerate(trades, start=1):
                seen[trade["name"]] += 1
                title = trade["name"].split(",")[0]
                if seen[trade["name"]] > 1 or (contract.theme in THEME_SERVICE and count > 1):
                    title = f"{title} — secteur {seen[trade['name']]}"
                start, end = contract.start, contract.end
                if contract.theme == "building" and number > 1 and days > 200:
                    start = contract.start + timedelta(days=rng.randrange(0, int(days * 0.35)))
                    end = contract.end - timedelta(days=rng.randrange(0, int(days * 0.1)))
                basis = self._basis(trade["sector"])
                if basis == BASIS.RESERVED_ESS:  # reserved to the ESS: 3 years at most (L2113-15)
                    end = min(end, legal_bases.ess_latest_end(start))
                lot = LotRec(contract, str(number), title, trade, start, end, basis)
                lot.weight = ((end - start).days + 1) ** 0.6 * rng.lognormvariate(0, 0.35)
                self._award(lot)
                self.lots.append(lot)

    def _basis(self, sector):
        rng = self.rng
        if rng.random() < 0.03:
            return ""
        boost = 3 if sector in ("cleaning", "green_spaces", "waste", "services") else 0.6
        r = rng.random() * 100
        for basis, share in (
            (BASIS.RESERVED_SIAE, 3 * boost),
            (BASIS.RESERVED_DISABILITY, 2.5 * boost),
            (BASIS.INSERTION_CONTRACT, 1.5 * (boost if sector != "building" else 0.3)),
            (BASIS.RESERVED_ESS, 0.5 * (boost if sector in ("services", "catering") else 0)),
            (BASIS.AWARD_CRITERION, 5),
        ):
            if r < share:
                return basis
            r -= share
        return BASIS.EXECUTION_CONDITION

    def _structure(self, territory, kinds):
        candidates = [s for kind in kinds for s in territory.structures.get(kind, [])]
        return candidates[self.rng.randrange(len(candidates))] if candidates else None

    def _company(self, territory, sector):
        companies, cumulative = territory.companies[sector]
        return _pick(self.rng, companies, cumulative)

    def _award(self, lot):
        rng = self.rng
        t = self.territories[lot.territory]
        holder = None
        if lot.basis in RESERVED_HOLDERS:
            holder = self._structure(t, RESERVED_HOLDERS[lot.basis])
        holder = holder or self._company(t, lot.sector)
        lot.awards.append((holder, LotAward.Role.HOLDER))
        if holder.kind == K.COMPANY and rng.random() < 0.08:
            other = self._company(t, lot.sector)
            if other is not holder:
                lot.awards.append((other, LotAward.Role.CO_CONTRACTOR))
        if holder.kind == K.COMPANY and rng.random() < 0.06:
            self._add_award(lot, self._structure(t, SUBCONTRACTORS), LotAward.Role.SUBCONTRACTOR)

    @staticmethod
    def _add_award(lot, company, role):
        if company is not None and all(existing is not company for existing, _ in lot.awards):
            lot.awards.append((company, role))

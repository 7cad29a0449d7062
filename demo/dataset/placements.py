"""Placements: lots, modes, employers, contract types, dates calibrated on the lines' target."""

from datetime import timedelta
from decimal import Decimal

from clauses.models import LotAward

from .config import MAX_PLACEMENT_DAYS, MODE, S
from .distributions import RESERVED_HOLDERS, STAFF_PROVIDERS, SUBCONTRACTORS, _cumulative, _weighted
from .records import PlacementRec


class PlacementsPlanner:
    """Part of ``Generator`` (``build.py``)."""

    # Placements ---------------------------------------------------------------------------------

    def build_placements(self):
        rng = self.rng
        eligible = [lot for lot in self.lots if lot.basis and lot.start <= self.today and lot.end > lot.start]
        chosen = rng.choices(
            eligible, cum_weights=_cumulative([lot.weight for lot in eligible]), k=self.scale.placements
        )
        for lot in chosen:
            self.placements.append(self._placement_on(lot))
        factor = self._calibrate()
        self._place(factor)
        self.say(f"Mises à l'emploi : {len(self.placements)} (durées × {factor:.2f}).")

    def _placement_on(self, lot):
        rng = self.rng
        t = self.territories[lot.territory]
        holder = lot.holder
        if lot.basis in RESERVED_HOLDERS:
            mode, employer = MODE.DIRECT_HIRE, holder
        else:
            r = rng.random()
            mode = (
                MODE.DIRECT_HIRE
                if r < 0.5
                else MODE.PROVISION
                if r < 0.8
                else MODE.SUBCONTRACTING
                if r < 0.95
                else MODE.TRAINING
            )
            employer = holder
            if mode == MODE.DIRECT_HIRE and len(lot.awards) > 1 and lot.awards[1][1] == LotAward.Role.CO_CONTRACTOR:
                employer = lot.awards[1][0] if rng.random() < 0.3 else holder
            elif mode == MODE.PROVISION:
                employer = self._structure(t, (rng.choice([S.ETTI, S.ETTI, S.AI, S.GEIQ]),)) or self._structure(
                    t, STAFF_PROVIDERS
                )
            elif mode == MODE.SUBCONTRACTING:
                existing = [c for c, role in lot.awards if role == LotAward.Role.SUBCONTRACTOR]
                employer = existing[0] if existing and rng.random() < 0.7 else self._structure(t, SUBCONTRACTORS)
                self._add_award(lot, employer, LotAward.Role.SUBCONTRACTOR)
        contract_type = self._contract_type(mode, employer)
        weekly = self._weekly_hours(lot.sector, contract_type, employer)
        base = {
            "temporary": (1, 6),
            "cdd": (3, 12),
            "cddi": (4, 24),
            "apprenticeship": (12, 24),
            "professionalisation": (6, 18),
            "cdi": (6, 30),
        }[contract_type]
        return PlacementRec(lot, employer, mode, contract_type, weekly, rng.random(), rng.uniform(*base))

    def _contract_type(self, mode, employer):
        rng = self.rng
        kind = employer.structure_kind
        if mode == MODE.TRAINING:
            return rng.choice(["professionalisation", "apprenticeship"])
        if kind in (S.ETTI, S.EATT):
            return "temporary"
        if kind == S.GEIQ:
            return "professionalisation" if rng.random() < 0.75 else "apprenticeship"
        if kind == S.AI:
            return "cdd"
        if kind in (S.ACI, S.EI, S.EITI):
            return "cddi"
        if kind in (S.EA, S.ESAT):
            return "cdi" if rng.random() < 0.4 else "cdd"
        return _weighted(rng, {"cdd": 45, "cdi": 13, "apprenticeship": 15, "professionalisation": 12, "temporary": 15})

    def _weekly_hours(self, sector, contract_type, employer):
        rng = self.rng
        if employer.structure_kind == S.ACI:
            return Decimal(rng.choice(["26", "26", "24", "30", "35"]))
        if sector == "cleaning":
            return Decimal(rng.choice(["20", "24", "26", "28", "30", "35"]))
        return Decimal(_weighted(rng, {"35": 62, "39": 10, "28": 13, "24": 10, "17.5": 5}))

    def _dates(self, placement, factor):
        lot = placement.lot
        span = (lot.end - lot.start).days + 1
        duration = min(span, MAX_PLACEMENT_DAYS, max(14, int(placement.base_months * factor * 30.44)))
        start = lot.start + timedelta(days=int(placement.position * (span - duration)))
        return start, start + timedelta(days=duration - 1)

    def _line_months(self, start, end):
        last = min(end, self.last_declared_day)
        if start > last:
            return 0
        return (last.year - start.year) * 12 + last.month - start.month + 1

    def _calibrate(self):
        """The factor on durations that brings the number of monthly lines near the target."""

        def lines(factor):
            return sum(self._line_months(*self._dates(p, factor)) for p in self.placements)

        low, high = 0.2, 8.0
        for _ in range(18):
            middle = (low + high) / 2
            if lines(middle) < self.scale.lines:
                low = middle
            else:
                high = middle
        return (low + high) / 2

    def _place(self, factor):
        for placement in self.placements:
            placement.start, placement.end = self._dates(placement, factor)
            if (
                placement.contract_type == "cdi"
                and placement.end >= self.today
                and placement.lot.end >= self.today
                and self.rng.random() < 0.5
            ):
                placement.end = None

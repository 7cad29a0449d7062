"""Awareness actions."""

from datetime import timedelta

from .config import B
from .distributions import ACTION_KINDS


class AwarenessPlanner:
    """Part of ``Generator`` (``build.py``)."""

    def build_actions(self):
        rng = self.rng
        kinds = list(ACTION_KINDS)
        days = int(self.scale.years * 365.25)
        for index, t in enumerate(self.territories):
            count = max(1, round(self.scale.actions_per_year * self.scale.years * min(2.0, max(0.4, t.weight))))
            sectors = [ref for ref, _ in self.ain_sectors] if index == 0 else [self.sectors[index - 1]]
            partners = t.buyers[B.COMMUNE] + t.buyers[B.EPCI] + [c for cs, _ in t.companies.values() for c in cs[:5]]
            for _ in range(count):
                kind = rng.choices(kinds, weights=[ACTION_KINDS[k][0] for k in kinds])[0]
                _, title, (low, high) = ACTION_KINDS[kind]
                r = rng.random()
                epci = t.epcis[rng.randrange(len(t.epcis))] if r < 0.5 else None
                sector = sectors[rng.randrange(len(sectors))] if 0.5 <= r < 0.7 and sectors else None
                audiences = rng.sample(self.audiences, min(len(self.audiences), rng.randint(1, 3)))
                organisations = rng.sample(partners, min(len(partners), rng.randint(0, 3)))
                self.actions.append(
                    (
                        self.today - timedelta(days=rng.randrange(days)),
                        kind,
                        title,
                        rng.randint(low, high),
                        epci,
                        sector,
                        audiences,
                        organisations,
                        self.facilitator(t.body),
                    )
                )
        self.say(f"Actions de sensibilisation : {len(self.actions)}.")

"""Participants chained into pathways, and the accounts (staff, employers, buyers)."""

import heapq
from collections import Counter, defaultdict
from datetime import date, timedelta

from faker.providers.person.fr_FR import Provider as FrenchNames

from partners.roles import Role
from placements.eligibility import add_months

from .config import (
    EMAIL_DOMAIN,
    K,
)
from .distributions import DISABILITY, EDUCATION, MOBILITY, SIAE, WOMEN_SHARE, _weighted
from .records import ParticipantRec, UserRec


class PeoplePlanner:
    """Part of ``Generator`` (``build.py``)."""

    # Participants -------------------------------------------------------------------------------

    def build_participants(self):
        """Chain the placements into pathways: exactly ``participants`` people."""
        rng = self.rng
        order = sorted(range(len(self.placements)), key=lambda i: (self.placements[i].start, i))
        running = defaultdict(list)  # territory -> heap of (end ordinal, serial, person)
        free = defaultdict(list)
        remaining_placements, remaining_people = len(order), self.scale.participants
        far = date.max.toordinal()
        for serial, i in enumerate(order):
            placement = self.placements[i]
            t = placement.lot.territory
            heap = running[t]
            while heap and heap[0][0] + 7 < placement.start.toordinal():
                free[t].append(heapq.heappop(heap)[2])
            person = None
            must_create = remaining_people >= remaining_placements
            reuse = not must_create and (
                remaining_people == 0 or rng.random() < (remaining_placements - remaining_people) / remaining_placements
            )
            if reuse and free[t]:
                # Someone whose placement ended lately (the list is in order of end), and whose
                # pathway began less than 18 months ago; others rarely come back.
                j = len(free[t]) - 1 - min(len(free[t]) - 1, int(rng.expovariate(1 / 8)))
                candidate = free[t][j]
                if candidate.first_start >= add_months(placement.start, -18) or remaining_people == 0:
                    free[t][j], free[t][-1] = free[t][-1], free[t][j]
                    person = free[t].pop()
            elif reuse and remaining_people == 0:
                pool = self.territories[t].participants or self.participants
                person = pool[rng.randrange(len(pool))]
            if person is None:
                person = self._participant(placement)
                remaining_people -= 1
            placement.participant = person
            remaining_placements -= 1
            end = placement.end.toordinal() if placement.end else far
            heapq.heappush(heap, (end, serial, person))
        self.say(f"Participants : {len(self.participants)}.")

    def _participant(self, placement):
        rng = self.rng
        lot = placement.lot
        t = self.territories[lot.territory]
        start = placement.start
        sex = "F" if rng.random() < WOMEN_SHARE[lot.sector] else "M"
        band = rng.random()
        age = rng.randint(18, 25) if band < 0.27 else rng.randint(26, 49) if band < 0.82 else rng.randint(50, 63)
        birth = date(start.year - age, start.month, min(start.day, 28)) - timedelta(days=rng.randrange(365))
        disability = placement.employer.structure_kind in DISABILITY
        rsa = rng.random() < (0.05 if age < 25 else 0.2 if disability else 0.6)
        criteria = []
        if (rsa and rng.random() < 0.95) or (not rsa and age >= 25 and rng.random() < 0.03):
            criteria.append("RSA")
        for code, chance in (
            ("DELD", 0.38 if age >= 26 else 0.1),
            ("JEUNE", 0.75 if age < 26 else 0),
            ("SENIOR", 0.6 if age >= 50 else 0),
            ("QPV", 0.18),
            ("TH", 1 if disability else 0.08),
            ("AAH", 0.3 if disability else 0.03),
            ("ASS", 0.04 if age >= 26 else 0),
            ("ATA", 0.005),
            ("IAE", 0.15 if placement.employer.structure_kind in SIAE else 0.04),
            ("EPIDE_E2C", 0.06 if age < 26 else 0),
            ("DEROGATION", 0.02),
        ):
            if chance and rng.random() < chance:
                criteria.append(code)
        if not criteria:
            criteria.append("DELD" if age >= 26 else "JEUNE")
        if "RSA" in criteria and rng.random() < 0.6:
            service = "rsa_referent" if rng.random() < 0.5 else "cds"
        elif "JEUNE" in criteria:
            service = "mission_locale"
        elif "TH" in criteria:
            service = "cap_emploi"
        else:
            service = "plie" if t.services.get("plie") and rng.random() < 0.2 else "france_travail"
        services = t.services.get(service) or t.services["france_travail"]
        trades = self.trades_by_sector[lot.sector]
        names = FrenchNames.first_names_female if sex == "F" else FrenchNames.first_names_male
        person = ParticipantRec(
            first_name=names[rng.randrange(len(names))],
            last_name=FrenchNames.last_names[rng.randrange(len(FrenchNames.last_names))],
            birth_date=birth,
            sex=sex,
            place=self.place_in(t, lot.contract.operation.place.epci),
            education=_weighted(rng, EDUCATION),
            mobility=_weighted(rng, MOBILITY),
            rsa=rsa,
            body=lot.contract.operation.body or self.department_org,
            prescriber=services[rng.randrange(len(services))] if rng.random() < 0.85 else None,
            criteria=criteria,
            trades=[trades[rng.randrange(len(trades))]["pk"]] if trades else [],
            first_start=start,
            territory=lot.territory,
        )
        self.participants.append(person)
        t.participants.append(person)
        return person

    # Accounts -------------------------------------------------------------------------------------

    def build_staff(self):
        """The administrator, the department reader and one facilitator per facilitation body."""
        self._user("administrateur", Role.ADMINISTRATOR, self.department_org)
        self._user("lecteur", Role.DEPARTMENT_READER, self.department_org)
        bodies = {}
        for operation in self.operations:
            if operation.body is not None:
                bodies.setdefault(operation.body, 0)
                bodies[operation.body] += 1
        bodies.setdefault(self.department_org, 0)
        for number, body in enumerate(sorted(bodies, key=lambda b: (-bodies[b], b.name)), start=1):
            self.facilitator_of[body] = self._user(f"facilitateur-{number:03d}", Role.FACILITATOR, body)
        self.any_facilitator = self.facilitator_of[self.department_org]

    def build_partners_accounts(self):
        """The three busiest companies, the two busiest structures and the five busiest buyers get an account."""
        employers = Counter(p.employer for p in self.placements)
        busiest = sorted(employers.items(), key=lambda item: (-item[1], item[0].name))
        companies = [org for org, _ in busiest if org.kind == K.COMPANY][:3]
        structures = [org for org, _ in busiest if org.kind == K.INCLUSION_STRUCTURE][:2]
        for number, org in enumerate(companies + structures, start=1):
            self.employer_user[org] = self._user(f"employeur-{number}", Role.EMPLOYER, org)
        buyers = Counter(o.buyer for o in self.operations if o.buyer is not self.department_org)
        for number, (org, _) in enumerate(sorted(buyers.items(), key=lambda item: (-item[1], item[0].name))[:5], 1):
            self._user(f"acheteur-{number}", Role.BUYER, org)

    def _user(self, local_part, role, organisation):
        rng = self.rng
        female = rng.random() < 0.6
        names = FrenchNames.first_names_female if female else FrenchNames.first_names_male
        user = UserRec(
            f"{local_part}@{EMAIL_DOMAIN}",
            names[rng.randrange(len(names))],
            FrenchNames.last_names[rng.randrange(len(FrenchNames.last_names))],
            role,
            organisation,
        )
        self.users.append(user)
        return user

    def facilitator(self, body):
        return self.facilitator_of.get(body) or self.any_facilitator

"""Job offers and candidacies, follow-ups and outcomes at exit and later."""

from datetime import timedelta
from decimal import Decimal

from placements import outcomes as outcome_rules
from placements.eligibility import add_months
from placements.models import (
    Candidacy,
    FollowUp,
    JobOffer,
    Outcome,
)

from .config import MODE
from .distributions import (
    EXIT_SITUATIONS,
    FOLLOW_UP_NOTES,
    POSITIONS,
    SIX_MONTH_SITUATIONS,
    _cumulative,
    _pick,
    _weighted,
)
from .records import CandidacyRec, OfferRec


class OffersAndOutcomesPlanner:
    """Part of ``Generator`` (``build.py``)."""

    # Offers, candidacies, follow-ups, outcomes, actions ------------------------------------------------

    def build_offers(self):
        rng = self.rng
        chances = {MODE.DIRECT_HIRE: 0.7, MODE.TRAINING: 0.7, MODE.PROVISION: 0.3, MODE.SUBCONTRACTING: 0.2}
        for placement in self.placements:
            if rng.random() >= chances[placement.mode]:
                continue
            offer = self._offer(placement.lot, placement.employer, placement.contract_type, placement.start)
            offer.weekly = placement.weekly
            offer.status = JobOffer.Status.FILLED
            person = placement.participant
            hired = CandidacyRec(offer, person, Candidacy.Status.HIRED, proposed_by=self.facilitator(person.body))
            self.candidacies.append(hired)
            placement.candidacy = hired
            self._other_candidacies(offer, [person], rng.randint(0, 3), final=True)
        running = [lot for lot in self.lots if lot.basis and lot.start <= self.today <= lot.end]
        for _ in range(max(1, len(self.placements) // 25) if running else 0):
            lot = running[rng.randrange(len(running))]
            employer = lot.holder
            offer = self._offer(
                lot,
                employer,
                self._contract_type(MODE.DIRECT_HIRE, employer),
                self.today + timedelta(rng.randint(7, 60)),
            )
            self._other_candidacies(offer, [], rng.randint(0, 4), final=False)
        started = [lot for lot in self.lots if lot.basis and lot.start <= self.today]
        for _ in range(len(self.placements) // 60 if started else 0):
            lot = started[rng.randrange(len(started))]
            offer = self._offer(lot, lot.holder, "cdd", lot.start + timedelta(days=rng.randint(0, 60)))
            offer.status = JobOffer.Status.CANCELLED
            self._other_candidacies(offer, [], rng.randint(0, 1), final=True)
        self.say(f"Offres : {len(self.offers)}, candidatures : {len(self.candidacies)}.")

    def _offer(self, lot, employer, contract_type, start):
        position, rome = self.rng.choice(POSITIONS[lot.sector])
        offer = OfferRec(lot, employer, position, rome, contract_type, 1, Decimal(35), start, JobOffer.Status.OPEN)
        self.offers.append(offer)
        return offer

    def _other_candidacies(self, offer, taken, count, final):
        rng = self.rng
        pool = self.territories[offer.lot.territory].participants or self.participants
        for _ in range(count):
            person = pool[rng.randrange(len(pool))]
            if any(person is other for other in taken):
                continue
            taken.append(person)
            candidacy = CandidacyRec(offer, person, "", proposed_by=self.facilitator(person.body))
            if final:
                if rng.random() < 0.75:
                    candidacy.status = Candidacy.Status.REFUSED
                    candidacy.refusal = rng.choice(Candidacy.RefusalReason.values)
                else:
                    candidacy.status = Candidacy.Status.WITHDRAWN
                    candidacy.comment = "A trouvé un emploi ailleurs."
            else:
                candidacy.status = _weighted(
                    rng,
                    {
                        Candidacy.Status.PROPOSED: 35,
                        Candidacy.Status.SENT: 30,
                        Candidacy.Status.INTERVIEW: 20,
                        Candidacy.Status.REFUSED: 15,
                    },
                )
                if candidacy.status == Candidacy.Status.INTERVIEW:
                    candidacy.interview = self.today + timedelta(days=rng.randint(1, 14))
                if candidacy.status == Candidacy.Status.REFUSED:
                    candidacy.refusal = rng.choice(Candidacy.RefusalReason.values)
            self.candidacies.append(candidacy)

    def build_follow_ups_and_outcomes(self):
        rng = self.rng
        today = self.today
        moments = [(Outcome.Moment.EXIT, 0, 0.92, EXIT_SITUATIONS)]
        for months in self.follow_up_months:
            moment = Outcome.Moment.SIX_MONTHS if months == 6 else Outcome.Moment.TWELVE_MONTHS
            moments.append((moment, months, 0.75 if months == 6 else 0.6, SIX_MONTH_SITUATIONS))
        exit_keys, exit_weights = list(EXIT_SITUATIONS), _cumulative(EXIT_SITUATIONS.values())
        later_keys, later_weights = list(SIX_MONTH_SITUATIONS), _cumulative(SIX_MONTH_SITUATIONS.values())
        for placement in self.placements:
            facilitator = self.facilitator(placement.participant.body)
            planned = [
                (FollowUp.Kind.START, placement.start),
                (FollowUp.Kind.ONE_MONTH, add_months(placement.start, 1)),
            ]
            if placement.end:
                planned.append((FollowUp.Kind.END, placement.end))
            for kind, due in planned:
                done = None
                if due <= today and rng.random() < 0.93:
                    done = min(today, due + timedelta(days=rng.randint(0, 10)))
                self.follow_ups.append(
                    (placement, kind, due, done, rng.choice(FOLLOW_UP_NOTES) if done else "", facilitator)
                )
            if not placement.end:
                continue
            person = placement.participant
            rsa = person.rsa or "RSA" in person.criteria
            previous = None
            for moment, months, chance, _ in moments:
                due = add_months(placement.end, months) if months else placement.end
                if due > today or rng.random() >= chance:
                    self.outcomes.append((placement, moment, due, None, "", "", None))
                    continue
                if moment == Outcome.Moment.EXIT:
                    situation = _pick(rng, exit_keys, exit_weights)
                elif previous in ("cdi", "civil_service", "long_fixed_term") and rng.random() < 0.75:
                    situation = previous
                else:
                    situation = _pick(rng, later_keys, later_weights)
                previous = situation
                if not rsa:
                    rsa_status = Outcome.RsaStatus.NOT_CONCERNED
                elif rng.random() < 0.1:
                    rsa_status = Outcome.RsaStatus.UNKNOWN
                else:
                    left = (0.15 if moment == Outcome.Moment.EXIT else 0.35) * (
                        1.6 if outcome_rules.is_dynamic(situation) else 0.5
                    )
                    rsa_status = Outcome.RsaStatus.LEFT if rng.random() < left else Outcome.RsaStatus.RECEIVING
                recorded = min(today, due + timedelta(days=rng.randint(0, 30)))
                self.outcomes.append((placement, moment, due, recorded, situation, rsa_status, facilitator))
        self.say(f"Suivis : {len(self.follow_ups)}, sorties : {len(self.outcomes)}.")

"""The ``Generator``, made of its planners and writers, and ``generate()``, which runs them in order."""

import random
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from placements import declaration_rules
from placements import outcomes as outcome_rules
from placements.models import Outcome

from .awareness import AwarenessPlanner
from .bulk import BulkWriter
from .config import BASIS, LINE, SCALES, DatasetError
from .hours import HoursPlanner
from .lots import LotsPlanner
from .offers_and_outcomes import OffersAndOutcomesPlanner
from .organisations import OrganisationsPlanner
from .people import PeoplePlanner
from .placements import PlacementsPlanner
from .territory import TerritoryPlanner
from .write_organisations import OrganisationsWriter
from .write_people import PeopleWriter


class Generator(
    TerritoryPlanner,
    OrganisationsPlanner,
    LotsPlanner,
    PlacementsPlanner,
    PeoplePlanner,
    HoursPlanner,
    OffersAndOutcomesPlanner,
    AwarenessPlanner,
    BulkWriter,
    OrganisationsWriter,
    PeopleWriter,
):
    def __init__(self, scale, seed=1, today=None, log=None):
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.log = log or (lambda message: None)
        self.started = time.monotonic()
        self.window_months = settings.CLAUSIER["COUNTING_WINDOW_MONTHS"]
        self.training_counts = settings.CLAUSIER["TRAINING_HOURS_COUNT"]
        self.follow_up_months = list(settings.CLAUSIER["OUTCOME_FOLLOW_UP_MONTHS"])
        self.previous_month = declaration_rules.previous_month(self.today)
        self.last_declared_day = declaration_rules.last_day(self.previous_month)
        span_days = int((scale.years + max(1, 3 - scale.years)) * 365.25)
        self.first_day = self.today - timedelta(days=span_days)
        self.last_start = self.today + timedelta(days=182)
        self.epcis, self.communes, self.sectors = [], [], []
        self.orgs, self.users, self.memberships = [], [], []
        self.operations, self.contracts, self.lots = [], [], []
        self.placements, self.participants = [], []
        self.offers, self.candidacies = [], []
        self.declarations, self.lines = {}, []
        self.follow_ups, self.outcomes, self.actions = [], [], []
        self.facilitator_of = {}
        self.employer_user = {}
        self.siren_counter = 0
        self.stats = {}

    def say(self, message):
        self.log(f"[{time.monotonic() - self.started:6.1f} s] {message}")

    def summary(self):
        people = self.participants
        rsa = sum(1 for p in people if p.rsa or "RSA" in p.criteria)
        first_sector = {}
        for placement in sorted(self.placements, key=lambda p: p.start):
            first_sector.setdefault(placement.participant, placement.lot.sector)
        building = [p for p in people if first_sector.get(p) == "building"]
        exits = [o[4] for o in self.outcomes if o[1] == Outcome.Moment.EXIT and o[4]]
        rates = outcome_rules.exit_rates(exits)
        current = [line for line in self.lines if line[3]]
        return {
            "lots en retard": f"{self.stats['lots_behind']} / {self.stats['lots_started']} commencés",
            "participants au RSA": f"{rsa * 100 // max(1, len(people))} %",
            "femmes dans le bâtiment": f"{sum(p.sex == 'F' for p in building) * 100 // max(1, len(building))} %",
            "sorties dynamiques à la sortie": f"{rates.dynamic_rate} %",
            "lignes hors fenêtre (non comptées)": sum(1 for line in current if not line[5]),
            "lignes corrigées (version 2)": sum(1 for line in self.lines if line[2] == 2),
            "lignes à valider": sum(1 for line in current if line[6] == LINE.PENDING),
            "marchés réservés (lots SIAE, EA/ESAT)": sum(
                1 for lot in self.lots if lot.basis in (BASIS.RESERVED_SIAE, BASIS.RESERVED_DISABILITY)
            ),
        }


def generate(scale="tiny", seed=1, years=None, today=None, log=None):
    """Plan then write a dataset; return the counts written and a summary of its distributions."""
    if isinstance(scale, str):
        if scale not in SCALES:
            raise DatasetError(f"Échelle inconnue : {scale} (choix : {', '.join(SCALES)}).")
        scale = SCALES[scale]
    scale = scale.for_years(years)
    generator = Generator(scale, seed=seed, today=today, log=log)
    generator.load_reference()
    generator.build_territories()
    generator.build_organisations()
    generator.build_contracts()
    generator.build_staff()
    generator.build_placements()
    generator.build_participants()
    generator.build_partners_accounts()
    generator.build_declarations()
    generator.build_requirements()
    generator.build_offers()
    generator.build_follow_ups_and_outcomes()
    generator.build_actions()
    with transaction.atomic():
        counts = generator.write()
    if connection.vendor == "postgresql":
        # Fresh statistics, so that a benchmark right after the load sees the planner's real plans.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        generator.say("Statistiques du planificateur à jour (ANALYZE).")
    generator.say("Terminé.")
    return counts, generator.summary(), generator

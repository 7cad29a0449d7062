"""Monthly declarations and their lines, then each lot's clause from the hours validated."""

import math
from datetime import timedelta
from decimal import ROUND_CEILING, Decimal

from clauses import computation
from clauses import hours as clause_hours
from placements import declaration_rules
from placements.eligibility import add_months, counting_window

from .config import BEHIND_SHARE, LINE, MODE
from .distributions import HALF_HOURS, RESERVED_HOLDERS, _months
from .records import DeclarationRec


class HoursPlanner:
    """Part of ``Generator`` (``build.py``)."""

    # Declarations -------------------------------------------------------------------------------

    def build_declarations(self):
        rng = self.rng
        before_previous = declaration_rules.previous_month(self.previous_month)
        for placement in self.placements:
            person = placement.participant
            window = counting_window(person.first_start, self.window_months)
            last = min(placement.end or self.last_declared_day, self.last_declared_day)
            if placement.start > last:
                continue
            full = placement.weekly * 52 / 12
            is_training = placement.mode == MODE.TRAINING
            reviewer = self.facilitator(person.body)
            for month in _months(placement.start, last):
                key = (placement.employer, month)
                declaration = self.declarations.get(key)
                if declaration is None:
                    declaration = DeclarationRec(placement.employer, month, self._declaration_state(month))
                    self.declarations[key] = declaration
                if declaration.state == "not_declared":
                    continue
                month_end = declaration_rules.last_day(month)
                days = (min(month_end, placement.end or month_end) - max(month, placement.start)).days + 1
                attendance = rng.uniform(0.8, 1.0) if rng.random() > 0.02 else rng.uniform(0.2, 0.7)
                hours = float(full) * days / month_end.day * attendance
                half = min(416, max(0, round(hours * 2)))
                counted = declaration_rules.counts(month, window, is_training, self.training_counts)
                if declaration.state == "draft":
                    self._line(placement, declaration, 1, True, half, counted, LINE.DRAFT, None)
                    continue
                status = LINE.PENDING if declaration.state == "submitted" else LINE.VALIDATED
                r = rng.random()
                recent = month >= before_previous
                if recent and r < 0.03:
                    self._line(placement, declaration, 1, True, half, counted, LINE.REJECTED, reviewer)
                elif r < 0.065 and half > 16:
                    wrong = min(416, half + rng.choice([8, 14, 16, -16, 28]))
                    self._line(placement, declaration, 1, False, wrong, counted, LINE.REJECTED, reviewer)
                    self._line(placement, declaration, 2, True, half, counted, status, reviewer)
                    declaration.corrected = True
                else:
                    self._line(placement, declaration, 1, True, half, counted, status, reviewer)
        self.declarations = {key: d for key, d in self.declarations.items() if d.statuses}
        self.say(f"Déclarations : {len(self.declarations)}, lignes : {len(self.lines)}.")

    def _declaration_state(self, month):
        r = self.rng.random()
        if month == self.previous_month:
            return "not_declared" if r < 0.08 else "draft" if r < 0.18 else "submitted" if r < 0.73 else "validated"
        if month == declaration_rules.previous_month(self.previous_month):
            return "submitted" if r < 0.06 else "validated"
        return "submitted" if r < 0.003 else "validated"

    def _line(self, placement, declaration, version, current, half, counted, status, reviewer):
        reviewed = reviewer if status in (LINE.VALIDATED, LINE.REJECTED) else None
        self.lines.append((placement, declaration, version, current, half, counted, status, reviewed))
        if current:
            declaration.statuses.append(status)
            if status == LINE.VALIDATED and counted:
                placement.lot.validated += HALF_HOURS[half]

    # Hours required -------------------------------------------------------------------------------

    def build_requirements(self):
        """Set each lot's clause from the hours validated on it, so that 40 % of the started lots
        are behind schedule (see the module's docstring)."""
        rng = self.rng
        today = self.today
        started = [lot for lot in self.lots if lot.basis and lot.start <= today]
        empty = [
            lot for lot in started if not lot.validated and clause_hours.elapsed_share(lot.start, lot.end, today) > 0
        ]
        others = [lot for lot in started if lot.validated]
        wanted = max(0, round(BEHIND_SHARE * len(started)) - len(empty))
        for lot in rng.sample(others, min(wanted, len(others))):
            lot.behind = True
        for lot in self.lots:
            if not lot.basis:
                lot.amount = self._prior_amount(lot)
                continue
            if lot.validated and lot.start <= today:
                share = float(clause_hours.elapsed_share(lot.start, lot.end, today)) or 1.0
                ratio = rng.uniform(0.35, 0.88) if lot.behind else rng.uniform(1.08, 1.7)
                required = max(1, math.ceil(float(lot.validated) / (share * ratio)))
            else:
                required = None
            self._clause(lot, min(required, 200_000) if required else None)
        behind = sum(
            1
            for lot in started
            if clause_hours.lot_progress(self.required(lot), lot.validated, lot.start, lot.end, today).status
            == clause_hours.BEHIND
        )
        self.stats["lots_started"] = len(started)
        self.stats["lots_behind"] = behind
        self.say(f"Heures exigées fixées : {behind} lots en retard sur {len(started)} commencés.")

    def required(self, lot):
        if lot.method == computation.PER_EURO_INVOICED:
            return clause_hours.invoiced_hours(
                sum((a for _, _, a in lot.invoices), Decimal(0)), lot.inputs["euros_per_hour"]
            )
        return lot.contractual if lot.contractual is not None else lot.computed

    def _prior_amount(self, lot):
        median = {
            "building": 350_000,
            "public_works": 500_000,
            "cleaning": 250_000,
            "green_spaces": 120_000,
            "waste": 400_000,
            "catering": 300_000,
            "services": 150_000,
        }[lot.sector]
        value = min(15_000_000, max(20_000, self.rng.lognormvariate(math.log(median), 0.9)))
        return Decimal(round(value, -2))

    def _clause(self, lot, required):
        """Inputs of the clause that give ``required`` hours (or plausible ones when None)."""
        rng = self.rng
        prior = self._prior_amount(lot)
        reserved = lot.basis in RESERVED_HOLDERS
        months = clause_hours.months_between(lot.start, lot.end)
        if lot.contract.framework and rng.random() < 0.6:
            method = computation.PER_EURO_INVOICED
        elif lot.sector == "cleaning" and rng.random() < 0.7:
            method = computation.CLEANING
        elif rng.random() < 0.04:
            method = computation.WORKED_HOURS_SHARE
        else:
            method = computation.FORMULA
        labour = Decimal(lot.trade["labour_share"])
        cost = Decimal(rng.choice(["25", "28", "30", "30", "30", "32"])) if rng.random() < 0.3 else self.hourly_cost
        rates = [50, 70, 100] if reserved else [5, 6, 7, 8, 10, 12, 15, 20]
        if required is None:
            rate = Decimal(rng.choice(rates))
            required = max(1, int(prior * labour * rate / Decimal(10_000) / cost))
        inputs, invoiced = {}, None
        if method == computation.FORMULA:
            amounts = {r: Decimal(required) * cost * 10_000 / (labour * r) for r in rates}
            rate = min(rates, key=lambda r: abs(math.log(float(amounts[r]) / float(prior))))
            amount = amounts[rate].quantize(Decimal(1), rounding=ROUND_CEILING)
            inputs = {"labour_share": labour, "insertion_rate": Decimal(rate), "hourly_cost": cost}
        elif method == computation.CLEANING:
            coefficient = clause_hours.CLEANING_COEFFICIENT
            rate = min(rates, key=lambda r: abs(math.log(required * 25 * 100 / r / float(prior))))
            amount = (Decimal(required) * coefficient * 100 / rate).quantize(Decimal(1), rounding=ROUND_CEILING)
            inputs = {"insertion_rate": Decimal(rate), "cleaning_coefficient": coefficient}
            if rng.random() < 0.15:
                transferred = Decimal(rng.choice([80, 150, 300, 450]))
                amount += transferred * coefficient * months
                inputs["transferred_monthly_hours"] = transferred
        elif method == computation.WORKED_HOURS_SHARE:
            share = Decimal(rng.choice([5, 7, 10]))
            amount = prior
            inputs = {
                "worked_hours_share": share,
                "estimated_worked_hours": (Decimal(required) * 100 / share).quantize(
                    Decimal(1), rounding=ROUND_CEILING
                ),
            }
        else:
            euros = Decimal(rng.choice([1000, 1500, 2000, 2500, 3000]))
            inputs = {"euros_per_hour": euros}
            invoiced = Decimal(0)
            if lot.start <= self.today:
                total = Decimal(required) * euros
                periods = []
                start = lot.start
                while start <= min(lot.end, self.today):
                    end = min(add_months(start, 3) - timedelta(days=1), lot.end)
                    periods.append((start, end))
                    start = end + timedelta(days=1)
                weights = [rng.uniform(0.6, 1.4) for _ in periods]
                parts = [(total * Decimal(w / sum(weights))).quantize(Decimal("0.01")) for w in weights]
                parts[-1] = total - sum(parts[:-1])
                lot.invoices = [(s, e, a) for (s, e), a in zip(periods, parts, strict=True)]
                invoiced = total
            amount = max(prior, (Decimal(required) * euros * Decimal(rng.uniform(1.1, 1.6))).quantize(Decimal(100)))
        result = computation.compute(method, amount, inputs, months=months, invoiced_total=invoiced)
        lot.amount, lot.method, lot.inputs = amount, method, inputs
        lot.computed = result.hours if result.hours is not None else Decimal(0)
        if method in (computation.FORMULA, computation.CLEANING) and lot.computed >= 300 and rng.random() < 0.08:
            lot.contractual = Decimal(round(int(lot.computed), -1))
            lot.reason = "Arrondi par l'acheteur au CCAP"

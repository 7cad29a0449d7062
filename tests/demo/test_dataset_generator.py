"""``manage.py generate_dataset --scale tiny``: counts, invariants, determinism, reset, and the
indicators and dashboards on the generated data."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from clauses.legal_bases import duration_problem
from clauses.models import Clause, Contract, Lot, LotAward, Operation
from demo import dataset as generator
from partners.models import Commune, Organisation, User
from placements import declaration_rules
from placements.eligibility import counting_window
from placements.models import DeclarationLine, EligibilityCriterion, MonthlyDeclaration, Outcome, Participant, Placement
from reporting import indicators
from reporting.rules import Period
from reporting.scope import Scope

TODAY = date(2026, 7, 1)
TINY = generator.SCALES["tiny"]


def generate(seed=7, *extra):
    out = StringIO()
    call_command(
        "generate_dataset", "--scale", "tiny", "--seed", str(seed), "--today", TODAY.isoformat(), *extra, stdout=out
    )
    return out.getvalue()


def generated_lines():
    return DeclarationLine.objects.filter(declaration__employer__notes__startswith=generator.MARKER)


def fingerprint():
    """The generated content without primary keys nor creation times."""
    querysets = [
        Organisation.objects.filter(notes__startswith=generator.MARKER).values_list("name", "kind", "siret"),
        Lot.objects.filter(contract__operation__description__startswith=generator.MARKER).values_list(
            "contract__reference",
            "number",
            "title",
            "amount_excl_tax",
            "start_date",
            "end_date",
            "clause__computed_hours",
        ),
        Participant.objects.filter(notes__startswith=generator.MARKER).values_list(
            "first_name", "last_name", "birth_date", "sex", "commune__insee_code", "rsa_at_entry"
        ),
        Placement.objects.filter(participant__notes__startswith=generator.MARKER).values_list(
            "participant__last_name", "lot__contract__reference", "lot__number", "start_date", "end_date", "mode"
        ),
        generated_lines().values_list(
            "placement__participant__birth_date", "declaration__month", "version", "hours", "status", "counted"
        ),
        Outcome.objects.filter(placement__participant__notes__startswith=generator.MARKER).values_list(
            "placement__start_date", "moment", "due_date", "situation", "rsa_status"
        ),
    ]
    return [sorted(str(row) for row in queryset) for queryset in querysets]


@pytest.fixture
def tiny(db):
    return generate()


def test_counts_of_the_tiny_scale(tiny):
    marked = {"contract__operation__description__startswith": generator.MARKER}
    assert Contract.objects.filter(operation__description__startswith=generator.MARKER).count() == TINY.contracts
    assert Lot.objects.filter(**marked).count() == TINY.lots
    assert Participant.objects.filter(notes__startswith=generator.MARKER).count() == TINY.participants
    assert Placement.objects.filter(participant__notes__startswith=generator.MARKER).count() == TINY.placements
    current = generated_lines().filter(is_current=True).count()
    assert TINY.lines * 0.7 <= current <= TINY.lines * 1.3
    assert Clause.objects.filter(lot__contract__operation__description__startswith=generator.MARKER).exists()
    assert User.objects.filter(email__endswith=f"@{generator.EMAIL_DOMAIN}").count() >= 5
    assert "Clausier-jeu-2026" in tiny and "Jeu « tiny » généré" in tiny


def test_hours_stay_within_the_rules(tiny):
    lines = list(
        generated_lines().values(
            "hours",
            "declaration__month",
            "declaration__employer",
            "placement",
            "placement__employer",
            "placement__start_date",
            "placement__end_date",
            "is_current",
        )
    )
    assert lines
    for line in lines:
        assert 0 <= line["hours"] <= 208
        assert declaration_rules.ran_during(
            line["declaration__month"], line["placement__start_date"], line["placement__end_date"]
        )
        assert line["declaration__month"] < TODAY.replace(day=1)
        assert line["declaration__employer"] == line["placement__employer"]
    current = Counter((line["placement"], line["declaration__month"]) for line in lines if line["is_current"])
    assert max(current.values()) == 1


def test_versions_statuses_and_counting_window(tiny):
    lines = generated_lines()
    assert lines.filter(status="pending", is_current=True).exists() or lines.filter(status="draft").exists()
    for corrected in lines.filter(version=2):
        first = lines.get(placement=corrected.placement, declaration=corrected.declaration, version=1)
        assert (first.is_current, first.status, corrected.is_current) == (False, "rejected", True)
    people = Participant.objects.filter(notes__startswith=generator.MARKER).prefetch_related("placements")
    windows = {person.pk: counting_window(person.first_clause_placement_start()) for person in people}
    for line in lines.select_related("placement", "declaration"):
        is_training = line.placement.mode == Placement.Mode.TRAINING
        expected = declaration_rules.counts(line.declaration.month, windows[line.placement.participant_id], is_training)
        assert line.counted == expected
    for declaration in MonthlyDeclaration.objects.filter(employer__notes__startswith=generator.MARKER):
        statuses = declaration.lines.filter(is_current=True).values_list("status", flat=True)
        assert declaration.status == declaration_rules.declaration_status(statuses)


def test_dates_outcomes_and_awards_are_consistent(tiny):
    placements = Placement.objects.filter(participant__notes__startswith=generator.MARKER).select_related(
        "lot__contract"
    )
    for placement in placements:
        lot = placement.lot
        assert lot.contract.start_date <= lot.start_date <= lot.end_date <= lot.contract.end_date
        assert lot.start_date <= placement.start_date and (placement.end_date or lot.end_date) <= lot.end_date
    outcomes = Outcome.objects.filter(placement__in=placements).select_related("placement")
    assert outcomes.exclude(situation="").exists()
    for outcome in outcomes:
        assert outcome.placement.end_date is not None
        if outcome.recorded_on:
            assert outcome.situation and outcome.placement.end_date <= TODAY
            assert outcome.due_date <= outcome.recorded_on <= TODAY
        else:
            assert outcome.situation == ""
    people = Participant.objects.filter(notes__startswith=generator.MARKER)
    assert not people.filter(criteria__isnull=True).exists()
    assert (
        EligibilityCriterion.objects.filter(participant__in=people, criterion="DEROGATION")
        .exclude(confirming_prescriber=None)
        .count()
        == EligibilityCriterion.objects.filter(participant__in=people, criterion="DEROGATION").count()
    )
    for lot in Lot.objects.filter(clause__legal_basis="reserved_ess"):  # L2113-15: 3 years at most
        assert duration_problem("reserved_ess", lot.start_date, lot.end_date) is None
    for award in LotAward.objects.filter(lot__clause__legal_basis="reserved_disability", role="holder"):
        assert award.company.structure_kind in ("EA", "ESAT")


def test_same_seed_same_data_and_reset(tiny):
    first = fingerprint()
    communes = Commune.objects.count()
    with pytest.raises(CommandError, match="--reset"):
        generate()
    assert "Jeu généré supprimé" in generate(7, "--reset")
    assert fingerprint() == first
    generate(8, "--reset")
    assert fingerprint() != first
    generator.delete_generated()
    assert not generator.has_generated_data()
    assert Commune.objects.count() == communes
    assert Organisation.objects.department().count() == 1
    assert not Operation.objects.filter(description__startswith=generator.MARKER).exists()


def test_national_territories_are_synthetic_and_removed_by_the_reset(db):
    scale = generator.Scale("mini-national", 1, 3, 12, 24, 20, 30, 240, 2)
    counts, summary, _ = generator.generate(scale, seed=2, today=TODAY)
    assert counts["epci"] == 2 * generator.EPCIS_PER_DEPARTMENT and counts["sectors"] == 2
    bodies = Organisation.objects.filter(kind="facilitation_body", name__contains="Département 02")
    assert bodies.count() == 1
    assert Commune.objects.filter(name__startswith="Département 03 — Commune").count() == 80
    assert "lots en retard" in summary
    generator.delete_generated()
    assert not Commune.objects.filter(insee_code__startswith=generator.SYNTHETIC_INSEE_PREFIX).exists()


def test_indicators_and_dashboards_answer_on_the_dataset(tiny, client, monkeypatch):
    from clauses import models as clause_models
    from clauses import progress
    from reporting import dashboard_forms, dashboard_views

    for module in (clause_models, progress, dashboard_views, dashboard_forms):
        monkeypatch.setattr(module, "today", lambda: TODAY)
    figures = indicators.compute(Period.year(2026), Scope(), on=TODAY)
    assert figures.lots > 0 and figures.hours.validated > 0 and figures.profile.total > 0
    assert figures.exit.recorded + figures.six_months.recorded > 0
    facilitator = User.objects.get(email=f"facilitateur-001@{generator.EMAIL_DOMAIN}")
    client.force_login(facilitator)
    assert client.get(reverse("reporting:facilitator_dashboard"), {"year": 2026}).status_code == 200
    client.force_login(User.objects.get(email=f"lecteur@{generator.EMAIL_DOMAIN}"))
    assert client.get(reverse("reporting:department_dashboard"), {"year": 2026}).status_code == 200


def test_the_dashboards_kept_ready_are_out_of_date_after_a_generation(db, django_capture_on_commit_callbacks):
    from reporting import figures_cache

    with django_capture_on_commit_callbacks(execute=True):
        before = figures_cache.data_version()
        generate()
    assert figures_cache.data_version() != before

"""A known dataset for the indicators: every expected figure is worked out by hand in the tests.

Year 2026, looked at on 1 July 2026.
- Lot 1 (Département, Bourg-en-Bresse, building): 2026-01-01 → 2026-12-31, 730 h, execution
  condition, holder « Bâti Ain » (a company new in 2026).
- Lot 2 (Département, Bourg-en-Bresse, cleaning): 2025-07-01 → 2026-06-30, 365 h, reserved to EA
  and ESAT, 200 000 €, holder « ESAT Les Ateliers ».
- Lot 3 (Trévoux, Dombes Saône Vallée, public works): 2026-03-01 → 2026-12-31, 306 h, reserved to
  SIAE, 50 000 €, holder « TP Dombes » (known since 2025), followed by another body.
- Lot 4 (Trévoux): 2025 only, outside the period.
People: Alice (F, 35, RSA at entry), Bruno (M, 22, young and QPV, placed since November 2025 by
an ETTI), Chantal (F, 56, disabled worker, at the ESAT), Driss (M, 45, RSA criterion), and Emma
(only on lot 4).
"""

from datetime import date
from decimal import Decimal

from clauses.models import Clause
from partners.models import Audience, AwarenessAction, Commune, Organisation
from placements.models import DeclarationLine, MonthlyDeclaration, Outcome
from tests.clauses.factories import ClauseFactory, ContractFactory, LotAwardFactory, LotFactory, OperationFactory
from tests.partners.factories import OrganisationFactory
from tests.placements.factories import CriterionFactory, ParticipantFactory, PlacementFactory

ON = date(2026, 7, 1)


def lot_with_clause(contract, number, sector, start, end, hours, basis, amount="1000000"):
    lot = LotFactory(
        contract=contract,
        number=number,
        sector=sector,
        start_date=start,
        end_date=end,
        amount_excl_tax=Decimal(amount),
    )
    ClauseFactory(lot=lot, legal_basis=basis, contractual_hours=Decimal(hours))
    return lot


def person(last_name, sex, birth, rsa_at_entry=False, criteria=()):
    participant = ParticipantFactory(
        first_name="Prénom", last_name=last_name, sex=sex, birth_date=birth, rsa_at_entry=rsa_at_entry
    )
    for code in criteria:
        CriterionFactory(participant=participant, criterion=code)
    return participant


def line(placement, month, hours, status="validated", counted=True, is_current=True, version=1):
    declaration, _ = MonthlyDeclaration.objects.get_or_create(
        employer=placement.employer, month=month, defaults={"status": "validated"}
    )
    return DeclarationLine.objects.create(
        declaration=declaration,
        placement=placement,
        hours=Decimal(hours),
        status=status,
        counted=counted,
        is_current=is_current,
        version=version,
    )


def outcome(placement, moment, due, situation, rsa_status="", recorded=True):
    return Outcome.objects.update_or_create(
        placement=placement,
        moment=moment,
        defaults={
            "due_date": due,
            "recorded_on": due if recorded else None,
            "situation": situation if recorded else "",
            "rsa_status": rsa_status,
        },
    )[0]


def build():
    department = Organisation.objects.department().get()
    trevoux = OrganisationFactory(
        name="Commune de Trévoux", kind=Organisation.Kind.CONTRACTING_AUTHORITY, buyer_kind="commune"
    )
    other_body = OrganisationFactory(name="Animation Dombes", kind=Organisation.Kind.FACILITATION_BODY)
    bourg = Commune.objects.get(insee_code="01053")
    trevoux_commune = Commune.objects.get(insee_code="01427")
    op_a = OperationFactory(buyer=department, commune=bourg, facilitation_body=department, title="Collège")
    op_b = OperationFactory(buyer=trevoux, commune=trevoux_commune, facilitation_body=other_body, title="Voirie")
    c1 = ContractFactory(operation=op_a, start_date=date(2025, 7, 1), end_date=date(2026, 12, 31))
    c2 = ContractFactory(operation=op_b, start_date=date(2026, 3, 1), end_date=date(2026, 12, 31))
    c3 = ContractFactory(operation=op_b, start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))
    basis = Clause.LegalBasis
    lot1 = lot_with_clause(c1, "1", "building", date(2026, 1, 1), date(2026, 12, 31), 730, basis.EXECUTION_CONDITION)
    lot2 = lot_with_clause(
        c1, "2", "cleaning", date(2025, 7, 1), date(2026, 6, 30), 365, basis.RESERVED_DISABILITY, "200000"
    )
    lot3 = lot_with_clause(
        c2, "1", "public_works", date(2026, 3, 1), date(2026, 12, 31), 306, basis.RESERVED_SIAE, "50000"
    )
    lot4 = lot_with_clause(c3, "1", "building", date(2025, 1, 1), date(2025, 12, 31), 100, basis.EXECUTION_CONDITION)

    bati = OrganisationFactory(name="Bâti Ain", kind=Organisation.Kind.COMPANY)
    tp = OrganisationFactory(name="TP Dombes", kind=Organisation.Kind.COMPANY)
    esat = OrganisationFactory(
        name="ESAT Les Ateliers", kind=Organisation.Kind.INCLUSION_STRUCTURE, structure_kind="ESAT"
    )
    etti = OrganisationFactory(
        name="ETTI Intérim Ain", kind=Organisation.Kind.INCLUSION_STRUCTURE, structure_kind="ETTI"
    )
    LotAwardFactory(lot=lot1, company=bati)
    LotAwardFactory(lot=lot2, company=esat)
    LotAwardFactory(lot=lot3, company=tp)
    LotAwardFactory(lot=lot4, company=tp)

    alice = person("Alpha", "F", date(1990, 3, 1), rsa_at_entry=True, criteria=("RSA",))
    bruno = person("Bravo", "M", date(2003, 6, 15), criteria=("JEUNE", "QPV"))
    chantal = person("Charlie", "F", date(1970, 1, 10), criteria=("TH",))
    driss = person("Delta", "M", date(1980, 9, 9), criteria=("RSA", "DELD"))
    emma = person("Echo", "F", date(1995, 1, 1), rsa_at_entry=True, criteria=("RSA",))

    p_alice = PlacementFactory(
        participant=alice, lot=lot1, employer=bati, mode="direct_hire", contract_type="cdd",
        start_date=date(2026, 2, 1), end_date=date(2026, 2, 20),
    )  # fmt: skip
    p_bruno = PlacementFactory(
        participant=bruno, lot=lot1, employer=etti, mode="provision", contract_type="temporary",
        start_date=date(2025, 11, 3), end_date=date(2026, 3, 31),
    )  # fmt: skip
    p_chantal = PlacementFactory(
        participant=chantal, lot=lot2, employer=esat, mode="subcontracting", contract_type="cdi",
        start_date=date(2026, 1, 5), end_date=None,
    )  # fmt: skip
    p_driss = PlacementFactory(
        participant=driss, lot=lot3, employer=tp, mode="direct_hire", contract_type="cdi",
        start_date=date(2026, 3, 2), end_date=None,
    )  # fmt: skip
    p_emma = PlacementFactory(
        participant=emma, lot=lot4, employer=tp, mode="direct_hire", contract_type="cdd",
        start_date=date(2025, 3, 3), end_date=date(2025, 12, 19),
    )  # fmt: skip

    line(p_alice, date(2026, 2, 1), 100)
    line(p_bruno, date(2025, 12, 1), 80)  # before the period
    line(p_bruno, date(2026, 1, 1), 120)
    line(p_bruno, date(2026, 2, 1), 110, status="pending")  # not validated
    line(p_bruno, date(2026, 3, 1), 90, counted=False)  # outside the person's counting window
    line(p_chantal, date(2026, 1, 1), 60)
    line(p_chantal, date(2026, 2, 1), 70)
    line(p_driss, date(2026, 3, 1), 140)
    line(p_driss, date(2026, 4, 1), 150, status="rejected", is_current=False)  # corrected below
    line(p_driss, date(2026, 4, 1), 145, version=2)
    line(p_emma, date(2025, 6, 1), 151)  # lot 4, outside the period

    outcome(p_alice, "exit", date(2026, 2, 20), "short_fixed_term", "receiving")
    outcome(p_alice, "six_months", date(2026, 8, 20), "cdi", "left")
    outcome(p_bruno, "exit", date(2026, 3, 31), "jobseeker", "not_concerned")
    outcome(p_bruno, "six_months", date(2026, 9, 30), "illness", "not_concerned")
    outcome(p_driss, "exit", date(2026, 12, 31), "", recorded=False)
    outcome(p_emma, "six_months", date(2026, 6, 19), "cdi", "left")  # lot 4 ended in 2025: counts in 2026

    buyers, companies = Audience.objects.get(code="public_buyers"), Audience.objects.get(code="companies")
    first = AwarenessAction.objects.create(
        date=date(2026, 3, 10), kind="information_meeting", title="Réunion acheteurs", people_reached=25
    )
    first.audiences.set([buyers, companies])
    second = AwarenessAction.objects.create(
        date=date(2026, 5, 5), kind="forum", title="Forum", people_reached=10, epci=trevoux_commune.epci
    )
    second.audiences.set([companies])
    old = AwarenessAction.objects.create(date=date(2025, 12, 1), kind="forum", title="Ancien", people_reached=99)
    old.audiences.set([companies])
    return {
        "department": department,
        "trevoux": trevoux,
        "other_body": other_body,
        "lots": [lot1, lot2, lot3, lot4],
        "people": [alice, bruno, chantal, driss, emma],
        "bourg": bourg,
        "trevoux_commune": trevoux_commune,
        "contracts": [c1, c2, c3],
    }

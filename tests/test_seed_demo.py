from django.core.management import call_command
from django.urls import reverse

from partners.demo import ACCOUNTS, DEMO_PASSWORD
from partners.models import Membership, Organisation, User


def snapshot():
    return {
        "organisations": sorted(Organisation.objects.values_list("name", "kind", "siret", "commune__insee_code")),
        "users": sorted(User.objects.values_list("email", "first_name", "last_name")),
        "memberships": sorted(Membership.objects.values_list("user__email", "organisation__name", "role")),
    }


def test_seed_demo_twice_gives_the_same_data(db, capsys):
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first
    assert "admin@clausier.demo" in capsys.readouterr().out


def test_one_demo_account_per_role_that_can_log_in(client, db):
    call_command("seed_demo")
    roles = set()
    for account in ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.check_password(DEMO_PASSWORD)
        assert user.role == account.role
        roles.add(account.role)
        response = client.post(reverse("login"), {"username": account.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, account.email
        client.post(reverse("logout"))
    assert len(roles) == 5


def test_demo_companies_have_valid_sirets_and_real_communes(db):
    from partners.identifiers import is_valid_siret

    call_command("seed_demo")
    companies = Organisation.objects.filter(kind__in=["company", "inclusion_structure"])
    assert companies.count() >= 8
    for company in companies:
        assert is_valid_siret(company.siret), company
        assert company.commune is not None


def test_demo_paths_are_idempotent_and_show_every_status(db):
    from clauses.models import Lot
    from placements.models import Candidacy, JobOffer, Outcome, Participant, Placement

    call_command("seed_demo")
    counts = [
        Participant.objects.count(),
        Candidacy.objects.count(),
        Placement.objects.count(),
        Outcome.objects.count(),
        Lot.objects.count(),
    ]
    call_command("seed_demo")
    assert [
        Participant.objects.count(),
        Candidacy.objects.count(),
        Placement.objects.count(),
        Outcome.objects.count(),
        Lot.objects.count(),
    ] == counts
    assert set(Candidacy.objects.values_list("status", flat=True)) == set(Candidacy.Status.values)
    assert set(JobOffer.objects.values_list("status", flat=True)) == set(JobOffer.Status.values)
    assert Outcome.objects.filter(recorded_on__isnull=False).exists()
    assert Outcome.objects.filter(recorded_on__isnull=True).exists()


def test_demo_has_declared_months_in_every_state(db, settings, tmp_path):
    from placements.models import MonthlyDeclaration

    settings.PRIVATE_STORAGE_ROOT = tmp_path
    call_command("seed_demo")
    call_command("seed_demo")
    statuses = set(MonthlyDeclaration.objects.values_list("status", flat=True))
    assert statuses == set(MonthlyDeclaration.Status.values)
    assert MonthlyDeclaration.objects.filter(status="validated", proofs__isnull=False).exists()


def test_demo_respects_the_person_s_monthly_and_weekly_maximums(db, settings, tmp_path):
    """208 h per person and month across lots and employers; 48 h a week across placements that run
    at the same time (Code du travail L3121-20)."""
    from django.db.models import Sum

    from placements import declaration_rules as rules
    from placements.models import DeclarationLine, Placement

    settings.PRIVATE_STORAGE_ROOT = tmp_path
    call_command("seed_demo")
    totals = (
        DeclarationLine.objects.current()
        .exclude(status="rejected")
        .values("placement__participant", "declaration__month")
        .annotate(total=Sum("hours"))
    )
    assert totals and all(row["total"] <= settings.CLAUSIER["MONTHLY_HOURS_MAXIMUM"] for row in totals)
    placements = list(Placement.objects.all())
    for placement in placements:
        others = [
            (str(other.pk), other.start_date, other.end_date, other.weekly_hours)
            for other in placements
            if other.participant_id == placement.participant_id and other.pk != placement.pk
        ]
        assert rules.weekly_problem(placement.weekly_hours, placement.start_date, placement.end_date, others) is None, (
            placement
        )


def test_the_demo_facilitator_sees_a_closed_holder_on_the_dashboard(client, db):
    from django.utils import timezone

    from reporting.digest_closed_holders import closed_holders

    call_command("seed_demo")
    facilitator = User.objects.get(email="facilitatrice@clausier.demo")
    items = closed_holders(facilitator, timezone.localdate())
    assert items and "établissement fermé le" in items[0]["detail"]
    client.force_login(facilitator)
    assert "Titulaires fermés" in client.get(reverse("home")).content.decode()

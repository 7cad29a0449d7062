"""Shared data of the tests of the validation of declared hours (no tests here)."""

import html
from datetime import date

from django.urls import reverse

from partners.models import Commune, Organisation
from partners.roles import Role
from placements.models import DeclarationLine, DeclarationProof
from tests.clauses.factories import ClauseFactory, award
from tests.partners.factories import OrganisationFactory, user_with_role
from tests.placements.factories import PlacementFactory, declared_month, eligible_participant

QUEUE = reverse("placements:validation_queue")
MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


def text_of(response):
    return html.unescape(response.content.decode())


def detail_url(declaration):
    return reverse("placements:declaration_detail", args=[declaration.pk])


def review_url(declaration):
    return reverse("placements:declaration_review", args=[declaration.pk])


def add_proof(declaration, name="bulletins-mars.pdf"):
    """A proof row (no file is written: the download view is not under test here)."""
    return DeclarationProof.objects.create(
        declaration=declaration,
        file=f"proofs/{declaration.employer_id}/{declaration.month:%Y-%m}/{name}",
        original_name=name,
        content_type="application/pdf",
        size=48_213,
    )


def person(first_name, last_name, **fields):
    return eligible_participant(first_name=first_name, last_name=last_name, **fields)


def build_world(users_by_role):
    """Hours of March 2026 declared by the employer fixture's company on a lot in Bourg-en-Bresse
    (Samira 120 h, Karim 200 h: above 35 h × 30 days), of April by another company on a lot in the
    Bugey (Lucie 70 h), all followed by the Département; hours of a person and an operation
    followed by another body, employed by a third company (Marc); and lines that do not wait
    (a draft, a validated line)."""
    company = users_by_role[Role.EMPLOYER].memberships.get().organisation
    company.name = "Bâtiments de l'Ain"
    company.save()
    cleaning = OrganisationFactory(kind=Organisation.Kind.COMPANY, name="Propreté Bugey")
    bugey = Commune.objects.filter(epci__name="CA Haut-Bugey Agglomération").order_by("insee_code").first()
    lot = ClauseFactory(lot__title="Gros œuvre", lot__contract__operation__title="Collège de Bourg").lot
    lot_bugey = ClauseFactory(
        lot__title="Nettoyage",
        lot__contract__operation__title="Piscine d'Oyonnax",
        lot__contract__operation__commune=bugey,
    ).lot
    award(lot, company)
    award(lot_bugey, cleaning)
    samira = PlacementFactory(participant=person("Samira", "Haddad"), lot=lot, employer=company)
    karim = PlacementFactory(participant=person("Karim", "Benali"), lot=lot, employer=company)
    lucie = PlacementFactory(participant=person("Lucie", "Morin"), lot=lot_bugey, employer=cleaning)
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY, name="PLIE voisin")
    other_lot = ClauseFactory(lot__contract__operation__facilitation_body=other_body).lot
    gex = OrganisationFactory(kind=Organisation.Kind.COMPANY, name="Travaux du Pays de Gex")
    marc = PlacementFactory(
        participant=person("Marc", "Lefort", facilitation_body=other_body), lot=other_lot, employer=gex
    )
    lines = {
        "samira": declared_month(samira, "120", MARCH),
        "karim": declared_month(karim, "200", MARCH),
        "lucie": declared_month(lucie, "70", APRIL),
        "marc": declared_month(marc, "90", APRIL),
        "samira_april_draft": declared_month(
            samira, "100", APRIL, status=DeclarationLine.Status.DRAFT
        ),  # same employer, month not sent
        "lucie_march_validated": declared_month(lucie, "60", MARCH, status=DeclarationLine.Status.VALIDATED),
    }
    add_proof(lines["samira"].declaration)
    users = dict(users_by_role)
    users["other_facilitator"] = user_with_role(Role.FACILITATOR, organisation=other_body)
    users["other_employer"] = user_with_role(Role.EMPLOYER)
    return {
        "company": company,
        "cleaning": cleaning,
        "lot": lot,
        "lot_bugey": lot_bugey,
        "other_lot": other_lot,
        "gex": gex,
        "placements": {"samira": samira, "karim": karim, "lucie": lucie, "marc": marc},
        "lines": lines,
        "march": lines["samira"].declaration,
        "april_cleaning": lines["lucie"].declaration,
        "outsider": lines["marc"].declaration,
        "other_body": other_body,
        "users": users,
    }


def queued_names(response):
    """Last names in the queue, by declaration, in the order shown."""
    return [
        [line.placement.participant.last_name for line in declaration.queue_lines]
        for declaration in response.context["page"].object_list
    ]


def refreshed(line):
    line.refresh_from_db()
    return line

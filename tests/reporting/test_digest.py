"""Each facilitator's weekly digest: its sections per scope, the Monday e-mail, the dashboard."""

import html
import logging
import re
from datetime import timedelta
from decimal import Decimal as D

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.urls import reverse

from clauses.models import Lot
from partners.models import Organisation
from partners.permissions import load_memberships
from partners.roles import Role
from placements.declaration_rules import first_day, previous_month
from reporting import digest, tasks
from tests.clauses.factories import ClauseFactory, ContractFactory, LotFactory, OperationFactory
from tests.clock import suite_today
from tests.partners.factories import OrganisationFactory, user_with_role
from tests.placements.factories import PlacementFactory
from tests.reporting.dataset import line, outcome

ON = suite_today()
SITE = "https://clausier.example.fr"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.CLAUSIER = {**settings.CLAUSIER, "SITE_URL": SITE + "/"}


@pytest.fixture(autouse=True)
def no_extra_section(monkeypatch):
    """No section registered by another feature, unless a test registers one."""
    monkeypatch.setattr(digest, "_extra_sections", [])


def lot_of(body, title, done, declared_last_month=False):
    """A lot of 364 h over 364 days, 182 days in on ``ON`` (182 h expected; 175 h a week before),
    with ``done`` hours validated in its first month, for a placement running until its end."""
    start = ON - timedelta(days=182)
    contract = ContractFactory(
        operation=OperationFactory(facilitation_body=body), start_date=start, end_date=start + timedelta(days=364)
    )
    lot = LotFactory(contract=contract, title=title)
    ClauseFactory(lot=lot, contractual_hours=D("364"))
    placement = PlacementFactory(lot=lot, start_date=start, end_date=lot.end_date)
    placement.participant.facilitation_body = body
    placement.participant.save()
    line(placement, first_day(start), done)
    if declared_last_month:
        line(placement, previous_month(ON), "0")
    return lot, placement


def build_world():
    """Two bodies: the Département (Claire) and a PLIE (Pierre); a third facilitator with nothing."""
    department = Organisation.objects.department().get()
    plie = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY, name="PLIE de la Côtière")
    fell, fell_placement = lot_of(department, "Menuiseries", "180")  # behind since this week
    long_behind, _ = lot_of(department, "Peinture", "100", declared_last_month=True)  # behind for weeks
    on_time, _ = lot_of(department, "Charpente", "200", declared_last_month=True)
    plie_fell, plie_placement = lot_of(plie, "Voirie", "180")
    outcome(fell_placement, "exit", ON - timedelta(days=3), "", recorded=False)  # overdue
    outcome(fell_placement, "six_months", ON + timedelta(days=30), "", recorded=False)  # later: not yet
    outcome(plie_placement, "exit", ON + timedelta(days=5), "", recorded=False)  # due this week
    return {
        "department": department,
        "plie": plie,
        "fell": fell,
        "long_behind": long_behind,
        "on_time": on_time,
        "plie_fell": plie_fell,
        "fell_placement": fell_placement,
        "plie_placement": plie_placement,
    }


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def claire(world):
    return user_with_role(Role.FACILITATOR, first_name="Claire", last_name="Martin", email="claire@ain.test")


@pytest.fixture
def pierre(world):
    return user_with_role(
        Role.FACILITATOR, organisation=world["plie"], first_name="Pierre", last_name="Durand", email="pierre@plie.test"
    )


def labels(section):
    return [item.label for item in section.items]


# The sections ---------------------------------------------------------------------------------


def test_the_world_is_as_described(world):
    on_lots = set(Lot.objects.behind_schedule(ON))
    assert {world["fell"], world["long_behind"], world["plie_fell"]} == on_lots
    assert set(Lot.objects.behind_schedule(ON - digest.WEEK)) == {world["long_behind"]}


def test_each_facilitator_gets_the_items_of_their_own_territory(world, claire, pierre):
    mine = digest.digest_for(load_memberships(claire), ON)
    assert [section.key for section in mine.sections] == ["fell-behind", "missing-declarations", "outcomes-due"]
    fell = mine.section("fell-behind")
    assert len(fell.items) == 1 and f"{world['fell']} (" in fell.items[0].label
    assert fell.items[0].url == f"{SITE}/lots/{world['fell'].pk}/"
    assert "180\xa0h validées pour 182\xa0h attendues" in fell.items[0].detail
    missing = mine.section("missing-declarations")
    assert labels(missing) == [world["fell_placement"].employer.name]
    assert missing.items[0].url == f"{SITE}{reverse('placements:validation_queue')}#missing-title"
    assert missing.items[0].detail == "1 personne sans heures déclarées"
    outcomes = mine.section("outcomes-due")
    assert len(outcomes.items) == 1  # the six-month one is not due yet; the PLIE's is not hers
    assert outcomes.items[0].url.endswith(
        reverse("placements:outcome_record", args=[world["fell_placement"].outcomes.get(moment="exit").pk])
    )
    assert outcomes.items[0].detail.startswith(f"en retard depuis le {ON - timedelta(days=3):%d/%m/%Y}")

    theirs = digest.digest_for(load_memberships(pierre), ON)
    assert [item.url for item in theirs.section("fell-behind").items] == [f"{SITE}/lots/{world['plie_fell'].pk}/"]
    assert labels(theirs.section("missing-declarations")) == [world["plie_placement"].employer.name]
    assert (
        theirs.section("outcomes-due").items[0].detail.startswith(f"à recueillir le {ON + timedelta(days=5):%d/%m/%Y}")
    )


def test_a_digest_with_nothing_in_any_section_is_empty(db):
    lonely = user_with_role(
        Role.FACILITATOR, organisation=OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY)
    )
    found = digest.digest_for(load_memberships(lonely), ON)
    assert found.is_empty and found.filled == [] and found.item_count == 0


@pytest.mark.parametrize("builds", [1, 2])  # twice the lots, people and hours: the same count
def test_the_digest_does_a_fixed_number_of_queries(world, claire, builds, django_assert_num_queries):
    for _ in range(builds - 1):
        build_world()
    user = load_memberships(claire)
    # The ids of the placements she follows (once), the ids of her lots and those of them that
    # fell behind, the employers missing, the outcomes due.
    with django_assert_num_queries(DIGEST_QUERIES):
        found = digest.digest_for(user, ON)
    assert len(found.section("fell-behind").items) == builds


DIGEST_QUERIES = 5


# Pure parts -------------------------------------------------------------------------------------


def test_a_section_shows_its_first_items_and_counts_the_others():
    items = tuple(digest.Item(f"Lot {n}", f"/lots/{n}/") for n in range(digest.ITEMS_SHOWN + 3))
    section = digest.Section(key="k", title="T", items=items)
    assert len(section.shown) == digest.ITEMS_SHOWN and section.more == 3
    assert digest.Section(key="k", title="T", items=items[:2]).more == 0


def test_links_are_absolute_with_the_site_address(settings):
    assert digest.absolute("/lots/3/") == f"{SITE}/lots/3/"
    settings.CLAUSIER = {**settings.CLAUSIER, "SITE_URL": ""}
    assert digest.absolute("/lots/3/") == "/lots/3/"


def test_extra_items_may_be_dicts_or_objects_and_paths_become_absolute():
    assert digest._item({"label": "Marché A", "url": "/marches/1/"}) == digest.Item("Marché A", f"{SITE}/marches/1/")
    assert digest._item(digest.Item("B", "https://decp.example/2", "détail")) == digest.Item(
        "B", "https://decp.example/2", "détail"
    )


# Extra sections -------------------------------------------------------------------------------------


def test_registered_sections_add_their_items_and_a_failing_one_is_left_out(db, claire, caplog):
    def published(user, on):
        return [{"label": f"Réfection de la mairie ({on:%d/%m})", "url": "/operations/nouvelle/"}]

    def broken(user, on):
        raise RuntimeError("DECP injoignable")

    digest.register_section(digest.NEW_PUBLISHED_CONTRACTS, published)
    digest.register_section(digest.NEW_PUBLISHED_CONTRACTS, published)  # once only
    digest.register_section("Autre", broken)
    digest.register_section("Vide", lambda user, on: [])
    with caplog.at_level(logging.ERROR, logger="reporting.digest"):
        found = digest.digest_for(load_memberships(claire), ON)
    extra = [section for section in found.sections if section.key.startswith("extra")]
    assert [section.title for section in extra] == [digest.NEW_PUBLISHED_CONTRACTS]
    assert extra[0].items == (digest.Item(f"Réfection de la mairie ({ON:%d/%m})", f"{SITE}/operations/nouvelle/"),)
    assert "Autre" in caplog.text


def test_without_registered_section_there_is_no_published_contracts_section(world, claire):
    found = digest.digest_for(load_memberships(claire), ON)
    assert digest.NEW_PUBLISHED_CONTRACTS not in [section.title for section in found.sections]


# The e-mail -----------------------------------------------------------------------------------------


def outbox():
    return {message.to[0]: message for message in mail.outbox}


def test_one_email_per_facilitator_with_their_own_items(world, claire, pierre, django_capture_on_commit_callbacks):
    lonely = user_with_role(
        Role.FACILITATOR, organisation=OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY), email="l@x.test"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = tasks.send_weekly_digests(ON.isoformat())
    assert len(callbacks) == 2 and result == {"day": ON.isoformat(), "emails_sent": 2, "lots_fell_behind": 2}
    sent = outbox()
    assert set(sent) == {"claire@ain.test", "pierre@plie.test"} and lonely.email not in sent
    mine, theirs = sent["claire@ain.test"], sent["pierre@plie.test"]
    assert mine.subject == f"Clausier : votre semaine au {ON:%d/%m/%Y} (3 points à suivre)"
    assert "Bonjour Claire Martin," in mine.body
    assert "Lots passés en retard cette semaine (1)" in mine.body
    assert f"{SITE}/lots/{world['fell'].pk}/" in mine.body and "Menuiseries" in mine.body
    assert "Voirie" not in mine.body and "Peinture" not in mine.body and "Charpente" not in mine.body
    assert "Voirie" in theirs.body and "Menuiseries" not in theirs.body
    page, kind = mine.alternatives[0]
    assert kind == "text/html" and '<html lang="fr">' in page
    assert f'<a href="{SITE}/lots/{world["fell"].pk}/">' in page
    assert "Déclarations mensuelles manquantes" in html.unescape(page)
    assert digest.NEW_PUBLISHED_CONTRACTS not in mine.body


def test_no_email_when_every_section_is_empty(db, django_capture_on_commit_callbacks):
    user_with_role(Role.FACILITATOR, email="claire@ain.test")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_weekly_digests()["emails_sent"] == 0
    assert mail.outbox == []


def test_nothing_leaves_before_the_commit_and_a_failing_address_does_not_stop_the_others(
    world, claire, pierre, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    real_send = digest.DigestEmail.send

    def send(self):
        if self.digest.user.email == "claire@ain.test":
            raise OSError("550 adresse inconnue")
        real_send(self)

    monkeypatch.setattr(digest.DigestEmail, "send", send)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tasks.send_weekly_digests(ON.isoformat())
    assert mail.outbox == [] and len(callbacks) == 2
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        tasks.send_weekly_digests(ON.isoformat())
    assert list(outbox()) == ["pierre@plie.test"]


def test_inactive_facilitators_and_memberships_get_nothing(world, claire, pierre, django_capture_on_commit_callbacks):
    claire.is_active = False
    claire.save()
    pierre.memberships.update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_weekly_digests(ON.isoformat())["emails_sent"] == 0


def test_the_digest_goes_every_monday_at_half_past_seven_paris_time():
    entry = settings.CELERY_BEAT_SCHEDULE["send-weekly-digests"]
    assert entry["task"] == "reporting.tasks.send_weekly_digests" == tasks.send_weekly_digests.name
    assert entry["schedule"] == crontab(day_of_week="monday", hour=7, minute=30)
    assert settings.CELERY_TIMEZONE == "Europe/Paris"


# The dashboard --------------------------------------------------------------------------------------


def text_of(response):
    """The page's text, without its tags."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_the_dashboard_shows_the_digest_of_the_facilitator(client, world, claire, pierre):
    client.force_login(claire)
    response = client.get(reverse("reporting:facilitator_dashboard"))
    assert response.status_code == 200
    page = text_of(response)
    assert "Cette semaine" in page and "Lots passés en retard cette semaine 1" in page
    assert f'href="{SITE}/lots/{world["fell"].pk}/"' in response.content.decode()
    assert (
        "Déclarations mensuelles manquantes" in page
        and "Sorties à recueillir (dans les 7 jours ou en retard) 1" in page
    )
    assert digest.NEW_PUBLISHED_CONTRACTS not in page
    client.force_login(pierre)
    page = text_of(client.get(reverse("reporting:facilitator_dashboard")))
    assert "Voirie" in page and "Menuiseries" not in page


def test_the_dashboard_shows_registered_sections_read_for_each_request(client, world, claire):
    client.force_login(claire)
    client.get(reverse("reporting:facilitator_dashboard"))  # the digest's own sections kept ready
    digest.register_section(
        digest.NEW_PUBLISHED_CONTRACTS, lambda user, on: [{"label": "Collège de Belley", "url": "/x/"}]
    )
    page = text_of(client.get(reverse("reporting:facilitator_dashboard")))
    assert f"{digest.NEW_PUBLISHED_CONTRACTS} 1" in page and "Collège de Belley" in page


def test_the_dashboard_digest_follows_a_change_of_the_data(client, world, claire, django_capture_on_commit_callbacks):
    client.force_login(claire)
    assert "Menuiseries" in text_of(client.get(reverse("reporting:facilitator_dashboard")))
    with django_capture_on_commit_callbacks(execute=True):  # the data version changes on commit
        line(world["fell_placement"], previous_month(ON), "30")  # validated: 210 h, on time again
    page = text_of(client.get(reverse("reporting:facilitator_dashboard")))
    assert "Aucun lot n'est passé en retard cette semaine." in page

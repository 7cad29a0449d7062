"""Accessibility (RGAA, WCAG 2.1 AA) in Chromium: axe-core on the main pages of each role finds no
serious or critical violation; errors are announced and linked to their fields; focus is visible.

axe-core is vendored (tests/e2e/vendor, MPL-2.0) and injected into the page; the browser context
bypasses our content security policy for that injection only.

The audit records what it finds, for the accessibility statement (accessibility/results.py): every
violation, whatever its impact (only serious and critical ones fail the test). With
``A11Y_RECORD=1`` (``make accessibility``) each audit writes its role's pages and counts to
``CLAUSIER["ACCESSIBILITY_RESULTS_FILE"]``; otherwise it checks that the file lists the same pages
and the same serious/critical counts, and fails with "run make accessibility" when it is stale.
The date recorded is the real date of the run (time-machine's escape hatch), not the suite's fixed
clock (tests/clock.py): the statement says when the pages were really checked.
"""

import datetime
import os
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import resolve, reverse
from django.utils import timezone

from accessibility import results
from clauses.models import Contract, Lot, Operation
from common.dates import month_label
from partners.demo import DEMO_PASSWORD
from partners.models import AwarenessAction, Organisation, User
from placements import declaration_rules
from placements.models import JobOffer, MonthlyDeclaration, Participant, Placement
from reporting.models import Report

from .test_login_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text(encoding="utf-8")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = set(results.BLOCKING)
RECORD = os.environ.get("A11Y_RECORD", "") == "1"
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
  }));
}"""


@pytest.fixture
def a11y_page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def all_violations(page):
    """Every violation axe-core finds on the page, whatever its impact."""
    page.add_script_tag(content=AXE)
    return page.evaluate(RUN_AXE, WCAG_AA)


def violations(page):
    return [v for v in all_violations(page) if v["impact"] in BLOCKING]


def audit(page, base, paths, role=None):
    """Open each page and gather every serious or critical violation, to report them all at once;
    for a role's audit, record (or check against the repository file) what the audit found, all
    impacts included (a journey auditing a page of its own passes no role)."""
    problems, audited = [], []
    for path in paths:
        response = page.goto(base + path)
        assert response.status < 400, f"{path} answered {response.status}"
        found = all_violations(page)
        match = resolve(path)
        audited.append((match.view_name, match.route, found))
        blocking = [v for v in found if v["impact"] in BLOCKING]
        problems += [f"{path}: {v['id']} ({v['impact']}) {v['help']} → {v['nodes']}" for v in blocking]
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.viewport_size["width"]:
            problems.append(f"{path}: the page is {width} px wide, it scrolls sideways")
    if role is None:
        return problems
    summary = results.role_summary(audited)
    if RECORD:
        record(page, role, summary)
    else:
        problems += stale(role, summary)
    return problems


def run_date():
    """The real date of the run: the suite's clock is set to a fixed day (tests/clock.py)."""
    if time_machine.escape_hatch.is_travelling():
        return time_machine.escape_hatch.datetime.datetime.now().date().isoformat()
    return datetime.date.today().isoformat()


def record(page, role, summary):
    path = Path(settings.CLAUSIER["ACCESSIBILITY_RESULTS_FILE"])
    meta = {
        "axe_version": page.evaluate("axe.version"),
        "browser": f"Chromium {page.context.browser.version} (headless)",
        "wcag_tags": WCAG_AA,
        "run_date": run_date(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(results.dumps(results.merge(results.load(path), role, summary, meta)), encoding="utf-8")


def stale(role, summary):
    """Why the repository's results no longer describe this audit (an empty list when they do)."""
    data = results.load(settings.CLAUSIER["ACCESSIBILITY_RESULTS_FILE"])
    recorded = (data or {}).get("roles", {}).get(role)
    if recorded is None:
        return [f"{role}: no recorded axe-core results (run make accessibility)"]
    found = []
    if recorded["pages"] != summary["pages"]:
        found.append(f"{role}: the recorded pages differ from the pages audited (run make accessibility)")
    if results.blocking_counts(recorded) != results.blocking_counts(summary):
        found.append(f"{role}: the recorded serious/critical counts differ (run make accessibility)")
    return found


def demo_objects():
    today = declaration_rules.first_day(timezone.localdate())
    facilitated = Operation.objects.filter(facilitation_body__kind=Organisation.Kind.DEPARTMENT)
    operation = facilitated.filter(contracts__lots__isnull=False).first()
    lot = Lot.objects.filter(contract__operation=operation).first()
    employer = Organisation.objects.get(name="Bâtir Bresse Construction")
    previous = declaration_rules.previous_month(today)
    report = Report.objects.create(
        created_by=User.objects.get(email="facilitatrice@clausier.demo"),
        kind=Report.Kind.IMPACT,
        period_start=today.replace(month=1, day=1),
        period_end=today.replace(month=12, day=31),
        scope_kind="all",
        scope_label="Tout l'Ain",
    )
    return {
        "operation": operation,
        "contract": Contract.objects.filter(operation=operation).first(),
        "lot": lot,
        "participant": Participant.objects.first(),
        "offer": JobOffer.objects.first(),
        "placement": Placement.objects.first(),
        "declaration": MonthlyDeclaration.objects.exclude(lines=None).first(),
        "organisation": employer,
        "action": AwarenessAction.objects.first(),
        "previous": previous,
        "report": report,
    }


def pages_of(role, o):
    url = reverse
    grid = url("placements:declaration_grid", kwargs={"year": o["previous"].year, "month": o["previous"].month})
    if role == "facilitator":
        return [
            "/",
            url("clauses:operation_list"),
            url("clauses:operation_detail", args=[o["operation"].pk]),
            url("clauses:operation_create"),
            url("clauses:contract_detail", args=[o["contract"].pk]),
            url("clauses:lot_list"),
            url("clauses:lot_detail", args=[o["lot"].pk]),
            url("clauses:lot_update", args=[o["lot"].pk]),
            url("placements:participant_list"),
            url("placements:participant_detail", args=[o["participant"].pk]),
            url("placements:participant_create"),
            url("placements:candidate_pool"),
            url("placements:offer_list"),
            url("placements:offer_detail", args=[o["offer"].pk]),
            url("placements:candidacy_propose", args=[o["offer"].pk]),
            url("placements:placement_detail", args=[o["placement"].pk]),
            url("placements:follow_up_list"),
            url("placements:validation_queue"),
            url("placements:declaration_detail", args=[o["declaration"].pk]),
            url("partners:organisation_list"),
            url("partners:organisation_detail", args=[o["organisation"].pk]),
            url("partners:action_list"),
            url("partners:action_create"),
            url("partners:coverage"),
            url("partners:territories"),
            url("reporting:export_index"),
            url("reporting:report_list"),
            url("reporting:report_detail", args=[o["report"].pk]),
        ]
    oeth_year = timezone.localdate().year - 1
    oeth = [url("compliance:oeth_year", args=[oeth_year]), url("compliance:tih_list")]
    if role == "administrator":
        return [
            "/",
            url("reporting:department_dashboard"),
            url("reporting:facilitator_dashboard"),
            *oeth,
            url("compliance:oeth_year_edit", args=[oeth_year]),
            url("compliance:oeth_purchase_create", args=[oeth_year]),
        ]
    if role == "department_reader":
        return [
            "/",
            url("clauses:operation_list"),
            url("clauses:lot_list"),
            url("clauses:lot_detail", args=[o["lot"].pk]),
            url("partners:action_list"),
            url("partners:coverage"),
            url("reporting:export_index"),
            url("reporting:report_list"),
            *oeth,
        ]
    if role == "employer":
        return [
            "/",
            url("placements:portal_home"),
            grid,
            grid + "import/",
            url("placements:employer_candidacies"),
            url("clauses:lot_list"),
        ]
    return ["/", url("clauses:operation_list"), url("clauses:lot_list"), url("reporting:report_list")]


ACCOUNTS = {
    "facilitator": "facilitatrice@clausier.demo",
    "administrator": "admin@clausier.demo",
    "department_reader": "lecteur@clausier.demo",
    "employer": "employeur@clausier.demo",
    "buyer": "acheteur@clausier.demo",
}


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_main_pages_of_each_role_have_no_serious_violation(a11y_page, live_server, role):
    call_command("seed_demo")
    objects = demo_objects()
    log_in(a11y_page, live_server.url, ACCOUNTS[role], DEMO_PASSWORD)
    a11y_page.wait_for_url(f"{live_server.url}/")
    problems = audit(a11y_page, live_server.url, pages_of(role, objects), role)
    assert problems == [], "\n".join(problems)


PUBLIC_PAGES = ("login", "password_reset", "accessibility:statement")


def test_pages_before_login_have_no_serious_violation(a11y_page, live_server):
    problems = audit(a11y_page, live_server.url, [reverse(name) for name in PUBLIC_PAGES], "anonymous")
    assert problems == [], "\n".join(problems)


def test_form_errors_are_announced_and_linked_to_their_fields(a11y_page, live_server):
    call_command("seed_demo")
    page, base = a11y_page, live_server.url
    log_in(page, base, ACCOUNTS["facilitator"], DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    page.goto(base + reverse("placements:participant_create"))
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    # A summary announced to screen readers, whose links lead to the fields.
    summary = page.get_by_role("alert").first
    assert "corrigez" in summary.inner_text()
    invalid = page.locator("[aria-invalid=true]")
    assert invalid.count() >= 3
    for index in range(invalid.count()):
        field = invalid.nth(index)
        described = field.get_attribute("aria-describedby") or ""
        messages = [page.locator(f"#{name}") for name in described.split()]
        assert any(m.count() and m.inner_text().strip() for m in messages), field.get_attribute("name")
    assert violations(page) == []


def test_focus_is_visible_and_the_skip_link_leads_to_the_content(a11y_page, live_server):
    page, base = a11y_page, live_server.url
    page.goto(base + reverse("login"))
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert "Aller au contenu" in skip.inner_text()
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
    assert not outline.startswith("none") and not outline.endswith(" 0px"), outline
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


def tab_to(page, selector, limit=60):
    """Press Tab until the element matching ``selector`` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with the Tab key")


def test_an_employer_logs_in_and_declares_hours_with_the_keyboard_alone(a11y_page, live_server):
    call_command("seed_demo")
    page, base = a11y_page, live_server.url
    month = declaration_rules.previous_month(timezone.localdate())
    placement = (
        Placement.objects.filter(
            employer__name="Bâtir Bresse Construction", start_date__lte=declaration_rules.last_day(month)
        )
        .exclude(end_date__lt=month)
        .select_related("participant")
        .order_by("participant__last_name")
        .first()
    )
    page.goto(base + reverse("login"))
    tab_to(page, "#id_username")
    page.keyboard.type("employeur@clausier.demo")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/portail/declarations/{month.year}-{month.month}/")
    field = page.get_by_label(f"Heures de {placement.participant} en {month_label(month)}")
    tab_to(page, f"#{field.get_attribute('id')}")
    page.keyboard.type("31,5")
    # Enter in a field saves the draft (the form's first button), as a keyboard user expects.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    line = placement.declaration_lines.get(declaration__month=month, is_current=True)
    assert line.hours == 31.5 and line.declaration.status == "draft"

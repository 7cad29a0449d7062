"""Who gets what, for every address of Clausier: the access matrix (issue 8).

How to read it
--------------
One entry per URL name. Each entry says which object the address is opened on (see OBJECTS at the
end: the objects are taken from the demo data, ``manage.py seed_demo``) and, for each role, what
the server answers:

- ``GET``: what opening the page answers;
- ``POST``: only for pages that accept a form (a write): what sending an *empty* form answers.

The columns, always in this order (the demo accounts are in brackets):

    anonymous   nobody logged in
    admin       administrator            (admin@clausier.demo)
    facil.      facilitator              (facilitatrice@clausier.demo, of the Département)
    reader      department reader        (lecteur@clausier.demo)
    employer    employer                 (employeur@clausier.demo, Bâtir Bresse Construction)
    buyer       buyer                    (acheteur@clausier.demo, Dynacité)
    no role     a logged-in user without any role

The answers:

    200     the page (or the file) is shown
    LOGIN   redirected to the login page (everything but the login page, the password-reset pages
            and the health check asks to log in)
    MOVED   redirected elsewhere (not to the login page)
    DONE    a write accepted: the form comes back with its errors, or the user is redirected;
            anything but 403, 404, 405, a redirect to the login page or a server error
    401     not authenticated: an API call (``/api/v1/``) without a token (API calls never redirect to
            the login page)
    403     forbidden: the user may see the object but not do this (read-only users on writes)
    404     not found: the object is outside the user's scope (outsiders), as if it did not exist
    405     method not allowed (a page that only takes a form, opened as a page, or the reverse)

The Django admin (every URL name starting with ``admin:``) follows one rule, ADMIN_RULE: only
administrators get in; everyone else is sent to the admin's login page (ADMIN_LOGIN; anonymous
visitors to the admin's or the site's login page: ANY_LOGIN). The test opens its index and one list
per application.

The API (every URL name starting with ``api:``, except its documentation page) is called with a
personal token of each role (``Authorization: Bearer …``) instead of the session, and its writes with
an empty JSON body; the anonymous column sends no token. The token pages of the account
(``api_tokens:``) are pages like the others.

A new URL name without an entry here makes the test fail: add its entry (design.md, "Roles and
what each may see").
"""

from dataclasses import dataclass

LOGIN = "LOGIN"
ADMIN_LOGIN = "ADMIN_LOGIN"
ANY_LOGIN = "ANY_LOGIN"
MOVED = "MOVED"
DONE = "DONE"

ROLES = ("anonymous", "administrator", "facilitator", "department_reader", "employer", "buyer", "no_role")


@dataclass(frozen=True)
class Access:
    on: str | None  # key of OBJECTS the address is opened on; None when it takes no parameter
    get: tuple
    post: tuple | None = None  # None: not a write (POST not checked)

    def expected(self, method):
        row = self.get if method == "GET" else self.post
        return dict(zip(ROLES, row, strict=True)) if row is not None else None


# The Django admin: administrators only; every other logged-in user goes to the admin's login page;
# anonymous visitors to a login page (the admin's or the site's: ANY_LOGIN).
ADMIN_RULE = (ANY_LOGIN, 200, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN)

# fmt: off
MATRIX = {
    #                                                    anonymous admin facil. reader employer buyer no role
    # Home, health check, accounts -----------------------------------------------------------------------
    "home": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   200,     200,  200)),
    "healthz": Access(None,
        get=                                            (200,     200,  200,   200,   200,     200,  200)),
    "login": Access(None,
        get=                                            (200,     200,  200,   200,   200,     200,  200),
        post=                                           (200,     200,  200,   200,   200,     200,  200)),
    # Logging out is a form (POST); it sends everyone to the login page.
    "logout": Access(None,
        get=                                            (LOGIN,   405,  405,   405,   405,     405,  405),
        post=                                           (LOGIN,   LOGIN, LOGIN, LOGIN, LOGIN,  LOGIN, LOGIN)),
    # Second factor: administrators and facilitators may set it up.
    "two_factor_setup": Access(None,
        get=                                            (LOGIN,   200,  200,   403,   403,     403,  403),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     403,  403)),
    # No code is awaited from the demo accounts (no authenticator set up): sent on to the home page.
    "two_factor_verify": Access(None,
        get=                                            (LOGIN,   MOVED, MOVED, MOVED, MOVED,  MOVED, MOVED),
        post=                                           (LOGIN,   MOVED, MOVED, MOVED, MOVED,  MOVED, MOVED)),
    "password_change": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   200,     200,  200),
        post=                                           (LOGIN,   DONE, DONE,  DONE,  DONE,    DONE, DONE)),
    "password_change_done": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   200,     200,  200)),
    "password_reset": Access(None,
        get=                                            (200,     200,  200,   200,   200,     200,  200),
        post=                                           (DONE,    DONE, DONE,  DONE,  DONE,    DONE, DONE)),
    "password_reset_done": Access(None,
        get=                                            (200,     200,  200,   200,   200,     200,  200)),
    # An invalid link shows the page that says so, to everyone.
    "password_reset_confirm": Access("reset_link",
        get=                                            (200,     200,  200,   200,   200,     200,  200),
        post=                                           (200,     200,  200,   200,   200,     200,  200)),
    "password_reset_complete": Access(None,
        get=                                            (200,     200,  200,   200,   200,     200,  200)),

    #                                                    anonymous admin facil. reader employer buyer no role
    # Partners: territories, directory (facilitators' tool), coverage, actions ---------------------------
    "partners:territories": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   403,     403,  403)),
    "partners:organisation_list": Access(None,
        get=                                            (LOGIN,   200,  200,   403,   403,     403,  403)),
    "partners:organisation_create": Access("organisation_kind",
        get=                                            (LOGIN,   200,  200,   403,   403,     403,  403),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     403,  403)),
    # The SIRET lookup of the directory's forms (a read of the public register, no write).
    "partners:siret_lookup": Access("organisation_kind",
        get=                                            (LOGIN,   200,  200,   404,   404,     404,  404)),
    # The directory is not open to the others: its organisations are outside their scope.
    "partners:organisation_detail": Access("organisation",
        get=                                            (LOGIN,   200,  200,   404,   404,     404,  404)),
    "partners:organisation_update": Access("organisation",
        get=                                            (LOGIN,   200,  200,   404,   404,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  404,   404,     404,  404)),
    "partners:contact_create": Access("organisation",
        get=                                            (LOGIN,   200,  200,   404,   404,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  404,   404,     404,  404)),
    "partners:contact_update": Access("contact",
        get=                                            (LOGIN,   200,  200,   404,   404,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  404,   404,     404,  404)),
    "partners:contact_delete": Access("contact",
        get=                                            (LOGIN,   200,  200,   404,   404,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  404,   404,     404,  404)),
    "partners:organisation_import": Access(None,
        get=                                            (LOGIN,   200,  200,   403,   403,     403,  403),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     403,  403)),
    "partners:organisation_import_template": Access("csv_format",
        get=                                            (LOGIN,   200,  200,   403,   403,     403,  403)),
    "partners:coverage": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   403,     403,  403)),
    # Coverage decides who follows which contracts: administrators only change it.
    "partners:coverage_rule_create": Access(None,
        get=                                            (LOGIN,   200,  403,   403,   403,     403,  403),
        post=                                           (LOGIN,   DONE, 403,   403,   403,     403,  403)),
    "partners:coverage_rule_update": Access("coverage_rule",
        get=                                            (LOGIN,   200,  403,   403,   404,     404,  404),
        post=                                           (LOGIN,   DONE, 403,   403,   404,     404,  404)),
    "partners:coverage_rule_delete": Access("coverage_rule",
        get=                                            (LOGIN,   200,  403,   403,   404,     404,  404),
        post=                                           (LOGIN,   DONE, 403,   403,   404,     404,  404)),
    "partners:action_list": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   403,     403,  403)),
    "partners:action_create": Access(None,
        get=                                            (LOGIN,   200,  200,   403,   403,     403,  403),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     403,  403)),
    "partners:action_detail": Access("action",
        get=                                            (LOGIN,   200,  200,   200,   404,     404,  404)),
    "partners:action_update": Access("action",
        get=                                            (LOGIN,   200,  200,   403,   404,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  403,   404,     404,  404)),
    "partners:action_delete": Access("action",
        get=                                            (LOGIN,   200,  200,   403,   404,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  403,   404,     404,  404)),

    #                                                    anonymous admin facil. reader employer buyer no role
    # Clauses: operations, contracts, lots (lists show each user what they may see) ------------------------
    "clauses:operation_list": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   200,     200,  200)),
    "clauses:operation_create": Access(None,
        get=                                            (LOGIN,   200,  200,   403,   403,     403,  403),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     403,  403)),
    "clauses:operation_detail": Access("operation",
        get=                                            (LOGIN,   200,  200,   200,   200,     404,  404)),
    "clauses:operation_update": Access("operation",
        get=                                            (LOGIN,   200,  200,   403,   403,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     404,  404)),
    "clauses:contract_create": Access("operation",
        get=                                            (LOGIN,   200,  200,   403,   403,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     404,  404)),
    "clauses:contract_list": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   200,     200,  200)),
    "clauses:contract_detail": Access("contract",
        get=                                            (LOGIN,   200,  200,   200,   200,     404,  404)),
    "clauses:contract_update": Access("contract",
        get=                                            (LOGIN,   200,  200,   403,   403,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     404,  404)),
    "clauses:lot_create": Access("contract",
        get=                                            (LOGIN,   200,  200,   403,   403,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     404,  404)),
    # The clause sheet is for buyers' tender documents: employers get 403, even on their own lots.
    "clauses:contract_sheet": Access("contract",
        get=                                            (LOGIN,   200,  200,   200,   403,     404,  404)),
    "clauses:lot_list": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   200,     200,  200)),
    "clauses:lot_detail": Access("lot",
        get=                                            (LOGIN,   200,  200,   200,   200,     404,  404)),
    "clauses:lot_update": Access("lot",
        get=                                            (LOGIN,   200,  200,   403,   403,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     404,  404)),
    "clauses:award_create": Access("lot",
        get=                                            (LOGIN,   200,  200,   403,   403,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     404,  404)),
    "clauses:award_delete": Access("award",
        get=                                            (LOGIN,   200,  200,   403,   403,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     404,  404)),
    "clauses:invoiced_create": Access("lot",
        get=                                            (LOGIN,   200,  200,   403,   403,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     404,  404)),
    # The invoiced amount is on a lot of another company: outside the demo employer's scope.
    "clauses:invoiced_delete": Access("invoiced_amount",
        get=                                            (LOGIN,   200,  200,   403,   404,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  403,   404,     404,  404)),
    "clauses:lot_sheet": Access("lot",
        get=                                            (LOGIN,   200,  200,   200,   403,     404,  404)),
    # Sourcing panel of a lot (htmx fragment): facilitators' work, read by department readers; the
    # others get 404 even on a lot they see. Importing a structure into the directory: POST only.
    "clauses:lot_sourcing": Access("lot",
        get=                                            (LOGIN,   200,  200,   200,   404,     404,  404)),
    "clauses:lot_sourcing_import": Access("lot",
        get=                                            (LOGIN,   405,  405,   405,   405,     405,  405),
        post=                                           (LOGIN,   DONE, DONE,  403,   404,     404,  404)),
    # htmx helper of the lot form: POST only.
    "clauses:hours_calculator": Access(None,
        get=                                            (LOGIN,   405,  405,   405,   405,     405,  405),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     403,  403)),

    #                                                    anonymous admin facil. reader employer buyer no role
    # Placements: participants (personal data: facilitators and administrators only) -----------------------
    "placements:participant_list": Access(None,
        get=                                            (LOGIN,   200,  200,   403,   403,     403,  403)),
    "placements:participant_create": Access(None,
        get=                                            (LOGIN,   200,  200,   403,   403,     403,  403),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     403,  403)),
    "placements:participant_detail": Access("participant",
        get=                                            (LOGIN,   200,  200,   404,   404,     404,  404)),
    "placements:participant_update": Access("participant",
        get=                                            (LOGIN,   200,  200,   404,   404,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  404,   404,     404,  404)),
    # Personal data: the record of a person (right of access), their anonymisation, the notice for all.
    "placements:participant_record": Access("participant",
        get=                                            (LOGIN,   200,  200,   404,   404,     404,  404)),
    "placements:participant_erase": Access("participant",
        get=                                            (LOGIN,   200,  200,   404,   404,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  404,   404,     404,  404)),
    "placements:privacy_notice": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   200,     200,  200)),
    "placements:candidate_pool": Access(None,
        get=                                            (LOGIN,   200,  200,   403,   403,     403,  403)),
    # Offers: the facilitators who follow the lot, and the employer who offers the job.
    "placements:offer_list": Access(None,
        get=                                            (LOGIN,   200,  200,   403,   200,     403,  403)),
    "placements:offer_create": Access("offer_lot",
        get=                                            (LOGIN,   200,  200,   403,   403,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     404,  404)),
    "placements:offer_detail": Access("offer",
        get=                                            (LOGIN,   200,  200,   404,   200,     404,  404)),
    "placements:offer_update": Access("offer",
        get=                                            (LOGIN,   200,  200,   404,   403,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  404,   403,     404,  404)),
    "placements:candidacy_propose": Access("offer",
        get=                                            (LOGIN,   200,  200,   404,   403,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  404,   403,     404,  404)),
    "placements:candidacy_update": Access("candidacy",
        get=                                            (LOGIN,   200,  200,   404,   403,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  404,   403,     404,  404)),
    "placements:recruitment_outlook": Access(None,
        get=                                            (LOGIN,   200,  200,   403,   403,     403,  403)),
    # The employer's answers to the candidacies sent to them (administrators may answer for them).
    "placements:employer_candidacies": Access(None,
        get=                                            (LOGIN,   200,  200,   403,   200,     403,  403)),
    "placements:employer_candidacy_answer": Access("candidacy",
        get=                                            (LOGIN,   200,  403,   404,   200,     404,  404),
        post=                                           (LOGIN,   DONE, 403,   404,   DONE,    404,  404)),
    # Placements, follow-ups and outcomes: employers read the placements of their organisation.
    "placements:placement_create": Access(None,
        get=                                            (LOGIN,   200,  200,   403,   403,     403,  403),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     403,  403)),
    "placements:placement_detail": Access("placement",
        get=                                            (LOGIN,   200,  200,   404,   200,     404,  404)),
    "placements:placement_update": Access("placement",
        get=                                            (LOGIN,   200,  200,   404,   403,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  404,   403,     404,  404)),
    "placements:follow_up_list": Access(None,
        get=                                            (LOGIN,   200,  200,   403,   403,     403,  403)),
    "placements:follow_up_record": Access("follow_up",
        get=                                            (LOGIN,   200,  200,   404,   403,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  404,   403,     404,  404)),
    "placements:outcome_record": Access("outcome",
        get=                                            (LOGIN,   200,  200,   404,   403,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  404,   403,     404,  404)),

    #                                                    anonymous admin facil. reader employer buyer no role
    # Placements: the employer's portal (employers declare; administrators may act for an employer) --------
    "placements:portal_home": Access("employer",
        get=                                            (LOGIN,   200,  403,   403,   200,     403,  403)),
    "placements:declaration_grid": Access("declaration_month",
        get=                                            (LOGIN,   200,  403,   403,   200,     403,  403),
        post=                                           (LOGIN,   DONE, 403,   403,   DONE,    403,  403)),
    # Facilitators see the declaration (they validate it) but do not add files to it.
    "placements:proof_upload": Access("declaration",
        get=                                            (LOGIN,   405,  405,   405,   405,     405,  405),
        post=                                           (LOGIN,   DONE, 403,   404,   DONE,    404,  404)),
    "placements:proof_download": Access("proof",
        get=                                            (LOGIN,   200,  200,   404,   200,     404,  404)),
    "placements:declaration_import": Access("declaration_month",
        get=                                            (LOGIN,   200,  403,   403,   200,     403,  403),
        post=                                           (LOGIN,   DONE, 403,   403,   DONE,    403,  403)),
    "placements:declaration_import_template": Access("declaration_month_csv",
        get=                                            (LOGIN,   200,  403,   403,   200,     403,  403)),
    # Validation of the hours by the facilitators.
    "placements:validation_queue": Access(None,
        get=                                            (LOGIN,   200,  200,   403,   403,     403,  403),
        post=                                           (LOGIN,   DONE, DONE,  403,   403,     403,  403)),
    "placements:declaration_detail": Access("declaration",
        get=                                            (LOGIN,   200,  200,   404,   403,     404,  404)),
    "placements:declaration_review": Access("declaration",
        get=                                            (LOGIN,   405,  405,   405,   405,     405,  405),
        post=                                           (LOGIN,   DONE, DONE,  404,   403,     404,  404)),

    #                                                    anonymous admin facil. reader employer buyer no role
    # Reporting: dashboards, exports, reports (aggregated figures; never for employers) ----------------------
    "reporting:facilitator_dashboard": Access(None,
        get=                                            (LOGIN,   200,  200,   404,   404,     404,  404)),
    "reporting:department_dashboard": Access(None,
        get=                                            (LOGIN,   200,  404,   200,   404,     404,  404)),
    "reporting:export_index": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   404,     200,  404)),
    # One row per placement (even without names) is for the Département's staff only.
    "reporting:export_download": Access("people_export",
        get=                                            (LOGIN,   200,  200,   200,   404,     404,  404)),
    "reporting:report_list": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   404,     200,  404),
        post=                                           (LOGIN,   DONE, DONE,  DONE,  404,     403,  404)),
    "reporting:report_detail": Access("report",
        get=                                            (LOGIN,   200,  200,   200,   404,     200,  404)),
    "reporting:report_status": Access("report",
        get=                                            (LOGIN,   200,  200,   200,   404,     200,  404)),
    "reporting:report_retry": Access("report",
        get=                                            (LOGIN,   405,  405,   405,   405,     405,  405),
        post=                                           (LOGIN,   DONE, DONE,  DONE,  404,     403,  404)),
    "reporting:report_download": Access("report",
        get=                                            (LOGIN,   200,  200,   200,   404,     200,  404)),

    #                                                    anonymous admin facil. reader employer buyer no role
    # Compliance: the AVE yearly return is for the Département's reader and the administrator only -----
    "compliance:ave_return": Access(None,
        get=                                            (LOGIN,   200,  404,   200,   404,     404,  404)),
    "compliance:ave_export": Access(None,
        get=                                            (LOGIN,   200,  404,   200,   404,     404,  404)),

    #                                                    anonymous admin facil. reader employer buyer no role
    # Public procurement (DECP): facilitators review, department readers read; nobody else sees it ---------
    "procurement:review_list": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   404,     404,  404)),
    "procurement:review_detail": Access("published_contract",
        get=                                            (LOGIN,   200,  200,   200,   404,     404,  404)),
    "procurement:review_accept": Access("published_contract",
        get=                                            (LOGIN,   200,  200,   403,   404,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  403,   404,     404,  404)),
    "procurement:review_merge": Access("published_contract",
        get=                                            (LOGIN,   405,  405,   405,   405,     405,  405),
        post=                                           (LOGIN,   DONE, DONE,  403,   404,     404,  404)),
    "procurement:review_dismiss": Access("published_contract",
        get=                                            (LOGIN,   405,  405,   405,   405,     405,  405),
        post=                                           (LOGIN,   DONE, DONE,  403,   404,     404,  404)),
    "procurement:review_undo": Access("published_contract",
        get=                                            (LOGIN,   405,  405,   405,   405,     405,  405),
        post=                                           (LOGIN,   DONE, DONE,  403,   404,     404,  404)),
    # The PNAD/SPASER returns (compliance): the Département's staff see the territory, a buyer its
    # own share; the yearly PDF is asked by the staff (a buyer gets 403, as on the reports).
    "compliance:pnad": Access(None,
        get=                                            (LOGIN,   200,  404,   200,   404,     200,  404)),
    "compliance:pnad_export": Access(None,
        get=                                            (LOGIN,   200,  404,   200,   404,     200,  404)),
    "compliance:pnad_report": Access(None,
        get=                                            (LOGIN,   405,  405,   405,   405,     405,  405),
        post=                                           (LOGIN,   DONE, 404,   DONE,  404,     403,  404)),
    "procurement:reconciliation": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   404,     404,  404)),
    "procurement:reconciliation_buyer": Access("decp_buyer",
        get=                                            (LOGIN,   200,  200,   200,   404,     404,  404)),
    "procurement:reconciliation_export": Access("decp_export",
        get=                                            (LOGIN,   200,  200,   200,   404,     404,  404)),
    "procurement:import_list": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   404,     404,  404),
        post=                                           (LOGIN,   DONE, DONE,  403,   404,     404,  404)),
    "procurement:import_from_api": Access(None,
        get=                                            (LOGIN,   405,  405,   405,   405,     405,  405),
        post=                                           (LOGIN,   DONE, DONE,  403,   404,     404,  404)),
    "procurement:import_detail": Access("decp_import",
        get=                                            (LOGIN,   200,  200,   200,   404,     404,  404)),
    "procurement:import_status": Access("decp_import",
        get=                                            (LOGIN,   200,  200,   200,   404,     404,  404)),
    "procurement:import_retry": Access("decp_import",
        get=                                            (LOGIN,   405,  405,   405,   405,     405,  405),
        post=                                           (LOGIN,   DONE, DONE,  403,   404,     404,  404)),

    #                                                    anonymous admin facil. reader employer buyer no role
    # Open data: public page and downloads; building on demand is for administrators ----------------------
    "opendata:index": Access(None,
        get=                                            (200,     200,  200,   200,   200,     200,  200)),
    "opendata:schema": Access(None,
        get=                                            (200,     200,  200,   200,   200,     200,  200)),
    "opendata:download": Access("open_dataset",
        get=                                            (200,     200,  200,   200,   200,     200,  200)),
    "opendata:build": Access(None,
        get=                                            (LOGIN,   405,  405,   405,   405,     405,  405),
        post=                                           (LOGIN,   DONE, 403,   403,   403,     403,  403)),
    # Accessibility statement (RGAA): public, linked from every page's footer -------------------------------
    "accessibility:statement": Access(None,
        get=                                            (200,     200,  200,   200,   200,     200,  200)),

    #                                                    anonymous admin facil. reader employer buyer no role
    # OETH returns: administrators record, department readers read; nobody else sees them -----------------
    "compliance:oeth_index": Access(None,
        get=                                            (LOGIN,   MOVED, 404,  MOVED, 404,     404,  404)),
    "compliance:oeth_year": Access("oeth_year",
        get=                                            (LOGIN,   200,  404,   200,   404,     404,  404)),
    "compliance:oeth_export": Access("oeth_year",
        get=                                            (LOGIN,   200,  404,   200,   404,     404,  404)),
    "compliance:oeth_year_edit": Access("oeth_year",
        get=                                            (LOGIN,   200,  404,   403,   404,     404,  404),
        post=                                           (LOGIN,   DONE, 404,   403,   404,     404,  404)),
    "compliance:oeth_purchase_create": Access("oeth_year",
        get=                                            (LOGIN,   200,  404,   403,   404,     404,  404),
        post=                                           (LOGIN,   DONE, 404,   403,   404,     404,  404)),
    "compliance:oeth_purchase_update": Access("oeth_purchase",
        get=                                            (LOGIN,   200,  404,   403,   404,     404,  404),
        post=                                           (LOGIN,   DONE, 404,   403,   404,     404,  404)),
    "compliance:oeth_attestation": Access("oeth_purchase",
        get=                                            (LOGIN,   200,  404,   200,   404,     404,  404)),
    "compliance:tih_list": Access(None,
        get=                                            (LOGIN,   200,  404,   200,   404,     404,  404),
        post=                                           (LOGIN,   DONE, 404,   403,   404,     404,  404)),
    "compliance:tih_update": Access("tih",
        get=                                            (LOGIN,   200,  404,   403,   404,     404,  404),
        post=                                           (LOGIN,   DONE, 404,   403,   404,     404,  404)),

    #                                                    anonymous admin facil. reader employer buyer no role
    # API tokens of the account: everyone manages their own; another's token is outside their scope -------
    "api_tokens:token_list": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   200,     200,  200),
        post=                                           (LOGIN,   DONE, DONE,  DONE,  DONE,    DONE, DONE)),
    "api_tokens:token_revoke": Access("api_token",
        get=                                            (LOGIN,   404,  200,   404,   404,     404,  404),
        post=                                           (LOGIN,   404,  DONE,  404,   404,     404,  404)),

    #                                                    anonymous admin facil. reader employer buyer no role
    # API /api/v1/ (called with each role's token): the same scopes as the pages; no token: 401 ----------
    "api:docs": Access(None,
        get=                                            (LOGIN,   200,  200,   200,   200,     200,  200)),
    "api:schema": Access(None,
        get=                                            (401,     200,  200,   200,   200,     200,  200)),
    # Lists hold the user's scope only (empty for those who see nothing of it).
    "api:operation-list": Access(None,
        get=                                            (401,     200,  200,   200,   200,     200,  200)),
    "api:operation-detail": Access("operation",
        get=                                            (401,     200,  200,   200,   200,     404,  404)),
    "api:contract-list": Access(None,
        get=                                            (401,     200,  200,   200,   200,     200,  200)),
    "api:contract-detail": Access("contract",
        get=                                            (401,     200,  200,   200,   200,     404,  404)),
    "api:lot-list": Access(None,
        get=                                            (401,     200,  200,   200,   200,     200,  200)),
    "api:lot-detail": Access("lot",
        get=                                            (401,     200,  200,   200,   200,     404,  404)),
    "api:organisation-list": Access(None,
        get=                                            (401,     200,  200,   200,   200,     200,  200)),
    "api:organisation-detail": Access("organisation",
        get=                                            (401,     200,  200,   404,   404,     404,  404)),
    # Personal data: facilitators of the person's body (and administrators) only.
    "api:participant-list": Access(None,
        get=                                            (401,     200,  200,   200,   200,     200,  200)),
    "api:participant-detail": Access("participant",
        get=                                            (401,     200,  200,   404,   404,     404,  404)),
    "api:placement-list": Access(None,
        get=                                            (401,     200,  200,   200,   200,     200,  200)),
    "api:placement-detail": Access("placement",
        get=                                            (401,     200,  200,   404,   200,     404,  404)),
    "api:indicators": Access(None,
        get=                                            (401,     200,  200,   200,   403,     200,  403)),
    # The employers' monthly hours: a write (an empty body is refused with its errors, 400).
    "api:declarations": Access(None,
        get=                                            (401,     405,  405,   405,   405,     405,  405),
        post=                                           (401,     DONE, 403,   403,   DONE,    403,  403)),
}
# fmt: on


# What each address is opened on. The test finds these objects in the demo data (seed_demo), plus a
# report it asks for, since the demo has none.
OBJECTS = {
    "reset_link": "a password-reset link that is not valid (uid « MQ », token « lien-invalide »)",
    "organisation_kind": "the kind « company » (a new company of the directory)",
    "organisation": "Bâtir Bresse Construction, the demo employer's company",
    "contact": "the first contact of Bâtir Bresse Construction",
    "csv_format": "the CSV format of the import template",
    "coverage_rule": "the coverage rule of the Maison de l'emploi du Bassin de Bourg-en-Bresse",
    "action": "the first demo awareness-raising action",
    "operation": (
        "Reconstruction du collège de Châtillon-sur-Chalaronne: bought and followed by the Département "
        "(the demo facilitator's body); its lot 1 is held by the demo employer; not the demo buyer's"
    ),
    "contract": "CD01-2025-017, the contract of that operation",
    "lot": "lot 1 « Gros œuvre » of that contract, held by the demo employer, with a clause",
    "award": "the award of that lot to the demo employer",
    "invoiced_amount": "an invoiced amount of the lot « Nettoyage des collèges » (held by Propreté Ain Services)",
    "offer_lot": "lot 1 « Gros œuvre » of the collège (the lot an offer is created on)",
    "offer": "the open offer « Coffreur ou coffreuse bancheur » of the demo employer on that lot",
    "candidacy": "a candidacy to that offer sent to the employer (status « sent »)",
    "participant": "the person hired as mason on the collège (followed by the Département)",
    "placement": "that person's placement on the collège lot 1 with the demo employer",
    "follow_up": "a follow-up of that placement",
    "outcome": "an outcome of that placement",
    "employer": "the demo employer's company, chosen with ?employeur=",
    "declaration_month": "the month the demo employer has to correct, with ?employeur=",
    "declaration_month_csv": "the same month, CSV template, with ?employeur=",
    "declaration": "the demo employer's declaration of that month",
    "proof": "a proof file of that declaration",
    "people_export": "the export of placements (one row per placement) as CSV, for the current year",
    "published_contract": (
        "a contract of the Département published in the DECP with a social clause, still to review (the test "
        "creates it: the demo has none)"
    ),
    "decp_buyer": "the Département's SIRET as the buyer of that published contract",
    "decp_export": "the export of the PNAD share by buyer and year, as CSV",
    "decp_import": "the first DECP import of the demo (the demo file of the territory)",
    "open_dataset": "the open dataset of the previous year (built by the demo)",
    "oeth_year": "the previous year of the OETH demo (its inputs and purchases)",
    "oeth_purchase": "the first OETH purchase of the demo (with its PDF attestation)",
    "tih": "the demo's independent disabled worker (TIH)",
    "api_token": "an API token of the demo facilitator (the test creates one for each role)",
    "report": ("a finished buyer report on the demo buyer's organisation (Dynacité), asked by the demo facilitator"),
}

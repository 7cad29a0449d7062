"""Settings shared by every environment; values come from the environment (django-environ)."""

from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

# Development fallback only: the production settings require SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-clausier-development-key-not-for-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.ClausierAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "common",
    "partners",
    "clauses",
    "placements",
    "portal",
    "procurement",
    "reporting",
    "compliance",
    "opendata",
    "accessibility",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "partners.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partners.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The data fits in memory or on SSD: an index read costs about a sequential one, not 4 times
    # (PostgreSQL's default). With 4 the planner scans every hours line to find one month's
    # (bench/README.md, "Plans"). Empty PG_RANDOM_PAGE_COST leaves the server's setting.
    _PAGE_COST = env("PG_RANDOM_PAGE_COST", default="1.1")
    if _PAGE_COST:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c random_page_cost={_PAGE_COST}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts
AUTH_USER_MODEL = "partners.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "partners.backends.RoleBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: lock an account and address out after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Second factor (django-otp, TOTP): optional for administrators and facilitators; once set up, a
# code is asked after the password. Mandatory for administrators only when this is on (off for demo).
OTP_REQUIRED_FOR_ADMINISTRATORS = env.bool("OTP_REQUIRED_FOR_ADMINISTRATORS", default=False)
OTP_TOTP_ISSUER = "Clausier (Département de l'Ain)"

# Internationalisation: French for users.
LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# Static and uploaded files
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Private files (proof, reports) are never served as static media: views check access.
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=BASE_DIR / "private")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# E-mail: console by default, SMTP (or anything django-environ knows) by URL.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Clausier <ne-pas-repondre@clausier.ain.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Cache: the dashboards' figures between two changes of the data (reporting/figures_cache.py). In
# memory for `make run`; Redis in production, shared by the web processes and the workers.
# With a Redis broker, its database 1 by default: workers and web processes must share the cache.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")


def _redis_database(url, number):
    """The same Redis server as ``url``, database ``number``; None when ``url`` is not Redis."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{number}")) if parts.scheme == "redis" else None


_DEFAULT_CACHE = _redis_database(CELERY_BROKER_URL, 1) or "locmemcache://"
CACHES = {"default": env.cache("CACHE_URL", default=_DEFAULT_CACHE)}

# Celery: without a broker, tasks run eagerly in-process (the embedded default).
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    # Every morning, each facilitator gets one e-mail listing the outcomes to collect.
    "remind-overdue-outcomes": {
        "task": "placements.tasks.remind_overdue_outcomes",
        "schedule": crontab(hour=7, minute=0),
    },
    # On the 5th, employers who have not declared last month, and their facilitators, get a reminder.
    "remind-missing-declarations": {
        "task": "placements.declaration_tasks.remind_missing_declarations",
        "schedule": crontab(day_of_month=5, hour=8, minute=0),
    },
    # On the 1st, people with no activity for PERSONAL_DATA_RETENTION_YEARS are anonymised.
    "anonymise-inactive-participants": {
        "task": "placements.tasks.anonymise_inactive_participants",
        "schedule": crontab(day_of_month=1, hour=3, minute=0),
    },
    # Every night, the hours counted for the clauses are recounted if the counting rules changed.
    "recount-hours": {
        "task": "placements.tasks.recount_hours",
        "schedule": crontab(hour=2, minute=30),
    },
    # On Monday morning, each facilitator gets their week: the lots that fell behind schedule (the
    # periodic alert of the lots behind schedule), declarations missing, outcomes to collect.
    "send-weekly-digests": {
        "task": "reporting.tasks.send_weekly_digests",
        "schedule": crontab(day_of_week="monday", hour=7, minute=30),
    },
    # Every night, the contracts of the territory published in the DECP since the last import.
    "import-decp": {
        "task": "procurement.tasks.import_decp_from_api",
        "schedule": crontab(hour=3, minute=15),
    },
    # On Sunday night, every SIRET of the directory is checked in the Sirene register (7 requests/s at most).
    "check-directory-in-register": {
        "task": "partners.tasks.check_directory_in_register",
        "schedule": crontab(day_of_week="sunday", hour=4, minute=0),
    },
    # Every year on 1 March (once geo.api.gouv.fr has the year's official geography): the communes and
    # EPCI of the department; a commune that merged into a « commune nouvelle » is kept, ended.
    "refresh-geography": {
        "task": "partners.tasks.refresh_geography",
        "schedule": crontab(month_of_year=3, day_of_month=1, hour=4, minute=30),
    },
    # Every year on 5 January: the open dataset of the year that just ended (opendata).
    "build-open-dataset": {
        "task": "opendata.tasks.build_previous_year",
        "schedule": crontab(month_of_year=1, day_of_month=5, hour=5, minute=0),
    },
    # DECP imports left "running" by a worker that died are marked failed, so that they can be re-run.
    "fail-stale-decp-imports": {
        "task": "procurement.tasks.fail_stale_decp_imports",
        "schedule": crontab(minute="*/10"),
    },
    # Reports left "running" by a worker that died are marked failed, so that they can be re-run.
    "fail-stale-reports": {
        "task": "reporting.tasks.fail_stale_reports",
        "schedule": crontab(minute="*/10"),
    },
}
# Minutes after which a report still "running" is taken for the job of a dead worker.
REPORT_RUNNING_TIMEOUT_MINUTES = env.int("REPORT_RUNNING_TIMEOUT_MINUTES", default=30)
# Task modules beyond each app's tasks.py.
CELERY_IMPORTS = ["portal.declaration_tasks"]

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content security policy (django-csp 4): no inline script anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
X_FRAME_OPTIONS = "DENY"

# The read-only API under /api/v1/ and its write of monthly hours (api/): personal tokens only
# (no session, so no CSRF to carry), JSON only, pages of 50, a rate limit per token (the cache).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Clausier",
    "DESCRIPTION": (
        "Données des clauses sociales d'insertion du Département de l'Ain : opérations, marchés, lots et "
        "leur avancement, organisations, indicateurs ; participants et mises à l'emploi pour les "
        "facilitateurs ; déclaration mensuelle des heures pour les employeurs. Authentification par jeton "
        "personnel (« Authorization: Bearer … », créé depuis « Jetons d'API » du menu du compte). "
        "Heures et montants en chaînes décimales (« 35.50 »)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.add_common_errors"],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# Trade settings (local settings of domain.md); administrators can later override them.
CLAUSIER = {
    "DEPARTMENT_SIREN": "220100010",
    "DEPARTMENT_SEAT_INSEE": "01053",
    # Address of the site, to make absolute links in e-mails (empty: paths only).
    "SITE_URL": env("SITE_URL", default=""),
    # Hours count for a person during this many months from their first placement under a clause.
    "COUNTING_WINDOW_MONTHS": env.int("COUNTING_WINDOW_MONTHS", default=24),
    # Whether training hours count towards a clause (domain.md, mode 4: off by default).
    "TRAINING_HOURS_COUNT": env.bool("TRAINING_HOURS_COUNT", default=False),
    # Legal maximum of hours in a month for one person (48 h a week).
    "MONTHLY_HOURS_MAXIMUM": Decimal(env("MONTHLY_HOURS_MAXIMUM", default="208")),
    # Months after the end of a placement when the outcome is collected again (12 is optional).
    "OUTCOME_FOLLOW_UP_MONTHS": [6],
    # PNAD 2022-2025: share (in %) of the contracts notified in a year that should carry at least
    # one social consideration.
    "PNAD_TARGET": Decimal(env("PNAD_TARGET", default="30")),
    # DECP (integrations.md): the territory whose contracts are imported, and the tabular API of
    # the consolidated table on data.gouv.fr (a stand-in server in tests).
    "DECP_DEPARTMENT_CODE": env("DECP_DEPARTMENT_CODE", default="01"),
    "DECP_API_URL": env(
        "DECP_API_URL",
        default="https://tabular-api.data.gouv.fr/api/resources/22847056-61df-452d-837d-8b8ceadbfc52/data/",
    ),
    # Seconds before the first retry of a failed page (doubled at each retry).
    "DECP_API_BACKOFF_SECONDS": env.float("DECP_API_BACKOFF_SECONDS", default=1.0),
    # API Recherche d'entreprises (Sirene): SIRET lookup on forms, and the weekly check of the directory.
    "SIRENE_API_URL": env("SIRENE_API_URL", default="https://recherche-entreprises.api.gouv.fr"),
    "SIRENE_API_BACKOFF_SECONDS": env.float("SIRENE_API_BACKOFF_SECONDS", default=1.0),
    # geo.api.gouv.fr (API Découpage administratif): the yearly refresh of the communes and EPCI of
    # the department DECP_DEPARTMENT_CODE (a stand-in server in tests).
    "GEO_API_URL": env("GEO_API_URL", default="https://geo.api.gouv.fr"),
    # Seconds before the first retry of a failed request to geo.api.gouv.fr (doubled at each retry).
    "GEO_API_BACKOFF_SECONDS": env.float("GEO_API_BACKOFF_SECONDS", default=1.0),
    # Les emplois de l'inclusion (integrations.md, "Inclusion directories"): the SIAE around a commune,
    # for the sourcing panel of a lot (a stand-in server in tests).
    "EMPLOIS_API_URL": env("EMPLOIS_API_URL", default="https://emplois.inclusion.beta.gouv.fr/api/v1"),
    # Requests a personal API token may make (DRF rate: "120/minute", "5000/day"…), counted in the cache.
    "API_RATE_LIMIT": env("API_RATE_LIMIT", default="120/minute"),
    # Participants with no activity for this many years are anonymised (monthly job).
    "PERSONAL_DATA_RETENTION_YEARS": env.int("PERSONAL_DATA_RETENTION_YEARS", default=5),
    # Who answers the people's requests about their data (shown on the "Données personnelles" page).
    "DATA_PROTECTION_CONTACT": env(
        "DATA_PROTECTION_CONTACT",
        default="le délégué à la protection des données (DPO) du Département de l'Ain",
    ),
    # Accessibility statement (/accessibilite/): the axe-core results written by `make accessibility`
    # (accessibility/results.py), who answers accessibility requests, and the RGAA compliance rate (%)
    # of the last full RGAA audit, empty while none was done (the level is then « non conforme »).
    "ACCESSIBILITY_RESULTS_FILE": env.path(
        "ACCESSIBILITY_RESULTS_FILE", default=BASE_DIR / "accessibility" / "data" / "axe-results.json"
    ),
    "ACCESSIBILITY_CONTACT": env("ACCESSIBILITY_CONTACT", default="accessibilite@ain.fr"),
    "ACCESSIBILITY_RGAA_RATE": env.float("ACCESSIBILITY_RGAA_RATE", default=None),
}
AXES_VERBOSE = False

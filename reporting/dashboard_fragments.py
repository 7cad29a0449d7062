"""The figures part of each dashboard, rendered for one scope, year and day, and kept ready in the
cache (``figures_cache``): the Département's for everyone who reads it, a facilitator's for them."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from clauses.models import facilitation_bodies_of
from clauses.progress import home_summary
from partners.roles import Role

from . import charts, digest, figures_cache, indicators
from .scope import Scope
from .workload import workload

YEARS_SHOWN = 4


def hours_charts(figures):
    """The three charts both dashboards and the reports show."""
    return {
        "by_month": charts.column_chart(
            [(row.label, row.validated) for row in figures.by_month],
            title=f"Heures validées par mois, {figures.period.label}",
            reference=[row.required for row in figures.by_month],
            series_label="Heures validées",
            reference_label="Heures exigées au prorata",
        ),
        "by_activity": charts.bar_chart(
            [(row.label, row.validated) for row in figures.by_activity],
            title="Heures validées par secteur d'activité",
        ),
        "by_mode": charts.share_chart(
            [(row.label, row.validated) for row in figures.by_mode],
            title="Heures validées par mode de réalisation",
            unit="h",
        ),
    }


# The Département ------------------------------------------------------------------------------


def department_key(year, scope):
    return figures_cache.key_for("department", year=year, scope=scope.kind, scope_id=scope.pk)


def render_department(year, scope, on):
    period = indicators.rules.Period.year(year)
    figures = indicators.compute(period, scope, on=on)
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    return render_to_string(
        "reporting/dashboards/_department_body.html",
        {"figures": figures, "years": indicators.yearly(years, scope, on=on), "charts": hours_charts(figures)},
    )


def department(year, scope, on, refresh_later):
    """The Département's figures: the last ones worked out are served while a worker makes the
    new ones after a change (adding up every lot takes seconds at the scale of a region).
    ``refresh_later(year, scope, on)`` sends that work to the worker (``tasks.refresh_department_later``:
    passed in, so that this module and the tasks do not import each other)."""
    return figures_cache.fragment(
        department_key(year, scope),
        lambda: render_department(year, scope, on),
        on=on,
        stale_ok=True,
        refresh=lambda: refresh_later(year, scope, on),
    )


def refresh_department(year, scope_kind, scope_pk, on):
    scope = Scope.load(scope_kind, scope_pk)
    figures_cache.store(department_key(year, scope), lambda: render_department(year, scope, on), on=on)


# A facilitator ----------------------------------------------------------------------------------


def territory_versions(user):
    """The versions a user's own figures follow: the global one and their facilitation bodies'
    (whatever the year: what the dashboard reads, lots' progress, people's first placements, what
    waits for them, runs over every year), when they are a facilitator only; anyone who sees
    more (an administrator, a facilitator who is also a buyer...) follows every body."""
    if set(user.roles) != {Role.FACILITATOR}:
        return figures_cache.EVERYTHING
    return figures_cache.depends_on_bodies(facilitation_bodies_of(user))


def facilitator(user, year, lots, on):
    """A facilitator's figures and what waits for them: worked out again as soon as data changed."""

    def build():
        period = indicators.rules.Period.year(year)
        loaded = list(indicators.with_places(lots))  # read once for the year's figures and the totals
        figures = indicators.compute(period, lots=lots, on=on, loaded=loaded)
        return render_to_string(
            "reporting/dashboards/_facilitator_body.html",
            {
                "figures": figures,
                "overall": home_summary(user, on, lots=loaded),
                "work": workload(user, on),
                "charts": hours_charts(figures),
            },
        )

    key = figures_cache.key_for("facilitator", user=user.pk, year=year)
    return figures_cache.fragment(key, build, on=on, depends=territory_versions(user))


def facilitator_digest(user, on):
    """The sections of a facilitator's weekly digest that read only clauses, placements and
    partners rows (``digest.own_sections``) of the user's territory: every write of those changes
    its versions (``territory_versions``), the day is part of what the fragment holds, the user of
    its key; so it is kept ready like the figures, with the registered sections that follow the
    versions (closed holders: the user's lots). The other registered sections
    (``digest.extra_sections``) read data the versions may not follow (published contracts): they
    are read for each request, outside."""

    def build():
        return render_to_string(
            "reporting/digest/_dashboard_sections.html",
            {"sections": digest.own_sections(user, on) + digest.extra_sections(user, on, follows_version=True)},
        )

    key = figures_cache.key_for("facilitator-digest", user=user.pk)
    return figures_cache.fragment(key, build, on=on, depends=territory_versions(user))


def html(fragment):
    return mark_safe(fragment.html)  # rendered by our own templates, escaped there

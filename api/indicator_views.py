"""Aggregated indicators of a scope and a year, from ``reporting.indicators`` (the dashboards'
figures), among the lots the user may see; kept in the dashboards' cache between data changes."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from common.dates import today
from reporting import figures_cache, indicators
from reporting.permissions import can_view_figures, visible_lots
from reporting.rules import Period
from reporting.scope import KIND_LABELS, Scope, ScopeError

from .serializers import HOURS

FIRST_YEAR, LAST_YEAR = 2000, 2100


class HoursSerializer(serializers.Serializer):
    required = serializers.DecimalField(**HOURS, help_text="Heures exigées au prorata de la période")
    expected = serializers.DecimalField(**HOURS, help_text="Heures attendues à ce jour")
    validated = serializers.DecimalField(**HOURS, help_text="Heures validées et comptées")


class MonthSerializer(HoursSerializer):
    month = serializers.DateField()


class ScopeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(KIND_LABELS))
    id = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()


class IndicatorsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    scope = ScopeSerializer()
    on = serializers.DateField(help_text="Jour auquel les chiffres sont calculés")
    hours = HoursSerializer()
    by_month = MonthSerializer(many=True)
    operations = serializers.IntegerField()
    contracts = serializers.IntegerField()
    lots = serializers.IntegerField()
    lots_with_clause = serializers.IntegerField()
    lots_behind = serializers.IntegerField()
    placements = serializers.IntegerField()
    placements_running = serializers.IntegerField()
    people = serializers.IntegerField(help_text="Personnes mises à l'emploi (nombre, jamais leur identité)")
    women = serializers.IntegerField()
    men = serializers.IntegerField()
    companies = serializers.IntegerField()


def _hours(row):
    return {"required": row.required, "expected": row.expected, "validated": row.validated}


def figures(result, year):
    """The indicators as plain values (decimals kept: the serializer writes them as strings)."""
    profile = result.profile
    return {
        "year": year,
        "scope": {"kind": result.scope.kind, "id": result.scope.pk, "label": result.scope.label},
        "on": result.on,
        "hours": _hours(result.hours),
        "by_month": [{"month": row.key, **_hours(row)} for row in result.by_month],
        "operations": result.operations,
        "contracts": result.contracts,
        "lots": result.lots,
        "lots_with_clause": result.lots_with_clause,
        "lots_behind": len(result.lots_behind),
        "placements": result.placements,
        "placements_running": result.placements_running,
        "people": profile.total if profile else 0,
        "women": profile.women if profile else 0,
        "men": profile.men if profile else 0,
        "companies": result.companies,
    }


class IndicatorsView(APIView):
    @extend_schema(
        tags=["Indicateurs"],
        parameters=[
            OpenApiParameter("annee", int, description="Année (par défaut : l'année en cours)"),
            OpenApiParameter("perimetre", str, enum=list(KIND_LABELS), description="Type de périmètre"),
            OpenApiParameter("perimetre_id", int, description="Identifiant de l'élément du périmètre"),
        ],
        responses=IndicatorsSerializer,
    )
    def get(self, request):
        """Indicateurs agrégés d'un périmètre et d'une année, parmi les lots que le compte peut voir."""
        user = request.user
        if not can_view_figures(user):
            raise PermissionDenied("Les indicateurs sont réservés au Département, aux facilitateurs et aux acheteurs.")
        on = today()
        year = _integer(request.query_params.get("annee"), "annee", default=on.year)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValidationError({"annee": [f"Indiquez une année de {FIRST_YEAR} à {LAST_YEAR}."]})
        try:
            scope_id = _integer(request.query_params.get("perimetre_id"), "perimetre_id", default=None)
            scope = Scope.load(request.query_params.get("perimetre", "all"), scope_id)
        except ScopeError as error:
            raise ValidationError({"perimetre": [str(error)]}) from error
        key = figures_cache.key_for("api-indicators", user=user.pk, year=year, scope=scope.kind, scope_id=scope.pk)

        def build():
            result = indicators.compute(Period.year(year), scope, lots=visible_lots(user), on=on)
            return dict(IndicatorsSerializer(figures(result, year)).data)

        return Response(figures_cache.fragment(key, build, on=on).html)


def _integer(text, name, default):
    if text in (None, ""):
        return default
    try:
        return int(text)
    except ValueError as exc:
        raise ValidationError({name: ["Un nombre entier est attendu."]}) from exc

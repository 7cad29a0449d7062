"""The employers' monthly hours, written by a payroll tool: the portal grid's own service
(``portal.declaration_services.save_hours``), all or nothing, with the errors per line."""

import re
from datetime import date

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from common.dates import today
from partners.models import Organisation
from partners.permissions import is_administrator
from partners.roles import Role
from placements import declaration_rules as rules
from placements.models import DeclarationLine, MonthlyDeclaration
from portal.declaration_scope import can_declare
from portal.declaration_services import DeclarationErrors, StaleDeclaration, declaration_for, save_hours

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
NOTHING_SAVED = "Rien n'a été enregistré : corrigez les lignes en erreur puis envoyez à nouveau toute la déclaration."


class LineInSerializer(serializers.Serializer):
    placement = serializers.IntegerField(help_text="Identifiant de la mise à l'emploi (`/api/v1/placements/`)")
    hours = serializers.CharField(
        max_length=20, help_text="Heures du mois, au centième au plus : « 35 », « 35.5 » ou « 35,25 »"
    )


class DeclarationInSerializer(serializers.Serializer):
    employer = serializers.IntegerField(
        required=False, help_text="L'organisation employeuse ; facultatif si le compte n'en a qu'une"
    )
    month = serializers.RegexField(
        MONTH,
        help_text="Le mois déclaré, « AAAA-MM »",
        error_messages={"invalid": "Le mois s'écrit « AAAA-MM », par exemple « 2027-02 »."},
    )
    lines = LineInSerializer(many=True, allow_empty=False, max_length=5000)


class LineOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeclarationLine
        fields = ["placement", "hours", "status", "version", "counted"]


class DeclarationOutSerializer(serializers.Serializer):
    employer = serializers.IntegerField()
    month = serializers.CharField()
    status = serializers.ChoiceField(choices=MonthlyDeclaration.Status.choices)
    revision = serializers.IntegerField()
    lines = LineOutSerializer(many=True)


class LineErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True, help_text="Numéro de la ligne envoyée (à partir de 1)")
    placement = serializers.IntegerField(allow_null=True)
    field = serializers.CharField(required=False, help_text="Le champ en cause, quand il y en a un")
    message = serializers.CharField()


class DeclarationErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = LineErrorSerializer(many=True)


def employer_for(user, wanted):
    """The organisation the user declares for: one of theirs (any employer for administrators)."""
    own = [m.organisation for m in user.memberships.all() if m.is_active and m.role == Role.EMPLOYER]
    if wanted is None:
        if len(own) == 1:
            return own[0]
        raise ValidationError({"employer": ["Indiquez l'organisation employeuse (champ « employer »)."]})
    for organisation in own:
        if organisation.pk == wanted:
            return organisation
    if is_administrator(user):
        found = Organisation.objects.employers().filter(pk=wanted).first()
        if found is not None:
            return found
    raise NotFound("Cet employeur n'existe pas ou vous ne déclarez pas pour lui.")


def month_of(text):
    year, month = (int(part) for part in MONTH.match(text).groups())
    try:
        month = date(year, month, 1)
    except ValueError as exc:
        raise ValidationError({"month": ["Ce mois n'existe pas."]}) from exc
    if month > rules.first_day(today()):
        raise ValidationError({"month": ["On ne déclare pas les heures d'un mois qui n'a pas commencé."]})
    return month


def hours_by_placement(lines):
    """{placement id: hours} read as the grid reads them; errors by line number."""
    hours, errors = {}, []
    for number, line in enumerate(lines, start=1):
        placement = line["placement"]
        try:
            value = rules.parse_hours(line["hours"])
        except ValueError as exc:
            errors.append({"line": number, "placement": placement, "message": str(exc)})
            continue
        if placement in hours:
            errors.append({"line": number, "placement": placement, "message": "Cette personne figure deux fois."})
        hours[placement] = value
    return hours, errors


def line_errors(lines, errors):
    """The service's errors (by placement id, or "__all__") by line number."""
    numbers = {line["placement"]: number for number, line in enumerate(lines, start=1)}
    return [
        {"line": numbers.get(key), "placement": None if key == "__all__" else key, "message": message}
        for key, message in errors.items()
    ]


def field_errors(detail, line=None, prefix=""):
    """DRF's errors of the payload (by field, by line of ``lines``) as a flat list, one per message."""
    if isinstance(detail, dict):
        errors = []
        for field, value in detail.items():
            name = prefix if field == "non_field_errors" else f"{prefix}{field}"
            by_line = dict(enumerate(value)) if isinstance(value, list) else value
            if (
                field == "lines"
                and isinstance(by_line, dict)
                and all(isinstance(key, int) and isinstance(item, dict) for key, item in by_line.items())
            ):
                for index, item in by_line.items():  # DRF gives the lines' errors by their index
                    errors += field_errors(item, line=index + 1)
            else:
                errors += field_errors(value, line, name)
        return errors
    if isinstance(detail, list):
        return [error for item in detail for error in field_errors(item, line, prefix)]
    return [{"line": line, "placement": None, "field": prefix, "message": str(detail)}]


def refused(errors, status_code=status.HTTP_400_BAD_REQUEST, detail=NOTHING_SAVED):
    return Response({"detail": detail, "errors": errors}, status=status_code)


class DeclarationView(APIView):
    @extend_schema(
        tags=["Déclarations d'heures"],
        request=DeclarationInSerializer,
        responses={
            200: DeclarationOutSerializer,
            201: DeclarationOutSerializer,
            400: DeclarationErrorSerializer,
            409: DeclarationErrorSerializer,
        },
        description=(
            "Enregistre en brouillon les heures d'un mois, comme la grille du portail : tout ou rien, une "
            "erreur par ligne. 201 quand la déclaration du mois est créée, 200 quand elle existait. Une ligne "
            "déjà transmise ou validée est corrigée (nouvelle version). La transmission au facilitateur, avec "
            "les justificatifs, se fait sur le portail."
        ),
    )
    def post(self, request):
        """Déclarer les heures d'un mois (employeurs)."""
        user = request.user
        if not can_declare(user):
            raise PermissionDenied("Seuls les employeurs déclarent des heures.")
        payload = DeclarationInSerializer(data=request.data)
        try:
            payload.is_valid(raise_exception=True)
            data = payload.validated_data
            employer = employer_for(user, data.get("employer"))
            month = month_of(data["month"])
        except ValidationError as exc:
            return refused(field_errors(exc.detail))
        hours, errors = hours_by_placement(data["lines"])
        if errors:
            return refused(errors)
        created = not MonthlyDeclaration.objects.filter(employer=employer, month=month).exists()
        try:
            with transaction.atomic():
                declaration = declaration_for(employer, month)
                save_hours(declaration, hours, user, declaration.revision)
        except DeclarationErrors as exc:
            return refused(line_errors(data["lines"], exc.errors))
        except StaleDeclaration as exc:
            return refused([], status.HTTP_409_CONFLICT, exc.message)
        lines = declaration.lines.current().filter(placement__in=list(hours)).order_by("placement_id")
        answer = {
            "employer": employer.pk,
            "month": f"{month:%Y-%m}",
            "status": declaration.status,
            "revision": declaration.revision,
            "lines": list(lines),
        }
        return Response(DeclarationOutSerializer(answer).data, status=201 if created else 200)

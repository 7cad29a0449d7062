"""The read-only resources: each one through the same ``for_user`` queryset as the pages, so that an
object outside the user's scope is a 404 and lists hold only the user's scope."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from clauses.models import Contract, Lot, LotAward, Operation
from common.dates import today
from partners.models import Organisation
from placements.models import Participant, Placement

from . import serializers


def _documented(tag):
    return extend_schema_view(list=extend_schema(tags=[tag]), retrieve=extend_schema(tags=[tag]))


@_documented("Opérations")
class OperationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.OperationSerializer
    filterset_fields = ["buyer", "facilitation_body", "commune__insee_code"]

    def get_queryset(self):
        return (
            Operation.objects.for_user(self.request.user)
            .select_related("buyer", "facilitation_body", "commune")
            .order_by("pk")
        )


@_documented("Marchés")
class ContractViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ContractSerializer
    filterset_fields = ["operation", "reference", "procedure"]

    def get_queryset(self):
        return Contract.objects.for_user(self.request.user).order_by("pk")


@_documented("Lots")
class LotViewSet(viewsets.ReadOnlyModelViewSet):
    """Lots with their clause and their progress, computed as on the lot pages (``Lot.progress``)."""

    serializer_class = serializers.LotSerializer
    filterset_fields = {"contract": ["exact"], "contract__operation": ["exact"], "sector": ["exact"]}

    def get_queryset(self):
        awards = LotAward.objects.select_related("company").order_by("pk")
        return (
            Lot.objects.for_user(self.request.user)
            .with_progress_figures(clause_texts=False)
            .prefetch_related(Prefetch("awards", queryset=awards))
            .order_by("pk")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "on": today()}


@_documented("Organisations")
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """The directory: facilitators and administrators (the others get an empty list, as on the pages)."""

    serializer_class = serializers.OrganisationSerializer
    filterset_fields = ["kind", "siret", "siren"]

    def get_queryset(self):
        return Organisation.objects.for_user(self.request.user).select_related("commune").order_by("pk")


@_documented("Participants")
class ParticipantViewSet(viewsets.ReadOnlyModelViewSet):
    """Personal data: the people followed by the facilitator's body (administrators: all); nobody else."""

    serializer_class = serializers.ParticipantSerializer
    filterset_fields = ["facilitation_body", "commune__insee_code"]

    def get_queryset(self):
        return (
            Participant.objects.for_user(self.request.user)
            .select_related("commune")
            .prefetch_related("criteria")
            .order_by("pk")
        )


@_documented("Mises à l'emploi")
class PlacementViewSet(viewsets.ReadOnlyModelViewSet):
    """Facilitators: the placements of their territory; employers: the people they employ (name only)."""

    serializer_class = serializers.PlacementSerializer
    filterset_fields = ["lot", "employer", "mode"]

    def get_queryset(self):
        return Placement.objects.for_user(self.request.user).select_related("participant", "employer").order_by("pk")

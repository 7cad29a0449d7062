"""What the API returns of each object. Hours and money are decimal strings ("35.50")."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clauses.models import Clause, Contract, Lot, LotAward, Operation
from partners.models import Commune, Organisation
from placements.models import EligibilityCriterion, Participant, Placement

HOURS = {"max_digits": 12, "decimal_places": 2}


class CommuneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commune
        fields = ["insee_code", "name"]


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class OrganisationSerializer(serializers.ModelSerializer):
    commune = CommuneSerializer(allow_null=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "siret", "siren", "commune"]


class OperationSerializer(serializers.ModelSerializer):
    buyer = OrganisationRefSerializer()
    facilitation_body = OrganisationRefSerializer(allow_null=True)
    commune = CommuneSerializer()

    class Meta:
        model = Operation
        fields = ["id", "title", "buyer", "facilitation_body", "commune", "start_date", "end_date"]


class ContractSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contract
        fields = [
            "id",
            "operation",
            "reference",
            "title",
            "procedure",
            "is_purchase_order_framework",
            "notification_date",
            "start_date",
            "end_date",
        ]


class ClauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Clause
        fields = ["legal_basis", "method", "computed_hours", "contractual_hours"]


class ProgressSerializer(serializers.Serializer):
    """``clauses.hours.Progress``, as the lot pages show it."""

    required = serializers.DecimalField(**HOURS, help_text="Heures exigées")
    expected = serializers.DecimalField(**HOURS, help_text="Heures attendues à ce jour (prorata)")
    done = serializers.DecimalField(**HOURS, help_text="Heures validées et comptées")
    status = serializers.ChoiceField(choices=["not_started", "on_track", "behind", "done"])
    status_label = serializers.CharField()
    done_percent = serializers.DecimalField(max_digits=6, decimal_places=0)


class AwardSerializer(serializers.ModelSerializer):
    company = OrganisationRefSerializer()

    class Meta:
        model = LotAward
        fields = ["company", "role"]


class LotSerializer(serializers.ModelSerializer):
    clause = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    awards = AwardSerializer(many=True)

    class Meta:
        model = Lot
        fields = [
            "id",
            "contract",
            "number",
            "title",
            "sector",
            "amount_excl_tax",
            "start_date",
            "end_date",
            "clause",
            "progress",
            "awards",
        ]

    @extend_schema_field(ClauseSerializer(allow_null=True))
    def get_clause(self, lot):
        clause = getattr(lot, "clause", None)
        return ClauseSerializer(clause).data if clause is not None else None

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, lot):
        return ProgressSerializer(lot.progress(self.context["on"])).data


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EligibilityCriterion
        fields = ["criterion", "assessed_on"]


class ParticipantSerializer(serializers.ModelSerializer):
    """A person's record: facilitators of their body and administrators only (``for_user``)."""

    commune = CommuneSerializer()
    criteria = CriterionSerializer(many=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "first_name",
            "last_name",
            "birth_date",
            "sex",
            "commune",
            "education_level",
            "rsa_at_entry",
            "criteria",
            "facilitation_body",
            "anonymised_at",
        ]


class PersonSerializer(serializers.ModelSerializer):
    """The person of a placement as the employer knows them: a name, never eligibility details."""

    class Meta:
        model = Participant
        fields = ["id", "first_name", "last_name"]


class PlacementSerializer(serializers.ModelSerializer):
    participant = PersonSerializer()
    employer = OrganisationRefSerializer()

    class Meta:
        model = Placement
        fields = [
            "id",
            "participant",
            "lot",
            "employer",
            "mode",
            "contract_type",
            "start_date",
            "end_date",
            "weekly_hours",
        ]

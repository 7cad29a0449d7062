from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Candidacy,
    DeclarationLine,
    EligibilityCriterion,
    FollowUp,
    JobOffer,
    MonthlyDeclaration,
    Outcome,
    Participant,
    PersonalDataAccess,
    Placement,
)


class CriterionInline(admin.TabularInline):
    model = EligibilityCriterion
    extra = 0
    autocomplete_fields = ["confirming_prescriber"]


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "birth_date", "commune", "rsa_at_entry", "facilitation_body"]
    list_filter = ["facilitation_body", "rsa_at_entry", "sex"]
    search_fields = ["last_name", "first_name"]
    autocomplete_fields = ["commune", "prescriber", "facilitation_body"]
    inlines = [CriterionInline]


@admin.register(JobOffer)
class JobOfferAdmin(SimpleHistoryAdmin):
    list_display = ["position", "employer", "lot", "start_date", "status"]
    list_filter = ["status", "contract_type"]
    search_fields = ["position", "employer__name"]


@admin.register(Candidacy)
class CandidacyAdmin(SimpleHistoryAdmin):
    list_display = ["participant", "offer", "status", "updated_at"]
    list_filter = ["status"]


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0


@admin.register(Placement)
class PlacementAdmin(SimpleHistoryAdmin):
    list_display = ["participant", "lot", "employer", "mode", "start_date", "end_date"]
    list_filter = ["mode", "contract_type"]
    inlines = [FollowUpInline, OutcomeInline]


# The audit trail: each ModelAdmin shows the object's history (who, when, what) -----------------


@admin.register(EligibilityCriterion)
class EligibilityCriterionAdmin(SimpleHistoryAdmin):
    list_display = ["participant", "criterion", "assessed_on", "validated_by"]
    list_filter = ["criterion"]
    search_fields = ["participant__last_name", "participant__first_name"]
    autocomplete_fields = ["participant", "confirming_prescriber"]


@admin.register(Outcome)
class OutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["placement", "moment", "due_date", "recorded_on", "situation"]
    list_filter = ["moment", "situation"]


@admin.register(MonthlyDeclaration)
class MonthlyDeclarationAdmin(SimpleHistoryAdmin):
    list_display = ["employer", "month", "status", "revision", "submitted_at"]
    list_filter = ["status", "month"]
    search_fields = ["employer__name"]


@admin.register(DeclarationLine)
class DeclarationLineAdmin(SimpleHistoryAdmin):
    """Hours and their validation: who declared, who validated or refused, when."""

    list_display = ["declaration", "placement", "version", "is_current", "hours", "status", "reviewed_by"]
    list_filter = ["status", "is_current", "counted"]
    search_fields = ["declaration__employer__name", "placement__participant__last_name"]
    list_select_related = ["declaration__employer", "placement__participant", "placement__lot", "reviewed_by"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Who saw, exported or erased whose data: read only, for administrators."""

    list_display = ["at", "user", "participant", "kind", "path", "reason"]
    list_filter = ["kind", ("user", admin.RelatedOnlyFieldListFilter), "at"]
    date_hierarchy = "at"
    search_fields = ["=participant__pk", "participant__last_name", "participant__first_name"]
    list_select_related = ["user", "participant"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

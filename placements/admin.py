from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Candidacy, EligibilityCriterion, FollowUp, JobOffer, Outcome, Participant, Placement


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

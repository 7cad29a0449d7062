from django.urls import path

from . import candidacy_views, offer_views, participant_views, personal_data_views, placement_views

app_name = "placements"

# The company portal's pages (portal/urls.py) share this namespace: config/urls.py joins both lists.

urlpatterns = [
    # Participants and eligibility (participant_views)
    path("participants/", participant_views.participant_list, name="participant_list"),
    path("participants/nouveau/", participant_views.participant_create, name="participant_create"),
    path("participants/<int:pk>/", participant_views.participant_detail, name="participant_detail"),
    path("participants/<int:pk>/modifier/", participant_views.participant_update, name="participant_update"),
    path("vivier/", participant_views.candidate_pool, name="candidate_pool"),
    # Personal data: right of access, erasure, information (personal_data_views)
    path(
        "participants/<int:pk>/dossier/",
        personal_data_views.participant_record_download,
        name="participant_record",
    ),
    path("participants/<int:pk>/anonymiser/", personal_data_views.participant_erase, name="participant_erase"),
    path("donnees-personnelles/", personal_data_views.privacy_notice, name="privacy_notice"),
    # Job offers and recruitment outlook (offer_views); pre-selection, the employer's answers (candidacy_views)
    path("offres/", offer_views.offer_list, name="offer_list"),
    path("lots/<int:lot_pk>/offres/nouvelle/", offer_views.offer_create, name="offer_create"),
    path("offres/<int:pk>/", offer_views.offer_detail, name="offer_detail"),
    path("offres/<int:pk>/modifier/", offer_views.offer_update, name="offer_update"),
    path("offres/<int:pk>/proposer/", candidacy_views.candidacy_propose, name="candidacy_propose"),
    path("candidatures/<int:pk>/", candidacy_views.candidacy_update, name="candidacy_update"),
    path("perspectives/", offer_views.recruitment_outlook, name="recruitment_outlook"),
    path("portail/candidatures/", candidacy_views.employer_candidacies, name="employer_candidacies"),
    path("portail/candidatures/<int:pk>/", candidacy_views.employer_candidacy_answer, name="employer_candidacy_answer"),
    # Placements, follow-ups and outcomes (placement_views)
    path("mises-a-l-emploi/nouvelle/", placement_views.placement_create, name="placement_create"),
    path("mises-a-l-emploi/<int:pk>/", placement_views.placement_detail, name="placement_detail"),
    path("mises-a-l-emploi/<int:pk>/modifier/", placement_views.placement_update, name="placement_update"),
    path("suivis/", placement_views.follow_up_list, name="follow_up_list"),
    path("suivis/<int:pk>/", placement_views.follow_up_record, name="follow_up_record"),
    path("sorties/<int:pk>/", placement_views.outcome_record, name="outcome_record"),
]

"""Addresses of procurement (namespace "procurement"): the review and the reconciliation
(review_urls), the imports (intake_urls)."""

from .intake_urls import urlpatterns as intake_urlpatterns
from .review_urls import urlpatterns as review_urlpatterns

app_name = "procurement"

urlpatterns = [*review_urlpatterns, *intake_urlpatterns]

"""Addresses of procurement (namespace "procurement"): the review and the reconciliation (review_urls).
The import pages add their own patterns to this list."""

from .review_urls import urlpatterns as review_urlpatterns

app_name = "procurement"

urlpatterns = [*review_urlpatterns]

"""Addresses of the compliance pack (namespace "compliance")."""

app_name = "compliance"

urlpatterns = []

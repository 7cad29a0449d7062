from django.contrib import admin


class ClausierAdminSite(admin.AdminSite):
    """Django admin, open to administrators only (role of a membership, or superuser)."""

    site_header = "Administration de Clausier"
    site_title = "Clausier"
    index_title = "Administration"

    def has_permission(self, request):
        from partners.permissions import is_administrator

        return request.user.is_active and is_administrator(request.user)

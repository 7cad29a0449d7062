from django.contrib.admin.apps import AdminConfig


class ClausierAdminConfig(AdminConfig):
    default_site = "config.admin.ClausierAdminSite"

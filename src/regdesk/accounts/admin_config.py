"""``django.contrib.admin`` with the desk's login: installed in its place as
``"regdesk.accounts.admin_config.AdminSiteConfig"`` (a module of its own, since app configs load before models)."""

from django.contrib.admin.apps import AdminConfig


class AdminSiteConfig(AdminConfig):
    """Django's admin app, with :class:`regdesk.accounts.admin_site.DeskLoginAdminSite` as ``admin.site``."""

    default_site = "regdesk.accounts.admin_site.DeskLoginAdminSite"

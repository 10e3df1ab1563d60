from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with `admin.site` being the portal's site (see ppid_portal.admin_site)."""

    default_site = "ppid_portal.admin_site.PortalAdminSite"

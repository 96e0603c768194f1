"""The newsroom roles the package expects, as Django groups.

Wagtail's own migrations create *Editors* and *Moderators*; the package adds the
*Verification desk*, the only group whose members may mark evidence verified.
Running ``setup_roles()`` again changes nothing.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from wagtail_evidence.models import Evidence


EDITORS = "Editors"
MODERATORS = "Moderators"
VERIFICATION_DESK = "Verification desk"

VERIFY_PERMISSION = "wagtail_evidence.verify_evidence"

EVIDENCE_PERMISSIONS = {
    EDITORS: ["add_evidence", "change_evidence"],
    MODERATORS: ["add_evidence", "change_evidence"],
    VERIFICATION_DESK: [
        "add_evidence",
        "change_evidence",
        "publish_evidence",
        "delete_evidence",
        "lock_evidence",
        "unlock_evidence",
        "verify_evidence",
    ],
}

ROLE_DESCRIPTIONS = {
    EDITORS: _("Write articles and evidence records; cannot mark evidence verified."),
    MODERATORS: _("Review and publish articles."),
    VERIFICATION_DESK: _("Verify and publish evidence records."),
}


def setup_roles():
    """Create the groups and grant their evidence permissions; return the groups."""
    content_type = ContentType.objects.get_for_model(Evidence)
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups = {}
    for name, codenames in EVIDENCE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type=content_type, codename__in=codenames
        )
        group.permissions.add(admin_access, *permissions)
        groups[name] = group
    return groups

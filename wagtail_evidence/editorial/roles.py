"""The newsroom roles the package expects, as Django groups.

Wagtail's own migrations create *Editors* and *Moderators*; the package adds the
*Verification desk*, the only group whose members may mark evidence verified.
Running ``setup_roles()`` again changes nothing.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Collection, GroupCollectionPermission


EDITORS = "Editors"
MODERATORS = "Moderators"
VERIFICATION_DESK = "Verification desk"

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

# Posters, video files and original captures are Wagtail images and documents,
# which Wagtail grants per collection; the desk gets what Wagtail gives Editors.
MEDIA_PERMISSIONS = [
    ("wagtailimages", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", ["add_document", "change_document", "choose_document"]),
]


def setup_roles():
    """Create the groups and grant their evidence permissions; return the groups."""
    content_type = ContentType.objects.get_by_natural_key(
        "wagtail_evidence", "evidence"
    )
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
    _grant_media(groups[VERIFICATION_DESK])
    return groups


def _grant_media(group):
    root = Collection.get_first_root_node()
    for app_label, codenames in MEDIA_PERMISSIONS:
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        ):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )

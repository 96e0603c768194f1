from wagtail.admin.menu import MenuItem

from wagtail_evidence.editorial.permissions import evidence_permission_policy


class RegisterMenuItem(MenuItem):
    """The evidence register, under Reports, for those who work on evidence."""

    def is_shown(self, request):
        return evidence_permission_policy.user_has_permission(request.user, "change")

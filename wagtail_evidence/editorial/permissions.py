"""The one permission policy for Evidence: Wagtail's model policy, with the
verification desk's own action, "verify". The snippet views, the chooser, the
register, import and export, the menu, the dashboard, the form and the code
paths (change_verification, the importer) all ask it.
"""

from wagtail.permission_policies import ModelPermissionPolicy


# Any one of these lets a user work on evidence, and so see drafts of it.
EVIDENCE_ACTIONS = ("add", "change", "delete", "publish", "view", "verify")


class EvidencePermissionPolicy(ModelPermissionPolicy):
    def user_may_work_on_evidence(self, user):
        return user is not None and self.user_has_any_permission(user, EVIDENCE_ACTIONS)

    def user_may_verify(self, user):
        return user is not None and self.user_has_permission(user, "verify")


evidence_permission_policy = EvidencePermissionPolicy("wagtail_evidence.Evidence")

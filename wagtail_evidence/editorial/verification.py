"""Who may change what the badge is derived from, and the trail every change leaves.

Only holders of ``wagtail_evidence.verify_evidence`` (the Verification desk) may
change a facet status, the verdict or whether the coordinates are withheld. The admin form leaves those fields out for
everyone else (they see them read-only), and ``change_verification()`` refuses
code that tries. Every change of a status, the verdict, the content warning or the withholding is
logged as its own action with who, when, before, after and the reason given.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from wagtail_evidence.choices import CreditRole
from wagtail_evidence.editorial.permissions import evidence_permission_policy
from wagtail_evidence.facets import FACETS


VERIFY_PERMISSION = "wagtail_evidence.verify_evidence"

# field name: (log action, label)
AUDITED_FIELDS = {
    **{
        spec.status_field: ("wagtail_evidence.facet_status", spec.label)
        for spec in FACETS
    },
    "verdict": ("wagtail_evidence.verdict", _("Verdict")),
    "warning_level": ("wagtail_evidence.warning_level", _("Content warning")),
    "warning_categories": (
        "wagtail_evidence.warning_categories",
        _("What the warning is for"),
    ),
    "withhold_coordinates": (
        "wagtail_evidence.withhold_coordinates",
        _("Coordinates withheld"),
    ),
}
VERIFICATION_FIELDS = (*(spec.status_field for spec in FACETS), "verdict")
# What only the desk may change: what the badge is derived from, and whether
# readers may see where people on the ground were.
DESK_FIELDS = (*VERIFICATION_FIELDS, "withhold_coordinates")


def touches_verification_credit(form):
    """Whether a credit row of the Evidence form adds, changes or removes a
    credit whose role is (or was) verification."""
    cleaned = getattr(form, "cleaned_data", {})
    if not form.has_changed() and not cleaned.get("DELETE"):
        return False
    roles = {form.initial.get("role"), cleaned.get("role")}
    return CreditRole.VERIFICATION in roles


def verification_credits(credits):
    """The verification credits among ``credits`` (rows or cleaned form data), comparable."""

    def value(credit, name):
        return credit.get(name) if isinstance(credit, dict) else getattr(credit, name)

    return sorted(
        (value(credit, "name"), value(credit, "organisation"), value(credit, "url"))
        for credit in credits
        if value(credit, "role") == CreditRole.VERIFICATION
    )


def can_verify(user):
    return evidence_permission_policy.user_may_verify(user)


def audited_values(evidence):
    return {name: getattr(evidence, name) for name in AUDITED_FIELDS}


def changes_between(before, after):
    """{field: (before, after)} for the audited fields that differ."""
    return {
        name: (before.get(name), after.get(name))
        for name in AUDITED_FIELDS
        if before.get(name) != after.get(name)
    }


def log_changes(evidence, changes, user=None, reason=""):
    """One log entry per changed field, readable in the record's history."""
    for name, (old, new) in changes.items():
        action, _label = AUDITED_FIELDS[name]
        log(
            evidence,
            action,
            user=user,
            data={"field": name, "before": old, "after": new, "reason": reason},
        )


def log_form_changes(request, instance):
    """After an admin save of a record: log what its form noted (see
    admin.forms.EvidenceAdminForm), once, with the reason given."""
    changes = getattr(instance, "_audit_changes", None)
    if changes:
        log_changes(
            instance,
            changes,
            user=request.user,
            reason=getattr(instance, "_audit_reason", ""),
        )
        instance._audit_changes = {}


def change_verification(evidence, user, reason="", **values):
    """Change statuses, the verdict or the warning from code, as the admin would:
    refused without the permission for verification fields, validated, saved as
    a new revision (published when the record is live and the user may publish
    evidence, a draft otherwise), and logged."""
    unknown = set(values) - set(AUDITED_FIELDS)
    if unknown:
        raise ValueError(
            f"Not a verification or warning field: {', '.join(sorted(unknown))}"
        )
    if set(values) & set(DESK_FIELDS) and not can_verify(user):
        raise PermissionDenied(
            _(
                "Only the verification desk can change facet statuses, the verdict "
                "or whether the coordinates are withheld."
            )
        )
    before = audited_values(evidence)
    for name, value in values.items():
        setattr(evidence, name, value)
    evidence.full_clean()
    revision = evidence.save_revision(user=user)
    if evidence.live and evidence_permission_policy.user_has_permission(
        user, "publish"
    ):
        revision.publish(user=user)
    log_changes(
        evidence,
        changes_between(before, audited_values(evidence)),
        user=user,
        reason=reason,
    )
    return evidence

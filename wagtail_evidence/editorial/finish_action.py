"""Hold the evidence check to the end of a workflow.

Approval of the evidence-check task is refused while the check fails, but the
content can still change after it: a later reviewer may edit the article, or
the desk may change a record it cites. Set this as the project's finish action
and the check runs again on what is about to go live, whenever the workflow
contains an evidence check::

    WAGTAIL_FINISH_WORKFLOW_ACTION = "wagtail_evidence.editorial.finish_action.publish_workflow_state"

A refusal rolls the last approval back: the task stays in progress.
"""

from django.apps import apps
from wagtail.workflows import publish_workflow_state as wagtail_publish_workflow_state


def has_evidence_check(workflow):
    # Looked up, not imported: the editorial rules sit under the models that use them.
    task_model = apps.get_model("wagtail_evidence", "EvidenceCheckTask")
    return task_model.objects.filter(workflow_tasks__workflow=workflow).exists()


def publish_workflow_state(workflow_state, user=None):
    if has_evidence_check(workflow_state.workflow):
        # Imported when called: Wagtail imports this module (the setting) while
        # wagtail.models is still loading, before blocks and models can be.
        from wagtail_evidence.editorial.evidence_check import (
            require_check_passes,
            workflow_object,
        )

        require_check_passes(workflow_object(workflow_state))
    return wagtail_publish_workflow_state(workflow_state, user=user)

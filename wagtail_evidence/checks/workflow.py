"""W002: article pages that can be published without the evidence check."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections, router, transaction
from django.db.models import Q
from wagtail.models import (
    Task,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
    get_page_models,
)

from wagtail_evidence.checks.common import TAG
from wagtail_evidence.models import EvidenceArticleMixin, EvidenceCheckTask


EXAMPLES_NAMED = 3


# This check reads the database, so it is registered like Django's own database
# checks: it runs only when the command names the databases to check
# (`check --database default`, `migrate`, and Django's test runner on its test
# databases), never on every `runserver` or `collectstatic`, which may run where
# no database is reachable. `migrate` passes its database before migrating, so on
# an empty or half-migrated database the check finds its tables missing, or its
# query failing, and says nothing: migrating is how that is fixed.
@register(Tags.database, TAG)
def check_evidence_workflow(app_configs, databases=None, **kwargs):
    if not databases:
        return []
    alias = router.db_for_read(WorkflowPage)
    if alias not in databases or not _workflow_tables_exist(alias):
        return []
    try:
        with transaction.atomic(
            using=alias
        ):  # a failed query spoils no outer transaction
            return evidence_workflow_warnings(alias)
    except DatabaseError:
        return []


def article_page_models():
    """The concrete page types that carry evidence: those using the article mixin."""
    return [
        model for model in get_page_models() if issubclass(model, EvidenceArticleMixin)
    ]


def _workflow_tables_exist(alias):
    Page = WorkflowPage._meta.get_field("page").related_model
    models = [
        Page,
        ContentType,
        Workflow,
        WorkflowPage,
        WorkflowTask,
        Task,
        EvidenceCheckTask,
        WorkflowContentType,
    ]
    existing = set(connections[alias].introspection.table_names())
    return all(model._meta.db_table in existing for model in models)


def evidence_workflow_warnings(alias="default"):
    """One warning per article page type with pages that are not under an active
    workflow holding an active evidence check, as ``Page.get_workflow`` finds it:
    the workflow of the page itself or of its nearest ancestor with an active
    one. Wagtail (7.4 and 8.0) gives pages their workflow only through
    WorkflowPage; WorkflowContentType applies to snippets, never to pages."""
    article_models = article_page_models()
    if not article_models:
        return []
    Page = WorkflowPage._meta.get_field("page").related_model
    by_type = Q(pk__in=[])
    for model in article_models:
        by_type |= Q(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
        )
    # Aliases are never edited or published themselves: they follow their source.
    pages = Page.objects.using(alias).filter(by_type, alias_of__isnull=True)
    if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        with_pages = set(
            pages.values_list(
                "content_type__app_label", "content_type__model"
            ).distinct()
        )
        labels = [
            m._meta.label
            for m in article_models
            if (m._meta.app_label, m._meta.model_name) in with_pages
        ]
        if not labels:
            return []
        return [
            Warning(
                "WAGTAIL_WORKFLOW_ENABLED is False, so no article goes through the "
                f"evidence check before it is published ({', '.join(labels)}).",
                hint="Remove WAGTAIL_WORKFLOW_ENABLED = False from your settings, "
                "then assign a workflow with an evidence check to the pages your "
                "articles are created under.",
                id="wagtail_evidence.W002",
            )
        ]

    # Few rows: the pages that have a workflow of their own.
    assigned = dict(
        WorkflowPage.objects.using(alias)
        .filter(workflow__active=True)
        .values_list("page__path", "workflow_id")
    )
    checking = set(
        EvidenceCheckTask.objects.using(alias)
        .filter(active=True, workflow_tasks__workflow__active=True)
        .values_list("workflow_tasks__workflow_id", flat=True)
    )
    steplen = Page.steplen
    uncovered, totals = {}, {}
    rows = pages.order_by("path").values_list(
        "content_type__app_label", "content_type__model", "path", "pk"
    )
    for app_label, model_name, path, pk in rows.iterator():
        key = (app_label, model_name)
        totals[key] = totals.get(key, 0) + 1
        workflow_id = next(
            (
                assigned[path[:end]]
                for end in range(len(path), 0, -steplen)
                if path[:end] in assigned
            ),
            None,
        )
        if workflow_id not in checking:
            uncovered.setdefault(key, []).append(pk)
    if not uncovered:
        return []

    content_typed = set(
        WorkflowContentType.objects.using(alias).values_list(
            "content_type__app_label", "content_type__model"
        )
    )
    warnings = []
    for model in article_models:
        key = (model._meta.app_label, model._meta.model_name)
        if key not in uncovered:
            continue
        page_ids = uncovered[key]
        named = (
            Page.objects.using(alias)
            .filter(pk__in=page_ids[:EXAMPLES_NAMED])
            .order_by("path")
        )
        examples = ", ".join(
            f"“{title}” (id {pk})" for title, pk in named.values_list("title", "pk")
        )
        more = ", …" if len(page_ids) > EXAMPLES_NAMED else ""
        hint = (
            "Under Settings → Workflows, add an evidence check task to the workflow "
            "these pages are under, or assign a workflow that has one to a page above "
            "them (the section or home page where these articles are created)."
        )
        if key in content_typed:
            hint += (
                " The workflow assigned to this page type (a WorkflowContentType) has "
                "no effect: Wagtail gives pages the workflow of the page or its "
                "nearest ancestor."
            )
        warnings.append(
            Warning(
                f"{len(page_ids)} of the {totals[key]} pages of this article type can "
                "be published without the evidence check: no active workflow with an "
                f"active evidence check task covers them ({examples}{more}).",
                hint=hint,
                obj=model,
                id="wagtail_evidence.W002",
            )
        )
    return warnings

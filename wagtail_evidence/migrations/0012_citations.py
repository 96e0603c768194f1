"""Since when each article cites each record (models.citation). Articles live
before this release are taken to have cited what they cite now since their
first publication: what the corrections assumed until now."""

import django.db.models.deletion
from django.db import migrations, models


def cited_since_first_publication(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    Page = apps.get_model("wagtailcore", "Page")
    Citation = apps.get_model("wagtail_evidence", "Citation")
    evidence_type = ContentType.objects.filter(
        app_label="wagtail_evidence", model="evidence"
    ).first()
    page_type = ContentType.objects.filter(
        app_label="wagtailcore", model="page"
    ).first()
    if evidence_type is None or page_type is None:
        return  # a new database: nothing cites anything yet
    pairs = set(
        ReferenceIndex.objects.filter(
            to_content_type=evidence_type, base_content_type=page_type
        ).values_list("object_id", "to_object_id")
    )
    published = dict(
        Page.objects.filter(
            pk__in={int(page_id) for page_id, _ in pairs},
            first_published_at__isnull=False,
        ).values_list("pk", "first_published_at")
    )
    Citation.objects.bulk_create(
        [
            Citation(
                page_id=int(page_id),
                evidence_id=int(evidence_id),
                since=published[int(page_id)],
            )
            for page_id, evidence_id in sorted(pairs)
            if int(page_id) in published
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtail_evidence", "0011_register_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="Citation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("since", models.DateTimeField(verbose_name="cited since")),
                (
                    "evidence",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="citations",
                        to="wagtail_evidence.evidence",
                        verbose_name="evidence",
                    ),
                ),
                (
                    "page",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailcore.page",
                        verbose_name="article",
                    ),
                ),
            ],
            options={
                "verbose_name": "citation",
                "verbose_name_plural": "citations",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("page", "evidence"),
                        name="wagtail_evidence_one_citation",
                    )
                ],
            },
        ),
        migrations.RunPython(cited_since_first_publication, migrations.RunPython.noop),
    ]

"""Archived copies, the status of each source, and the state of the last
archive or check of a record's sources (wagtail_evidence.models.archives)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_evidence", "0012_citations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ArchivedCopy",
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
                (
                    "captured_url",
                    models.CharField(max_length=2000, verbose_name="address captured"),
                ),
                (
                    "archive_url",
                    models.CharField(max_length=2000, verbose_name="archived copy"),
                ),
                (
                    "service",
                    models.CharField(max_length=100, verbose_name="archiving service"),
                ),
                ("captured_at", models.DateTimeField(verbose_name="captured at")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "evidence",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="archived_copies",
                        to="wagtail_evidence.evidence",
                        verbose_name="evidence",
                    ),
                ),
            ],
            options={
                "verbose_name": "archived copy",
                "verbose_name_plural": "archived copies",
                "ordering": ["-captured_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("evidence", "archive_url"),
                        name="wagtail_evidence_one_archived_copy",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="SourceCheck",
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
                ("url", models.CharField(max_length=2000, verbose_name="address")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("unknown", "Not known"),
                            ("available", "Available"),
                            ("deleted", "Deleted by the source"),
                            ("geo_blocked", "Geo-blocked"),
                            ("age_restricted", "Age-restricted"),
                            ("embedding_disabled", "Embedding disabled"),
                        ],
                        default="unknown",
                        max_length=32,
                        verbose_name="source status",
                    ),
                ),
                (
                    "set_by",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("desk", "The verification desk"),
                            ("check", "A check of the address"),
                        ],
                        max_length=16,
                        verbose_name="set by",
                    ),
                ),
                (
                    "checked_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("unknown", "Not known"),
                            ("available", "Available"),
                            ("deleted", "Deleted by the source"),
                            ("geo_blocked", "Geo-blocked"),
                            ("age_restricted", "Age-restricted"),
                            ("embedding_disabled", "Embedding disabled"),
                        ],
                        max_length=32,
                        verbose_name="status found by the last check",
                    ),
                ),
                (
                    "checked_detail",
                    models.CharField(
                        blank=True, max_length=255, verbose_name="what the check saw"
                    ),
                ),
                (
                    "checked_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="checked at"
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "evidence",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="source_checks",
                        to="wagtail_evidence.evidence",
                        verbose_name="evidence",
                    ),
                ),
                (
                    "set_by_user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "source status",
                "verbose_name_plural": "source statuses",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("evidence", "url"),
                        name="wagtail_evidence_one_source_check",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="SourceTask",
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
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("archive", "Archive now"),
                            ("check", "Check sources"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("running", "Running"),
                            ("done", "Done"),
                            ("failed", "Failed"),
                        ],
                        max_length=16,
                        verbose_name="state",
                    ),
                ),
                ("problems", models.JSONField(blank=True, default=list)),
                ("retry_at", models.DateTimeField(blank=True, null=True)),
                ("done", models.PositiveIntegerField(default=0)),
                ("total", models.PositiveIntegerField(default=0)),
                ("requested_at", models.DateTimeField()),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                (
                    "evidence",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="source_tasks",
                        to="wagtail_evidence.evidence",
                        verbose_name="evidence",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "archive or check of sources",
                "verbose_name_plural": "archives and checks of sources",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("evidence", "kind"),
                        name="wagtail_evidence_one_source_task",
                    )
                ],
            },
        ),
    ]

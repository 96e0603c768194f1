"""What the Content Credentials (C2PA) of a record's files say
(models.credentials): a table of its own, out of the record's revisions."""

import django.db.models.deletion
from django.db import migrations, models
from wagtail.documents import get_document_model_string
from wagtail.images import get_image_model_string


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_evidence", "0014_fingerprints"),
        migrations.swappable_dependency(get_document_model_string()),
        migrations.swappable_dependency(get_image_model_string()),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentCredentials",
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
                    "file",
                    models.CharField(
                        choices=[
                            ("original_file", "original file"),
                            ("video_file", "self-hosted video"),
                            ("poster", "poster image"),
                        ],
                        max_length=16,
                        verbose_name="file",
                    ),
                ),
                ("file_version", models.CharField(max_length=255)),
                ("trust_list", models.CharField(blank=True, max_length=64)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("absent", "no manifest"),
                            ("valid", "validates"),
                            ("invalid", "does not validate"),
                            ("remote", "manifest stored elsewhere, not fetched"),
                            ("unreadable", "could not be read"),
                        ],
                        max_length=16,
                        verbose_name="state",
                    ),
                ),
                (
                    "failures",
                    models.JSONField(
                        blank=True, default=list, verbose_name="validation failures"
                    ),
                ),
                (
                    "signer_issuer",
                    models.CharField(
                        blank=True, max_length=255, verbose_name="certificate issuer"
                    ),
                ),
                (
                    "signer_name",
                    models.CharField(blank=True, max_length=255, verbose_name="signer"),
                ),
                (
                    "signed_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="signed at"
                    ),
                ),
                (
                    "claim_generator",
                    models.CharField(
                        blank=True, max_length=255, verbose_name="made with"
                    ),
                ),
                (
                    "actions",
                    models.JSONField(blank=True, default=list, verbose_name="actions"),
                ),
                ("ai_source_type", models.CharField(blank=True, max_length=64)),
                (
                    "trusted",
                    models.BooleanField(
                        null=True, verbose_name="signer on the trust list"
                    ),
                ),
                ("read_at", models.DateTimeField(verbose_name="read at")),
                (
                    "document",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=get_document_model_string(),
                    ),
                ),
                (
                    "evidence",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="content_credentials",
                        to="wagtail_evidence.evidence",
                        verbose_name="evidence",
                    ),
                ),
                (
                    "image",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=get_image_model_string(),
                    ),
                ),
            ],
            options={
                "verbose_name": "content credentials",
                "verbose_name_plural": "content credentials",
                "indexes": [
                    models.Index(
                        fields=["evidence", "file"], name="evidence_credentials_idx"
                    )
                ],
            },
        ),
    ]

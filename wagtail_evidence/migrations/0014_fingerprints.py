"""Perceptual hashes of a record's media and the near-duplicates they reveal
(wagtail_evidence.models.fingerprints)."""

import django.db.models.deletion
from django.db import migrations, models


def chunk():
    return models.IntegerField(db_index=True, editable=False)


class Migration(migrations.Migration):
    dependencies = [("wagtail_evidence", "0013_archives")]

    operations = [
        migrations.CreateModel(
            name="MediaFingerprint",
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
                    "source",
                    models.CharField(
                        choices=[
                            ("poster", "poster"),
                            ("original_file", "original file"),
                            ("video_file", "self-hosted video file"),
                        ],
                        max_length=16,
                        verbose_name="hashed from",
                    ),
                ),
                ("source_key", models.CharField(max_length=255)),
                (
                    "frame",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="key frame"
                    ),
                ),
                ("pdq", models.CharField(max_length=64, verbose_name="PDQ hash")),
                ("quality", models.PositiveSmallIntegerField(verbose_name="quality")),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="hashed at"),
                ),
                ("chunk_00", chunk()),
                ("chunk_01", chunk()),
                ("chunk_02", chunk()),
                ("chunk_03", chunk()),
                ("chunk_04", chunk()),
                ("chunk_05", chunk()),
                ("chunk_06", chunk()),
                ("chunk_07", chunk()),
                ("chunk_08", chunk()),
                ("chunk_09", chunk()),
                ("chunk_10", chunk()),
                ("chunk_11", chunk()),
                ("chunk_12", chunk()),
                ("chunk_13", chunk()),
                ("chunk_14", chunk()),
                ("chunk_15", chunk()),
                (
                    "evidence",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="fingerprints",
                        to="wagtail_evidence.evidence",
                        verbose_name="evidence",
                    ),
                ),
            ],
            options={
                "verbose_name": "media fingerprint",
                "verbose_name_plural": "media fingerprints",
            },
        ),
        migrations.CreateModel(
            name="NearDuplicate",
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
                ("distance", models.PositiveSmallIntegerField(verbose_name="distance")),
                (
                    "found_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="found at"),
                ),
                (
                    "evidence",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="near_duplicates",
                        to="wagtail_evidence.evidence",
                        verbose_name="evidence",
                    ),
                ),
                (
                    "other",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtail_evidence.evidence",
                        verbose_name="looks like",
                    ),
                ),
            ],
            options={
                "verbose_name": "near-duplicate",
                "verbose_name_plural": "near-duplicates",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("evidence", "other"),
                        name="wagtail_evidence_one_near_duplicate",
                    )
                ],
            },
        ),
    ]

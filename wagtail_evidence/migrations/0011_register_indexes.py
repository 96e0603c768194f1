"""Indexes for the register (docs/how-to/use-the-register.md): its default
order, title then id; its badge filter in that order; its search, from the
search backend's entries (which name a record by its id as text) to the records. The badge index is
over an expression (wagtail_evidence.badge.badge_expression, frozen here as it
stood): the database recomputes it on every write, so it never goes stale."""

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_evidence", "0010_facet_history_and_captions_language"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="evidence",
            index=models.Index(fields=["title", "id"], name="evidence_title_idx"),
        ),
        migrations.AddIndex(
            model_name="evidence",
            index=models.Index(
                models.Case(
                    models.When(
                        models.Q(
                            ("verdict", "misleading"),
                            ("location_status", "contradicted"),
                            ("date_status", "contradicted"),
                            ("identity_status", "contradicted"),
                            ("authenticity_status", "contradicted"),
                            _connector="OR",
                        ),
                        then=models.Value("false_or_misleading"),
                    ),
                    models.When(
                        models.Q(
                            ("location_status", "disputed"),
                            ("date_status", "disputed"),
                            ("identity_status", "disputed"),
                            ("authenticity_status", "disputed"),
                            _connector="OR",
                        ),
                        then=models.Value("disputed"),
                    ),
                    models.When(
                        models.Q(
                            ("verdict", "verified"),
                            models.Q(
                                ("location_status", "confirmed"),
                                ("date_status", "confirmed"),
                                ("identity_status", "confirmed"),
                                ("authenticity_status", "confirmed"),
                                _connector="OR",
                            ),
                            models.Q(
                                ("location_status", "not_established"),
                                ("date_status", "not_established"),
                                ("identity_status", "not_established"),
                                ("authenticity_status", "not_established"),
                                _connector="OR",
                                _negated=True,
                            ),
                        ),
                        then=models.Value("verified"),
                    ),
                    models.When(
                        models.Q(
                            ("verdict", "verified"),
                            models.Q(
                                ("location_status", "confirmed"),
                                ("date_status", "confirmed"),
                                ("identity_status", "confirmed"),
                                ("authenticity_status", "confirmed"),
                                _connector="OR",
                            ),
                        ),
                        then=models.Value("partially_verified"),
                    ),
                    default=models.Value("unverified"),
                    output_field=models.CharField(max_length=32),
                ),
                models.F("title"),
                models.F("id"),
                name="evidence_badge_title_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="evidence",
            index=models.Index(
                django.db.models.functions.comparison.Cast(
                    "id", output_field=models.CharField(max_length=50)
                ),
                name="evidence_id_text_idx",
            ),
        ),
    ]

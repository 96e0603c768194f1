"""The badge index (migration 0011) also holds what the badge is computed
from, the verdict and the four facet statuses (INCLUDE, on PostgreSQL), so that
the register's count of a badge's records reads the index alone instead of
every matching row (docs/how-to/use-the-register.md). The expression is 0011's,
frozen again as it stands. On other databases it is the plain index of 0011
(models/indexes.py: Django's own include= would warn, models.W040, at every
migrate of a SQLite site)."""

from django.db import migrations, models

import wagtail_evidence.models.indexes


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_evidence", "0015_content_credentials"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="evidence", name="evidence_badge_title_idx"),
        migrations.AddIndex(
            model_name="evidence",
            index=wagtail_evidence.models.indexes.CoveringIndex(
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
                covering=(
                    "verdict",
                    "location_status",
                    "date_status",
                    "identity_status",
                    "authenticity_status",
                ),
            ),
        ),
    ]

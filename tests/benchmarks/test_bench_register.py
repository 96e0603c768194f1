"""Register listing queries for 100 and for 10,000 records: they must be equal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail_evidence.models import Evidence


pytestmark = [pytest.mark.bench, pytest.mark.django_db]


def grow_to(total):
    missing = total - Evidence.objects.count()
    Evidence.objects.bulk_create(
        Evidence(
            title=f"Record {number:05d}",
            media_url="https://youtu.be/Zx8cV2bN4mQ",
            provider="youtube",
            media_id="Zx8cV2bN4mQ",
        )
        for number in range(missing)
    )


def test_register_queries_for_100_and_10000_records(admin_client):
    url = reverse("wagtail_evidence:register")
    counts = {}
    for total in (100, 10_000):
        grow_to(total)
        admin_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        counts[total] = len(queries)
    print(
        f"\nregister listing queries: 100 records: {counts[100]}, 10,000 records: {counts[10_000]}"
    )
    assert counts[100] == counts[10_000]

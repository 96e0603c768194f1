"""The render cache on Django's RedisCache: what one process stores, every
process reads, and a publish changes the badge at once, because the key holds
the record's render token.

Needs Redis (tests/redis_server.py): skipped loudly without it, failed under CI.
"""

import re

import pytest
from django.urls import reverse

from tests.admin_forms import form_data
from tests.factories import evidence_block, make_article, make_evidence


pytestmark = pytest.mark.django_db

BADGE = re.compile(r'class="evidence-badge evidence-badge--([\w-]+)"')


def badges(client, article):
    response = client.get(article.url)
    assert response.status_code == 200
    return BADGE.findall(response.content.decode())


def cached_blocks(redis_cache):
    return redis_cache._cache.get_client().keys("*wagtail_evidence:block:*")


def test_a_published_verdict_change_shows_at_once_from_redis(
    client, login, redis_cache
):
    evidence = make_evidence(title="Convoy in Horadiz", verdict="pending")
    article = make_article([evidence_block(evidence)])
    assert badges(client, article) == ["unverified"]
    (stored,) = cached_blocks(redis_cache)  # the block is in Redis
    assert badges(client, article) == ["unverified"]  # served from it
    assert cached_blocks(redis_cache) == [stored]

    desk = login("verifier")
    url = reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[evidence.pk])
    data = {
        **form_data(desk.get(url)),
        "verdict": "verified",
        "action-publish": "action-publish",
    }
    assert desk.post(url, data).status_code == 302
    desk.logout()

    assert badges(client, article) == ["partially_verified"]
    assert len(cached_blocks(redis_cache)) == 2  # a new key; the old one unread

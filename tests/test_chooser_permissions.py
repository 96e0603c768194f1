"""The Evidence chooser lists records, drafts included: only users who work on
evidence may open it."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from tests.factories import make_evidence


pytestmark = pytest.mark.django_db

CHOOSER = "wagtailsnippetchoosers_wagtail_evidence_evidence"


@pytest.fixture
def records(db):
    return make_evidence(title="Live record"), make_evidence(
        title="Draft record nobody may see", publish=False
    )


def client_with(django_user_model, *codenames):
    user = django_user_model.objects.create_user("someone", password="x")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", *codenames])
    )
    client = Client()
    client.force_login(user)
    return client


def chooser_urls(records):
    live, draft = records
    return [
        reverse(f"{CHOOSER}:choose"),
        reverse(f"{CHOOSER}:choose_results") + "?q=record",
        reverse(f"{CHOOSER}:chosen", args=[draft.pk]),
        reverse(f"{CHOOSER}:chosen_multiple") + f"?id={live.pk}&id={draft.pk}",
    ]


def test_admin_access_alone_does_not_open_the_chooser(django_user_model, records):
    client = client_with(django_user_model)
    for url in chooser_urls(records):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"Draft record nobody may see" not in response.content


@pytest.mark.parametrize(
    "codename", ["add_evidence", "change_evidence", "view_evidence", "verify_evidence"]
)
def test_any_evidence_permission_opens_it(django_user_model, records, codename):
    client = client_with(django_user_model, codename)
    responses = [client.get(url) for url in chooser_urls(records)]
    assert [response.status_code for response in responses] == [200, 200, 200, 200]
    assert b"Draft record nobody may see" in responses[1].content


@pytest.mark.parametrize("role", ["editor", "verifier", "moderator", "admin"])
def test_the_editorial_roles_can_choose_evidence(login, records, role):
    response = login(role).get(reverse(f"{CHOOSER}:choose"))
    assert response.status_code == 200
    assert b"Live record" in response.content

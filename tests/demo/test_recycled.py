"""The demo's recycled item: the convoy video posted again as new, whose
poster is the convoy's still as a repost makes it (newsroom/stills.py). The
register flags both records and its filter finds them; the reposted record's
form names the record it looks like, with its badge."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db

REPOST = "Convoy video posted again as new, 2 November"


def flags(client, query=""):
    """{title: flagged} for the register's rows."""
    response = client.get(reverse("wagtail_evidence:register") + query)
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select("table tbody tr")
    return {
        row.select_one("td a").get_text(strip=True): (
            "Looks like another record" in row.get_text()
        )
        for row in rows
    }


def test_the_demo_register_flags_the_recycled_footage(client, demo):
    client.force_login(get_user_model().objects.get(username="editor"))

    everything = flags(client)
    assert {title for title, flagged in everything.items() if flagged} == {
        "Convoy in Horadiz",
        REPOST,
    }
    assert len(everything) == Evidence.objects.count()
    assert set(flags(client, "?near_duplicates=yes")) == {"Convoy in Horadiz", REPOST}


def test_the_reposts_form_names_the_original_with_its_badge(client, demo):
    client.force_login(get_user_model().objects.get(username="editor"))
    repost = Evidence.objects.get(title=REPOST)
    convoy = Evidence.objects.get(title="Convoy in Horadiz")

    form = client.get(
        reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[repost.pk])
    )

    soup = BeautifulSoup(form.content, "html.parser")
    (line,) = soup.select(".evidence-near-duplicates li")
    assert line.get_text("", strip=True).startswith(
        f"Looks like “Convoy in Horadiz” ({convoy.badge.label}), first seen"
    )
    assert line.find("a")["href"] == reverse(
        "wagtailsnippets_wagtail_evidence_evidence:edit", args=[convoy.pk]
    )

"""A record starts as a draft whoever creates it: the admin, an import, or code.
Only publishing its revision (the desk's publish permission, in the admin) makes
it live, so no path puts a badge before readers that the desk did not publish."""

import pytest

from tests.factories import evidence_block, make_article
from wagtail_evidence.editorial.gate import EvidenceGateError
from wagtail_evidence.models import Evidence


pytestmark = pytest.mark.django_db


def test_a_record_created_in_code_is_a_draft_until_its_revision_is_published():
    record = Evidence.objects.create(
        title="Made by a script",
        media_url="https://t.me/demo_observers/2501",
        description="What the media shows.",
        verdict="verified",
    )
    assert Evidence.objects.get(pk=record.pk).live is False

    # An article citing it cannot go live: the gate names the draft.
    with pytest.raises(EvidenceGateError, match="Made by a script"):
        make_article([evidence_block(record)], title="Cites a draft", slug="cites")

    record.save_revision().publish()
    assert Evidence.objects.get(pk=record.pk).live is True
    article = make_article([evidence_block(record)], title="Cites it", slug="cites-it")
    assert type(article).objects.get(pk=article.pk).live


def test_live_true_is_still_what_a_developer_asks_for():
    record = Evidence.objects.create(
        title="Written live on purpose", media_url="https://t.me/x/1", live=True
    )
    assert Evidence.objects.get(pk=record.pk).live is True

"""The render cache serves repeat views, and never a stale item.

Every test reads the article once to fill the cache, changes one thing a block
renders, and reads again: the change must show at once. Each door a change
comes through is tried twice: read from the cache, and read with the cache
emptied before every view (a restart, an eviction), from the rows kept behind
it (reader.stored_renders).
"""

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from tests.factories import evidence_block, make_article, make_evidence
from wagtail_evidence.models import Credit, Evidence, StoredRender
from wagtail_evidence.reader.render_cache import renew_render_token


pytestmark = pytest.mark.django_db

# The tests of a change that must show at once, whichever tier serves the block.
DOORS = {
    "test_publishing_a_change_shows_at_once",
    "test_a_credit_added_on_its_own_shows_at_once",
    "test_an_appearance_deleted_on_its_own_goes_at_once",
    "test_a_deleted_poster_goes_at_once",
    "test_a_replaced_video_file_is_linked_at_once",
    "test_unpublishing_withdraws_at_once",
    "test_each_article_keeps_its_own_caption",
    "test_changes_behind_djangos_back_show_once_the_token_is_renewed",
    "test_an_item_cited_twice_keeps_unique_anchors_from_the_cache",
}


def pytest_generate_tests(metafunc):
    if metafunc.function.__name__ in DOORS:
        metafunc.parametrize("served_from", ["cache", "stored rows"], indirect=True)


@pytest.fixture(autouse=True)
def served_from(request, client, monkeypatch):
    """With "stored rows", the cache is emptied before each view: what each
    view shows comes from the rows, or is rendered when they are outdated, and
    must be as fresh. Each view is checked to have asked the rows."""
    tier = getattr(request, "param", "cache")
    if tier == "stored rows":
        get = client.get

        def get_from_an_emptied_cache(*args, **kwargs):
            caches["default"].clear()
            with CaptureQueriesContext(connection) as queries:
                response = get(*args, **kwargs)
            html = response.content.decode()
            if html.count('class="evidence evidence--') > html.count("--withdrawn"):
                # A live record's block: the rows were asked for it.
                table = StoredRender._meta.db_table
                assert any(table in q["sql"] for q in queries.captured_queries)
            return response

        monkeypatch.setattr(client, "get", get_from_an_emptied_cache)
    return tier


@pytest.fixture
def evidence():
    return make_evidence()


@pytest.fixture
def article(evidence):
    return make_article([evidence_block(evidence, caption="First caption.")])


def read(client, article):
    response = client.get(article.url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_emptied_cache_is_served_from_the_stored_rows(client, article, evidence):
    first = read(client, article)
    assert StoredRender.objects.filter(evidence=evidence).count() == 1
    caches["default"].clear()
    with CaptureQueriesContext(connection) as second:
        html = read(client, article)
    assert html == first
    sql = [q["sql"] for q in second.captured_queries]
    assert not any("wagtail_evidence_credit" in q for q in sql)  # not rendered
    assert any("wagtail_evidence_storedrender" in q for q in sql)


def test_a_repeat_view_is_served_from_the_cache(client, article):
    with CaptureQueriesContext(connection) as first:
        read(client, article)
    with CaptureQueriesContext(connection) as second:
        html = read(client, article)
    assert "geolocated by Obretix" in strip_tags(html)
    details = [
        q["sql"]
        for q in second.captured_queries
        if "wagtail_evidence_credit" in q["sql"]
    ]
    assert details == []  # credits were not loaded: the block came from the cache
    assert len(second.captured_queries) < len(first.captured_queries)


def test_publishing_a_change_shows_at_once(client, article, evidence):
    read(client, article)
    evidence.description = "A corrected description."
    evidence.save_revision().publish()
    assert "A corrected description." in read(client, article)


def test_a_credit_added_on_its_own_shows_at_once(client, article, evidence):
    read(client, article)
    Credit.objects.create(evidence=evidence, name="Afrin Post", role="verification")
    assert "Afrin Post" in read(client, article)


def test_an_appearance_deleted_on_its_own_goes_at_once(client, article, evidence):
    assert "A channel" in read(client, article)
    evidence.appearances.get().delete()
    assert "A channel" not in read(client, article)


def test_a_deleted_poster_goes_at_once(client, evidence):
    poster = get_image_model().objects.create(
        title="Poster", file=get_test_image_file()
    )
    evidence.poster = poster
    evidence.save_revision().publish()
    article = make_article([evidence_block(evidence)])
    assert "evidence-media__poster" in read(client, article)
    poster.delete()
    assert "evidence-media__poster" not in read(client, article)


def test_a_replaced_video_file_is_linked_at_once(client):
    video = get_document_model().objects.create(
        title="Clip", file=ContentFile(b"one", name="clip-one.mp4")
    )
    evidence = make_evidence(media_url="", video_file=video)
    article = make_article([evidence_block(evidence)])
    assert "clip-one" in read(client, article)
    video.file = ContentFile(b"two", name="clip-two.mp4")
    video.save()
    html = read(client, article)
    assert "clip-two" in html and "clip-one" not in html


def test_unpublishing_withdraws_at_once(client, article, evidence):
    read(client, article)
    evidence.unpublish()
    html = read(client, article)
    assert "This item has been withdrawn." in html and "Obretix" not in html


def test_each_article_keeps_its_own_caption(client, article, evidence):
    other = make_article(
        [evidence_block(evidence, caption="Second caption.")],
        title="Other",
        slug="other",
    )
    assert "First caption." in read(client, article)
    html = read(client, other)
    assert "Second caption." in html and "First caption." not in html


def test_changes_behind_djangos_back_show_once_the_token_is_renewed(
    client, article, evidence
):
    read(client, article)
    records = Evidence.objects.filter(pk=evidence.pk)
    records.update(description="Changed with QuerySet.update().")
    renew_render_token(records)
    assert "Changed with QuerySet.update()." in read(client, article)


def test_an_item_cited_twice_keeps_unique_anchors_from_the_cache(client, evidence):
    article = make_article([evidence_block(evidence), evidence_block(evidence)])
    read(client, article)
    html = read(client, article)
    assert (
        f'id="evidence-{evidence.pk}"' in html
        and f'id="evidence-{evidence.pk}-2"' in html
    )
    assert "wagtail-evidence-dom-id-placeholder" not in html


def test_the_first_reader_stores_the_page_s_blocks_in_one_call(
    client, evidence, monkeypatch
):
    """A shared cache is a round trip away: the blocks a page's first reader
    renders are stored together, and each is what a later reader gets."""
    from django.core.cache.backends.locmem import LocMemCache

    others = [
        make_evidence(title=f"Item {n}", media_url=f"https://t.me/demo_observers/{n}")
        for n in range(3)
    ]
    article = make_article(
        [evidence_block(evidence), *[evidence_block(other) for other in others]]
        + [evidence_block(evidence)]  # cited twice: one key, rendered once
    )
    calls, storing = [], []  # the cache's own calls, and set_many's inner sets
    real_set, real_set_many = LocMemCache.set, LocMemCache.set_many

    def block_keys(keys):  # Wagtail keeps its own things in this cache too
        return [key for key in keys if key.startswith("wagtail_evidence:block:")]

    def spy_set(cache, key, *args, **kwargs):
        if not storing and block_keys([key]):
            calls.append(("set", 1))
        return real_set(cache, key, *args, **kwargs)

    def spy_set_many(cache, data, *args, **kwargs):
        if block_keys(data):
            calls.append(("set_many", len(block_keys(data))))
        storing.append(True)
        try:
            return real_set_many(cache, data, *args, **kwargs)
        finally:
            storing.pop()

    monkeypatch.setattr(LocMemCache, "set", spy_set)
    monkeypatch.setattr(LocMemCache, "set_many", spy_set_many)

    with CaptureQueriesContext(connection) as first:
        first_html = read(client, article)
    assert calls == [("set_many", 4)]
    with CaptureQueriesContext(connection) as second:
        second_html = read(client, article)
    assert calls == [("set_many", 4)]  # nothing rendered, nothing stored
    assert first_html == second_html
    assert not any("wagtail_evidence_credit" in q["sql"] for q in second)
    assert any("wagtail_evidence_credit" in q["sql"] for q in first)


def test_the_cache_is_off_when_configured_so(client, article, evidence, settings):
    settings.WAGTAIL_EVIDENCE = {"RENDER_CACHE": None}
    read(client, article)
    with CaptureQueriesContext(connection) as second:
        read(client, article)
    assert any("wagtail_evidence_credit" in q["sql"] for q in second.captured_queries)


def test_the_cache_keeps_each_language_apart(db):
    import datetime

    from django.utils import translation

    from wagtail_evidence.blocks import EvidenceBlock

    dated = make_evidence(
        title="Dated", filmed_on=datetime.date(2020, 10, 3), date_status="confirmed"
    )
    raw = {"evidence": dated.pk, "heading": "", "caption": "", "display": ""}
    block = EvidenceBlock()
    with translation.override("en"):
        value = block.bulk_to_python([raw])[0]  # converted, and looked up, in English
        english = str(block.render(value, {}))
    with translation.override("fr"):
        french = str(block.render(value, {}))  # the same value, read in French
    with translation.override("en"):
        again = str(block.render(block.bulk_to_python([raw])[0], {}))
    assert "Oct. 3, 2020" in english and "octobre" not in english
    assert (
        "3 octobre 2020" in french and "Oct. 3" not in french
    )  # facets are read per language
    assert again == english


def test_a_block_rendered_in_another_language_stores_no_sibling_under_its_key(db):
    """Its batch was looked up in English: rendering one block in French must
    not store its French siblings under their English keys."""
    import datetime

    from django.utils import translation

    from wagtail_evidence.blocks import EvidenceBlock

    dated = [
        make_evidence(
            title=f"Dated {n}",
            media_url=f"https://t.me/demo_observers/{n}",
            filmed_on=datetime.date(2020, 10, 3),
            date_status="confirmed",
        )
        for n in range(2)
    ]
    raw = [
        {"evidence": item.pk, "heading": "", "caption": "", "display": ""}
        for item in dated
    ]
    block = EvidenceBlock()
    with translation.override("en"):
        first, second = block.bulk_to_python(raw)  # looked up in English
    with translation.override("fr"):
        french = str(block.render(first, {}))
    with translation.override("en"):
        english = str(block.render(second, {}))
        again = str(block.render(block.bulk_to_python(raw)[1], {}))
    assert "3 octobre 2020" in french
    assert "Oct. 3, 2020" in english and "octobre" not in english
    assert again == english


def test_a_cached_block_never_sees_the_request_or_the_user(
    client, article, evidence, settings, tmp_path, users
):
    """A template override that reads the request must not leak one reader's HTML."""
    override = tmp_path / "templates" / "wagtail_evidence" / "blocks"
    override.mkdir(parents=True)
    (override / "evidence.html").write_text(
        '<p>user={{ request.user.username }}</p><section id="{{ dom_id }}"></section>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [str(tmp_path / "templates")]}
    ]
    client.force_login(users["editor"])
    assert "user=editor" not in read(client, article)
    client.logout()
    assert "user=editor" not in read(client, article)


def test_an_unreachable_cache_costs_speed_not_the_page(client, article, monkeypatch):
    from wagtail_evidence.reader import render_cache

    class Broken:
        def get_many(self, keys):
            raise ConnectionError("cache down")

        def set(self, *args):
            raise ConnectionError("cache down")

    monkeypatch.setattr(render_cache, "get_cache", lambda: Broken())
    assert "geolocated by Obretix" in strip_tags(read(client, article))


def test_a_draft_or_a_lock_keeps_the_readers_blocks_cached(client, users, article):
    """Saving a draft of a live record, or locking it, changes nothing readers
    see: through the admin, as the desk does it, the blocks readers were served
    stay in the cache (no render, no detail loaded) and the draft stays out of
    them; publishing it then shows at once."""
    from django.urls import reverse

    from tests.admin_forms import client_for, form_data

    record = article.body[0].value.item
    edit = reverse("wagtailsnippets_wagtail_evidence_evidence:edit", args=[record.pk])
    desk = client_for(users["admin"])
    token = Evidence.objects.get(pk=record.pk).render_token
    first = read(client, article)

    response = desk.post(
        edit, {**form_data(desk.get(edit)), "description": "Draft text QZX."}
    )
    assert response.status_code == 302
    for action in ("lock", "unlock"):
        url = reverse(
            f"wagtailsnippets_wagtail_evidence_evidence:{action}", args=[record.pk]
        )
        assert desk.post(url).status_code == 302
    saved = Evidence.objects.get(pk=record.pk)
    assert saved.has_unpublished_changes and not saved.locked
    assert saved.latest_revision.as_object().description == "Draft text QZX."
    assert saved.render_token == token
    with CaptureQueriesContext(connection) as again:
        assert read(client, article) == first
    assert not any("wagtail_evidence_credit" in q["sql"] for q in again)

    response = desk.post(
        edit, {**form_data(desk.get(edit)), "action-publish": "action-publish"}
    )
    assert response.status_code == 302
    assert Evidence.objects.get(pk=record.pk).render_token != token
    assert "Draft text QZX." in read(client, article)

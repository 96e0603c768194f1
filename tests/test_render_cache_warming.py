"""The first reader after a change finds the evidence blocks rendered: once the
change commits, a task renders the blocks of the live articles citing the
record, and of an article just published, into the render cache.

A block that came from the cache loaded none of its record's details, so a
reader's request that queries no credit was served from it. The warmed HTML is
what a reader renders with the cache off, character for character.
"""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks.backends.immediate import ImmediateBackend
from wagtail.models import Locale, ModelLogEntry, Page
from wagtail.users.models import UserProfile

from tests.admin_forms import desk_publishes, form_data, nested_form_data, stream
from tests.exchange_files import csv_file, run_import
from tests.factories import (
    evidence_block,
    make_article,
    make_citing_articles,
    make_evidence,
)
from wagtail_evidence import warming
from wagtail_evidence.blocks import EvidenceBlock
from wagtail_evidence.models import Credit, Evidence


pytestmark = pytest.mark.django_db

SECTION = re.compile(r'<section class="evidence .*?</section>', re.S)
BADGE = re.compile(r'<span class="evidence-badge__pill">([^<]*)</span>')


def use_cache(settings, tmp_path, backend):
    """A render cache of its own, on ``backend``."""
    settings.CACHES = {
        **settings.CACHES,
        "blocks": {
            "BACKEND": f"django.core.cache.backends.{backend}",
            "LOCATION": str(tmp_path / "blocks"),
        },
    }
    settings.WAGTAIL_EVIDENCE = {"RENDER_CACHE": "blocks"}


@pytest.fixture(autouse=True)
def shared_render_cache(settings, tmp_path):
    """A render cache every process reads (files here; Redis, Memcached or the
    database on a site): the one warming fills."""
    use_cache(settings, tmp_path, "filebased.FileBasedCache")


@pytest.fixture
def evidence():
    return make_evidence(title="Convoy in Horadiz", verdict="pending")


def read(client, page):
    """The reader's HTML, and whether any block was rendered for this request
    (its record's credits loaded) rather than taken from the cache."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    assert response.status_code == 200
    rendered = any("wagtail_evidence_credit" in q["sql"] for q in queries)
    return response.content.decode(), rendered


def badge(html):
    (label,) = BADGE.findall(html)
    return label


def cold_sections(client, page, settings):
    """The page's evidence blocks as a reader renders them with the cache off."""
    kept = settings.WAGTAIL_EVIDENCE
    settings.WAGTAIL_EVIDENCE = {**kept, "RENDER_CACHE": None}
    html, rendered = read(client, page)
    settings.WAGTAIL_EVIDENCE = kept
    assert rendered
    return SECTION.findall(html)


def test_the_first_reader_after_the_desk_publishes_finds_the_blocks_rendered(
    client, login, evidence, settings, django_capture_on_commit_callbacks
):
    articles = make_citing_articles(evidence, 2)
    assert read(client, articles[0])[1]  # the first reader renders
    # The blocks are alike: the other article's readers, and the next, read the cache.
    assert not any(read(client, article)[1] for article in articles)

    with django_capture_on_commit_callbacks(execute=True):
        desk_publishes(login, evidence, verdict="verified").logout()

    for article in articles:
        html, rendered = read(client, article)
        assert not rendered
        assert badge(html) == "Partially verified"
        assert SECTION.findall(html) == cold_sections(client, article, settings)


def test_without_the_task_the_first_reader_renders(client, login, evidence):
    """What the test above proves the task for: the save alone leaves no block."""
    article = make_citing_articles(evidence, 1)[0]
    read(client, article)
    # on_commit never runs here
    desk_publishes(login, evidence, verdict="verified").logout()
    html, rendered = read(client, article)
    assert rendered and badge(html) == "Partially verified"


def test_a_credit_added_on_its_own_is_rendered_for_the_next_reader(
    client, evidence, django_capture_on_commit_callbacks
):
    article = make_citing_articles(evidence, 1)[0]
    read(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        Credit.objects.create(evidence=evidence, name="Afrin Post", role="verification")
    html, rendered = read(client, article)
    assert not rendered and "Afrin Post" in html


def test_an_article_published_through_the_admin_is_rendered_for_its_first_reader(
    client, login, evidence, settings, django_capture_on_commit_callbacks
):
    article = make_article([], publish=False)
    moderator = login("moderator")
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    # The editor builds the body's inputs in JavaScript; a browser posts them.
    body = stream(
        [
            (
                "evidence",
                evidence_block(evidence, caption="Seen from the ridge.")["value"],
            )
        ]
    )
    data = {
        **form_data(moderator.get(edit_url)),
        **nested_form_data({"body": body}),
        "action-publish": "action-publish",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert moderator.post(edit_url, data).status_code == 302
    moderator.logout()
    article.refresh_from_db()
    assert article.live

    html, rendered = read(client, article)
    assert not rendered and "Seen from the ridge." in html
    assert SECTION.findall(html) == cold_sections(client, article, settings)


def test_each_article_is_rendered_in_its_own_language(
    client, evidence, django_capture_on_commit_callbacks
):
    english = make_citing_articles(evidence, 1)[0]
    locale, _created = Locale.objects.get_or_create(language_code="fr")
    french = english.copy_for_translation(locale, copy_parents=True)
    french.save_revision().publish()

    with django_capture_on_commit_callbacks(execute=True):
        evidence.verdict = "verified"
        evidence.save_revision().publish()

    english_html, english_rendered = read(client, english)
    french_html, french_rendered = read(client, french)
    assert not english_rendered and not french_rendered
    assert badge(english_html) == "Partially verified"
    assert badge(french_html) == "Partiellement vérifié"


def test_warming_again_renders_nothing_and_a_withdrawn_record_is_never_stored(
    client, evidence, django_capture_on_commit_callbacks
):
    article = make_citing_articles(evidence, 1)[0]
    first = warming.warm_render_cache.enqueue(evidence_ids=[evidence.pk])
    again = warming.warm_render_cache.enqueue(evidence_ids=[evidence.pk])
    assert (first.return_value, again.return_value) == (1, 0)

    with django_capture_on_commit_callbacks(execute=True):
        evidence.unpublish()
    withdrawn = warming.warm_render_cache.enqueue(evidence_ids=[evidence.pk])
    assert withdrawn.return_value == 0
    assert "Convoy in Horadiz" not in read(client, article)[0]


class QueueDownForOurTasks(ImmediateBackend):
    """Runs Wagtail's own tasks, and refuses ours as a queue that is down does."""

    def enqueue(self, task, args, kwargs):
        if task.module_path.startswith("wagtail_evidence."):
            raise ConnectionError("the queue is down")
        return super().enqueue(task, args, kwargs)


@pytest.mark.parametrize("in_request", [0, 10])
def test_a_queue_that_is_down_fails_neither_the_save_nor_the_reader(
    client, login, evidence, settings, django_capture_on_commit_callbacks, in_request
):
    """With every page left to the task (0), its failure is only logged and
    readers render; with the article warmed in the request, it needs no queue."""
    article = make_citing_articles(evidence, 1)[0]
    settings.TASKS = {"default": {"BACKEND": f"{__name__}.QueueDownForOurTasks"}}
    settings.WAGTAIL_EVIDENCE = {
        **settings.WAGTAIL_EVIDENCE,
        "WARM_PAGES_IN_REQUEST": in_request,
    }

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        desk_publishes(login, evidence, verdict="verified").logout()

    assert scheduled_warmings(callbacks)  # scheduled, and its failure only logged
    evidence.refresh_from_db()
    assert evidence.verdict == "verified" and evidence.live
    html, rendered = read(client, article)
    assert rendered is (in_request == 0)
    assert badge(html) == "Partially verified"
    # Nor could the purge be enqueued: the desk reads so in the record's history.
    (failed,) = ModelLogEntry.objects.filter(action="wagtail_evidence.purge_failed")
    assert failed.object_id == str(evidence.pk)
    assert failed.data["error"] == "ConnectionError"
    assert failed.data["pages"] == [article.pk]


def scheduled_warmings(callbacks):
    return [
        callback
        for callback in callbacks
        if getattr(callback, "__module__", "") == warming.__name__
    ]


def warm_tasks_enqueued():
    """The warming tasks django-tasks' dummy backend was given."""
    return [
        result
        for result in default_task_backend.results
        if result.task.func is warming.warm_render_cache.func
    ]


@pytest.mark.parametrize(
    "cache_backend, task_backend, scheduled",
    [
        # A cache every process reads, inline or on a worker.
        ("filebased.FileBasedCache", "immediate.ImmediateBackend", True),
        ("filebased.FileBasedCache", "dummy.DummyBackend", True),
        # A process's own memory: a worker would fill its own, and inline the
        # desk's request would pay for the readers of one process only.
        ("locmem.LocMemCache", "dummy.DummyBackend", False),
        ("locmem.LocMemCache", "immediate.ImmediateBackend", False),
        # A cache that keeps nothing.
        ("dummy.DummyCache", "immediate.ImmediateBackend", False),
    ],
)
def test_warming_is_scheduled_only_where_it_reaches_readers(
    evidence,
    settings,
    tmp_path,
    cache_backend,
    task_backend,
    scheduled,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):  # the set-up commits
        make_citing_articles(evidence, 1)
    use_cache(settings, tmp_path, cache_backend)
    # Every page to the task: what it is given is checked below.
    settings.WAGTAIL_EVIDENCE = {
        **settings.WAGTAIL_EVIDENCE,
        "WARM_PAGES_IN_REQUEST": 0,
    }
    settings.TASKS = {"default": {"BACKEND": f"django_tasks.backends.{task_backend}"}}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence.save()
    assert bool(scheduled_warmings(callbacks)) is scheduled
    if scheduled and task_backend.startswith("dummy"):
        for callback in scheduled_warmings(callbacks):
            callback()
        (result,) = warm_tasks_enqueued()
        assert result.args == [] and result.kwargs == {
            "evidence_ids": [evidence.pk],
            "page_ids": [],
        }


@pytest.mark.parametrize(
    "setting",
    [{"RENDER_CACHE": None}, {"RENDER_CACHE": "blocks", "WARM_RENDER_CACHE": False}],
)
def test_nothing_is_scheduled_with_the_cache_or_the_warming_off(
    evidence, settings, setting, django_capture_on_commit_callbacks
):
    make_citing_articles(evidence, 1)
    settings.WAGTAIL_EVIDENCE = setting
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence.save()
        Credit.objects.create(evidence=evidence, name="Afrin Post", role="verification")
    assert scheduled_warmings(callbacks) == []


def test_many_citing_articles_are_warmed_a_few_at_a_time(client, evidence, monkeypatch):
    monkeypatch.setattr(warming, "PAGES_AT_ONCE", 2)
    articles = [
        make_article(
            [evidence_block(evidence, caption=f"Caption {n}.")],
            title=f"Article {n}",
            slug=f"article-{n}",
        )
        for n in range(5)
    ]
    result = warming.warm_render_cache.enqueue(evidence_ids=[evidence.pk])
    assert result.return_value == len(articles)
    for n, article in enumerate(articles):
        html, rendered = read(client, article)
        assert not rendered and f"Caption {n}." in html


def every_page_to_the_task(settings):
    """Tasks kept by django-tasks' dummy backend, and every page left to them."""
    settings.WAGTAIL_EVIDENCE = {
        **settings.WAGTAIL_EVIDENCE,
        "WARM_PAGES_IN_REQUEST": 0,
    }
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }


def test_a_publication_enqueues_one_warming(
    login, evidence, settings, django_capture_on_commit_callbacks
):
    """Saving the revision, publishing it and noting its public history each
    renew the record's token: the transaction's changes are warmed together."""
    with django_capture_on_commit_callbacks(execute=True):  # the set-up commits
        article = make_citing_articles(evidence, 1)[0]
    every_page_to_the_task(settings)
    with django_capture_on_commit_callbacks(execute=True):
        desk_publishes(login, evidence, verdict="verified").logout()
    warmings = [result.kwargs for result in warm_tasks_enqueued()]
    assert warmings == [{"evidence_ids": [evidence.pk], "page_ids": []}]

    default_task_backend.clear()  # the next transaction enqueues its own
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    warmings = [result.kwargs for result in warm_tasks_enqueued()]
    assert warmings == [{"evidence_ids": [], "page_ids": [article.pk]}]


def test_what_a_rollback_undid_is_not_warmed_with_the_next_change(
    evidence, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the set-up commits
        undone = make_evidence(
            title="Undone", media_url="https://t.me/demo_observers/9"
        )
    with pytest.raises(RuntimeError), transaction.atomic():
        undone.title = "Undone, again"
        undone.save()
        raise RuntimeError
    every_page_to_the_task(settings)
    with django_capture_on_commit_callbacks(execute=True):
        evidence.save()
    warmings = [result.kwargs for result in warm_tasks_enqueued()]
    assert warmings == [{"evidence_ids": [evidence.pk], "page_ids": []}]


def test_records_are_looked_up_a_few_hundred_at_a_time(client, monkeypatch):
    monkeypatch.setattr(warming, "RECORDS_AT_ONCE", 2)
    records = [
        make_evidence(title=f"Item {n}", media_url=f"https://t.me/demo_observers/{n}")
        for n in range(5)
    ]
    article = make_article([evidence_block(record) for record in records])
    result = warming.warm_render_cache.enqueue(
        evidence_ids=[record.pk for record in records]
    )
    assert result.return_value == 5
    assert not read(client, article)[1]


def test_a_page_that_cannot_be_rendered_is_logged_and_the_others_warmed(
    client, evidence, monkeypatch, caplog
):
    broken = make_article(
        [evidence_block(evidence, caption="Broken.")], title="Broken", slug="broken"
    )
    fine = make_article(
        [evidence_block(evidence, caption="Fine.")], title="Fine", slug="fine"
    )
    render = EvidenceBlock.render_with_dom_id

    def fails_on_the_broken_one(block, value, dom_id):
        if value.get("caption") == "Broken.":
            raise ValueError("a template that fails")
        return render(block, value, dom_id)

    monkeypatch.setattr(EvidenceBlock, "render_with_dom_id", fails_on_the_broken_one)
    result = warming.warm_render_cache.enqueue(evidence_ids=[evidence.pk])
    assert result.return_value == 1
    assert f"Evidence blocks of page {broken.pk} not warmed." in caplog.text
    monkeypatch.undo()
    assert not read(client, fine)[1]
    assert read(client, broken)[1]  # its readers render it themselves


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_database")
def test_a_save_in_a_transaction_managed_by_hand_still_saves(evidence):
    """Nothing to wait for: no commit will say when. Warming is left out."""
    transaction.set_autocommit(False)
    try:
        evidence.title = "Convoy in Horadiz, renamed"
        evidence.save()
        transaction.commit()
    finally:
        transaction.set_autocommit(True)
    assert Evidence.objects.get(pk=evidence.pk).title == "Convoy in Horadiz, renamed"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_database")
def test_warming_in_the_desks_request_writes_what_readers_read(
    client, login, users, evidence, settings
):
    """With the immediate backend the task runs in the desk's request, after
    its commit, where the admin has switched to the desk's time zone: the
    history's dates must be written in the site's, as readers get them."""
    hour = timezone.now().hour  # in UTC, the suite's TIME_ZONE
    zone = "Pacific/Kiritimati" if hour >= 10 else "Pacific/Pago_Pago"  # another day
    profile = UserProfile.get_for_user(users["verifier"])
    profile.current_time_zone = zone
    profile.save()
    article = make_citing_articles(evidence, 1)[0]

    desk_publishes(login, evidence, verdict="verified").logout()  # commits for real

    html, rendered = read(client, article)
    assert not rendered
    assert "the badge changed" in html
    assert SECTION.findall(html) == cold_sections(client, article, settings)


def test_an_import_that_changes_a_cited_record_is_warmed_for_its_readers(
    client, users, evidence, tmp_path, django_capture_on_commit_callbacks
):
    """The import writes in bulk, past Evidence.save(): its renewal of the
    live records' tokens is announced too, once the import commits."""
    article = make_citing_articles(evidence, 1)[0]
    read(client, article)
    content = csv_file(
        ["media_url", "description"],
        [evidence.media_url, "A description the desk will review."],
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_import(tmp_path, content, "--user", "editor")
    evidence.refresh_from_db()
    assert evidence.has_unpublished_changes  # a draft: readers keep the live one

    html, rendered = read(client, article)
    assert not rendered
    assert "A description the desk will review." not in html


def test_the_desks_request_warms_the_most_read_articles_and_queues_the_rest(
    client, login, evidence, settings, django_capture_on_commit_callbacks
):
    """A queued task starts a moment after the commit: the request renders
    the articles published most recently itself, the task the others. No
    reader of the first renders, even before the task runs."""
    with django_capture_on_commit_callbacks(execute=True):  # the set-up commits
        articles = [  # captions of their own: blocks of their own
            make_article(
                [evidence_block(evidence, caption=f"Caption {n}.")],
                title=f"Article {n}",
                slug=f"article-{n}",
            )
            for n in range(4)
        ]
    for age, article in enumerate(articles):  # Article 0 is the oldest
        Page.objects.filter(pk=article.pk).update(
            last_published_at=timezone.now() - timedelta(days=10 - age)
        )
    settings.WAGTAIL_EVIDENCE = {
        **settings.WAGTAIL_EVIDENCE,
        "WARM_PAGES_IN_REQUEST": 2,
    }
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    with django_capture_on_commit_callbacks(execute=True):
        desk_publishes(login, evidence, verdict="verified").logout()

    newest, oldest = articles[2:], articles[:2]
    (queued,) = warm_tasks_enqueued()
    assert queued.kwargs == {
        "evidence_ids": [],
        "page_ids": sorted(article.pk for article in oldest),
    }
    for article in newest:
        html, rendered = read(client, article)
        assert not rendered and badge(html) == "Partially verified"
    assert warming.warm_render_cache.call(**queued.kwargs) == len(oldest)
    for article in oldest:
        html, rendered = read(client, article)
        assert not rendered and badge(html) == "Partially verified"


def test_an_article_just_published_is_warmed_first(evidence):
    articles = make_citing_articles(evidence, 3)
    ids = warming.most_read_first(
        {article.pk for article in articles}, first=[articles[0].pk, 999_999]
    )
    # Then the most recently published (here, the last made).
    assert ids == [articles[0].pk, articles[2].pk, articles[1].pk]


def test_a_request_that_cannot_warm_leaves_it_all_to_the_task(
    evidence, settings, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the set-up commits
        make_citing_articles(evidence, 1)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }

    def database_gone(*args, **kwargs):
        raise ConnectionError("the database is gone")

    monkeypatch.setattr(warming, "most_read_first", database_gone)
    with django_capture_on_commit_callbacks(execute=True):
        evidence.save()
    (queued,) = warm_tasks_enqueued()
    assert queued.kwargs == {"evidence_ids": [evidence.pk], "page_ids": []}


# E006: WARM_PAGES_IN_REQUEST must be a whole number of pages


@pytest.mark.parametrize("pages", [None, -1, "10", 2.5, True])
def test_a_number_of_pages_that_is_not_one_stops_manage_py_check(settings, pages):
    settings.WAGTAIL_EVIDENCE = {"WARM_PAGES_IN_REQUEST": pages}

    with pytest.raises(SystemCheckError) as raised:
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())

    assert (
        f"(wagtail_evidence.E006) WAGTAIL_EVIDENCE['WARM_PAGES_IN_REQUEST'] is "
        f"{pages!r}: it is how many stale articles a request warms itself once its "
        "change commits, so it must be a whole number, 0 or more."
    ) in str(raised.value)


@pytest.mark.parametrize("pages", [0, 1, 10, 500])
def test_a_whole_number_of_pages_passes_the_check(settings, pages):
    settings.WAGTAIL_EVIDENCE = {"WARM_PAGES_IN_REQUEST": pages}
    out = io.StringIO()
    call_command("check", "--tag", "wagtail_evidence", stdout=out)
    assert "no issues" in out.getvalue()

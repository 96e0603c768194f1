"""Archive now, through the admin as an editor would, against a fake Save Page
Now on 127.0.0.1: every address captured, once; each failure of the service a
clear state on the record, never a crash; only a POST with its CSRF token by a
user who may change the record starts it."""

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import fake_archive_services
from tests.admin_forms import form_data
from tests.factories import evidence_block, make_article, make_evidence
from tests.fake_archive_services import TIMESTAMP
from wagtail_evidence.models import Appearance, ArchivedCopy, SourceTask


pytestmark = pytest.mark.django_db
save_page_now = fake_archive_services.save_page_now

MEDIA = "https://t.me/demo_observers/2501"
RELAY = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.fixture
def record():
    return make_evidence(
        media_url=MEDIA,
        appearances=[
            Appearance(platform="telegram", account="A channel", url=MEDIA),
            Appearance(platform="youtube", account="A relay", url=RELAY, sort_order=1),
        ],
    )


def sources_url(evidence):
    return reverse("wagtail_evidence:sources", args=[evidence.pk])


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """POST as the browser does, the tasks queued on commit run (the immediate
    backend), then follow the redirect."""

    def send(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data or {})
        if response.status_code != 302:
            return response
        return client.get(response["Location"])

    return send


@pytest.fixture
def archive(post):
    def run(client, evidence):
        return post(client, sources_url(evidence), {"action": "archive"})

    return run


def task_row(evidence):
    return SourceTask.objects.get(evidence=evidence, kind="archive")


def page_text(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def test_archive_now_captures_the_media_and_each_appearance(
    login, record, save_page_now, archive
):
    response = archive(login("editor"), record)
    assert response.status_code == 200
    copies = ArchivedCopy.objects.filter(evidence=record).order_by("captured_url")
    assert [(c.captured_url, c.archive_url, c.service) for c in copies] == [
        (MEDIA, f"https://web.archive.org/web/{TIMESTAMP}/{MEDIA}", "Internet Archive"),
        (RELAY, f"https://web.archive.org/web/{TIMESTAMP}/{RELAY}", "Internet Archive"),
    ]
    assert copies[0].captured_at.isoformat() == "2026-12-06T10:15:00+00:00"
    posts = [r for r in save_page_now.requests if r[0] == "POST"]
    assert sorted(r[3]["url"] for r in posts) == [MEDIA, RELAY]
    assert {r[2]["Authorization"] for r in posts} == {"LOW test-access:test-secret"}
    # Polled until the job succeeded: one pending answer, then the success.
    assert sum(r[0] == "GET" for r in save_page_now.requests) == 4
    row = task_row(record)
    assert (row.state, row.done, row.total, row.problems) == ("done", 2, 2, [])
    text = page_text(response)
    assert "Done" in text and "Internet Archive, captured" in text
    actions = ModelLogEntry.objects.filter(object_id=str(record.pk)).values_list(
        "action", flat=True
    )
    assert {
        "wagtail_evidence.archive_requested",
        "wagtail_evidence.archive_done",
    } <= set(actions)


def test_archiving_twice_keeps_one_copy_of_each_capture(
    login, record, save_page_now, archive
):
    client = login("editor")
    archive(client, record)
    archive(client, record)
    assert ArchivedCopy.objects.filter(evidence=record).count() == 2
    assert sum(r[0] == "POST" for r in save_page_now.requests) == 4


def test_a_draft_appearance_is_archived_too(login, record, save_page_now, archive):
    """The editor archives what the form shows: the latest version, a draft
    included."""
    draft = "https://vimeo.com/76979871"
    record.appearances.add(Appearance(platform="vimeo", url=draft, sort_order=2))
    record.save_revision()  # a draft: the live row keeps two appearances
    archive(login("editor"), record)
    assert ArchivedCopy.objects.filter(evidence=record, captured_url=draft).exists()


@pytest.mark.parametrize(
    "behaviour, message",
    [
        ("429", "rate limit"),
        ("500", "The archiving service failed."),
        ("401", "The archiving service refused to capture it."),
        ("refuse", "The archiving service refused to capture it."),
        ("hang", "did not answer in time"),
    ],
)
def test_a_failing_service_ends_as_a_failed_state_with_its_reason(
    login, record, save_page_now, behaviour, message, archive
):
    save_page_now.behaviour = behaviour
    response = archive(login("editor"), record)
    assert response.status_code == 200
    row = task_row(record)
    assert row.state == "failed"
    assert {problem["url"] for problem in row.problems} == {MEDIA, RELAY}
    assert message in page_text(response)
    assert not ArchivedCopy.objects.filter(evidence=record).exists()


def test_a_rate_limit_stops_the_run_rather_than_hammer_the_service(
    login, record, save_page_now, archive
):
    save_page_now.behaviour = "429"
    archive(login("editor"), record)
    # The immediate backend cannot wait: one request, then the run stops and
    # every address left says why.
    assert sum(r[0] == "POST" for r in save_page_now.requests) == 1
    assert [p["code"] for p in task_row(record).problems] == ["rate_limited"] * 2


def test_the_refusal_in_the_services_words_is_shown(
    login, record, save_page_now, archive
):
    save_page_now.behaviour = "refuse"
    response = archive(login("editor"), record)
    assert "block list" in page_text(response)


def test_without_keys_it_fails_clearly_and_calls_nobody(login, record, archive):
    """The default backend, not configured: no request leaves (the suite's
    network guard would fail the test), and the page says what to set."""
    response = archive(login("editor"), record)
    assert task_row(record).state == "failed"
    assert "ARCHIVE_BACKEND or ARCHIVE_OPTIONS" in page_text(response)


def test_a_get_never_starts_it(login, record, save_page_now):
    client = login("editor")
    response = client.get(sources_url(record), {"action": "archive"})
    assert response.status_code == 200
    assert save_page_now.requests == []
    assert not SourceTask.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(users, record, save_page_now):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["editor"])
    response = client.post(sources_url(record), {"action": "archive"})
    assert response.status_code == 403
    assert save_page_now.requests == []


def refused(response):
    """Wagtail's admin answers a refused permission by sending the user home
    with a message."""
    return response.status_code == 302 and response["Location"] == reverse(
        "wagtailadmin_home"
    )


def viewer():
    """A user who may look at evidence but not change it."""
    user = get_user_model().objects.create_user("viewer", "viewer@example.org", "x")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_evidence"),
    )
    return user


def test_a_user_who_may_not_change_the_record_cannot_start_it(
    client, users, record, save_page_now
):
    client.force_login(viewer())
    page = client.get(sources_url(record))
    assert page.status_code == 200
    assert "Only users who may change this record" in page_text(page)
    assert b'value="archive"' not in page.content
    # A form kept from before, or made by hand: refused all the same.
    assert refused(client.post(sources_url(record), {"action": "archive"}))
    assert refused(client.post(sources_url(record), {"action": "check"}))
    assert save_page_now.requests == []


def test_anonymous_users_are_sent_to_log_in(client, record, save_page_now):
    response = client.post(sources_url(record), {"action": "archive"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert save_page_now.requests == []


def test_the_record_shows_the_outcome_and_links_to_the_sources_page(
    login, record, save_page_now, archive
):
    client = login("editor")
    edit_url = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:edit", args=[record.pk]
    )
    before = BeautifulSoup(client.get(edit_url).content, "html.parser")
    assert before.select_one(f'a[href="{sources_url(record)}"]') is not None
    assert "Last archive Never" in before.get_text(" ", strip=True)
    archive(client, record)
    text = page_text(client.get(edit_url))
    assert "Last archive Done" in text
    assert "2 captured copies" in text


def bulk_url(action, *records):
    ids = "&".join(f"id={record.pk}" for record in records)
    return (
        reverse(
            "wagtail_bulk_action",
            args=["wagtail_evidence", "evidence", action],
        )
        + f"?{ids}&next="
        + reverse("wagtailsnippets_wagtail_evidence_evidence:list")
    )


def test_archive_now_in_bulk(login, record, save_page_now, post):
    other = make_evidence(title="Convoy", media_url="https://t.me/demo_observers/2533")
    client = login("editor")
    url = bulk_url("archive_sources", record, other)
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert save_page_now.requests == []  # the confirmation page starts nothing
    response = post(client, url)
    assert response.status_code == 200
    assert "Archiving started for 2 records." in page_text(response)
    assert ArchivedCopy.objects.filter(evidence=other).count() == 1
    assert ArchivedCopy.objects.filter(evidence=record).count() == 2


def test_bulk_archive_is_refused_to_a_user_who_may_not_change(
    client, record, save_page_now
):
    client.force_login(viewer())
    url = bulk_url("archive_sources", record)
    assert refused(client.get(url))
    assert refused(client.post(url))
    assert save_page_now.requests == []


def test_the_register_shows_the_archive_state(login, record, save_page_now, archive):
    client = login("editor")
    register = reverse("wagtail_evidence:register")
    assert "Not archived" in page_text(client.get(register))
    archive(client, record)
    text = page_text(client.get(register))
    assert "archive: Done" in text


def test_a_rate_limit_is_retried_later_where_the_task_backend_can_wait(
    record, save_page_now, settings
):
    """With a backend that can defer (here django-tasks' dummy one, which
    keeps what is enqueued), the addresses left are tried again later; the
    state says when; the retry that succeeds leaves no problem behind."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    from django_tasks import default_task_backend

    from wagtail_evidence.archives import tasks

    SourceTask.objects.create(
        evidence=record,
        kind="archive",
        state="queued",
        requested_at=record.latest_revision.created_at,
    )
    save_page_now.behaviour = "429"
    tasks.archive_sources.call(record.pk)
    row = task_row(record)
    assert row.state == "queued" and row.retry_at is not None
    (retry,) = default_task_backend.results
    assert retry.args == [record.pk, [MEDIA, RELAY], 2]
    assert retry.task.run_after == row.retry_at
    save_page_now.behaviour = "ok"
    default_task_backend.clear()
    tasks.archive_sources.call(*retry.args)
    for _poll in range(2):  # the captures, asked about later: pending, then done
        (poll,) = default_task_backend.results
        default_task_backend.clear()
        poll.task.call(*poll.args)
    assert default_task_backend.results == []
    row = task_row(record)
    assert (row.state, row.problems) == ("done", [])
    assert ArchivedCopy.objects.filter(evidence=record).count() == 2


def test_nothing_is_archived_at_save_or_render(login, record, save_page_now, client):
    """Only an editor's request starts an archive: saving and publishing the
    record, and reading an article citing it, ask the service nothing."""
    desk = login("verifier")
    edit_url = reverse(
        "wagtailsnippets_wagtail_evidence_evidence:edit", args=[record.pk]
    )
    data = {**form_data(desk.get(edit_url)), "action-publish": "action-publish"}
    assert desk.post(edit_url, data).status_code == 302
    article = make_article([evidence_block(record)])
    assert client.get(article.url).status_code == 200
    assert save_page_now.requests == []
    assert not SourceTask.objects.exists()


# Save Page Now's jobs are polled by follow-up tasks, never by a sleeping one


@pytest.fixture
def worker_queue(settings):
    """django-tasks' dummy backend, which keeps what is enqueued (with its
    run_after) as a worker backend's queue would; ``run_next`` runs the oldest
    task as a worker would, when its time has come."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    from django_tasks import default_task_backend

    class Queue:
        results = default_task_backend.results

        def run_next(self):
            result = self.results.pop(0)
            result.task.call(*result.args, **result.kwargs)
            return result

    return Queue()


def spn_options(settings, **options):
    settings.WAGTAIL_EVIDENCE = {
        **settings.WAGTAIL_EVIDENCE,
        "ARCHIVE_OPTIONS": {**settings.WAGTAIL_EVIDENCE["ARCHIVE_OPTIONS"], **options},
    }


def spn_calls(save_page_now, method):
    return sum(r[0] == method for r in save_page_now.requests)


def test_a_pending_capture_is_polled_by_follow_up_tasks_not_by_a_wait(
    login, record, save_page_now, worker_queue, post, settings
):
    spn_options(settings, poll_interval=5)
    save_page_now.polls_before_success = 2  # pending twice, then done
    client = login("editor")
    page = post(client, sources_url(record), {"action": "archive"})
    assert "Queued" in page_text(page)

    started = worker_queue.run_next()  # archive_sources: asks, waits for nothing
    assert started.task.name == "archive_sources"
    assert (spn_calls(save_page_now, "POST"), spn_calls(save_page_now, "GET")) == (
        2,
        0,
    )
    for expected_gets in (2, 4):
        (poll,) = worker_queue.results
        assert poll.task.name == "poll_captures"
        # Enqueued to run later, not run now: no worker holds the wait.
        wait = (poll.task.run_after - poll.enqueued_at).total_seconds()
        assert 4 <= wait <= 5
        text = page_text(client.get(sources_url(record)))
        assert "Running (0 of 2 addresses)" in text
        worker_queue.run_next()
        assert spn_calls(save_page_now, "GET") == expected_gets
    (poll,) = worker_queue.results
    worker_queue.run_next()  # the third poll finds both captures done
    assert worker_queue.results == []
    row = task_row(record)
    assert (row.state, row.done, row.problems) == ("done", 2, [])
    assert ArchivedCopy.objects.filter(evidence=record).count() == 2
    text = page_text(client.get(sources_url(record)))
    assert "Done" in text and "Internet Archive, captured" in text
    done = ModelLogEntry.objects.get(
        object_id=str(record.pk), action="wagtail_evidence.archive_done"
    )
    assert done.data["new"] == 2


def run_until_empty(worker_queue, limit=50):
    for _step in range(limit):
        if not worker_queue.results:
            return
        worker_queue.run_next()
    raise AssertionError("the tasks never stopped enqueueing others")


def test_a_capture_still_pending_after_the_last_poll_has_timed_out(
    login, record, save_page_now, worker_queue, post, settings
):
    spn_options(settings, max_polls=3)
    save_page_now.polls_before_success = 99
    client = login("editor")
    post(client, sources_url(record), {"action": "archive"})
    run_until_empty(worker_queue)
    assert spn_calls(save_page_now, "GET") == 6  # three polls of each job
    row = task_row(record)
    assert row.state == "failed"
    assert [(p["code"], "after 3 polls" in p["detail"]) for p in row.problems] == [
        ("timeout", True),
        ("timeout", True),
    ]
    assert "did not answer in time" in page_text(client.get(sources_url(record)))


def test_polling_stops_at_the_overall_deadline(
    login, record, save_page_now, worker_queue, post, settings, monkeypatch
):
    """A poll that runs after the deadline (a worker that was busy) asks once
    more, and gives up if the capture is still pending, polls left or not."""
    spn_options(settings, max_wait=60)
    save_page_now.polls_before_success = 99
    client = login("editor")
    post(client, sources_url(record), {"action": "archive"})
    worker_queue.run_next()  # the captures are asked for
    worker_queue.run_next()  # a first poll: pending, another enqueued
    assert task_row(record).state == "running"
    from django.utils import timezone

    later = timezone.now() + timedelta(seconds=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    worker_queue.run_next()
    assert worker_queue.results == []
    assert spn_calls(save_page_now, "GET") == 4
    row = task_row(record)
    assert row.state == "failed"
    assert {p["code"] for p in row.problems} == {"timeout"}


def test_a_poll_of_an_earlier_run_does_nothing(
    login, record, save_page_now, worker_queue, post
):
    """An archive taken for lost and started again: the polls left of the
    first run neither ask the service nor touch the new run's state."""
    client = login("editor")
    post(client, sources_url(record), {"action": "archive"})
    worker_queue.run_next()
    (old_poll,) = worker_queue.results
    SourceTask.objects.filter(evidence=record).update(
        requested_at=task_row(record).requested_at - timedelta(hours=2)
    )
    post(client, sources_url(record), {"action": "archive"})  # a new run
    worker_queue.results.remove(old_poll)
    gets = spn_calls(save_page_now, "GET")
    old_poll.task.call(*old_poll.args)
    assert spn_calls(save_page_now, "GET") == gets
    assert task_row(record).state == "queued"


def test_a_rate_limit_while_a_capture_is_pending_is_retried_once_polling_ends(
    login, record, save_page_now, worker_queue, post
):
    """One run at a time: the retry the rate limit asks for is enqueued when
    the capture under way is done, not beside its polls."""
    save_page_now.behaviour = "429 after the first"
    client = login("editor")
    post(client, sources_url(record), {"action": "archive"})
    worker_queue.run_next()  # the media's capture starts; the relay's is refused
    assert [p["code"] for p in task_row(record).problems] == ["rate_limited"]
    assert [r.task.name for r in worker_queue.results] == ["poll_captures"]
    worker_queue.run_next()  # pending
    worker_queue.run_next()  # done: now the retry
    (retry,) = worker_queue.results
    assert retry.task.name == "archive_sources"
    assert retry.args == [record.pk, [RELAY], 2]
    row = task_row(record)
    assert (row.state, row.done) == ("queued", 1)
    assert retry.task.run_after == row.retry_at
    assert "It will be tried again at" in page_text(client.get(sources_url(record)))
    save_page_now.behaviour = "ok"
    run_until_empty(worker_queue)
    row = task_row(record)
    assert (row.state, row.done, row.problems) == ("done", 2, [])
    assert ArchivedCopy.objects.filter(evidence=record).count() == 2


def test_the_sources_page_lists_a_copy_with_an_unsafe_address_without_linking_it(
    login, record
):
    ArchivedCopy.objects.create(
        evidence=record,
        captured_url=record.media_url,
        archive_url="javascript:alert(1)",
        service="A broken backend",
        captured_at=datetime(2020, 11, 1, tzinfo=UTC),
    )

    page = BeautifulSoup(
        login("editor").get(sources_url(record)).content, "html.parser"
    )

    (item,) = [li for li in page.select("td li") if "A broken backend" in li.get_text()]
    assert item.select("a") == []
    assert "(not linked: its address is not a safe web address)" in item.get_text()
    assert "javascript" not in str(page.select_one("main"))

"""The rows kept behind the render cache (reader.stored_renders): what each
holds, when it is served, and what is never kept.

tests/test_render_cache.py reads every door a change comes through with the
cache emptied before each view, so from these rows; here, what the rows
themselves promise.
"""

import datetime
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from tests.exchange_files import csv_file, run_import
from tests.factories import evidence_block, make_article, make_evidence, make_poster
from wagtail_evidence.models import Evidence, StoredRender
from wagtail_evidence.reader.card import BLOCK_TEMPLATES
from wagtail_evidence.reader.render_cache import renew_render_token


pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence():
    return make_evidence()


@pytest.fixture
def article(evidence):
    return make_article([evidence_block(evidence, caption="First caption.")])


def read(client, article, empty_the_cache=True):
    """The article as a reader gets it; by default from an emptied cache, as
    after a restart or an eviction: what is kept comes from the rows."""
    if empty_the_cache:
        caches["default"].clear()
    response = client.get(article.url)
    assert response.status_code == 200
    return response.content.decode()


def rendered_anew(client, article):
    """Whether reading the article (from an emptied cache) rendered a block."""
    with CaptureQueriesContext(connection) as queries:
        read(client, article)
    return any("wagtail_evidence_credit" in q["sql"] for q in queries)


def test_each_language_keeps_its_own_row(client, article, evidence):
    locale, _created = Locale.objects.get_or_create(language_code="fr")
    french = article.copy_for_translation(locale, copy_parents=True)
    french.save_revision().publish()
    read(client, article)
    read(client, french)
    assert StoredRender.objects.filter(evidence=evidence).count() == 2
    assert not rendered_anew(client, article) and not rendered_anew(client, french)
    assert "Confirmed" in read(client, article)
    assert "Confirmé" in read(client, french) and "Confirmed" not in read(
        client, french
    )


@pytest.mark.parametrize("template", BLOCK_TEMPLATES)
def test_a_site_s_own_template_is_never_stored(
    client, article, settings, tmp_path, template
):
    """A site's template may change at any deploy, which no key sees: its HTML
    is cached, and expires with the cache, but never kept in a row, whichever
    of the block's templates it overrides."""
    path = tmp_path / "templates" / template
    path.parent.mkdir(parents=True)
    path.write_text("<p>Our own template.</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [str(tmp_path / "templates")]}
    ]
    assert "Our own template." in read(client, article, empty_the_cache=False)
    assert not StoredRender.objects.exists()
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": []}]
    read(client, article)  # the package's own again: stored
    assert StoredRender.objects.exists()


def test_a_row_past_its_age_is_rendered_and_stored_again(client, article, evidence):
    read(client, article)
    old = timezone.now() - datetime.timedelta(days=2)
    StoredRender.objects.update(rendered_at=old, html="<p>Stale row</p>")
    html = read(client, article)
    assert "Stale row" not in html and "First caption." in html
    [row] = StoredRender.objects.filter(evidence=evidence)
    assert row.rendered_at > old and "First caption." in row.html
    assert not rendered_anew(client, article)  # the new row is served


TABLE = StoredRender._meta.db_table


def refuse_inserts():
    """A trigger that makes the database itself refuse every new row, as a
    read-only replica would; dropped with the test's transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_rows() RETURNS trigger AS $$ BEGIN"
                " RAISE EXCEPTION 'read-only'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse BEFORE INSERT ON {TABLE}"
                " FOR EACH ROW EXECUTE FUNCTION refuse_rows()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER refuse BEFORE INSERT ON {TABLE}"
                " BEGIN SELECT RAISE(ABORT, 'read-only'); END"
            )


def test_a_database_that_refuses_the_rows_costs_speed_not_the_page(
    client, article, evidence
):
    """The refusal is the database's own, inside the request's transaction:
    without a savepoint, PostgreSQL would refuse every later query of it."""
    refuse_inserts()
    with transaction.atomic():  # as under ATOMIC_REQUESTS
        assert "First caption." in read(client, article)
        assert Evidence.objects.filter(pk=evidence.pk).exists()  # still usable
    assert "First caption." in read(client, article)
    assert not StoredRender.objects.exists()


def test_a_table_that_cannot_be_read_costs_speed_not_the_page(client, article):
    """A deploy that has not migrated yet, a permission refused: the page is
    rendered, and the request's transaction stays usable."""
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_away")
    with transaction.atomic():
        assert "First caption." in read(client, article)
        assert "First caption." in read(client, article)


def test_rows_read_go_back_in_the_cache(client, article):
    read(client, article)
    read(client, article)  # from the rows
    with CaptureQueriesContext(connection) as queries:
        read(client, article, empty_the_cache=False)
    assert not any(TABLE in q["sql"] for q in queries.captured_queries)


def test_without_an_age_a_row_is_served_until_its_record_changes(
    client, article, settings
):
    settings.WAGTAIL_EVIDENCE = {"STORED_RENDERS_MAX_AGE": None}
    read(client, article)
    StoredRender.objects.update(
        rendered_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert not rendered_anew(client, article)


def test_a_reader_ahead_of_the_commit_leaves_no_row_of_the_old_version(client):
    """A reader's request loaded the record before the desk's change committed,
    and stores its render after: that row is deleted, not left in the table."""
    located = make_evidence(
        title="Located",
        media_url="https://t.me/demo_observers/77",
        latitude="36.545123",
        longitude="37.055456",
        location_precision="vicinity",
    )
    article = make_article([evidence_block(located)], title="Located", slug="located")
    page = article.specific_class.objects.get(pk=article.pk)
    [block] = [child for child in page.body if child.block_type == "evidence"]  # loaded
    withheld = Evidence.objects.get(pk=located.pk)
    withheld.withhold_coordinates = True
    withheld.save_revision()  # withholds at once
    assert "36.545" in str(block.render())  # the reader's old copy, rendered late
    assert not StoredRender.objects.filter(html__contains="36.545").exists()
    assert "36.545" not in read(client, article)


def test_a_render_uses_the_block_as_it_is_now(evidence):
    """A block changed after its stream was converted is rendered, and keyed,
    as it is now."""
    article = make_article([evidence_block(evidence, caption="Old caption.")])
    page = article.specific_class.objects.get(pk=article.pk)
    [block] = [child for child in page.body if child.block_type == "evidence"]
    block.value["caption"] = "New caption."
    html = str(block.render())
    assert "New caption." in html and "Old caption." not in html


def test_the_prune_command_keeps_only_what_is_served(client, article, evidence):
    read(client, article)
    other = make_evidence(title="Another", media_url="https://t.me/demo_observers/9")
    read(client, make_article([evidence_block(other)], title="Other", slug="other"))
    old = timezone.now() - datetime.timedelta(days=2)
    StoredRender.objects.filter(evidence=other).update(rendered_at=old)
    outdated = StoredRender.objects.get(evidence=evidence)
    StoredRender.objects.create(
        key="0" * 64,
        evidence=evidence,
        render_token="an-older-token",
        html="<p>An older version</p>",
        rendered_at=timezone.now(),
    )
    out = StringIO()
    call_command("prune_stored_renders", stdout=out)
    assert out.getvalue() == "2 stored evidence blocks deleted.\n"
    assert list(StoredRender.objects.all()) == [outdated]
    call_command("prune_stored_renders", "--all", stdout=out)
    assert not StoredRender.objects.exists()


@pytest.mark.parametrize(
    "setting", [{"STORED_RENDERS": False}, {"RENDER_CACHE": None}], ids=str
)
def test_nothing_is_kept_when_turned_off(client, article, settings, setting):
    settings.WAGTAIL_EVIDENCE = setting
    assert "First caption." in read(client, article)
    assert not StoredRender.objects.exists()
    assert rendered_anew(client, article)


def test_a_deleted_record_takes_its_rows(client, article, evidence):
    read(client, article)
    assert StoredRender.objects.exists()
    Evidence.objects.filter(pk=evidence.pk).delete()
    assert not StoredRender.objects.exists()


@pytest.mark.parametrize(
    "renew",
    [
        pytest.param(lambda evidence: evidence.save(), id="a save"),
        pytest.param(
            lambda evidence: renew_render_token(
                Evidence.objects.filter(pk=evidence.pk)
            ),
            id="a renewal behind Django's back",
        ),
        pytest.param(
            lambda evidence: evidence.credits.first().delete(),
            id="a credit deleted on its own",
        ),
    ],
)
def test_a_renewed_token_forgets_the_records_rows(client, article, evidence, renew):
    """A row no key names again is deleted with the renewal, not left behind."""
    other = make_evidence(title="Another", media_url="https://t.me/demo_observers/9")
    make_article([evidence_block(other)], title="Other", slug="other-article")
    read(client, article)
    read(client, make_article([evidence_block(other)], title="Third", slug="third"))
    renew(Evidence.objects.get(pk=evidence.pk))
    assert not StoredRender.objects.filter(evidence=evidence).exists()
    assert StoredRender.objects.filter(evidence=other).exists()  # the others stay


def test_a_draft_that_withholds_the_place_forgets_the_rows_at_once(client):
    """Withholding protects people on the ground: the rows that printed the
    coordinates go with the draft that withholds them, unpublished."""
    evidence = make_evidence(
        latitude="36.545123", longitude="37.055456", location_precision="vicinity"
    )
    article = make_article([evidence_block(evidence)])
    assert "36.545" in read(client, article)
    assert StoredRender.objects.filter(html__contains="36.545").exists()
    draft = Evidence.objects.get(pk=evidence.pk)
    draft.withhold_coordinates = True
    draft.save_revision()
    assert not StoredRender.objects.filter(html__contains="36.545").exists()
    assert "36.545" not in read(client, article)


def test_an_import_that_changes_a_record_forgets_its_rows(
    client, article, evidence, tmp_path, users
):
    read(client, article)
    assert StoredRender.objects.filter(evidence=evidence).exists()
    content = csv_file(
        ["media_url", "description"],
        [evidence.media_url, "A description the desk will review."],
    )
    run_import(tmp_path, content, "--user", "editor")
    assert not StoredRender.objects.filter(evidence=evidence).exists()
    html = read(client, article)
    assert "A description the desk will review." not in html  # a draft, unpublished


def test_a_move_of_the_files_is_seen_by_the_key(client, evidence, settings):
    """Where files are served from is part of the key: rows printed with the
    old address are not served once it changes."""
    evidence.poster = make_poster()
    evidence.save_revision().publish()
    article = make_article([evidence_block(evidence)])
    assert f'src="{settings.MEDIA_URL}' in read(client, article)
    settings.MEDIA_URL = "https://files.example.org/media/"
    assert 'src="https://files.example.org/media/' in read(client, article)


def test_rows_stored_before_the_commit_go_once_it_commits(
    client, evidence, django_capture_on_commit_callbacks
):
    """A reader that loaded the record before a poster's deletion committed
    stores a row of the old token in between: the commit deletes it, although
    the deletion has by then cleared the record's link to the poster."""
    evidence.poster = make_poster()
    evidence.save_revision().publish()
    article = make_article([evidence_block(evidence)], title="Posted", slug="posted")
    read(client, article)
    [row] = StoredRender.objects.filter(evidence=evidence)
    with django_capture_on_commit_callbacks(execute=True):
        Evidence.objects.get(pk=evidence.pk).poster.delete()
        assert not StoredRender.objects.filter(evidence=evidence).exists()
        row.save()  # the late reader's row, of the token before the deletion
    assert not StoredRender.objects.filter(evidence=evidence).exists()


def test_a_row_put_back_in_the_cache_is_kept_no_longer_than_its_age_allows(
    client, article, monkeypatch
):
    from django.core.cache.backends.locmem import LocMemCache

    read(client, article)
    StoredRender.objects.update(
        rendered_at=timezone.now() - datetime.timedelta(seconds=3600 - 100)
    )
    timeouts, real_set_many = [], LocMemCache.set_many

    def spy_set_many(cache, data, timeout=None, **kwargs):
        if any(key.startswith("wagtail_evidence:block:") for key in data):
            timeouts.append(timeout)
        return real_set_many(cache, data, timeout, **kwargs)

    monkeypatch.setattr(LocMemCache, "set_many", spy_set_many)
    assert not rendered_anew(client, article)  # served from the row
    [timeout] = timeouts
    assert 90 <= timeout <= 100  # not RENDER_CACHE_TIMEOUT's 600

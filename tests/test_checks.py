"""The package's system checks W002 to W004, run through Django's check
framework as `manage.py check` runs them. (W001 is tested with the scheduled
publishing it protects, in test_publish_gate.py.)"""

import io

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import DatabaseError, connection
from wagtail.models import Workflow, WorkflowContentType, WorkflowPage

from tests.factories import (
    evidence_block,
    home_page,
    make_article,
    make_article_workflow,
    make_evidence,
)
from tests.testapp.models import ArticlePage
from wagtail_evidence import checks
from wagtail_evidence.editorial.roles import setup_roles
from wagtail_evidence.media.providers import (
    DEFAULT_PROVIDER_CLASSES,
    Provider,
    player_frame_sources,
)
from wagtail_evidence.models import EvidenceCheckTask


YOUTUBE = "https://www.youtube-nocookie.com"


def found(check_id, databases=(), **kwargs):
    """The messages of one id that the package's checks give. No database unless
    asked: Django 6.1 gives a run by tag every database when none is named."""
    return [
        message
        for message in run_checks(
            tags=[checks.TAG], databases=list(databases), **kwargs
        )
        if message.id == check_id
    ]


def found_with_database(check_id):
    return found(check_id, databases=["default"])


def test_the_test_settings_raise_nothing_of_ours(checked):
    ours = [
        m.id
        for m in run_checks(databases=["default"])
        if m.id.startswith("wagtail_evidence.")
    ]
    assert ours == []


# W002: articles outside an evidence-check workflow ---------------------------


@pytest.fixture
def workflow(db):
    setup_roles()
    return (
        make_article_workflow()
    )  # the evidence check, then approval, on the home page


@pytest.fixture
def checked(workflow):
    """A live article citing a live record, under the evidence check."""
    return make_article(
        [evidence_block(make_evidence())], title="Checked", slug="checked"
    )


@pytest.fixture
def unchecked(db):
    # Wagtail's migrations give the root page its "Moderators approval"
    # workflow, which has no evidence check: this article falls under it.
    return make_article([], publish=False, title="Unchecked", slug="unchecked")


def test_w002_is_quiet_on_a_site_with_no_article_yet(db):
    # A new site, and the test database Django's test runner checks.
    assert not ArticlePage.objects.exists()
    assert found_with_database("wagtail_evidence.W002") == []


def test_w002_names_the_article_type_and_pages_outside_the_check(unchecked):
    [warning] = found_with_database("wagtail_evidence.W002")
    assert warning.obj is ArticlePage
    assert (
        "1 of the 1 pages of this article type can be published without the evidence check"
        in warning.msg
    )
    assert f"“Unchecked” (id {unchecked.pk})" in warning.msg
    assert "WorkflowContentType" not in warning.hint


def test_w002_needs_the_database_option(unchecked):
    # Plain `manage.py check` (runserver, collectstatic...) never reads the database.
    assert found("wagtail_evidence.W002") == []
    assert [m.id for m in found("wagtail_evidence.W002", databases=["default"])] == [
        "wagtail_evidence.W002"
    ]


def test_w002_through_manage_py_check_database(unchecked):
    out, err = io.StringIO(), io.StringIO()
    call_command("check", "--database", "default", stdout=out, stderr=err)
    assert "testapp.ArticlePage: (wagtail_evidence.W002)" in err.getvalue()
    plain = io.StringIO()
    call_command("check", stdout=out, stderr=plain)
    assert "wagtail_evidence.W002" not in plain.getvalue()


def test_w002_is_quiet_under_a_workflow_assigned_to_an_ancestor(workflow, unchecked):
    assert found_with_database("wagtail_evidence.W002") == []


def test_w002_is_quiet_under_a_workflow_assigned_to_the_page_itself(unchecked):
    setup_roles()
    workflow = make_article_workflow()
    WorkflowPage.objects.filter(workflow=workflow).update(page=unchecked)
    assert WorkflowPage.objects.get(workflow=workflow).page_id == unchecked.pk
    assert found_with_database("wagtail_evidence.W002") == []


def test_w002_fires_when_the_workflow_is_inactive(workflow, unchecked):
    Workflow.objects.filter(pk=workflow.pk).update(
        active=False
    )  # deactivate() would also unassign it
    assert len(found_with_database("wagtail_evidence.W002")) == 1


def test_w002_fires_when_the_evidence_check_task_is_inactive(workflow, unchecked):
    EvidenceCheckTask.objects.update(active=False)  # Wagtail skips inactive tasks
    assert len(found_with_database("wagtail_evidence.W002")) == 1


def test_w002_fires_when_the_workflow_has_no_evidence_check(workflow, unchecked):
    EvidenceCheckTask.objects.all().delete()
    assert len(found_with_database("wagtail_evidence.W002")) == 1


def test_w002_follows_the_nearest_workflow_like_wagtail(workflow, unchecked):
    checked = make_article([], publish=False, title="Checked", slug="checked")
    without_check = Workflow.objects.get(name="Moderators approval")
    WorkflowPage.objects.create(workflow=without_check, page=unchecked)
    assert checked.get_workflow() == workflow
    assert unchecked.get_workflow() == without_check

    [warning] = found_with_database("wagtail_evidence.W002")
    assert "1 of the 2 pages" in warning.msg
    assert "“Unchecked”" in warning.msg
    assert "“Checked”" not in warning.msg


def test_w002_does_not_count_a_workflow_assigned_to_the_page_type(unchecked):
    # Wagtail 7.4 and 8.0 read WorkflowContentType for snippets only; pages get
    # the workflow of the page or its nearest ancestor.
    from django.contrib.contenttypes.models import ContentType

    setup_roles()
    workflow = make_article_workflow()
    WorkflowPage.objects.filter(workflow=workflow).delete()
    WorkflowContentType.objects.create(
        workflow=workflow, content_type=ContentType.objects.get_for_model(ArticlePage)
    )
    assert ArticlePage.objects.get(pk=unchecked.pk).get_workflow() != workflow

    [warning] = found_with_database("wagtail_evidence.W002")
    assert "WorkflowContentType" in warning.hint


def test_w002_fires_when_workflows_are_turned_off(checked, settings):
    settings.WAGTAIL_WORKFLOW_ENABLED = False
    [warning] = found_with_database("wagtail_evidence.W002")
    assert "WAGTAIL_WORKFLOW_ENABLED is False" in warning.msg
    assert "testapp.ArticlePage" in warning.msg


def test_w002_is_quiet_with_workflows_turned_off_and_no_article(db, settings):
    settings.WAGTAIL_WORKFLOW_ENABLED = False
    home_page()
    assert found_with_database("wagtail_evidence.W002") == []


def test_w002_is_quiet_before_its_tables_exist(unchecked, monkeypatch):
    # As `migrate` checks an empty database before creating the tables.
    monkeypatch.setattr(
        connection.introspection, "table_names", lambda *args, **kwargs: []
    )
    assert found_with_database("wagtail_evidence.W002") == []


def test_w002_is_quiet_when_its_query_fails_on_a_half_migrated_database(
    unchecked, monkeypatch
):
    def fail(alias):
        raise DatabaseError("no such column")

    monkeypatch.setattr(checks.workflow, "evidence_workflow_warnings", fail)
    assert found_with_database("wagtail_evidence.W002") == []
    assert ArticlePage.objects.filter(
        pk=unchecked.pk
    ).exists()  # the connection is still usable


# W003: a Content Security Policy that blocks the players ---------------------


class VideoHub(Provider):
    name = "videohub"
    player_origin = "https://player.videohub.example"


class LinkOnly(Provider):
    name = "linkonly"


@pytest.fixture
def youtube_only(settings):
    settings.WAGTAIL_EVIDENCE = {
        "PROVIDERS": ["wagtail_evidence.media.providers.YouTube"]
    }
    return settings


def frame_policy(settings, frame_src, setting_name="CONTENT_SECURITY_POLICY"):
    setattr(
        settings,
        setting_name,
        {"DIRECTIVES": {"default-src": ["'self'"], "frame-src": frame_src}},
    )


@pytest.mark.parametrize(
    "frame_src",
    [
        [YOUTUBE],
        ["HTTPS://WWW.YouTube-NoCookie.com"],
        ["www.youtube-nocookie.com"],  # no scheme: the page's, http or https
        ["http://www.youtube-nocookie.com"],  # http also allows https
        ["https://*.youtube-nocookie.com"],
        ["*.youtube-nocookie.com"],
        ["https:"],
        ["http:"],
        ["*"],
        ["https://www.youtube-nocookie.com:443"],
        ["https://www.youtube-nocookie.com:*"],
        ["https://www.youtube-nocookie.com/embed/"],  # paths are not compared
        ["'none'", YOUTUBE],  # 'none' next to other sources is ignored
        f"'self' {YOUTUBE}",  # one string, as django-csp accepts
        ("'self'", YOUTUBE),
    ],
)
def test_w003_is_quiet_when_frame_src_allows_the_player(youtube_only, frame_src):
    frame_policy(youtube_only, frame_src)
    assert found("wagtail_evidence.W003") == []


@pytest.mark.parametrize(
    "frame_src",
    [
        ["'none'"],
        [],  # a directive with no source allows nothing
        ["'self'"],
        ["'unsafe-inline'", "'nonce-abc'", "'sha256-abc'"],
        ["https://youtube-nocookie.com"],  # *. is not the domain itself
        ["https://*.www.youtube-nocookie.com"],
        ["https://www.youtube.com"],
        ["https://www.youtube-nocookie.com:8443"],
        ["data:", "blob:", "ftp:"],
        ["https://www.youtube-nocookie.com.evil.example"],
    ],
)
def test_w003_fires_when_frame_src_does_not_allow_the_player(youtube_only, frame_src):
    frame_policy(youtube_only, frame_src)
    [warning] = found("wagtail_evidence.W003")
    assert warning.msg == (
        "The Content Security Policy in CONTENT_SECURITY_POLICY blocks the players of "
        f"these providers: its frame-src does not allow youtube ({YOUTUBE})."
    )
    assert "player_frame_sources()" in warning.hint


def test_w003_follows_frames_to_child_src_then_default_src(youtube_only):
    youtube_only.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "child-src": [YOUTUBE]}
    }
    assert found("wagtail_evidence.W003") == []

    youtube_only.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["*"], "child-src": ["'self'"]}
    }
    [warning] = found("wagtail_evidence.W003")
    assert (
        "its child-src, which frames fall back to as it has no frame-src,"
        in warning.msg
    )

    youtube_only.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'"]}
    }
    [warning] = found("wagtail_evidence.W003")
    assert (
        "its default-src, which frames fall back to as it has no frame-src or child-src,"
        in warning.msg
    )

    youtube_only.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'none'"], "frame-src": [YOUTUBE]}
    }
    assert found("wagtail_evidence.W003") == []


def test_w003_is_quiet_when_no_directive_restricts_frames(youtube_only):
    youtube_only.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": None, "script-src": ["'self'"]}
    }
    assert found("wagtail_evidence.W003") == []


def test_w003_reads_django_csps_default_of_default_src_self(youtube_only):
    # A policy that names no directive still sends django-csp's default-src 'self'.
    youtube_only.CONTENT_SECURITY_POLICY = {"EXCLUDE_URL_PREFIXES": ["/admin/"]}
    assert [m.id for m in found("wagtail_evidence.W003")] == ["wagtail_evidence.W003"]


def test_w003_is_quiet_without_a_policy(youtube_only):
    # Nothing blocks the players, and whether to have a policy is the project's call.
    del youtube_only.CONTENT_SECURITY_POLICY
    assert found("wagtail_evidence.W003") == []
    youtube_only.CONTENT_SECURITY_POLICY = {}
    assert found("wagtail_evidence.W003") == []


def test_w003_is_quiet_when_the_csp_middleware_is_not_used(youtube_only):
    frame_policy(youtube_only, ["'none'"])
    youtube_only.MIDDLEWARE = [
        m for m in youtube_only.MIDDLEWARE if m != checks.csp.CSP_MIDDLEWARE
    ]
    assert found("wagtail_evidence.W003") == []


def test_w003_reads_the_report_only_policy_too(youtube_only):
    frame_policy(youtube_only, ["'none'"], "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    [warning] = found("wagtail_evidence.W003")
    assert warning.msg.startswith(
        "The Content Security Policy in CONTENT_SECURITY_POLICY_REPORT_ONLY reports the "
        "players of these providers as violations, and would block them once enforced"
    )
    frame_policy(youtube_only, ["'self'"])
    assert len(found("wagtail_evidence.W003")) == 2


def test_w003_checks_every_configured_provider(settings):
    settings.WAGTAIL_EVIDENCE = {
        "PROVIDERS": [
            *(
                f"{cls.__module__}.{cls.__qualname__}"
                for cls in DEFAULT_PROVIDER_CLASSES
            ),
            "tests.test_checks.VideoHub",
            "tests.test_checks.LinkOnly",
        ]
    }
    # The test settings' policy allows the built-in players only.
    [warning] = found("wagtail_evidence.W003")
    assert warning.msg.endswith(
        "its frame-src does not allow videohub (https://player.videohub.example)."
    )

    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            "frame-src": player_frame_sources([*DEFAULT_PROVIDER_CLASSES, VideoHub])
        }
    }
    assert found("wagtail_evidence.W003") == []

    frame_policy(settings, player_frame_sources()[1:])  # one built-in origin missing
    [warning] = found("wagtail_evidence.W003")
    assert "https://platform.twitter.com" in warning.msg


# W004: cached pages that nothing purges --------------------------------------


@pytest.fixture
def frontend_cache_missing(monkeypatch):
    # Removing the app for real would re-populate the app registry mid-run.
    monkeypatch.setattr(
        checks.frontend_cache, "frontend_cache_installed", lambda: False
    )


def test_w004_is_quiet_with_the_frontend_cache_installed(settings):
    assert (
        checks.frontend_cache.frontend_cache_installed()
    )  # the test settings install it
    settings.MIDDLEWARE = [
        "django.middleware.cache.UpdateCacheMiddleware",
        *settings.MIDDLEWARE,
    ]
    assert found("wagtail_evidence.W004") == []


def test_w004_fires_when_wagtailfrontendcache_is_set_without_the_app(
    frontend_cache_missing,
):
    [warning] = found("wagtail_evidence.W004")
    assert warning.msg.startswith(
        "WAGTAILFRONTENDCACHE is set, but 'wagtail.contrib.frontend_cache' is not in INSTALLED_APPS"
    )
    assert warning.hint == "Add 'wagtail.contrib.frontend_cache' to INSTALLED_APPS."


def test_w004_reads_the_legacy_location_setting(frontend_cache_missing, settings):
    del settings.WAGTAILFRONTENDCACHE
    settings.WAGTAILFRONTENDCACHE_LOCATION = "http://127.0.0.1:8000"
    [warning] = found("wagtail_evidence.W004")
    assert warning.msg.startswith("WAGTAILFRONTENDCACHE_LOCATION is set")


@pytest.mark.parametrize(
    "middleware",
    [
        [
            "django.middleware.cache.UpdateCacheMiddleware",
            "django.middleware.cache.FetchFromCacheMiddleware",
        ],
        ["django.middleware.cache.FetchFromCacheMiddleware"],
        ["django.middleware.cache.CacheMiddleware"],
    ],
)
def test_w004_fires_when_django_caches_pages_without_the_app(
    frontend_cache_missing, settings, middleware
):
    del settings.WAGTAILFRONTENDCACHE
    settings.MIDDLEWARE = [middleware[0], *settings.MIDDLEWARE, *middleware[1:]]
    [warning] = found("wagtail_evidence.W004")
    assert warning.msg.startswith("Django's cache middleware caches your pages")
    assert "CACHE_MIDDLEWARE_SECONDS" in warning.hint


def test_w004_is_quiet_when_nothing_caches_pages(frontend_cache_missing, settings):
    # The example site: no cache middleware, no WAGTAILFRONTENDCACHE.
    del settings.WAGTAILFRONTENDCACHE
    assert found("wagtail_evidence.W004") == []

import os
import socket
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import clear_url_caches

from tests import progress
from tests.redis_server import (  # noqa: F401 - fixtures for the tests that need Redis
    redis_cache,
    redis_database,
    redis_url,
    rq_tasks,
)


# Helpers that the test modules share: their asserts explain themselves too.
pytest.register_assert_rewrite(
    "tests.reading", "tests.json_ld_rules", "tests.browser.chromium"
)

# The suite runs on its own site, tests/testapp (tests/settings.py); the demo's
# own tests, in tests/demo, on the demo's settings. One run each:
#   pytest
#   pytest --ds tests.demo.settings tests/demo
DEMO_TESTS = Path(__file__).parent / "demo"
DEMO_SETTINGS = "tests.demo.settings"
PASSWORD = "password-for-tests"  # the users fixture's
LOOPBACK_PREFIXES = ("127.", "::1", "localhost")


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any test that tries to reach a host other than this machine."""
    real_connect = socket.socket.connect

    def guarded_connect(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (
            host.startswith(LOOPBACK_PREFIXES) or sock.family == socket.AF_UNIX
        ):
            return real_connect(sock, address)
        raise AssertionError(f"test tried to reach the network: {address!r}")

    real_getaddrinfo = socket.getaddrinfo

    def guarded_getaddrinfo(host, *args, **kwargs):
        if host is None or str(host).startswith(LOOPBACK_PREFIXES):
            return real_getaddrinfo(host, *args, **kwargs)
        raise AssertionError(f"test tried to look up a host: {host!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


@pytest.fixture(autouse=True)
def empty_local_cache():
    """Each test starts with an empty default cache (this process's memory):
    Wagtail keeps renditions there by image id, and ids come back once a test's
    transaction is undone, so an image of an earlier test could lend a later
    one its rendition."""
    from django.core.cache import caches

    caches["default"].clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def users(db):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from wagtail_evidence.editorial.roles import (
        EDITORS,
        MODERATORS,
        VERIFICATION_DESK,
        setup_roles,
    )

    setup_roles()
    User = get_user_model()
    made = {
        "admin": User.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    }
    for name, group in (
        ("editor", EDITORS),
        ("verifier", VERIFICATION_DESK),
        ("moderator", MODERATORS),
    ):
        user = User.objects.create_user(name, f"{name}@example.org", PASSWORD)
        user.groups.add(Group.objects.get(name=group))
        made[name] = user
    return made


@pytest.fixture
def login(client, users):
    def log_in(username):
        client.force_login(users[username])
        return client

    return log_in


@pytest.fixture(scope="session")
def pristine_database(django_db_setup, django_db_blocker):
    """The freshly migrated database, serialised once: Wagtail's migrations create
    rows (root page, locale, site, root collection, groups) that a transactional
    test's flush removes and that every site stands on."""
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture
def migrated_database(transactional_db, pristine_database):
    """A transactional database holding the rows its migrations created, whatever
    an earlier transactional test's flush removed (tests run in any order, and
    in several processes)."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import connection
    from wagtail.models import Page

    if not Page.objects.exists():
        # As Django's serialized rollback does: empty every table, content types
        # included, then restore them all with their original keys.
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(pristine_database)
        ContentType.objects.clear_cache()  # ids may differ from the cached ones
        # Rows came back with their keys; move PostgreSQL's sequences past them,
        # as loaddata does (SQLite needs nothing).
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(sql)


@receiver(setting_changed)
def forget_url_prefixes_of_another_default_language(setting, **kwargs):
    """Django's resolver keeps a reverse table per language, built with that
    day's LANGUAGE_CODE: a test that made French the default would leave
    French pages without their /fr/ prefix for the tests after it."""
    if setting in ("LANGUAGE_CODE", "LANGUAGES"):
        clear_url_caches()


def pytest_configure(config):
    # With -n (as make test runs), a line per test file rather than a dot per test.
    progress.register(config)


def pytest_collection_modifyitems(config, items):
    # The browser tests run in the main cell of the version matrix only (noxfile.py).
    for item in items:
        if "browser" in item.nodeid.split("::")[0].split("/")[:-1]:
            item.add_marker(pytest.mark.browser)


def pytest_ignore_collect(collection_path, config):
    """Each run collects its own site's tests only, whatever paths it is given
    above them: the demo's tests need the demo's settings, and the others never
    run on them."""
    in_demo = collection_path == DEMO_TESTS or DEMO_TESTS in collection_path.parents
    if os.environ.get("DJANGO_SETTINGS_MODULE") == DEMO_SETTINGS:
        return None if in_demo or collection_path in DEMO_TESTS.parents else True
    return True if in_demo else None

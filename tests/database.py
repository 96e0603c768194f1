"""Where the suite's SQLite test database lives: in a file, never in memory.

The browser tests' live server answers each request in a thread of its own. On
an in-memory SQLite database Django hands those threads the test's own
connection, so a request still running when a test ends (the page editor's
pings) collides with the test's teardown: "database table is locked". A file
gives every thread a connection of its own, which waits for a lock instead.
The database the suite is configured with must not be in memory either: the
live server, started before the test database exists, would still share the
test's connection (and two threads closing and using one connection crash).
Measured on three of the slowest test files, the file costs no time.
"""

import os
import tempfile


def sqlite_test_database_in_a_file(database):
    """``database`` (one entry of DATABASES) with its SQLite test database in a
    file of this process's own; xdist's workers add their suffix to the name."""
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tempfile.gettempdir()
        if database["NAME"] in ("", ":memory:"):
            database["NAME"] = os.path.join(folder, "wagtail-evidence.sqlite3")
        name = f"wagtail-evidence-tests-{os.getpid()}.sqlite3"
        database.setdefault("TEST", {})["NAME"] = os.path.join(folder, name)
    return database

"""Where the suite's SQLite test database lives: in a file, never in memory.

The browser tests' live server answers each request in a thread of its own. On
an in-memory SQLite database Django hands those threads the test's own
connection, so a request still running when a test ends (the page editor's
pings) collides with the test's teardown: "database table is locked". A file
gives every thread a connection of its own, which waits for a lock instead.
The database the suite is configured with must not be in memory either: the
live server, started before the test database exists, would still share the
test's connection (and two threads closing and using one connection crash).
The file goes in memory after all where the system keeps a folder there
(/dev/shm, on Linux): the transactional tests commit often, and a disk's
flushes made the browser tests a fifth slower.
"""

import os
import tempfile


MEMORY_FOLDER = "/dev/shm"  # noqa: S108 (each file in it is named for its process)


def sqlite_test_database_in_a_file(database):
    """``database`` (one entry of DATABASES) with its SQLite test database in a
    file of this process's own; xdist's workers add their suffix to the name."""
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = (
            MEMORY_FOLDER if os.path.isdir(MEMORY_FOLDER) else tempfile.gettempdir()
        )
        if database["NAME"] in ("", ":memory:"):
            database["NAME"] = os.path.join(folder, "wagtail-evidence.sqlite3")
        name = f"wagtail-evidence-tests-{os.getpid()}.sqlite3"
        database.setdefault("TEST", {})["NAME"] = os.path.join(folder, name)
    return database

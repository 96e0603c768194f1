"""The line of a file on which each record was first given, for the whole file.

An import refuses a record given twice and names the first line. Holding every
address of the file in a dict made the import's memory grow with the file
(issue 15), so the addresses are kept in a private temporary SQLite database:
SQLite keeps it in a small page cache and spills the rest to a temporary file
on disk, removed when the database is closed. Memory stays flat whatever the
file's size; each address costs two indexed statements.

The temporary file goes where SQLite puts them: the folder SQLITE_TMPDIR names,
else TMPDIR, else /var/tmp or /tmp. If it cannot be written (full, read-only),
the import stops with a WorkingSpaceError saying so, and writes nothing.
"""

import sqlite3

from django.utils.translation import gettext as _


PAGE_CACHE_KIB = 256  # SQLite's page cache for the index: what it may hold in memory


class WorkingSpaceError(Exception):
    """The temporary folder refused the import's notes; the message says so."""

    def __init__(self, error):
        super().__init__(
            _(
                "The import could not keep its notes of the file's addresses in "
                "this server's temporary folder (%(error)s). Free space there, or "
                "have SQLITE_TMPDIR name another folder, and import the file again."
            )
            % {"error": error}
        )


class FirstLines:
    def __init__(self):
        try:
            self.open()
        except sqlite3.OperationalError as error:
            raise WorkingSpaceError(error) from error

    def open(self):
        # "" opens a private temporary database, on disk once its cache is full.
        # Private to one import, which may be read from another thread (a
        # streamed response): no thread owns it.
        self.database = sqlite3.connect(
            "", isolation_level=None, check_same_thread=False
        )
        self.database.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
        # A throwaway index: no journal, no syncing to disk.
        self.database.execute("PRAGMA journal_mode = OFF")
        self.database.execute("PRAGMA synchronous = OFF")
        self.database.execute(
            "CREATE TABLE first_line (key TEXT PRIMARY KEY, line INTEGER) WITHOUT ROWID"
        )

    def setdefault(self, key, line):
        """The line ``key`` was first given on: ``line`` if this is the first time."""
        try:
            found = self.database.execute(
                "SELECT line FROM first_line WHERE key = ?", (key,)
            ).fetchone()
            if found is not None:
                return found[0]
            self.database.execute("INSERT INTO first_line VALUES (?, ?)", (key, line))
        except sqlite3.OperationalError as error:
            raise WorkingSpaceError(error) from error
        return line

    def close(self):
        self.database.close()

"""The line of a file on which each record was first given, for the whole file.

An import refuses a record given twice and names the first line. Holding every
address of the file in a dict made the import's memory grow with the file
(issue 15), so the addresses are kept in a private temporary SQLite database:
SQLite keeps it in a small page cache and spills the rest to a temporary file
on disk, removed when the database is closed. Memory stays flat whatever the
file's size; each address costs two indexed statements.
"""

import sqlite3


PAGE_CACHE_KIB = 256  # SQLite's page cache for the index: what it may hold in memory


class FirstLines:
    def __init__(self):
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
        found = self.database.execute(
            "SELECT line FROM first_line WHERE key = ?", (key,)
        ).fetchone()
        if found is not None:
            return found[0]
        self.database.execute("INSERT INTO first_line VALUES (?, ?)", (key, line))
        return line

    def close(self):
        self.database.close()

"""A private SQLite file that staged import rows are bulk-written to, as Arrow, with ADBC.

Binding a million rows one value at a time through the ``sqlite3`` module costs seconds; the ADBC
SQLite driver takes a whole batch as Arrow memory (which polars hands over without a copy) and
inserts it in C. The driver has its own SQLite connection, so it cannot write into the catalogue
connection's temporary tables or transaction. It writes to a scratch file instead; once every
batch is in and the driver's connection is closed, the catalogue connection ATTACHes the file and
checks and merges from there. The two connections never use the file at the same time, so their
locks never meet.

Only the low-level ``adbc_driver_manager`` API is used: its DB-API module imports pyarrow and
pandas, about 95 MB of memory for nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import adbc_driver_manager as adbc
import adbc_driver_sqlite
import polars as pl

SCRATCH_FILE = "staging.sqlite"


class ScratchWriter:
    """Appends polars frames to one table of a new scratch SQLite file."""

    def __init__(self, table: str, create_sql: str) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="advocacy-import-"))
        self.path = self.directory / SCRATCH_FILE
        self.table = table
        self._create_sql = create_sql
        self._database = adbc_driver_sqlite.connect(str(self.path))
        self._connection = adbc.AdbcConnection(self._database)
        # The file is thrown away after the import: no journal and no fsync are needed.
        self._run("PRAGMA journal_mode=OFF", returns_rows=True)
        self._run("PRAGMA synchronous=OFF")
        self._connection.set_autocommit(False)
        self._run(create_sql)
        self._open = True

    def _run(self, sql: str, *, returns_rows: bool = False) -> None:
        statement = adbc.AdbcStatement(self._connection)
        try:
            statement.set_sql_query(sql)
            if returns_rows:
                # The result stream must be consumed (here: released) before the statement closes.
                stream, _ = statement.execute_query()
                del stream
            else:
                statement.execute_update()
        finally:
            statement.close()

    def add(self, frame: pl.DataFrame) -> None:
        """Append ``frame``, whose column names are the table's."""
        statement = adbc.AdbcStatement(self._connection)
        try:
            statement.set_options(
                **{
                    adbc.INGEST_OPTION_TARGET_TABLE: self.table,
                    adbc.INGEST_OPTION_MODE: adbc.INGEST_OPTION_MODE_APPEND,
                }
            )
            statement.bind_stream(frame.__arrow_c_stream__())
            statement.execute_update()
        finally:
            statement.close()

    def clear(self) -> None:
        """Start the table again empty (the file is being read a second time)."""
        self._run(f"DELETE FROM {self.table}")

    def close(self) -> Path:
        """Commit and close the driver's connection; the file is then ready to be attached."""
        if self._open:
            self._open = False
            self._connection.commit()
            self._connection.close()
            self._database.close()
        return self.path

    def remove(self) -> None:
        """Close without keeping anything and delete the scratch file."""
        if self._open:
            self._open = False
            self._connection.rollback()
            self._connection.close()
            self._database.close()
        shutil.rmtree(self.directory, ignore_errors=True)

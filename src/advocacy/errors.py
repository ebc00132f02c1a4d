"""The exception tree of Advocacy.

Every error a user can cause is an :class:`AdvocacyError`; the CLI turns it into a message and an
exit code in one place (``advocacy.cli.main``), and the web layer will map it to an HTTP status.
A traceback is a bug.

::

    AdvocacyError                    exit 1
    ├── ConfigurationError           exit 78  bad settings or database URL
    ├── DatabaseError                exit 75  the database cannot be reached or is not migrated
    ├── NotFound                     exit 66  no record with that id
    └── InvalidInput                 exit 65  the input cannot be used
        ├── InvalidFile              exit 65  the whole file is unusable (format, encoding, header)
        └── ImportRejected           exit 65  some rows are bad; nothing was imported
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class AdvocacyError(Exception):
    """Base class of every error Advocacy reports to its users."""

    exit_code = 1


class ConfigurationError(AdvocacyError):
    """A setting or a database URL is wrong."""

    exit_code = 78


class DatabaseError(AdvocacyError):
    """The database cannot be reached, or its schema is not the one this version needs."""

    exit_code = 75


class NotFound(AdvocacyError):
    """No record with the id asked for."""

    exit_code = 66


class InvalidInput(AdvocacyError):
    """The input cannot be used as it is."""

    exit_code = 65


class InvalidFile(InvalidInput):
    """A whole file is unusable: unknown format, wrong encoding, missing required columns."""


@dataclass(frozen=True, slots=True)
class RowError:
    """One reason why one row of an input file was refused."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}"
        return (
            f"{where}: {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"
        )


class ImportRejected(InvalidInput):
    """An import found bad rows and, being all-or-nothing, imported none of the file."""

    def __init__(self, message: str, *, errors: Sequence[RowError], rejected_rows: int) -> None:
        super().__init__(message)
        self.errors = list(errors)
        self.rejected_rows = rejected_rows

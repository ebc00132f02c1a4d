"""The ``advocacy`` command line: a thin driver over the services.

Errors are mapped to a message and an exit code here, in one place: a user sees what went wrong
and what to do, never a traceback.
"""

from __future__ import annotations

import sys

import click
import sqlalchemy.exc

from advocacy.cli.app import cli
from advocacy.errors import AdvocacyError, DatabaseError, ImportRejected

MAX_ERRORS_SHOWN = 50


def main(argv: list[str] | None = None) -> None:
    """Run the command line; exit with the error's code on a user error."""
    try:
        cli.main(args=argv, prog_name="advocacy", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except AdvocacyError as exc:
        report(exc)
        sys.exit(exc.exit_code)
    except sqlalchemy.exc.DBAPIError as exc:
        # The server went away, refused the connection, or the file is not a database.
        report(DatabaseError(f"the database cannot be used: {exc.orig}"))
        sys.exit(DatabaseError.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted: nothing more was written.", err=True)
        sys.exit(130)


def report(exc: AdvocacyError) -> None:
    """Print an error for a person: the message, then the bad rows of a refused import."""
    click.echo(f"Error: {exc}", err=True)
    if isinstance(exc, ImportRejected):
        for error in exc.errors[:MAX_ERRORS_SHOWN]:
            click.echo(f"  {error}", err=True)
        hidden = exc.rejected_rows - min(len(exc.errors), MAX_ERRORS_SHOWN)
        if hidden > 0:
            click.echo(f"  … and {hidden:,} more bad rows", err=True)


__all__ = ["cli", "main"]

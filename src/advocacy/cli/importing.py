"""``advocacy import KIND FILE``: load a canonical file into the catalogue."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, utc_now
from advocacy.importers.formats import KINDS

# The kinds whose records carry text to analyse.
FEEDBACK_KINDS = frozenset({"nps", "reviews", "tickets", "social"})

if TYPE_CHECKING:
    from advocacy.services.ingest import ImportReport


class _Progress:
    """A row counter on standard error, drawn only when it is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, rows: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.2:
            return
        self.last = now
        rate = rows / max(now - self.started, 1e-9)
        click.echo(f"\r  read {rows:>12,} rows  ({rate:,.0f} rows/s)", nl=False, err=True)

    def done(self) -> None:
        if self.enabled and self.last:
            click.echo("\r" + " " * 60 + "\r", nl=False, err=True)


@click.command("import")
@click.argument("kind", type=click.Choice(list(KINDS), case_sensitive=False))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--skip-bad-rows",
    is_flag=True,
    help="Import the good rows and write the bad ones, with reasons, to a rejects file.",
)
@click.option(
    "--rejects",
    "rejects",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where --skip-bad-rows writes refused rows (default: FILE-STEM.rejects.csv here).",
)
@click.option(
    "--analyze/--no-analyze",
    "analyse",
    default=True,
    show_default=True,
    help="Analyse the text of the feedback imported (language, sentiment, themes, urgency, "
    "redaction) right after the import, in ADVOCACY_TEXT_MODE (default fast).",
)
@click.option(
    "--rules/--no-rules",
    "rules",
    default=True,
    show_default=True,
    help="Run the case rules after the import (advocacy rules run): detractors, low reviews, "
    "urgent tickets, late deliveries… open their cases at once.",
)
@db_option
@json_option
@click.pass_context
def import_command(
    ctx: click.Context,
    kind: str,
    file: Path,
    skip_bad_rows: bool,
    rejects: Path | None,
    analyse: bool,
    rules: bool,
    as_json: bool,
) -> None:
    """Import FILE as KIND records: customers, orders, nps, reviews, tickets or social.

    FILE is CSV (UTF-8, header row), JSON Lines, Excel (.xlsx) or Parquet, told by its extension;
    the columns are listed in docs/import-formats.md. A row whose id was imported before updates
    that record, so re-importing a file is harmless. By default one bad row refuses the whole file
    and every bad row is listed as `line N: column: reason`.
    """
    from advocacy.services.ingest import import_file  # polars is loaded only to import

    catalogue = catalogue_from(ctx)
    progress = _Progress(enabled=sys.stderr.isatty() and not as_json)
    try:
        report = import_file(
            catalogue.engine,
            kind.lower(),
            file,
            skip_bad_rows=skip_bad_rows,
            rejects_path=rejects,
            progress=progress,
        )
    finally:
        progress.done()
    analysis = None
    landed = report.imported + report.updated
    if analyse and kind.lower() in FEEDBACK_KINDS and landed:
        from advocacy.cli.analysis import run_analysis

        analysis = run_analysis(catalogue.engine, show_progress=progress.enabled)
    cases = None
    if landed:
        from advocacy.services.facts import ensure_facts

        ensure_facts(catalogue.engine)  # the dashboard's counts, ready before anyone looks
        if rules and kind.lower() in (*FEEDBACK_KINDS, "orders"):
            from advocacy.services.cases import run_rules

            now = utc_now()
            cases = run_rules(catalogue.engine, now=now)
    if as_json:
        document = report.as_dict()
        document["errors"] = document["errors"][:100]
        document["analysis"] = None if analysis is None else analysis.as_dict()
        document["cases"] = None if cases is None else cases.as_dict()
        echo_json(document)
    else:
        click.echo(describe(report))
        for error in report.errors[:20]:
            click.echo(f"  {error}", err=True)
        if analysis is not None:
            from advocacy.cli.analysis import describe_analysis

            click.echo(describe_analysis(analysis))
        if cases is not None and (cases.opened or cases.joined):
            click.echo(
                f"Cases: {cases.opened:,} opened ({cases.proactive:,} proactive), "
                f"{cases.joined:,} times items joined an open case."
            )


def describe(report: ImportReport) -> str:
    """One or two sentences saying what an import did."""
    name = Path(report.file).name
    if report.status == "unchanged" and not report.rejected:
        return (
            f"Nothing changed: all {report.unchanged:,} {report.kind} rows in {name} "
            "are already in the catalogue as they are."
        )
    text = (
        f"Imported {report.kind} from {name}: {report.imported:,} new, {report.updated:,} updated, "
        f"{report.unchanged:,} unchanged, {report.rejected:,} rejected."
    )
    if report.linked:
        text += f" Linked {report.linked:,} feedback items to their customers or orders."
    if report.rejects_file:
        text += f"\nThe rejected rows and their reasons are in {report.rejects_file}."
    return text

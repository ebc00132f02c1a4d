"""The ``advocacy`` command group and its sub-commands."""

from __future__ import annotations

import click

from advocacy import __version__
from advocacy.cli import casework  # noqa: F401  (its commands join `advocacy cases`)
from advocacy.cli.advocates import advocates_group
from advocacy.cli.analysis import analyze, drivers, text
from advocacy.cli.cases import cases_group, rules_group
from advocacy.cli.churn import churn
from advocacy.cli.customers import customers
from advocacy.cli.database import db
from advocacy.cli.demo import demo, tour
from advocacy.cli.feedback import feedback
from advocacy.cli.importing import import_command
from advocacy.cli.maturity import maturity_group
from advocacy.cli.nps import nps
from advocacy.cli.options import db_option
from advocacy.cli.referrals import referrals_group
from advocacy.cli.surveys import surveys_group, worker
from advocacy.cli.value import clv, segments
from advocacy.cli.web import serve, tokens, users
from advocacy.cli.webhooks import webhooks_group


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="advocacy")
@db_option
def cli() -> None:
    """Advocacy: every source of customer feedback in one catalogue, and the tools to act on it.

    The database is ADVOCACY_DATABASE_URL (a SQLAlchemy URL) or --db; the default is the SQLite
    file advocacy.sqlite in the working directory. Start with `advocacy db upgrade`, then
    `advocacy import KIND FILE`, or build the demo company with `advocacy demo`.
    """


cli.add_command(db)
cli.add_command(import_command)
cli.add_command(customers)
cli.add_command(feedback)
cli.add_command(demo)
cli.add_command(tour)
cli.add_command(nps)
cli.add_command(clv)
cli.add_command(segments)
cli.add_command(churn)
cli.add_command(analyze)
cli.add_command(drivers)
cli.add_command(text)
cli.add_command(serve)
cli.add_command(users)
cli.add_command(tokens)
cli.add_command(surveys_group)
cli.add_command(worker)
cli.add_command(cases_group)
cli.add_command(advocates_group)
cli.add_command(referrals_group)
cli.add_command(rules_group)
cli.add_command(webhooks_group)
cli.add_command(maturity_group)

"""``advocacy demo`` and ``advocacy tour``: the demo company and a short guide to the CLI."""

from __future__ import annotations

import datetime as dt
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

from advocacy.access import Role
from advocacy.cli.analysis import describe_analysis, run_analysis
from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, utc_now
from advocacy.errors import InvalidInput
from advocacy.services import accounts
from advocacy.services.facts import ensure_facts
from advocacy.store.tables import Referral

IMPORT_ORDER = ("customers", "orders", "nps", "reviews", "tickets", "social")


@click.command()
@click.option(
    "--customers",
    "size",
    type=click.IntRange(min=10, max=1_000_000),
    default=2000,
    show_default=True,
)
@click.option("--seed", type=int, default=7, show_default=True, help="Same seed, same company.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Last day of the history (default today).",
)
@click.option(
    "--replace", is_flag=True, help="Start from an empty SQLite file if it holds data already."
)
@click.option(
    "--analyze/--no-analyze",
    "analyse",
    default=True,
    show_default=True,
    help="Analyse the feedback's text (fast mode) once it is imported.",
)
@click.option(
    "--serve",
    is_flag=True,
    help="Then show the tour and the log-ins, and serve the web app on http://127.0.0.1:8000.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@db_option
@json_option
@click.pass_context
def demo(
    ctx: click.Context,
    size: int,
    seed: int,
    today: dt.datetime | None,
    replace: bool,
    analyse: bool,
    serve: bool,
    port: int,
    as_json: bool,
) -> None:
    """Build the demo company: customers in six countries, two years of orders, NPS answers,
    reviews, social posts and tickets in English, Spanish, Russian and Romanian, and one web-app
    user of each role (their passwords are printed once).

    The files go through the same importers as real data.
    """
    from advocacy.demo import write_demo_files

    started = time.monotonic()
    _make_room(ctx, replace)
    catalogue = catalogue_from(ctx, check_schema=False)
    catalogue.upgrade()
    if sum(catalogue.counts().values()):
        raise InvalidInput(
            "the database already holds data: use --replace (SQLite) or another --db for the demo"
        )
    reports = []
    with tempfile.TemporaryDirectory(prefix="advocacy-demo-") as folder:
        files = write_demo_files(
            Path(folder), customers=size, seed=seed, today=today.date() if today else None
        )
        for kind in IMPORT_ORDER:
            reports.append(catalogue.import_file(kind, files[kind]))
    from advocacy.demo.survey_history import build_survey_history

    surveys = build_survey_history(catalogue.engine, today=(today or dt.datetime.now()).date())
    analysis = run_analysis(catalogue.engine, mode="fast") if analyse else None
    from advocacy.config import load_settings
    from advocacy.demo.casework import resurvey_the_day, set_up_team, work_the_day
    from advocacy.demo.programme import plant_referrals, run_the_day, set_up_programme
    from advocacy.services.cases import RulesReport, run_rules

    # The rules as a worker would have run them, day by day over the last 30 days, and the
    # team working the cases: most answered and resolved in time, some waiting on the customer,
    # a few nobody picked up (past due, escalated); proactive cases from the late deliveries.
    the_day = dt.datetime.combine((today or dt.datetime.now()).date(), dt.time(18, 0))
    set_up_team(catalogue.engine, DEMO_DOMAIN, the_day - dt.timedelta(days=31))
    set_up_programme(catalogue.engine, DEMO_DOMAIN, the_day - dt.timedelta(days=31))
    programme: dict[str, int] = {}
    settings = load_settings(database_url=catalogue.engine.url.render_as_string(False))
    cases = RulesReport()
    worked = {"answered": 0, "resolved": 0}
    for days in range(30, -1, -1):
        day = the_day - dt.timedelta(days=days)
        # The team's work since the last run first (at the hours it was done), then the rules:
        # only what is still open past its due time escalates.
        for key, count in work_the_day(catalogue.engine, day, DEMO_DOMAIN).items():
            worked[key] = worked.get(key, 0) + count
        done = run_rules(catalogue.engine, now=day)
        cases.opened += done.opened
        cases.joined += done.joined
        cases.escalated += done.escalated
        cases.proactive += done.proactive
        for key, count in resurvey_the_day(catalogue.engine, settings, day).items():
            worked[key] = worked.get(key, 0) + count
        for key, count in run_the_day(catalogue.engine, settings, day).items():
            programme[key] = programme.get(key, 0) + count
        # Some of the day's new customers signed up with an advocate's code: the next round
        # attributes them, from the day they joined.
        planted = plant_referrals(catalogue.engine, day - dt.timedelta(days=1), day)
        programme["planted"] = programme.get("planted", 0) + planted
    advocates = advocate_summary(catalogue.engine, the_day, programme)
    ensure_facts(catalogue.engine)
    logins = demo_users(catalogue.engine)
    counts = catalogue.counts()
    seconds = time.monotonic() - started
    if as_json:
        echo_json(
            {
                "counts": counts,
                "seconds": round(seconds, 2),
                "seed": seed,
                "customers": size,
                "analysis": None if analysis is None else analysis.as_dict(),
                "survey_invitations": surveys,
                "cases": {**cases.as_dict(), "worked": worked},
                "advocates": advocates,
                "logins": [
                    {"email": email, "role": role, "password": pw} for email, role, pw in logins
                ],
            }
        )
        return
    url = catalogue.engine.url.render_as_string(hide_password=True)
    click.echo(f"Built the demo company in {seconds:.1f} s into {url}:")
    for report in reports:
        click.echo(f"  {report.kind:<10} {report.imported:>8,} records")
    click.echo(
        f"  surveys    {surveys['sent']:>8,} invitations after deliveries, "
        f"{surveys['answered']:,} answered, {surveys['skipped']:,} not sent (asked lately)"
    )
    click.echo(
        f"  cases      {cases.opened:>8,} opened in the last 30 days ({cases.proactive:,} "
        f"proactive, before any complaint), {worked['resolved']:,} resolved, "
        f"{cases.escalated:,} escalations"
    )
    click.echo(
        f"  advocates  {advocates['active']:>8,} active, {advocates['candidate']:,} candidates, "
        f"{advocates['lapsed']:,} lapsed; {advocates['tasks_done']:,} tasks done, "
        f"{advocates['tasks_open']:,} open; {advocates['referrals']:,} customers referred; "
        f"{advocates['review_invitations']:,} review invitations; advocacy maturity level "
        f"{advocates['maturity_level']}"
    )
    if analysis is not None:
        click.echo(describe_analysis(analysis))
    if serve:
        click.echo("")
        ctx.invoke(tour)
    click.echo(describe_logins(logins, port))
    if serve:
        from advocacy.cli.web import serve as serve_command

        ctx.invoke(serve_command, host="127.0.0.1", port=port, workers=1, proxy_headers=False)


DEMO_DOMAIN = "demo.advocacy.example"
REFERRALS = Referral.__table__


def advocate_summary(engine: Engine, now: dt.datetime, worked: dict[str, int]) -> dict[str, Any]:
    """What the demo's advocate programme holds at the end: advocates, tasks, referrals,
    messages and the maturity level."""
    from advocacy.services import advocate_programme, customer_messages, maturity

    counts = advocate_programme.programme_counts(engine)
    tasks = advocate_programme.task_counts(engine, now=now)
    invited = customer_messages.review_audit(engine)
    t = advocate_programme.TASKS.c
    with engine.connect() as connection:
        referred = int(connection.scalar(select(func.count()).select_from(REFERRALS)) or 0)
        done = int(connection.scalar(select(func.count()).where(t.status == "done")) or 0)
    return {
        **counts,
        "tasks_open": tasks["open"],
        "tasks_overdue": tasks["overdue"],
        "tasks_done": done,
        "rewards": worked.get("rewards", 0),
        "referrals": referred,
        "thank_yous": worked.get("thanks_queued", 0),
        "review_invitations": invited["asked"],
        "maturity_level": maturity.assess(engine, now=now)["level"],
    }


def demo_users(engine: Engine) -> list[tuple[str, str, str]]:
    """One user of each role with a fresh random password: (e-mail, role, password)."""
    now = utc_now()
    logins = []
    for role in Role:
        email = f"{role.value}@{DEMO_DOMAIN}"
        password = secrets.token_urlsafe(12)
        accounts.create_user(
            engine, email, password, role, now=now, name=f"Demo {role.value}", locale=None
        )
        logins.append((email, role.value, password))
    return logins


def describe_logins(logins: list[tuple[str, str, str]], port: int) -> str:
    lines = [
        "",
        f"Web app: `advocacy serve` then http://127.0.0.1:{port} — log in as any of these",
        "(passwords are shown only now; `advocacy users set EMAIL --password` sets a new one):",
    ]
    lines += [f"  {role:<9} {email:<34} {password}" for email, role, password in logins]
    return "\n".join(lines)


def _make_room(ctx: click.Context, replace: bool) -> None:
    if not replace:
        return
    state = ctx.ensure_object(dict)
    url = catalogue_from(ctx, check_schema=False).engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        if url.get_backend_name() != "sqlite":
            raise InvalidInput(
                "--replace only deletes SQLite files; point --db at an empty database"
            )
        return
    catalogue_from(ctx, check_schema=False).close()
    state.pop("catalogue", None)
    path = Path(make_url(str(url)).database or "")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


TOUR = """\
A short tour of the command line (add --json to any of them for machine-readable output;
after `make demo`, run `source .venv/bin/activate` first):

  advocacy db status                              what the database holds
  advocacy feedback list --kind reviews --max-rating 2
                                                  unhappy reviewers, newest first
  advocacy feedback list --kind nps --max-rating 6 --language es
                                                  Spanish-speaking detractors
  advocacy feedback list --search "late"          everything that mentions a late delivery
  advocacy drivers                                which themes move NPS, with intervals
  advocacy analyze --reanalyze --mode accurate    the text analysis again, with the transformer
  advocacy customers show {customer:<24}one customer: profile, orders, feedback
  advocacy nps --by quarter                       NPS with its margin of error, quarter by quarter
  advocacy nps --by country                       each country against the rest, with p-values
  advocacy churn --cohorts                        churn rate, monthly churn, retention by cohort
  advocacy clv                                    lifetime value per customer, per currency
  advocacy segments                               RFM segments and value tiers
  advocacy cases list --status active             open cases, most urgent first (SLA, owner)
  advocacy rules run                              new cases from new feedback, escalations
  advocacy advocates list --status active         brand advocates with their evidence
  advocacy advocates tasks --overdue              the programme's work past its due date
  advocacy referrals list                         referral links, customers brought, value
  advocacy advocates review-audit                 who was asked to review (no gating)
  advocacy maturity                               the advocacy maturity level, evidence, next steps
  advocacy surveys list                           surveys, response rates, time to answer
  advocacy surveys invite {customer:<16}        a personal survey link and its 0–10 links
  advocacy worker                                 survey e-mails and text analysis in the
                                                  background (advocacy serve runs it too)
  advocacy import reviews FILE.csv                your own data (CSV, JSON Lines, Excel, Parquet)

In Python:  from advocacy import open_catalogue; open_catalogue().feedback(kind="nps")
"""


@click.command()
@db_option
@json_option
@click.pass_context
def tour(ctx: click.Context, as_json: bool) -> None:
    """Summarise what the database holds and show the main commands to try next."""
    catalogue = catalogue_from(ctx)
    counts = catalogue.counts()
    unhappy = catalogue.feedback(kind="nps", max_rating=6, limit=1)
    customer = (
        str(unhappy["customer_id"].iloc[0])
        if len(unhappy) and unhappy["customer_id"].iloc[0]
        else "ID"
    )
    if as_json:
        echo_json({"counts": counts, "example_customer": customer})
        return
    click.echo("The catalogue holds:")
    for name, number in counts.items():
        click.echo(f"  {name:<10} {number:>10,}")
    click.echo("")
    click.echo(TOUR.format(customer=customer))

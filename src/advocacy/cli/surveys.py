"""``advocacy surveys …`` and ``advocacy worker``: NPS surveys, their invitations, and the
background work that sends them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, table, utc_now
from advocacy.config import Settings, load_settings
from advocacy.errors import InvalidInput
from advocacy.services import invitations, surveys
from advocacy.services.survey_stats import survey_stats


def _settings(ctx: click.Context) -> Settings:
    return load_settings(database_url=ctx.ensure_object(dict).get("db"))


def _json_file(path: str | None, what: str) -> Any:
    if path is None:
        return None
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"{what}: cannot read {path}: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{what}: {path} is not JSON (UTF-8): {exc}") from None


def _definition_options(command: Any) -> Any:
    options = [
        click.option("--name", default=None, help="The name shown in the app."),
        click.option(
            "--trigger",
            type=click.Choice(surveys.TRIGGERS),
            default=None,
            help="delivery: N days after each order is delivered; manual: by sends.",
        ),
        click.option(
            "--delay-days", type=int, default=None, help="Days after delivery (trigger delivery)."
        ),
        click.option(
            "--reminder-days",
            type=int,
            default=None,
            help="One reminder to non-respondents after N days (0: none).",
        ),
        click.option(
            "--min-days-between",
            type=int,
            default=None,
            help="At most one survey a customer per N days (0: no limit).",
        ),
        click.option("--valid-days", type=int, default=None, help="Days a link may be answered."),
        click.option("--touchpoint", default=None, help="The touchpoint the answers are about."),
        click.option(
            "--default-language",
            default=None,
            help="The language of customers whose own the survey does not speak.",
        ),
        click.option(
            "--texts",
            "texts_file",
            default=None,
            metavar="FILE",
            help='Wording per language, JSON: {"es": {"question": "…"}}.',
        ),
        click.option(
            "--questions",
            "questions_file",
            default=None,
            metavar="FILE",
            help="Extra questions, JSON (see docs/surveys.md).",
        ),
        click.option(
            "--public/--no-public",
            "public_enabled",
            default=None,
            help="Open the public link and widget to anonymous answers.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _given(**values: Any) -> dict[str, Any]:
    found = {key: value for key, value in values.items() if value is not None}
    if "reminder_days" in found and found["reminder_days"] == 0:
        found["reminder_days"] = None
    elif values.get("reminder_days") is None:
        found.pop("reminder_days", None)
    texts_file, questions_file = found.pop("texts_file", None), found.pop("questions_file", None)
    if texts_file:
        found["texts"] = _json_file(texts_file, "--texts")
    if questions_file:
        found["questions"] = _json_file(questions_file, "--questions")
    return found


@click.group("surveys")
def surveys_group() -> None:
    """NPS surveys: definitions, invitations (e-mail, personal and public links, the widget),
    sends to segments and the rules of contact."""


@surveys_group.command("list")
@db_option
@json_option
@click.pass_context
def list_command(ctx: click.Context, as_json: bool) -> None:
    """Every survey with its response rate."""
    engine = catalogue_from(ctx).engine
    settings = _settings(ctx)
    stats = {row["survey"]: row for row in survey_stats(engine)}
    found = [
        {**s.document(settings.base_url), "stats": stats.get(s.key)}
        for s in surveys.list_surveys(engine)
    ]
    if as_json:
        echo_json(found)
        return
    rows = [
        {
            "key": s["key"],
            "name": s["name"],
            "trigger": s["trigger"]
            + (f" +{s['delay_days']}d" if s["trigger"] == "delivery" else ""),
            "active": s["active"],
            "delivered": s["stats"]["delivered"],
            "answered": s["stats"]["answered"],
            "response_rate": s["stats"]["response_rate"],
        }
        for s in found
    ]
    click.echo(table(rows, list(rows[0]) if rows else ["key"]))


@surveys_group.command("create")
@click.argument("key")
@_definition_options
@db_option
@json_option
@click.pass_context
def create_command(ctx: click.Context, /, key: str, as_json: bool, **values: Any) -> None:
    """Add a survey named KEY (letters, digits, hyphens: it is part of its public link)."""
    given = _given(**values)
    given.setdefault("name", key)
    survey = surveys.create_survey(catalogue_from(ctx).engine, now=utc_now(), key=key, **given)
    document = survey.document(_settings(ctx).base_url)
    if as_json:
        echo_json(document)
        return
    click.echo(f"Added survey {survey.key} ({survey.trigger}).")
    if document["public_url"]:
        click.echo(f"Public link: {document['public_url']}")


@surveys_group.command("set")
@click.argument("key")
@_definition_options
@click.option("--active/--inactive", default=None, help="Switch the survey on or off.")
@db_option
@json_option
@click.pass_context
def set_command(ctx: click.Context, /, key: str, as_json: bool, **values: Any) -> None:
    """Change a survey."""
    survey = surveys.update_survey(
        catalogue_from(ctx).engine, key, now=utc_now(), **_given(**values)
    )
    if as_json:
        echo_json(survey.document(_settings(ctx).base_url))
        return
    click.echo(f"Survey {survey.key}: {'active' if survey.active else 'inactive'}.")


@surveys_group.command("show")
@click.argument("key")
@db_option
@json_option
@click.pass_context
def show_command(ctx: click.Context, key: str, as_json: bool) -> None:
    """A survey: its settings, wording languages, links, widget snippet and statistics."""
    engine = catalogue_from(ctx).engine
    survey = surveys.get_survey(engine, key)
    stats = next(row for row in survey_stats(engine) if row["survey"] == survey.key)
    document = {**survey.document(_settings(ctx).base_url), "stats": stats}
    if as_json:
        echo_json(document)
        return
    for name in (
        "key",
        "name",
        "active",
        "trigger",
        "delay_days",
        "reminder_days",
        "min_days_between",
        "valid_days",
        "languages",
        "public_url",
        "widget_snippet",
    ):
        click.echo(f"{name}: {document[name]}")
    for name, value in stats.items():
        click.echo(f"{name}: {value}")


@surveys_group.command("invite")
@click.argument("customer_id")
@click.option("--survey", "survey_key", default=None, help="The survey (default: nps).")
@click.option("--order", "order_id", default=None, help="The order the survey is about.")
@click.option(
    "--channel",
    type=click.Choice(invitations.CHANNELS),
    default="link",
    show_default=True,
    help="link / widget: a personal link to hand out; email: also queue the e-mail.",
)
@click.option("--language", default=None, help="Ask in this language, not the customer's.")
@db_option
@json_option
@click.pass_context
def invite_command(
    ctx: click.Context,
    customer_id: str,
    survey_key: str | None,
    order_id: str | None,
    channel: str,
    language: str | None,
    as_json: bool,
) -> None:
    """Invite one customer (their id in your systems): prints the personal answer page and the
    eleven one-click score links (0–10) of the e-mail, all on ADVOCACY_BASE_URL."""
    engine = catalogue_from(ctx).engine
    info = invitations.invite(
        engine,
        _settings(ctx),
        customer_id,
        now=utc_now(),
        survey_key=survey_key,
        order_ref=order_id,
        channel=channel,
        language=language,
    )
    if as_json:
        echo_json(info.as_dict())
        return
    click.echo(f"Invitation {info.id} ({info.survey}, {info.language}): {info.links.url}")
    for score, url in enumerate(info.links.score_urls):
        click.echo(f"  {score:>2}  {url}")
    if info.channel == "email":
        click.echo("The e-mail is queued: the worker sends it (advocacy serve, advocacy worker).")


@surveys_group.command("send")
@click.argument("key")
@click.option("--segment", default=None, help="Customers of this segment.")
@click.option("--country", default=None, help="Customers of this country (ISO 3166 alpha-2).")
@click.option("--language", default=None, help="Customers whose locale is this language.")
@click.option("--customer", "customers", multiple=True, help="These customers (repeatable).")
@click.option("--dry-run", is_flag=True, help="Count whom it would ask; queue nothing.")
@db_option
@json_option
@click.pass_context
def send_command(
    ctx: click.Context,
    key: str,
    segment: str | None,
    country: str | None,
    language: str | None,
    customers: tuple[str, ...],
    dry_run: bool,
    as_json: bool,
) -> None:
    """Queue the survey's e-mail to a segment (the rules of contact apply to each customer)."""
    report = invitations.send_to_segment(
        catalogue_from(ctx).engine,
        _settings(ctx),
        key,
        now=utc_now(),
        segment=segment,
        country=country,
        language=language,
        customer_refs=list(customers) or None,
        dry_run=dry_run,
    )
    if as_json:
        echo_json(report.as_dict())
        return
    verb = "would queue" if dry_run else "queued"
    click.echo(f"{report.considered} customers: {verb} {report.queued}.")
    for reason, count in report.skipped.items():
        click.echo(f"  not asked ({reason}): {count}")


@surveys_group.command("invitations")
@click.option("--survey", "survey_key", default=None)
@click.option("--status", default=None, help="queued, sending, sent, link, skipped or failed.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=100, show_default=True)
@db_option
@json_option
@click.pass_context
def invitations_command(
    ctx: click.Context, survey_key: str | None, status: str | None, limit: int, as_json: bool
) -> None:
    """The latest invitations: who was asked, when, and whether they answered."""
    found = invitations.list_invitations(
        catalogue_from(ctx).engine,
        _settings(ctx),
        survey_key=survey_key,
        status=status,
        limit=limit,
    )
    documents = [info.as_dict() for info in found]
    if as_json:
        echo_json(documents)
        return
    columns = [
        "invitation_id",
        "survey",
        "customer_id",
        "channel",
        "language",
        "status",
        "sent_at",
        "answered_at",
        "score",
        "error",
    ]
    click.echo(table(documents, columns))


@surveys_group.command("contact")
@click.argument("customer_id")
@click.option("--unsubscribe/--resubscribe", default=None, help="Stop (or allow again) surveys.")
@click.option("--consent", type=click.Choice(["granted", "withdrawn"]), default=None)
@db_option
@json_option
@click.pass_context
def contact_command(
    ctx: click.Context,
    customer_id: str,
    unsubscribe: bool | None,
    consent: str | None,
    as_json: bool,
) -> None:
    """Record a customer's wish: unsubscribed from surveys, or consent given or withdrawn."""
    if unsubscribe is None and consent is None:
        raise InvalidInput("say --unsubscribe, --resubscribe or --consent")
    engine = catalogue_from(ctx).engine
    surveys.set_contact_preference(
        engine,
        surveys.customer_key(engine, customer_id),
        now=utc_now(),
        unsubscribed=unsubscribe,
        consent=consent,
        source="command line",
    )
    if as_json:
        echo_json({"customer_id": customer_id, "unsubscribed": unsubscribe, "consent": consent})
        return
    click.echo(f"Recorded for {customer_id}.")


@click.command("worker")
@click.option("--once", is_flag=True, help="Do one round and print what it did.")
@click.option(
    "--interval",
    type=click.FloatRange(0.1, 3600),
    default=None,
    help="Seconds between rounds (default ADVOCACY_WORKER_INTERVAL_SECONDS, 5).",
)
@click.option("--no-analysis", is_flag=True, help="Leave text analysis to another worker.")
@db_option
@json_option
@click.pass_context
def worker(
    ctx: click.Context, once: bool, interval: float | None, no_analysis: bool, as_json: bool
) -> None:
    """Run the background work: survey triggers, e-mails and reminders, text analysis of new
    items. Any number may run (the work is claimed in the database); Ctrl+C stops after the
    message being sent."""
    import signal

    from advocacy.jobs.worker import Worker

    background = Worker(catalogue_from(ctx).engine, _settings(ctx), analyse=not no_analysis)
    if once:
        done = background.run_once()
        if as_json:
            echo_json(done)
            return
        delivery = done.get("delivery", {})
        made = sum(r.get("queued", 0) for r in done.get("triggers", []) if isinstance(r, dict))
        click.echo(
            f"Invitations made: {made}; e-mails sent: {delivery.get('sent', 0)}, reminders: "
            f"{delivery.get('reminders', 0)}, to retry: {delivery.get('retried', 0)}, "
            f"failed: {delivery.get('failed', 0)}; items analysed: "
            f"{done.get('analysis', {}).get('analysed', 0)}."
        )
        return
    click.echo("Advocacy worker running (Ctrl+C to stop).", err=True)

    def stop(_signal: int, _frame: Any) -> None:
        background.stop(timeout=0)

    signal.signal(signal.SIGTERM, stop)
    try:
        background.run_forever(interval)
    except KeyboardInterrupt:
        background.stop(timeout=0)

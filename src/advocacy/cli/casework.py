"""``advocacy cases reply|replies|posted|resurvey|resurvey-setting|metrics|templates|template-set``:
closing the loop from the command line — answering the customer, asking them again once their
case is resolved, and measuring it all. The commands join the ``cases`` group."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from advocacy.cli.cases import cases_group
from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, table, utc_now
from advocacy.config import Settings, load_settings
from advocacy.errors import InvalidInput
from advocacy.services import case_metrics as metrics
from advocacy.services import case_replies as replies
from advocacy.services import resurveys


def _settings(ctx: click.Context) -> Settings:
    return load_settings(database_url=ctx.ensure_object(dict).get("db"))


_BY = click.option("--by", "actor", default="command line", help="Who (an e-mail).")


@cases_group.command("reply")
@click.argument("case_id", type=int)
@click.option("--template", default=None, help="A template's key: apology, resolved, thanks, …")
@click.option("--body", default=None, help="The reply's text, written out.")
@click.option("--language", default=None, help="Reply in this language (default: the case's).")
@click.option("--item", "item_id", type=int, default=None, help="The item answered (its id).")
@click.option("--channel", type=click.Choice(replies.CHANNELS), default=None,
              help="email, or platform (a public review); default: e-mail.")  # fmt: skip
@click.option("--agent", default=None, help="The name the reply is signed with.")
@_BY
@db_option
@json_option
@click.pass_context
def reply_command(
    ctx: click.Context, case_id: int, template: str | None, body: str | None,
    language: str | None, item_id: int | None, channel: str | None, agent: str | None,
    actor: str, as_json: bool,
) -> None:  # fmt: skip
    """Write a reply to a case's customer, from a template in their language or as written:
    queued for e-mail, or kept to be posted on the review's platform."""
    if (template is None) == (body is None):
        raise InvalidInput("give --template KEY or --body TEXT")
    found = replies.write_reply(
        catalogue_from(ctx).engine, case_id, actor=actor, now=utc_now(), body=body,
        template=template, language=language, item_id=item_id, channel=channel, agent=agent,
        company=replies.configured_company(_settings(ctx)),
    )  # fmt: skip
    if as_json:
        echo_json(found)
        return
    where = found["to_address"] if found["channel"] == "email" else found["platform"]
    click.echo(f"Reply {found['id']} ({found['language']}, {found['status']}) to {where}:")
    click.echo(found["body"])


@cases_group.command("replies")
@click.option("--case", "case_id", type=int, default=None, help="The replies of one case.")
@click.option("--to-post", is_flag=True, help="Only public replies still to be posted.")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Write the replies to post to this CSV file.")  # fmt: skip
@db_option
@json_option
@click.pass_context
def replies_command(
    ctx: click.Context, case_id: int | None, to_post: bool, csv_file: Path | None, as_json: bool
) -> None:
    """Replies written from cases; --to-post lists (and --csv exports) the public ones to post
    by hand, with the review each answers."""
    engine = catalogue_from(ctx).engine
    if csv_file is not None:
        text = replies.to_post_csv(engine)
        csv_file.write_text(text, encoding="utf-8", newline="")
        count = text.count("\n") - 1
        if as_json:
            echo_json({"file": str(csv_file), "replies": max(0, count)})
        else:
            click.echo(f"Wrote the replies to post to {csv_file}.")
        return
    if case_id is not None:
        found = replies.replies_of(engine, case_id)
        if to_post:
            found = [reply for reply in found if reply["status"] == "to_post"]
    else:
        found = replies.list_replies(engine, status="to_post" if to_post else None)
    if as_json:
        echo_json(found)
        return
    columns = ["id", "case_id", "channel", "language", "status", "to_address", "platform", "body"]
    click.echo(table(found, columns, widths={"body": 50}))


@cases_group.command("posted")
@click.argument("reply_id", type=int)
@_BY
@db_option
@json_option
@click.pass_context
def posted_command(ctx: click.Context, reply_id: int, actor: str, as_json: bool) -> None:
    """Record that a public reply was posted on its platform."""
    found = replies.mark_posted(catalogue_from(ctx).engine, reply_id, actor=actor, now=utc_now())
    if as_json:
        echo_json(found)
        return
    click.echo(f"Reply {reply_id}: posted.")


@cases_group.command("resurvey")
@click.argument("case_id", type=int)
@click.option("--survey", "survey_key", required=True, help="The survey to ask (its key).")
@_BY
@db_option
@json_option
@click.pass_context
def resurvey_command(
    ctx: click.Context, case_id: int, survey_key: str, actor: str, as_json: bool
) -> None:
    """Ask the customer of a resolved case again (once), to see whether it helped."""
    engine = catalogue_from(ctx).engine
    invitation_id = resurveys.resurvey(
        engine, _settings(ctx), case_id, survey_key=survey_key, now=utc_now(), actor=actor
    )
    if as_json:
        echo_json({"case_id": case_id, "invitation_id": invitation_id})
        return
    click.echo(f"Case {case_id}: re-survey invitation {invitation_id}.")


@cases_group.command("resurvey-setting")
@click.option("--survey", "survey_key", default=None, help="Re-survey with this survey.")
@click.option("--delay-days", type=click.IntRange(0, 365), default=None,
              help="Days after resolution.")  # fmt: skip
@click.option("--off", is_flag=True, help="Stop re-surveying automatically.")
@_BY
@db_option
@json_option
@click.pass_context
def resurvey_setting_command(
    ctx: click.Context, survey_key: str | None, delay_days: int | None, off: bool, actor: str,
    as_json: bool,
) -> None:  # fmt: skip
    """Show, or set, the automatic re-survey of resolved cases: --survey KEY --delay-days N
    turns it on, --off turns it off."""
    engine = catalogue_from(ctx).engine
    if off and (survey_key or delay_days is not None):
        raise InvalidInput("--off takes no --survey or --delay-days")
    if off or survey_key is not None or delay_days is not None:
        found = resurveys.set_resurvey(
            engine, survey_key=survey_key, delay_days=delay_days, enabled=not off,
            actor=actor, now=utc_now(),
        )  # fmt: skip
    else:
        found = resurveys.resurvey_setting(engine)
    if as_json:
        echo_json(found)
        return
    if found["enabled"]:
        click.echo(
            f"Re-survey on: survey {found['survey']}, {found['delay_days']} days after resolution."
        )
    else:
        click.echo("Re-survey off.")


@cases_group.command("metrics")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Cases opened from this day on (default: all).")  # fmt: skip
@db_option
@json_option
@click.pass_context
def metrics_command(ctx: click.Context, since: dt.datetime | None, as_json: bool) -> None:
    """How cases are answered, solved and re-surveyed: overall, per team and per rule."""
    found = metrics.case_metrics(catalogue_from(ctx).engine, now=utc_now(), since=since)
    if as_json:
        echo_json(found)
        return
    rows = [{"group": "overall", **_flat(found["overall"])}]
    rows += [{"group": f"team {name}", **_flat(m)} for name, m in found["teams"].items()]
    rows += [{"group": f"rule {name}", **_flat(m)} for name, m in found["rules"].items()]
    columns = ["group", "opened", "resolved", "open", "overdue", "first_response_h",
               "resolution_h", "sla", "resurveyed", "change"]  # fmt: skip
    click.echo(table(rows, columns))


def _flat(group: dict[str, object]) -> dict[str, object]:
    sla = group["sla"]
    first = group["first_response_hours"]
    solved = group["resolution_hours"]
    moved = group["resurvey"]
    assert isinstance(sla, dict)
    assert isinstance(first, dict)
    assert isinstance(solved, dict)
    assert isinstance(moved, dict)
    rate = sla["rate"]
    return {
        **group,
        "first_response_h": first["median"],
        "resolution_h": solved["median"],
        "sla": f"{rate:.0%} ({sla['low']:.0%}–{sla['high']:.0%})" if rate is not None else None,
        "resurveyed": f"{moved['answered']}/{moved['sent']}",
        "change": moved["mean_change"],
    }


@cases_group.command("templates")
@db_option
@json_option
@click.pass_context
def templates_command(ctx: click.Context, as_json: bool) -> None:
    """The reply templates in every language, the company's own wording marked custom."""
    found = [t.as_dict() for t in replies.list_templates(catalogue_from(ctx).engine)]
    if as_json:
        echo_json(found)
        return
    click.echo(table(found, ["key", "language", "custom", "subject"], widths={"subject": 60}))


@cases_group.command("template-set")
@click.argument("key")
@click.argument("language")
@click.option("--subject", required=True, help="The e-mail's subject.")
@click.option("--body-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              required=True, help="A UTF-8 text file with the body.")  # fmt: skip
@db_option
@json_option
@click.pass_context
def template_set_command(
    ctx: click.Context, key: str, language: str, subject: str, body_file: Path, as_json: bool
) -> None:
    """Save the company's wording of a reply template in one language. Placeholders:
    {customer_name}, {company}, {agent}, {order}."""
    if body_file.stat().st_size > 4 * replies.MAX_BODY:
        raise InvalidInput(f"body: 1 to {replies.MAX_BODY:,} characters")
    try:
        body = body_file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{body_file}: not UTF-8 text") from None
    saved = replies.set_template(
        catalogue_from(ctx).engine, key, language, subject, body, now=utc_now()
    )
    if as_json:
        echo_json(saved.as_dict())
        return
    click.echo(f"Template {saved.key} ({saved.language}) saved.")

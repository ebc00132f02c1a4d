"""``advocacy maturity …``: the organisation's advocacy level (1–4) with its evidence and next
steps, and the mapping of teams to departments it is measured with."""

from __future__ import annotations

from typing import Any

import click

from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, table, utc_now
from advocacy.services import maturity

_BY = click.option("--by", "actor", default="command line", help="Who (an e-mail).")


def _shown(entry: dict[str, Any], name: str) -> str:
    value = entry[name]
    if value is None:
        return "—"
    return f"{round(value * 100, 1):g} %" if entry["unit"] == "share" else f"{value:g}"


def report(found: dict[str, Any]) -> str:
    """The assessment as a readable report: the ladder, the evidence per level, the steps."""
    window = found["window"]
    lines = [
        f"Advocacy maturity: level {found['level']} of 4 — {found['name']}",
        found["description"],
        f"From {window['start'][:10]} to {window['end'][:10]} ({window['days']} days).",
        "",
    ]
    for level in reversed(found["levels"]):
        mark = "▶" if level["current"] else ("✓" if level["reached"] else " ")
        lines.append(f" {mark} {level['level']}. {level['name']} "
                     f"({level['met']} of {level['criteria']} criteria met)")  # fmt: skip
    for level in found["levels"]:
        rows = [
            {"met": "yes" if e["met"] else "no", "criterion": e["criterion"],
             "value": _shown(e, "value"), "target": _shown(e, "target"), "detail": e["detail"]}
            for e in found["evidence"] if e["level"] == level["level"]
        ]  # fmt: skip
        lines += ["", f"Level {level['level']}: {level['name']}"]
        lines.append(table(rows, ["met", "criterion", "value", "target", "detail"],
                           widths={"criterion": 60, "detail": 140}))  # fmt: skip
    lines += ["", "Next steps:"]
    lines += [f" - {step['step']}" for step in found["next_steps"]] or [" - none: level 4 holds."]
    return "\n".join(lines)


@click.group("maturity", invoke_without_command=True)
@click.option(
    "--days",
    type=click.IntRange(1, maturity.MAX_WINDOW_DAYS),
    default=maturity.WINDOW_DAYS,
    show_default=True,
    help="The window, in days.",
)
@db_option
@json_option
@click.pass_context
def maturity_group(ctx: click.Context, days: int, as_json: bool) -> None:
    """The organisation's advocacy maturity (the articles' four levels), from its own data.

    Without a sub-command: the level (1–4), the evidence of every criterion and the next steps;
    --json prints them as one document with `level`, `evidence` and `next_steps`.
    """
    if ctx.invoked_subcommand is not None:
        return
    found = maturity.assess(catalogue_from(ctx).engine, now=utc_now(), days=days)
    if as_json:
        echo_json(found)
        return
    click.echo(report(found))


@maturity_group.group("departments")
def departments_group() -> None:
    """Which department each team belongs to (a team without one is its own department)."""


def _print_mapping(mapping: dict[str, str], as_json: bool) -> None:
    if as_json:
        echo_json(mapping)
    elif not mapping:
        click.echo("No departments set: each team counts as its own department.")
    else:
        rows = [{"team": team, "department": name} for team, name in mapping.items()]
        click.echo(table(rows, ["team", "department"], widths={"team": 100, "department": 100}))


@departments_group.command("list")
@db_option
@json_option
@click.pass_context
def list_command(ctx: click.Context, as_json: bool) -> None:
    """The mapping team → department."""
    _print_mapping(maturity.departments(catalogue_from(ctx).engine), as_json)


@departments_group.command("set")
@click.argument("team")
@click.argument("department")
@_BY
@db_option
@json_option
@click.pass_context
def set_command(ctx: click.Context, team: str, department: str, actor: str, as_json: bool) -> None:
    """Put TEAM in DEPARTMENT; prints the whole mapping."""
    found = maturity.set_department(
        catalogue_from(ctx).engine, team, department, actor=actor, now=utc_now()
    )
    _print_mapping(found, as_json)


@departments_group.command("unset")
@click.argument("team")
@_BY
@db_option
@json_option
@click.pass_context
def unset_command(ctx: click.Context, team: str, actor: str, as_json: bool) -> None:
    """Take TEAM out of its department (it counts as its own again); prints the mapping."""
    found = maturity.set_department(
        catalogue_from(ctx).engine, team, None, actor=actor, now=utc_now()
    )
    _print_mapping(found, as_json)

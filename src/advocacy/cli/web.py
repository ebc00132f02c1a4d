"""``advocacy serve``, ``advocacy users``, ``advocacy tokens``: the web app and who may use it."""

from __future__ import annotations

import datetime as dt
import os
import sys

import click

from advocacy.access import DESCRIPTIONS, Role
from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, table, utc_now
from advocacy.errors import InvalidInput
from advocacy.services import accounts

ROLE_CHOICE = click.Choice([role.value for role in Role], case_sensitive=False)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Web worker processes (PostgreSQL in production; SQLite takes one writer at a time).",
)
@click.option(
    "--proxy-headers/--no-proxy-headers",
    default=False,
    help="Trust X-Forwarded-Proto/For from a reverse proxy on this machine (HTTPS ends there).",
)
@db_option
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int, proxy_headers: bool) -> None:
    """Serve the web app and its JSON API (http://HOST:PORT, OpenAPI at /openapi.json)."""
    import uvicorn

    catalogue = catalogue_from(ctx)
    url = catalogue.engine.url.render_as_string(hide_password=False)
    catalogue.close()
    # The workers read their settings from the environment, --db included.
    os.environ["ADVOCACY_DATABASE_URL"] = url
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    click.echo(f"Advocacy is serving at http://{shown}:{port} (Ctrl+C to stop)", err=True)
    uvicorn.run(
        "advocacy.web:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=proxy_headers,
        forwarded_allow_ips="127.0.0.1" if proxy_headers else None,
        log_level="info",
        access_log=False,
    )


def _read_password(prompt: bool) -> str:
    """The password from standard input when it is not a terminal, else asked for twice."""
    if not prompt:
        return sys.stdin.readline().rstrip("\r\n")
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@click.group()
def users() -> None:
    """The people who log in to the web app, and their roles."""


@users.command("create")
@click.argument("email")
@click.option("--role", type=ROLE_CHOICE, required=True, help="What the user may do.")
@click.option("--name", default=None, help="The name shown in the app.")
@click.option("--locale", type=click.Choice(accounts.LOCALES), default=None, help="UI language.")
@db_option
@json_option
@click.pass_context
def create_user(
    ctx: click.Context,
    email: str,
    role: str,
    name: str | None,
    locale: str | None,
    as_json: bool,
) -> None:
    """Add a user. The password is read from standard input when it is not a terminal
    (`printf '%s\\n' "$PASSWORD" | advocacy users create …`), and asked for otherwise."""
    engine = catalogue_from(ctx).engine
    password = _read_password(sys.stdin.isatty())
    user = accounts.create_user(
        engine, email, password, role, now=utc_now(), name=name, locale=locale
    )
    if as_json:
        echo_json(user.as_dict())
        return
    click.echo(f"Added {user.email} as {user.role.value} ({DESCRIPTIONS[user.role]}).")


@users.command("list")
@db_option
@json_option
@click.pass_context
def list_users(ctx: click.Context, as_json: bool) -> None:
    """Every user, with role and last log-in."""
    found = accounts.list_users(catalogue_from(ctx).engine)
    if as_json:
        echo_json([user.as_dict() for user in found])
        return
    rows = [user.as_dict() for user in found]
    click.echo(table(rows, ["id", "email", "name", "role", "active", "last_login_at"]))


@users.command("set")
@click.argument("email")
@click.option("--role", type=ROLE_CHOICE, default=None)
@click.option("--active/--inactive", default=None, help="Allow or stop log-ins (ends sessions).")
@click.option("--password", "new_password", is_flag=True, help="Read a new password.")
@db_option
@json_option
@click.pass_context
def set_user(
    ctx: click.Context,
    email: str,
    role: str | None,
    active: bool | None,
    new_password: bool,
    as_json: bool,
) -> None:
    """Change a user's role, status or password."""
    engine = catalogue_from(ctx).engine
    address = accounts.normalise_email(email)
    match = [user for user in accounts.list_users(engine) if user.email == address]
    if not match:
        raise InvalidInput(f"no user {address}")
    if new_password:
        accounts.set_password(
            engine, match[0].id, _read_password(sys.stdin.isatty()), now=utc_now()
        )
    user = accounts.update_user(engine, match[0].id, role=role, active=active)
    if as_json:
        echo_json(user.as_dict())
        return
    click.echo(f"{user.email}: {user.role.value}, {'active' if user.active else 'inactive'}.")


@click.group()
def tokens() -> None:
    """API tokens for integrations (Authorization: Bearer TOKEN)."""


@tokens.command("create")
@click.option("--role", type=ROLE_CHOICE, required=True, help="What the token may do.")
@click.option("--name", default="", help="What the token is for.")
@click.option("--expires-days", type=click.IntRange(1, 3650), default=None)
@db_option
@json_option
@click.pass_context
def create_token(
    ctx: click.Context, role: str, name: str, expires_days: int | None, as_json: bool
) -> None:
    """Create a token and print it (it is shown only this once; only its hash is kept)."""
    now = utc_now()
    token, info = accounts.create_token(
        catalogue_from(ctx).engine,
        role,
        now=now,
        name=name,
        expires_at=now + dt.timedelta(days=expires_days) if expires_days else None,
    )
    if as_json:
        echo_json({"token": token, **info.as_dict()})
        return
    click.echo(token)


@tokens.command("list")
@db_option
@json_option
@click.pass_context
def list_tokens(ctx: click.Context, as_json: bool) -> None:
    """Every token (never the secret): name, role, prefix, last use, revocation."""
    found = [token.as_dict() for token in accounts.list_tokens(catalogue_from(ctx).engine)]
    if as_json:
        echo_json(found)
        return
    click.echo(table(found, ["id", "name", "role", "prefix", "last_used_at", "revoked_at"]))


@tokens.command("revoke")
@click.argument("token_id", type=int)
@db_option
@json_option
@click.pass_context
def revoke_token(ctx: click.Context, token_id: int, as_json: bool) -> None:
    """Revoke a token by its id (`advocacy tokens list`)."""
    info = accounts.revoke_token(catalogue_from(ctx).engine, token_id, now=utc_now())
    if as_json:
        echo_json(info.as_dict())
        return
    click.echo(f"Revoked token {info.id} ({info.name}).")

"""Users, log-in, sessions and API tokens of the web app.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile) and
re-hashed on log-in when those parameters change. Session and API tokens are 256-bit random
values: only their SHA-256 is stored, so a copy of the database opens no session. Failed
log-ins are recorded, and after :data:`MAX_FAILURES_PER_EMAIL` for one e-mail (or
:data:`MAX_FAILURES_PER_ADDRESS` from one address) within :data:`FAILURE_WINDOW` the next
attempt is refused without checking the password.

Every function takes ``now`` (naive UTC) so that tests can move the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine, delete, func, insert, select, update

from advocacy.access import Role, parse_role
from advocacy.errors import AdvocacyError, InvalidInput, NotFound
from advocacy.store.tables import ApiToken, LoginFailure, User, WebSession

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 20
FAILURE_WINDOW = dt.timedelta(minutes=15)
TOKEN_PREFIX = "adv_"
LOCALES = ("en", "es", "ru", "ro")

_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,255}\.[^@\s<>\"'.]{2,63}$")
_HASHER = PasswordHasher()
# Checked against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not the password of anyone")


class LoginRefused(AdvocacyError):
    """Wrong e-mail or password, or an inactive user (the message does not say which)."""

    exit_code = 77


class TooManyAttempts(AdvocacyError):
    """Too many failed log-ins lately; ``retry_after`` seconds until the next may be tried."""

    exit_code = 75

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    email: str
    name: str | None
    role: Role
    locale: str | None
    active: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "email": self.email,
            "name": self.name,
            "role": self.role.value,
            "locale": self.locale,
            "active": self.active,
            "created_at": self.created_at.isoformat(),
            "last_login_at": self.last_login_at.isoformat() if self.last_login_at else None,
        }


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """A live session and the user behind it."""

    id: int
    user: UserInfo
    csrf_token: str
    expires_at: dt.datetime


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    name: str
    role: Role
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    def as_dict(self) -> dict[str, object]:
        def iso(value: dt.datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": self.id,
            "name": self.name,
            "role": self.role.value,
            "prefix": self.prefix,
            "created_at": self.created_at.isoformat(),
            "expires_at": iso(self.expires_at),
            "last_used_at": iso(self.last_used_at),
            "revoked_at": iso(self.revoked_at),
        }


def digest(token: str) -> str:
    """The SHA-256 of a session or API token, as stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    """``email`` trimmed and lower-cased, or a clear error when it is not an address."""
    value = email.strip().lower()
    if not _EMAIL.match(value):
        raise InvalidInput(f"not an e-mail address: {email!r}")
    return value


def check_password(password: str) -> None:
    """Refuse a password too short or too long to be a good one."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"the password must have at most {MAX_PASSWORD_LENGTH} characters")


def _locale(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    code = value.strip().lower()[:2]
    if code not in LOCALES:
        raise InvalidInput(f"unknown language {value!r}: use one of {', '.join(LOCALES)}")
    return code


_USER_COLUMNS = (
    User.id,
    User.email,
    User.name,
    User.role,
    User.locale,
    User.active,
    User.created_at,
    User.last_login_at,
)


def _user_from_row(row: Sequence[Any]) -> UserInfo:
    values = tuple(row)
    return UserInfo(
        id=values[0],
        email=values[1],
        name=values[2],
        role=Role(values[3]),
        locale=values[4],
        active=bool(values[5]),
        created_at=values[6],
        last_login_at=values[7],
    )


def create_user(
    engine: Engine,
    email: str,
    password: str,
    role: Role | str,
    *,
    now: dt.datetime,
    name: str | None = None,
    locale: str | None = None,
) -> UserInfo:
    """Add a user; refuses an e-mail that is taken, a weak password and an unknown role."""
    address = normalise_email(email)
    check_password(password)
    chosen = role if isinstance(role, Role) else parse_role(role)
    with engine.begin() as connection:
        taken = connection.scalar(select(User.id).where(User.email == address))
        if taken is not None:
            raise InvalidInput(f"there is already a user {address}")
        new_id = connection.execute(
            insert(User)
            .values(
                email=address,
                name=(name or "").strip()[:300] or None,
                role=chosen.value,
                password_hash=_HASHER.hash(password),
                locale=_locale(locale),
                active=True,
                created_at=now,
                password_changed_at=now,
            )
            .returning(User.id)
        ).scalar_one()
    return get_user(engine, new_id)


def get_user(engine: Engine, user_id: int) -> UserInfo:
    with engine.connect() as connection:
        row = connection.execute(select(*_USER_COLUMNS).where(User.id == user_id)).first()
    if row is None:
        raise NotFound(f"no user with id {user_id}")
    return _user_from_row(row)


def list_users(engine: Engine) -> list[UserInfo]:
    with engine.connect() as connection:
        rows = connection.execute(select(*_USER_COLUMNS).order_by(User.email)).all()
    return [_user_from_row(row) for row in rows]


def update_user(
    engine: Engine,
    user_id: int,
    *,
    role: Role | str | None = None,
    active: bool | None = None,
    locale: str | None = None,
    name: str | None = None,
) -> UserInfo:
    """Change a user's role, status, language or name. Deactivating ends their sessions."""
    values: dict[str, object] = {}
    if role is not None:
        values["role"] = (role if isinstance(role, Role) else parse_role(role)).value
    if active is not None:
        values["active"] = active
    if locale is not None:
        values["locale"] = _locale(locale)
    if name is not None:
        values["name"] = name.strip()[:300] or None
    get_user(engine, user_id)
    if values:
        with engine.begin() as connection:
            connection.execute(update(User).where(User.id == user_id).values(**values))
            if active is False or role is not None:
                connection.execute(delete(WebSession).where(WebSession.user_id == user_id))
    return get_user(engine, user_id)


def set_password(engine: Engine, user_id: int, password: str, *, now: dt.datetime) -> None:
    """Give a user a new password and end every session they had."""
    check_password(password)
    get_user(engine, user_id)
    with engine.begin() as connection:
        connection.execute(
            update(User)
            .where(User.id == user_id)
            .values(password_hash=_HASHER.hash(password), password_changed_at=now)
        )
        connection.execute(delete(WebSession).where(WebSession.user_id == user_id))


def _retry_after(engine: Engine, email: str, address: str, now: dt.datetime) -> int | None:
    since = now - FAILURE_WINDOW
    with engine.connect() as connection:
        by_email = connection.execute(
            select(func.count(), func.min(LoginFailure.at)).where(
                LoginFailure.email == email, LoginFailure.at > since
            )
        ).one()
        by_address = connection.execute(
            select(func.count(), func.min(LoginFailure.at)).where(
                LoginFailure.address == address, LoginFailure.at > since
            )
        ).one()
    waits = [
        (first + FAILURE_WINDOW - now).total_seconds()
        for count, first, limit in (
            (*by_email, MAX_FAILURES_PER_EMAIL),
            (*by_address, MAX_FAILURES_PER_ADDRESS),
        )
        if count >= limit and first is not None
    ]
    return max(1, int(max(waits)) + 1) if waits else None


def authenticate(
    engine: Engine, email: str, password: str, *, address: str, now: dt.datetime
) -> UserInfo:
    """The active user with this e-mail and password, or :class:`LoginRefused`.

    Refuses with :class:`TooManyAttempts` before checking anything once the e-mail or the
    address has failed too often lately.
    """
    login = email.strip().lower()[:320]
    address = address[:64]
    wait = _retry_after(engine, login, address, now)
    if wait is not None:
        raise TooManyAttempts(
            f"too many failed log-ins: try again in {max(1, round(wait / 60))} min",
            retry_after=wait,
        )
    with engine.connect() as connection:
        row = connection.execute(
            select(User.id, User.password_hash, User.active).where(User.email == login)
        ).first()
    ok = False
    if row is None:
        _verify(_DUMMY_HASH, password)
    else:
        ok = _verify(row.password_hash, password) and bool(row.active)
    with engine.begin() as connection:
        connection.execute(delete(LoginFailure).where(LoginFailure.at <= now - FAILURE_WINDOW))
        if not ok:
            connection.execute(insert(LoginFailure).values(email=login, address=address, at=now))
    if not ok or row is None:
        raise LoginRefused("wrong e-mail or password")
    with engine.begin() as connection:
        values: dict[str, object] = {"last_login_at": now}
        if _HASHER.check_needs_rehash(row.password_hash):
            values["password_hash"] = _HASHER.hash(password)
        connection.execute(update(User).where(User.id == row.id).values(**values))
        connection.execute(delete(LoginFailure).where(LoginFailure.email == login))
    return get_user(engine, row.id)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password[:MAX_PASSWORD_LENGTH])
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# Sessions ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    """How long a session lives: ``idle`` without a request, ``lifetime`` at most."""

    idle: dt.timedelta = dt.timedelta(hours=2)
    lifetime: dt.timedelta = dt.timedelta(hours=12)
    # A session's last-seen time is written at most this often (not on every request).
    touch_every: dt.timedelta = dt.timedelta(minutes=1)


def start_session(
    engine: Engine,
    user: UserInfo,
    *,
    now: dt.datetime,
    policy: SessionPolicy,
    user_agent: str | None = None,
    address: str | None = None,
) -> tuple[str, SessionInfo]:
    """A new session for ``user``: the cookie's token (shown once) and the session."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = now + policy.lifetime
    with engine.begin() as connection:
        connection.execute(delete(WebSession).where(WebSession.expires_at <= now))
        session_id = connection.execute(
            insert(WebSession)
            .values(
                token_hash=digest(token),
                user_id=user.id,
                csrf_token=csrf,
                created_at=now,
                last_seen_at=now,
                expires_at=expires,
                user_agent=(user_agent or "")[:300] or None,
                address=(address or "")[:64] or None,
            )
            .returning(WebSession.id)
        ).scalar_one()
    return token, SessionInfo(id=session_id, user=user, csrf_token=csrf, expires_at=expires)


def resolve_session(
    engine: Engine, token: str, *, now: dt.datetime, policy: SessionPolicy
) -> SessionInfo | None:
    """The live session of a cookie's token, or ``None`` (unknown, expired, idle, inactive)."""
    if not token or len(token) > 200:
        return None
    with engine.connect() as connection:
        row = connection.execute(
            select(
                WebSession.id,
                WebSession.csrf_token,
                WebSession.last_seen_at,
                WebSession.expires_at,
                *_USER_COLUMNS,
            )
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.token_hash == digest(token))
        ).first()
    if row is None:
        return None
    session_id, csrf, last_seen, expires = row[0], row[1], row[2], row[3]
    user = _user_from_row(row[4:])
    if not user.active or now >= expires or now - last_seen >= policy.idle:
        end_session(engine, token)
        return None
    if now - last_seen >= policy.touch_every:
        with engine.begin() as connection:
            connection.execute(
                update(WebSession).where(WebSession.id == session_id).values(last_seen_at=now)
            )
    return SessionInfo(id=session_id, user=user, csrf_token=csrf, expires_at=expires)


def end_session(engine: Engine, token: str) -> None:
    with engine.begin() as connection:
        connection.execute(delete(WebSession).where(WebSession.token_hash == digest(token)))


# API tokens ----------------------------------------------------------------------------------

_TOKEN_COLUMNS = (
    ApiToken.id,
    ApiToken.name,
    ApiToken.role,
    ApiToken.prefix,
    ApiToken.created_at,
    ApiToken.expires_at,
    ApiToken.last_used_at,
    ApiToken.revoked_at,
)


def _token_from_row(row: Sequence[Any]) -> TokenInfo:
    values = tuple(row)
    return TokenInfo(
        id=values[0],
        name=values[1],
        role=Role(values[2]),
        prefix=values[3],
        created_at=values[4],
        expires_at=values[5],
        last_used_at=values[6],
        revoked_at=values[7],
    )


def create_token(
    engine: Engine,
    role: Role | str,
    *,
    now: dt.datetime,
    name: str = "",
    created_by: int | None = None,
    expires_at: dt.datetime | None = None,
) -> tuple[str, TokenInfo]:
    """A new API token for ``role``: the token itself (shown this once) and its record."""
    chosen = role if isinstance(role, Role) else parse_role(role)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    label = name.strip()[:200] or f"{chosen.value} token"
    with engine.begin() as connection:
        token_id = connection.execute(
            insert(ApiToken)
            .values(
                name=label,
                role=chosen.value,
                prefix=token[:12],
                token_hash=digest(token),
                created_by=created_by,
                created_at=now,
                expires_at=expires_at,
            )
            .returning(ApiToken.id)
        ).scalar_one()
    return token, get_token(engine, token_id)


def get_token(engine: Engine, token_id: int) -> TokenInfo:
    with engine.connect() as connection:
        row = connection.execute(select(*_TOKEN_COLUMNS).where(ApiToken.id == token_id)).first()
    if row is None:
        raise NotFound(f"no API token with id {token_id}")
    return _token_from_row(row)


def list_tokens(engine: Engine) -> list[TokenInfo]:
    with engine.connect() as connection:
        rows = connection.execute(select(*_TOKEN_COLUMNS).order_by(ApiToken.id)).all()
    return [_token_from_row(row) for row in rows]


def revoke_token(engine: Engine, token_id: int, *, now: dt.datetime) -> TokenInfo:
    get_token(engine, token_id)
    with engine.begin() as connection:
        connection.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    return get_token(engine, token_id)


def resolve_token(engine: Engine, token: str, *, now: dt.datetime) -> TokenInfo | None:
    """The live token behind a bearer value, or ``None`` (unknown, revoked or expired)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    with engine.connect() as connection:
        row = connection.execute(
            select(*_TOKEN_COLUMNS).where(ApiToken.token_hash == digest(token))
        ).first()
    if row is None:
        return None
    info = _token_from_row(row)
    if info.revoked_at is not None or (info.expires_at is not None and now >= info.expires_at):
        return None
    if info.last_used_at is None or now - info.last_used_at >= dt.timedelta(minutes=1):
        with engine.begin() as connection:
            connection.execute(
                update(ApiToken).where(ApiToken.id == info.id).values(last_used_at=now)
            )
    return info

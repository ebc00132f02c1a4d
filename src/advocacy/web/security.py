"""Who is asking, and may they: sessions, API tokens, CSRF, and the guard on every route.

- A browser carries a session cookie (``advocacy_session``: HttpOnly, SameSite=Lax, Secure over
  HTTPS); an integration sends ``Authorization: Bearer adv_…``. Both resolve to a
  :class:`Principal` with one role.
- Every route depends on :func:`require` (a permission of :mod:`advocacy.access`) or on
  :func:`public`; :func:`check_every_route_is_guarded` refuses to start an app with a route that
  has neither, so access is denied by default.
- A request that changes something with a session cookie must carry the session's CSRF token
  (the form field ``csrf_token`` or the ``X-CSRF-Token`` header), and a cross-site ``Origin``
  is refused. Bearer tokens are not sent by browsers on their own, so they need no CSRF token.
  The log-in form, before any session, uses a double-submit cookie.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.routing import Mount

from advocacy.access import Permission, Role, allows
from advocacy.services import accounts

SESSION_COOKIE = "advocacy_session"
LOGIN_CSRF_COOKIE = "advocacy_login_csrf"
LOCALE_COOKIE = "advocacy_locale"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class Principal:
    """The person or integration behind a request."""

    kind: str  # "user" or "token"
    id: int
    role: Role
    name: str
    locale: str | None = None
    csrf_token: str | None = None  # sessions only
    session_token: str | None = None

    def can(self, permission: Permission) -> bool:
        return allows(self.role, permission)

    @classmethod
    def of_session(cls, session: accounts.SessionInfo, token: str) -> Principal:
        """The user behind a live session whose cookie holds ``token``."""
        user = session.user
        return cls(
            "user",
            user.id,
            user.role,
            user.name or user.email,
            locale=user.locale,
            csrf_token=session.csrf_token,
            session_token=token,
        )


class NotAuthenticated(Exception):
    """No valid session or token (HTML: to the log-in page; API: 401)."""


class Forbidden(Exception):
    """Authenticated, but the role does not hold the permission (403)."""


class CsrfRefused(Exception):
    """A state-changing request without the right CSRF token or from another origin (403)."""


def now_of(request: Request) -> dt.datetime:
    clock: Callable[[], dt.datetime] = request.app.state.clock
    return clock()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def resolve_principal(request: Request) -> Principal | None:
    """The principal of a request, resolved once and kept on ``request.state``."""
    if hasattr(request.state, "principal"):
        principal: Principal | None = request.state.principal
        return principal
    engine = request.app.state.engine
    now = now_of(request)
    found: Principal | None = None
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise NotAuthenticated
        token = accounts.resolve_token(engine, value.strip(), now=now)
        if token is None:
            raise NotAuthenticated
        found = Principal("token", token.id, token.role, token.name)
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            session = accounts.resolve_session(
                engine, cookie, now=now, policy=request.app.state.session_policy
            )
            if session is not None:
                found = Principal.of_session(session, cookie)
    request.state.principal = found
    return found


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    expected = f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"
    return origin == expected


async def check_csrf(request: Request, expected: str | None) -> None:
    """Refuse a state-changing request whose CSRF token is missing or wrong."""
    if not _same_origin(request):
        raise CsrfRefused
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
    if not expected or not given or not hmac.compare_digest(given, expected):
        raise CsrfRefused


def require(permission: Permission) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency that lets through only principals whose role holds ``permission``."""

    async def guard(request: Request) -> Principal:
        principal = resolve_principal(request)
        if principal is None:
            raise NotAuthenticated
        if request.method not in SAFE_METHODS and principal.kind == "user":
            await check_csrf(request, principal.csrf_token)
        if not principal.can(permission):
            raise Forbidden
        return principal

    guard.__advocacy_permission__ = permission  # type: ignore[attr-defined]
    return guard


async def public(request: Request) -> Principal | None:
    """The dependency of the few routes anyone may open (log-in, health, static files)."""
    try:
        return resolve_principal(request)
    except NotAuthenticated:
        return None


public.__advocacy_public__ = True  # type: ignore[attr-defined]


def new_login_csrf() -> str:
    return secrets.token_urlsafe(32)


def _guarded(dependant: Any) -> bool:
    for dependency in dependant.dependencies:
        call = dependency.call
        if getattr(call, "__advocacy_permission__", None) or getattr(
            call, "__advocacy_public__", False
        ):
            return True
        if _guarded(dependency):
            return True
    return False


def _flatten(routes: list[Any]) -> list[Any]:
    """Every route, those of included routers too (FastAPI may keep them behind a wrapper)."""
    found: list[Any] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            found.extend(_flatten(list(inner.routes)))
        else:
            found.append(route)
    return found


def check_every_route_is_guarded(routes: list[Any]) -> list[Any]:
    """Refuse an app with a route that names neither a permission nor :func:`public`.

    Returns the routes checked (for tests)."""
    every = _flatten(routes)
    unguarded = [
        f"{sorted(route.methods or ())} {route.path}"
        for route in every
        if isinstance(route, APIRoute) and not _guarded(route.dependant)
    ]
    unknown = [
        getattr(route, "path", repr(route))
        for route in every
        if not isinstance(route, APIRoute | Mount)
        and getattr(route, "path", "") not in {"/openapi.json"}
    ]
    if unguarded or unknown:
        raise RuntimeError(f"routes without a permission: {', '.join(unguarded + unknown)}")
    return every

"""The web app: server-rendered pages for people, ``/api/v1`` for programs, one set of rules.

``create_app`` is the composition root of the web driver: it builds the engine from the
settings, mounts the static files, the pages and the API, installs the error handlers and the
security headers, and refuses to start if any route is not guarded by a permission.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from advocacy import __version__
from advocacy.access import Permission
from advocacy.config import Settings, load_settings
from advocacy.errors import AdvocacyError, DatabaseError, InvalidInput, NotFound
from advocacy.services.accounts import SessionPolicy
from advocacy.store.engine import build_engine
from advocacy.store.schema import ensure_current
from advocacy.web import i18n
from advocacy.web.forms import TtlCache
from advocacy.web.security import (
    LOCALE_COOKIE,
    CsrfRefused,
    Forbidden,
    NotAuthenticated,
    check_every_route_is_guarded,
    resolve_principal,
)

HERE = Path(__file__).resolve().parent
log = logging.getLogger("advocacy.web")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def templates() -> Jinja2Templates:
    """The page templates, autoescaped, with the translation and formatting helpers."""
    found = Jinja2Templates(directory=str(HERE / "templates"))
    env = found.env
    env.autoescape = True
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext_, i18n.ngettext_, newstyle=True
    )
    env.filters.update(
        number=i18n.number,
        signed=i18n.signed,
        percent=i18n.percent,
        money=i18n.money,
        date=i18n.date,
        datetime=i18n.datetime,
        language_name=i18n.language_name,
        country_name=i18n.country_name,
    )
    env.globals.update(
        LOCALES=i18n.LOCALES, LOCALE_NAMES=i18n.NAMES, Permission=Permission, version=__version__
    )
    return found


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path.endswith(".csv")


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    clock: Callable[[], dt.datetime] = utc_now,
    session_policy: SessionPolicy | None = None,
    worker: bool | None = None,
) -> FastAPI:
    """The Advocacy web app on the database of ``settings`` (or ``engine``). ``worker``: run
    the background work (surveys, text analysis) in this process while it serves; by default
    when ``ADVOCACY_WORKER`` is ``in-process``."""
    settings = settings or load_settings()
    engine = engine or build_engine(settings.database_url)
    ensure_current(engine)
    app = FastAPI(
        lifespan=_warm_up,
        title="Advocacy",
        version=__version__,
        description=(
            "The JSON API of Advocacy. Authenticate with `Authorization: Bearer TOKEN` "
            "(`advocacy tokens create --role ROLE`); every route is limited to the roles "
            "that hold its permission."
        ),
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.clock = clock
    app.state.session_policy = session_policy or SessionPolicy(
        idle=dt.timedelta(minutes=settings.session_idle_minutes),
        lifetime=dt.timedelta(hours=settings.session_hours),
    )
    app.state.templates = templates()
    app.state.cache = TtlCache()
    from advocacy.services.answers import SurveyCache

    app.state.public_surveys = SurveyCache()
    app.state.run_worker = settings.worker == "in-process" if worker is None else worker

    from advocacy.web import (
        advocate_api,
        advocate_pages,
        api,
        case_api,
        case_pages,
        case_reply_api,
        maturity_pages,
        pages,
        referral_pages,
        survey_admin,
        survey_pages,
        webhook_api,
    )

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(survey_pages.router)
    app.include_router(referral_pages.router)
    app.include_router(pages.router)
    app.include_router(survey_admin.pages)
    app.include_router(case_pages.pages)
    app.include_router(api.router)
    app.include_router(survey_admin.api)
    app.include_router(case_api.api)
    app.include_router(case_reply_api.api)
    app.include_router(webhook_api.api)
    app.include_router(advocate_api.api)
    app.include_router(advocate_pages.pages)
    app.include_router(maturity_pages.pages)
    app.include_router(maturity_pages.api)
    app.include_router(referral_pages.api)
    _install_error_handlers(app)
    _install_middleware(app)
    check_every_route_is_guarded(app.routes)
    return app


@asynccontextmanager
async def _warm_up(app: FastAPI) -> AsyncIterator[None]:
    """Compute the unfiltered dashboard in the background as the server starts, so that the
    first person to open it does not wait for it; run the background work while serving."""

    def work() -> None:
        from advocacy.services.dashboard import DashboardFilter
        from advocacy.web.views import dashboard_data

        try:
            dashboard_data(app.state, DashboardFilter())
        except Exception:  # a request will compute it (and report any error) instead
            log.exception("warming the dashboard up failed")

    if app.state.settings.dashboard_cache_seconds > 0:
        threading.Thread(target=work, name="advocacy-warm-up", daemon=True).start()
    background = None
    if app.state.run_worker:
        from advocacy.jobs.worker import Worker

        background = Worker(app.state.engine, app.state.settings)
        background.start()
    try:
        yield
    finally:
        if background is not None:
            background.stop()


#: Customers' survey pages: they choose their own language and never read a staff session.
_CUSTOMER_PAGES = ("/s/", "/p/", "/widget.js")


def _locale_of(request: Request) -> str:
    chosen = i18n.supported(request.query_params.get("lang"))
    if chosen:
        return chosen
    principal = None
    if not request.scope["path"].startswith(_CUSTOMER_PAGES):
        try:
            principal = resolve_principal(request)
        except NotAuthenticated:
            principal = None
    return (
        (i18n.supported(principal.locale) if principal else None)
        or i18n.supported(request.cookies.get(LOCALE_COOKIE))
        or i18n.from_accept_language(request.headers.get("accept-language"))
        or i18n.DEFAULT_LOCALE
    )


def _install_middleware(app: FastAPI) -> None:
    from advocacy.web.survey_pages import PublicAnswers

    app.add_middleware(PublicAnswers)  # inside: its answers get the headers too
    app.add_middleware(LocaleAndHeaders)


_SECURITY_HEADERS = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "same-origin"),
    ("cross-origin-opener-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
)


class LocaleAndHeaders:
    """Every request's locale (``request.state.locale`` and the translations' context), and
    every response's security headers, ``Content-Language`` and ``Server-Timing``.

    A plain ASGI middleware: it only looks at the response's first message, so it adds no task
    or stream to a request (Starlette's ``BaseHTTPMiddleware`` cost about 0.7 ms a request).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request = Request(scope)
        try:
            locale = _locale_of(request)
        except AdvocacyError:
            locale = i18n.DEFAULT_LOCALE
        request.state.locale = locale
        asked = request.query_params.get("lang")
        remember = bool(asked and i18n.supported(asked))
        static = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _SECURITY_HEADERS:
                    headers.setdefault(name, value)
                if not static:
                    headers.setdefault("cache-control", "no-store")
                headers.setdefault("content-language", locale)
                if remember:
                    cookie = Response()
                    cookie.set_cookie(
                        LOCALE_COOKIE, locale, max_age=365 * 86400, samesite="lax", httponly=True
                    )
                    headers.append("set-cookie", cookie.headers["set-cookie"])
                elapsed = 1000 * (time.perf_counter() - started)
                headers["server-timing"] = f"app;dur={elapsed:.1f}"
            await send(message)

        token = i18n.current_locale.set(locale)
        try:
            await self.app(scope, receive, with_headers)
        finally:
            i18n.current_locale.reset(token)


def render_error(request: Request, status: int, title: str, detail: str) -> Response:
    """One place for errors: a JSON document for the API, a page for people."""
    if wants_json(request):
        return JSONResponse({"error": {"status": status, "title": title, "detail": detail}}, status)
    try:
        principal = resolve_principal(request)
    except NotAuthenticated:
        principal = None
    page: Jinja2Templates = request.app.state.templates
    return page.TemplateResponse(
        request,
        "error.html",
        {
            "status": status,
            "title": title,
            "detail": detail,
            "principal": principal,
            "locale": getattr(request.state, "locale", i18n.DEFAULT_LOCALE),
            "path": request.url.path,
            "params": {},
        },
        status_code=status,
    )


def _install_error_handlers(app: FastAPI) -> None:
    _ = i18n.gettext_

    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, _exc: Exception) -> Response:
        if wants_json(request):
            response = JSONResponse(
                {
                    "error": {
                        "status": 401,
                        "title": "Not authenticated",
                        "detail": "log in, or send a valid API token as Authorization: Bearer",
                    }
                },
                401,
            )
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, _exc: Exception) -> Response:
        return render_error(
            request, 403, _("Not allowed"), _("Your role does not give access to this page.")
        )

    @app.exception_handler(CsrfRefused)
    async def csrf(request: Request, _exc: Exception) -> Response:
        return render_error(
            request,
            403,
            _("Form expired"),
            _("This form was not sent from this site or has expired: reload the page and retry."),
        )

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: Exception) -> Response:
        return render_error(request, 404, _("Not found"), str(exc))

    @app.exception_handler(InvalidInput)
    async def invalid(request: Request, exc: Exception) -> Response:
        return render_error(request, 400, _("Bad request"), str(exc))

    @app.exception_handler(DatabaseError)
    async def database(request: Request, exc: Exception) -> Response:
        log.error("database error on %s: %s", request.url.path, exc)
        return render_error(
            request, 503, _("Unavailable"), _("The database cannot be reached just now.")
        )

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error.get('loc', ())[1:]) or 'request'}: "
            f"{error.get('msg', 'invalid')}"
            for error in exc.errors()[:10]
        )
        return render_error(request, 400, _("Bad request"), problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        titles = {404: _("Not found"), 405: _("Method not allowed")}
        title = titles.get(exc.status_code, _("Error"))
        detail = (
            _("There is no page at this address.") if exc.status_code == 404 else str(exc.detail)
        )
        return render_error(request, exc.status_code, title, detail)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path, exc_info=exc)
        return render_error(
            request,
            500,
            _("Something went wrong"),
            _("The error was logged. Please try again, or tell your administrator."),
        )


def page_response(
    request: Request, template: str, context: dict[str, Any], *, status: int = 200
) -> HTMLResponse:
    page: Jinja2Templates = request.app.state.templates
    return page.TemplateResponse(request, template, context, status_code=status)
